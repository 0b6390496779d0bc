/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_enter.c - the join plan (enter.c): cgroup v2 lookups on fixture mount
 * tables, plan bookkeeping and errors, and real joins in forked tests. */
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"
#include "enter-internal.h"

START_TEST(cgroup2_parse)
{
	char *p = NULL;

	ck_assert_int_eq(nsu_cgroup2_parse("1:cpu:/x\n0::/a/b\n", &p), 0);
	ck_assert_str_eq(p, "/a/b");
	free(p);
	ck_assert_int_eq(nsu_cgroup2_parse("0::/last", &p), 0);
	ck_assert_str_eq(p, "/last");
	free(p);
	ck_assert_int_eq(nsu_cgroup2_parse("1:cpu:/x\n2:memory:/y\n", &p),
			 -NSU_ENOTSUPP);
	ck_assert_int_eq(nsu_cgroup2_parse("", &p), -NSU_ENOTSUPP);
}
END_TEST

START_TEST(cgroup2_dir_hybrid)
{
	char *d = NULL;

	/* not assumed at /sys/fs/cgroup: found at .../unified */
	ck_assert_int_eq(nsu_cgroup2_dir(fixture("enter/mountinfo-hybrid"),
					 "/a/b", &d), 0);
	ck_assert_str_eq(d, "/sys/fs/cgroup/unified/a/b");
	free(d);
	ck_assert_int_eq(nsu_cgroup2_dir(fixture("enter/mountinfo-hybrid"),
					 "/", &d), 0);
	ck_assert_str_eq(d, "/sys/fs/cgroup/unified/");
	free(d);
}
END_TEST

START_TEST(cgroup2_dir_container)
{
	char *d = NULL;
	const char *mi = fixture("enter/mountinfo-container");

	/* the mount's root is a subtree: paths are relative to it */
	ck_assert_int_eq(nsu_cgroup2_dir(mi, "/docker/abc/x", &d), 0);
	ck_assert_str_eq(d, "/sys/fs/cgroup/x");
	free(d);
	ck_assert_int_eq(nsu_cgroup2_dir(mi, "/docker/abc", &d), 0);
	ck_assert_str_eq(d, "/sys/fs/cgroup");
	free(d);
	/* "/docker/abc" is not a prefix of "/docker/abcdef" as a path */
	ck_assert_int_eq(nsu_cgroup2_dir(mi, "/docker/abcdef/y", &d), 0);
	ck_assert_str_eq(d, "/mnt/other/y");
	free(d);
	ck_assert_int_eq(nsu_cgroup2_dir(mi, "/elsewhere", &d), -EXDEV);
}
END_TEST

START_TEST(cgroup2_dir_none)
{
	char *d = NULL;

	ck_assert_int_eq(nsu_cgroup2_dir(fixture("enter/mountinfo-v1only"),
					 "/a", &d), -ENOENT);
}
END_TEST

