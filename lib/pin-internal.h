/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin-internal.h - what pin.c, pin-write.c and pin-list.c share: the
 * registry layout, symlink-free path resolution and the status object. */
#ifndef NSU_PIN_INTERNAL_H
#define NSU_PIN_INTERNAL_H

#include <stdint.h>

#include "nsutil-internal.h"

/* The private sub-directory for mount-namespace pins (see nsutil.h). */
#define NSU_PIN_MNT_SUBDIR ".mnt"
/* The pidfs inode of the init nsu_pin_add_new() made for NAME's PID
 * namespace, so that nsu_pin_remove() kills that process and no other. */
#define NSU_PIN_INIT_FILE ".init"
/* The registry's lock file (root only; see registry_lock()). */
#define NSU_PIN_LOCK_FILE ".lock"
/* How long to wait for a lock before giving up. */
#define NSU_PIN_LOCK_WAIT_MS 10000
/* Bound on the mounts stacked on one file that remove will take off. */
#define NSU_PIN_MAX_STACK 16

/* Mount API constants that Debian 12's headers may lack. */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef RESOLVE_NO_SYMLINKS
#define RESOLVE_NO_SYMLINKS 0x04
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

struct nsu_pin_status {
	enum nsu_pin_result result;
	int err;
	int type;
	char *path;
	char *holders;
	char *elsewhere;
	uint64_t self_mntns_id;
	uint64_t ns_mntns_id;
};

/* Record a failure in ST (may be NULL); PATH is DIR/SUB when SUB is not
 * NULL. Returns ERR, so callers write "return pin_fail(...)". */
int nsu_pin_fail(struct nsu_pin_status *st, enum nsu_pin_result result,
		 int err, int type, const char *dir, const char *sub);

/* Open directory PATH (relative to DIRFD) for reading without following
 * any symbolic link on the way: openat2(RESOLVE_NO_SYMLINKS), or a walk of
 * O_NOFOLLOW opens on kernels before 5.6. A close-on-exec fd or -errno
 * (-ELOOP for a symlink). */
int nsu_open_dir_nofollow(int dirfd, const char *path);

/* statx facts about the file FD refers to (or DIRFD/NAME without following
 * a final symlink): whether it is the root of a mount, and its mount id. */
int nsu_mount_facts(int dirfd, const char *name, bool *is_root,
		    uint64_t *mnt_id);

/* Whether FD (an O_PATH fd is fine) is the root of an nsfs mount, i.e. a
 * pin: 1 yes, 0 no, or -errno. */
int nsu_fd_is_pin(int fd);

/* The registry directory to use for DIR (NULL: the default). */
const char *nsu_pin_dir(const char *dir);

/* ---- shared by pin-registry.c, pin-write.c and pin-remove.c ---- */

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* An open registry: the lock is held until nsu_pin_registry_close(). */
struct nsu_pin_registry {
	int lockfd;  /* the flock is held on this one */
	int fd;      /* the registry directory (its own mount) */
	int mntfd;   /* DIR/.mnt (its own private mount); -1 when not opened */
	const char *path;
};

/* Open (CREATE: and set up) registry DIR (NULL: the default). 0 or a
 * negative error, recorded in ST. */
int nsu_pin_registry_open(struct nsu_ctx *ctx, const char *dir, bool create,
			  struct nsu_pin_registry *reg, struct nsu_pin_status *st);
void nsu_pin_registry_close(struct nsu_pin_registry *reg);
/* PATH's directory (malloc'd) and last component (in PATH). 0 or -errno. */
int nsu_pin_split_path(const char *path, char **parent, const char **base);
/* SYMLINK for -ELOOP/-ENOTDIR, else REGISTRY. */
enum nsu_pin_result nsu_pin_open_failure(int err);
/* flock(LOCK_EX) with a bounded wait. 0, -EWOULDBLOCK or -errno. */
int nsu_pin_lock_wait(int fd);
/* Unmount DIRFD/ENTRY through the directory's magic link. 0 or -errno. */
int nsu_pin_umount_at(int dirfd, const char *entry, int flags);
/* Bind FROM onto TO, both fds. 0 or -errno. */
int nsu_pin_bind_fd(int from, int to);
/* Whether DIRFD's mount is shared: 1, 0 or -errno. */
int nsu_pin_mount_is_shared(struct nsu_ctx *ctx, int dirfd);
/* The init of PID namespace NSFD as a PID in ours, -ESRCH when it has
 * none, -NSU_ENOTSUPP before 6.11. */
int nsu_pin_pidns_init(int nsfd);

#endif /* NSU_PIN_INTERNAL_H */
