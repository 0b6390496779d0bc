/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsenter2.c - run a program in the namespaces of a process, of namespace
 * files or of a pinned set: nsenter(1), race-free and hardened. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsutil.h"
#include "tool.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
/* LeakSanitizer checks at exit from a tracer task it clones and ptraces
 * us from. After joining, that cannot work: we are not dumpable, and the
 * clone lands in the target's PID namespace where we are invisible, so it
 * would spin forever. Check now, while it still can; it then skips the
 * check at exit. */
#define leak_check_before_joining() __lsan_do_leak_check()
#else
#define leak_check_before_joining() do { } while (0)
#endif

#define MAX_KEEP 64

struct opts {
	const char *target;       /* -t as given, for messages */
	pid_t pid;
	uint64_t inode;
	bool all;
	bool ns_on[NSU_NS_COUNT];
	const char *ns_file[NSU_NS_COUNT]; /* FILE or :NSID, or NULL */
	int net_socket;           /* -N FD, or -1 */
	bool user_parent;
	bool set_uid, uid_follow;
	uid_t uid;
	bool set_gid, gid_follow;
	gid_t gid;
	bool preserve_cred;
	bool keep_caps;
	bool root;
	const char *root_dir;
	bool wd;
	const char *wd_dir;
	const char *wdns;
	bool env;
	bool no_fork;
	bool join_cgroup;
	const char *pinned;
	bool mount_proc;
	bool verbose;
	char **argv;              /* the program, or NULL for the shell */
	int keep[MAX_KEEP];       /* fds the caller passed on */
	size_t nkeep;
};

