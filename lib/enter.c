/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* enter.c - the join plan of nsenter2: which namespaces to enter, from
 * where, in which order, and proof afterwards that they were entered. */
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libmount.h>

#include "enter-internal.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef FILEID_NSFS
#define FILEID_NSFS 0xf1
#endif

/* The order of the per-fd fallback for every type but user. The user
 * namespace is placed first or last by join_per_fd() (see there). cgroup
 * before mnt: nothing depends on it. mnt late: it changes our root and cwd,
 * and a file-based namespace given by path has already been opened. */
static const enum nsu_nstype join_order[] = {
	NSU_NS_CGROUP, NSU_NS_IPC, NSU_NS_UTS, NSU_NS_NET,
	NSU_NS_PID, NSU_NS_TIME, NSU_NS_MNT,
};

NSU_EXPORT struct nsu_enter *nsu_enter_new(struct nsu_ctx *ctx)
{
	struct nsu_enter *e;

	if (!ctx) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->ctx = ctx;
	e->pidfd = -1;
	e->failed_type = -1;
	return e;
}

NSU_EXPORT void nsu_enter_free(struct nsu_enter *e)
{
	if (!e)
		return;
	for (int t = 0; t < NSU_NS_COUNT; t++)
		nsu_ns_free(e->ns[t]);
	if (e->pidfd >= 0)
		close(e->pidfd);
	free(e);
}

NSU_EXPORT int nsu_enter_set_target(struct nsu_enter *e, pid_t pid,
				    uint64_t inode)
{
	int fd;

	if (e->pidfd >= 0)
		return -EEXIST;
	/* The target becomes a pidfd once; from here on every question
	 * about it goes to the pidfd, never to the PID again. */
	fd = nsu_pidfd_open(pid, inode);
	if (fd < 0)
		return fd;
	e->pidfd = fd;
	e->pid = pid;
	return 0;
}

NSU_EXPORT int nsu_enter_target_pidfd(const struct nsu_enter *e)
{
	return e->pidfd;
}

NSU_EXPORT pid_t nsu_enter_target_pid(const struct nsu_enter *e)
{
	return e->pidfd >= 0 ? e->pid : 0;
}

static void set_slot(struct nsu_enter *e, enum nsu_nstype t,
		     struct nsu_ns *ns, bool from_target)
{
	nsu_ns_free(e->ns[t]);
	e->ns[t] = ns;
	e->mask |= nsu_nstype_flag(t);
	if (from_target)
		e->from_target |= nsu_nstype_flag(t);
	else
		e->from_target &= ~nsu_nstype_flag(t);
}

NSU_EXPORT int nsu_enter_set_ns(struct nsu_enter *e, struct nsu_ns *ns)
{
	if (!ns)
		return -EINVAL;
	set_slot(e, nsu_ns_type(ns), ns, false);
	return 0;
}

NSU_EXPORT int nsu_enter_add_target_ns(struct nsu_enter *e,
				       enum nsu_nstype type)
{
	struct nsu_ns *ns;

	if (!nsu_nstype_name(type))
		return -EINVAL;
	if (e->pidfd < 0)
		return -ESRCH;
	/* Opened now, before joining anything: the handle is what we verify
	 * against afterwards, and what the per-fd fallback joins. */
	ns = nsu_ns_open_pidfd(e->ctx, e->pidfd, type, 0);
	if (!ns)
		return -errno;
	set_slot(e, type, ns, true);
	return 0;
}

/* The identity (st_dev, st_ino) of our own namespace of TYPE (the
 * *_for_children one for pid/time with NSU_NS_FOR_CHILDREN): through our
 * own pidfd where the kernel has the ioctls, else through /proc/self opened
 * before joining (SELF_DIR; -1: /proc/self by path, only before joining).
 * Never through a path resolved after joining: a hostile container's /proc
 * could lie. 0 or -errno. */
