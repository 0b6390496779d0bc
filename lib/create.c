/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* create.c - create new namespaces (and join existing ones) in the right
 * order, map ids, persist and pin them, and prepare the process that runs
 * the program, undoing everything on failure. */
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>

#include "config.h"
#include "nsutil-internal.h"

/* ---- what can fail, for the caller's one-line message ---- */

enum step {
	STEP_NONE = 0,
	STEP_CHECK,       /* bad input found by prepare */
	STEP_PERSIST_FILE,
	STEP_PROC,
	STEP_HELPER,
	STEP_OWNER,
	STEP_SETNS,
	STEP_UNSHARE,
	STEP_PROPAGATION,
	STEP_UID_MAP,
	STEP_SETGROUPS,
	STEP_GID_MAP,
	STEP_NEWUIDMAP,
	STEP_NEWGIDMAP,
	STEP_TIME_OFFSET,
	STEP_VERIFY,
	STEP_FORK,
	STEP_PERSIST,
	STEP_PIN,
	STEP_ROOT,
	STEP_WD,
	STEP_CWD,
	STEP_MOUNT_PROC,
	STEP_BINFMT,
	STEP_INTERP,
	STEP_SETGID,
	STEP_SETUID,
	STEP_CAPS,
	STEP_PARENT_DIED,
	STEP_COUNT
};

static const struct {
	const char *what;
	int op; /* enum nsu_op for nsu_hint(), or -1 */
} steps[STEP_COUNT] = {
	[STEP_NONE] = { "nothing", -1 },
	[STEP_CHECK] = { "invalid request", -1 },
	[STEP_PERSIST_FILE] = { "cannot persist", NSU_OP_PIN },
	[STEP_PROC] = { "cannot open /proc", -1 },
	[STEP_HELPER] = { "cannot start helper", -1 },
	[STEP_OWNER] = { "cannot become the owner", -1 },
	[STEP_SETNS] = { "cannot join", NSU_OP_SETNS },
	[STEP_UNSHARE] = { "cannot create", NSU_OP_UNSHARE },
	[STEP_PROPAGATION] = { "cannot change propagation of / in", -1 },
	[STEP_UID_MAP] = { "cannot write uid_map of", NSU_OP_WRITE_MAP },
	[STEP_SETGROUPS] = { "cannot write setgroups of", NSU_OP_WRITE_MAP },
	[STEP_GID_MAP] = { "cannot write gid_map of", NSU_OP_WRITE_MAP },
	[STEP_NEWUIDMAP] = { "newuidmap failed for", NSU_OP_WRITE_MAP },
	[STEP_NEWGIDMAP] = { "newgidmap failed for", NSU_OP_WRITE_MAP },
	[STEP_TIME_OFFSET] = { "cannot set clock offsets of", NSU_OP_UNSHARE },
	[STEP_VERIFY] = { "verification failed for", -1 },
	[STEP_FORK] = { "cannot fork", -1 },
	[STEP_PERSIST] = { "cannot persist", NSU_OP_PIN },
	[STEP_PIN] = { "cannot pin", NSU_OP_PIN },
	[STEP_ROOT] = { "cannot change root directory", -1 },
	[STEP_WD] = { "cannot change directory", -1 },
	[STEP_CWD] = { "working directory is outside the root", -1 },
	[STEP_MOUNT_PROC] = { "cannot mount proc", -1 },
	[STEP_BINFMT] = { "cannot mount binfmt_misc", -1 },
	[STEP_INTERP] = { "cannot register interpreter", -1 },
	[STEP_SETGID] = { "cannot set group ID", -1 },
	[STEP_SETUID] = { "cannot set user ID", -1 },
	[STEP_CAPS] = { "cannot keep capabilities", -1 },
	[STEP_PARENT_DIED] = { "parent died before the child was ready", -1 },
};

struct failure {
	int err;
	int step;
	int nstype;
	char path[PATH_MAX];
};

/* ---- the request ---- */

struct bound {
	char *path;
};

struct nsu_create {
	struct nsu_ctx *ctx;
	int new_mask;
	char *persist[NSU_NS_COUNT];
	struct nsu_ns *join[NSU_NS_COUNT];
	struct nsu_idmap *uidmap, *gidmap;
	enum nsu_setgroups setgroups;
	enum nsu_propagation propagation;
	bool fork;
	int kill_signal;
	char *proc_dir, *binfmt_dir, *interp, *root, *wd;
	int64_t uid, gid;
	bool owner;
	uid_t owner_uid;
	gid_t owner_gid;
	bool keep_caps;
	bool mono_set, boot_set;
	int64_t mono, boot;
	char *pin_dir, *pin_name;

	/* prepared state */
	bool prepared;
	int procfd;             /* the original /proc */
	struct stat orig[NSU_NS_COUNT]; /* our namespaces before anything */
	bool orig_ok[NSU_NS_COUNT];
	uint64_t orig_mnt_id;
	bool have_mnt_id;
	int cap_last;
	bool need_helper;
	bool uid_direct, gid_direct; /* write the map file, not newXidmap */
	bool deny_setgroups;

	/* helper (stays in the original namespaces) */
	pid_t helper;
	int to_helper, from_helper;
	pid_t self;             /* our PID before forking */
	int self_pidfd;

	struct failure fail;
};

static int set_fail(struct nsu_create *c, int err, int step, int nstype,
		    const char *path)
{
	c->fail.err = err;
	c->fail.step = step;
	c->fail.nstype = nstype;
	c->fail.path[0] = '\0';
	if (path)
		snprintf(c->fail.path, sizeof(c->fail.path), "%s", path);
	return err;
}

NSU_EXPORT struct nsu_create *nsu_create_new(struct nsu_ctx *ctx)
{
	struct nsu_create *c;

	if (!ctx) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->ctx = ctx;
	c->uid = c->gid = -1;
	c->procfd = -1;
	c->to_helper = c->from_helper = -1;
	c->self_pidfd = -1;
	c->cap_last = -1;
	c->fail.nstype = -1;
	return c;
}

static void helper_close(struct nsu_create *c)
{
	if (c->to_helper >= 0)
		close(c->to_helper);
	if (c->from_helper >= 0)
		close(c->from_helper);
	c->to_helper = c->from_helper = -1;
}

/* Closing the command pipe without a commit makes the helper undo what it
 * did and exit; then reap it. */
