/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_run.c - closing inherited fds before exec (close_range and the
 * /proc fallback) and waiting for a child while forwarding signals. Every
 * test does its work in a forked child, so fds and signal masks never leak
 * into the test process. */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "testutil.h"

/* ---- nsu_close_fds ---- */

struct close_case {
	const int *keep;
	size_t n;
	bool no_close_range; /* force the /proc/self/fd fallback */
};

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* Make close_range(2) fail with ENOSYS, as on a kernel before 5.9. */
static int deny_close_range(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(f), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* Open fds 3..40 and 100, keep c->keep, check exactly those survive. */
static int close_fds_check(void *arg)
{
	const struct close_case *c = arg;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	CHILD_CHECK(fd >= 0);
	for (int i = 3; i <= 40; i++)
		if (i != fd)
			CHILD_CHECK(dup3(fd, i, O_CLOEXEC) == i);
	CHILD_CHECK(dup3(fd, 100, O_CLOEXEC) == 100);
	if (c->no_close_range) {
		CHILD_CHECK(deny_close_range() == 0);
		CHILD_CHECK(syscall(SYS_close_range, 3, 3, 0) < 0 && errno == ENOSYS);
		CHILD_CHECK(fd_open(3));
	}
	CHILD_CHECK(nsu_close_fds(c->keep, c->n) == 0);
	for (int i = 0; i <= 110; i++) {
		bool kept = i < 3;

		for (size_t k = 0; k < c->n; k++)
			kept |= c->keep[k] == i && (i <= 40 || i == 100);
		if (fd_open(i) != kept) {
			fprintf(stderr, "fd %d is %s\n", i, kept ? "closed" : "open");
			return 1;
		}
	}
	return 0;
}

static const int keep_unsorted[] = { 100, 11, 1, -1, 7, 40, 11, 3 };

START_TEST(close_fds_keeps_listed)
{
	struct close_case c = { keep_unsorted, ARRAY_SIZE(keep_unsorted), false };

	ck_assert_child_ok(run_in_child(close_fds_check, &c));
}
END_TEST

START_TEST(close_fds_keeps_listed_proc_fallback)
{
	struct close_case c = { keep_unsorted, ARRAY_SIZE(keep_unsorted), true };

	ck_assert_child_ok(run_in_child(close_fds_check, &c));
}
END_TEST

START_TEST(close_fds_keep_nothing)
{
	static const int low[] = { 0, 2 };
	struct close_case none = { NULL, 0, false };
	struct close_case lowonly = { low, ARRAY_SIZE(low), false };
	struct close_case none_fb = { NULL, 0, true };

	ck_assert_child_ok(run_in_child(close_fds_check, &none));
	ck_assert_child_ok(run_in_child(close_fds_check, &lowonly));
	ck_assert_child_ok(run_in_child(close_fds_check, &none_fb));
}
END_TEST

static int too_many_keeps(void *arg)
{
	int keep[65];

	(void)arg;
	for (int i = 0; i < 65; i++)
		keep[i] = i + 3;
	CHILD_CHECK(dup3(2, 50, O_CLOEXEC) == 50);
	CHILD_CHECK(nsu_close_fds(keep, 65) == -E2BIG);
	CHILD_CHECK(fd_open(50)); /* nothing was closed */
	CHILD_CHECK(nsu_close_fds(keep, 64) == 0);
	CHILD_CHECK(fd_open(50));
	CHILD_CHECK(nsu_close_fds(keep, 2) == 0);
	CHILD_CHECK(!fd_open(50));
	return 0;
}

START_TEST(close_fds_too_many_keeps)
{
	ck_assert_child_ok(run_in_child(too_many_keeps, NULL));
}
END_TEST

/* ---- nsu_signals_block / nsu_wait_forward ---- */

/* Seconds before a stuck waiter is killed: only a guard against a broken
 * nsu_wait_forward() hanging the suite, never reached when it works. */
#define WATCHDOG 10

/* A pausing child must not outlive a waiter killed by the watchdog. */
static void die_with_parent(void)
{
	pid_t parent = getppid();

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(98);
}

struct fwd_case {
	unsigned int flags;
	int raise[4];     /* signals we send ourselves before waiting (0 ends) */
	int child_exit;   /* >= 0: child exits with it at once; -1: pauses;
			   * -2: kills itself with SIGKILL */
	bool ign_sigchld; /* SIGCHLD ignored before nsu_signals_block() */
	bool child_first; /* let the child exit before we start waiting */
	int expect_exit;  /* -1 if a signal is expected */
	int expect_sig;
};

static int forward_check(void *arg)
{
	const struct fwd_case *c = arg;
	sigset_t old, now;
	pid_t child;
	int ws = -1;

	/* a hang guard, not a timing: a waiter that never returns dies of
	 * SIGALRM (not in the blocked set) and the test reports signal 14 */
	alarm(WATCHDOG);
	if (c->ign_sigchld)
		CHILD_CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	CHILD_CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0);
	CHILD_CHECK(nsu_signals_block(&old) == 0);
	/* *old is the mask from before */
	for (int s = 1; s < 32; s++)
		CHILD_CHECK(sigismember(&old, s) == sigismember(&now, s));
	CHILD_CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0);
	CHILD_CHECK(sigismember(&now, SIGCHLD) && sigismember(&now, SIGTERM) &&
		    sigismember(&now, SIGINT) && sigismember(&now, SIGQUIT) &&
		    sigismember(&now, SIGHUP) && sigismember(&now, SIGUSR1) &&
		    sigismember(&now, SIGUSR2) && sigismember(&now, SIGCONT));
	child = fork();
	CHILD_CHECK(child >= 0);
	if (child == 0) {
		struct rlimit no_core = { 0, 0 };

		die_with_parent();
		setrlimit(RLIMIT_CORE, &no_core);
		if (nsu_signals_restore(&old) < 0)
			_exit(99);
		if (c->child_exit >= 0)
			_exit(c->child_exit);
		if (c->child_exit == -2)
			raise(SIGKILL);
		for (;;)
			pause();
	}
	if (c->child_first) {
		siginfo_t si;

		CHILD_CHECK(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == 0);
	}
	for (int i = 0; i < 4 && c->raise[i]; i++)
		CHILD_CHECK(kill(getpid(), c->raise[i]) == 0);
	CHILD_CHECK(nsu_wait_forward(child, c->flags, &ws) == 0);
	if (c->expect_exit >= 0) {
		if (!WIFEXITED(ws) || WEXITSTATUS(ws) != c->expect_exit) {
			fprintf(stderr, "wait status 0x%x, expected exit %d\n", ws,
				c->expect_exit);
			return 1;
		}
	} else if (!WIFSIGNALED(ws) || WTERMSIG(ws) != c->expect_sig) {
		fprintf(stderr, "wait status 0x%x, expected signal %d\n", ws,
			c->expect_sig);
		return 1;
	}
	/* the child is reaped */
	CHILD_CHECK(waitpid(child, NULL, WNOHANG) < 0 && errno == ECHILD);
	CHILD_CHECK(nsu_signals_restore(&old) == 0);
	CHILD_CHECK(sigprocmask(SIG_SETMASK, NULL, &now) == 0);
	CHILD_CHECK(!sigismember(&now, SIGTERM) && !sigismember(&now, SIGCHLD));
	return 0;
}