static int self_ident(struct nsu_ctx *ctx, int self_pidfd, int self_dir,
		      enum nsu_nstype type, unsigned int flags,
		      struct stat *st)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	char path[64];
	int fd, r;

	if (self_pidfd >= 0 && ctx->has_pidfd_ns_ioctl == 1) {
		unsigned long req = (flags & NSU_NS_FOR_CHILDREN) &&
			i->pidfd_children_ioctl ? i->pidfd_children_ioctl :
			i->pidfd_ioctl;

		fd = ioctl(self_pidfd, req, 0);
		if (fd >= 0)
			goto stat;
		if (errno != ENOTTY && errno != EINVAL)
			return -errno;
	}
	snprintf(path, sizeof(path), "%sns/%s", self_dir < 0 ? "/proc/self/" : "",
		 (flags & NSU_NS_FOR_CHILDREN) && i->children ? i->children :
		 i->name);
	fd = openat(self_dir < 0 ? AT_FDCWD : self_dir, path,
		    O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
stat:
	r = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static bool same_ns(const struct stat *st, const struct nsu_ns *ns)
{
	return ns && (uint64_t)st->st_dev == nsu_ns_dev(ns) &&
		(uint64_t)st->st_ino == nsu_ns_ino(ns);
}

NSU_EXPORT int nsu_enter_add_all(struct nsu_enter *e)
{
	_cleanup_close_ int self = -1;
	int supported = nsu_nstype_supported_mask(e->ctx);

	if (e->pidfd < 0)
		return -ESRCH;
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *theirs;
		struct stat mine;
		bool same;

		if (e->mask & nsu_nstype_flag(t))
			continue; /* an explicit choice wins over --all */
		if (!(supported & nsu_nstype_flag(t)))
			continue; /* the kernel lacks the type */
		theirs = nsu_ns_open_pidfd(e->ctx, e->pidfd, t, 0);
		if (!theirs)
			return -errno;
		/* A namespace we are already in is skipped: re-entering our
		 * own user namespace is an error (EINVAL), and re-entering
		 * another type we share needs privileges over it that an
		 * unprivileged caller lacks, for no effect. */
		same = self_ident(e->ctx, self, -1, t, 0, &mine) == 0 &&
			same_ns(&mine, theirs);
		if (same) {
			nsu_ns_free(theirs);
			continue;
		}
		set_slot(e, t, theirs, true);
	}
	return 0;
}

NSU_EXPORT int nsu_enter_use_user_parent(struct nsu_enter *e)
{
	struct nsu_ns *base = e->ns[NSU_NS_USER], *tmp = NULL, *parent;

	/* Where the parent comes from: the user namespace we were asked to
	 * enter, else the target's, else the owner of any other namespace
	 * in the plan (whose owning user namespace is what "parent" means
	 * for a non-user namespace). */
	if (!base && e->pidfd >= 0) {
		tmp = nsu_ns_open_pidfd(e->ctx, e->pidfd, NSU_NS_USER, 0);
		if (!tmp)
			return -errno;
		base = tmp;
	}
	for (int t = 0; !base && t < NSU_NS_COUNT; t++)
		base = e->ns[t];
	if (!base)
		return -ESRCH;
	parent = nsu_ns_owner(base);
	nsu_ns_free(tmp);
	if (!parent)
		return -errno;
	set_slot(e, NSU_NS_USER, parent, false);
	return 0;
}

NSU_EXPORT int nsu_enter_mask(const struct nsu_enter *e)
{
	return e->mask;
}

NSU_EXPORT const struct nsu_ns *nsu_enter_get_ns(const struct nsu_enter *e,
						 enum nsu_nstype type)
{
	return nsu_nstype_name(type) ? e->ns[type] : NULL;
}

NSU_EXPORT int nsu_enter_failed_type(const struct nsu_enter *e)
{
	return e->failed_type;
}

NSU_EXPORT bool nsu_enter_used_pidfd(const struct nsu_enter *e)
{
	return e->used_pidfd;
}

