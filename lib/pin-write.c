/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-write.c - making and releasing pins: the registry's own mount, the
 * locked, symlink-free, all-or-nothing bind mounts, new namespaces with a
 * minimal init, and removal that only ever unmounts nsfs mounts. */
#include <dirent.h>
#include <inttypes.h>
#include <libmount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "nsutil-internal.h"
#include "pin-internal.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* ------------------------------------------------------------------ */
/* Undo list                                                          */
/* ------------------------------------------------------------------ */

enum undo_kind { UNDO_RMDIR, UNDO_UNLINK, UNDO_UMOUNT };

struct undo {
	enum undo_kind kind;
	int dirfd;            /* dup'd: the directory NAME is in */
	char name[NAME_MAX + 1];
};

/* Enough for every type plus the name's directory, the .init file and
 * one file and one mount per type. */
struct txn {
	size_t n;
	struct undo u[3 * NSU_NS_COUNT + 4];
};

static int txn_push(struct txn *t, enum undo_kind kind, int dirfd,
		    const char *name)
{
	struct undo *u;

	if (t->n >= ARRAY_SIZE(t->u))
		return -ENOBUFS;
	u = &t->u[t->n];
	u->kind = kind;
	u->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (u->dirfd < 0)
		return -errno;
	snprintf(u->name, sizeof(u->name), "%s", name);
	t->n++;
	return 0;
}

/* Unmount DIRFD/ENTRY (ENTRY itself not followed) without holding a
 * reference to the mount, which would make it busy. The directory is
 * named through its magic link, so it is the one we opened and checked. */
static int umount_at(int dirfd, const char *entry, int flags)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, entry);
	return umount2(p, flags | UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
}

/* Undo in reverse order: unmount, then unlink, then rmdir. */
static void txn_rollback(struct txn *t)
{
	while (t->n > 0) {
		struct undo *u = &t->u[--t->n];

		switch (u->kind) {
		case UNDO_UMOUNT:
			umount_at(u->dirfd, u->name, MNT_DETACH);
			break;
		case UNDO_UNLINK:
			unlinkat(u->dirfd, u->name, 0);
			break;
		case UNDO_RMDIR:
			unlinkat(u->dirfd, u->name, AT_REMOVEDIR);
			break;
		}
		close(u->dirfd);
	}
}

static void txn_commit(struct txn *t)
{
	while (t->n > 0) {
		struct undo *u = &t->u[--t->n];

		close(u->dirfd);
	}
}

/* ------------------------------------------------------------------ */
/* Mount helpers                                                      */
/* ------------------------------------------------------------------ */

/* Bind the file or directory FROM (an fd) onto TO (an fd): open_tree +
 * move_mount where the kernel has them (5.2+), else mount(2) through the
 * /proc/self/fd magic links. Neither follows a path that could have been
 * swapped for a symlink since we opened it. */
static int bind_fd(int from, int to)
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
static int mount_is_shared(struct nsu_ctx *ctx, int dirfd)
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
static int pidns_init(int nsfd)
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

struct registry {
	int lockfd;  /* the flock is held on this one */
	int fd;      /* the registry directory (its own mount) */
	int mntfd;   /* DIR/.mnt (its own private mount); -1 when not opened */
	const char *path;
};

static void registry_close(struct registry *r)
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
static int split_path(const char *path, char **parent, const char **base)
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

static enum nsu_pin_result open_failure(int err)
{
	return (err == -ELOOP || err == -ENOTDIR) ? NSU_PIN_ERR_SYMLINK :
		NSU_PIN_ERR_REGISTRY;
}

