/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nsunshare - run a program in new namespaces, optionally joining others
 * (unshare(1) with the same options, and more). */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "nsutil.h"
#include "tool.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

static const struct nsu_tool_info info = {
	.name = "nsunshare",
	.exit_failure = NSU_EXIT_TOOL,
	.exit_usage = NSU_EXIT_TOOL,
};

struct join_arg {
	int type;
	const char *target;
};

struct options {
	int new_mask;                    /* CLONE_NEW* to create */
	const char *persist[NSU_NS_COUNT];
	bool all;
	int share_mask;
	struct join_arg joins[NSU_NS_COUNT];
	size_t njoins;

	bool fork;
	int kill_signal;
	bool forward_signals;
	const char *proc_dir;
	const char *binfmt_dir;
	const char *interp;
	enum nsu_propagation propagation;
	enum nsu_setgroups setgroups;

	int64_t map_user, map_group;     /* single mappings, -1: none */
	struct nsu_idmap *uidmap, *gidmap; /* ranges */
	bool owner;
	uint32_t owner_uid, owner_gid;

	bool keep_caps;
	const char *root, *wd;
	int64_t uid, gid;
	bool mono_set, boot_set;
	int64_t mono, boot;
	bool clear_env;
	char **keep_env;                 /* NAME=VALUE kept by --whitelist-env */
	size_t nkeep_env;
	const char *pin;
	bool verbose;

	char **argv;                     /* the program, or NULL for a shell */
	const char *shell;               /* the shell to run as login shell */
};

enum {
	OPT_MOUNTPROC = 256,
	OPT_MOUNTBINFMT,
	OPT_PROPAGATION,
	OPT_SETGROUPS,
	OPT_KILLCHILD,
	OPT_FORWARD,
	OPT_KEEPCAPS,
	OPT_MONOTONIC,
	OPT_BOOTTIME,
	OPT_MAPUSER,
	OPT_MAPUSERS,
	OPT_MAPGROUP,
	OPT_MAPGROUPS,
	OPT_MAPAUTO,
	OPT_MAPSUBIDS,
	OPT_OWNER,
	OPT_CLEARENV,
	OPT_WHITELISTENV,
	OPT_JOIN,
	OPT_SHARE,
	OPT_PIN,
	OPT_VERBOSE,
};