NSU_EXPORT int nsu_enter_open_target_file(struct nsu_enter *e,
					  const char *entry, int flags)
{
	char path[PATH_MAX];
	int fd, n;

	if (e->pidfd < 0)
		return -ESRCH;
	n = snprintf(path, sizeof(path), "%s/%d%s%s", e->ctx->proc_root,
		     (int)e->pid, entry && *entry ? "/" : "",
		     entry ? entry : "");
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -NSU_EREPLACED :
			-errno;
	/* The path named a PID, not our pidfd: if the process is gone now,
	 * the PID may already belong to someone else, and so may the file. */
	if (nsu_pidfd_alive(e->pidfd) != 1) {
		close(fd);
		return -NSU_EREPLACED;
	}
	return fd;
}

NSU_EXPORT int nsu_enter_target_environ(struct nsu_enter *e, char ***envp)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	char **v, *p;
	size_t n = 0, i = 0;
	ssize_t len;

	fd = nsu_enter_open_target_file(e, "environ", O_RDONLY);
	if (fd < 0)
		return fd;
	len = nsu_read_fd_alloc(fd, &buf);
	if (len < 0)
		return (int)len;
	for (ssize_t k = 0; k < len; k++)
		n += buf[k] == '\0';
	if (len > 0 && buf[len - 1] != '\0')
		n++; /* a last entry without its NUL (truncated) */
	v = calloc(n + 1, sizeof(char *));
	if (!v)
		return -ENOMEM;
	/* Entries without '=' are not variables; drop them rather than hand
	 * the program something no libc would have put there. */
	for (p = buf; p < buf + len; p += strlen(p) + 1) {
		if (!strchr(p, '='))
			continue;
		v[i] = strdup(p);
		if (!v[i]) {
			while (i)
				free(v[--i]);
			free(v);
			return -ENOMEM;
		}
		i++;
	}
	v[i] = NULL;
	*envp = v;
	return (int)i;
}

NSU_EXPORT void nsu_enter_free_environ(char **envp)
{
	if (!envp)
		return;
	for (char **p = envp; *p; p++)
		free(*p);
	free(envp);
}

/* Whether we hold CAP_SYS_ADMIN in our current user namespace. */
static bool have_sys_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

/* Join the plan's namespaces one fd at a time. On failure, the type that
 * failed is in e->failed_type and its -errno is returned.
 *
 * Where the user namespace goes:
 * - A caller with CAP_SYS_ADMIN in its own user namespace (root entering
 *   a container) joins it LAST. Until then it still holds its full
 *   capabilities over every namespace the plan names, including any that
 *   are not owned by the container's user namespace (say, a host network
 *   namespace given with --net=FILE next to the container's user
 *   namespace). Joining the user namespace first would replace those
 *   capabilities by ones that only count inside the container, and the
 *   other setns() calls could fail with EPERM.
 * - A caller without it (an unprivileged user entering a container it
 *   created) joins it FIRST: it has no capability at all until it is in a
 *   user namespace it owns, where it gets the full set, and setns() of
 *   every other type needs CAP_SYS_ADMIN over the namespace's owner.
 * setns(pidfd, mask) needs no such choice: the kernel validates the new
 * user namespace first and checks the rest against the new credentials,
 * all or nothing. */
static int join_per_fd(struct nsu_enter *e)
{
	bool user_first = !have_sys_admin();
	enum nsu_nstype order[NSU_NS_COUNT];
	size_t n = 0;

	if (user_first)
		order[n++] = NSU_NS_USER;
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		order[n++] = join_order[i];
	if (!user_first)
		order[n++] = NSU_NS_USER;

	for (size_t i = 0; i < n; i++) {
		enum nsu_nstype t = order[i];

		if (!(e->mask & nsu_nstype_flag(t)))
			continue;
		if (setns(nsu_ns_fd(e->ns[t]), nsu_nstype_flag(t)) < 0) {
			e->failed_type = (int)t;
			return -errno;
		}
	}
	return 0;
}