static void check_forward(struct fwd_case c)
{
	ck_assert_child_ok(run_in_child(forward_check, &c));
}

START_TEST(wait_exit_status)
{
	check_forward((struct fwd_case){ .child_exit = 7, .expect_exit = 7 });
	check_forward((struct fwd_case){ .child_exit = 0, .expect_exit = 0 });
	check_forward((struct fwd_case){ .child_exit = 255, .expect_exit = 255 });
	/* exited before we started waiting */
	check_forward((struct fwd_case){ .child_exit = 7, .child_first = true,
					 .expect_exit = 7 });
}
END_TEST

START_TEST(wait_killed_child)
{
	check_forward((struct fwd_case){ .child_exit = -2, .expect_exit = -1,
					 .expect_sig = SIGKILL });
}
END_TEST

START_TEST(wait_resets_ignored_sigchld)
{
	/* an inherited SIG_IGN would let the kernel reap the child and lose
	 * its status (rule 19) */
	check_forward((struct fwd_case){ .child_exit = 7, .ign_sigchld = true,
					 .expect_exit = 7 });
}
END_TEST

START_TEST(forward_term_group)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 };

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		check_forward((struct fwd_case){
			.flags = NSU_FWD_TERM, .raise = { sigs[i] },
			.child_exit = -1, .expect_exit = -1,
			.expect_sig = sigs[i] });
}
END_TEST