enum {
	OPT_USER_PARENT = 0x100,
	OPT_PRESERVE_CRED,
	OPT_KEEP_CAPS,
	OPT_PINNED,
	OPT_MOUNT_PROC,
	OPT_VERBOSE,
};

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "target", required_argument, NULL, 't' },
	{ "mount", optional_argument, NULL, 'm' },
	{ "uts", optional_argument, NULL, 'u' },
	{ "ipc", optional_argument, NULL, 'i' },
	{ "net", optional_argument, NULL, 'n' },
	{ "net-socket", required_argument, NULL, 'N' },
	{ "pid", optional_argument, NULL, 'p' },
	{ "user", optional_argument, NULL, 'U' },
	{ "cgroup", optional_argument, NULL, 'C' },
	{ "time", optional_argument, NULL, 'T' },
	{ "user-parent", no_argument, NULL, OPT_USER_PARENT },
	{ "setuid", required_argument, NULL, 'S' },
	{ "setgid", required_argument, NULL, 'G' },
	{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE_CRED },
	{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
	{ "root", optional_argument, NULL, 'r' },
	{ "wd", optional_argument, NULL, 'w' },
	{ "wdns", required_argument, NULL, 'W' },
	{ "env", no_argument, NULL, 'e' },
	{ "no-fork", no_argument, NULL, 'F' },
	{ "join-cgroup", no_argument, NULL, 'c' },
	{ "follow-context", no_argument, NULL, 'Z' },
	{ "pinned", required_argument, NULL, OPT_PINNED },
	{ "mount-proc", no_argument, NULL, OPT_MOUNT_PROC },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static noreturn void usage(void)
{
	fputs("Usage:\n"
	      " nsenter2 [options] [<program> [<argument>...]]\n"
	      "\n"
	      "Run a program in the namespaces of another process, of namespace\n"
	      "files, or of a pinned set.\n"
	      "\n"
	      "Options:\n"
	      " -a, --all                 enter every namespace of the target\n"
	      " -t, --target <pid>[:<ino>]\n"
	      "                           target process (and its pidfs inode)\n"
	      " -m, --mount[=<file>]      enter the mount namespace\n"
	      " -u, --uts[=<file>]        enter the UTS namespace (hostname)\n"
	      " -i, --ipc[=<file>]        enter the IPC namespace\n"
	      " -n, --net[=<file>]        enter the network namespace\n"
	      " -N, --net-socket <fd>     enter the network namespace of the\n"
	      "                             target's socket <fd>\n"
	      " -p, --pid[=<file>]        enter the PID namespace\n"
	      " -U, --user[=<file>]       enter the user namespace\n"
	      " -C, --cgroup[=<file>]     enter the cgroup namespace\n"
	      " -T, --time[=<file>]       enter the time namespace\n"
	      "                             (<file> may also be :<nsid>, a\n"
	      "                             64-bit namespace id)\n"
	      "     --user-parent         enter the parent user namespace\n"
	      " -S, --setuid <uid>|follow set uid in the entered user namespace\n"
	      " -G, --setgid <gid>|follow set gid in the entered user namespace\n"
	      "     --preserve-credentials\n"
	      "                           do not touch uids or gids\n"
	      "     --keep-caps           keep capabilities in the user namespace\n"
	      " -r, --root[=<dir>]        set the root directory\n"
	      " -w, --wd[=<dir>]          set the working directory\n"
	      " -W, --wdns <dir>          set the working directory inside the\n"
	      "                             entered namespaces\n"
	      " -e, --env                 take the environment of the target\n"
	      " -F, --no-fork             do not fork before exec'ing <program>\n"
	      " -c, --join-cgroup         join the target's cgroup (cgroup v2)\n"
	      " -Z, --follow-context      set the SELinux context of the target\n"
	      "     --pinned <name>|<dir> enter every namespace pinned by nspin\n"
	      "     --mount-proc          give the program a /proc of its PID\n"
	      "                             namespace (private mount namespace)\n"
	      "     --verbose             say what was entered\n"
	      "\n"
	      USAGE_HELP_OPTIONS("             ")
	      USAGE_MAN_TAIL("nsenter2(1)"), stdout);
	exit(0);
}

static int type_for_letter(int c)
{
	for (int t = 0; t < NSU_NS_COUNT; t++)
		if (nsu_nstype_short_option(t) == c)
			return t;
	return -1;
}

static void parse_id(const char *arg, const char *what, bool *follow,
		     uint32_t *id)
{
	if (strcmp(arg, "follow") == 0) {
		*follow = true;
		return;
	}
	if (tool_parse_u32(arg, id) < 0 || *id == UINT32_MAX)
		usage_error("invalid %s: '%s'", what, arg);
	*follow = false;
}

/* The fds the caller passed on to us on purpose: open, >= 3, and not
 * close-on-exec. Everything else above 2 is ours and never reaches the
 * program. Called before we open anything. */
static void collect_inherited(struct opts *o)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d)
		return; /* no /proc: nothing is passed on */
	while ((de = readdir(d))) {
		int fd, fl;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd < 3 || fd == dirfd(d))
			continue;
		fl = fcntl(fd, F_GETFD);
		if (fl < 0 || (fl & FD_CLOEXEC))
			continue;
		if (o->nkeep == MAX_KEEP) {
			closedir(d);
			die("more than %d inherited file descriptors", MAX_KEEP);
		}
		o->keep[o->nkeep++] = fd;
	}
	closedir(d);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c, t;
	uint32_t v;

	memset(o, 0, sizeof(*o));
	o->net_socket = -1;
	while ((c = getopt_long(argc, argv,
				"+at:m::u::i::n::N:p::U::C::T::S:G:r::w::W:eFcZhV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case 't':
			if (o->target)
				usage_error("--target given twice");
			if (nsu_parse_pid_spec(optarg, &o->pid, &o->inode) < 0)
				usage_error("invalid target '%s': expected PID or PID:INODE",
					    optarg);
			o->target = optarg;
			break;
		case 'm': case 'u': case 'i': case 'n':
		case 'p': case 'U': case 'C': case 'T':
			t = type_for_letter(c);
			o->ns_on[t] = true;
			o->ns_file[t] = optarg;
			if (optarg && !*optarg)
				usage_error("--%s=: empty file name",
					    nsu_nstype_long_option(t));
			break;
		case 'N':
			if (tool_parse_u32(optarg, &v) < 0 || v > INT32_MAX)
				usage_error("invalid socket fd: '%s'", optarg);
			o->net_socket = (int)v;
			break;
		case OPT_USER_PARENT:
			o->user_parent = true;
			break;
		case 'S':
			parse_id(optarg, "uid", &o->uid_follow, &v);
			o->uid = o->uid_follow ? 0 : v;
			o->set_uid = true;
			break;
		case 'G':
			parse_id(optarg, "gid", &o->gid_follow, &v);
			o->gid = o->gid_follow ? 0 : v;
			o->set_gid = true;
			break;
		case OPT_PRESERVE_CRED:
			o->preserve_cred = true;
			break;
		case OPT_KEEP_CAPS:
			o->keep_caps = true;
			break;
		case 'r':
			o->root = true;
			o->root_dir = optarg;
			break;
		case 'w':
			o->wd = true;
			o->wd_dir = optarg;
			break;
		case 'W':
			o->wdns = optarg;
			break;
		case 'e':
			o->env = true;
			break;
		case 'F':
			o->no_fork = true;
			break;
		case 'c':
			o->join_cgroup = true;
			break;
		case 'Z':
			/* Parsed so that scripts get a clear answer, not
			 * "unknown option". */
			die("--follow-context: not supported: built without SELinux");
		case OPT_PINNED:
			o->pinned = optarg;
			break;
		case OPT_MOUNT_PROC:
			o->mount_proc = true;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version_and_exit();
		default:
			tool_try_help();
		}
	}
	if (o->wd && o->wdns)
		usage_error("--wd and --wdns are mutually exclusive");
	if (o->mount_proc && o->no_fork)
		usage_error("--mount-proc needs a fork into the PID namespace (drop --no-fork)");
	if (optind < argc)
		o->argv = argv + optind;
}