/* After setns(pidfd, mask) failed: which type was it? Ask a throwaway
 * child to join one fd at a time (never "try, fail, continue" in the
 * process that goes on), and take the type it stopped at. */
static void find_failed_type(struct nsu_enter *e)
{
	int ws;
	pid_t child = fork();

	if (child < 0)
		return;
	if (child == 0) {
		int r = join_per_fd(e);

		_exit(r < 0 ? 1 + e->failed_type : 0);
	}
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(ws) && WEXITSTATUS(ws) > 0 &&
	    WEXITSTATUS(ws) <= NSU_NS_COUNT)
		e->failed_type = WEXITSTATUS(ws) - 1;
}

/* Is every namespace of the plan now ours? The pid and time namespaces
 * are compared with our *_for_children ones: setns() moves only those,
 * and they are what the program gets (after fork, or exec for time). */
static int verify(struct nsu_enter *e, int self_pidfd, int self_dir)
{
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct stat now;
		bool same;
		int r;

		if (!(e->mask & nsu_nstype_flag(t)))
			continue;
		r = self_ident(e->ctx, self_pidfd, self_dir, t,
			       NSU_NS_FOR_CHILDREN, &now);
		if (r < 0) {
			e->failed_type = t;
			return r;
		}
		same = same_ns(&now, e->ns[t]);
		if (!same) {
			e->failed_type = t;
			return -NSU_ENOTJOINED;
		}
	}
	return 0;
}

NSU_EXPORT int nsu_enter_join(struct nsu_enter *e, unsigned int flags)
{
	_cleanup_close_ int self_pidfd = -1;
	_cleanup_close_ int self_dir = -1;
	int r;

	e->failed_type = -1;
	e->used_pidfd = false;
	if (!e->mask)
		return -EINVAL;
	/* Before the first setns(): from the moment we share a namespace
	 * with the target's processes, they must not be able to ptrace us
	 * (we still hold our privileges and our fds) until we exec. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;

	/* What verify() needs, opened while we are still ourselves. */
	self_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (e->ctx->has_pidfd_ns_ioctl != 1 || self_pidfd < 0) {
		self_dir = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (self_dir < 0)
			return -errno;
	}

	if (e->pidfd >= 0 && e->mask == e->from_target &&
	    !(flags & NSU_ENTER_PER_FD)) {
		/* All or nothing (Linux 5.8+). */
		if (setns(e->pidfd, e->mask) == 0) {
			e->used_pidfd = true;
			goto joined;
		}
		r = -errno;
		if (r != -EINVAL || nsu_pidfd_alive(e->pidfd) != 1) {
			if (nsu_pidfd_alive(e->pidfd) != 1)
				return -NSU_EREPLACED;
			find_failed_type(e);
			return r;
		}
		/* EINVAL: a kernel without pidfd setns (or a plan it will
		 * not take whole); fall back to the fds opened earlier. */
		nsu_dbg(e->ctx, "setns(pidfd) failed (EINVAL), joining per fd");
	}
	r = join_per_fd(e);
	if (r < 0)
		return r;
joined:
	return verify(e, self_pidfd, self_dir);
}

/* ---- other ways to name a namespace ---- */

struct nsu_nsfs_handle {
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t ns_inum;
};

/* Whether FD's namespace has id ID: 1 yes, 0 no, -NSU_ENOTSUPP when the
 * kernel has no ids for this type. */
static int has_id(int fd, enum nsu_nstype type, uint64_t id)
{
	uint64_t v = 0;

	if (ioctl(fd, NS_GET_ID, &v) == 0)
		return v == id;
	if (type == NSU_NS_MNT && ioctl(fd, NS_GET_MNTNS_ID, &v) == 0)
		return v == id;
	return -NSU_ENOTSUPP;
}

/* Look for the namespace among those the kernel lets us name: every
 * process's /proc/PID/ns entry and every nsfs bind mount (pins). */