static void helper_abort(struct nsu_create *c)
{
	helper_close(c);
	if (c->helper > 0) {
		while (waitpid(c->helper, NULL, 0) < 0 && errno == EINTR)
			;
		c->helper = 0;
	}
}

NSU_EXPORT void nsu_create_free(struct nsu_create *c)
{
	if (!c)
		return;
	helper_abort(c);
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		free(c->persist[t]);
		nsu_ns_free(c->join[t]);
	}
	nsu_idmap_free(c->uidmap);
	nsu_idmap_free(c->gidmap);
	free(c->proc_dir);
	free(c->binfmt_dir);
	free(c->interp);
	free(c->root);
	free(c->wd);
	free(c->pin_dir);
	free(c->pin_name);
	if (c->procfd >= 0)
		close(c->procfd);
	if (c->self_pidfd >= 0)
		close(c->self_pidfd);
	free(c);
}

static int dup_str(char **slot, const char *s)
{
	char *copy = NULL;

	if (s && !(copy = strdup(s)))
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

NSU_EXPORT int nsu_create_add_new(struct nsu_create *c, enum nsu_nstype type,
				  const char *path)
{
	if (!nsu_nstype_name(type))
		return -NSU_EBADTYPE;
	if (c->join[type])
		return -EEXIST;
	c->new_mask |= nsu_nstype_flag(type);
	if (path) {
		if (!*path)
			return -EINVAL;
		return dup_str(&c->persist[type], path);
	}
	return 0;
}

NSU_EXPORT int nsu_create_add_join(struct nsu_create *c, struct nsu_ns *ns)
{
	enum nsu_nstype t = nsu_ns_type(ns);

	if (c->join[t] || (c->new_mask & nsu_nstype_flag(t)))
		return -EEXIST;
	c->join[t] = ns;
	return 0;
}

NSU_EXPORT int nsu_create_new_mask(const struct nsu_create *c)
{
	return c->new_mask;
}

static int copy_map(struct nsu_idmap **slot, const struct nsu_idmap *m)
{
	struct nsu_idmap *copy = NULL;

	if (m) {
		copy = nsu_idmap_new(nsu_idmap_kind(m));
		if (!copy)
			return -errno;
		memcpy(copy, m, sizeof(*copy));
	}
	nsu_idmap_free(*slot);
	*slot = copy;
	return 0;
}

NSU_EXPORT int nsu_create_set_maps(struct nsu_create *c,
				   const struct nsu_idmap *uidmap,
				   const struct nsu_idmap *gidmap)
{
	int r;

	if ((uidmap && nsu_idmap_kind(uidmap) != NSU_ID_USER) ||
	    (gidmap && nsu_idmap_kind(gidmap) != NSU_ID_GROUP))
		return -EINVAL;
	r = copy_map(&c->uidmap, uidmap && nsu_idmap_count(uidmap) ? uidmap : NULL);
	if (r < 0)
		return r;
	return copy_map(&c->gidmap, gidmap && nsu_idmap_count(gidmap) ? gidmap : NULL);
}

NSU_EXPORT int nsu_create_set_setgroups(struct nsu_create *c,
					enum nsu_setgroups mode)
{
	if (mode > NSU_SETGROUPS_DENY)
		return -EINVAL;
	c->setgroups = mode;
	return 0;
}

NSU_EXPORT int nsu_create_set_propagation(struct nsu_create *c,
					  enum nsu_propagation p)
{
	if (p > NSU_PROP_UNCHANGED)
		return -EINVAL;
	c->propagation = p;
	return 0;
}

NSU_EXPORT int nsu_create_set_fork(struct nsu_create *c, bool fork,
				   int kill_signal)
{
	if (kill_signal < 0 || kill_signal >= NSIG)
		return -EINVAL;
	c->fork = fork;
	c->kill_signal = kill_signal;
	return 0;
}

NSU_EXPORT int nsu_create_set_mount_proc(struct nsu_create *c, const char *dir)
{
	return dup_str(&c->proc_dir, dir);
}

NSU_EXPORT int nsu_create_set_binfmt(struct nsu_create *c, const char *dir,
				     const char *interp)
{
	int r = dup_str(&c->binfmt_dir, dir);

	return r < 0 ? r : dup_str(&c->interp, interp);
}

NSU_EXPORT int nsu_create_set_root(struct nsu_create *c, const char *root,
				   const char *wd)
{
	int r = dup_str(&c->root, root);

	return r < 0 ? r : dup_str(&c->wd, wd);
}

NSU_EXPORT int nsu_create_set_ids(struct nsu_create *c, int64_t uid,
				  int64_t gid)
{
	if (uid < -1 || uid >= UINT32_MAX || gid < -1 || gid >= UINT32_MAX)
		return -EINVAL;
	c->uid = uid;
	c->gid = gid;
	return 0;
}

NSU_EXPORT int nsu_create_set_owner(struct nsu_create *c, uid_t uid, gid_t gid)
{
	c->owner = true;
	c->owner_uid = uid;
	c->owner_gid = gid;
	return 0;
}

NSU_EXPORT int nsu_create_set_keep_caps(struct nsu_create *c, bool keep)
{
	c->keep_caps = keep;
	return 0;
}

NSU_EXPORT int nsu_create_set_time_offset(struct nsu_create *c, int clock,
					  int64_t seconds)
{
	if (clock == CLOCK_MONOTONIC) {
		c->mono_set = true;
		c->mono = seconds;
	} else if (clock == CLOCK_BOOTTIME) {
		c->boot_set = true;
		c->boot = seconds;
	} else {
		return -EINVAL;
	}
	return 0;
}

NSU_EXPORT int nsu_create_set_pin(struct nsu_create *c, const char *dir,
				  const char *name)
{
	int r;

	if (nsu_pin_name_valid(name) < 0)
		return -EINVAL;
	r = dup_str(&c->pin_name, name);
	return r < 0 ? r : dup_str(&c->pin_dir, dir);
}

NSU_EXPORT int nsu_create_failure(const struct nsu_create *c, const char **step,
				  int *nstype, const char **path, int *op)
{
	int s = c->fail.step >= 0 && c->fail.step < STEP_COUNT ? c->fail.step : 0;

	if (step)
		*step = steps[s].what;
	if (nstype)
		*nstype = c->fail.nstype;
	if (path)
		*path = c->fail.path[0] ? c->fail.path : NULL;
	if (op)
		*op = steps[s].op;
	return c->fail.err;
}

/* ---- id maps ---- */

/* Split the ranges of M so that neither INNER (inside) nor OUTER (outside)
 * is covered any more. */
static int punch(struct nsu_idmap *m, uint32_t inner, uint32_t outer)
{
	struct nsu_idmap_line old[NSU_IDMAP_MAX_LINES];
	size_t n = m->n;

	memcpy(old, m->line, n * sizeof(old[0]));
	m->n = 0;
	for (size_t i = 0; i < n; i++) {
		/* positions inside this range to drop, in ascending order */
		uint64_t cut[2];
		int ncut = 0;
		uint64_t start = 0;

		if (inner >= old[i].inner && (uint64_t)inner < (uint64_t)old[i].inner + old[i].count)
			cut[ncut++] = inner - old[i].inner;
		if (outer >= old[i].outer && (uint64_t)outer < (uint64_t)old[i].outer + old[i].count) {
			uint64_t k = outer - old[i].outer;

			if (ncut == 0 || cut[0] != k)
				cut[ncut++] = k;
		}
		if (ncut == 2 && cut[0] > cut[1]) {
			uint64_t t = cut[0];
			cut[0] = cut[1];
			cut[1] = t;
		}
		for (int j = 0; j <= ncut; j++) {
			uint64_t end = j < ncut ? cut[j] : old[i].count;

			if (end > start) {
				int r = nsu_idmap_add(m, old[i].inner + (uint32_t)start,
						      old[i].outer + (uint32_t)start,
						      (uint32_t)(end - start));
				if (r < 0)
					return r;
			}
			start = end + 1;
		}
	}
	return 0;
}

NSU_EXPORT int nsu_idmap_add_single(struct nsu_idmap *m, uint32_t inner,
				    uint32_t outer)
{
	int r = punch(m, inner, outer);

	return r < 0 ? r : nsu_idmap_add(m, inner, outer, 1);
}

static bool map_is_own_single(const struct nsu_idmap *m, uint32_t own)
{
	return m->n == 1 && m->line[0].count == 1 && m->line[0].outer == own;
}

/* ---- prepare: check everything, change nothing ---- */

/* statmount(2), Linux 6.8: the kernel's own answer about a mount, so the
 * check below needs neither mountinfo text nor libmount (whose start-up
 * cost every nsunshare run would pay). */
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x4000U
#endif
#define NSU_STATMOUNT_MNT_BASIC 0x2U

struct nsu_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
};

