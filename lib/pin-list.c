/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-list.c - every namespace pin in the caller's mount namespace: nsfs
 * mounts from mountinfo (libmount), named when they are registry pins. */
#include <libmount.h>
#include <stdio.h>
#include <sys/stat.h>

#include "nsutil-internal.h"
#include "pin-internal.h"

struct nsu_pin_iter {
	struct nsu_ctx *ctx;
	struct libmnt_table *tb;
	struct libmnt_iter *mi;
	char *regdir;      /* canonical registry path */
	/* current pin */
	const char *path;  /* owned by tb */
	char *name;
	struct nsu_ns *ns;
	int64_t ctime;
	uint64_t mnt_id;
};

NSU_EXPORT struct nsu_pin_iter *nsu_pin_iter_new(struct nsu_ctx *ctx,
						 const char *dir)
{
	struct nsu_pin_iter *it;
	char path[PATH_MAX];
	int e;

	it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->ctx = ctx;
	/* Display only: mountinfo shows canonical paths, so compare with
	 * the canonical registry path; nothing is opened through it. */
	it->regdir = realpath(nsu_pin_dir(dir), NULL);
	if (!it->regdir)
		it->regdir = strdup(nsu_pin_dir(dir));
	snprintf(path, sizeof(path), "%s/self/mountinfo", ctx->proc_root);
	it->tb = mnt_new_table_from_file(path);
	it->mi = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it->regdir || !it->tb || !it->mi) {
		e = it->regdir && it->mi ? (errno ? errno : NSU_EPARSE) : ENOMEM;
		nsu_pin_iter_free(it);
		errno = e;
		return NULL;
	}
	return it;
}

static void clear_current(struct nsu_pin_iter *it)
{
	free(it->name);
	it->name = NULL;
	nsu_ns_free(it->ns);
	it->ns = NULL;
	it->path = NULL;
	it->ctime = 0;
	it->mnt_id = 0;
}

/* NAME if TARGET is REGDIR/NAME/TYPE or REGDIR/.mnt/NAME, else NULL. */
static char *registry_name(const char *regdir, const char *target)
{
	size_t n = strlen(regdir);
	const char *rest, *slash;

	if (strncmp(target, regdir, n) != 0 || target[n] != '/')
		return NULL;
	rest = target + n + 1;
	slash = strchr(rest, '/');
	if (!slash || strchr(slash + 1, '/'))
		return NULL;
	if ((size_t)(slash - rest) == strlen(NSU_PIN_MNT_SUBDIR) &&
	    strncmp(rest, NSU_PIN_MNT_SUBDIR, (size_t)(slash - rest)) == 0)
		return nsu_pin_name_valid(slash + 1) == 0 ? strdup(slash + 1) : NULL;
	if (nsu_nstype_from_name(slash + 1) < 0 ||
	    strcmp(nsu_nstype_name(nsu_nstype_from_name(slash + 1)), slash + 1))
		return NULL;
	{
		char *name = strndup(rest, (size_t)(slash - rest));

		if (name && nsu_pin_name_valid(name) < 0) {
			free(name);
			name = NULL;
		}
		return name;
	}
}

static int64_t name_ctime(const char *regdir, const char *name)
{
	struct statx stx;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", regdir, name);
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW,
		  STATX_BTIME | STATX_MTIME, &stx) < 0)
		return 0;
	if (stx.stx_mask & STATX_BTIME)
		return stx.stx_btime.tv_sec;
	return stx.stx_mtime.tv_sec;
}

NSU_EXPORT int nsu_pin_iter_next(struct nsu_pin_iter *it)
{
	struct libmnt_fs *fs;

	clear_current(it);
	while (mnt_table_next_fs(it->tb, it->mi, &fs) == 0) {
		const char *fstype = mnt_fs_get_fstype(fs);
		const char *target = mnt_fs_get_target(fs);
		bool root = false;
		uint64_t id = 0;
		int fd;

		if (!fstype || strcmp(fstype, "nsfs") != 0 || !target)
			continue;
		fd = open(target, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
			  O_NONBLOCK);
		if (fd < 0)
			continue;
		/* The path must lead to this very mount (not to one stacked on
		 * top, nor to something that replaced it). */
		if (nsu_mount_facts(fd, NULL, &root, &id) < 0 || !root ||
		    (id && id != (uint64_t)mnt_fs_get_id(fs))) {
			close(fd);
			continue;
		}
		it->ns = nsu_ns_from_fd(it->ctx, fd, -1);
		if (!it->ns) {
			close(fd);
			continue;
		}
		it->path = target;
		it->mnt_id = (uint64_t)mnt_fs_get_id(fs);
		it->name = registry_name(it->regdir, target);
		if (it->name)
			it->ctime = name_ctime(it->regdir, it->name);
		return 1;
	}
	return 0;
}

NSU_EXPORT const char *nsu_pin_iter_path(const struct nsu_pin_iter *it)
{
	return it->path;
}

NSU_EXPORT const char *nsu_pin_iter_name(const struct nsu_pin_iter *it)
{
	return it->name;
}

NSU_EXPORT const struct nsu_ns *nsu_pin_iter_ns(const struct nsu_pin_iter *it)
{
	return it->ns;
}

NSU_EXPORT int64_t nsu_pin_iter_ctime(const struct nsu_pin_iter *it)
{
	return it->ctime;
}

NSU_EXPORT uint64_t nsu_pin_iter_mount_id(const struct nsu_pin_iter *it)
{
	return it->mnt_id;
}

NSU_EXPORT void nsu_pin_iter_free(struct nsu_pin_iter *it)
{
	if (!it)
		return;
	clear_current(it);
	mnt_free_iter(it->mi);
	mnt_unref_table(it->tb);
	free(it->regdir);
	free(it);
}
