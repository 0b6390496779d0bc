/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin.c - the pin registry: names, layout, symlink-free lookups, opening
 * pinned namespaces, and the status object of the write side. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "config.h"
#include "nsutil-internal.h"
#include "pin-internal.h"

NSU_EXPORT const char *nsu_pin_default_dir(void)
{
	return NSU_PIN_DIR;
}

const char *nsu_pin_dir(const char *dir)
{
	return (dir && *dir) ? dir : NSU_PIN_DIR;
}

NSU_EXPORT int nsu_pin_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strlen(name);
	/* The registry's own entries are not names. */
	if (len == 0 || len > NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || strcmp(name, NSU_PIN_MNT_SUBDIR) == 0 ||
	    strcmp(name, NSU_PIN_LOCK_FILE) == 0)
		return -EINVAL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return -EINVAL;
	return 0;
}

/* ---- symlink-free resolution and mount facts ---- */

struct nsu_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

static int open_dir_walk(int dirfd, const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	_cleanup_close_ int fd = -1;
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	fd = openat(dirfd, path[0] == '/' ? "/" : ".",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (char *c = strtok_r(copy, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				  O_CLOEXEC);

		if (next < 0) {
			struct stat s;
			int e = errno;

			/* O_DIRECTORY|O_NOFOLLOW says ENOTDIR for a symlink:
			 * report it as openat2 would */
			if ((e == ENOTDIR || e == ELOOP) &&
			    fstatat(fd, c, &s, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(s.st_mode))
				e = ELOOP;
			return -e;
		}
		close(fd);
		fd = next;
	}
	return nsu_steal_fd(&fd);
}

int nsu_open_dir_nofollow(int dirfd, const char *path)
{
	struct nsu_open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	int fd;

	if (!path || !*path)
		return -ENOENT;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	/* ENOSYS: before 5.6; E2BIG/EINVAL: a seccomp filter or an older
	 * struct. Fall back to one O_NOFOLLOW open per component. */
	if (errno == ENOSYS || errno == E2BIG || errno == EPERM)
		return open_dir_walk(dirfd, path);
	return -errno;
}

int nsu_mount_facts(int dirfd, const char *name, bool *is_root,
		    uint64_t *mnt_id)
{
	struct statx stx;
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

	if (!name || !*name) {
		name = "";
		flags |= AT_EMPTY_PATH;
	}
	if (statx(dirfd, name, flags, STATX_MNT_ID, &stx) < 0)
		return -errno;
	if (is_root) {
		/* STATX_ATTR_MOUNT_ROOT is 5.8+: without it we cannot tell,
		 * and saying "not a mount" is the safe answer for remove. */
		if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
			return -NSU_ENOTSUPP;
		*is_root = (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	}
	if (mnt_id)
		*mnt_id = (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0;
	return 0;
}

int nsu_fd_is_pin(int fd)
{
	struct statfs sfs;
	bool root = false;
	int r;

	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	if ((unsigned long)sfs.f_type != NSFS_MAGIC)
		return 0;
	/* Reached by a path that is not a /proc magic link (our callers open
	 * with O_NOFOLLOW), an nsfs file can only be the root of a bind
	 * mount; statx says so itself from 5.8 on. */
	r = nsu_mount_facts(fd, NULL, &root, NULL);
	if (r == -NSU_ENOTSUPP)
		return 1;
	if (r < 0)
		return r;
	return root ? 1 : 0;
}

/* ---- read side ---- */

/* Open the registry entry of TYPE for NAME: DIR/NAME/TYPE, or
 * DIR/.mnt/NAME for a mount namespace. */
static int open_entry(const char *dir, const char *name, enum nsu_nstype type,
		      int flags)
{
	_cleanup_close_ int dfd = -1, sub = -1;
	const char *tname = nsu_nstype_name(type);
	int fd;

	if (!tname)
		return -EINVAL;
	if (nsu_pin_name_valid(name) < 0)
		return -EINVAL;
	dfd = nsu_open_dir_nofollow(AT_FDCWD, nsu_pin_dir(dir));
	if (dfd < 0)
		return dfd;
	if (type == NSU_NS_MNT) {
		sub = openat(dfd, NSU_PIN_MNT_SUBDIR, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
		fd = sub < 0 ? -1 : openat(sub, name, flags | O_NOFOLLOW |
					   O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR))
			return fd < 0 ? -errno : fd;
		/* DIR/NAME/mnt: a mount pin made by hand or by a tool that
		 * does not know the private sub-directory */
		if (sub >= 0)
			close(sub);
	}
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	fd = openat(sub, tname, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
		    O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

NSU_EXPORT struct nsu_ns *nsu_pin_open(struct nsu_ctx *ctx, const char *dir,
				       const char *name, enum nsu_nstype type)
{
	struct nsu_ns *ns;
	int fd;

	if (!nsu_nstype_name(type)) {
		errno = EINVAL;
		return NULL;
	}
	fd = open_entry(dir, name, type, O_RDONLY);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	ns = nsu_ns_from_fd(ctx, fd, (int)type);
	if (!ns) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return ns;
}

NSU_EXPORT int nsu_pin_types(struct nsu_ctx *ctx, const char *dir,
			     const char *name, int *mask)
{
	_cleanup_close_ int dfd = -1, sub = -1;
	int m = 0;

	if (nsu_pin_name_valid(name) < 0)
		return -EINVAL;
	dfd = nsu_open_dir_nofollow(AT_FDCWD, nsu_pin_dir(dir));
	if (dfd < 0)
		return dfd;
	/* every name has its directory, even one with only a mount pin */
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *ns = nsu_pin_open(ctx, dir, name, t);

		if (ns) {
			m |= nsu_nstype_flag(t);
			nsu_ns_free(ns);
		}
	}
	*mask = m;
	return 0;
}

/* ---- status ---- */

NSU_EXPORT struct nsu_pin_status *nsu_pin_status_new(void)
{
	struct nsu_pin_status *st = calloc(1, sizeof(*st));

	if (st)
		st->type = -1;
	return st;
}

NSU_EXPORT void nsu_pin_status_free(struct nsu_pin_status *st)
{
	if (!st)
		return;
	free(st->path);
	free(st->holders);
	free(st->elsewhere);
	free(st);
}

int nsu_pin_fail(struct nsu_pin_status *st, enum nsu_pin_result result,
		 int err, int type, const char *dir, const char *sub)
{
	if (!st || st->result != NSU_PIN_OK)
		return err; /* the first failure is the one to report */
	st->result = result;
	st->err = err;
	st->type = type;
	free(st->path);
	st->path = NULL;
	if (dir && sub) {
		if (asprintf(&st->path, "%s/%s", dir, sub) < 0)
			st->path = NULL;
	} else if (dir || sub) {
		st->path = strdup(dir ? dir : sub);
	}
	return err;
}

NSU_EXPORT enum nsu_pin_result nsu_pin_status_result(const struct nsu_pin_status *st)
{
	return st->result;
}

NSU_EXPORT int nsu_pin_status_error(const struct nsu_pin_status *st)
{
	return st->err;
}

NSU_EXPORT int nsu_pin_status_type(const struct nsu_pin_status *st)
{
	return st->type;
}

NSU_EXPORT const char *nsu_pin_status_path(const struct nsu_pin_status *st)
{
	return st->path;
}

NSU_EXPORT const char *nsu_pin_status_holders(const struct nsu_pin_status *st)
{
	return st->holders;
}

NSU_EXPORT const char *nsu_pin_status_elsewhere(const struct nsu_pin_status *st)
{
	return st->elsewhere;
}

NSU_EXPORT int nsu_pin_status_mntns_ids(const struct nsu_pin_status *st,
					uint64_t *self_id, uint64_t *ns_id)
{
	if (st->result != NSU_PIN_ERR_MNTNS_ORDER)
		return -ENOENT;
	*self_id = st->self_mntns_id;
	*ns_id = st->ns_mntns_id;
	return 0;
}