struct nsu_statmount {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t spare2[50];
};

/* The mount that FILE lives on must not be shared: the kernel refuses to
 * bind a mount namespace there (it could propagate into itself). -EINVAL
 * if it is shared, 0 if not or if this kernel cannot tell (then the bind
 * itself fails, with a hint). */
static int check_not_shared(const char *file)
{
	struct statx stx;
	struct nsu_mnt_id_req req = { .size = sizeof(req) };
	struct nsu_statmount sm;

	if (statx(AT_FDCWD, file, 0, STATX_MNT_ID_UNIQUE, &stx) < 0)
		return -errno;
	if (!(stx.stx_mask & STATX_MNT_ID_UNIQUE))
		return 0; /* before 6.8 */
	req.mnt_id = stx.stx_mnt_id;
	req.param = NSU_STATMOUNT_MNT_BASIC;
	memset(&sm, 0, sizeof(sm));
	if (syscall(SYS_statmount, &req, &sm, sizeof(sm), 0) < 0 ||
	    !(sm.mask & NSU_STATMOUNT_MNT_BASIC))
		return 0;
	return (sm.mnt_propagation & MS_SHARED) ? -EINVAL : 0;
}

static int read_cap_last(int procfd)
{
	char buf[32];
	uint64_t v;

	if (nsu_read_file_at(procfd, "sys/kernel/cap_last_cap", buf,
			     sizeof(buf)) < 0)
		return 40; /* CAP_CHECKPOINT_RESTORE, Linux 5.9 */
	buf[strcspn(buf, "\n")] = '\0';
	if (nsu_parse_u64(buf, strlen(buf), 63, false, &v) < 0)
		return 40;
	return (int)v;
}

static int stat_ns(struct nsu_create *c, pid_t pid, enum nsu_nstype t,
		   bool children, struct stat *st)
{
	char path[PATH_MAX];
	const char *entry = children && nsu_nstype_children_entry(t) ?
		nsu_nstype_children_entry(t) : nsu_nstype_name(t);

	snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, entry);
	return fstatat(c->procfd, path, st, 0) < 0 ? -errno : 0;
}