static const struct option longopts[] = {
	{ "mount", optional_argument, NULL, 'm' },
	{ "uts", optional_argument, NULL, 'u' },
	{ "ipc", optional_argument, NULL, 'i' },
	{ "net", optional_argument, NULL, 'n' },
	{ "pid", optional_argument, NULL, 'p' },
	{ "user", optional_argument, NULL, 'U' },
	{ "cgroup", optional_argument, NULL, 'C' },
	{ "time", optional_argument, NULL, 'T' },
	{ "all", no_argument, NULL, 'a' },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "fork", no_argument, NULL, 'f' },
	{ "kill-child", optional_argument, NULL, OPT_KILLCHILD },
	{ "forward-signals", no_argument, NULL, OPT_FORWARD },
	{ "mount-proc", optional_argument, NULL, OPT_MOUNTPROC },
	{ "mount-binfmt", optional_argument, NULL, OPT_MOUNTBINFMT },
	{ "load-interp", required_argument, NULL, 'l' },
	{ "propagation", required_argument, NULL, OPT_PROPAGATION },
	{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
	{ "map-root-user", no_argument, NULL, 'r' },
	{ "map-current-user", no_argument, NULL, 'c' },
	{ "map-user", required_argument, NULL, OPT_MAPUSER },
	{ "map-group", required_argument, NULL, OPT_MAPGROUP },
	{ "map-users", required_argument, NULL, OPT_MAPUSERS },
	{ "map-groups", required_argument, NULL, OPT_MAPGROUPS },
	{ "map-auto", no_argument, NULL, OPT_MAPAUTO },
	{ "map-subids", no_argument, NULL, OPT_MAPSUBIDS },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "keep-caps", no_argument, NULL, OPT_KEEPCAPS },
	{ "root", required_argument, NULL, 'R' },
	{ "wd", required_argument, NULL, 'w' },
	{ "setuid", required_argument, NULL, 'S' },
	{ "setgid", required_argument, NULL, 'G' },
	{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
	{ "boottime", required_argument, NULL, OPT_BOOTTIME },
	{ "clear-env", no_argument, NULL, OPT_CLEARENV },
	{ "whitelist-env", required_argument, NULL, OPT_WHITELISTENV },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static noreturn void usage(void)
{
	fputs("Usage:\n"
	      " nsunshare [options] [<program> [<argument>...]]\n"
	      "\n"
	      "Run a program in new namespaces, optionally joining existing ones.\n"
	      "\n"
	      "Options:\n"
	      " -m, --mount[=<file>]      new mount namespace (persisted on <file>)\n"
	      " -u, --uts[=<file>]        new UTS namespace (hostname, domain name)\n"
	      " -i, --ipc[=<file>]        new System V IPC namespace\n"
	      " -n, --net[=<file>]        new network namespace\n"
	      " -p, --pid[=<file>]        new PID namespace (<file> needs --fork)\n"
	      " -U, --user[=<file>]       new user namespace\n"
	      " -C, --cgroup[=<file>]     new cgroup namespace\n"
	      " -T, --time[=<file>]       new time namespace\n"
	      " -a, --all                 new namespaces of every type this kernel has\n"
	      "     --share <list>        keep these types of the caller (with --all)\n"
	      "     --join <type>=<target>\n"
	      "                           join an existing namespace instead: <target> is\n"
	      "                           a PID, PID:INODE, a namespace file or a pin name\n"
	      "     --pin <name>          pin every new namespace under <name> (nspin)\n"
	      "\n"
	      " -f, --fork                fork before running <program>\n"
	      "     --kill-child[=<signal>]\n"
	      "                           kill the child with <signal> (default KILL)\n"
	      "                           when nsunshare dies (implies --fork)\n"
	      "     --forward-signals     also forward INT and QUIT to the child (implies\n"
	      "                           --fork; TERM, HUP, USR1, USR2 always are)\n"
	      "     --mount-proc[=<dir>]  mount proc on <dir> (default /proc; implies -m)\n"
	      "     --mount-binfmt[=<dir>]\n"
	      "                           mount binfmt_misc on <dir> (implies -U and -m)\n"
	      " -l, --load-interp <def>   register a binfmt_misc interpreter definition\n"
	      "                           (implies --mount-binfmt)\n"
	      "     --propagation private|shared|slave|unchanged\n"
	      "                           propagation of / in the new mount namespace\n"
	      "     --setgroups allow|deny\n"
	      "                           control setgroups(2) in the new user namespace\n"
	      "\n"
	      " -r, --map-root-user       map the current user and group to root (implies -U)\n"
	      " -c, --map-current-user    map the current user and group to themselves\n"
	      "     --map-user <uid>|<name>\n"
	      "                           map the current user to <uid> (implies -U)\n"
	      "     --map-group <gid>|<name>\n"
	      "                           map the current group to <gid> (implies -U)\n"
	      "     --map-users <inner>:<outer>:<count>|auto|subids|all\n"
	      "                           map a range of user IDs (implies -U)\n"
	      "     --map-groups <inner>:<outer>:<count>|auto|subids|all\n"
	      "                           map a range of group IDs (implies -U)\n"
	      "     --map-auto            map your subordinate IDs from 0 (implies -U)\n"
	      "     --map-subids          map yourself to 0 and your subordinate IDs\n"
	      "                           from 1 (implies -U)\n"
	      "     --owner <uid>:<gid>   owner of the new user namespace (implies -U)\n"
	      "     --keep-caps           keep the user namespace's capabilities\n"
	      "\n"
	      " -R, --root <dir>          change the root directory to <dir>\n"
	      " -w, --wd <dir>            change the working directory to <dir>\n"
	      " -S, --setuid <uid>        set the user ID in the new namespaces\n"
	      " -G, --setgid <gid>        set the group ID in the new namespaces\n"
	      "     --monotonic <secs>    CLOCK_MONOTONIC offset in the time namespace\n"
	      "     --boottime <secs>     CLOCK_BOOTTIME offset in the time namespace\n"
	      "     --clear-env           start the program with an empty environment\n"
	      "     --whitelist-env <list>\n"
	      "                           keep only these environment variables\n"
	      "     --verbose             say what was created, joined, mapped, pinned\n"
	      "\n"
	      USAGE_HELP_OPTIONS("             ")
	      USAGE_MAN_TAIL("nsunshare(1)"), stdout);
	exit(0);
}

static int type_of_letter(int c)
{
	for (int t = 0; t < NSU_NS_COUNT; t++)
		if (nsu_nstype_short_option(t) == c)
			return t;
	return -1;
}

static int parse_signal(const char *s)
{
	int n;

	if (tool_parse_int(s, 1, NSIG - 1, &n) == 0)
		return n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *abbr = sigabbrev_np(sig);

		if (abbr && strcasecmp(abbr, s) == 0)
			return sig;
	}
	return -1;
}

