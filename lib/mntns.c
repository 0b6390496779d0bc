/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mntns.c - mount namespaces with an id the kernel's loop check accepts. */
#include <sched.h>

#include "nsutil-internal.h"

static int self_mntns_id(uint64_t *id)
{
	_cleanup_close_ int fd = -1;

	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, NS_GET_MNTNS_ID, id) < 0)
		return (errno == ENOTTY || errno == EINVAL) ? -NSU_ENOTSUPP : -errno;
	return 0;
}

NSU_EXPORT int nsu_mntns_self_id(struct nsu_ctx *ctx, uint64_t *id)
{
	return self_mntns_id(id);
}

NSU_EXPORT int nsu_mntns_unshare_newer(struct nsu_ctx *ctx, uint64_t min_id)
{
	cpu_set_t saved, one;
	uint64_t id;
	int r, tries = 0;

	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	r = self_mntns_id(&id);
	if (r < 0)
		return r;
	if (id > min_id)
		return 0;
	nsu_dbg(ctx, "mount namespace id %llu is not above %llu, retrying",
		(unsigned long long)id, (unsigned long long)min_id);

	/* Each CPU hands out ids from its own batch: try the others, then keep
	 * going round until some CPU's batch is newer (a fresh batch always
	 * is). Bounded: one batch is at most a few thousand ids. */
	if (sched_getaffinity(0, sizeof(saved), &saved) < 0)
		return -errno;
	r = -EAGAIN;
	while (tries < 100000 && r == -EAGAIN) {
		for (int cpu = 0; cpu < CPU_SETSIZE && r == -EAGAIN; cpu++) {
			if (!CPU_ISSET(cpu, &saved))
				continue;
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			if (sched_setaffinity(0, sizeof(one), &one) < 0)
				continue;
			tries++;
			if (unshare(CLONE_NEWNS) < 0) {
				r = -errno;
				break;
			}
			if (self_mntns_id(&id) == 0 && id > min_id)
				r = 0;
		}
	}
	if (sched_setaffinity(0, sizeof(saved), &saved) < 0 && r == 0)
		r = -errno;
	return r;
}