NSU_EXPORT int nsu_create_prepare(struct nsu_create *c)
{
	int all = c->new_mask, supported;
	bool new_user = c->new_mask & CLONE_NEWUSER;
	bool privileged = geteuid() == 0;

	c->fail = (struct failure){ .nstype = -1 };
	if (c->prepared)
		return 0;

	/* every requested type must exist on this kernel */
	supported = nsu_nstype_supported_mask(c->ctx);
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if ((all & nsu_nstype_flag(t)) && !(supported & nsu_nstype_flag(t)))
			return set_fail(c, -NSU_ENOTSUPP, STEP_UNSHARE, t, NULL);
	}
	if ((c->mono_set || c->boot_set) && !(c->new_mask & CLONE_NEWTIME))
		return set_fail(c, -EINVAL, STEP_TIME_OFFSET, NSU_NS_TIME,
				"clock offsets need a new time namespace");
	if (c->persist[NSU_NS_PID] && !c->fork)
		return set_fail(c, -EINVAL, STEP_PERSIST, NSU_NS_PID,
				"a PID namespace can only be persisted with fork");
	if (c->pin_name && (c->new_mask & CLONE_NEWPID) && !c->fork)
		return set_fail(c, -EINVAL, STEP_PIN, NSU_NS_PID,
				"a PID namespace can only be pinned with fork");
	if (c->pin_name && !c->new_mask)
		return set_fail(c, -EINVAL, STEP_PIN, -1,
				"nothing is created that could be pinned");
	if ((c->uidmap || c->gidmap || c->owner || c->setgroups) && !new_user)
		return set_fail(c, -EINVAL, STEP_CHECK, NSU_NS_USER,
				"id maps, --owner and --setgroups need a new user namespace");
	if (c->keep_caps && !new_user)
		c->keep_caps = false; /* as unshare(1): only meaningful there */

	/* How the maps get written. The kernel lets an unprivileged owner
	 * write only its own id, and a gid_map only after setgroups is
	 * denied; anything more goes through the set-uid newuidmap. */
	if (c->uidmap)
		c->uid_direct = privileged || c->owner ||
			map_is_own_single(c->uidmap, geteuid());
	if (c->gidmap)
		c->gid_direct = privileged || c->owner ||
			map_is_own_single(c->gidmap, getegid());
	c->deny_setgroups = c->setgroups == NSU_SETGROUPS_DENY ||
		(c->gidmap && c->gid_direct && !privileged && !c->owner);
	if (c->setgroups == NSU_SETGROUPS_ALLOW && c->deny_setgroups)
		return set_fail(c, -EINVAL, STEP_SETGROUPS, NSU_NS_USER,
				"--setgroups allow cannot be combined with this group map");

	c->procfd = open(nsu_ctx_get_proc_root(c->ctx),
			 O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->procfd < 0)
		return set_fail(c, -errno, STEP_PROC, -1,
				nsu_ctx_get_proc_root(c->ctx));
	c->self = getpid();
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (!(supported & nsu_nstype_flag(t)))
			continue;
		c->orig_ok[t] = stat_ns(c, c->self, t, true, &c->orig[t]) == 0;
	}

	/* files to persist onto must exist, and a mount namespace cannot
	 * be bound onto a shared mount */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct stat st;

		if (!c->persist[t])
			continue;
		if (stat(c->persist[t], &st) < 0)
			return set_fail(c, -errno, STEP_PERSIST_FILE, t, c->persist[t]);
		if (S_ISDIR(st.st_mode))
			return set_fail(c, -EISDIR, STEP_PERSIST_FILE, t, c->persist[t]);
		if (t == NSU_NS_MNT) {
			int r = check_not_shared(c->persist[t]);

			if (r == -EINVAL)
				return set_fail(c, -EINVAL, STEP_PERSIST_FILE, t,
						c->persist[t]);
			if (r < 0)
				return set_fail(c, r, STEP_PERSIST_FILE, t, c->persist[t]);
		}
	}
	if ((c->persist[NSU_NS_MNT] || (c->pin_name && (c->new_mask & CLONE_NEWNS))) &&
	    nsu_mntns_self_id(c->ctx, &c->orig_mnt_id) == 0)
		c->have_mnt_id = true;
	if (c->keep_caps)
		c->cap_last = read_cap_last(c->procfd);

	c->need_helper = c->uidmap || c->gidmap || c->pin_name ||
		(new_user && c->setgroups != NSU_SETGROUPS_DEFAULT);
	for (int t = 0; t < NSU_NS_COUNT; t++)
		c->need_helper |= c->persist[t] != NULL;
	c->prepared = true;
	return 0;
}

/* ---- the helper: stays in the original namespaces ---- */

enum { CMD_MAPS = 'M', CMD_BIND = 'B', CMD_COMMIT = 'C' };

/* A command to the helper; CHILD is the forked child, whose PID namespace
 * is bound (it was made by clone(CLONE_NEWPID), not by our unshare). */