START_TEST(plan_bookkeeping)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_enter *e = nsu_enter_new(ctx);
	struct nsu_ns *uts;
	char **env = NULL;
	int fd, n;

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(nsu_enter_mask(e), 0);
	ck_assert_int_eq(nsu_enter_target_pidfd(e), -1);
	/* nothing to take namespaces from yet */
	ck_assert_int_eq(nsu_enter_add_target_ns(e, NSU_NS_NET), -ESRCH);
	ck_assert_int_eq(nsu_enter_add_all(e), -ESRCH);
	ck_assert_int_eq(nsu_enter_open_target_file(e, "environ", O_RDONLY), -ESRCH);
	ck_assert_int_eq(nsu_enter_join(e, 0), -EINVAL); /* empty plan */

	ck_assert_int_eq(nsu_enter_set_target(e, getpid(), 0), 0);
	ck_assert_int_eq(nsu_enter_target_pid(e), getpid());
	ck_assert_int_ge(nsu_enter_target_pidfd(e), 0);
	ck_assert_int_eq(nsu_enter_set_target(e, getpid(), 0), -EEXIST);

	ck_assert_int_eq(nsu_enter_add_target_ns(e, NSU_NS_NET), 0);
	ck_assert_int_eq(nsu_enter_mask(e), CLONE_NEWNET);
	uts = nsu_ns_open_path(ctx, "/proc/self/ns/uts", NSU_NS_UTS);
	ck_assert_ptr_nonnull(uts);
	ck_assert_int_eq(nsu_enter_set_ns(e, uts), 0);
	ck_assert_int_eq(nsu_enter_mask(e), CLONE_NEWNET | CLONE_NEWUTS);
	ck_assert_ptr_eq(nsu_enter_get_ns(e, NSU_NS_UTS), uts);
	ck_assert_ptr_null(nsu_enter_get_ns(e, NSU_NS_IPC));
	ck_assert_ptr_null(nsu_enter_get_ns(e, NSU_NS_COUNT));
	ck_assert_int_eq(e->from_target, CLONE_NEWNET);

	/* --all adds nothing we already share with ourselves */
	ck_assert_int_eq(nsu_enter_add_all(e), 0);
	ck_assert_int_eq(nsu_enter_mask(e), CLONE_NEWNET | CLONE_NEWUTS);

	fd = nsu_enter_open_target_file(e, "status", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	ck_assert_int_eq(nsu_enter_open_target_file(e, "nosuch", O_RDONLY),
			 -NSU_EREPLACED);

	setenv("NSU_TEST_VAR", "a b", 1);
	n = nsu_enter_target_environ(e, &env);
	/* /proc/PID/environ is the environment at exec time: PATH at least */
	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++)
		ck_assert_ptr_nonnull(strchr(env[i], '='));
	ck_assert_ptr_null(env[n]);
	nsu_enter_free_environ(env);

	nsu_enter_free(e);
	nsu_ctx_free(ctx);
}
END_TEST