/* ---- building the plan ---- */

struct state {
	struct nsu_ctx *ctx;
	struct nsu_enter *plan;
	char *source[NSU_NS_COUNT]; /* where each namespace came from */
};

static void set_source(struct state *s, int t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_source(struct state *s, int t, const char *fmt, ...)
{
	va_list ap;

	free(s->source[t]);
	va_start(ap, fmt);
	if (vasprintf(&s->source[t], fmt, ap) < 0)
		s->source[t] = NULL;
	va_end(ap);
}

static void need_target(const struct opts *o, const char *what)
{
	if (!o->target)
		usage_error("no target: %s needs -t PID", what);
}

static void die_target(const struct opts *o, int r, const char *what)
{
	if (r == -ESRCH)
		die("%s: target PID %d: no such process", what, (int)o->pid);
	die_err(r, "%s: target %s", what, o->target);
}

/* Opening the target's namespace of type T failed with R. For EPERM and
 * EACCES (ptrace access denied) name whose process it is. */
static noreturn void die_open_target(struct state *s, const struct opts *o,
				     int t, int r)
{
	char what[64];
	uid_t uid;

	if (t >= 0)
		snprintf(what, sizeof(what), "the %s namespace", nsu_nstype_name(t));
	else
		snprintf(what, sizeof(what), "the namespaces");
	if ((r == -EPERM || r == -EACCES) &&
	    nsu_proc_owner(s->ctx, o->pid, &uid) == 0)
		die_hint(r, nsu_hint(NSU_OP_OPEN, t, r),
			 "cannot open %s of target %s (a process of uid %u)",
			 what, o->target, (unsigned)uid);
	if (r == -ESRCH || r == -NSU_EREPLACED)
		die_err(-NSU_EREPLACED, "cannot open %s of target %s", what,
			o->target);
	die_hint(r, nsu_hint(NSU_OP_OPEN, t, r), "cannot open %s of target %s",
		 what, o->target);
}

/* A namespace given as FILE or :NSID for type T. */
static struct nsu_ns *open_file_source(struct state *s, int t,
				       const char *file)
{
	const char *opt = nsu_nstype_long_option(t);
	struct nsu_ns *ns;

	if (file[0] == ':') {
		uint64_t id;

		if (tool_parse_u64(file + 1, &id) < 0 || id == 0)
			usage_error("--%s=%s: invalid namespace id", opt, file);
		ns = nsu_ns_open_id(s->ctx, t, id);
		if (!ns && errno == NSU_ENOTSUPP)
			die("--%s=%s: opening a namespace by id is not supported by this kernel (nsfs has no file handles)",
			    opt, file);
		if (!ns && errno == ENOENT)
			die("--%s=%s: no %s namespace with id %llu", opt, file,
			    nsu_nstype_name(t), (unsigned long long)id);
		if (!ns)
			die_err(-errno, "--%s=%s", opt, file);
		set_source(s, t, "id %llu", (unsigned long long)id);
		return ns;
	}
	ns = nsu_ns_open_path(s->ctx, file, t);
	if (!ns) {
		int err = errno;

		if (err == NSU_EWRONGTYPE) {
			struct nsu_ns *any = nsu_ns_open_path(s->ctx, file, -1);
			const char *other = any ? nsu_nstype_name(nsu_ns_type(any)) : "?";

			nsu_ns_free(any);
			die("--%s=%s: %s namespace file, not %s", opt, file,
			    other, nsu_nstype_name(t));
		}
		die_hint(-err, nsu_hint(NSU_OP_OPEN, t, -err), "--%s=%s", opt,
			 file);
	}
	set_source(s, t, "%s", file);
	return ns;
}

/* --pinned NAME or DIR: the registry is NSPIN_DIR (as for nspin) or the
 * default; a value with a '/' is a pin directory itself. */
static void add_pinned(struct state *s, const struct opts *o)
{
	char *copy1 = NULL, *copy2 = NULL;
	const char *dir, *name;
	int mask = 0, r;

	if (strchr(o->pinned, '/')) {
		copy1 = strdup(o->pinned);
		copy2 = strdup(o->pinned);
		if (!copy1 || !copy2)
			die_err(-ENOMEM, "--pinned");
		/* strip trailing slashes so basename() names the pin */
		for (size_t l = strlen(copy1); l > 1 && copy1[l - 1] == '/'; l--)
			copy1[l - 1] = copy2[l - 1] = '\0';
		dir = dirname(copy1);
		name = basename(copy2);
	} else {
		const char *env = getenv("NSPIN_DIR");

		dir = env && *env ? env : nsu_pin_default_dir();
		name = o->pinned;
		if (nsu_pin_name_valid(name) < 0)
			usage_error("--pinned: invalid pin name '%s'", name);
	}
	r = nsu_pin_types(s->ctx, dir, name, &mask);
	if (r == -ENOENT)
		die("--pinned %s: no such pin in %s", o->pinned, dir);
	if (r < 0)
		die_err(r, "--pinned %s", o->pinned);
	if (!mask)
		die("--pinned %s: nothing is pinned there (stale pin? every pin file has lost its mount)",
		    o->pinned);
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *ns;

		if (!(mask & nsu_nstype_flag(t)) || o->ns_on[t])
			continue; /* per-type options override the pin */
		if (t == NSU_NS_NET && o->net_socket >= 0)
			continue;
		ns = nsu_pin_open(s->ctx, dir, name, t);
		if (!ns)
			die_hint(-errno, nsu_hint(NSU_OP_OPEN, t, -errno),
				 "--pinned %s: %s", o->pinned, nsu_nstype_name(t));
		nsu_enter_set_ns(s->plan, ns);
		set_source(s, t, "pin %s", o->pinned);
	}
	free(copy1);
	free(copy2);
}