struct command {
	char cmd;
	pid_t child;
};

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, (char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		off += (size_t)n;
	}
	return (ssize_t)off;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, (const char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

/* Write TEXT to /proc/PID/FILE in one write(), as the kernel requires. */
static int write_proc(struct nsu_create *c, pid_t pid, const char *file,
		      const char *text)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/%s", (int)pid, file);
	fd = openat(c->procfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		return -errno;
	return (size_t)n == strlen(text) ? 0 : -EIO;
}

/* Run newuidmap/newgidmap PID INNER OUTER COUNT... and wait for it. Its
 * messages go to our stderr unchanged. */
static int run_idmapper(const char *prog, pid_t pid, const struct nsu_idmap *m,
			int *status)
{
	char **argv;
	size_t n = 0;
	pid_t child;
	int st, r = 0;

	argv = calloc(3 + 3 * m->n, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	argv[n++] = (char *)prog;
	if (asprintf(&argv[n++], "%d", (int)pid) < 0)
		argv[--n] = NULL;
	for (size_t i = 0; argv[n - 1] && i < m->n; i++) {
		if (asprintf(&argv[n++], "%u", m->line[i].inner) < 0 ||
		    asprintf(&argv[n++], "%u", m->line[i].outer) < 0 ||
		    asprintf(&argv[n++], "%u", m->line[i].count) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	if (r == 0 && n != 2 + 3 * m->n)
		r = -ENOMEM;
	if (r == 0) {
		child = fork();
		if (child < 0) {
			r = -errno;
		} else if (child == 0) {
			sigset_t none;

			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			nsu_close_fds(NULL, 0);
			execv(prog, argv);
			_exit(errno == ENOENT ? 127 : 126);
		} else {
			while (waitpid(child, &st, 0) < 0) {
				if (errno != EINTR) {
					r = -errno;
					break;
				}
			}
			if (r == 0) {
				*status = st;
				if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
					r = -ENOENT;
				else if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
					r = -EACCES;
				else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
					r = -EPERM;
			}
		}
	}
	for (size_t i = 1; i < n; i++)
		free(argv[i]);
	free(argv);
	return r;
}

static int helper_maps(struct nsu_create *c, pid_t pid, struct failure *f)
{
	_cleanup_free_ char *text = NULL;
	int r, st = 0;

	*f = (struct failure){ .nstype = NSU_NS_USER };
	/* uid_map first, then setgroups, then gid_map: an unprivileged
	 * gid_map is accepted only once setgroups is denied. */
	if (c->uidmap) {
		if (c->uid_direct) {
			r = nsu_idmap_render(c->uidmap, &text);
			if (r >= 0)
				r = write_proc(c, pid, "uid_map", text);
			if (r < 0) {
				f->step = STEP_UID_MAP;
				snprintf(f->path, sizeof(f->path), "/proc/%d/uid_map", (int)pid);
				return f->err = r;
			}
		} else if ((r = run_idmapper(NSU_NEWUIDMAP, pid, c->uidmap, &st)) < 0) {
			f->step = STEP_NEWUIDMAP;
			if (r == -EPERM)
				snprintf(f->path, sizeof(f->path), "%s exited with status %d",
					 NSU_NEWUIDMAP, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
			else
				snprintf(f->path, sizeof(f->path), "%s", NSU_NEWUIDMAP);
			return f->err = r;
		}
	}
	if (c->deny_setgroups || c->setgroups == NSU_SETGROUPS_ALLOW) {
		r = write_proc(c, pid, "setgroups",
			       c->deny_setgroups ? "deny" : "allow");
		if (r < 0 && r != -ENOENT) {
			f->step = STEP_SETGROUPS;
			snprintf(f->path, sizeof(f->path), "/proc/%d/setgroups", (int)pid);
			return f->err = r;
		}
	}
	if (c->gidmap) {
		free(text);
		text = NULL;
		if (c->gid_direct) {
			r = nsu_idmap_render(c->gidmap, &text);
			if (r >= 0)
				r = write_proc(c, pid, "gid_map", text);
			if (r < 0) {
				f->step = STEP_GID_MAP;
				snprintf(f->path, sizeof(f->path), "/proc/%d/gid_map", (int)pid);
				return f->err = r;
			}
		} else if ((r = run_idmapper(NSU_NEWGIDMAP, pid, c->gidmap, &st)) < 0) {
			f->step = STEP_NEWGIDMAP;
			if (r == -EPERM)
				snprintf(f->path, sizeof(f->path), "%s exited with status %d",
					 NSU_NEWGIDMAP, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
			else
				snprintf(f->path, sizeof(f->path), "%s", NSU_NEWGIDMAP);
			return f->err = r;
		}
	}
	return 0;
}

struct undo {
	struct nsu_create *c;
	struct bound b[NSU_NS_COUNT];
	size_t n;
	bool pinned; /* c->pin_name is pinned, remove it on undo */
};

static void undo_all(struct undo *u)
{
	/* the pin first (it was made last), then the binds in reverse order */
	if (u->pinned) {
		nsu_pin_remove(u->c->ctx, u->c->pin_dir, u->c->pin_name, NULL);
		u->pinned = false;
	}
	while (u->n > 0) {
		struct bound *b = &u->b[--u->n];

		umount2(b->path, MNT_DETACH);
		free(b->path);
	}
}

/* Bind /proc/PID/ns/ENTRY onto TARGET and check that an nsfs mount is
 * there now. */
static int bind_ns(struct nsu_create *c, pid_t pid, pid_t child,
		   enum nsu_nstype t, const char *target)
{
	char src[PATH_MAX];
	struct statfs sfs;
	const char *entry = nsu_nstype_children_entry(t) ?
		nsu_nstype_children_entry(t) : nsu_nstype_name(t);

	if (t == NSU_NS_PID && child > 0) {
		pid = child;
		entry = nsu_nstype_name(t);
	}

	snprintf(src, sizeof(src), "%s/%d/ns/%s", nsu_ctx_get_proc_root(c->ctx),
		 (int)pid, entry);
	if (mount(src, target, NULL, MS_BIND, NULL) < 0)
		return -errno;
	if (statfs(target, &sfs) < 0 || (unsigned long)sfs.f_type != NSFS_MAGIC) {
		umount2(target, MNT_DETACH);
		return -NSU_ENOTNS;
	}
	return 0;
}

/* Pin every created namespace as NAME with the registry's own write side
 * (nsu_pin_add_ns(): all or nothing, registry layout and checks). */
static int helper_pin(struct nsu_create *c, pid_t pid, pid_t child,
		      struct undo *u, struct failure *f)
{
	struct nsu_ns *nss[NSU_NS_COUNT];
	struct nsu_pin_status *st;
	size_t n = 0;
	int r = 0;

	for (int t = 0; t < NSU_NS_COUNT && r == 0; t++) {
		if (!(c->new_mask & nsu_nstype_flag(t)))
			continue;
		/* the child's own PID namespace, our *_for_children time */
		if (t == NSU_NS_PID && child > 0)
			nss[n] = nsu_ns_open_pid(c->ctx, child, t, 0);
		else
			nss[n] = nsu_ns_open_pid(c->ctx, pid, t, NSU_NS_FOR_CHILDREN);
		if (!nss[n]) {
			r = -errno;
			f->step = STEP_PIN;
			f->nstype = t;
			break;
		}
		n++;
	}
	if (r == 0) {
		st = nsu_pin_status_new();
		if (!st) {
			r = -ENOMEM;
		} else {
			r = nsu_pin_add_ns(c->ctx, c->pin_dir, c->pin_name, nss, n, st);
			if (r < 0) {
				f->step = STEP_PIN;
				f->nstype = nsu_pin_status_type(st);
				if (nsu_pin_status_path(st))
					snprintf(f->path, sizeof(f->path), "%s",
						 nsu_pin_status_path(st));
			}
			nsu_pin_status_free(st);
		}
	}
	for (size_t i = 0; i < n; i++)
		nsu_ns_free(nss[i]);
	if (r < 0)
		return f->err = r;
	u->pinned = true;
	nsu_log(c->ctx, 6, "pinned %d namespace%s as %s", (int)n, n == 1 ? "" : "s",
		c->pin_name);
	return 0;
}

static int helper_bind(struct nsu_create *c, pid_t pid, pid_t child, struct undo *u,
		       struct failure *f)
{
	*f = (struct failure){ .nstype = -1 };
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		int r;

		if (!c->persist[t])
			continue;
		r = bind_ns(c, pid, child, t, c->persist[t]);
		if (r < 0) {
			f->step = STEP_PERSIST;
			f->nstype = t;
			snprintf(f->path, sizeof(f->path), "%s", c->persist[t]);
			return f->err = r;
		}
		u->b[u->n].path = strdup(c->persist[t]);
		if (!u->b[u->n].path) {
			umount2(c->persist[t], MNT_DETACH);
			return f->err = -ENOMEM;
		}
		u->n++;
		nsu_log(c->ctx, 6, "persisted %s namespace on %s", nsu_nstype_name(t),
			c->persist[t]);
	}
	if (c->pin_name)
		return helper_pin(c, pid, child, u, f);
	return 0;
}

__attribute__((noreturn)) static void helper_main(struct nsu_create *c, pid_t pid, int in,
				 int out)
{
	struct undo u = { .c = c, .n = 0 };
	struct failure f;
	sigset_t set;

	/* A Ctrl-C reaches the whole process group: the helper must still
	 * finish (or undo) its transaction. It learns of its caller's death
	 * from the closed pipe. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (;;) {
		struct command cmd;
		ssize_t n = read_full(in, &cmd, sizeof(cmd));

		if (n != (ssize_t)sizeof(cmd))
			break; /* the caller died or gave up: roll back */
		f = (struct failure){ .nstype = -1 };
		switch (cmd.cmd) {
		case CMD_MAPS:
			helper_maps(c, pid, &f);
			break;
		case CMD_BIND:
			if (helper_bind(c, pid, cmd.child, &u, &f) < 0)
				undo_all(&u);
			break;
		case CMD_COMMIT:
			_exit(0);
		default:
			f.err = -EINVAL;
			break;
		}
		if (write_full(out, &f, sizeof(f)) < 0)
			break;
	}
	undo_all(&u);
	_exit(1);
}

static int helper_start(struct nsu_create *c)
{
	int cmd[2] = { -1, -1 }, rep[2] = { -1, -1 };
	pid_t pid;

	if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
		int e = -errno;

		if (cmd[0] >= 0) {
			close(cmd[0]);
			close(cmd[1]);
		}
		return set_fail(c, e, STEP_HELPER, -1, NULL);
	}
	pid = fork();
	if (pid < 0) {
		int e = -errno;

		close(cmd[0]);
		close(cmd[1]);
		close(rep[0]);
		close(rep[1]);
		return set_fail(c, e, STEP_HELPER, -1, NULL);
	}
	if (pid == 0) {
		close(cmd[1]);
		close(rep[0]);
		/* if we die, the helper notices the closed pipe and undoes */
		helper_main(c, c->self, cmd[0], rep[1]);
	}
	close(cmd[0]);
	close(rep[1]);
	c->helper = pid;
	c->to_helper = cmd[1];
	c->from_helper = rep[0];
	return 0;
}

/* Send CMD and wait for the answer; on failure, copy it into c->fail. */
static int helper_call(struct nsu_create *c, char what, pid_t child)
{
	struct command cmd = { .cmd = what, .child = child };
	struct failure f;
	ssize_t n;
	int r;

	r = write_full(c->to_helper, &cmd, sizeof(cmd));
	if (r < 0)
		return set_fail(c, r, STEP_HELPER, -1, NULL);
	n = read_full(c->from_helper, &f, sizeof(f));
	if (n != (ssize_t)sizeof(f))
		return set_fail(c, n < 0 ? (int)n : -EPIPE, STEP_HELPER, -1, NULL);
	if (f.err < 0) {
		c->fail = f;
		return f.err;
	}
	return 0;
}

static int helper_commit(struct nsu_create *c)
{
	struct command cmd = { .cmd = CMD_COMMIT };
	int st = 0, r;

	r = write_full(c->to_helper, &cmd, sizeof(cmd));
	helper_close(c);
	while (waitpid(c->helper, &st, 0) < 0) {
		if (errno != EINTR) {
			r = -errno;
			break;
		}
	}
	c->helper = 0;
	if (r == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		r = -EPIPE;
	return r < 0 ? set_fail(c, r, STEP_HELPER, -1, NULL) : 0;
}

/* ---- creating ---- */

/* unshare(MASK) failed with ERR: find out which type the kernel refused,
 * in a throwaway child (never by trying more in this process). */
static int diagnose_unshare(int mask)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if ((mask & CLONE_NEWUSER) && unshare(CLONE_NEWUSER) < 0)
			_exit(1 + NSU_NS_USER);
		for (int t = 0; t < NSU_NS_COUNT; t++) {
			int f = nsu_nstype_flag(t);

			if ((mask & f) && f != CLONE_NEWUSER && unshare(f) < 0)
				_exit(1 + t);
		}
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) > 0 && WEXITSTATUS(st) <= NSU_NS_COUNT)
		return WEXITSTATUS(st) - 1;
	return -1;
}

static int one_type(int mask)
{
	for (int t = 0; t < NSU_NS_COUNT; t++)
		if (mask == nsu_nstype_flag(t))
			return t;
	return -1;
}

static int do_unshare(struct nsu_create *c)
{
	int mask = c->new_mask;
	bool newer_mnt = (mask & CLONE_NEWNS) && c->have_mnt_id;

	/* With fork, the child is made by clone(CLONE_NEWPID): we stay out of
	 * the new PID namespace entirely (after unshare(CLONE_NEWPID) our own
	 * forks would fail once its init exited). */
	if (c->fork)
		mask &= ~CLONE_NEWPID;

	/* One call creates the user namespace first and the others owned by
	 * it. A mount namespace that will be bound from the original one
	 * must get a newer id than that (see nsu_mntns_unshare_newer()), so
	 * it comes in a call of its own, after the user namespace. */
	if (newer_mnt)
		mask &= ~CLONE_NEWNS;
	if (mask && unshare(mask) < 0) {
		int e = -errno, t = one_type(mask);

		if (t < 0)
			t = diagnose_unshare(mask);
		return set_fail(c, e, STEP_UNSHARE, t, NULL);
	}
	if (newer_mnt) {
		int r = nsu_mntns_unshare_newer(c->ctx, c->orig_mnt_id);

		if (r < 0 && r != -NSU_ENOTSUPP)
			return set_fail(c, r, STEP_UNSHARE, NSU_NS_MNT, NULL);
	}
	if (c->new_mask & CLONE_NEWNS) {
		static const unsigned long prop[] = {
			[NSU_PROP_PRIVATE] = MS_REC | MS_PRIVATE,
			[NSU_PROP_SHARED] = MS_REC | MS_SHARED,
			[NSU_PROP_SLAVE] = MS_REC | MS_SLAVE,
			[NSU_PROP_UNCHANGED] = 0,
		};

		/* Before any other mount: with systemd's shared /, every
		 * mount made from now on would otherwise reach the host. */
		if (prop[c->propagation] &&
		    mount("none", "/", NULL, prop[c->propagation], NULL) < 0)
			return set_fail(c, -errno, STEP_PROPAGATION, NSU_NS_MNT, "/");
	}
	return 0;
}

static int do_joins(struct nsu_create *c)
{
	bool any = false;

	for (int t = 0; t < NSU_NS_COUNT; t++)
		any |= c->join[t] != NULL;
	if (!any)
		return 0;
	/* Nothing in a joined namespace may ptrace us before we exec. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* The user namespace first: the others are owned by it, and we only
	 * have capabilities over them once we are in it. */
	if (c->join[NSU_NS_USER] &&
	    setns(nsu_ns_fd(c->join[NSU_NS_USER]), CLONE_NEWUSER) < 0)
		return set_fail(c, -errno, STEP_SETNS, NSU_NS_USER, NULL);
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (t == NSU_NS_USER || !c->join[t])
			continue;
		if (setns(nsu_ns_fd(c->join[t]), nsu_nstype_flag(t)) < 0)
			return set_fail(c, -errno, STEP_SETNS, t, NULL);
	}
	return 0;
}