static int64_t parse_offset(const char *opt, const char *s)
{
	bool neg = s[0] == '-';
	uint64_t v;

	if (tool_parse_u64(neg ? s + 1 : s, &v) < 0 || v > INT64_MAX)
		usage_error("invalid %s offset: '%s'", opt, s);
	return neg ? -(int64_t)v : (int64_t)v;
}

static void add_map_spec(struct nsu_ctx *ctx, struct nsu_idmap **m,
			 enum nsu_idkind kind, const char *spec)
{
	struct passwd *pw = getpwuid(geteuid());
	int r;

	if (!*m && !(*m = nsu_idmap_new(kind)))
		die_err(-errno, "cannot allocate an ID map");
	r = nsu_idmap_parse_spec(ctx, *m, spec, pw ? pw->pw_name : NULL,
				 kind == NSU_ID_USER ? geteuid() : getegid());
	if (r < 0)
		usage_error("invalid %s map '%s': %s",
			    kind == NSU_ID_USER ? "user" : "group", spec,
			    nsu_strerror(r));
}

static void keep_env_list(struct options *o, const char *list)
{
	char *copy = strdup(list), *save = NULL;

	if (!copy)
		die_err(-ENOMEM, "--whitelist-env");
	for (char *name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const char *v = getenv(name);
		char *kv;

		if (!v)
			continue;
		if (asprintf(&kv, "%s=%s", name, v) < 0)
			die_err(-ENOMEM, "--whitelist-env");
		o->keep_env = realloc(o->keep_env, (o->nkeep_env + 1) * sizeof(char *));
		if (!o->keep_env)
			die_err(-ENOMEM, "--whitelist-env");
		o->keep_env[o->nkeep_env++] = kv;
	}
	free(copy);
}