static void build_plan(struct state *s, const struct opts *o)
{
	int r;

	s->ctx = nsu_ctx_new();
	if (!s->ctx)
		die_err(-errno, "cannot create a library context");
	s->plan = nsu_enter_new(s->ctx);
	if (!s->plan)
		die_err(-errno, "cannot create a join plan");
	if (o->target) {
		r = nsu_enter_set_target(s->plan, o->pid, o->inode);
		if (r == -NSU_ENOTSUPP)
			die("target %s: this kernel has no pidfs inodes to check PID:INODE against",
			    o->target);
		if (r < 0)
			die_target(o, r, "cannot open the target");
	}
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if (!o->ns_on[t])
			continue;
		if (o->ns_file[t]) {
			nsu_enter_set_ns(s->plan,
					 open_file_source(s, t, o->ns_file[t]));
			continue;
		}
		if (!o->target)
			usage_error("no target: --%s needs -t PID or --%s=FILE",
				    nsu_nstype_long_option(t),
				    nsu_nstype_long_option(t));
		r = nsu_enter_add_target_ns(s->plan, t);
		if (r < 0)
			die_open_target(s, o, t, r);
		set_source(s, t, "PID %d", (int)o->pid);
	}
	if (o->net_socket >= 0) {
		struct nsu_ns *ns;

		need_target(o, "--net-socket");
		ns = nsu_ns_open_socket(s->ctx, nsu_enter_target_pidfd(s->plan),
					o->net_socket);
		if (!ns)
			die_err(-errno, "--net-socket %d: cannot get socket %d of target %s",
				o->net_socket, o->net_socket, o->target);
		nsu_enter_set_ns(s->plan, ns);
		set_source(s, NSU_NS_NET, "socket %d of PID %d", o->net_socket,
			   (int)o->pid);
	}
	if (o->pinned)
		add_pinned(s, o);
	if (o->all) {
		int before = nsu_enter_mask(s->plan);

		need_target(o, "--all");
		r = nsu_enter_add_all(s->plan);
		if (r < 0)
			die_open_target(s, o, -1, r);
		for (int t = 0; t < NSU_NS_COUNT; t++)
			if ((nsu_enter_mask(s->plan) & ~before) & nsu_nstype_flag(t))
				set_source(s, t, "PID %d", (int)o->pid);
	}
	if (o->user_parent) {
		r = nsu_enter_use_user_parent(s->plan);
		if (r == -ESRCH)
			usage_error("--user-parent needs a target or a namespace to take the parent from");
		if (r < 0)
			die_err(r, "--user-parent: cannot open the parent user namespace");
		set_source(s, NSU_NS_USER, "parent user namespace");
	}
	if (!nsu_enter_mask(s->plan)) {
		if (o->all)
			die("--all: target %s shares every namespace with us: nothing to enter",
			    o->target);
		usage_error("no namespace specified");
	}
	if (o->mount_proc && !(nsu_enter_mask(s->plan) & nsu_nstype_flag(NSU_NS_PID)))
		usage_error("--mount-proc needs a PID namespace to enter (-p)");
}

