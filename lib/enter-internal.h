/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* enter-internal.h - the join plan's private state (enter.c), shared with
 * its unit tests. */
#ifndef NSU_ENTER_INTERNAL_H
#define NSU_ENTER_INTERNAL_H

#include "nsutil-internal.h"

struct nsu_enter {
	struct nsu_ctx *ctx;
	int pidfd;              /* the target, or -1 */
	pid_t pid;              /* the PID the pidfd was opened from */
	struct nsu_ns *ns[NSU_NS_COUNT]; /* what to join, per type */
	int mask;               /* CLONE_NEW* of the types in the plan */
	int from_target;        /* ... of those that are the target's own */
	int failed_type;        /* type of the last failure, or -1 */
	bool used_pidfd;        /* joined with one setns(pidfd, mask) */
};

/* The directory of cgroup CGPATH (a path as in /proc/PID/cgroup, relative
 * to our cgroup namespace's root) under the first cgroup2 mount in
 * MOUNTINFO whose root contains it. A malloc'd path in *dir; 0, -ENOENT
 * (no cgroup2 mount) or -EXDEV (the cgroup is not visible under any). */
int nsu_cgroup2_dir(const char *mountinfo, const char *cgpath, char **dir);
/* The cgroup v2 path ("0::PATH" line) in the text of /proc/PID/cgroup, as
 * a malloc'd string in *path. 0 or -NSU_ENOTSUPP (no v2 line). */
int nsu_cgroup2_parse(const char *text, char **path);

#endif
