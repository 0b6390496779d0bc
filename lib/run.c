/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run.c - what every tool that runs a program needs: closing inherited fds
 * before exec, and waiting for a child while forwarding signals to it. */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include "nsutil-internal.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int close_fds_proc(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self;

	if (!d)
		return -errno;
	self = dirfd(d);
	while ((e = readdir(d))) {
		uint64_t v;
		bool kept = false;

		if (nsu_parse_u64(e->d_name, strlen(e->d_name), INT32_MAX,
				  false, &v) < 0 || v < 3 || (int)v == self)
			continue;
		for (size_t i = 0; i < n; i++)
			kept |= keep[i] == (int)v;
		if (!kept)
			close((int)v);
	}
	closedir(d);
	return 0;
}

NSU_EXPORT int nsu_close_fds(const int *keep, size_t n)
{
	int sorted[64];
	unsigned int from = 3;

	if (n > ARRAY_SIZE(sorted))
		return -E2BIG;
	if (n)
		memcpy(sorted, keep, n * sizeof(int));
	qsort(sorted, n, sizeof(int), cmp_int);
	/* close the gaps between the kept fds, then everything above */
	for (size_t i = 0; i <= n; i++) {
		unsigned int to = i < n ? (unsigned int)sorted[i] : ~0U;

		if (i < n && sorted[i] < 3)
			continue;
		if (to > from &&
		    syscall(SYS_close_range, from, to == ~0U ? ~0U : to - 1, 0) < 0) {
			if (errno == ENOSYS || errno == EPERM) /* before 5.9, or seccomp */
				return close_fds_proc(keep, n);
			return -errno;
		}
		if (i < n)
			from = to + 1;
	}
	return 0;
}

static void wait_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGCONT);
}

NSU_EXPORT int nsu_signals_block(sigset_t *old)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;

	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap the
	 * child for us and lose its status. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		return -errno;
	wait_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -errno;
	return 0;
}

NSU_EXPORT int nsu_signals_restore(const sigset_t *old)
{
	return sigprocmask(SIG_SETMASK, old, NULL) < 0 ? -errno : 0;
}

/* Reap CHILD if it changed state: 1 when it is gone (status in *ws), 0 when
 * it is still there. */
static int reap(pid_t child, unsigned int flags, int *ws)
{
	for (;;) {
		int st;
		pid_t r = waitpid(child, &st, WNOHANG |
				  ((flags & NSU_FWD_STOPS) ? WUNTRACED : 0));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		if (WIFSTOPPED(st)) {
			/* Mirror the stop to whoever controls us (a shell's
			 * job control), and wake the child when we are
			 * continued. */
			kill(getpid(), SIGSTOP);
			kill(child, SIGCONT);
			continue;
		}
		*ws = st;
		return 1;
	}
}

NSU_EXPORT int nsu_wait_forward(pid_t child, unsigned int flags, int *wstatus)
{
	sigset_t set;
	int r;

	wait_set(&set);
	/* The child may already have exited before we got here. */
	r = reap(child, flags, wstatus);
	while (r == 0) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		switch (sig) {
		case SIGCHLD:
			r = reap(child, flags, wstatus);
			break;
		case SIGTERM:
		case SIGHUP:
		case SIGUSR1:
		case SIGUSR2:
			if (flags & NSU_FWD_TERM)
				kill(child, sig);
			break;
		case SIGINT:
		case SIGQUIT:
			if (flags & NSU_FWD_INTQUIT)
				kill(child, sig);
			break;
		default: /* SIGCONT: handled in reap() */
			break;
		}
	}
	return r < 0 ? r : 0;
}
