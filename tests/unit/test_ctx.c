/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_ctx.c - the library context: defaults, proc root, log callback and
 * priority, subordinate-id file setters, version. */
#include <stdarg.h>
#include <stdio.h>

#include "config.h"
#include "testutil.h"

START_TEST(defaults)
{
	struct nsu_ctx *ctx = nsu_ctx_new();

	ck_assert_ptr_nonnull(ctx);
	ck_assert_str_eq(nsu_ctx_get_proc_root(ctx), "/proc");
	ck_assert_int_eq(nsu_ctx_get_log_priority(ctx), 3);
	ck_assert_ptr_null(ctx->log_fn);
	ck_assert_ptr_null(ctx->subuid_path);
	ck_assert_ptr_null(ctx->subgid_path);
	/* features are probed on first use, not at creation */
	ck_assert_int_eq(ctx->supported_mask, NSU_PROBE_UNKNOWN);
	ck_assert_int_eq(ctx->has_pidfd_ns_ioctl, NSU_PROBE_UNKNOWN);
	nsu_ctx_free(ctx);
	nsu_ctx_free(NULL);
}
END_TEST

START_TEST(proc_root)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	char dir[] = "/some/where";

	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, dir), 0);
	dir[1] = 'X'; /* the context keeps its own copy */
	ck_assert_str_eq(nsu_ctx_get_proc_root(ctx), "/some/where");
	/* relative, empty and NULL are refused, and the old value stays */
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, "proc"), -EINVAL);
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, "./proc"), -EINVAL);
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, ""), -EINVAL);
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, NULL), -EINVAL);
	ck_assert_str_eq(nsu_ctx_get_proc_root(ctx), "/some/where");
	ck_assert_int_eq(nsu_ctx_set_proc_root(NULL, "/proc"), -EINVAL);
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, "/proc"), 0);
	ck_assert_str_eq(nsu_ctx_get_proc_root(ctx), "/proc");
	nsu_ctx_free(ctx);
}
END_TEST

struct log_record {
	int n;
	int prio[8];
	char text[8][64];
};

__attribute__((format(printf, 3, 0)))
static void record_log(void *userdata, int priority, const char *fmt,
		       va_list ap)
{
	struct log_record *r = userdata;

	if (r->n < 8) {
		r->prio[r->n] = priority;
		vsnprintf(r->text[r->n], sizeof(r->text[0]), fmt, ap);
	}
	r->n++;
}

START_TEST(log_priority_filter)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct log_record rec = { 0 };

	/* no callback: nothing happens, nothing crashes */
	nsu_log(ctx, 3, "dropped %d", 1);
	nsu_log(NULL, 3, "dropped %d", 2);
	nsu_ctx_set_log_fn(ctx, record_log, &rec);
	/* default priority 3: errors only */
	nsu_log(ctx, 3, "error %d", 3);
	nsu_log(ctx, 4, "warning %s", "w");
	nsu_log(ctx, 7, "debug");
	nsu_dbg(ctx, "debug via macro %d", 4);
	ck_assert_int_eq(rec.n, 1);
	ck_assert_int_eq(rec.prio[0], 3);
	ck_assert_str_eq(rec.text[0], "error 3");
	/* priority 6: info and below */
	nsu_ctx_set_log_priority(ctx, 6);
	ck_assert_int_eq(nsu_ctx_get_log_priority(ctx), 6);
	nsu_log(ctx, 4, "warning %s", "w");
	nsu_log(ctx, 6, "info %u", 6u);
	nsu_log(ctx, 7, "debug");
	nsu_dbg(ctx, "debug via macro");
	ck_assert_int_eq(rec.n, 3);
	ck_assert_str_eq(rec.text[1], "warning w");
	ck_assert_int_eq(rec.prio[2], 6);
	ck_assert_str_eq(rec.text[2], "info 6");
	/* priority 7: debug too, the macro included */
	nsu_ctx_set_log_priority(ctx, 7);
	nsu_dbg(ctx, "dbg %s", "on");
	ck_assert_int_eq(rec.n, 4);
	ck_assert_int_eq(rec.prio[3], 7);
	ck_assert_str_eq(rec.text[3], "dbg on");
	/* removing the callback stops delivery */
	nsu_ctx_set_log_fn(ctx, NULL, NULL);
	nsu_log(ctx, 3, "gone");
	ck_assert_int_eq(rec.n, 4);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(subid_files)
{
	struct nsu_ctx *ctx = nsu_ctx_new();

	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, "/a/subuid", "/a/subgid"), 0);
	ck_assert_str_eq(ctx->subuid_path, "/a/subuid");
	ck_assert_str_eq(ctx->subgid_path, "/a/subgid");
	/* NULL goes back to the default /etc files */
	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, NULL, "/b/subgid"), 0);
	ck_assert_ptr_null(ctx->subuid_path);
	ck_assert_str_eq(ctx->subgid_path, "/b/subgid");
	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, NULL, NULL), 0);
	ck_assert_ptr_null(ctx->subgid_path);
	ck_assert_int_eq(nsu_ctx_set_subid_files(NULL, "/x", "/y"), -EINVAL);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(version)
{
	const char *v = nsu_version();
	unsigned int a, b, c;
	char tail;

	ck_assert_str_eq(v, NSU_VERSION);
	ck_assert_int_eq(sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail), 3);
}
END_TEST

static Suite *ctx_suite(void)
{
	Suite *s = suite_create("ctx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, proc_root);
	tcase_add_test(tc, log_priority_filter);
	tcase_add_test(tc, subid_files);
	tcase_add_test(tc, version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(ctx_suite());
}
