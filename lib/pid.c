/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pid.c - strict PID parsing and pidfds: the only safe way to name a process
 * across time (PIDs are reused, pidfds are not). */
#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "nsutil-internal.h"

NSU_EXPORT int nsu_parse_pid(const char *s, pid_t *pid)
{
	uint64_t v;

	if (!s || !pid)
		return -NSU_EBADPID;
	/* Decimal digits only: no sign, space, "0x" or leading zero, so that
	 * "010" cannot mean 8 to one tool and 10 to another. */
	if (nsu_parse_u64(s, strlen(s), NSU_PID_MAX_LIMIT, false, &v) < 0 ||
	    v == 0)
		return -NSU_EBADPID;
	*pid = (pid_t)v;
	return 0;
}

NSU_EXPORT int nsu_parse_pid_spec(const char *s, pid_t *pid, uint64_t *inode)
{
	const char *colon;
	uint64_t v, ino;

	if (!s || !pid || !inode)
		return -NSU_EBADPID;
	colon = strchr(s, ':');
	if (!colon)
		return nsu_parse_pid(s, pid) < 0 ? -NSU_EBADPID :
			(*inode = 0, 0);
	if (nsu_parse_u64(s, (size_t)(colon - s), NSU_PID_MAX_LIMIT, false,
			  &v) < 0 || v == 0)
		return -NSU_EBADPID;
	if (nsu_parse_u64(colon + 1, strlen(colon + 1), UINT64_MAX, false,
			  &ino) < 0 || ino == 0)
		return -NSU_EBADPID;
	*pid = (pid_t)v;
	*inode = ino;
	return 0;
}

NSU_EXPORT int nsu_pidfd_inode(int pidfd, uint64_t *inode)
{
	struct statfs sfs;
	struct stat st;

	/* Before pidfs (6.9) every pidfd shared one anon inode: no identity. */
	if (fstatfs(pidfd, &sfs) < 0)
		return -errno;
	if ((unsigned long)sfs.f_type != PIDFS_MAGIC)
		return -NSU_ENOTSUPP;
	if (fstat(pidfd, &st) < 0)
		return -errno;
	*inode = (uint64_t)st.st_ino;
	return 0;
}

NSU_EXPORT int nsu_pidfd_alive(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int r;

	/* poll() skips negative fds and reports a closed one as POLLNVAL:
	 * neither may read as "alive" or "exited". */
	if (pidfd < 0)
		return -EBADF;
	/* A pidfd polls readable once its process has exited. */
	do
		r = poll(&pfd, 1, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	return (r == 0) ? 1 : 0;
}

NSU_EXPORT int nsu_pidfd_open(pid_t pid, uint64_t inode)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (pid <= 0)
		return -NSU_EBADPID;
	/* pidfds are always close-on-exec. */
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	if (inode != 0) {
		uint64_t have;

		r = nsu_pidfd_inode(fd, &have);
		if (r < 0)
			return r;
		if (have != inode)
			return -NSU_EREPLACED;
	}
	/* A zombie still has a PID and a pidfd, but no namespaces to join. */
	if (nsu_pidfd_alive(fd) != 1)
		return -ESRCH;
	return nsu_steal_fd(&fd);
}