/* ---- joining ---- */

/* The owner uid of the user namespace that owns NS (NS itself for a user
 * namespace), or -1 if out of reach. */
static long owner_uid_of(const struct nsu_ns *ns)
{
	struct nsu_ns *owner = NULL;
	uid_t uid;
	int r;

	if (nsu_ns_type(ns) == NSU_NS_USER) {
		r = nsu_ns_owner_uid(ns, &uid);
	} else {
		owner = nsu_ns_owner(ns);
		r = owner ? nsu_ns_owner_uid(owner, &uid) : -errno;
		nsu_ns_free(owner);
	}
	return r < 0 ? -1 : (long)uid;
}

static void join(struct state *s, const struct opts *o)
{
	int r = nsu_enter_join(s->plan, 0);
	int t = nsu_enter_failed_type(s->plan);
	const struct nsu_ns *ns;

	if (r == 0)
		return;
	if (r == -NSU_EREPLACED || t < 0)
		die_err(r, "cannot enter the namespaces of %s",
			o->target ? o->target : "the given files");
	ns = nsu_enter_get_ns(s->plan, t);
	if (r == -NSU_ENOTJOINED)
		die("%s namespace (from %s): after joining, this process is not in namespace %llu: aborting before exec",
		    nsu_nstype_name(t), s->source[t] ? s->source[t] : "?",
		    (unsigned long long)nsu_ns_ino(ns));
	{
		long owner = ns ? owner_uid_of(ns) : -1;
		char ow[64] = "";

		if (owner >= 0)
			snprintf(ow, sizeof(ow), ", owned by uid %ld", owner);
		die_hint(r, nsu_hint(NSU_OP_SETNS, t, r),
			 "cannot enter %s namespace %llu (from %s%s)",
			 nsu_nstype_name(t),
			 (unsigned long long)(ns ? nsu_ns_ino(ns) : 0),
			 s->source[t] ? s->source[t] : "?", ow);
	}
}

static void report(struct state *s)
{
	int mask = nsu_enter_mask(s->plan);

	for (int t = 0; t < NSU_NS_COUNT; t++) {
		const struct nsu_ns *ns = nsu_enter_get_ns(s->plan, t);

		if (!(mask & nsu_nstype_flag(t)) || !ns)
			continue;
		fprintf(stderr, "%s: entered %s namespace %llu from %s%s\n",
			tool_name(), nsu_nstype_name(t),
			(unsigned long long)nsu_ns_ino(ns),
			s->source[t] ? s->source[t] : "?",
			nsu_enter_used_pidfd(s->plan) ? " (pidfd)" : "");
	}
}