static void parse_args(struct nsu_ctx *ctx, struct options *o, int argc,
		       char **argv)
{
	int c;

	*o = (struct options){ .map_user = -1, .map_group = -1, .uid = -1,
			       .gid = -1 };
	while ((c = getopt_long(argc, argv, "+muinpUCTafl:rcR:w:S:G:hV",
				longopts, NULL)) != -1) {
		int t = type_of_letter(c), r;
		uint32_t id;

		if (t >= 0) {
			o->new_mask |= nsu_nstype_flag(t);
			if (optarg) {
				if (!*optarg)
					usage_error("empty file name for --%s",
						    nsu_nstype_long_option(t));
				o->persist[t] = optarg;
			}
			continue;
		}
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case OPT_SHARE:
			if (nsu_nstype_parse_list(optarg, &r, NULL) < 0)
				usage_error("unknown namespace type in --share '%s'", optarg);
			o->share_mask |= r;
			break;
		case OPT_JOIN: {
			const char *eq = strchr(optarg, '=');
			char name[32];

			if (!eq || eq == optarg || !eq[1] ||
			    (size_t)(eq - optarg) >= sizeof(name))
				usage_error("--join needs <type>=<target>: '%s'", optarg);
			memcpy(name, optarg, (size_t)(eq - optarg));
			name[eq - optarg] = '\0';
			t = nsu_nstype_from_name(name);
			if (t < 0)
				usage_error("unknown namespace type '%s'", name);
			for (size_t i = 0; i < o->njoins; i++)
				if (o->joins[i].type == t)
					usage_error("--join %s given twice", name);
			o->joins[o->njoins++] = (struct join_arg){ t, eq + 1 };
			break;
		}
		case OPT_PIN:
			if (nsu_pin_name_valid(optarg) < 0)
				usage_error("invalid pin name '%s'", optarg);
			o->pin = optarg;
			break;
		case 'f':
			o->fork = true;
			break;
		case OPT_KILLCHILD:
			o->fork = true;
			o->kill_signal = optarg ? parse_signal(optarg) : SIGKILL;
			if (o->kill_signal < 0)
				usage_error("unknown signal: %s", optarg);
			break;
		case OPT_FORWARD:
			o->fork = true;
			o->forward_signals = true;
			break;
		case OPT_MOUNTPROC:
			o->new_mask |= nsu_nstype_flag(NSU_NS_MNT);
			o->proc_dir = optarg ? optarg : "/proc";
			break;
		case OPT_MOUNTBINFMT:
			o->new_mask |= nsu_nstype_flag(NSU_NS_MNT) |
				       nsu_nstype_flag(NSU_NS_USER);
			o->binfmt_dir = optarg;
			if (!optarg) {
				if (!o->proc_dir)
					o->proc_dir = "/proc";
				o->binfmt_dir = "/proc/sys/fs/binfmt_misc";
			}
			break;
		case 'l':
			o->new_mask |= nsu_nstype_flag(NSU_NS_MNT) |
				       nsu_nstype_flag(NSU_NS_USER);
			if (!o->binfmt_dir) {
				if (!o->proc_dir)
					o->proc_dir = "/proc";
				o->binfmt_dir = "/proc/sys/fs/binfmt_misc";
			}
			o->interp = optarg;
			break;
		case OPT_PROPAGATION:
			if (strcmp(optarg, "private") == 0)
				o->propagation = NSU_PROP_PRIVATE;
			else if (strcmp(optarg, "shared") == 0)
				o->propagation = NSU_PROP_SHARED;
			else if (strcmp(optarg, "slave") == 0)
				o->propagation = NSU_PROP_SLAVE;
			else if (strcmp(optarg, "unchanged") == 0)
				o->propagation = NSU_PROP_UNCHANGED;
			else
				usage_error("unsupported propagation mode: %s", optarg);
			break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") == 0)
				o->setgroups = NSU_SETGROUPS_ALLOW;
			else if (strcmp(optarg, "deny") == 0)
				o->setgroups = NSU_SETGROUPS_DENY;
			else
				usage_error("unsupported --setgroups argument '%s'", optarg);
			break;
		case 'r':
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			o->map_user = 0;
			o->map_group = 0;
			break;
		case 'c':
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			o->map_user = geteuid();
			o->map_group = getegid();
			break;
		case OPT_MAPUSER:
		case OPT_MAPGROUP:
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			r = nsu_idmap_resolve_id(c == OPT_MAPUSER ? NSU_ID_USER : NSU_ID_GROUP,
						 optarg, &id);
			if (r < 0)
				usage_error("invalid %s '%s': %s",
					    c == OPT_MAPUSER ? "user" : "group",
					    optarg, nsu_strerror(r));
			if (c == OPT_MAPUSER)
				o->map_user = id;
			else
				o->map_group = id;
			break;
		case OPT_MAPUSERS:
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			add_map_spec(ctx, &o->uidmap, NSU_ID_USER, optarg);
			break;
		case OPT_MAPGROUPS:
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			add_map_spec(ctx, &o->gidmap, NSU_ID_GROUP, optarg);
			break;
		case OPT_MAPAUTO:
		case OPT_MAPSUBIDS:
			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			add_map_spec(ctx, &o->uidmap, NSU_ID_USER,
				     c == OPT_MAPAUTO ? "auto" : "subids");
			add_map_spec(ctx, &o->gidmap, NSU_ID_GROUP,
				     c == OPT_MAPAUTO ? "auto" : "subids");
			break;
		case OPT_OWNER: {
			const char *colon = strchr(optarg, ':');
			char u[16];

			o->new_mask |= nsu_nstype_flag(NSU_NS_USER);
			if (!colon || (size_t)(colon - optarg) >= sizeof(u))
				usage_error("invalid --owner '%s' (<uid>:<gid>)", optarg);
			memcpy(u, optarg, (size_t)(colon - optarg));
			u[colon - optarg] = '\0';
			if (tool_parse_u32(u, &o->owner_uid) < 0 ||
			    tool_parse_u32(colon + 1, &o->owner_gid) < 0)
				usage_error("invalid --owner '%s' (<uid>:<gid>)", optarg);
			o->owner = true;
			break;
		}
		case OPT_KEEPCAPS:
			o->keep_caps = true;
			break;
		case 'R':
			o->root = optarg;
			break;
		case 'w':
			o->wd = optarg;
			break;
		case 'S':
		case 'G':
			if (tool_parse_u32(optarg, &id) < 0 || id == UINT32_MAX)
				usage_error("invalid %s ID '%s'", c == 'S' ? "user" : "group",
					    optarg);
			if (c == 'S')
				o->uid = id;
			else
				o->gid = id;
			break;
		case OPT_MONOTONIC:
			o->mono = parse_offset("monotonic", optarg);
			o->mono_set = true;
			break;
		case OPT_BOOTTIME:
			o->boot = parse_offset("boottime", optarg);
			o->boot_set = true;
			break;
		case OPT_CLEARENV:
			o->clear_env = true;
			break;
		case OPT_WHITELISTENV:
			o->clear_env = true;
			keep_env_list(o, optarg);
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

	/* -a: every type the kernel has that is neither joined nor shared */
	if (o->all)
		o->new_mask |= nsu_nstype_supported_mask(ctx);
	for (size_t i = 0; i < o->njoins; i++) {
		int t = o->joins[i].type, f = nsu_nstype_flag(t);

		if ((o->new_mask & f) && !o->all)
			usage_error("cannot both create and join a %s namespace",
				    nsu_nstype_name(t));
		if (o->persist[t])
			usage_error("a joined %s namespace cannot be persisted",
				    nsu_nstype_name(t));
		o->share_mask |= f;
		/* a joined PID namespace takes effect for children only */
		if (t == NSU_NS_PID)
			o->fork = true;
	}
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		if ((o->share_mask & nsu_nstype_flag(t)) &&
		    (o->new_mask & nsu_nstype_flag(t)) && o->persist[t])
			usage_error("--share %s conflicts with --%s=%s", nsu_nstype_name(t),
				    nsu_nstype_long_option(t), o->persist[t]);
	}
	o->new_mask &= ~o->share_mask;

	/* bad input fails here, before anything is created */
	if ((o->mono_set || o->boot_set) && !(o->new_mask & nsu_nstype_flag(NSU_NS_TIME)))
		usage_error("--monotonic and --boottime need a new time namespace (-T)");
	if (o->persist[NSU_NS_PID] && !o->fork)
		usage_error("persisting a PID namespace needs --fork");
	if (o->pin && (o->new_mask & nsu_nstype_flag(NSU_NS_PID)) && !o->fork)
		usage_error("pinning a PID namespace needs --fork");
	if (o->pin && !o->new_mask)
		usage_error("--pin: no namespace is created");
	if (o->map_group >= 0 && !o->gidmap) {
		/* a single group mapping needs setgroups denied, as unshare(1) */
		if (o->setgroups == NSU_SETGROUPS_ALLOW)
			usage_error("--setgroups allow cannot be combined with a group map "
				    "(--map-group, -r or -c)");
		o->setgroups = NSU_SETGROUPS_DENY;
	}
	if (o->setgroups && !(o->new_mask & nsu_nstype_flag(NSU_NS_USER)))
		usage_error("--setgroups needs a new user namespace (-U)");

	if (optind < argc) {
		o->argv = argv + optind;
	} else {
		/* name lookups now, before any namespace is joined */
		const char *sh = getenv("SHELL");

		if (!sh || !*sh) {
			struct passwd *pw = getpwuid(getuid());

			sh = pw && pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
		}
		o->shell = strdup(sh);
		if (!o->shell)
			die_err(-ENOMEM, "cannot find a shell");
	}
}

