/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ns.c - namespace handles: open from a PID, a pidfd or a file, verify that
 * it really is a namespace, and ask the kernel for its identity. */
#include <poll.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "nsutil-internal.h"

NSU_EXPORT int nsu_fd_is_ns(int fd, enum nsu_nstype *type)
{
	struct statfs sfs;
	int flag, t;

	if (fd < 0)
		return -EBADF;
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	/* The filesystem magic first: NS_GET_NSTYPE's ioctl number could mean
	 * something else to another driver. */
	if ((unsigned long)sfs.f_type != NSFS_MAGIC)
		return -NSU_ENOTNS;
	flag = ioctl(fd, NS_GET_NSTYPE);
	if (flag < 0)
		return errno == ENOTTY ? -NSU_ENOTNS : -errno;
	t = nsu_nstype_from_flag(flag);
	if (t < 0)
		return -NSU_ENOTNS;
	if (type)
		*type = (enum nsu_nstype)t;
	return 0;
}

static struct nsu_ns *wrap_fd(int fd, int expected_type, int *err)
{
	struct nsu_ns *ns;
	enum nsu_nstype t;
	struct stat st;
	int r;

	r = nsu_fd_is_ns(fd, &t);
	if (r < 0) {
		*err = -r;
		return NULL;
	}
	if (expected_type >= 0 && (int)t != expected_type) {
		*err = NSU_EWRONGTYPE;
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		*err = errno;
		return NULL;
	}
	ns = calloc(1, sizeof(*ns));
	if (!ns) {
		*err = ENOMEM;
		return NULL;
	}
	ns->fd = fd;
	ns->type = t;
	ns->dev = (uint64_t)st.st_dev;
	ns->ino = (uint64_t)st.st_ino;
	return ns;
}

NSU_EXPORT struct nsu_ns *nsu_ns_from_fd(struct nsu_ctx *ctx, int fd,
					 int expected_type)
{
	struct nsu_ns *ns;
	int err = 0;

	ns = wrap_fd(fd, expected_type, &err);
	if (!ns)
		errno = err;
	return ns;
}

NSU_EXPORT struct nsu_ns *nsu_ns_open_path(struct nsu_ctx *ctx,
					   const char *path, int expected_type)
{
	_cleanup_close_ int fd = -1;
	struct nsu_ns *ns;
	int err = 0;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	/* O_RDONLY (not O_PATH): setns() needs a real open file, and a FIFO
	 * given by mistake must not block us, hence O_NONBLOCK. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	ns = wrap_fd(fd, expected_type, &err);
	if (!ns) {
		errno = err;
		return NULL;
	}
	fd = -1; /* owned by ns now */
	return ns;
}

static const char *entry_for(enum nsu_nstype type, unsigned int flags)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);

	if (!i)
		return NULL;
	if ((flags & NSU_NS_FOR_CHILDREN) && i->children)
		return i->children;
	return i->name;
}

NSU_EXPORT struct nsu_ns *nsu_ns_open_pid(struct nsu_ctx *ctx, pid_t pid,
					  enum nsu_nstype type,
					  unsigned int flags)
{
	const char *entry = entry_for(type, flags);
	char path[PATH_MAX];

	if (!entry || pid <= 0) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%d/ns/%s", ctx->proc_root, (int)pid,
		 entry);
	return nsu_ns_open_path(ctx, path, (int)type);
}

/* The PID of the process behind PIDFD, from /proc/self/fdinfo ("Pid:"), in
 * our own PID namespace. */
static int pidfd_get_pid(int pidfd, pid_t *pid)
{
	char path[64], buf[1024];
	const char *p;
	ssize_t n;
	long v;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	n = nsu_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	p = strstr(buf, "\nPid:");
	if (!p)
		return -EBADF; /* every pidfd's fdinfo has it: not a pidfd */
	v = strtol(p + 5, NULL, 10);
	if (v <= 0)
		return -ESRCH; /* -1: exited; 0: not in our PID namespace */
	*pid = (pid_t)v;
	return 0;
}

