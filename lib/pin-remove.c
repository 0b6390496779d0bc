/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-remove.c - releasing pins: only nsfs mounts are ever unmounted, the
 * holders of a busy pin and the other mount namespaces that still keep a
 * released namespace are named, and nspin's own PID-namespace init ends. */
#include <dirent.h>
#include <inttypes.h>
#include <libmount.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "nsutil-internal.h"
#include "pin-internal.h"

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
		r = nsu_pin_umount_at(dirfd, entry, 0);
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
	pid = nsu_pin_pidns_init(pidns->fd);
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
	struct nsu_pin_registry reg;
	_cleanup_close_ int namefd = -1, mntfd = -1;
	_cleanup_free_ char *namepath = NULL, *mntpath = NULL;
	struct our_init init = { 0, -1 };
	bool found = false;
	int r, first = 0;

	r = nsu_pin_registry_open(ctx, dir, false, &reg, NULL);
	if (r < 0)
		/* no registry, no such name: say which name */
		return nsu_pin_fail(st, r == -ENOENT ? NSU_PIN_ERR_NOENT :
				    nsu_pin_open_failure(r), r, -1, nsu_pin_dir(dir), name);
	if (asprintf(&namepath, "%s/%s", reg.path, name) < 0 ||
	    asprintf(&mntpath, "%s/%s", reg.path, NSU_PIN_MNT_SUBDIR) < 0) {
		nsu_pin_registry_close(&reg);
		return nsu_pin_fail(st, NSU_PIN_ERR_REMOVE, -ENOMEM, -1, NULL, NULL);
	}
	namefd = openat(reg.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (namefd < 0 && errno != ENOENT) {
		r = -errno;
		nsu_pin_registry_close(&reg);
		return nsu_pin_fail(st, nsu_pin_open_failure(r), r, -1, reg.path, name);
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
		nsu_pin_registry_close(&reg);
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
	nsu_pin_registry_close(&reg);
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
	r = nsu_pin_split_path(name_or_path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_NOTPIN, r, -1, name_or_path,
				    NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, pfd == -ENOENT ? NSU_PIN_ERR_NOENT :
				    pfd == -ELOOP ? NSU_PIN_ERR_SYMLINK :
				    NSU_PIN_ERR_UNMOUNT, pfd, -1, parent, NULL);
	r = nsu_pin_lock_wait(pfd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_UNMOUNT, r, -1, parent, NULL);
	/* an explicit file is the caller's: never remove a plain file */
	return unpin_at(ctx, pfd, parent, base, -1, false, st);
}
