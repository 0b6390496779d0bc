/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_create.c - the creation request: single mappings punched into
 * ranges, and the checks nsu_create_prepare() makes before anything is
 * created. */
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "testutil.h"

static void expect_map(const struct nsu_idmap *m, const char *want)
{
	char *text = NULL;

	ck_assert_int_ge(nsu_idmap_render(m, &text), 0);
	ck_assert_str_eq(text, want);
	free(text);
}

START_TEST(single_alone)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert_int_eq(nsu_idmap_add_single(m, 0, 1000), 0);
	expect_map(m, "0 1000 1\n");
	nsu_idmap_free(m);
}
END_TEST

START_TEST(single_splits_inner)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert_int_eq(nsu_idmap_add(m, 0, 100000, 10), 0);
	ck_assert_int_eq(nsu_idmap_add_single(m, 5, 0), 0);
	expect_map(m, "0 100000 5\n6 100006 4\n5 0 1\n");
	nsu_idmap_free(m);
}
END_TEST

START_TEST(single_splits_both_sides)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	/* inner 3 and outer 1007 (position 7) both fall in the range */
	ck_assert_int_eq(nsu_idmap_add(m, 0, 1000, 10), 0);
	ck_assert_int_eq(nsu_idmap_add_single(m, 3, 1007), 0);
	expect_map(m, "0 1000 3\n4 1004 3\n8 1008 2\n3 1007 1\n");
	/* the same position on both sides drops one id only */
	ck_assert_int_eq(nsu_idmap_add_single(m, 0, 1000), 0);
	expect_map(m, "1 1001 2\n4 1004 3\n8 1008 2\n3 1007 1\n0 1000 1\n");
	nsu_idmap_free(m);
}
END_TEST

START_TEST(single_at_edges)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_GROUP);

	ck_assert_int_eq(nsu_idmap_add(m, 0, 100, 1), 0);
	ck_assert_int_eq(nsu_idmap_add_single(m, 0, 5), 0);
	expect_map(m, "0 5 1\n");
	ck_assert_int_eq(nsu_idmap_add(m, 10, 200, 5), 0);
	ck_assert_int_eq(nsu_idmap_add_single(m, 14, 6), 0);
	expect_map(m, "0 5 1\n10 200 4\n14 6 1\n");
	nsu_idmap_free(m);
}
END_TEST

static struct nsu_create *req(struct nsu_ctx **ctx)
{
	struct nsu_create *c;

	*ctx = nsu_ctx_new();
	ck_assert_ptr_nonnull(*ctx);
	c = nsu_create_new(*ctx);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void expect_failure(struct nsu_create *c, int err, int nstype,
			   const char *path_part)
{
	const char *step = NULL, *path = NULL;
	int t = -2, op = -2;

	ck_assert_int_eq(nsu_create_prepare(c), err);
	ck_assert_int_eq(nsu_create_failure(c, &step, &t, &path, &op), err);
	ck_assert_ptr_nonnull(step);
	ck_assert_int_eq(t, nstype);
	if (path_part) {
		ck_assert_ptr_nonnull(path);
		ck_assert_ptr_nonnull(strstr(path, path_part));
	}
}

START_TEST(offsets_need_time)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_NET, NULL), 0);
	ck_assert_int_eq(nsu_create_set_time_offset(c, CLOCK_MONOTONIC, 5), 0);
	ck_assert_int_eq(nsu_create_set_time_offset(c, CLOCK_REALTIME, 5), -EINVAL);
	expect_failure(c, -EINVAL, NSU_NS_TIME, "time namespace");
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(pid_persist_needs_fork)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_PID, "/nonexistent"), 0);
	expect_failure(c, -EINVAL, NSU_NS_PID, "fork");
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(pid_pin_needs_fork)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_PID, NULL), 0);
	ck_assert_int_eq(nsu_create_set_pin(c, "/nonexistent", "a/b"), -EINVAL);
	ck_assert_int_eq(nsu_create_set_pin(c, "/nonexistent", "web"), 0);
	expect_failure(c, -EINVAL, NSU_NS_PID, "fork");
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(maps_need_user)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert_int_eq(nsu_idmap_add(m, 0, 0, 1), 0);
	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_NET, NULL), 0);
	ck_assert_int_eq(nsu_create_set_maps(c, NULL, m), -EINVAL); /* wrong kind */
	ck_assert_int_eq(nsu_create_set_maps(c, m, NULL), 0);
	expect_failure(c, -EINVAL, NSU_NS_USER, "user namespace");
	nsu_idmap_free(m);
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(missing_persist_file)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_UTS, "/nonexistent/uts"), 0);
	expect_failure(c, -ENOENT, NSU_NS_UTS, "/nonexistent/uts");
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(persist_onto_directory)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_NET, "/"), 0);
	expect_failure(c, -EISDIR, NSU_NS_NET, "/");
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(join_conflicts_with_new)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);
	struct nsu_ns *ns = nsu_ns_open_pid(ctx, getpid(), NSU_NS_NET, 0);

	ck_assert_ptr_nonnull(ns);
	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_NET, NULL), 0);
	ck_assert_int_eq(nsu_create_add_join(c, ns), -EEXIST);
	nsu_ns_free(ns);
	ck_assert_int_eq(nsu_create_new_mask(c), CLONE_NEWNET);
	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_COUNT, NULL), -NSU_EBADTYPE);
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(valid_request_prepares)
{
	struct nsu_ctx *ctx;
	struct nsu_create *c = req(&ctx);

	/* nothing is created by prepare, so this needs no privilege */
	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_NET, NULL), 0);
	ck_assert_int_eq(nsu_create_add_new(c, NSU_NS_TIME, NULL), 0);
	ck_assert_int_eq(nsu_create_set_time_offset(c, CLOCK_BOOTTIME, -3), 0);
	ck_assert_int_eq(nsu_create_set_fork(c, true, SIGKILL), 0);
	ck_assert_int_eq(nsu_create_set_fork(c, true, 9999), -EINVAL);
	ck_assert_int_eq(nsu_create_prepare(c), 0);
	ck_assert_int_eq(nsu_create_new_mask(c), CLONE_NEWNET | CLONE_NEWTIME);
	nsu_create_free(c);
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *create_suite(void)
{
	Suite *s = suite_create("create");
	TCase *tc = tcase_create("maps");

	tcase_add_test(tc, single_alone);
	tcase_add_test(tc, single_splits_inner);
	tcase_add_test(tc, single_splits_both_sides);
	tcase_add_test(tc, single_at_edges);
	suite_add_tcase(s, tc);
	tc = tcase_create("prepare");
	tcase_add_test(tc, offsets_need_time);
	tcase_add_test(tc, pid_persist_needs_fork);
	tcase_add_test(tc, pid_pin_needs_fork);
	tcase_add_test(tc, maps_need_user);
	tcase_add_test(tc, missing_persist_file);
	tcase_add_test(tc, persist_onto_directory);
	tcase_add_test(tc, join_conflicts_with_new);
	tcase_add_test(tc, valid_request_prepares);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(create_suite());
}
