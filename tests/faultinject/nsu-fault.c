/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsu-fault.c - run a command with chosen syscalls failing, to make a new
 * kernel look old: a seccomp filter returns an errno for each named fault.
 *
 *   nsu-fault FAULT=ERRNO[,FAULT=ERRNO...] -- COMMAND [ARGS...]
 *
 * The filter is inherited by every child and survives exec, so the whole
 * tool under test (and what it runs) sees the old kernel. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsutil-internal.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

enum kind { BY_NR, BY_IOCTL, BY_IOCTL_TYPE, BY_FLAG, BY_SETNS_MASK };

struct fault {
	const char *name;
	enum kind kind;
	long nr;            /* syscall */
	uint32_t value;     /* ioctl request, ioctl type byte, or flag */
};

static const struct fault faults[] = {
	{ "pidfd_open", BY_NR, SYS_pidfd_open, 0 },
	{ "close_range", BY_NR, SYS_close_range, 0 },
	{ "openat2", BY_NR, SYS_openat2, 0 },
	{ "open_tree", BY_NR, SYS_open_tree, 0 },
	{ "move_mount", BY_NR, SYS_move_mount, 0 },
	{ "clone3", BY_NR, SYS_clone3, 0 },
	{ "ns_get_id", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_ID },
	{ "ns_get_mntns_id", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_MNTNS_ID },
	{ "ns_get_pid_from_pidns", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_PID_FROM_PIDNS },
	{ "ns_get_tgid_from_pidns", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_TGID_FROM_PIDNS },
	{ "ns_get_pid_in_pidns", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_PID_IN_PIDNS },
	{ "ns_get_tgid_in_pidns", BY_IOCTL, SYS_ioctl, (uint32_t)NS_GET_TGID_IN_PIDNS },
	/* every PIDFD_GET_*_NAMESPACE ioctl (type byte 0xFF, nr 1..10) */
	{ "pidfd_get_namespace", BY_IOCTL_TYPE, SYS_ioctl, NSU_PIDFS_IOCTL_MAGIC },
	{ "unshare_time", BY_FLAG, SYS_unshare, CLONE_NEWTIME },
	/* setns() given a mask of several types: only a pidfd takes that */
	{ "setns_pidfd", BY_SETNS_MASK, SYS_setns, 0 },
};

static const struct { const char *name; int err; } errnos[] = {
	{ "ENOSYS", ENOSYS }, { "EPERM", EPERM }, { "EINVAL", EINVAL },
	{ "ENOTTY", ENOTTY }, { "EACCES", EACCES }, { "ENOSPC", ENOSPC },
};

#define MAX_INSNS 512
static struct sock_filter prog[MAX_INSNS];
static unsigned int len;

static void emit(struct sock_filter f)
{
	if (len == MAX_INSNS) {
		fprintf(stderr, "nsu-fault: too many faults\n");
		exit(125);
	}
	prog[len++] = f;
}

#define LD_NR() emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)))
#define LD_ARG_LO(i) emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i])))
#define RET(v) emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v)))

/* if (A == k) fall through else skip N */
#define JNE(k, n) emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), 0, (n)))

static void add_rule(const struct fault *f, int err)
{
	uint32_t ret = SECCOMP_RET_ERRNO | ((uint32_t)err & SECCOMP_RET_DATA);
	const int singles[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC,
		CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWCGROUP,
		CLONE_NEWTIME };

	LD_NR();
	switch (f->kind) {
	case BY_NR:
		JNE((uint32_t)f->nr, 1);
		RET(ret);
		break;
	case BY_IOCTL:
		JNE((uint32_t)f->nr, 3);
		LD_ARG_LO(1);
		JNE(f->value, 1);
		RET(ret);
		break;
	case BY_IOCTL_TYPE:
		/* _IOC_TYPE is bits 8..15 of the request */
		JNE((uint32_t)f->nr, 4);
		LD_ARG_LO(1);
		emit((struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff00));
		JNE(f->value << 8, 1);
		RET(ret);
		break;
	case BY_FLAG:
		JNE((uint32_t)f->nr, 3);
		LD_ARG_LO(0);
		emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, f->value, 0, 1));
		RET(ret);
		break;
	case BY_SETNS_MASK:
		/* allow nstype 0 and each single type; fail any other mask */
		JNE((uint32_t)f->nr, 1 + 1 + 8 + 1);
		LD_ARG_LO(1);
		emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 9, 0));
		for (unsigned int i = 0; i < 8; i++)
			emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					(uint32_t)singles[i], 8 - i, 0));
		RET(ret);
		break;
	}
}

static int parse_rules(char *spec)
{
	char *save = NULL;
	int n = 0;

	for (char *r = strtok_r(spec, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(r, '=');
		const struct fault *f = NULL;
		int err = -1;

		if (!eq)
			return -1;
		*eq = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(faults); i++)
			if (strcmp(faults[i].name, r) == 0)
				f = &faults[i];
		for (size_t i = 0; i < ARRAY_SIZE(errnos); i++)
			if (strcmp(errnos[i].name, eq + 1) == 0)
				err = errnos[i].err;
		if (!f || err < 0) {
			fprintf(stderr, "nsu-fault: unknown fault or errno: %s=%s\n",
				r, eq + 1);
			return -1;
		}
		add_rule(f, err);
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct sock_fprog fprog;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: nsu-fault FAULT=ERRNO[,...] -- COMMAND [ARGS...]\nfaults:");
		for (size_t i = 0; i < ARRAY_SIZE(faults); i++)
			fprintf(stderr, " %s", faults[i].name);
		fputc('\n', stderr);
		return 125;
	}
	/* wrong architecture: let it through unfiltered would be a silent
	 * pass, so kill instead */
	emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
	RET(SECCOMP_RET_KILL_PROCESS);
	if (parse_rules(argv[1]) < 0)
		return 125;
	RET(SECCOMP_RET_ALLOW);

	fprog.len = (unsigned short)len;
	fprog.filter = prog;
	/* root needs no no_new_privs, and must not set it: newuidmap is
	 * set-uid and would lose its powers */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("nsu-fault: PR_SET_NO_NEW_PRIVS");
		return 125;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0) {
		perror("nsu-fault: seccomp");
		return 125;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "nsu-fault: %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