/* Bind directory FROM onto itself with everything mounted below it
 * (recursive), by fd as bind_fd() does. */
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
static int lock_wait(int fd)
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
	r = lock_wait(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* Open (CREATE: and set up) the registry, under an exclusive flock held
 * until registry_close(). Set-up, done once and idempotent: DIR exists,
 * is its own mount point and a shared peer group (so pins propagate into
 * mount namespaces made later, as with ip netns); DIR/.mnt exists and is
 * its own private mount (mount-namespace pins cannot live under a shared
 * mount). Everything is checked again after the lock is taken, so two
 * concurrent first runs cannot both bind the directory and stack mounts. */
static int registry_open(struct nsu_ctx *ctx, const char *dir, bool create,
			 struct registry *reg, struct nsu_pin_status *st)
{
	_cleanup_free_ char *parent = NULL;
	_cleanup_close_ int pfd = -1;
	const char *base;
	int r;

	reg->lockfd = reg->fd = reg->mntfd = -1;
	reg->path = nsu_pin_dir(dir);
	r = split_path(reg->path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, r, -1, reg->path, NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, open_failure(pfd), pfd, -1, parent, NULL);
	if (create && mkdirat(pfd, base, 0755) < 0 && errno != EEXIST)
		return nsu_pin_fail(st, NSU_PIN_ERR_REGISTRY, -errno, -1,
				    reg->path, NULL);
	{
		_cleanup_close_ int dfd = openat(pfd, base, O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);

		if (dfd < 0) {
			r = -errno;
			return nsu_pin_fail(st, r == -ENOENT ? NSU_PIN_ERR_NOENT :
					    open_failure(r), r, -1, reg->path, NULL);
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
			r = nsu_pin_fail(st, open_failure(-errno), -errno, -1,
					 reg->path, NULL);
			registry_close(reg);
			return r;
		}
		return 0;
	}

	reg->fd = ensure_own_mount(ctx, pfd, base);
	if (reg->fd < 0) {
		r = nsu_pin_fail(st, open_failure(reg->fd), reg->fd, -1,
				 reg->path, NULL);
		reg->fd = -1;
		registry_close(reg);
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
		registry_close(reg);
		return r;
	}
	nsu_dbg(ctx, "registry %s ready", reg->path);
	return 0;

fail_sub:
	r = nsu_pin_fail(st, open_failure(r), r, -1, reg->path,
			 NSU_PIN_MNT_SUBDIR);
	registry_close(reg);
	return r;
}

/* ------------------------------------------------------------------ */
/* One pin                                                            */
/* ------------------------------------------------------------------ */

/* Why an existing ENTRY in DIRFD is in the way. */
static enum nsu_pin_result classify_existing(int dirfd, const char *entry)
{
	struct stat s;
	bool root = false;

	if (fstatat(dirfd, entry, &s, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(s.st_mode))
		return NSU_PIN_ERR_SYMLINK;
	if (nsu_mount_facts(dirfd, entry, &root, NULL) == 0 && root)
		return NSU_PIN_ERR_MOUNTED;
	return NSU_PIN_ERR_EXISTS;
}

/* The checks the kernel would otherwise answer with a bare EINVAL (mount
 * namespaces) or that it would not make at all (a dead PID namespace). */
static int check_source(struct nsu_ctx *ctx, int dirfd, const char *dirpath,
			const char *entry, const struct nsu_ns *ns,
			struct nsu_pin_status *st)
{
	int t = (int)ns->type;
	int r;

	if (ns->type == NSU_NS_MNT) {
		uint64_t self = 0, id = 0;

		/* Loop check: the binder's mount namespace must be older. */
		if (nsu_mntns_self_id(ctx, &self) == 0 &&
		    ioctl(ns->fd, NS_GET_MNTNS_ID, &id) == 0 && self >= id) {
			r = nsu_pin_fail(st, NSU_PIN_ERR_MNTNS_ORDER, -EINVAL,
					 t, dirpath, entry);
			if (st) {
				st->self_mntns_id = self;
				st->ns_mntns_id = id;
			}
			return r;
		}
		r = mount_is_shared(ctx, dirfd);
		if (r > 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_SHARED, -EINVAL, t,
					    dirpath, entry);
	}
	if (ns->type == NSU_NS_PID) {
		r = pidns_init(ns->fd);
		if (r == -ESRCH)
			return nsu_pin_fail(st, NSU_PIN_ERR_PIDNS_DEAD, r, t,
					    dirpath, entry);
	}
	return 0;
}

/* Pin NS on DIRFD/ENTRY: create the file (O_EXCL|O_NOFOLLOW) or, with
 * NSU_PIN_MAY_EXIST, take an existing empty regular file; bind last; then
 * verify through a fresh open that ENTRY is now an nsfs mount of NS. Each
 * step that changed something goes on the undo list T. */
static int pin_at(struct nsu_ctx *ctx, int dirfd, const char *dirpath,
		  const char *entry, const struct nsu_ns *ns, unsigned int flags,
		  struct txn *t, struct nsu_pin_status *st)
{
	_cleanup_close_ int pinfd = -1, vfd = -1;
	int type = (int)ns->type;
	struct stat s;
	int r;

	r = check_source(ctx, dirfd, dirpath, entry, ns, st);
	if (r < 0)
		return r;
	pinfd = openat(dirfd, entry, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		       O_CLOEXEC, 0444);
	if (pinfd < 0 && errno == EEXIST && (flags & NSU_PIN_MAY_EXIST)) {
		enum nsu_pin_result why = classify_existing(dirfd, entry);
		bool root = true;

		if (why != NSU_PIN_ERR_EXISTS)
			return nsu_pin_fail(st, why, -EEXIST, type, dirpath, entry);
		pinfd = openat(dirfd, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
			       O_NOCTTY | O_CLOEXEC);
		if (pinfd < 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_CREATE, -errno, type,
					    dirpath, entry);
		if (fstat(pinfd, &s) < 0 || !S_ISREG(s.st_mode) || s.st_size != 0 ||
		    nsu_mount_facts(pinfd, NULL, &root, NULL) < 0 || root)
			return nsu_pin_fail(st, NSU_PIN_ERR_EXISTS, -EEXIST, type,
					    dirpath, entry);
	} else if (pinfd < 0) {
		r = -errno;
		return nsu_pin_fail(st, r == -EEXIST ?
				    classify_existing(dirfd, entry) :
				    NSU_PIN_ERR_CREATE, r, type, dirpath, entry);
	} else {
		r = txn_push(t, UNDO_UNLINK, dirfd, entry);
		if (r < 0) {
			unlinkat(dirfd, entry, 0);
			return nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, type,
					    dirpath, entry);
		}
	}

	r = bind_fd(ns->fd, pinfd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_BIND, r, type, dirpath, entry);
	r = txn_push(t, UNDO_UMOUNT, dirfd, entry);
	if (r < 0) {
		umount_at(dirfd, entry, MNT_DETACH);
		return nsu_pin_fail(st, NSU_PIN_ERR_BIND, r, type, dirpath, entry);
	}
	/* verify through a fresh lookup: what is at ENTRY now? */
	vfd = openat(dirfd, entry, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (vfd < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_VERIFY, -errno, type,
				    dirpath, entry);
	r = nsu_fd_is_pin(vfd);
	if (r != 1 || fstat(vfd, &s) < 0 ||
	    (uint64_t)s.st_dev != ns->dev || (uint64_t)s.st_ino != ns->ino)
		return nsu_pin_fail(st, NSU_PIN_ERR_VERIFY,
				    r < 0 ? r : -NSU_ENOTNS, type, dirpath, entry);
	nsu_dbg(ctx, "pinned %s namespace %" PRIu64 " on %s/%s",
		nsu_nstype_name(ns->type), ns->ino, dirpath, entry);
	return 0;
}

/* Pin every namespace in NSS (indexed by type, NULL = not wanted) as NAME:
 * the name's directory first, then one file per type, the mount namespace
 * last in the private sub-directory, then the .init record. Any failure
 * rolls the whole set back. */
static int pin_set(struct nsu_ctx *ctx, const char *dir, const char *name,
		   struct nsu_ns *const nss[NSU_NS_COUNT], uint64_t init_ino,
		   pid_t init_pid, struct nsu_pin_status *st)
{
	struct registry reg;
	struct txn t = { 0 };
	_cleanup_close_ int namefd = -1;
	_cleanup_free_ char *namepath = NULL;
	int r;

	r = registry_open(ctx, dir, true, &reg, st);
	if (r < 0)
		return r;
	if (mkdirat(reg.fd, name, 0755) < 0) {
		r = -errno;
		nsu_pin_fail(st, r == -EEXIST ? classify_existing(reg.fd, name) :
			     NSU_PIN_ERR_CREATE, r, -1, reg.path, name);
		goto out;
	}
	r = txn_push(&t, UNDO_RMDIR, reg.fd, name);
	if (r < 0) {
		unlinkat(reg.fd, name, AT_REMOVEDIR);
		nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, -1, reg.path, name);
		goto out;
	}
	namefd = openat(reg.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (namefd < 0 || asprintf(&namepath, "%s/%s", reg.path, name) < 0) {
		r = namefd < 0 ? -errno : -ENOMEM;
		nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, -1, reg.path, name);
		goto out;
	}
	for (int ty = 0; ty < NSU_NS_COUNT && r == 0; ty++) {
		if (ty == NSU_NS_MNT || !nss[ty])
			continue;
		r = pin_at(ctx, namefd, namepath, nsu_nstype_name(ty), nss[ty],
			   0, &t, st);
	}
	if (r == 0 && nss[NSU_NS_MNT]) {
		_cleanup_free_ char *mntpath = NULL;

		if (asprintf(&mntpath, "%s/%s", reg.path, NSU_PIN_MNT_SUBDIR) < 0)
			r = -ENOMEM;
		else
			r = pin_at(ctx, reg.mntfd, mntpath, name,
				   nss[NSU_NS_MNT], 0, &t, st);
	}
	if (r == 0 && init_pid > 0) {
		_cleanup_close_ int fd = -1;
		char buf[64];
		int n = snprintf(buf, sizeof(buf), "%" PRIu64 " %d\n", init_ino,
				 (int)init_pid);

		fd = openat(namefd, NSU_PIN_INIT_FILE, O_WRONLY | O_CREAT |
			    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
		if (fd < 0)
			r = -errno;
		else if ((r = txn_push(&t, UNDO_UNLINK, namefd,
				       NSU_PIN_INIT_FILE)) == 0 &&
			 write(fd, buf, (size_t)n) != n)
			r = -EIO;
		if (r < 0)
			nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, NSU_NS_PID,
				     namepath, NSU_PIN_INIT_FILE);
	}
out:
	if (r < 0)
		txn_rollback(&t);
	else
		txn_commit(&t);
	registry_close(&reg);
	return r;
}

static int check_mask(struct nsu_ctx *ctx, int mask, struct nsu_pin_status *st)
{
	int all = 0;

	for (int t = 0; t < NSU_NS_COUNT; t++)
		all |= nsu_nstype_flag(t);
	if (mask == 0 || (mask & ~all))
		return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, -NSU_EBADTYPE, -1,
				    NULL, NULL);
	for (int t = 0; t < NSU_NS_COUNT; t++)
		if ((mask & nsu_nstype_flag(t)) && !nsu_nstype_supported(ctx, t))
			return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE,
					    -NSU_ENOTSUPP, t, NULL, NULL);
	return 0;
}