__attribute__((format(printf, 3, 0)))
static void log_to_stderr(void *data, int prio, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	warn_msg("%s", buf);
}

static noreturn void die_create(struct nsu_create *cr)
{
	const char *step, *path;
	int nstype, op, err;
	char ns[48] = "";

	err = nsu_create_failure(cr, &step, &nstype, &path, &op);
	if (nstype >= 0)
		snprintf(ns, sizeof(ns), " %s namespace", nsu_nstype_name(nstype));
	die_hint(err, op >= 0 ? nsu_hint(op, nstype, err) : NULL, "%s%s%s%s",
		 step, ns, path ? ": " : "", path ? path : "");
}

static struct nsu_ns *open_target(struct nsu_ctx *ctx, int type,
				  const char *target)
{
	struct nsu_ns *ns;
	uint64_t inode;
	pid_t pid;
	int r;

	if (nsu_parse_pid_spec(target, &pid, &inode) == 0) {
		int pidfd = nsu_pidfd_open(pid, inode);

		if (pidfd < 0)
			die_hint(pidfd, nsu_hint(NSU_OP_OPEN, type, pidfd),
				 "cannot open process %s to join its %s namespace",
				 target, nsu_nstype_name(type));
		ns = nsu_ns_open_pidfd(ctx, pidfd, type, 0);
		r = -errno;
		close(pidfd);
	} else if (strchr(target, '/')) {
		ns = nsu_ns_open_path(ctx, target, type);
		r = -errno;
	} else {
		ns = nsu_pin_open(ctx, NULL, target, type);
		r = -errno;
	}
	if (!ns)
		die_hint(r, nsu_hint(NSU_OP_OPEN, type, r),
			 "cannot open %s namespace to join: %s",
			 nsu_nstype_name(type), target);
	return ns;
}