static int scan_for_id(struct nsu_ctx *ctx, enum nsu_nstype type,
		       uint64_t id)
{
	struct nsu_proc_iter *it;
	struct libmnt_table *tb;
	pid_t pid;
	int r, found = -ENOENT;

	it = nsu_proc_iter_new(ctx, 0);
	if (!it)
		return -errno;
	while (found < 0 && nsu_proc_iter_next(it, &pid, NULL) == 1) {
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/%d/ns/%s", ctx->proc_root,
			 (int)pid, nsu_nstype_name(type));
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		r = has_id(fd, type, id);
		if (r == 1)
			found = fd;
		else
			close(fd);
		if (r == -NSU_ENOTSUPP) {
			found = r;
			break;
		}
	}
	nsu_proc_iter_free(it);
	if (found != -ENOENT)
		return found;

	tb = mnt_new_table_from_file("/proc/self/mountinfo");
	if (tb) {
		struct libmnt_iter *mi = mnt_new_iter(MNT_ITER_FORWARD);
		struct libmnt_fs *fs;

		while (mi && found < 0 && mnt_table_next_fs(tb, mi, &fs) == 0) {
			const char *fstype = mnt_fs_get_fstype(fs);
			const char *target = mnt_fs_get_target(fs);
			int fd;

			if (!fstype || strcmp(fstype, "nsfs") != 0 || !target)
				continue;
			fd = open(target, O_RDONLY | O_CLOEXEC | O_NOCTTY |
				  O_NONBLOCK);
			if (fd < 0)
				continue;
			if (nsu_fd_is_ns(fd, NULL) == 0 &&
			    has_id(fd, type, id) == 1) {
				enum nsu_nstype t;

				if (nsu_fd_is_ns(fd, &t) == 0 && t == type) {
					found = fd;
					continue;
				}
			}
			close(fd);
		}
		mnt_free_iter(mi);
		mnt_unref_table(tb);
	}
	return found;
}

NSU_EXPORT struct nsu_ns *nsu_ns_open_id(struct nsu_ctx *ctx,
					 enum nsu_nstype type, uint64_t id)
{
	struct {
		struct file_handle fh;
		struct nsu_nsfs_handle h;
	} q;
	_cleanup_close_ int anchor = -1;
	int fd, err;
	struct nsu_ns *ns;

	if (!nsu_nstype_name(type) || id == 0) {
		errno = EINVAL;
		return NULL;
	}
	/* Any nsfs fd anchors the lookup: our own namespace of the type. */
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/ns/%s",
			 nsu_nstype_name(type));
		anchor = open(path, O_RDONLY | O_CLOEXEC);
		if (anchor < 0)
			return NULL;
	}
	if (has_id(anchor, type, id) == -NSU_ENOTSUPP) {
		errno = NSU_ENOTSUPP; /* no 64-bit ids at all (before 6.18) */
		return NULL;
	}
	/* An nsfs file handle names a namespace by id alone on kernels that
	 * keep every namespace in an id tree (6.19+); 6.18 exports handles
	 * but also wants the inode number, which we do not know (ESTALE).
	 * Then look among the namespaces we can reach by name. */
	memset(&q, 0, sizeof(q));
	q.fh.handle_bytes = sizeof(q.h);
	q.fh.handle_type = FILEID_NSFS;
	q.h.ns_id = id;
	q.h.ns_type = (uint32_t)nsu_nstype_flag(type);
	fd = open_by_handle_at(anchor, &q.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		nsu_dbg(ctx, "nsfs handle for id %llu: %s, scanning",
			(unsigned long long)id, strerror(errno));
		fd = scan_for_id(ctx, type, id);
		if (fd < 0) {
			errno = -fd;
			return NULL;
		}
	}
	ns = nsu_ns_from_fd(ctx, fd, (int)type);
	if (!ns) {
		err = errno;
		close(fd);
		errno = err;
	}
	return ns;
}

