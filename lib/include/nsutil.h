/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsutil.h - the one public header of libnsutil, a library for Linux namespaces. */
#ifndef NSUTIL_H
#define NSUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Conventions
 *
 * - Every function that can fail returns 0 (or a non-negative count) on
 *   success and a negative error code on failure: either -errno from the
 *   kernel or libc, or one of the library's own -NSU_E* codes below.
 *   nsu_strerror() turns either kind into text.
 * - Constructors return a new object, or NULL with errno set.
 * - The library never prints, never exits, and keeps no global state:
 *   everything lives in a struct nsu_ctx.
 * - Every file descriptor the library opens is close-on-exec.
 */

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

/* The library's own error codes, above the errno range. */
enum {
	NSU_ERR_BASE = 4096,
	NSU_ENOTNS,       /* the file is not a namespace file (stale pin?) */
	NSU_EWRONGTYPE,   /* namespace file is of another type than asked */
	NSU_EREPLACED,    /* the target process exited or was replaced */
	NSU_EBADPID,      /* malformed PID or PID:INODE */
	NSU_EBADTYPE,     /* unknown namespace type name */
	NSU_ENOTSUPP,     /* this kernel lacks the namespace type or feature */
	NSU_EMAPSYNTAX,   /* malformed id-map specification */
	NSU_EMAPCOUNT,    /* id-map range with a count of zero */
	NSU_EMAPOVERFLOW, /* id-map range reaches past 2^32 */
	NSU_EMAPOVERLAP,  /* id-map ranges overlap */
	NSU_EMAPTOOMANY,  /* more id-map lines than the kernel accepts (340) */
	NSU_ENOSUBIDS,    /* no usable range in /etc/subuid or /etc/subgid */
	NSU_ENOUSER,      /* unknown user or group name */
	NSU_EPARSE,       /* a kernel file (/proc...) had an unexpected format */
	NSU_ENOTJOINED,   /* after setns(), a namespace is not the one asked for */
	NSU_ERR_MAX
};

/* Text for a negative error code (library code or -errno). Never NULL. */
const char *nsu_strerror(int err);

/* Operations for which nsu_hint() knows the usual causes of a kernel error. */
enum nsu_op {
	NSU_OP_UNSHARE,    /* unshare(2) or clone(2) of a namespace */
	NSU_OP_SETNS,      /* setns(2) */
	NSU_OP_WRITE_MAP,  /* writing uid_map / gid_map / setgroups */
	NSU_OP_OPEN,       /* opening a namespace file */
	NSU_OP_PIN,        /* bind-mounting a namespace onto a file */
	NSU_OP_UNPIN,      /* unmounting a pin */
};

/* A one-line hint explaining a kernel error for an operation on a namespace
 * type (an enum nsu_nstype, or -1 if none), or NULL when there is nothing
 * more useful to say than nsu_strerror(). */
const char *nsu_hint(enum nsu_op op, int nstype, int err);

/* ------------------------------------------------------------------ */
/* Context                                                            */
/* ------------------------------------------------------------------ */

struct nsu_ctx;

/* Log priorities follow syslog: 3 error, 4 warning, 6 info, 7 debug. */
typedef void (*nsu_log_fn)(void *userdata, int priority, const char *fmt,
			   va_list ap);

