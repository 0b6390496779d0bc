/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* raw-setns.c - the floor for nsenter2's benchmark: the fewest syscalls that
 * do what `nsenter2 -t PID -a true` does (pidfd_open, one setns(pidfd, all),
 * fork, exec true, wait). No checks, no hygiene: a yardstick, not a tool. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

int main(int argc, char **argv)
{
	int mask = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		   CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;
	int pidfd, ws;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: raw-setns PID PROGRAM [ARGS...]\n");
		return 125;
	}
	pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0 || setns(pidfd, mask) < 0) {
		perror("raw-setns");
		return 125;
	}
	child = fork();
	if (child == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &ws, 0) < 0)
		return 125;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 125;
}