NSU_EXPORT struct nsu_ns *nsu_ns_open_socket(struct nsu_ctx *ctx, int pidfd,
					     int fd)
{
	_cleanup_close_ int sk = -1;
	int nsfd, err;
	struct nsu_ns *ns;

	if (pidfd < 0 || fd < 0) {
		errno = EINVAL;
		return NULL;
	}
	/* A copy of the target's fd (Linux 5.6+, needs ptrace access); the
	 * kernel hands it out close-on-exec. */
	sk = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sk < 0)
		return NULL;
	nsfd = ioctl(sk, SIOCGSKNS);
	if (nsfd < 0)
		return errno == ENOTTY ? (errno = ENOTSOCK, NULL) : NULL;
	ns = nsu_ns_from_fd(ctx, nsfd, NSU_NS_NET);
	if (!ns) {
		err = errno;
		close(nsfd);
		errno = err;
	}
	return ns;
}

/* ---- cgroup v2 ---- */

int nsu_cgroup2_parse(const char *text, char **path)
{
	for (const char *l = text; l && *l; ) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);

		if (len >= 3 && memcmp(l, "0::", 3) == 0) {
			char *p = strndup(l + 3, len - 3);

			if (!p)
				return -ENOMEM;
			*path = p;
			return 0;
		}
		l = end ? end + 1 : NULL;
	}
	return -NSU_ENOTSUPP;
}

int nsu_cgroup2_dir(const char *mountinfo, const char *cgpath, char **dir)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	int r = -ENOENT;

	/* The mount table, not a guess: cgroup2 is not always at
	 * /sys/fs/cgroup (hybrid hosts mount it at .../unified, containers
	 * anywhere). */
	tb = mnt_new_table_from_file(mountinfo);
	if (!tb)
		return -errno ? -errno : -ENOENT;
	it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it) {
		mnt_unref_table(tb);
		return -ENOMEM;
	}
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs);
		const char *root = mnt_fs_get_root(fs);
		const char *target = mnt_fs_get_target(fs);
		const char *rest;
		size_t rl;

		if (!type || strcmp(type, "cgroup2") != 0 || !target)
			continue;
		if (!root)
			root = "/";
		rl = strlen(root);
		while (rl > 0 && root[rl - 1] == '/')
			rl--;
		/* CGPATH must be ROOT itself or below it */
		if (strncmp(cgpath, root, rl) != 0 ||
		    (cgpath[rl] != '\0' && cgpath[rl] != '/')) {
			r = -EXDEV;
			continue;
		}
		rest = cgpath + rl;
		if (asprintf(dir, "%s%s", strcmp(target, "/") == 0 && *rest ?
			     "" : target, rest) < 0) {
			r = -ENOMEM;
			break;
		}
		r = 0;
		break;
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r;
}

NSU_EXPORT int nsu_enter_open_cgroup_procs(struct nsu_enter *e)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *text = NULL, *cg = NULL, *dir = NULL;
	char path[PATH_MAX];
	ssize_t len;
	int r, procs;

	fd = nsu_enter_open_target_file(e, "cgroup", O_RDONLY);
	if (fd < 0)
		return fd;
	len = nsu_read_fd_alloc(fd, &text);
	if (len < 0)
		return (int)len;
	r = nsu_cgroup2_parse(text, &cg);
	if (r < 0)
		return r;
	r = nsu_cgroup2_dir("/proc/self/mountinfo", cg, &dir);
	if (r < 0)
		return r;
	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	procs = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (procs < 0)
		return -errno;
	if (nsu_pidfd_alive(e->pidfd) != 1) {
		close(procs);
		return -NSU_EREPLACED;
	}
	return procs;
}

NSU_EXPORT int nsu_cgroup_move_self(int procs_fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	ssize_t w;

	do
		w = write(procs_fd, buf, (size_t)n);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	return w == n ? 0 : -EIO;
}
