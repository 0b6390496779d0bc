/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.c - text for the library's error codes and hints for kernel errors. */
#include <string.h>

#include "nsutil-internal.h"

static const char *const messages[NSU_ERR_MAX - NSU_ERR_BASE] = {
	[NSU_ENOTNS - NSU_ERR_BASE] = "not a namespace file",
	[NSU_EWRONGTYPE - NSU_ERR_BASE] = "namespace of another type",
	[NSU_EREPLACED - NSU_ERR_BASE] = "target exited or was replaced",
	[NSU_EBADPID - NSU_ERR_BASE] = "invalid PID",
	[NSU_EBADTYPE - NSU_ERR_BASE] = "unknown namespace type",
	[NSU_ENOTSUPP - NSU_ERR_BASE] = "not supported by this kernel",
	[NSU_EMAPSYNTAX - NSU_ERR_BASE] = "malformed ID map",
	[NSU_EMAPCOUNT - NSU_ERR_BASE] = "ID map range with a count of 0",
	[NSU_EMAPOVERFLOW - NSU_ERR_BASE] = "ID map range past 2^32",
	[NSU_EMAPOVERLAP - NSU_ERR_BASE] = "overlapping ID map ranges",
	[NSU_EMAPTOOMANY - NSU_ERR_BASE] = "more than 340 ID map lines",
	[NSU_ENOSUBIDS - NSU_ERR_BASE] = "no subordinate ID range for this user",
	[NSU_ENOUSER - NSU_ERR_BASE] = "no such user or group",
	[NSU_EPARSE - NSU_ERR_BASE] = "unexpected format in a kernel file",
	[NSU_ENOTJOINED - NSU_ERR_BASE] = "namespace not entered as requested",
};

/* |err| without the overflow of -INT_MIN (no errno is that large). */
static int abs_err(int err)
{
	if (err == INT_MIN)
		return INT_MAX;
	return err < 0 ? -err : err;
}

NSU_EXPORT const char *nsu_strerror(int err)
{
	int e = abs_err(err);

	if (e > NSU_ERR_BASE && e < NSU_ERR_MAX && messages[e - NSU_ERR_BASE])
		return messages[e - NSU_ERR_BASE];
	if (e == 0)
		return "success";
	/* strerror() with glibc returns static strings for known codes and
	 * "Unknown error N" for the rest. */
	return strerror(e);
}

NSU_EXPORT const char *nsu_hint(enum nsu_op op, int nstype, int err)
{
	int e = abs_err(err);

	switch (op) {
	case NSU_OP_UNSHARE:
		if (e == ENOSPC && nstype == NSU_NS_USER)
			return "user namespace limit reached: check user.max_user_namespaces, or the nesting depth (32)";
		if (e == ENOSPC)
			return "namespace limit reached: check the user.max_*_namespaces sysctls";
		if (e == EINVAL && nstype == NSU_NS_TIME)
			return "this kernel or its configuration lacks time namespaces (CONFIG_TIME_NS)";
		if (e == EINVAL)
			return "this kernel or its configuration lacks this namespace type";
		if (e == EPERM && nstype == NSU_NS_USER)
			return "unprivileged user namespaces may be disabled (kernel.unprivileged_userns_clone, user.max_user_namespaces) or restricted (AppArmor, seccomp)";
		if (e == EPERM)
			return "creating this namespace needs CAP_SYS_ADMIN (run as root, or add --user)";
		if (e == EUSERS)
			return "user namespace nesting limit (32) reached";
		break;
	case NSU_OP_WRITE_MAP:
		if (e == EPERM)
			return "the kernel refused the map: unprivileged user namespaces may be disabled or restricted, the outer IDs may not be yours, or setgroups must be denied first";
		if (e == EINVAL)
			return "the kernel rejected the map (overlapping or out-of-range IDs)";
		break;
	case NSU_OP_SETNS:
		if (e == EPERM)
			return "joining needs CAP_SYS_ADMIN in the namespace's owning user namespace";
		if (e == EINVAL && nstype == NSU_NS_USER)
			return "a multithreaded process cannot join a user namespace, nor one it is already in";
		if (e == EINVAL)
			return "the namespace cannot be joined from here (e.g. a PID namespace that is not a descendant)";
		break;
	case NSU_OP_OPEN:
		if (-err == NSU_ENOTNS || e == NSU_ENOTNS)
			return "the path is not a namespace file; is it a stale pin whose mount is gone?";
		if (e == ENOENT)
			return "no such file, or the process has exited";
		if (e == EACCES || e == EPERM)
			return "reading another user's namespaces needs root or ptrace access";
		break;
	case NSU_OP_PIN:
		if (e == EINVAL && nstype == NSU_NS_MNT)
			return "a mount namespace can only be pinned on a file whose parent mount is not shared, and only from an older mount namespace";
		if (e == EINVAL)
			return "the target file is not suitable for a bind mount";
		if (e == EEXIST)
			return "the pin already exists";
		break;
	case NSU_OP_UNPIN:
		if (e == EBUSY)
			return "the pin is still mounted in another mount namespace";
		if (e == EINVAL)
			return "the path is not a mount point";
		break;
	}
	return NULL;
}
