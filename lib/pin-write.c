/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-write.c - making pins: locked, symlink-free, all-or-nothing bind
 * mounts of live processes' namespaces, of new namespaces (with a minimal
 * init for a new PID namespace), and of one namespace on a file. */
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "nsutil-internal.h"
#include "pin-internal.h"

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


/* Undo in reverse order: unmount, then unlink, then rmdir. */
static void txn_rollback(struct txn *t)
{
	while (t->n > 0) {
		struct undo *u = &t->u[--t->n];

		switch (u->kind) {
		case UNDO_UMOUNT:
			nsu_pin_umount_at(u->dirfd, u->name, MNT_DETACH);
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
		r = nsu_pin_mount_is_shared(ctx, dirfd);
		if (r > 0)
			return nsu_pin_fail(st, NSU_PIN_ERR_SHARED, -EINVAL, t,
					    dirpath, entry);
	}
	if (ns->type == NSU_NS_PID) {
		r = nsu_pin_pidns_init(ns->fd);
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

	r = nsu_pin_bind_fd(ns->fd, pinfd);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_BIND, r, type, dirpath, entry);
	r = txn_push(t, UNDO_UMOUNT, dirfd, entry);
	if (r < 0) {
		nsu_pin_umount_at(dirfd, entry, MNT_DETACH);
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
	struct nsu_pin_registry reg;
	struct txn t = { 0 };
	_cleanup_close_ int namefd = -1;
	_cleanup_free_ char *namepath = NULL;
	int r;

	r = nsu_pin_registry_open(ctx, dir, true, &reg, st);
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
	nsu_pin_registry_close(&reg);
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

/* Open the namespaces in MASK of the process behind PIDFD, or, when PIDFD
 * is -1, of PID: only safe for a PID that cannot be reused meanwhile (our
 * own unreaped child), or as the fallback for kernels without pidfds. */
static int open_nss(struct nsu_ctx *ctx, int pidfd, pid_t pid, int mask,
		    unsigned int flags, struct nsu_ns *nss[NSU_NS_COUNT],
		    struct nsu_pin_status *st)
{
	unsigned int nsflags = (flags & NSU_PIN_FOR_CHILDREN) ?
			       NSU_NS_FOR_CHILDREN : 0;

	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (!(mask & nsu_nstype_flag(t)))
			continue;
		nss[t] = pidfd >= 0 ? nsu_ns_open_pidfd(ctx, pidfd, t, nsflags) :
				      nsu_ns_open_pid(ctx, pid, t, nsflags);
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
	r = open_nss(ctx, pidfd, 0, mask, flags, nss, st);
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
	/* an inherited handler or SIG_IGN must not change how we reap */
	signal(SIGCHLD, SIG_DFL);
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
		r = open_nss(ctx, pidfd, 0, mask, NSU_PIN_FOR_CHILDREN, nss, st);
	} else if (pidfd == -ENOSYS) {
		/* before pidfds: the child is ours and not reaped yet, so
		 * its PID is still its own */
		r = open_nss(ctx, -1, child, mask, NSU_PIN_FOR_CHILDREN, nss, st);
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
	r = nsu_pin_split_path(path, &parent, &base);
	if (r < 0)
		return nsu_pin_fail(st, NSU_PIN_ERR_CREATE, r, (int)ns->type,
				    path, NULL);
	pfd = nsu_open_dir_nofollow(AT_FDCWD, parent);
	if (pfd < 0)
		return nsu_pin_fail(st, pfd == -ELOOP ? NSU_PIN_ERR_SYMLINK :
				    NSU_PIN_ERR_CREATE, pfd, (int)ns->type,
				    parent, NULL);
	r = nsu_pin_lock_wait(pfd);
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
