/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nstype.c - the one table of namespace types; every other name, flag and
 * option letter in nsutil derives from it. */
#include <sched.h>
#include <stdio.h>

#include "nsutil-internal.h"

/* Indexed by enum nsu_nstype (designated initializers, so the enum order and
 * the table can never drift apart). Masks of types are always CLONE_NEW*
 * flags, never bit positions in this array. */
static const struct nsu_nstype_info nstypes[NSU_NS_COUNT] = {
	[NSU_NS_MNT] = { "mnt", "mount", 'm', CLONE_NEWNS, NULL, "2.4.19",
			 PIDFD_GET_MNT_NAMESPACE, 0 },
	[NSU_NS_UTS] = { "uts", "uts", 'u', CLONE_NEWUTS, NULL, "2.6.19",
			 PIDFD_GET_UTS_NAMESPACE, 0 },
	[NSU_NS_IPC] = { "ipc", "ipc", 'i', CLONE_NEWIPC, NULL, "2.6.19",
			 PIDFD_GET_IPC_NAMESPACE, 0 },
	[NSU_NS_NET] = { "net", "net", 'n', CLONE_NEWNET, NULL, "2.6.24",
			 PIDFD_GET_NET_NAMESPACE, 0 },
	[NSU_NS_PID] = { "pid", "pid", 'p', CLONE_NEWPID, "pid_for_children",
			 "2.6.24", PIDFD_GET_PID_NAMESPACE,
			 PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE },
	[NSU_NS_USER] = { "user", "user", 'U', CLONE_NEWUSER, NULL, "3.8",
			  PIDFD_GET_USER_NAMESPACE, 0 },
	[NSU_NS_CGROUP] = { "cgroup", "cgroup", 'C', CLONE_NEWCGROUP, NULL,
			    "4.6", PIDFD_GET_CGROUP_NAMESPACE, 0 },
	[NSU_NS_TIME] = { "time", "time", 'T', CLONE_NEWTIME,
			  "time_for_children", "5.6", PIDFD_GET_TIME_NAMESPACE,
			  PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE },
};

const struct nsu_nstype_info *nsu_nstype_info(enum nsu_nstype type)
{
	if ((unsigned int)type >= NSU_NS_COUNT)
		return NULL;
	return &nstypes[type];
}

NSU_EXPORT const char *nsu_nstype_name(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->name : NULL;
}

NSU_EXPORT const char *nsu_nstype_long_option(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->long_option : NULL;
}

NSU_EXPORT int nsu_nstype_short_option(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->short_option : 0;
}

NSU_EXPORT int nsu_nstype_flag(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->flag : 0;
}

NSU_EXPORT const char *nsu_nstype_proc_entry(enum nsu_nstype type)
{
	/* The /proc/PID/ns entry names are the short names. */
	return nsu_nstype_name(type);
}

NSU_EXPORT const char *nsu_nstype_children_entry(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->children : NULL;
}

NSU_EXPORT const char *nsu_nstype_since(enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	return i ? i->since : NULL;
}

static int from_name_len(const char *name, size_t len)
{
	if (len == 0)
		return -NSU_EBADTYPE;
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		const struct nsu_nstype_info *i = &nstypes[t];
		/* exact words only: "n" or "ne" never mean "net" */
		if ((strlen(i->name) == len && memcmp(i->name, name, len) == 0) ||
		    (strlen(i->long_option) == len &&
		     memcmp(i->long_option, name, len) == 0))
			return t;
	}
	return -NSU_EBADTYPE;
}

NSU_EXPORT int nsu_nstype_from_name(const char *name)
{
	if (!name)
		return -NSU_EBADTYPE;
	return from_name_len(name, strlen(name));
}

NSU_EXPORT int nsu_nstype_from_flag(int flag)
{
	for (int t = 0; t < NSU_NS_COUNT; t++)
		if (nstypes[t].flag == flag)
			return t;
	return -NSU_EBADTYPE;
}

NSU_EXPORT int nsu_nstype_parse_list(const char *list, int *mask,
				     size_t *bad_offset)
{
	int m = 0;
	const char *p = list;

	if (!list || !mask)
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(p, ",");
		int t;

		if (len == 3 && memcmp(p, "all", 3) == 0) {
			for (t = 0; t < NSU_NS_COUNT; t++)
				m |= nstypes[t].flag;
		} else {
			t = from_name_len(p, len);
			if (t < 0) {
				if (bad_offset)
					*bad_offset = (size_t)(p - list);
				return t;
			}
			m |= nstypes[t].flag;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*mask = m;
	return 0;
}

static void probe_supported(struct nsu_ctx *ctx)
{
	char path[64];
	int m = 0;

	/* The kernel's own view of this process: /proc/self/ns lists exactly
	 * the types it was built with. Not the injectable proc root, which is
	 * for reading other processes' data. */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nstypes[t].name);
		if (access(path, F_OK) == 0)
			m |= nstypes[t].flag;
	}
	ctx->supported_mask = m;
}

NSU_EXPORT int nsu_nstype_supported_mask(struct nsu_ctx *ctx)
{
	if (ctx->supported_mask < 0)
		probe_supported(ctx);
	return ctx->supported_mask;
}

NSU_EXPORT int nsu_nstype_supported(struct nsu_ctx *ctx, enum nsu_nstype type)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);

	if (!i)
		return 0;
	return (nsu_nstype_supported_mask(ctx) & i->flag) ? 1 : 0;
}
