/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pidmap.c - translate PIDs between nested PID namespaces: the kernel's
 * NS_GET_PID_FROM_PIDNS / NS_GET_PID_IN_PIDNS where it has them, else the
 * NSpid chains of /proc/PID/status. */
#include <stdio.h>

#include "list-internal.h"

static bool same_ns(const struct nsu_nsent *a, uint64_t dev, uint64_t ino)
{
	return a && a->dev == dev && a->ino == ino;
}

NSU_EXPORT int nsu_pidns_level(struct nsu_nslist *l,
			       const struct nsu_nsent *pidns)
{
	if (!pidns || pidns->type != NSU_NS_PID)
		return -EINVAL;
	/* every process in it has one NSpid entry per level */
	for (size_t i = 0; i < l->ntasks; i++) {
		struct nsu_task *t = l->tasks[i];

		if (t->ns[NSU_NS_PID] != pidns)
			continue;
		if (nsu_task_load(l, t, NSU_PROC_STATUS) < 0)
			continue;
		return t->nlevels - 1;
	}
	return -ENOENT;
}

/* The PID namespace at LEVEL of task T's chain, as (dev, ino). */
static int pidns_at_level(struct nsu_nslist *l, struct nsu_task *t, int level,
			  uint64_t *dev, uint64_t *ino)
{
	struct nsu_nsent *own = t->ns[NSU_NS_PID];
	struct nsu_task *a = t;
	struct nsu_ns *ns;

	if (!own || level >= t->nlevels)
		return -ENOENT;
	if (t->nlevels - 1 == level) {
		*dev = own->dev;
		*ino = own->ino;
		return 0;
	}
	/* ask the kernel: NS_GET_PARENT as many times as levels lie between */
	ns = nsu_nsent_open(l, own);
	if (ns) {
		for (int k = t->nlevels - 1; ns && k > level; k--) {
			struct nsu_ns *p = nsu_ns_parent(ns);

			nsu_ns_free(ns);
			ns = p;
		}
		if (ns) {
			*dev = ns->dev;
			*ino = ns->ino;
			nsu_ns_free(ns);
			return 0;
		}
	}
	/* no namespace files (a fixture tree) or no access: the process's
	 * ancestors were born in the outer namespaces, so the nearest one
	 * living at LEVEL tells which namespace it is */
	for (int n = 0; n < 65536 && a; n++) {
		if (nsu_task_load(l, a, NSU_PROC_STAT | NSU_PROC_STATUS) < 0)
			return -ESRCH;
		if (a->nlevels - 1 == level && a->ns[NSU_NS_PID]) {
			*dev = a->ns[NSU_NS_PID]->dev;
			*ino = a->ns[NSU_NS_PID]->ino;
			return 0;
		}
		if (a->nlevels - 1 < level || a->ppid <= 0)
			break;
		a = nsu_nslist_find_task(l, a->ppid);
	}
	return -ENOENT;
}

NSU_EXPORT int nsu_pid_to_host_scan(struct nsu_nslist *l,
				    const struct nsu_nsent *pidns, pid_t pid)
{
	int level = nsu_pidns_level(l, pidns);

	if (level < 0)
		return level == -ENOENT ? -ESRCH : level;
	if (pid <= 0)
		return -ESRCH;
	for (size_t i = 0; i < l->ntasks; i++) {
		struct nsu_task *t = l->tasks[i];
		uint64_t dev, ino;

		if (nsu_task_load(l, t, NSU_PROC_STATUS) < 0)
			continue;
		if (t->nlevels <= level || t->nspid[level] != pid)
			continue;
		/* the same number may be in use in a sibling namespace */
		if (pidns_at_level(l, t, level, &dev, &ino) == 0 &&
		    same_ns(pidns, dev, ino))
			return t->pid;
	}
	return -ESRCH;
}

NSU_EXPORT int nsu_pid_in_ns_scan(struct nsu_nslist *l,
				  const struct nsu_nsent *pidns, pid_t hostpid)
{
	struct nsu_task *t = nsu_nslist_find_task(l, hostpid);
	uint64_t dev, ino;
	int level, r;

	if (!t)
		return -ESRCH;
	r = nsu_task_load(l, t, NSU_PROC_STATUS);
	if (r < 0)
		return r;
	if (!pidns)
		return t->nspid[t->nlevels - 1];
	level = nsu_pidns_level(l, pidns);
	if (level < 0)
		return level == -ENOENT ? -ESRCH : level;
	if (t->nlevels <= level)
		return -ESRCH;
	r = pidns_at_level(l, t, level, &dev, &ino);
	if (r < 0 || !same_ns(pidns, dev, ino))
		return -ESRCH;
	return t->nspid[level];
}

/* The ioctls translate to and from the *caller's* PID namespace: usable
 * only when that is the proc root's. PROC/self names us there exactly
 * when it is. */
static bool ioctls_apply(struct nsu_nslist *l)
{
	char path[PATH_MAX], buf[32];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self", l->ctx->proc_root);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return atoi(buf) == getpid();
}

static int pid_ioctl(struct nsu_nslist *l, const struct nsu_nsent *pidns,
		     unsigned long req, pid_t pid, bool *fallback)
{
	struct nsu_ns *ns;
	int r;

	*fallback = true;
	if (!ioctls_apply(l))
		return 0;
	ns = nsu_nsent_open(l, pidns);
	if (!ns)
		return 0;
	r = ioctl(ns->fd, req, pid);
	if (r < 0)
		r = -errno;
	nsu_ns_free(ns);
	if (r == -ENOTTY || r == -EINVAL || r == -ENOSYS)
		return 0; /* before Linux 6.11 */
	*fallback = false;
	return r == 0 ? -ESRCH : r;
}

NSU_EXPORT int nsu_pid_to_host(struct nsu_nslist *l,
			       const struct nsu_nsent *pidns, pid_t pid)
{
	bool fallback;
	int r;

	if (!pidns || pidns->type != NSU_NS_PID)
		return -EINVAL;
	r = pid_ioctl(l, pidns, NS_GET_PID_FROM_PIDNS, pid, &fallback);
	if (!fallback)
		return r;
	return nsu_pid_to_host_scan(l, pidns, pid);
}

NSU_EXPORT int nsu_pid_in_ns(struct nsu_nslist *l,
			     const struct nsu_nsent *pidns, pid_t hostpid)
{
	bool fallback;
	int r;

	if (pidns && pidns->type != NSU_NS_PID)
		return -EINVAL;
	if (pidns) {
		r = pid_ioctl(l, pidns, NS_GET_PID_IN_PIDNS, hostpid, &fallback);
		if (!fallback)
			return r;
	}
	return nsu_pid_in_ns_scan(l, pidns, hostpid);
}
