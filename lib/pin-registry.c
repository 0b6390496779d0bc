/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-registry.c - the registry directory: its own shared mount with a
 * private sub-directory for mount namespaces, set up once under a lock;
 * and the mount helpers the write and remove sides share. */
#include <inttypes.h>
#include <libmount.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#include "nsutil-internal.h"
#include "pin-internal.h"

/* Unmount DIRFD/ENTRY (ENTRY itself not followed) without holding a
 * reference to the mount, which would make it busy. The directory is
 * named through its magic link, so it is the one we opened and checked. */
int nsu_pin_umount_at(int dirfd, const char *entry, int flags)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, entry);
	return umount2(p, flags | UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------ */
/* Mount helpers                                                      */
/* ------------------------------------------------------------------ */

/* Bind the file or directory FROM (an fd) onto TO (an fd): open_tree +
 * move_mount where the kernel has them (5.2+), else mount(2) through the
 * /proc/self/fd magic links. Neither follows a path that could have been
 * swapped for a symlink since we opened it. */
int nsu_pin_bind_fd(int from, int to)
{
	_cleanup_close_ int tree = -1;
	char src[64], dst[64];

	tree = (int)syscall(SYS_open_tree, from, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree >= 0) {
		if (syscall(SYS_move_mount, tree, "", to, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0)
			return 0;
		return -errno;
	}
	if (errno != ENOSYS)
		return -errno;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", from);
	snprintf(dst, sizeof(dst), "/proc/self/fd/%d", to);
	return mount(src, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

static int set_propagation(int fd, unsigned long flag)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return mount(NULL, p, NULL, flag, NULL) < 0 ? -errno : 0;
}

/* Whether the mount that directory DIRFD lives on is shared (from
 * mountinfo via libmount, matched by the mount id statx gives). 1, 0 or
 * -errno. */
int nsu_pin_mount_is_shared(struct nsu_ctx *ctx, int dirfd)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	unsigned long prop = 0;
	uint64_t id = 0;
	char path[PATH_MAX];
	int r;

	r = nsu_mount_facts(dirfd, NULL, NULL, &id);
	if (r < 0)
		return r;
	if (id == 0)
		return -NSU_ENOTSUPP;
	snprintf(path, sizeof(path), "%s/self/mountinfo", ctx->proc_root);
	tb = mnt_new_table_from_file(path);
	if (!tb)
		return -NSU_EPARSE;
	{
		struct libmnt_iter *mi = mnt_new_iter(MNT_ITER_FORWARD);
		struct libmnt_fs *f;

		fs = NULL;
		while (mi && mnt_table_next_fs(tb, mi, &f) == 0)
			if ((uint64_t)mnt_fs_get_id(f) == id) {
				fs = f;
				break;
			}
		mnt_free_iter(mi);
	}
	if (!fs)
		r = -ENOENT;
	else if (mnt_fs_get_propagation(fs, &prop) < 0)
		r = -NSU_EPARSE;
	else
		r = (prop & MS_SHARED) ? 1 : 0;
	mnt_unref_table(tb);
	return r;
}

/* The init of PID namespace NSFD as a pid in ours: > 0, or -ESRCH when the
 * namespace has no init any more, -NSU_ENOTSUPP before 6.11. */
int nsu_pin_pidns_init(int nsfd)
{
	int pid = ioctl(nsfd, NS_GET_TGID_FROM_PIDNS, 1);

	if (pid > 0)
		return pid;
	if (errno == ENOTTY || errno == EINVAL)
		return -NSU_ENOTSUPP;
	return -errno;
}

/* ------------------------------------------------------------------ */
/* Registry                                                           */
/* ------------------------------------------------------------------ */


void nsu_pin_registry_close(struct nsu_pin_registry *r)
{
	if (r->mntfd >= 0)
		close(r->mntfd);
	if (r->fd >= 0)
		close(r->fd);
	if (r->lockfd >= 0)
		close(r->lockfd); /* releases the lock */
	r->lockfd = r->fd = r->mntfd = -1;
}

/* Split PATH into its directory (malloc'd, "." or "/" when it has none)
 * and its last component (pointing into PATH; trailing slashes are an
 * error: a pin or registry is named by a plain last component). */
int nsu_pin_split_path(const char *path, char **parent, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!*path)
		return -ENOENT;
	if (!slash) {
		*parent = strdup(".");
		*base = path;
	} else {
		if (slash[1] == '\0')
			return -EISDIR;
		*parent = slash == path ? strdup("/") :
			strndup(path, (size_t)(slash - path));
		*base = slash + 1;
	}
	if (!*parent)
		return -ENOMEM;
	if (strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
		free(*parent);
		*parent = NULL;
		return -EINVAL;
	}
	return 0;
}

enum nsu_pin_result nsu_pin_open_failure(int err)
{
	return (err == -ELOOP || err == -ENOTDIR) ? NSU_PIN_ERR_SYMLINK :
		NSU_PIN_ERR_REGISTRY;
}

/* Bind directory FROM onto itself with everything mounted below it
 * (recursive), by fd as nsu_pin_bind_fd() does. */
static int bind_dir_rec(int fd)
{
	_cleanup_close_ int tree = -1;
	char p[64];

	tree = (int)syscall(SYS_open_tree, fd, "", OPEN_TREE_CLONE |
			    OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree >= 0)
		return syscall(SYS_move_mount, tree, "", fd, "",
			       MOVE_MOUNT_F_EMPTY_PATH |
			       MOVE_MOUNT_T_EMPTY_PATH) == 0 ? 0 : -errno;
	if (errno != ENOSYS)
		return -errno;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno : 0;
}

/* After DIR (OLDFD: the directory as seen before, in mount PARENT_ID) was
 * bound onto itself recursively, the pins that were mounted below it
 * before (by hand, or by a tool that does not set the registry up) have
 * copies in the new mount, while the originals lie hidden beneath it, out
 * of reach of any path, holding their namespaces for ever. Detach them:
 * walking from OLDFD still goes through the parent mount and reaches
 * exactly the originals. Best effort: a failure leaves a hidden mount, not
 * a wrong one. */
static void detach_hidden(struct nsu_ctx *ctx, int oldfd, uint64_t parent_id)
{
	_cleanup_free_ char *dir = NULL;
	struct libmnt_table *tb;
	struct libmnt_iter *mi;
	struct libmnt_fs *fs;
	char path[PATH_MAX], self[64];
	ssize_t n;
	size_t len;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", oldfd);
	n = readlink(self, path, sizeof(path) - 1);
	if (n <= 0)
		return;
	path[n] = '\0';
	dir = strdup(path);
	if (!dir)
		return;
	len = strlen(dir);
	snprintf(path, sizeof(path), "%s/self/mountinfo", ctx->proc_root);
	tb = mnt_new_table_from_file(path);
	mi = mnt_new_iter(MNT_ITER_BACKWARD);
	while (tb && mi && mnt_table_next_fs(tb, mi, &fs) == 0) {
		const char *target = mnt_fs_get_target(fs);

		if ((uint64_t)mnt_fs_get_parent_id(fs) != parent_id || !target ||
		    strncmp(target, dir, len) != 0 || target[len] != '/')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", oldfd,
			 target + len + 1);
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			nsu_dbg(ctx, "cannot detach hidden %s: %s", target,
				strerror(errno));
	}
	mnt_free_iter(mi);
	mnt_unref_table(tb);
}