static void free_nss(struct nsu_ns *nss[NSU_NS_COUNT])
{
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		nsu_ns_free(nss[t]);
		nss[t] = NULL;
	}
}

/* Open the namespaces in MASK of the process behind PIDFD. */
static int open_nss(struct nsu_ctx *ctx, int pidfd, int mask, unsigned int flags,
		    struct nsu_ns *nss[NSU_NS_COUNT], struct nsu_pin_status *st)
{
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (!(mask & nsu_nstype_flag(t)))
			continue;
		nss[t] = nsu_ns_open_pidfd(ctx, pidfd, t,
					   (flags & NSU_PIN_FOR_CHILDREN) ?
					   NSU_NS_FOR_CHILDREN : 0);
		if (!nss[t]) {
			int e = -errno;

			free_nss(nss);
			return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, e, t, NULL, NULL);
		}
	}
	return 0;
}

/* The same by PID, for kernels without pidfds: only safe for a PID that
 * cannot be reused meanwhile (our own unreaped child), or as a fallback. */
static int open_nss_pid(struct nsu_ctx *ctx, pid_t pid, int mask,
			unsigned int flags, struct nsu_ns *nss[NSU_NS_COUNT],
			struct nsu_pin_status *st)
{
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (!(mask & nsu_nstype_flag(t)))
			continue;
		nss[t] = nsu_ns_open_pid(ctx, pid, t,
					 (flags & NSU_PIN_FOR_CHILDREN) ?
					 NSU_NS_FOR_CHILDREN : 0);
		if (!nss[t]) {
			int e = -errno;

			free_nss(nss);
			return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, e, t, NULL, NULL);
		}
	}
	return 0;
}

