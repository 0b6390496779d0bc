/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* raw-unshare.c - the floor for nsunshare's launch time: unshare(2) of mount,
 * UTS, IPC, net, PID, cgroup and time namespaces, fork(2), exec true, wait. */
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int main(int argc, char **argv)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME;
	char *prog[] = { argc > 1 ? argv[1] : "true", NULL };
	pid_t pid;
	int st;

	if (unshare(flags) < 0) {
		perror("unshare");
		return 125;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 125;
	}
	if (pid == 0) {
		execvp(prog[0], prog);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
