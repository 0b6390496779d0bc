/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_pidmap.c - PID translation by NSpid chains on a fixture tree with
 * nested (pid0 > pid1 > pid2) and sibling (pid1, pid3) PID namespaces, where
 * the same inner PID exists in two siblings; and the kernel ioctls against
 * the scan on the real /proc. */
#include <stdio.h>
#include <sys/stat.h>

#include "testutil.h"

static struct nsu_ctx *ctx;
static struct nsu_nslist *l;

static void setup(void)
{
	ctx = ctx_with_proc("nslist/proc");
	l = nsu_nslist_scan(ctx, 0);
	ck_assert_ptr_nonnull(l);
}

static void teardown(void)
{
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}

static struct nsu_nsent *pidns(const char *name)
{
	char rel[256];
	struct stat st;
	struct nsu_nsent *e;

	snprintf(rel, sizeof(rel), "nslist/proc/nsdata/%s", name);
	ck_assert_int_eq(stat(fixture(rel), &st), 0);
	e = nsu_nslist_find_ns(l, st.st_ino, NSU_NS_PID);
	ck_assert_ptr_nonnull(e);
	return e;
}

START_TEST(levels)
{
	ck_assert_int_eq(nsu_pidns_level(l, pidns("pid0")), 0);
	ck_assert_int_eq(nsu_pidns_level(l, pidns("pid1")), 1);
	ck_assert_int_eq(nsu_pidns_level(l, pidns("pid2")), 2);
	ck_assert_int_eq(nsu_pidns_level(l, pidns("pid3")), 1);
	ck_assert_int_eq(nsu_pidns_level(l, NULL), -EINVAL);
}
END_TEST

START_TEST(to_host)
{
	/* the same inner PID 2 in two sibling namespaces */
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid1"), 2), 102);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid3"), 2), 201);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid1"), 1), 101);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid3"), 1), 200);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid2"), 1), 102);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid0"), 300), 300);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid1"), 99), -ESRCH);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid2"), 2), -ESRCH);
	ck_assert_int_eq(nsu_pid_to_host_scan(l, pidns("pid1"), 0), -ESRCH);
	/* the public entry falls back by itself: the fixture's "self" is no
	 * process of ours, so the ioctls do not apply */
	ck_assert_int_eq(nsu_pid_to_host(l, pidns("pid3"), 2), 201);
	ck_assert_int_eq(nsu_pid_to_host(l, NULL, 2), -EINVAL);
}
END_TEST

START_TEST(in_ns)
{
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, NULL, 102), 1);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, NULL, 201), 2);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, NULL, 300), 300);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid1"), 102), 2);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid0"), 102), 102);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid2"), 102), 1);
	/* not visible: a sibling, a parent */
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid3"), 102), -ESRCH);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid2"), 101), -ESRCH);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, pidns("pid1"), 1), -ESRCH);
	/* no such process, vanished, zombie */
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, NULL, 999), -ESRCH);
	ck_assert_int_eq(nsu_pid_in_ns_scan(l, NULL, 400), -ESRCH);
	ck_assert_int_eq(nsu_pid_in_ns(l, pidns("pid1"), 201), -ESRCH);
	ck_assert_int_eq(nsu_pid_in_ns(l, pidns("pid3"), 201), 2);
}
END_TEST

START_TEST(kernel_agrees_with_scan)
{
	/* on the real /proc the ioctls (6.11+) and the NSpid scan must give
	 * the same answers for ourselves */
	struct nsu_ctx *rctx = ctx_with_proc(NULL);
	struct nsu_nslist *rl = nsu_nslist_scan(rctx, NSU_LIST_NO_FDS |
						NSU_LIST_NO_SOCKETS |
						NSU_LIST_NO_MOUNTS);
	struct nsu_task *self;
	struct nsu_nsent *own;

	ck_assert_ptr_nonnull(rl);
	self = nsu_nslist_find_task(rl, getpid());
	ck_assert_ptr_nonnull(self);
	own = nsu_task_ns(self, NSU_NS_PID);
	ck_assert_ptr_nonnull(own);
	ck_assert_int_eq(nsu_pid_in_ns(rl, own, getpid()), getpid());
	ck_assert_int_eq(nsu_pid_in_ns_scan(rl, own, getpid()), getpid());
	ck_assert_int_eq(nsu_pid_to_host(rl, own, getpid()), getpid());
	ck_assert_int_eq(nsu_pid_to_host_scan(rl, own, getpid()), getpid());
	nsu_nslist_free(rl);
	nsu_ctx_free(rctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pidmap");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, levels);
	tcase_add_test(tc, to_host);
	tcase_add_test(tc, in_ns);
	tcase_add_test(tc, kernel_agrees_with_scan);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