NSU_EXPORT int nsu_pin_add_ns(struct nsu_ctx *ctx, const char *dir,
			      const char *name, struct nsu_ns *const *nss,
			      size_t n, struct nsu_pin_status *st)
{
	struct nsu_ns *bytype[NSU_NS_COUNT] = { 0 };

	if (nsu_pin_name_valid(name) < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NAME, -EINVAL, -1, NULL, name);
	if (!nss || n == 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, -EINVAL, -1, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!nss[i] || bytype[nss[i]->type])
			return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, -EINVAL,
					    nss[i] ? (int)nss[i]->type : -1,
					    NULL, NULL);
		bytype[nss[i]->type] = nss[i];
	}
	return pin_set(ctx, dir, name, bytype, 0, 0, st);
}

NSU_EXPORT int nsu_pin_add_pidfd(struct nsu_ctx *ctx, const char *dir,
				 const char *name, int mask, int pidfd,
				 unsigned int flags, struct nsu_pin_status *st)
{
	struct nsu_ns *nss[NSU_NS_COUNT] = { 0 };
	int r;

	if (nsu_pin_name_valid(name) < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NAME, -EINVAL, -1, NULL, name);
	r = check_mask(ctx, mask, st);
	if (r < 0)
		return r;
	r = open_nss(ctx, pidfd, mask, flags, nss, st);
	if (r < 0)
		return r;
	r = pin_set(ctx, dir, name, nss, 0, 0, st);
	free_nss(nss);
	return r;
}

/* ------------------------------------------------------------------ */
/* New namespaces                                                     */
/* ------------------------------------------------------------------ */

/* The minimal init of a new PID namespace: nothing but reaping. All
 * signals stay blocked (the kernel already drops unhandled signals sent to
 * an init from inside its namespace; blocking covers the rest, except
 * SIGKILL from outside, which is how nsu_pin_remove() ends it). */
__attribute__((noreturn)) static void minimal_init(void)
{
	sigset_t all, chld;
	int null;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	prctl(PR_SET_NAME, "nspin-init", 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	setsid();
	if (chdir("/") < 0) {
		/* stays where it was: harmless */
	}
	/* hold nothing of the caller's: no lock, no pipe, no tty */
	nsu_close_fds(NULL, 0);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd <= 2; fd++) {
		if (null >= 0)
			dup2(null, fd);
		else
			close(fd);
	}
	if (null > 2)
		close(null);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigwaitinfo(&chld, NULL);
	}
}

struct child_report {
	int err;   /* 0 or negative */
	int type;  /* the type that failed, or -1 */
	pid_t init; /* the init's pid (in the caller's PID namespace) */
};

/* In the child: create the namespaces of MASK. The user namespace first, so
 * that it owns the others; the mount namespace with an id newer than the
 * caller's (MIN_MNT_ID) and private propagation, as unshare(1) does; the
 * PID namespace last, with its init forked right away. */
static struct child_report child_create(struct nsu_ctx *ctx, int mask,
					uint64_t min_mnt_id)
{
	struct child_report rep = { 0, -1, 0 };

	if (mask & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			return (struct child_report){ -errno, NSU_NS_USER, 0 };
	}
	if (mask & CLONE_NEWNS) {
		int r = nsu_mntns_unshare_newer(ctx, min_mnt_id);

		if (r < 0 && r != -NSU_ENOTSUPP)
			return (struct child_report){ r, NSU_NS_MNT, 0 };
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return (struct child_report){ -errno, NSU_NS_MNT, 0 };
	}
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		int flag = nsu_nstype_flag(t);

		if (!(mask & flag) || t == NSU_NS_USER || t == NSU_NS_MNT ||
		    t == NSU_NS_PID)
			continue;
		if (unshare(flag) < 0)
			return (struct child_report){ -errno, t, 0 };
	}
	if (mask & CLONE_NEWPID) {
		pid_t p;

		if (unshare(CLONE_NEWPID) < 0)
			return (struct child_report){ -errno, NSU_NS_PID, 0 };
		p = fork();
		if (p < 0)
			return (struct child_report){ -errno, NSU_NS_PID, 0 };
		if (p == 0)
			minimal_init();
		rep.init = p;
	}
	return rep;
}

static int read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		got += (size_t)r;
	}
	return 0;
}