START_TEST(swallow_int_quit)
{
	/* SIGINT and SIGQUIT (lower numbers, so taken first) are swallowed:
	 * the child dies of the SIGTERM that follows, not of them */
	check_forward((struct fwd_case){
		.flags = NSU_FWD_TERM, .raise = { SIGINT, SIGTERM },
		.child_exit = -1, .expect_exit = -1, .expect_sig = SIGTERM });
	check_forward((struct fwd_case){
		.flags = NSU_FWD_TERM, .raise = { SIGQUIT, SIGINT, SIGUSR1 },
		.child_exit = -1, .expect_exit = -1, .expect_sig = SIGUSR1 });
}
END_TEST

START_TEST(forward_int_quit_when_asked)
{
	check_forward((struct fwd_case){
		.flags = NSU_FWD_TERM | NSU_FWD_INTQUIT, .raise = { SIGINT, SIGTERM },
		.child_exit = -1, .expect_exit = -1, .expect_sig = SIGINT });
	/* without NSU_FWD_TERM, SIGHUP (taken first) is swallowed and the
	 * SIGINT after it reaches the child */
	check_forward((struct fwd_case){
		.flags = NSU_FWD_INTQUIT, .raise = { SIGHUP, SIGINT },
		.child_exit = -1, .expect_exit = -1, .expect_sig = SIGINT });
}
END_TEST

static int not_our_child(void *arg)
{
	sigset_t old;
	int ws = 12345;

	(void)arg;
	CHILD_CHECK(nsu_signals_block(&old) == 0);
	/* our parent is no child of ours: an error, not a hang */
	CHILD_CHECK(nsu_wait_forward(getppid(), 0, &ws) == -ECHILD);
	CHILD_CHECK(ws == 12345);
	return 0;
}

START_TEST(wait_not_a_child)
{
	ck_assert_child_ok(run_in_child(not_our_child, NULL));
}
END_TEST

/* NSU_FWD_STOPS: when the child stops, we stop; continued, we continue
 * the child. The test process plays the shell's job control. */
static int stops_check(void *arg)
{
	sigset_t old;
	pid_t child;
	int ws = -1;

	(void)arg;
	alarm(WATCHDOG);
	CHILD_CHECK(nsu_signals_block(&old) == 0);
	child = fork();
	CHILD_CHECK(child >= 0);
	if (child == 0) {
		die_with_parent();
		nsu_signals_restore(&old);
		raise(SIGSTOP);
		_exit(5); /* only once continued */
	}
	CHILD_CHECK(nsu_wait_forward(child, NSU_FWD_STOPS, &ws) == 0);
	CHILD_CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 5);
	return 0;
}

START_TEST(forward_stops)
{
	pid_t pid;
	int ws;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		reset_signals();
		_exit(stops_check(NULL));
	}
	/* the waiter mirrors its child's stop... */
	ck_assert_int_eq(waitpid(pid, &ws, WUNTRACED), pid);
	ck_assert_msg(WIFSTOPPED(ws), "waiter did not stop: 0x%x", ws);
	ck_assert_int_eq(WSTOPSIG(ws), SIGSTOP);
	/* ...and, continued, continues the child, which then exits 5 */
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert_child_ok(ws);
}
END_TEST

static Suite *run_suite_(void)
{
	Suite *s = suite_create("run");
	TCase *fds = tcase_create("close_fds");
	TCase *wait = tcase_create("wait_forward");

	tcase_add_test(fds, close_fds_keeps_listed);
	tcase_add_test(fds, close_fds_keeps_listed_proc_fallback);
	tcase_add_test(fds, close_fds_keep_nothing);
	tcase_add_test(fds, close_fds_too_many_keeps);
	suite_add_tcase(s, fds);
	tcase_add_test(wait, wait_exit_status);
	tcase_add_test(wait, wait_killed_child);
	tcase_add_test(wait, wait_resets_ignored_sigchld);
	tcase_add_test(wait, forward_term_group);
	tcase_add_test(wait, swallow_int_quit);
	tcase_add_test(wait, forward_int_quit_when_asked);
	tcase_add_test(wait, forward_stops);
	tcase_add_test(wait, wait_not_a_child);
	suite_add_tcase(s, wait);
	return s;
}

int main(void)
{
	return run_suite(run_suite_());
}