/* A new context with the real /proc as proc root; NULL with errno set. */
struct nsu_ctx *nsu_ctx_new(void);
void nsu_ctx_free(struct nsu_ctx *ctx);
/* Read /proc from another directory (tests use fixture trees). 0 or -errno. */
int nsu_ctx_set_proc_root(struct nsu_ctx *ctx, const char *dir);
/* The current proc root, never NULL. */
const char *nsu_ctx_get_proc_root(const struct nsu_ctx *ctx);
void nsu_ctx_set_log_fn(struct nsu_ctx *ctx, nsu_log_fn fn, void *userdata);
void nsu_ctx_set_log_priority(struct nsu_ctx *ctx, int priority);
int nsu_ctx_get_log_priority(const struct nsu_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Namespace types: one table, owned by the library                   */
/* ------------------------------------------------------------------ */

enum nsu_nstype {
	NSU_NS_MNT = 0,
	NSU_NS_UTS,
	NSU_NS_IPC,
	NSU_NS_NET,
	NSU_NS_PID,
	NSU_NS_USER,
	NSU_NS_CGROUP,
	NSU_NS_TIME,
	NSU_NS_COUNT
};

/* Short name as in /proc/PID/ns and lsns: "mnt", "uts", ..., or NULL. */
const char *nsu_nstype_name(enum nsu_nstype type);
/* unshare(1)-style long option name: "mount", "uts", ..., or NULL. */
const char *nsu_nstype_long_option(enum nsu_nstype type);
/* unshare(1)-style short option letter: 'm', 'u', ..., or 0. */
int nsu_nstype_short_option(enum nsu_nstype type);
/* The CLONE_NEW* flag, or 0. */
int nsu_nstype_flag(enum nsu_nstype type);
/* The entry under /proc/PID/ns/ ("mnt", "net", ...), or NULL. */
const char *nsu_nstype_proc_entry(enum nsu_nstype type);
/* "pid_for_children" / "time_for_children", NULL for the other types. */
const char *nsu_nstype_children_entry(enum nsu_nstype type);
/* The kernel version that added the type, e.g. "5.6" for time. */
const char *nsu_nstype_since(enum nsu_nstype type);
/* The type for a name ("net", also long names such as "mount"); the exact
 * word only, never a prefix. A type (>= 0) or -NSU_EBADTYPE. */
int nsu_nstype_from_name(const char *name);
/* The type for a CLONE_NEW* flag, or -NSU_EBADTYPE. */
int nsu_nstype_from_flag(int flag);
/* Parse a comma-separated list ("net,ipc,uts"; "all" for every type) into
 * a mask of CLONE_NEW* flags. 0 or -NSU_EBADTYPE (with *bad_offset set to
 * the offending word's offset if bad_offset is not NULL). */
int nsu_nstype_parse_list(const char *list, int *mask, size_t *bad_offset);
/* Whether this kernel has the type (probed once per context from
 * /proc/self/ns): 1 yes, 0 no. */
int nsu_nstype_supported(struct nsu_ctx *ctx, enum nsu_nstype type);
/* Mask of CLONE_NEW* flags of every type this kernel has. */
int nsu_nstype_supported_mask(struct nsu_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Namespace handles                                                  */
/* ------------------------------------------------------------------ */

struct nsu_ns;

/* Flags for nsu_ns_open_*(). */
#define NSU_NS_FOR_CHILDREN 0x1 /* pid/time: the *_for_children namespace */

/* Open a namespace of process PID via PROC_ROOT/PID/ns/. NULL + errno. */
struct nsu_ns *nsu_ns_open_pid(struct nsu_ctx *ctx, pid_t pid,
			       enum nsu_nstype type, unsigned int flags);
/* Open a namespace of the process behind PIDFD: with the PIDFD_GET_*
 * ioctls where the kernel has them (6.11+), else via /proc, checking
 * afterwards that the pidfd's process is still alive (errno NSU_EREPLACED
 * otherwise). NULL + errno. */
struct nsu_ns *nsu_ns_open_pidfd(struct nsu_ctx *ctx, int pidfd,
				 enum nsu_nstype type, unsigned int flags);
/* Open a namespace file (a /proc/PID/ns/ entry or a pin). EXPECTED_TYPE is
 * a type or -1 for any. errno NSU_ENOTNS if the file is not a namespace,
 * NSU_EWRONGTYPE if it is of another type. NULL + errno. */
struct nsu_ns *nsu_ns_open_path(struct nsu_ctx *ctx, const char *path,
				int expected_type);
/* Wrap an fd that should refer to a namespace; the handle takes ownership
 * of FD on success only. NULL + errno as for nsu_ns_open_path(). */
struct nsu_ns *nsu_ns_from_fd(struct nsu_ctx *ctx, int fd, int expected_type);
void nsu_ns_free(struct nsu_ns *ns);

/* Check that FD is a namespace (nsfs magic, then NS_GET_NSTYPE); stores the
 * type in *type if not NULL. 0, -NSU_ENOTNS or -errno. */
int nsu_fd_is_ns(int fd, enum nsu_nstype *type);

int nsu_ns_fd(const struct nsu_ns *ns);
enum nsu_nstype nsu_ns_type(const struct nsu_ns *ns);
uint64_t nsu_ns_ino(const struct nsu_ns *ns);
uint64_t nsu_ns_dev(const struct nsu_ns *ns);
/* The kernel's 64-bit namespace id (NS_GET_ID, Linux 6.18; for mount
 * namespaces also NS_GET_MNTNS_ID, 6.8). 0 or -NSU_ENOTSUPP. */
int nsu_ns_id(const struct nsu_ns *ns, uint64_t *id);
/* Same namespace (same st_dev and st_ino)? */
bool nsu_ns_equal(const struct nsu_ns *a, const struct nsu_ns *b);
/* The parent namespace (pid and user types only). NULL + errno (EPERM when
 * the parent is outside the caller's reach). */
struct nsu_ns *nsu_ns_parent(const struct nsu_ns *ns);
/* The user namespace that owns NS. NULL + errno. */
struct nsu_ns *nsu_ns_owner(const struct nsu_ns *ns);
/* Owner uid of a user namespace, as seen from the caller. 0 or -errno. */
int nsu_ns_owner_uid(const struct nsu_ns *ns, uid_t *uid);

/* ------------------------------------------------------------------ */
/* Processes                                                          */
/* ------------------------------------------------------------------ */

/* The largest PID the kernel can ever hand out (PID_MAX_LIMIT). */
#define NSU_PID_MAX_LIMIT 4194304

/* Strict PID: decimal digits only, no sign, space, leading zero or hex,
 * 1..NSU_PID_MAX_LIMIT. 0 or -NSU_EBADPID. */
int nsu_parse_pid(const char *s, pid_t *pid);
/* "PID" or "PID:INODE" (the pidfs inode of the process). *inode is set to
 * 0 when absent. 0 or -NSU_EBADPID. */
int nsu_parse_pid_spec(const char *s, pid_t *pid, uint64_t *inode);

/* pidfd_open(2) on PID; if INODE is not 0, the pidfd's inode must match it
 * (else -NSU_EREPLACED). Returns a close-on-exec pidfd or -errno (-ESRCH:
 * no such process). */
int nsu_pidfd_open(pid_t pid, uint64_t inode);
/* 1 if the process behind PIDFD is still running, 0 if it exited, -EBADF if
 * PIDFD is not an open fd. */
int nsu_pidfd_alive(int pidfd);
/* The pidfs inode of PIDFD (Linux 6.9+). 0 or -NSU_ENOTSUPP / -errno. */
int nsu_pidfd_inode(int pidfd, uint64_t *inode);

/* A snapshot of one process, read from PROC_ROOT/PID. */
struct nsu_proc;

/* What nsu_proc_read() reads. */
#define NSU_PROC_STAT    0x1 /* state, ppid, comm */
#define NSU_PROC_STATUS  0x2 /* uids, gids, NSpid, NStgid */
#define NSU_PROC_CMDLINE 0x4 /* command line */

/* Read the parts WHAT of process PID. NULL + errno (ESRCH when it vanished,
 * NSU_EPARSE for an unexpected format). */
struct nsu_proc *nsu_proc_read(struct nsu_ctx *ctx, pid_t pid,
			       unsigned int what);
void nsu_proc_free(struct nsu_proc *p);
pid_t nsu_proc_pid(const struct nsu_proc *p);
/* NSU_PROC_STAT */
pid_t nsu_proc_ppid(const struct nsu_proc *p);
char nsu_proc_state(const struct nsu_proc *p);
const char *nsu_proc_comm(const struct nsu_proc *p);
/* NSU_PROC_STATUS: real uid and gid */
uid_t nsu_proc_uid(const struct nsu_proc *p);
gid_t nsu_proc_gid(const struct nsu_proc *p);
/* NSU_PROC_STATUS: the PID in each PID namespace, outermost first; returns
 * the number of levels (>= 1) and sets *pids, or a negative error. */
int nsu_proc_nspid(const struct nsu_proc *p, const pid_t **pids);
int nsu_proc_nstgid(const struct nsu_proc *p, const pid_t **pids);
/* NSU_PROC_CMDLINE: arguments joined by spaces (empty for kernel threads) */
const char *nsu_proc_cmdline(const struct nsu_proc *p);
/* The owner uid of PROC_ROOT/PID. 0 or -errno. */
int nsu_proc_owner(struct nsu_ctx *ctx, pid_t pid, uid_t *uid);

/* Iterate over the PIDs in PROC_ROOT quickly (one getdents64 stream). */
struct nsu_proc_iter;
#define NSU_ITER_THREADS 0x1 /* also every thread (TID) of every process */
struct nsu_proc_iter *nsu_proc_iter_new(struct nsu_ctx *ctx,
					unsigned int flags);
/* 1 and *pid set (and *tgid, if not NULL: the thread group of a TID), 0 at
 * the end, or a negative error. Processes that vanish mid-scan are skipped. */
int nsu_proc_iter_next(struct nsu_proc_iter *it, pid_t *pid, pid_t *tgid);
void nsu_proc_iter_free(struct nsu_proc_iter *it);

/* ------------------------------------------------------------------ */
/* ID maps (uid_map / gid_map)                                        */
/* ------------------------------------------------------------------ */

struct nsu_idmap;

/* The kernel's limit on lines in uid_map/gid_map. */
#define NSU_IDMAP_MAX_LINES 340

enum nsu_idkind { NSU_ID_USER = 0, NSU_ID_GROUP = 1 };

struct nsu_idmap *nsu_idmap_new(enum nsu_idkind kind);
void nsu_idmap_free(struct nsu_idmap *m);
enum nsu_idkind nsu_idmap_kind(const struct nsu_idmap *m);
/* Add INNER OUTER COUNT. Rejects count 0 (-NSU_EMAPCOUNT), a range past
 * 2^32 on either side (-NSU_EMAPOVERFLOW), an overlap with a range already
 * in the map on either side (-NSU_EMAPOVERLAP), and line 341
 * (-NSU_EMAPTOOMANY). */
int nsu_idmap_add(struct nsu_idmap *m, uint32_t inner, uint32_t outer,
		  uint32_t count);
/* Number of lines. */
size_t nsu_idmap_count(const struct nsu_idmap *m);
/* Line I: 0 or -ERANGE. */
int nsu_idmap_get(const struct nsu_idmap *m, size_t i, uint32_t *inner,
		  uint32_t *outer, uint32_t *count);
/* Render the text the kernel expects ("INNER OUTER COUNT\n" per line) into
 * a newly allocated string (*text). Its length or -errno. */
int nsu_idmap_render(const struct nsu_idmap *m, char **text);
/* Whether some line maps OUTER id ID (e.g. is there a mapping for our own
 * uid?). */
bool nsu_idmap_maps_outer(const struct nsu_idmap *m, uint32_t id);

/* Parse one --map-users / --map-groups value and add it to M:
 *   "INNER:OUTER:COUNT"   (util-linux >= 2.39 form)
 *   "OUTER,INNER,COUNT"   (util-linux 2.38 form)
 *   "auto"    the first subordinate range of the current user (see below)
 *   "subids"  the current id to 0 and the subordinate range from 1
 *   "all"     every id mapped in the caller's namespace (identity)
 * Subordinate ranges come from CTX's /etc/subuid or /etc/subgid for user
 * NAME / id ID (either may match). 0 or negative error; on error M is
 * left as it was. */
int nsu_idmap_parse_spec(struct nsu_ctx *ctx, struct nsu_idmap *m,
			 const char *spec, const char *name, uint32_t id);
/* Resolve a --map-user / --map-group value (a number or a user or group
 * name) to an id. Name lookups use NSS: call before joining anything.
 * 0, -NSU_ENOUSER or -NSU_EMAPSYNTAX. */
int nsu_idmap_resolve_id(enum nsu_idkind kind, const char *value,
			 uint32_t *id);
/* Read the first subordinate range of NAME / ID from PATH (/etc/subuid
 * format: "name-or-id:start:count" lines). 0, -NSU_ENOSUBIDS or -errno. */
int nsu_subid_lookup(const char *path, const char *name, uint32_t id,
		     uint32_t *start, uint32_t *count);
/* Set the files nsu_idmap_parse_spec() reads (tests). NULL keeps the
 * default /etc/subuid and /etc/subgid. 0 or -errno. */
int nsu_ctx_set_subid_files(struct nsu_ctx *ctx, const char *subuid,
			    const char *subgid);

/* ------------------------------------------------------------------ */
/* Running a program: fd hygiene, waiting, signal forwarding          */
/* ------------------------------------------------------------------ */

/* Close every fd >= 3 except the N fds in KEEP (close_range(2) where the
 * kernel has it, else /proc/self/fd). 0 or -errno. */
int nsu_close_fds(const int *keep, size_t n);

/* Flags for nsu_wait_forward(). */
#define NSU_FWD_TERM    0x1 /* forward SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 */
#define NSU_FWD_INTQUIT 0x2 /* also forward SIGINT and SIGQUIT */
#define NSU_FWD_STOPS   0x4 /* stop when the child stops, continue it when
			     * we are continued */

/* Block the signals nsu_wait_forward() handles (SIGCHLD, SIGTERM, SIGHUP,
 * SIGUSR1, SIGUSR2, SIGINT, SIGQUIT, SIGCONT) before forking; *OLD gets
 * the mask to restore in the child before exec (nsu_signals_restore()).
 * SIGCHLD's disposition is reset to the default. 0 or -errno. */
int nsu_signals_block(sigset_t *old);
int nsu_signals_restore(const sigset_t *old);
/* Wait for CHILD while forwarding signals as FLAGS says; SIGINT and SIGQUIT
 * are otherwise swallowed (a terminal already sent them to the child). Sets
 * *WSTATUS to the child's final wait status. 0 or -errno. */
int nsu_wait_forward(pid_t child, unsigned int flags, int *wstatus);

/* ------------------------------------------------------------------ */
/* Library version                                                    */
/* ------------------------------------------------------------------ */

/* The library's version string, e.g. "0.1.0". */
const char *nsu_version(void);

/* == section: create (nsunshare) == */

/* Creating namespaces (and joining some), then running a program in them.
 * A struct nsu_create collects what to do; nsu_create_prepare() checks it
 * and opens everything without changing anything; nsu_create_run() does it.
 * Whatever fails, nothing stays behind: bind mounts and pins made on the
 * way are undone. */
struct nsu_create;

/* Propagation applied to / right after a new mount namespace is made. */
enum nsu_propagation {
	NSU_PROP_PRIVATE = 0, /* the default: MS_REC|MS_PRIVATE */
	NSU_PROP_SHARED,
	NSU_PROP_SLAVE,
	NSU_PROP_UNCHANGED,
};

/* What to write to /proc/PID/setgroups of a new user namespace. */
enum nsu_setgroups {
	NSU_SETGROUPS_DEFAULT = 0, /* "deny" only where the kernel needs it */
	NSU_SETGROUPS_ALLOW,
	NSU_SETGROUPS_DENY,
};

/* A new, empty request; NULL + errno. */
struct nsu_create *nsu_create_new(struct nsu_ctx *ctx);
void nsu_create_free(struct nsu_create *c);
/* Create a new namespace of TYPE; if PATH is not NULL, persist it by
 * bind-mounting it onto PATH (an existing file). 0 or -errno. */
int nsu_create_add_new(struct nsu_create *c, enum nsu_nstype type,
		       const char *path);
/* Join NS instead of creating one of its type. Takes ownership of NS on
 * success. 0, -EEXIST (that type is already joined or created). */
int nsu_create_add_join(struct nsu_create *c, struct nsu_ns *ns);
/* The CLONE_NEW* mask of the types that will be created. */
int nsu_create_new_mask(const struct nsu_create *c);
/* ID maps for the new user namespace (copied; NULL for none). 0 or -errno. */
int nsu_create_set_maps(struct nsu_create *c, const struct nsu_idmap *uidmap,
			const struct nsu_idmap *gidmap);
int nsu_create_set_setgroups(struct nsu_create *c, enum nsu_setgroups mode);
int nsu_create_set_propagation(struct nsu_create *c, enum nsu_propagation p);
/* Fork before running the program; the caller waits for *child. If
 * KILL_SIGNAL is not 0 the child gets it when the parent dies. */
int nsu_create_set_fork(struct nsu_create *c, bool fork, int kill_signal);
/* Mount proc on DIR (NULL: none) in the new namespaces. */
int nsu_create_set_mount_proc(struct nsu_create *c, const char *dir);
/* Mount binfmt_misc on DIR and register INTERP there (either may be NULL). */
int nsu_create_set_binfmt(struct nsu_create *c, const char *dir,
			  const char *interp);
/* chroot to ROOT and chdir to WD (either may be NULL). */
int nsu_create_set_root(struct nsu_create *c, const char *root,
			const char *wd);
/* setuid/setgid after everything else; -1 keeps the id. */
int nsu_create_set_ids(struct nsu_create *c, int64_t uid, int64_t gid);
/* Become UID:GID before creating the user namespace, so it owns it. */
int nsu_create_set_owner(struct nsu_create *c, uid_t uid, gid_t gid);
/* Keep the capabilities of a new user namespace across exec (ambient). */
int nsu_create_set_keep_caps(struct nsu_create *c, bool keep);
/* Offset CLOCK (CLOCK_MONOTONIC or CLOCK_BOOTTIME) by SECONDS in the new
 * time namespace. 0 or -EINVAL. */
int nsu_create_set_time_offset(struct nsu_create *c, int clock,
			       int64_t seconds);
/* Pin every created namespace under NAME in registry DIR (NULL: the
 * default), in the same transaction. 0 or -EINVAL (bad name). */
int nsu_create_set_pin(struct nsu_create *c, const char *dir,
		       const char *name);

/* Check the request and open what it needs, changing nothing. Bad input
 * (time offsets without a time namespace, a persisted PID namespace or
 * pin without fork, a missing file, a file on a shared mount for a mount
 * namespace, "allow" with a map that needs "deny", ...) fails here.
 * 0 or a negative error; see nsu_create_failure(). */
int nsu_create_prepare(struct nsu_create *c);
/* Do it. Returns 0 in the process that must now exec the program (with
 * *child set to 0), and, with fork, 0 in the parent with *child set to the
 * child's PID: the parent then waits for it (nsu_wait_forward(); the signals
 * it forwards are already blocked, and restored in the child). On failure a
 * negative error, everything undone; see nsu_create_failure(). */
int nsu_create_run(struct nsu_create *c, pid_t *child);
/* After a failure: the error, and what failed: a short description of the
 * step (*step, e.g. "unshare"), the namespace type (*nstype, -1 if none),
 * the path involved (*path, NULL if none) and the operation for nsu_hint()
 * (*op, -1 if none). Any pointer may be NULL. */
int nsu_create_failure(const struct nsu_create *c, const char **step,
		       int *nstype, const char **path, int *op);

/* Map INNER to OUTER in M, first taking both ids out of the ranges already
 * there (a range that contains either is split), so a single mapping
 * combines with --map-users ranges. 0 or negative error as for
 * nsu_idmap_add(). */
int nsu_idmap_add_single(struct nsu_idmap *m, uint32_t inner, uint32_t outer);

/* == section: enter (nsenter2) == */

/* A join plan: which namespace of each type to enter, from a target
 * process (through one pidfd) or from namespace handles (files, pins,
 * ids, sockets). The plan joins everything at once with setns(pidfd, mask)
 * when it can, else one fd at a time, and then checks that every namespace
 * it was asked for is really ours. */
struct nsu_enter;

/* A new, empty plan. NULL + errno. */
struct nsu_enter *nsu_enter_new(struct nsu_ctx *ctx);
void nsu_enter_free(struct nsu_enter *e);
/* Make process PID the target: it becomes a pidfd now (if INODE is not 0
 * its pidfs inode must match). 0, -EEXIST (a target was set already),
 * -ESRCH (no such process), -NSU_EREPLACED (inode mismatch) or -errno. */
int nsu_enter_set_target(struct nsu_enter *e, pid_t pid, uint64_t inode);
/* The target's pidfd (owned by the plan), or -1. */
int nsu_enter_target_pidfd(const struct nsu_enter *e);
/* The target's PID, or 0. */
pid_t nsu_enter_target_pid(const struct nsu_enter *e);
/* Enter NS for its type (replacing what the plan had for it); the plan
 * takes ownership of NS. 0 or -EINVAL. */
int nsu_enter_set_ns(struct nsu_enter *e, struct nsu_ns *ns);
/* Enter the target's namespace of TYPE (opened now, through the pidfd).
 * 0, -ESRCH (no target) or a negative error. */
int nsu_enter_add_target_ns(struct nsu_enter *e, enum nsu_nstype type);
/* Add every namespace of the target that the plan lacks, except types
 * this kernel does not have and namespaces we are in already. 0 or a
 * negative error. */
int nsu_enter_add_all(struct nsu_enter *e);
/* Replace the plan's user namespace by the parent of the user namespace it
 * would enter (the target's, else the owner of any namespace in the plan).
 * 0, -ESRCH (nothing to take it from) or -errno (EPERM: out of reach). */
int nsu_enter_use_user_parent(struct nsu_enter *e);
/* CLONE_NEW* flags of the types in the plan. */
int nsu_enter_mask(const struct nsu_enter *e);
/* The namespace the plan enters for TYPE, or NULL. */
const struct nsu_ns *nsu_enter_get_ns(const struct nsu_enter *e,
				      enum nsu_nstype type);
/* Open PROC_ROOT/PID/ENTRY of the target ("" for the directory) with
 * FLAGS (O_CLOEXEC is added), then confirm through the pidfd that the
 * process is still alive, so the file cannot belong to a successor with
 * the same PID. A close-on-exec fd, -ESRCH (no target), -NSU_EREPLACED or
 * -errno. */
int nsu_enter_open_target_file(struct nsu_enter *e, const char *entry,
			       int flags);
/* The target's environment (/proc/PID/environ) as a NULL-terminated array
 * of "NAME=VALUE" strings in *envp (free with nsu_enter_free_environ()).
 * The number of entries or a negative error. */
int nsu_enter_target_environ(struct nsu_enter *e, char ***envp);
void nsu_enter_free_environ(char **envp);
/* Open cgroup.procs of the target's cgroup v2 cgroup, found under the
 * cgroup2 mount listed in our mountinfo. A close-on-exec fd, or
 * -NSU_ENOTSUPP (target not in a cgroup v2 hierarchy), -ENOENT (no cgroup2
 * mount), -EXDEV (its cgroup is not under our cgroup2 mount), -errno. */
int nsu_enter_open_cgroup_procs(struct nsu_enter *e);
/* Move the calling process into the cgroup of PROCS_FD (a cgroup.procs
 * fd). 0 or -errno. */
int nsu_cgroup_move_self(int procs_fd);

/* Flags for nsu_enter_join(). */
#define NSU_ENTER_PER_FD 0x1 /* never setns(pidfd, mask): one fd per type */

/* Enter the plan: PR_SET_DUMPABLE 0, then one setns(pidfd, mask) when
 * every namespace is the target's (falling back to one setns() per fd on
 * kernels before 5.8), else one setns() per fd with the user namespace
 * first (unprivileged caller) or last (caller with CAP_SYS_ADMIN); then
 * checks that each namespace of the plan is now ours. 0, or a negative
 * error with nsu_enter_failed_type() naming the type: -EPERM etc. from
 * setns(), -NSU_ENOTJOINED when a check failed, -NSU_EREPLACED when the
 * target died meanwhile. The process must be single-threaded. */
int nsu_enter_join(struct nsu_enter *e, unsigned int flags);
/* The type the last nsu_enter_join() failed on, or -1. */
int nsu_enter_failed_type(const struct nsu_enter *e);
/* Whether the last nsu_enter_join() used one setns(pidfd, mask). */
bool nsu_enter_used_pidfd(const struct nsu_enter *e);

/* Open the namespace of TYPE whose 64-bit id (NS_GET_ID) is ID through an
 * nsfs file handle. NULL + errno: NSU_ENOTSUPP when this kernel's nsfs has
 * no file handles, ENOENT when no such namespace exists. */
struct nsu_ns *nsu_ns_open_id(struct nsu_ctx *ctx, enum nsu_nstype type,
			      uint64_t id);
/* The network namespace of socket FD of the process behind PIDFD
 * (pidfd_getfd(2) + SIOCGSKNS; needs ptrace access). NULL + errno
 * (ENOTSOCK: FD is not a socket; EBADF: no such fd). */
struct nsu_ns *nsu_ns_open_socket(struct nsu_ctx *ctx, int pidfd, int fd);

/* == section: list (nslist) == */

/* Namespace discovery: one scan of the proc root that finds every
 * namespace a process (or, with NSU_LIST_THREADS, a thread) is in, plus
 * namespaces kept alive only by an nsfs bind mount, an open namespace fd or
 * a socket. Namespaces are keyed by (dev, ino); per-process details (stat,
 * status, cmdline) are read only when asked for, once. Processes that vanish
 * mid-scan are skipped. */
struct nsu_nslist;
struct nsu_nsent; /* one namespace in a list */
struct nsu_task;  /* one process (or thread) in a list */

#define NSU_LIST_THREADS    0x1 /* threads with namespaces of their own */
#define NSU_LIST_NO_MOUNTS  0x2 /* skip nsfs mounts (mountinfo) */
#define NSU_LIST_NO_FDS     0x4 /* skip namespace fds in PROC/PID/fd */
#define NSU_LIST_NO_SOCKETS 0x8 /* skip the network namespaces of sockets */

/* Scan. NULL + errno. */
struct nsu_nslist *nsu_nslist_scan(struct nsu_ctx *ctx, unsigned int flags);
void nsu_nslist_free(struct nsu_nslist *l);
/* Namespaces, sorted by inode number (then type). */
size_t nsu_nslist_ns_count(const struct nsu_nslist *l);
struct nsu_nsent *nsu_nslist_ns(const struct nsu_nslist *l, size_t i);
/* The namespace with inode INO (and TYPE, or -1 for any), or NULL. */
struct nsu_nsent *nsu_nslist_find_ns(const struct nsu_nslist *l, uint64_t ino,
				     int type);
/* The namespace with exactly (DEV, INO), or NULL. */
struct nsu_nsent *nsu_nslist_find_ns_dev(const struct nsu_nslist *l,
					 uint64_t dev, uint64_t ino);
/* Processes and threads, sorted by PID (the proc root's PIDs). */
size_t nsu_nslist_task_count(const struct nsu_nslist *l);
struct nsu_task *nsu_nslist_task(const struct nsu_nslist *l, size_t i);
/* The task with PID, or NULL. */
struct nsu_task *nsu_nslist_find_task(const struct nsu_nslist *l, pid_t pid);
/* Add the namespaces that the listed ones have as parent (pid, user) or
 * owner (user) but that no process, mount or fd showed: a user namespace
 * whose every process lives in a child namespace, for instance. They have
 * no processes and are opened through an fd the kernel handed out. The
 * number added, or negative error. */
int nsu_nslist_add_relatives(struct nsu_nslist *l);
/* 1 if E is the namespace PID 1 of the proc root uses, 0 if not, negative
 * error when PID 1's namespaces cannot be read (-EACCES). */
int nsu_nslist_is_host(struct nsu_nslist *l, const struct nsu_nsent *e);

enum nsu_nstype nsu_nsent_type(const struct nsu_nsent *e);
uint64_t nsu_nsent_ino(const struct nsu_nsent *e);
uint64_t nsu_nsent_dev(const struct nsu_nsent *e);
/* Number of processes in it (0: held by a mount, fd or socket only). */
size_t nsu_nsent_nprocs(const struct nsu_nsent *e);
/* The process with the lowest PID in it, or NULL. */
struct nsu_task *nsu_nsent_task(const struct nsu_nsent *e);
/* A file that opens it (PROC/PID/ns/TYPE, a mount point, PROC/PID/fd/N), or
 * NULL (held by a socket only). */
const char *nsu_nsent_path(const struct nsu_nsent *e);
/* nsfs mount points of it: count, and the I-th (NULL past the end). */
size_t nsu_nsent_nsfs_count(const struct nsu_nsent *e);
const char *nsu_nsent_nsfs(const struct nsu_nsent *e, size_t i);
/* What holds it besides processes: "mount PATH", "fd PID:N", "socket PID:N". */
size_t nsu_nsent_holder_count(const struct nsu_nsent *e);
const char *nsu_nsent_holder(const struct nsu_nsent *e, size_t i);
/* Open it (checking it is still the same namespace). NULL + errno. */
struct nsu_ns *nsu_nsent_open(struct nsu_nslist *l, const struct nsu_nsent *e);
/* Inode of the parent namespace (pid and user types; 0 when none or out of
 * reach), of the owning user namespace, and the 64-bit NS_GET_ID. Computed
 * once, on first use. 0 or negative error (-NSU_ENOTSUPP: no NS_GET_ID). */
int nsu_nsent_parent_ino(struct nsu_nslist *l, struct nsu_nsent *e,
			 uint64_t *ino);
int nsu_nsent_owner_ino(struct nsu_nslist *l, struct nsu_nsent *e,
			uint64_t *ino);
int nsu_nsent_id(struct nsu_nslist *l, struct nsu_nsent *e, uint64_t *id);
/* The uid that owns E: NS_GET_OWNER_UID of its user namespace (of E itself
 * for a user namespace). 0 or negative error. */
int nsu_nsent_owner_uid(struct nsu_nslist *l, struct nsu_nsent *e,
			uid_t *uid);
/* The id our network namespace gave network namespace E (RTM_GETNSID): 0 and
 * *netnsid set (-1 when unassigned), or negative error. */
int nsu_nsent_netnsid(struct nsu_nslist *l, struct nsu_nsent *e,
		      int *netnsid);

pid_t nsu_task_pid(const struct nsu_task *t);
/* The thread group (process) of a thread; == PID for a process. */
pid_t nsu_task_tgid(const struct nsu_task *t);
/* For nsu_task_load(), with the NSU_PROC_* parts: the owner of PROC/PID. */
#define NSU_TASK_OWNER 0x100
/* After NSU_TASK_OWNER: the owner of PROC/PID (its effective uid), else
 * (uid_t)-1. */
uid_t nsu_task_uid(const struct nsu_task *t);
/* Its namespace of TYPE, or NULL when we may not see it. */
struct nsu_nsent *nsu_task_ns(const struct nsu_task *t, enum nsu_nstype type);
/* Read the NSU_PROC_* (and NSU_TASK_OWNER) parts WHAT, once each. 0,
 * -ESRCH when it vanished. */
int nsu_task_load(struct nsu_nslist *l, struct nsu_task *t, unsigned int what);
/* After NSU_PROC_STAT: */
pid_t nsu_task_ppid(const struct nsu_task *t);
const char *nsu_task_comm(const struct nsu_task *t);
/* After NSU_PROC_CMDLINE ("" for kernel threads): */
const char *nsu_task_cmdline(const struct nsu_task *t);
/* After NSU_PROC_STATUS: the NSpid chain, outermost first; its length or
 * -EINVAL when not loaded. */
int nsu_task_nspid(const struct nsu_task *t, const pid_t **pids);

/* PID translation between PID namespaces. The "host" is the PID namespace of
 * the proc root (normally our own). NS_GET_PID_FROM_PIDNS and
 * NS_GET_PID_IN_PIDNS (Linux 6.11) are used when the proc root is our own
 * PID namespace's; otherwise, or on older kernels, the NSpid chains of L's
 * tasks are searched. */
/* The level of PID namespace PIDNS below the proc root's (0: the same), or
 * negative error (-ENOENT: no process of L lives in it). */
int nsu_pidns_level(struct nsu_nslist *l, const struct nsu_nsent *pidns);
/* The host PID of the process that is PID inside PIDNS. >0 or -ESRCH. */
int nsu_pid_to_host(struct nsu_nslist *l, const struct nsu_nsent *pidns,
		    pid_t pid);
/* What host PID HOSTPID is inside PIDNS (NULL: its own PID namespace).
 * >0, or -ESRCH when it is not visible there. */
int nsu_pid_in_ns(struct nsu_nslist *l, const struct nsu_nsent *pidns,
		  pid_t hostpid);
/* Same as the two above, never using the ioctls (the NSpid fallback). */
int nsu_pid_to_host_scan(struct nsu_nslist *l, const struct nsu_nsent *pidns,
			 pid_t pid);
int nsu_pid_in_ns_scan(struct nsu_nslist *l, const struct nsu_nsent *pidns,
		       pid_t hostpid);

/* A copy of the LEN bytes at S fit for a terminal or a table: control
 * characters (C0, DEL, C1), backslashes and bytes that are not valid UTF-8
 * become \xHH. NULL + errno. */
char *nsu_escape_string(const char *s, size_t len);

/* Row filters (nslist -Q): comparisons ==, !=, <, <=, >, >= (also eq, ne,
 * lt, le, gt, ge), =~ and !~ (POSIX extended regex), and/&&, or/||,
 * not/!, parentheses; operands are column names, "strings" and numbers.
 * Values compare as numbers when both sides are numbers. */
struct nsu_filter;
/* Parse EXPR. NULL + errno (EINVAL: syntax error, *errpos and *errmsg tell
 * where and what when not NULL). */
struct nsu_filter *nsu_filter_parse(const char *expr, size_t *errpos,
				    const char **errmsg);
void nsu_filter_free(struct nsu_filter *f);
/* Column names the filter uses (each once). */
size_t nsu_filter_column_count(const struct nsu_filter *f);
const char *nsu_filter_column(const struct nsu_filter *f, size_t i);
/* The value of COLUMN for the row in DATA, NULL when it has none. */
typedef const char *(*nsu_filter_get_fn)(void *data, const char *column);
/* 1 if the row matches, 0 if not, negative error. */
int nsu_filter_eval(const struct nsu_filter *f, nsu_filter_get_fn get,
		    void *data);

/* == section: pin (nspin) == */

/* Pin registry: pins made by name live in a registry directory (default
 * NSU_PIN_DIR, "/run/nspin"; see nsu_pin_default_dir()), one directory per
 * name, one file per namespace type (layout below). The read side first,
 * then the write side that nspin, nsunshare --pin and --mount=FILE use. */

/* The registry directory used when a caller passes NULL. */
const char *nsu_pin_default_dir(void);
/* Whether NAME may name a pin: not empty, not ".", "..", ".mnt" or ".lock"
 * (the registry's own), no '/', no newline or other control character, at
 * most NAME_MAX bytes. 0 or -EINVAL. */
int nsu_pin_name_valid(const char *name);
/* Open the namespace of TYPE pinned under NAME in registry DIR (NULL: the
 * default). NULL + errno: ENOENT when NAME has no pin of that type,
 * NSU_ENOTNS when the pin file is there but nothing is mounted on it. */
struct nsu_ns *nsu_pin_open(struct nsu_ctx *ctx, const char *dir,
			    const char *name, enum nsu_nstype type);
/* Mask of CLONE_NEW* flags of the types pinned under NAME (0 if none).
 * 0 or -errno (-ENOENT: no such name). */
int nsu_pin_types(struct nsu_ctx *ctx, const char *dir, const char *name,
		  int *mask);

/* Registry layout: DIR/NAME/TYPE for every type but mnt; a mount
 * namespace is pinned as DIR/.mnt/NAME, because the kernel refuses to
 * bind-mount a mount namespace under a shared mount and DIR is one: DIR is
 * its own mount point and a shared peer group (so pins show up in mount
 * namespaces created later), DIR/.mnt its own private mount; DIR/.lock is
 * the registry's lock. nsu_pin_open() and nsu_pin_types() know the layout
 * (and also accept a mount pin at DIR/NAME/mnt, as made by hand); callers
 * never build these paths. */

/* Write side. Every operation that has more than one step fills a
 * struct nsu_pin_status (if not NULL) with what failed: a result code,
 * the namespace type involved (-1 if none) and the path; the return value
 * is 0 or the negative error code of the failing step. */
enum nsu_pin_result {
	NSU_PIN_OK = 0,
	NSU_PIN_ERR_NAME,      /* the name is not valid */
	NSU_PIN_ERR_REGISTRY,  /* registry directory: open, create, lock, mount */
	NSU_PIN_ERR_SYMLINK,   /* a symbolic link where a directory or pin was */
	NSU_PIN_ERR_EXISTS,    /* the name or the file exists already */
	NSU_PIN_ERR_MOUNTED,   /* something is mounted on the target already */
	NSU_PIN_ERR_SOURCE,    /* the namespace to pin could not be opened */
	NSU_PIN_ERR_CREATE,    /* creating the name's directory or pin file */
	NSU_PIN_ERR_BIND,      /* the bind mount itself */
	NSU_PIN_ERR_SHARED,    /* a mount namespace pin under a shared mount */
	NSU_PIN_ERR_MNTNS_ORDER, /* mount namespace not newer than the caller's:
				  * the kernel's loop check refuses it */
	NSU_PIN_ERR_PIDNS_DEAD,  /* PID namespace whose init has exited */
	NSU_PIN_ERR_VERIFY,    /* after binding, the file is not the namespace */
	NSU_PIN_ERR_NEW,       /* creating new namespaces (or their init) */
	NSU_PIN_ERR_NOENT,     /* no such name or file */
	NSU_PIN_ERR_NOTPIN,    /* not an nsfs mount: left alone */
	NSU_PIN_ERR_BUSY,      /* unmount refused as busy: see holders */
	NSU_PIN_ERR_UNMOUNT,   /* unmount failed for another reason */
	NSU_PIN_ERR_REMOVE,    /* removing a pin file or directory */
};

struct nsu_pin_status;

/* A new, empty (NSU_PIN_OK) status. NULL + errno. */
struct nsu_pin_status *nsu_pin_status_new(void);
void nsu_pin_status_free(struct nsu_pin_status *st);
/* What failed (NSU_PIN_OK if nothing). */
enum nsu_pin_result nsu_pin_status_result(const struct nsu_pin_status *st);
/* The error code of the failing step (0 or negative). */
int nsu_pin_status_error(const struct nsu_pin_status *st);
/* The namespace type involved, or -1. */
int nsu_pin_status_type(const struct nsu_pin_status *st);
/* The path the step failed on, or NULL. */
const char *nsu_pin_status_path(const struct nsu_pin_status *st);
/* For NSU_PIN_ERR_BUSY: who still holds the pin ("PID 42 (sleep), ..."),
 * or NULL if nothing could be found. */
const char *nsu_pin_status_holders(const struct nsu_pin_status *st);
/* After nsu_pin_remove(), also on success: the other mount namespaces that
 * still pin a released namespace because they bound it somewhere else
 * (their copies of the pin itself go away with its file), e.g. "mount
 * namespace of PID 7 (sh): /srv/keep/net"; NULL if none. */
const char *nsu_pin_status_elsewhere(const struct nsu_pin_status *st);
/* With NSU_PIN_ERR_MNTNS_ORDER: the caller's and the namespace's mount
 * namespace ids. 0, or -ENOENT for another result. */
int nsu_pin_status_mntns_ids(const struct nsu_pin_status *st,
			     uint64_t *self_id, uint64_t *ns_id);

/* Flags for the nsu_pin_*() write functions. */
#define NSU_PIN_FOR_CHILDREN 0x1 /* pid/time: pin the *_for_children one */
#define NSU_PIN_MAY_EXIST    0x2 /* nsu_pin_file(): an existing empty
				  * regular file may be the target */

/* Pin the namespaces in MASK (CLONE_NEW* flags) of the process behind
 * PIDFD as NAME in registry DIR (NULL: the default), creating and
 * preparing the registry if needed. All or nothing: on failure every pin
 * made so far is undone and NAME is gone again. Refuses an existing NAME,
 * a mount namespace the kernel's loop check would refuse (see
 * nsu_mntns_unshare_newer()), and a PID namespace whose init has exited.
 * 0 or a negative error, details in ST. */
int nsu_pin_add_pidfd(struct nsu_ctx *ctx, const char *dir, const char *name,
		      int mask, int pidfd, unsigned int flags,
		      struct nsu_pin_status *st);
/* Pin the N namespace handles in NSS (at most one per type) as NAME, with
 * the same registry, checks and all-or-nothing rule as nsu_pin_add_pidfd().
 * For callers that opened the namespaces themselves (e.g. from a child
 * they have not reaped, or where pidfds are missing). The handles stay the
 * caller's. 0 or a negative error, details in ST. */
int nsu_pin_add_ns(struct nsu_ctx *ctx, const char *dir, const char *name,
		   struct nsu_ns *const *nss, size_t n,
		   struct nsu_pin_status *st);
/* Create new namespaces of the types in MASK that no process lives in and
 * pin them as NAME (like "ip netns add"). A new PID namespace gets a
 * minimal init (it reaps, ignores signals, and is killed by
 * nsu_pin_remove()), because a PID namespace cannot be entered once its
 * init is gone. New mount namespaces get an id newer than the caller's and
 * private propagation. The namespaces are created by a child process, the
 * pins made by the caller, which stays where it was. 0 or a negative
 * error, details in ST. */
int nsu_pin_add_new(struct nsu_ctx *ctx, const char *dir, const char *name,
		    int mask, struct nsu_pin_status *st);
/* Pin NS on the file PATH, created with O_EXCL (or, with
 * NSU_PIN_MAY_EXIST, an existing empty regular file), in a directory
 * resolved without following symbolic links, under a lock on that
 * directory. A mount namespace needs a non-shared parent mount
 * (NSU_PIN_ERR_SHARED otherwise). 0 or a negative error, details in ST. */
int nsu_pin_file(struct nsu_ctx *ctx, const struct nsu_ns *ns,
		 const char *path, unsigned int flags,
		 struct nsu_pin_status *st);
/* Release a pin: NAME_OR_PATH is a registry name if it contains no '/',
 * else a file. Only nsfs mounts are unmounted (checked with fstatfs and
 * statx, never from strings); then the files and the name's directory are
 * removed, and the init of a PID namespace made by nsu_pin_add_new() is
 * killed. When the kernel says busy, the holders are named in ST and the
 * rest is still removed. 0 or the first negative error, details in ST. */
int nsu_pin_remove(struct nsu_ctx *ctx, const char *dir,
		   const char *name_or_path, struct nsu_pin_status *st);

/* Every namespace pin (nsfs mount) in the caller's mount namespace, read
 * from PROC_ROOT/self/mountinfo: registry pins with their names, other
 * pins by path. */
struct nsu_pin_iter;
/* NULL + errno. DIR: the registry whose pins get names (NULL: default). */
struct nsu_pin_iter *nsu_pin_iter_new(struct nsu_ctx *ctx, const char *dir);
/* 1 and the next pin current, 0 at the end, or a negative error. Pins
 * that cannot be opened (over-mounted, vanished) are skipped. */
int nsu_pin_iter_next(struct nsu_pin_iter *it);
/* The current pin's mount point. */
const char *nsu_pin_iter_path(const struct nsu_pin_iter *it);
/* Its registry name, or NULL for a pin outside the registry. */
const char *nsu_pin_iter_name(const struct nsu_pin_iter *it);
/* The pinned namespace (owned by the iterator, valid until the next call). */
const struct nsu_ns *nsu_pin_iter_ns(const struct nsu_pin_iter *it);
/* When the pin was made, in seconds since the epoch (the birth time of the
 * name's directory); 0 when unknown (pins outside the registry). */
int64_t nsu_pin_iter_ctime(const struct nsu_pin_iter *it);
/* The kernel's mount id of the pin. */
uint64_t nsu_pin_iter_mount_id(const struct nsu_pin_iter *it);
void nsu_pin_iter_free(struct nsu_pin_iter *it);

/* Mount namespaces and the kernel's loop check: a mount namespace can be
 * bind-mounted only by a process whose own mount namespace is older (has a
 * smaller 64-bit id). Ids come from per-CPU batches, so a namespace created
 * later on another CPU can get a smaller id.
 *
 * Unshare a new mount namespace for the calling (single-threaded) process
 * whose id is greater than MIN_ID, moving between the allowed CPUs until one
 * hands out a greater id; the CPU affinity is restored afterwards. The old
 * mount namespace is left (not kept). 0, -NSU_ENOTSUPP (no mount namespace
 * ids: nothing to check, one plain unshare was done), or -errno. */
int nsu_mntns_unshare_newer(struct nsu_ctx *ctx, uint64_t min_id);
/* The id of the caller's own mount namespace. 0 or -NSU_ENOTSUPP. */
int nsu_mntns_self_id(struct nsu_ctx *ctx, uint64_t *id);

#ifdef __cplusplus
}
#endif

#endif /* NSUTIL_H */