/* Keep the permitted capabilities across setuid() to a non-zero uid and
 * past exec (ambient set). */
static void keep_caps_before_setuid(void)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		die_err(-errno, "--keep-caps: prctl(PR_SET_KEEPCAPS)");
}

static void keep_caps_after_setuid(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d) < 0)
		die_err(-errno, "--keep-caps: capget");
	d[0].inheritable = d[0].permitted;
	d[1].inheritable = d[1].permitted;
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	if (syscall(SYS_capset, &h, d) < 0)
		die_err(-errno, "--keep-caps: capset");
	for (int cap = 0; cap < 64; cap++) {
		if (!(d[cap / 32].permitted & (1u << (cap % 32))))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 &&
		    errno != EINVAL)
			die_err(-errno, "--keep-caps: raising ambient capability %d",
				cap);
	}
}

static void set_credentials(const struct opts *o, int mask, int procdir)
{
	bool in_user = mask & nsu_nstype_flag(NSU_NS_USER);
	bool force_uid = o->set_uid, force_gid = o->set_gid;
	uid_t uid = o->uid;
	gid_t gid = o->gid;

	/* Entering a user namespace: become its root (or -S/-G) and drop
	 * the supplementary groups, unless told to keep our credentials. */
	if (in_user && !o->preserve_cred)
		force_uid = force_gid = true;
	if (o->uid_follow || o->gid_follow) {
		struct stat st;

		/* /proc/PID was opened before joining; its owner is now
		 * reported in the ids of the user namespace we are in. */
		if (fstat(procdir, &st) < 0)
			die_err(-errno, "cannot read the target's credentials");
		if (o->uid_follow)
			uid = st.st_uid;
		if (o->gid_follow)
			gid = st.st_gid;
	}
	if (force_gid) {
		/* setgroups is refused when the namespace denies it; then
		 * there is nothing to drop that we could drop. */
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			die_err(-errno, "setgroups");
		if (setgid(gid) < 0)
			die_err(-errno, "setgid(%u)", (unsigned)gid);
	}
	if (o->keep_caps && in_user)
		keep_caps_before_setuid();
	if (force_uid && setuid(uid) < 0)
		die_err(-errno, "setuid(%u)", (unsigned)uid);
	if (o->keep_caps && in_user)
		keep_caps_after_setuid();
}