static struct nsu_create *build_request(struct nsu_ctx *ctx, struct options *o)
{
	struct nsu_create *cr = nsu_create_new(ctx);
	uint32_t euid = geteuid(), egid = getegid();
	int r = 0;

	if (!cr)
		die_err(-errno, "cannot allocate a request");
	for (int t = 0; t < NSU_NS_COUNT && r == 0; t++)
		if (o->new_mask & nsu_nstype_flag(t))
			r = nsu_create_add_new(cr, t, o->persist[t]);
	for (size_t i = 0; i < o->njoins && r == 0; i++) {
		struct nsu_ns *ns = open_target(ctx, o->joins[i].type, o->joins[i].target);

		r = nsu_create_add_join(cr, ns);
		if (r < 0)
			nsu_ns_free(ns);
	}
	if (r < 0)
		die_err(r, "invalid request");

	/* a single mapping joins the ranges, taking its ids out of them */
	if (o->map_user >= 0) {
		if (!o->uidmap && !(o->uidmap = nsu_idmap_new(NSU_ID_USER)))
			die_err(-errno, "cannot allocate an ID map");
		r = nsu_idmap_add_single(o->uidmap, (uint32_t)o->map_user, euid);
		if (r < 0)
			usage_error("invalid user map: %s", nsu_strerror(r));
	}
	if (o->map_group >= 0) {
		if (!o->gidmap && !(o->gidmap = nsu_idmap_new(NSU_ID_GROUP)))
			die_err(-errno, "cannot allocate an ID map");
		r = nsu_idmap_add_single(o->gidmap, (uint32_t)o->map_group, egid);
		if (r < 0)
			usage_error("invalid group map: %s", nsu_strerror(r));
	}
	r = nsu_create_set_maps(cr, o->uidmap, o->gidmap);
	if (r == 0)
		r = nsu_create_set_setgroups(cr, o->setgroups);
	if (r == 0)
		r = nsu_create_set_propagation(cr, o->propagation);
	if (r == 0)
		r = nsu_create_set_fork(cr, o->fork, o->kill_signal);
	if (r == 0)
		r = nsu_create_set_mount_proc(cr, o->proc_dir);
	if (r == 0)
		r = nsu_create_set_binfmt(cr, o->binfmt_dir, o->interp);
	if (r == 0)
		r = nsu_create_set_root(cr, o->root, o->wd);
	if (r == 0)
		r = nsu_create_set_ids(cr, o->uid, o->gid);
	if (r == 0 && o->owner)
		r = nsu_create_set_owner(cr, o->owner_uid, o->owner_gid);
	if (r == 0)
		r = nsu_create_set_keep_caps(cr, o->keep_caps);
	if (r == 0 && o->mono_set)
		r = nsu_create_set_time_offset(cr, CLOCK_MONOTONIC, o->mono);
	if (r == 0 && o->boot_set)
		r = nsu_create_set_time_offset(cr, CLOCK_BOOTTIME, o->boot);
	if (r == 0 && o->pin)
		r = nsu_create_set_pin(cr, NULL, o->pin);
	if (r < 0)
		die_err(r, "invalid request");
	return cr;
}