static void kill_pidfd(int pidfd)
{
	if (pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

NSU_EXPORT int nsu_pin_add_new(struct nsu_ctx *ctx, const char *dir,
			       const char *name, int mask,
			       struct nsu_pin_status *st)
{
	struct nsu_ns *nss[NSU_NS_COUNT] = { 0 };
	_cleanup_close_ int pidfd = -1, initfd = -1;
	struct child_report rep;
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 };
	uint64_t self_id = 0, init_ino = 0;
	pid_t child;
	int r;

	if (nsu_pin_name_valid(name) < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NAME, -EINVAL, -1, NULL, name);
	r = check_mask(ctx, mask, st);
	if (r < 0)
		return r;
	if ((mask & CLONE_NEWNS) && nsu_mntns_self_id(ctx, &self_id) < 0)
		self_id = 0;
	if (pipe2(ready, O_CLOEXEC) < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NEW, -errno, -1, NULL, NULL);
	if (pipe2(go, O_CLOEXEC) < 0) {
		r = -errno;
		close(ready[0]);
		close(ready[1]);
		return nsu_pin_fail(st, NSU_PIN_ERR_NEW, r, -1, NULL, NULL);
	}
	child = fork();
	if (child < 0) {
		r = -errno;
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);
		return nsu_pin_fail(st, NSU_PIN_ERR_NEW, r, -1, NULL, NULL);
	}
	if (child == 0) {
		int keep[2] = { ready[1], go[0] };
		char c;

		nsu_close_fds(keep, 2);
		rep = child_create(ctx, mask, self_id);
		if (write(ready[1], &rep, sizeof(rep)) != sizeof(rep) ||
		    rep.err < 0)
			_exit(1);
		/* stay, so the caller can open our namespaces, until it
		 * closes its end */
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	r = read_full(ready[0], &rep, sizeof(rep));
	close(ready[0]);
	if (r < 0) {
		nsu_pin_fail(st, NSU_PIN_ERR_NEW, r, -1, NULL, NULL);
		goto out;
	}
	if (rep.init > 0) {
		/* our grandchild, not reaped before its parent exits: the PID
		 * cannot have been reused. Its pidfs inode (6.9+) is recorded
		 * as an extra check for remove; 0 when there is none. */
		initfd = nsu_pidfd_open(rep.init, 0);
		if (initfd < 0 || nsu_pidfd_inode(initfd, &init_ino) < 0)
			init_ino = 0;
	}
	if (rep.err < 0) {
		r = nsu_pin_fail(st, NSU_PIN_ERR_NEW, rep.err, rep.type, NULL, NULL);
		goto out;
	}
	pidfd = nsu_pidfd_open(child, 0);
	if (pidfd >= 0) {
		r = open_nss(ctx, pidfd, mask, NSU_PIN_FOR_CHILDREN, nss, st);
	} else if (pidfd == -ENOSYS) {
		/* before pidfds: the child is ours and not reaped yet, so
		 * its PID is still its own */
		r = open_nss_pid(ctx, child, mask, NSU_PIN_FOR_CHILDREN, nss, st);
	} else {
		r = nsu_pin_fail(st, NSU_PIN_ERR_NEW, pidfd, -1, NULL, NULL);
	}
	if (r < 0)
		goto out;
	r = pin_set(ctx, dir, name, nss, init_ino, rep.init, st);
out:
	free_nss(nss);
	close(go[1]);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (r < 0 && initfd >= 0)
		kill_pidfd(initfd);
	else if (r < 0 && rep.init > 0)
		kill(rep.init, SIGKILL); /* still our grandchild's PID */
	return r;
}

/* ------------------------------------------------------------------ */
/* Explicit files                                                     */
/* ------------------------------------------------------------------ */

NSU_EXPORT int nsu_pin_file(struct nsu_ctx *ctx, const struct nsu_ns *ns,
			    const char *path, unsigned int flags,
			    struct nsu_pin_status *st)
{
	_cleanup_free_ char *parent = NULL;
	_cleanup_close_ int pfd = -1;
	struct txn t = { 0 };
	const char *base;
	int r;

	if (!ns || !path)
		return nsu_pin_fail(st, NSU_PIN_ERR_SOURCE, -EINVAL, -1, NULL, path);
	r = split_path(path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, (int)ns->type,
				    path, NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, pfd == -ELOOP ? NSU_PIN_ERR_SYMLINK :
				    NSU_PIN_ERR_CREATE, pfd, (int)ns->type,
				    parent, NULL);
	r = lock_wait(pfd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, (int)ns->type,
				    parent, NULL);
	r = pin_at(ctx, pfd, parent, base, ns, flags, &t, st);
	if (r < 0)
		txn_rollback(&t);
	else
		txn_commit(&t);
	return r;
}

/* ------------------------------------------------------------------ */
/* Removal                                                            */
/* ------------------------------------------------------------------ */

/* The mount id of the kernel's internal nsfs mount: fds opened through
 * /proc/PID/ns live there; fds opened through a pin do not. */
static uint64_t nsfs_internal_mnt_id(struct nsu_ctx *ctx)
{
	_cleanup_close_ int fd = -1;
	char path[PATH_MAX];
	uint64_t id = 0;

	snprintf(path, sizeof(path), "%s/self/ns/net", ctx->proc_root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		nsu_mount_facts(fd, NULL, NULL, &id);
	return id;
}

static uint64_t fdinfo_mnt_id(int procfd, const char *pid, const char *fd)
{
	char path[16 + 2 * NAME_MAX], buf[4096];
	const char *p;
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/fdinfo/%s", pid, fd);
	if (nsu_read_file_at(procfd, path, buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "mnt_id:");
	if (!p)
		return 0;
	p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	nsu_parse_u64(p, strspn(p, "0123456789"), UINT64_MAX, false, &v);
	return v;
}

/* Name the processes that keep the namespace DEV/INO open through a pin
 * (not through /proc): those make the kernel's unmount fail with EBUSY. */
static char *find_holders(struct nsu_ctx *ctx, uint64_t dev, uint64_t ino)
{
	_cleanup_close_ int procfd = -1;
	struct nsu_proc_iter *it;
	uint64_t internal = nsfs_internal_mnt_id(ctx);
	char *out = NULL;
	size_t len = 0, count = 0;
	pid_t pid;

	procfd = open(ctx->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	it = nsu_proc_iter_new(ctx, 0);
	if (procfd < 0 || !it) {
		nsu_proc_iter_free(it);
		return NULL;
	}
	while (count < 8 && nsu_proc_iter_next(it, &pid, NULL) == 1) {
		char dpath[64], spid[16];
		struct dirent *e;
		int dfd;
		DIR *d;
		bool holds = false;

		snprintf(spid, sizeof(spid), "%d", (int)pid);
		snprintf(dpath, sizeof(dpath), "%d/fd", (int)pid);
		dfd = openat(procfd, dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		d = fdopendir(dfd);
		if (!d) {
			close(dfd);
			continue;
		}
		while (!holds && (e = readdir(d))) {
			struct stat s;

			if (e->d_name[0] == '.' ||
			    fstatat(dfd, e->d_name, &s, 0) < 0 ||
			    (uint64_t)s.st_dev != dev || (uint64_t)s.st_ino != ino)
				continue;
			holds = fdinfo_mnt_id(procfd, spid, e->d_name) != internal;
		}
		closedir(d);
		if (holds) {
			char comm[64] = "?", item[128 + sizeof(comm)];
			struct nsu_proc *p = nsu_proc_read(ctx, pid, NSU_PROC_STAT);
			size_t n;
			char *grown;

			if (p) {
				snprintf(comm, sizeof(comm), "%s", nsu_proc_comm(p));
				nsu_proc_free(p);
			}
			/* process-supplied text: keep it printable */
			for (char *c = comm; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
			n = (size_t)snprintf(item, sizeof(item), "%sPID %d (%s)",
					     count ? ", " : "", (int)pid, comm);
			grown = realloc(out, len + n + 1);
			if (!grown)
				break;
			out = grown;
			memcpy(out + len, item, n + 1);
			len += n;
			count++;
		}
	}
	nsu_proc_iter_free(it);
	return out;
}

static void append_item(char **out, const char *item)
{
	size_t len = *out ? strlen(*out) : 0, n = strlen(item);
	char *grown = realloc(*out, len + n + 3);

	if (!grown)
		return;
	if (len) {
		memcpy(grown + len, "; ", 2);
		len += 2;
	}
	memcpy(grown + len, item, n + 1);
	*out = grown;
}

/* The other mount namespaces (one process each) whose mount tables still
 * have an nsfs mount of namespace INO: their copies keep it alive after
 * ours is gone (a private copy is not reached by our unmount), or make
 * the kernel call ours busy (a busy copy in a peer). From each
 * PROC_ROOT/PID/mountinfo, via libmount; the root field of an nsfs mount
 * is "TYPE:[INO]". */
static char *find_mount_copies(struct nsu_ctx *ctx, uint64_t ino)
{
	struct nsu_proc_iter *it = nsu_proc_iter_new(ctx, 0);
	uint64_t seen[256];
	size_t nseen = 0, count = 0;
	char *out = NULL, want[64], path[PATH_MAX];
	struct stat self;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/self/ns/mnt", ctx->proc_root);
	if (!it || stat(path, &self) < 0) {
		nsu_proc_iter_free(it);
		return NULL;
	}
	seen[nseen++] = (uint64_t)self.st_ino;
	snprintf(want, sizeof(want), ":[%" PRIu64 "]", ino);
	while (count < 8 && nsu_proc_iter_next(it, &pid, NULL) == 1) {
		struct libmnt_table *tb;
		struct libmnt_iter *mi;
		struct libmnt_fs *fs;
		struct stat s;
		bool dup = false;

		snprintf(path, sizeof(path), "%s/%d/ns/mnt", ctx->proc_root, (int)pid);
		if (stat(path, &s) < 0)
			continue;
		for (size_t i = 0; i < nseen; i++)
			dup |= seen[i] == (uint64_t)s.st_ino;
		if (dup || nseen >= ARRAY_SIZE(seen))
			continue;
		seen[nseen++] = (uint64_t)s.st_ino;
		snprintf(path, sizeof(path), "%s/%d/mountinfo", ctx->proc_root, (int)pid);
		tb = mnt_new_table_from_file(path);
		mi = mnt_new_iter(MNT_ITER_FORWARD);
		while (tb && mi && mnt_table_next_fs(tb, mi, &fs) == 0) {
			const char *type = mnt_fs_get_fstype(fs);
			const char *root = mnt_fs_get_root(fs);
			const char *target = mnt_fs_get_target(fs);
			char comm[64] = "?", item[PATH_MAX + 128];
			struct nsu_proc *p;
			size_t rl, wl = strlen(want);

			if (!type || strcmp(type, "nsfs") || !root || !target)
				continue;
			rl = strlen(root);
			if (rl < wl || strcmp(root + rl - wl, want))
				continue;
			p = nsu_proc_read(ctx, pid, NSU_PROC_STAT);
			if (p) {
				snprintf(comm, sizeof(comm), "%s", nsu_proc_comm(p));
				nsu_proc_free(p);
			}
			snprintf(item, sizeof(item), "mount namespace of PID %d (%s): %s",
				 (int)pid, comm, target);
			/* process- and mount-supplied text: keep it printable */
			for (char *c = item; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
			append_item(&out, item);
			count++;
			break;
		}
		mnt_free_iter(mi);
		mnt_unref_table(tb);
	}
	nsu_proc_iter_free(it);
	return out;
}

/* Release the pin DIRFD/ENTRY: only if it is an nsfs mount (every nsfs
 * mount stacked there, none other), then remove the file. With STALE_OK, a
 * leftover empty regular file (not a mount) is removed too. */
static int unpin_at(struct nsu_ctx *ctx, int dirfd, const char *dirpath,
		    const char *entry, int type, bool stale_ok,
		    struct nsu_pin_status *st)
{
	_cleanup_close_ int fd = -1;
	struct stat s;
	int r, n = 0;

	fd = openat(dirfd, entry, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		return nsu_pin_fail(st, r == -ENOENT ? NSU_PIN_ERR_NOENT :
				    NSU_PIN_ERR_UNMOUNT, r, type, dirpath, entry);
	}
	r = nsu_fd_is_pin(fd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NOTPIN, r, type, dirpath, entry);
	if (r == 0) {
		bool root = true;

		if (!stale_ok || fstat(fd, &s) < 0 || !S_ISREG(s.st_mode) ||
		    s.st_size != 0 || nsu_mount_facts(fd, NULL, &root, NULL) < 0 ||
		    root)
			return nsu_pin_fail(st, NSU_PIN_ERR_NOTPIN, -NSU_ENOTNS,
					    type, dirpath, entry);
	}
	while (r == 1 && n++ < NSU_PIN_MAX_STACK) {
		if (fstat(fd, &s) < 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_UNMOUNT, -errno, type,
					    dirpath, entry);
		/* our own fd would make the mount busy */
		close(fd);
		fd = -1;
		r = umount_at(dirfd, entry, 0);
		if (r == -EBUSY) {
			nsu_pin_fail(st, NSU_PIN_ERR_BUSY, r, type, dirpath, entry);
			if (st && !st->holders) {
				char *copies = find_mount_copies(ctx, (uint64_t)s.st_ino);

				st->holders = find_holders(ctx, (uint64_t)s.st_dev,
							   (uint64_t)s.st_ino);
				if (copies)
					append_item(&st->holders, copies);
				free(copies);
			}
			return r;
		}
		if (r < 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_UNMOUNT, r, type,
					    dirpath, entry);
		close(fd);
		/* something else may have been stacked underneath */
		fd = openat(dirfd, entry, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_UNMOUNT, -errno, type,
					    dirpath, entry);
		r = nsu_fd_is_pin(fd);
	}
	if (unlinkat(dirfd, entry, 0) < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_REMOVE, -errno, type,
				    dirpath, entry);
	/* Unlinking the file also detached the copies of our mount in other
	 * mount namespaces (they sat on the same dentry); what is left are
	 * binds of the pin made elsewhere. s: the last namespace unmounted. */
	if (n > 0 && st) {
		char *copies = find_mount_copies(ctx, (uint64_t)s.st_ino);

		if (copies)
			append_item(&st->elsewhere, copies);
		free(copies);
	}
	return 0;
}

/* The init nsu_pin_add_new() made for NAME, if NAME has one (the .init
 * record is the mark that we made it: never kill the init of a namespace
 * pinned from a running container). Identified by kernel facts, not by the
 * recorded number alone: the process must be in the pinned PID namespace
 * and be PID 1 there, which only that namespace's init can be; where
 * pidfs exists, its inode must also match the recorded one. */
struct our_init {
	pid_t pid;   /* 0: none */
	int pidfd;   /* -1 before pidfds (5.3) */
};

static void find_our_init(struct nsu_ctx *ctx, const char *dir,
			  const char *name, int namefd, struct our_init *oi)
{
	char buf[64], path[PATH_MAX];
	uint64_t ino = 0, v;
	struct nsu_ns *pidns;
	struct nsu_proc *p;
	const pid_t *nspid;
	struct stat s;
	char *sp;
	int pid = -1, levels, fd;

	oi->pid = 0;
	oi->pidfd = -1;
	if (nsu_read_file_at(namefd, NSU_PIN_INIT_FILE, buf, sizeof(buf)) < 0)
		return;
	sp = strchr(buf, ' ');
	if (!sp || nsu_parse_u64(buf, (size_t)(sp - buf), UINT64_MAX, true,
				 &ino) < 0)
		return;
	pidns = nsu_pin_open(ctx, dir, name, NSU_NS_PID);
	if (!pidns)
		return;
	/* Where is it now, seen from our PID namespace? The pinned
	 * namespace knows (6.11+); else the PID recorded when it was made. */
	pid = pidns_init(pidns->fd);
	if (pid <= 0 && nsu_parse_u64(sp + 1, strspn(sp + 1, "0123456789"),
				      INT32_MAX, false, &v) == 0)
		pid = (int)v;
	if (pid <= 0)
		goto out;
	fd = nsu_pidfd_open(pid, ino);
	if (fd < 0 && fd != -ENOSYS)
		goto out;
	snprintf(path, sizeof(path), "%s/%d/ns/pid", ctx->proc_root, pid);
	p = nsu_proc_read(ctx, pid, NSU_PROC_STATUS);
	levels = p ? nsu_proc_nspid(p, &nspid) : -1;
	if (stat(path, &s) == 0 && (uint64_t)s.st_ino == pidns->ino &&
	    (uint64_t)s.st_dev == pidns->dev && levels > 0 &&
	    nspid[levels - 1] == 1) {
		oi->pid = pid;
		oi->pidfd = fd;
	} else if (fd >= 0) {
		close(fd);
	}
	nsu_proc_free(p);
out:
	nsu_ns_free(pidns);
}

static void kill_our_init(struct our_init *oi)
{
	if (oi->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, oi->pidfd, SIGKILL, NULL, 0);
	else if (oi->pid > 0)
		kill(oi->pid, SIGKILL); /* no pidfds: checked just before */
	if (oi->pidfd >= 0)
		close(oi->pidfd);
	oi->pidfd = -1;
	oi->pid = 0;
}

static void forget_our_init(struct our_init *oi)
{
	if (oi->pidfd >= 0)
		close(oi->pidfd);
	oi->pidfd = -1;
	oi->pid = 0;
}

static int remove_name(struct nsu_ctx *ctx, const char *dir, const char *name,
		       struct nsu_pin_status *st)
{
	struct registry reg;
	_cleanup_close_ int namefd = -1, mntfd = -1;
	_cleanup_free_ char *namepath = NULL, *mntpath = NULL;
	struct our_init init = { 0, -1 };
	bool found = false;
	int r, first = 0;

	r = registry_open(ctx, dir, false, &reg, NULL);
	if (r < 0)
		/* no registry, no such name: say which name */
		return nsu_pin_fail(st, r == -ENOENT ? NSU_PIN_ERR_NOENT :
				    open_failure(r), r, -1, nsu_pin_dir(dir), name);
	if (asprintf(&namepath, "%s/%s", reg.path, name) < 0 ||
	    asprintf(&mntpath, "%s/%s", reg.path, NSU_PIN_MNT_SUBDIR) < 0) {
		registry_close(&reg);
		return nsu_pin_fail(st, NSU_PIN_ERR_REMOVE, -ENOMEM, -1, NULL, NULL);
	}
	namefd = openat(reg.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (namefd < 0 && errno != ENOENT) {
		r = -errno;
		registry_close(&reg);
		return nsu_pin_fail(st, open_failure(r), r, -1, reg.path, name);
	}
	mntfd = openat(reg.fd, NSU_PIN_MNT_SUBDIR, O_RDONLY | O_DIRECTORY |
		       O_NOFOLLOW | O_CLOEXEC);

	if (namefd >= 0) {
		found = true;
		find_our_init(ctx, dir, name, namefd, &init);
		for (int t = 0; t < NSU_NS_COUNT; t++) {
			const char *tn = nsu_nstype_name(t);

			/* NAME/mnt too: a mount pin made by hand or by a
			 * tool that does not use the .mnt sub-directory */
			if (faccessat(namefd, tn, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			r = unpin_at(ctx, namefd, namepath, tn, t, true, st);
			if (r < 0 && !first)
				first = r;
			/* the init goes only once nothing pins its
			 * namespace from here any more */
			if (t == NSU_NS_PID && r < 0)
				forget_our_init(&init);
		}
	}
	if (mntfd >= 0 && faccessat(mntfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		found = true;
		r = unpin_at(ctx, mntfd, mntpath, name, NSU_NS_MNT, true, st);
		if (r < 0 && !first)
			first = r;
	}
	if (!found) {
		forget_our_init(&init);
		registry_close(&reg);
		return nsu_pin_fail(st, NSU_PIN_ERR_NOENT, -ENOENT, -1, reg.path,
				    name);
	}
	if (init.pid > 0)
		kill_our_init(&init);
	if (namefd >= 0 && faccessat(namefd, nsu_nstype_name(NSU_NS_PID), F_OK,
				     AT_SYMLINK_NOFOLLOW) < 0)
		unlinkat(namefd, NSU_PIN_INIT_FILE, 0);
	if (namefd >= 0 && first == 0 &&
	    unlinkat(reg.fd, name, AT_REMOVEDIR) < 0) {
		r = -errno;
		first = nsu_pin_fail(st, NSU_PIN_ERR_REMOVE, r, -1, reg.path, name);
	}
	registry_close(&reg);
	return first;
}

NSU_EXPORT int nsu_pin_remove(struct nsu_ctx *ctx, const char *dir,
			      const char *name_or_path, struct nsu_pin_status *st)
{
	_cleanup_free_ char *parent = NULL;
	_cleanup_close_ int pfd = -1;
	const char *base;
	int r;

	if (!name_or_path || !*name_or_path)
		return nsu_pin_fail(st, NSU_PIN_ERR_NAME, -EINVAL, -1, NULL, NULL);
	if (!strchr(name_or_path, '/')) {
		if (nsu_pin_name_valid(name_or_path) < 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_NAME, -EINVAL, -1,
					    NULL, name_or_path);
		return remove_name(ctx, dir, name_or_path, st);
	}
	r = split_path(name_or_path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NOTPIN, r, -1, name_or_path,
				    NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, pfd == -ENOENT ? NSU_PIN_ERR_NOENT :
				    pfd == -ELOOP ? NSU_PIN_ERR_SYMLINK :
				    NSU_PIN_ERR_UNMOUNT, pfd, -1, parent, NULL);
	r = lock_wait(pfd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_UNMOUNT, r, -1, parent, NULL);
	/* an explicit file is the caller's: never remove a plain file */
	return unpin_at(ctx, pfd, parent, base, -1, false, st);
}