static int write_time_offsets(struct nsu_create *c)
{
	char buf[96];
	int n = 0, r;

	if (!c->mono_set && !c->boot_set)
		return 0;
	if (c->mono_set)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%d %lld 0\n",
			      CLOCK_MONOTONIC, (long long)c->mono);
	if (c->boot_set)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%d %lld 0\n",
			      CLOCK_BOOTTIME, (long long)c->boot);
	r = write_proc(c, getpid(), "timens_offsets", buf);
	return r < 0 ? set_fail(c, r, STEP_TIME_OFFSET, NSU_NS_TIME,
				"/proc/self/timens_offsets") : 0;
}

/* Every type is now what was asked: joined ones are the target, created
 * ones are new, the rest are still the caller's. */
static int verify(struct nsu_create *c)
{
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct stat st;
		int r;

		if (!c->orig_ok[t])
			continue;
		r = stat_ns(c, c->self, t, true, &st);
		if (t == NSU_NS_PID && (c->new_mask & CLONE_NEWPID) &&
		    (c->fork || r == -ENOENT))
			continue; /* made by clone(), or exists once its first
				   * process does */
		if (r < 0)
			return set_fail(c, r, STEP_VERIFY, t, NULL);
		if (c->join[t]) {
			if ((uint64_t)st.st_ino != nsu_ns_ino(c->join[t]) ||
			    (uint64_t)st.st_dev != nsu_ns_dev(c->join[t]))
				return set_fail(c, -NSU_EWRONGTYPE, STEP_VERIFY, t,
						"not in the joined namespace");
			nsu_log(c->ctx, 6, "joined %s namespace %llu", nsu_nstype_name(t),
				(unsigned long long)st.st_ino);
		} else if (c->new_mask & nsu_nstype_flag(t)) {
			if (st.st_ino == c->orig[t].st_ino && st.st_dev == c->orig[t].st_dev)
				return set_fail(c, -NSU_EWRONGTYPE, STEP_VERIFY, t,
						"still in the original namespace");
			nsu_log(c->ctx, 6, "created %s namespace %llu", nsu_nstype_name(t),
				(unsigned long long)st.st_ino);
		} else if (st.st_ino != c->orig[t].st_ino || st.st_dev != c->orig[t].st_dev) {
			/* joining a user namespace changes nothing else */
			return set_fail(c, -NSU_EWRONGTYPE, STEP_VERIFY, t,
					"left the caller's namespace");
		}
	}
	return 0;
}