/* A child in a new UTS namespace with hostname NAME; returns its PID. */
static pid_t uts_child(const char *name)
{
	int p[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWUTS) < 0 || sethostname(name, strlen(name)) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void join_test(unsigned int flags, bool want_pidfd)
{
	struct nsu_ctx *ctx;
	struct nsu_enter *e;
	char host[256];
	pid_t child;

	if (geteuid() != 0)
		return; /* joining needs CAP_SYS_ADMIN: the CLI tests cover it */
	child = uts_child("nsu-unit-join");
	ctx = ctx_with_proc(NULL);
	e = nsu_enter_new(ctx);
	ck_assert_int_eq(nsu_enter_set_target(e, child, 0), 0);
	ck_assert_int_eq(nsu_enter_add_target_ns(e, NSU_NS_UTS), 0);
	ck_assert_int_eq(nsu_enter_join(e, flags), 0);
	ck_assert_int_eq(nsu_enter_failed_type(e), -1);
	ck_assert(nsu_enter_used_pidfd(e) == want_pidfd);
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert_str_eq(host, "nsu-unit-join");
	/* we are not dumpable any more (PR_SET_DUMPABLE 0 before setns) */
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	nsu_enter_free(e);
	nsu_ctx_free(ctx);
}

START_TEST(join_pidfd)
{
	join_test(0, true);
}
END_TEST

START_TEST(join_per_fd)
{
	join_test(NSU_ENTER_PER_FD, false);
}
END_TEST

START_TEST(join_dead_target)
{
	struct nsu_ctx *ctx;
	struct nsu_enter *e;
	pid_t child;

	if (geteuid() != 0)
		return;
	child = uts_child("nsu-unit-dead");
	ctx = ctx_with_proc(NULL);
	e = nsu_enter_new(ctx);
	ck_assert_int_eq(nsu_enter_set_target(e, child, 0), 0);
	ck_assert_int_eq(nsu_enter_add_target_ns(e, NSU_NS_UTS), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* the pidfd still names the dead process, never a successor */
	ck_assert_int_eq(nsu_enter_open_target_file(e, "environ", O_RDONLY),
			 -NSU_EREPLACED);
	ck_assert_int_eq(nsu_enter_join(e, 0), -NSU_EREPLACED);
	nsu_enter_free(e);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(join_verify_mismatch)
{
	struct nsu_ctx *ctx;
	struct nsu_enter *e;
	char path[64];
	pid_t a, b;

	if (geteuid() != 0)
		return;
	a = uts_child("nsu-unit-a");
	b = uts_child("nsu-unit-b");
	ctx = ctx_with_proc(NULL);
	e = nsu_enter_new(ctx);
	ck_assert_int_eq(nsu_enter_set_target(e, a, 0), 0);
	ck_assert_int_eq(nsu_enter_add_target_ns(e, NSU_NS_UTS), 0);
	/* What a target that switches namespaces between our open and our
	 * setns() looks like: the handle we verify against is not what
	 * setns(pidfd) joined. The join must fail, naming the type. */
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)b);
	nsu_ns_free(e->ns[NSU_NS_UTS]);
	e->ns[NSU_NS_UTS] = nsu_ns_open_path(ctx, path, NSU_NS_UTS);
	ck_assert_ptr_nonnull(e->ns[NSU_NS_UTS]);
	ck_assert_int_eq(nsu_enter_join(e, 0), -NSU_ENOTJOINED);
	ck_assert_int_eq(nsu_enter_failed_type(e), NSU_NS_UTS);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	nsu_enter_free(e);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_socket)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *ns, *mine;
	int pidfd = nsu_pidfd_open(getpid(), 0);
	int sk = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_ge(sk, 0);
	ns = nsu_ns_open_socket(ctx, pidfd, sk);
	ck_assert_ptr_nonnull(ns);
	mine = nsu_ns_open_path(ctx, "/proc/self/ns/net", NSU_NS_NET);
	ck_assert(nsu_ns_equal(ns, mine));
	nsu_ns_free(ns);
	nsu_ns_free(mine);
	/* fd 0 is no socket; a closed fd is EBADF */
	ck_assert_ptr_null(nsu_ns_open_socket(ctx, pidfd, 0));
	ck_assert_int_eq(errno, ENOTSOCK);
	ck_assert_ptr_null(nsu_ns_open_socket(ctx, pidfd, 999));
	ck_assert_int_eq(errno, EBADF);
	close(sk);
	close(pidfd);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_by_id)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_ns *mine = nsu_ns_open_path(ctx, "/proc/self/ns/net", NSU_NS_NET);
	struct nsu_ns *ns;
	uint64_t id;

	ck_assert_ptr_nonnull(mine);
	if (nsu_ns_id(mine, &id) < 0) {
		ck_assert_ptr_null(nsu_ns_open_id(ctx, NSU_NS_NET, 1));
		ck_assert_int_eq(errno, NSU_ENOTSUPP);
		nsu_ns_free(mine);
		nsu_ctx_free(ctx);
		return;
	}
	ns = nsu_ns_open_id(ctx, NSU_NS_NET, id);
	ck_assert_ptr_nonnull(ns);
	ck_assert(nsu_ns_equal(ns, mine));
	nsu_ns_free(ns);
	ck_assert_ptr_null(nsu_ns_open_id(ctx, NSU_NS_NET, UINT64_MAX - 1));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(nsu_ns_open_id(ctx, NSU_NS_NET, 0));
	ck_assert_int_eq(errno, EINVAL);
	nsu_ns_free(mine);
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *enter_suite(void)
{
	Suite *s = suite_create("enter");
	TCase *tc = tcase_create("cgroup");
	TCase *plan = tcase_create("plan");

	tcase_add_test(tc, cgroup2_parse);
	tcase_add_test(tc, cgroup2_dir_hybrid);
	tcase_add_test(tc, cgroup2_dir_container);
	tcase_add_test(tc, cgroup2_dir_none);
	suite_add_tcase(s, tc);
	tcase_add_test(plan, plan_bookkeeping);
	tcase_add_test(plan, join_pidfd);
	tcase_add_test(plan, join_per_fd);
	tcase_add_test(plan, join_dead_target);
	tcase_add_test(plan, join_verify_mismatch);
	tcase_add_test(plan, open_socket);
	tcase_add_test(plan, open_by_id);
	suite_add_tcase(s, plan);
	return s;
}

int main(void)
{
	return run_suite(enter_suite());
}