static void set_env(struct options *o)
{
	if (!o->clear_env)
		return;
	clearenv();
	for (size_t i = 0; i < o->nkeep_env; i++)
		putenv(o->keep_env[i]);
}

/* Run the shell as a login shell: argv[0] is "-" and its base name. */
static noreturn void exec_shell(const char *shell)
{
	const char *base = strrchr(shell, '/');
	char *arg0, *argv[2];
	int err;

	if (asprintf(&arg0, "-%s", base ? base + 1 : shell) < 0)
		die_err(-ENOMEM, "cannot run %s", shell);
	argv[0] = arg0;
	argv[1] = NULL;
	if (fflush(stdout) != 0 && errno != EPIPE)
		_exit(NSU_EXIT_TOOL);
	if (nsu_close_fds(NULL, 0) < 0)
		_exit(NSU_EXIT_TOOL);
	execv(shell, argv);
	err = errno;
	fprintf(stderr, "%s: failed to execute %s: %s\n", tool_name(), shell,
		strerror(err));
	_exit(err == ENOENT ? NSU_EXIT_NOT_FOUND : NSU_EXIT_CANNOT_EXEC);
}

static int run(struct nsu_ctx *ctx, struct options *o)
{
	struct nsu_create *cr = build_request(ctx, o);
	pid_t child;
	int ws, r;

#if defined(__SANITIZE_ADDRESS__)
	/* Sanitizer builds: LeakSanitizer's exit-time check reads
	 * /proc/PID/task, which a child's --mount-proc in our shared mount
	 * namespace hides from a forking parent. Check now; the parent only
	 * waits from here on. */
	if (o->fork)
		__lsan_do_leak_check();
#endif
	if (nsu_create_run(cr, &child) < 0)
		die_create(cr);
	if (child > 0) {
		unsigned int fwd = NSU_FWD_TERM;

		if (o->forward_signals)
			fwd |= NSU_FWD_INTQUIT;
		nsu_create_free(cr);
		r = nsu_wait_forward(child, fwd, &ws);
		if (r < 0)
			die_err(r, "cannot wait for the child");
		tool_exit_like(ws);
	}
	nsu_create_free(cr);
	set_env(o);
	if (o->argv)
		tool_exec(o->argv, NULL, 0);
	exec_shell(o->shell);
}

int main(int argc, char **argv)
{
	struct nsu_ctx *ctx;
	struct options o;

	tool_init(&info);
	ctx = nsu_ctx_new();
	if (!ctx)
		die_err(-errno, "cannot create a library context");
	parse_args(ctx, &o, argc, argv);
	if (o.verbose) {
		nsu_ctx_set_log_fn(ctx, log_to_stderr, NULL);
		nsu_ctx_set_log_priority(ctx, 6);
	}
	return run(ctx, &o);
}