static void log_maps(struct nsu_create *c)
{
	const struct nsu_idmap *maps[2] = { c->uidmap, c->gidmap };

	for (int k = 0; k < 2; k++) {
		if (!maps[k])
			continue;
		for (size_t i = 0; i < maps[k]->n; i++)
			nsu_log(c->ctx, 6, "%s map: %u %u %u",
				k ? "gid" : "uid", maps[k]->line[i].inner,
				maps[k]->line[i].outer, maps[k]->line[i].count);
	}
}

static int keep_caps(struct nsu_create *c)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	/* ambient capabilities must be permitted and inheritable */
	data[0].inheritable = data[0].permitted;
	data[1].inheritable = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	for (int cap = 0; cap <= c->cap_last && cap < 64; cap++) {
		if (!(data[cap / 32].permitted & (1U << (cap % 32))))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return -errno;
	}
	return 0;
}

static bool interp_fixed(const char *interp)
{
	const char *flags = strrchr(interp, ':');

	return flags && strchr(flags, 'F');
}

static int load_interp(struct nsu_create *c, const char *dir)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/register", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return set_fail(c, -errno, STEP_INTERP, -1, path);
	n = write(fd, c->interp, strlen(c->interp));
	if (n < 0)
		return set_fail(c, -errno, STEP_INTERP, -1, path);
	return 0;
}

static int mount_binfmt(struct nsu_create *c, const char *dir)
{
	if (mount("binfmt_misc", dir, "binfmt_misc",
		  MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) < 0)
		return set_fail(c, -errno, STEP_BINFMT, -1, dir);
	return 0;
}

/* What the process that runs the program does last, in its namespaces. */
static int inner_setup(struct nsu_create *c)
{
	const char *wd = c->wd;
	bool interp_early = c->interp && c->root && interp_fixed(c->interp);
	int r;

	/* A fixed ('F') interpreter is opened now, so it can live outside
	 * the new root. */
	if (interp_early) {
		r = mount_binfmt(c, "/proc/sys/fs/binfmt_misc");
		if (r == 0)
			r = load_interp(c, "/proc/sys/fs/binfmt_misc");
		if (r < 0)
			return r;
	}
	if (c->root) {
		if (chroot(c->root) < 0)
			return set_fail(c, -errno, STEP_ROOT, -1, c->root);
		if (!wd)
			wd = "/";
	}
	if (wd && chdir(wd) < 0)
		return set_fail(c, -errno, STEP_WD, -1, wd);
	if (c->proc_dir) {
		/* Only / was made private; a /proc mount below a shared or
		 * slave root must not propagate back. */
		if (!c->root && c->propagation != NSU_PROP_PRIVATE &&
		    mount("none", c->proc_dir, NULL, MS_REC | MS_PRIVATE, NULL) < 0 &&
		    errno != EINVAL)
			return set_fail(c, -errno, STEP_MOUNT_PROC, -1, c->proc_dir);
		if (mount("proc", c->proc_dir, "proc",
			  MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) < 0)
			return set_fail(c, -errno, STEP_MOUNT_PROC, -1, c->proc_dir);
	}
	if (c->binfmt_dir && !interp_early) {
		r = mount_binfmt(c, c->binfmt_dir);
		if (r == 0 && c->interp)
			r = load_interp(c, c->binfmt_dir);
		if (r < 0)
			return r;
	}
	if (c->gid >= 0) {
		if (setgroups(0, NULL) < 0)
			return set_fail(c, -errno, STEP_SETGID, -1, NULL);
		if (setgid((gid_t)c->gid) < 0)
			return set_fail(c, -errno, STEP_SETGID, -1, NULL);
	}
	if (c->uid >= 0 && setuid((uid_t)c->uid) < 0)
		return set_fail(c, -errno, STEP_SETUID, -1, NULL);
	if (c->keep_caps && (r = keep_caps(c)) < 0)
		return set_fail(c, r, STEP_CAPS, NSU_NS_USER, NULL);
	/* A working directory outside the (new) root would let the program
	 * reach files it should not see. */
	if (c->root || c->wd || c->join[NSU_NS_MNT]) {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
			return set_fail(c, errno ? -errno : -ENOENT, STEP_CWD, -1, NULL);
	}
	return 0;
}

