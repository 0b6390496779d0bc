/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsload.c - benchmark load for nslist: N sleeping processes in N/100 groups,
 * each group in fresh mnt, uts, ipc, net, pid and cgroup namespaces (every
 * 4th group also a user namespace). Processes are forked, never exec'd, so
 * 20,000 start in seconds. Prints "ready N" when all run; everything dies
 * when stdin closes or on SIGTERM/SIGINT (each process has a parent-death
 * signal). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define GROUP 100

static void die_child(void)
{
	for (;;)
		pause();
}

/* A group leader: new namespaces, then GROUP-1 children that land in its new
 * PID namespace (the first one is that namespace's init). Writes one byte to
 * READY_FD when all are forked. */
static void group(int idx, int nproc, int ready_fd)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWPID | CLONE_NEWCGROUP;

	if (idx % 4 == 0)
		flags |= CLONE_NEWUSER;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(flags) < 0) {
		fprintf(stderr, "nsload: group %d: unshare: %s\n", idx, strerror(errno));
		_exit(1);
	}
	for (int i = 1; i < nproc; i++) {
		pid_t p = fork();

		if (p < 0) {
			fprintf(stderr, "nsload: group %d: fork: %s\n", idx, strerror(errno));
			_exit(1);
		}
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			die_child();
		}
	}
	if (write(ready_fd, "x", 1) != 1)
		_exit(1);
	close(ready_fd);
	/* the leader counts as the group's 100th process */
	die_child();
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2500;
	int groups, pfd[2];
	pid_t *leaders;
	char c;

	if (n < GROUP || n > 1000000) {
		fprintf(stderr, "usage: nsload N (N >= %d)\n", GROUP);
		return 2;
	}
	groups = (int)((n + GROUP - 1) / GROUP);
	leaders = calloc((size_t)groups, sizeof(*leaders));
	if (!leaders || pipe2(pfd, O_CLOEXEC) < 0)
		return 1;
	for (int g = 0; g < groups; g++) {
		int nproc = (int)(g == groups - 1 ? n - (long)g * GROUP : GROUP);

		leaders[g] = fork();
		if (leaders[g] < 0) {
			perror("nsload: fork");
			return 1;
		}
		if (leaders[g] == 0) {
			close(pfd[0]);
			group(g, nproc, pfd[1]);
		}
	}
	close(pfd[1]);
	for (int g = 0; g < groups; g++)
		if (read(pfd[0], &c, 1) != 1) {
			fprintf(stderr, "nsload: a group failed to start\n");
			return 1;
		}
	printf("ready %ld\n", n);
	fflush(stdout);
	/* run until stdin closes (or a signal kills us: the parent-death
	 * signals take everything down) */
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	for (int g = 0; g < groups; g++)
		kill(leaders[g], SIGKILL);
	for (int g = 0; g < groups; g++)
		waitpid(leaders[g], NULL, 0);
	return 0;
}