static void change_dirs(const struct opts *o, int mask, int rootfd, int wdfd)
{
	bool changed = rootfd >= 0 || wdfd >= 0 || o->wdns ||
		(mask & nsu_nstype_flag(NSU_NS_MNT));
	char cwd[PATH_MAX];

	if (rootfd >= 0) {
		if (fchdir(rootfd) < 0 || chroot(".") < 0)
			die_err(-errno, "cannot change the root directory");
		/* Never keep a cwd outside the new root. */
		if (wdfd < 0 && chdir("/") < 0)
			die_err(-errno, "cannot change directory to /");
	}
	if (o->wdns && chdir(o->wdns) < 0)
		die_err(-errno, "--wdns %s", o->wdns);
	if (wdfd >= 0 && fchdir(wdfd) < 0)
		die_err(-errno, "cannot change the working directory");
	/* An unreachable cwd (outside our root) must not reach the program. */
	if (changed && (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/'))
		die("the working directory is not reachable from the new root");
}

/* In the forked child, inside the PID namespace: a private mount
 * namespace with a /proc that shows this PID namespace. */
static void mount_proc(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		die_hint(-errno, nsu_hint(NSU_OP_UNSHARE, NSU_NS_MNT, -errno),
			 "--mount-proc: unshare(CLONE_NEWNS)");
	/* private first, so nothing we mount leaks into the namespace we
	 * came from */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_err(-errno, "--mount-proc: making / private");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		die_err(-errno, "--mount-proc: mounting /proc");
}

static int run(struct opts *o)
{
	struct state s = { 0 };
	int rootfd = -1, wdfd = -1, procdir = -1, cgfd = -1, mask, r;
	char **envp = environ, *shell_argv[2];
	bool do_fork;

	build_plan(&s, o);
	mask = nsu_enter_mask(s.plan);

	/* Every privileged open and read, before joining anything. */
	if (o->root) {
		if (o->root_dir) {
			rootfd = open(o->root_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (rootfd < 0)
				die_err(-errno, "--root=%s", o->root_dir);
		} else {
			need_target(o, "--root");
			rootfd = nsu_enter_open_target_file(s.plan, "root",
							    O_PATH | O_DIRECTORY);
			if (rootfd < 0)
				die_target(o, rootfd, "--root: cannot open the root directory");
		}
	}
	if (o->wd) {
		if (o->wd_dir) {
			wdfd = open(o->wd_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (wdfd < 0)
				die_err(-errno, "--wd=%s", o->wd_dir);
		} else {
			need_target(o, "--wd");
			wdfd = nsu_enter_open_target_file(s.plan, "cwd",
							  O_PATH | O_DIRECTORY);
			if (wdfd < 0)
				die_target(o, wdfd, "--wd: cannot open the working directory");
		}
	}
	if (o->env) {
		need_target(o, "--env");
		r = nsu_enter_target_environ(s.plan, &envp);
		if (r < 0)
			die_target(o, r, "--env: cannot read the environment");
	}
	if (o->uid_follow || o->gid_follow) {
		need_target(o, "follow");
		procdir = nsu_enter_open_target_file(s.plan, "",
						     O_PATH | O_DIRECTORY);
		if (procdir < 0)
			die_target(o, procdir, "cannot open the target's /proc entry");
	}
	if (o->join_cgroup) {
		need_target(o, "--join-cgroup");
		cgfd = nsu_enter_open_cgroup_procs(s.plan);
		if (cgfd == -ENOENT)
			die("--join-cgroup: no cgroup2 file system is mounted here");
		if (cgfd == -NSU_ENOTSUPP)
			die("--join-cgroup: target %s is not in a cgroup v2 hierarchy",
			    o->target);
		if (cgfd == -EXDEV)
			die("--join-cgroup: the cgroup of target %s is not under our cgroup2 mount",
			    o->target);
		if (cgfd < 0)
			die_target(o, cgfd, "--join-cgroup: cannot open the target's cgroup");
		/* Moved now, with our own credentials and cgroup namespace. */
		r = nsu_cgroup_move_self(cgfd);
		if (r < 0)
			die_err(r, "--join-cgroup: cannot move into the cgroup of target %s",
				o->target);
		close(cgfd);
	}
	if (!o->argv) {
		const char *sh = getenv("SHELL");

		shell_argv[0] = (char *)(sh && *sh ? sh : "/bin/sh");
		shell_argv[1] = NULL;
		o->argv = shell_argv;
	}

	leak_check_before_joining();
	join(&s, o);
	if (o->verbose)
		report(&s);

	set_credentials(o, mask, procdir);
	change_dirs(o, mask, rootfd, wdfd);

	do_fork = (mask & nsu_nstype_flag(NSU_NS_PID)) && !o->no_fork;
	if (do_fork) {
		sigset_t old;
		int ws;
		pid_t child;

		r = nsu_signals_block(&old);
		if (r < 0)
			die_err(r, "cannot block signals");
		fflush(stdout);
		child = fork();
		if (child < 0)
			die_err(-errno, "fork");
		if (child > 0) {
			r = nsu_wait_forward(child, NSU_FWD_TERM | NSU_FWD_STOPS, &ws);
			if (r < 0)
				die_err(r, "waiting for the program");
			tool_exit_like(ws);
		}
		nsu_signals_restore(&old);
		if (o->mount_proc)
			mount_proc();
	}
	/* Our fds are close-on-exec; tool_execve() closes anything else
	 * above 2 but what the caller passed on. */
	tool_execve(o->argv, envp, o->keep, o->nkeep);
}

int main(int argc, char **argv)
{
	static const struct nsu_tool_info info = {
		.name = "nsenter2",
		.exit_failure = NSU_EXIT_TOOL,
		.exit_usage = NSU_EXIT_TOOL,
	};
	struct opts o;

	tool_init(&info);
	parse_args(argc, argv, &o);
	collect_inherited(&o);
	return run(&o);
}
