/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsutil-internal.h - private types, kernel constants and helpers of libnsutil. */
#ifndef NSUTIL_INTERNAL_H
#define NSUTIL_INTERNAL_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsutil.h"

#define NSU_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- kernel constants that Debian 12's headers (Linux 6.1) lack ---- */

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef PIDFS_MAGIC
#define PIDFS_MAGIC 0x50494446
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define NSU_NSIO 0xb7
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(NSU_NSIO, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSU_NSIO, 0x2)
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSU_NSIO, 0x3)
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID _IO(NSU_NSIO, 0x4)
#endif
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(NSU_NSIO, 0x5, uint64_t) /* 6.8 */
#endif
#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS _IOR(NSU_NSIO, 0x6, int) /* 6.11 */
#define NS_GET_TGID_FROM_PIDNS _IOR(NSU_NSIO, 0x7, int)
#define NS_GET_PID_IN_PIDNS _IOR(NSU_NSIO, 0x8, int)
#define NS_GET_TGID_IN_PIDNS _IOR(NSU_NSIO, 0x9, int)
#endif
#ifndef NS_GET_ID
#define NS_GET_ID _IOR(NSU_NSIO, 13, uint64_t) /* 6.18 */
#endif

#define NSU_PIDFS_IOCTL_MAGIC 0xFF
#ifndef PIDFD_GET_CGROUP_NAMESPACE /* 6.11 */
#define PIDFD_GET_CGROUP_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 1)
#define PIDFD_GET_IPC_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 2)
#define PIDFD_GET_MNT_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 3)
#define PIDFD_GET_NET_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 4)
#define PIDFD_GET_PID_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 5)
#define PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 6)
#define PIDFD_GET_TIME_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 7)
#define PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 8)
#define PIDFD_GET_USER_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 9)
#define PIDFD_GET_UTS_NAMESPACE _IO(NSU_PIDFS_IOCTL_MAGIC, 10)
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif

/* ---- the one namespace-type table (nstype.c) ---- */

struct nsu_nstype_info {
	const char *name;        /* "mnt": /proc/PID/ns entry and lsns name */
	const char *long_option; /* "mount": unshare/nsenter long option */
	int short_option;        /* 'm' */
	int flag;                /* CLONE_NEWNS */
	const char *children;    /* "pid_for_children" or NULL */
	const char *since;       /* kernel version that added it */
	unsigned long pidfd_ioctl;          /* PIDFD_GET_*_NAMESPACE */
	unsigned long pidfd_children_ioctl; /* ..._FOR_CHILDREN_..., or 0 */
};

const struct nsu_nstype_info *nsu_nstype_info(enum nsu_nstype type);

/* ---- context ---- */

#define NSU_PROBE_UNKNOWN (-1)

struct nsu_ctx {
	char *proc_root;
	char *subuid_path;
	char *subgid_path;
	nsu_log_fn log_fn;
	void *log_data;
	int log_priority;
	int supported_mask; /* -1 until probed */
	int has_pidfd_ns_ioctl; /* PIDFD_GET_*_NAMESPACE: -1 unknown, 0, 1 */
};

__attribute__((format(printf, 3, 4)))
void nsu_log(struct nsu_ctx *ctx, int priority, const char *fmt, ...);
#define nsu_dbg(ctx, ...) \
	do { if ((ctx) && (ctx)->log_priority >= 7) nsu_log(ctx, 7, __VA_ARGS__); } while (0)

/* ---- small helpers (util.c) ---- */

/* Parse an unsigned decimal without sign, space or base prefix; leading
 * zeros allowed only if ALLOW_ZEROS. 0 or -EINVAL / -ERANGE. */
int nsu_parse_u64(const char *s, size_t len, uint64_t max, bool allow_zeros,
		  uint64_t *out);
/* Read a whole small file at DIRFD/PATH into BUF (NUL-terminated). Bytes
 * read or -errno; -EFBIG if it does not fit. */
ssize_t nsu_read_file_at(int dirfd, const char *path, char *buf, size_t size);
/* Same into a growing malloc'd buffer; length or -errno. */
ssize_t nsu_read_file_alloc_at(int dirfd, const char *path, char **out);
/* Read all of an open FD into a malloc'd, NUL-terminated buffer (at most
 * 64 MiB); length or -errno. */
ssize_t nsu_read_fd_alloc(int fd, char **out);

/* __attribute__((cleanup)) helpers: functions read as straight lines of
 * early returns, and nothing leaks on any of them. */
static inline void nsu_freep(void *p)
{
	free(*(void **)p);
}
static inline void nsu_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
#define _cleanup_free_ __attribute__((cleanup(nsu_freep)))
#define _cleanup_close_ __attribute__((cleanup(nsu_closep)))

static inline void *nsu_steal_ptr(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define steal_pointer(pp) nsu_steal_ptr(pp)

static inline int nsu_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

/* ---- namespace handle ---- */

struct nsu_ns {
	int fd;
	enum nsu_nstype type;
	uint64_t dev;
	uint64_t ino;
};

/* ---- process snapshot ---- */

#define NSU_MAX_NSPID_LEVELS 33 /* MAX_PID_NS_LEVEL (32) + the initial one */

struct nsu_proc {
	pid_t pid;
	unsigned int have;
	/* stat */
	char state;
	pid_t ppid;
	char comm[64];
	/* status */
	uid_t uid;
	gid_t gid;
	int nspid_levels;
	int nstgid_levels;
	pid_t nspid[NSU_MAX_NSPID_LEVELS];
	pid_t nstgid[NSU_MAX_NSPID_LEVELS];
	/* cmdline */
	char *cmdline;
};

/* Pure parsers (proc.c), exposed for unit tests and fuzzers. */
int nsu_parse_stat(const char *buf, size_t len, struct nsu_proc *p);
int nsu_parse_status(const char *buf, size_t len, struct nsu_proc *p);
/* Turn a NUL-separated cmdline of LEN bytes into a malloc'd string with
 * spaces between arguments. */
char *nsu_cmdline_join(const char *buf, size_t len);

/* ---- id maps ---- */

struct nsu_idmap_line {
	uint32_t inner;
	uint32_t outer;
	uint32_t count;
};

struct nsu_idmap {
	enum nsu_idkind kind;
	size_t n;
	struct nsu_idmap_line line[NSU_IDMAP_MAX_LINES];
};

/* Parse one line of /etc/subuid ("owner:start:count"); 0 if it parses,
 * with *owner pointing into LINE and *owner_len set. */
int nsu_subid_parse_line(const char *line, size_t len, const char **owner,
			 size_t *owner_len, uint32_t *start, uint32_t *count);

#endif /* NSUTIL_INTERNAL_H */