NSU_EXPORT struct nsu_ns *nsu_ns_open_pidfd(struct nsu_ctx *ctx, int pidfd,
					    enum nsu_nstype type,
					    unsigned int flags)
{
	const struct nsu_nstype_info *i = nsu_nstype_info(type);
	struct nsu_ns *ns;
	pid_t pid;
	int r, err = 0;

	if (!i || pidfd < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (ctx->has_pidfd_ns_ioctl != 0) {
		unsigned long req = i->pidfd_ioctl;
		int fd;

		if ((flags & NSU_NS_FOR_CHILDREN) && i->pidfd_children_ioctl)
			req = i->pidfd_children_ioctl;
		fd = ioctl(pidfd, req, 0);
		if (fd >= 0) {
			ctx->has_pidfd_ns_ioctl = 1;
			ns = wrap_fd(fd, (int)type, &err);
			if (!ns) {
				close(fd);
				errno = err;
			}
			return ns;
		}
		/* ENOTTY/EINVAL: a kernel before 6.11; anything else is a
		 * real answer about this process (ESRCH, EOPNOTSUPP...). */
		if (errno != ENOTTY && errno != EINVAL)
			return NULL;
	}
	r = pidfd_get_pid(pidfd, &pid);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	/* Only a real pidfd's ENOTTY says the kernel lacks the ioctls; any
	 * other fd says ENOTTY too and must not disable them for good. */
	if (ctx->has_pidfd_ns_ioctl != 0) {
		nsu_dbg(ctx, "PIDFD_GET_*_NAMESPACE unsupported, using /proc");
		ctx->has_pidfd_ns_ioctl = 0;
	}
	ns = nsu_ns_open_pid(ctx, pid, type, flags);
	if (!ns) {
		/* An exited (zombie) process has no ns/ entries: report ESRCH,
		 * as the ioctl path does, rather than /proc's ENOENT. */
		int e = errno;

		errno = nsu_pidfd_alive(pidfd) == 0 ? ESRCH : e;
		return NULL;
	}
	/* The PID may have been reused between reading it and opening the
	 * file: if the pidfd's process is gone, the file may belong to
	 * someone else. */
	if (nsu_pidfd_alive(pidfd) != 1) {
		nsu_ns_free(ns);
		errno = NSU_EREPLACED;
		return NULL;
	}
	return ns;
}

NSU_EXPORT void nsu_ns_free(struct nsu_ns *ns)
{
	if (!ns)
		return;
	if (ns->fd >= 0)
		close(ns->fd);
	free(ns);
}

NSU_EXPORT int nsu_ns_fd(const struct nsu_ns *ns)
{
	return ns->fd;
}

NSU_EXPORT enum nsu_nstype nsu_ns_type(const struct nsu_ns *ns)
{
	return ns->type;
}

NSU_EXPORT uint64_t nsu_ns_ino(const struct nsu_ns *ns)
{
	return ns->ino;
}

NSU_EXPORT uint64_t nsu_ns_dev(const struct nsu_ns *ns)
{
	return ns->dev;
}

NSU_EXPORT int nsu_ns_id(const struct nsu_ns *ns, uint64_t *id)
{
	uint64_t v = 0;

	if (ioctl(ns->fd, NS_GET_ID, &v) == 0) {
		*id = v;
		return 0;
	}
	/* Before 6.18 only mount namespaces had a 64-bit id (6.8). */
	if (ns->type == NSU_NS_MNT && ioctl(ns->fd, NS_GET_MNTNS_ID, &v) == 0) {
		*id = v;
		return 0;
	}
	return -NSU_ENOTSUPP;
}

NSU_EXPORT bool nsu_ns_equal(const struct nsu_ns *a, const struct nsu_ns *b)
{
	return a && b && a->dev == b->dev && a->ino == b->ino;
}

static struct nsu_ns *related(const struct nsu_ns *ns, unsigned long req)
{
	struct nsu_ns *r;
	int fd, err = 0;

	fd = ioctl(ns->fd, req);
	if (fd < 0)
		return NULL;
	/* The kernel hands these out close-on-exec already (O_CLOEXEC in
	 * open_related_ns), so no window to fix here. */
	r = wrap_fd(fd, -1, &err);
	if (!r) {
		close(fd);
		errno = err;
	}
	return r;
}

NSU_EXPORT struct nsu_ns *nsu_ns_parent(const struct nsu_ns *ns)
{
	return related(ns, NS_GET_PARENT);
}

NSU_EXPORT struct nsu_ns *nsu_ns_owner(const struct nsu_ns *ns)
{
	return related(ns, NS_GET_USERNS);
}

NSU_EXPORT int nsu_ns_owner_uid(const struct nsu_ns *ns, uid_t *uid)
{
	uid_t u;

	if (ns->type != NSU_NS_USER)
		return -NSU_EWRONGTYPE;
	if (ioctl(ns->fd, NS_GET_OWNER_UID, &u) < 0)
		return -errno;
	*uid = u;
	return 0;
}