/* In the forked child: die with the parent, without a window in which the
 * parent could die unnoticed. Done last, because changing credentials
 * clears the parent-death signal. */
static int arm_kill_child(struct nsu_create *c)
{
	if (!c->kill_signal)
		return 0;
	if (prctl(PR_SET_PDEATHSIG, c->kill_signal, 0, 0, 0) < 0)
		return set_fail(c, -errno, STEP_PARENT_DIED, -1, NULL);
	/* The parent may have died before the prctl: then nobody sends the
	 * signal. In a new PID namespace getppid() is 0 either way, so ask
	 * the parent's pidfd where there is one. */
	if (c->self_pidfd >= 0) {
		struct pollfd p = { .fd = c->self_pidfd, .events = POLLIN };

		if (poll(&p, 1, 0) != 0)
			return set_fail(c, -ESRCH, STEP_PARENT_DIED, -1, NULL);
		close(c->self_pidfd);
		c->self_pidfd = -1;
	} else if (getppid() != c->self) {
		return set_fail(c, -ESRCH, STEP_PARENT_DIED, -1, NULL);
	}
	return 0;
}

NSU_EXPORT int nsu_create_run(struct nsu_create *c, pid_t *child)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	bool handshake;
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 };
	sigset_t oldmask;
	pid_t pid;
	int r;

	*child = 0;
	r = nsu_create_prepare(c);
	if (r < 0)
		return r;
	/* An inherited SIG_IGN would make the kernel reap our helpers. */
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, NULL);

	if (c->need_helper && (r = helper_start(c)) < 0)
		return r;
	if (c->owner) {
		/* The new user namespace is owned by whoever creates it. */
		if (setgroups(0, NULL) < 0 || setgid(c->owner_gid) < 0 ||
		    setuid(c->owner_uid) < 0) {
			r = set_fail(c, -errno, STEP_OWNER, NSU_NS_USER, NULL);
			goto fail;
		}
	}
	r = do_joins(c);
	if (r == 0)
		r = do_unshare(c);
	if (r == 0 && (c->new_mask & CLONE_NEWUSER) &&
	    (c->uidmap || c->gidmap || c->deny_setgroups ||
	     c->setgroups == NSU_SETGROUPS_ALLOW)) {
		r = helper_call(c, CMD_MAPS, 0);
		if (r == 0)
			log_maps(c);
	}
	if (r == 0)
		r = write_time_offsets(c);
	if (r == 0)
		r = verify(c);
	if (r < 0)
		goto fail;

	if (!c->fork) {
		r = inner_setup(c);
		if (r == 0 && c->helper > 0) {
			r = helper_call(c, CMD_BIND, 0);
			if (r == 0)
				r = helper_commit(c);
		}
		if (r < 0)
			goto fail;
		return 0;
	}

	/* With something to persist or pin, the child reports that it is
	 * ready and waits for the binds before it runs the program, so that
	 * a failure on either side leaves nothing behind. */
	handshake = c->helper > 0;
	if (handshake && (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)) {
		r = set_fail(c, -errno, STEP_FORK, -1, NULL);
		goto fail_pipes;
	}
	if (c->kill_signal) {
		c->self_pidfd = nsu_pidfd_open(c->self, 0);
		if (c->self_pidfd < 0)
			c->self_pidfd = -1; /* before 5.3: getppid() only */
	}
	r = nsu_signals_block(&oldmask);
	if (r < 0) {
		set_fail(c, r, STEP_FORK, -1, NULL);
		goto fail_pipes;
	}
	if (c->new_mask & CLONE_NEWPID)
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL,
				     NULL, NULL);
	else
		pid = fork();
	if (pid < 0) {
		r = (c->new_mask & CLONE_NEWPID) ?
			set_fail(c, -errno, STEP_UNSHARE, NSU_NS_PID, NULL) :
			set_fail(c, -errno, STEP_FORK, -1, NULL);
		nsu_signals_restore(&oldmask);
		goto fail_pipes;
	}
	if (pid == 0) {
		char b = 0;

		nsu_signals_restore(&oldmask);
		helper_close(c);
		c->helper = 0; /* not ours to reap */
		if (handshake) {
			close(ready[0]);
			close(go[1]);
		}
		r = inner_setup(c);
		if (r == 0)
			r = arm_kill_child(c);
		if (r < 0)
			return r;
		if (handshake) {
			if (write_full(ready[1], &b, 1) < 0 || read_full(go[0], &b, 1) != 1)
				return set_fail(c, -EPIPE, STEP_PARENT_DIED, -1, NULL);
			close(ready[1]);
			close(go[0]);
		}
		return 0;
	}

	/* parent */
	if (c->self_pidfd >= 0) {
		close(c->self_pidfd);
		c->self_pidfd = -1;
	}
	if (c->new_mask & CLONE_NEWPID) {
		struct stat st;

		if (stat_ns(c, pid, NSU_NS_PID, false, &st) == 0)
			nsu_log(c->ctx, 6, "created pid namespace %llu",
				(unsigned long long)st.st_ino);
	}
	if (handshake) {
		char b;

		close(ready[1]);
		close(go[0]);
		if (read_full(ready[0], &b, 1) != 1) {
			/* The child failed (and said why) or died: nothing was
			 * bound yet. Its status is the caller's to report. */
			close(ready[0]);
			close(go[1]);
			helper_abort(c);
			*child = pid;
			return 0;
		}
		r = helper_call(c, CMD_BIND, pid);
		if (r == 0)
			r = helper_commit(c);
		if (r < 0) {
			kill(pid, SIGKILL);
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			close(ready[0]);
			close(go[1]);
			nsu_signals_restore(&oldmask);
			goto fail;
		}
		b = 1;
		write_full(go[1], &b, 1);
		close(ready[0]);
		close(go[1]);
	}
	*child = pid;
	return 0;

fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
fail:
	helper_abort(c);
	return r;
}