/* Make directory SUB of PARENTFD its own mount if it is not one yet (bind
 * it onto itself, recursively, then detach the originals it hides) and
 * return a fresh fd on the mount. */
static int ensure_own_mount(struct nsu_ctx *ctx, int parentfd, const char *sub)
{
	_cleanup_close_ int fd = -1;
	uint64_t parent_id = 0;
	bool root = false;
	int r;

	fd = openat(parentfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = nsu_mount_facts(fd, NULL, &root, &parent_id);
	if (r < 0)
		return r;
	if (root)
		return nsu_steal_fd(&fd);
	r = bind_dir_rec(fd);
	if (r < 0)
		return r;
	if (parent_id)
		detach_hidden(ctx, fd, parent_id);
	close(fd);
	/* reopen: the old fd still refers to the directory under the mount */
	fd = openat(parentfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : nsu_steal_fd(&fd);
}

/* Take an exclusive flock on FD, waiting at most NSU_PIN_LOCK_WAIT_MS: a
 * lock nobody releases (anyone who can open a directory can flock it) must
 * not hang us for ever. 0 or -EWOULDBLOCK / -errno. */
int nsu_pin_lock_wait(int fd)
{
	const struct timespec step = { 0, 10 * 1000 * 1000 };

	for (int waited = 0; ; waited += 10) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (waited >= NSU_PIN_LOCK_WAIT_MS)
			return -EWOULDBLOCK;
		nanosleep(&step, NULL);
	}
}

/* The registry's lock: DIR/.lock, a root-only (0600) regular file, not
 * DIR itself, because any user who can open DIR could flock it and stall
 * every nspin. Where we may not create or open it (an unprivileged caller,
 * who will fail at the first mount anyway), the directory is locked. */
static int registry_lock(int dirfd)
{
	struct stat s;
	int fd, r;

	fd = openat(dirfd, NSU_PIN_LOCK_FILE, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &s) < 0 || !(S_ISREG(s.st_mode) || S_ISDIR(s.st_mode))) {
		close(fd);
		return -EINVAL;
	}
	r = nsu_pin_lock_wait(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* Open (CREATE: and set up) the registry, under an exclusive flock held
 * until nsu_pin_registry_close(). Set-up, done once and idempotent: DIR exists,
 * is its own mount point and a shared peer group (so pins propagate into
 * mount namespaces made later, as with ip netns); DIR/.mnt exists and is
 * its own private mount (mount-namespace pins cannot live under a shared
 * mount). Everything is checked again after the lock is taken, so two
 * concurrent first runs cannot both bind the directory and stack mounts. */
int nsu_pin_registry_open(struct nsu_ctx *ctx, const char *dir, bool create,
			 struct nsu_pin_registry *reg, struct nsu_pin_status *st)
{
	_cleanup_free_ char *parent = NULL;
	_cleanup_close_ int pfd = -1;
	const char *base;
	int r;

	reg->lockfd = reg->fd = reg->mntfd = -1;
	reg->path = nsu_pin_dir(dir);
	r = nsu_pin_split_path(reg->path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, r, -1, reg->path, NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, nsu_pin_open_failure(pfd), pfd, -1, parent, NULL);
	if (create && mkdirat(pfd, base, 0755) < 0 && errno != EEXIST)
		return nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, -errno, -1,
				    reg->path, NULL);
	{
		_cleanup_close_ int dfd = openat(pfd, base, O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);

		if (dfd < 0) {
			r = -errno;
			return nsu_pin_fail(st, r == -ENOENT ? NSU_PIN_ERR_NOENT :
					    nsu_pin_open_failure(r), r, -1, reg->path, NULL);
		}
		reg->lockfd = registry_lock(dfd);
		if (reg->lockfd < 0) {
			r = nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, reg->lockfd, -1,
					 reg->path, NSU_PIN_LOCK_FILE);
			reg->lockfd = -1;
			return r;
		}
	}
	if (!create) {
		reg->fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				 O_CLOEXEC);
		if (reg->fd < 0) {
			r = nsu_pin_fail(st, nsu_pin_open_failure(-errno), -errno, -1,
					 reg->path, NULL);
			nsu_pin_registry_close(reg);
			return r;
		}
		return 0;
	}

	reg->fd = ensure_own_mount(ctx, pfd, base);
	if (reg->fd < 0) {
		r = nsu_pin_fail(st, nsu_pin_open_failure(reg->fd), reg->fd, -1,
				 reg->path, NULL);
		reg->fd = -1;
		nsu_pin_registry_close(reg);
		return r;
	}
	if (mkdirat(reg->fd, NSU_PIN_MNT_SUBDIR, 0755) < 0 && errno != EEXIST) {
		r = -errno;
		goto fail_sub;
	}
	reg->mntfd = ensure_own_mount(ctx, reg->fd, NSU_PIN_MNT_SUBDIR);
	if (reg->mntfd < 0) {
		r = reg->mntfd;
		reg->mntfd = -1;
		goto fail_sub;
	}
	/* private before DIR becomes shared, so that on a first set-up the
	 * sub-directory's mount never joins a peer group */
	r = set_propagation(reg->mntfd, MS_PRIVATE);
	if (r < 0)
		goto fail_sub;
	r = set_propagation(reg->fd, MS_SHARED);
	if (r < 0) {
		r = nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, r, -1, reg->path, NULL);
		nsu_pin_registry_close(reg);
		return r;
	}
	nsu_dbg(ctx, "registry %s ready", reg->path);
	return 0;

fail_sub:
	r = nsu_pin_fail(st, nsu_pin_open_failure(r), r, -1, reg->path,
			 NSU_PIN_MNT_SUBDIR);
	nsu_pin_registry_close(reg);
	return r;
}
