/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nslist.c - list namespaces (lsns(8) compatible), map PIDs between PID
 * namespaces, and translate single PIDs for scripts. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsutil.h"
#include "tool.h"

#define NSL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct nsu_tool_info tool_info = {
	.name = "nslist",
	.exit_failure = NSU_EXIT_FAILURE,
	.exit_usage = NSU_EXIT_USAGE,
};

/* ---- the column table: drives -o, --output-all, -H, -J, -Q ---- */

enum {
	COL_NS, COL_TYPE, COL_PATH, COL_NPROCS, COL_PID, COL_PPID, COL_COMMAND,
	COL_UID, COL_USER, COL_NETNSID, COL_NSFS, COL_PNS, COL_ONS,
	/* nsutil's own */
	COL_HOST, COL_NSID, COL_HOLDERS, COL_NSPID, COL_CHAIN, COL_PIDNS,
	COL_LEVEL,
	NCOLS
};

struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
};

static const struct colinfo infos[NCOLS] = {
	[COL_NS]      = { "NS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "namespace identifier (inode number)" },
	[COL_TYPE]    = { "TYPE", 5, 0, SCOLS_JSON_STRING, "kind of namespace" },
	[COL_PATH]    = { "PATH", 0, 0, SCOLS_JSON_STRING, "path to the namespace" },
	[COL_NPROCS]  = { "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "number of processes in the namespace" },
	[COL_PID]     = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "lowest PID in the namespace (process rows: the PID)" },
	[COL_PPID]    = { "PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PPID of the PID" },
	[COL_COMMAND] = { "COMMAND", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "command line of the PID" },
	[COL_UID]     = { "UID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "UID of the PID" },
	[COL_USER]    = { "USER", 0, 0, SCOLS_JSON_STRING, "username of the PID" },
	[COL_NETNSID] = { "NETNSID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "namespace ID as used by network subsystem" },
	[COL_NSFS]    = { "NSFS", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING, "nsfs mountpoint (usually used network subsystem)" },
	[COL_PNS]     = { "PNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "parent namespace identifier (inode number)" },
	[COL_ONS]     = { "ONS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "owner namespace identifier (inode number)" },
	/* null, not false, when PID 1 cannot be inspected */
	[COL_HOST]    = { "HOST", 4, 0, SCOLS_JSON_BOOLEAN_OPTIONAL, "namespace of PID 1 of this /proc (the host's)" },
	[COL_NSID]    = { "NSID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "64-bit namespace id (NS_GET_ID)" },
	[COL_HOLDERS] = { "HOLDERS", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING, "mounts, fds and sockets keeping the namespace alive" },
	[COL_NSPID]   = { "NSPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PID inside its own PID namespace" },
	[COL_CHAIN]   = { "CHAIN", 0, 0, SCOLS_JSON_ARRAY_NUMBER, "PIDs in each PID namespace, outermost first" },
	[COL_PIDNS]   = { "PIDNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PID namespace of the process (inode number)" },
	[COL_LEVEL]   = { "LEVEL", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "nesting level of that PID namespace (0: host)" },
};

static int column_by_name(const char *name, size_t len)
{
	for (int i = 0; i < NCOLS; i++)
		if (strlen(infos[i].name) == len &&
		    strncasecmp(infos[i].name, name, len) == 0)
			return i;
	return -1;
}

/* ---- options ---- */

enum tree_mode { TREE_NONE, TREE_PROCESS, TREE_OWNER, TREE_PARENT };
enum mode { MODE_NS, MODE_PROCS, MODE_PIDMAP, MODE_HOSTPID, MODE_NSPID };

struct opts {
	enum mode mode;
	bool json, list, raw, noheadings, notruncate, nowrap, persistent;
	bool output_all, list_columns, threads;
	bool tree_set;
	enum tree_mode tree;
	int type_mask;            /* CLONE_NEW* flags; 0: all */
	pid_t task;               /* -p */
	const char *filter;       /* -Q */
	const char *output;       /* -o */
	const char *nsarg;        /* the namespace argument */
	const char *nsref;        /* --host-pid / --ns-pid NSREF */
	pid_t xpid;               /* --host-pid / --ns-pid PID */
};

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_PID_MAP,
	OPT_HOST_PID,
	OPT_NS_PID,
	OPT_THREADS,
};

static noreturn void usage(void)
{
	fputs("Usage:\n"
	      " nslist [options] [<namespace>]\n"
	      " nslist --host-pid <nsref>:<pid>\n"
	      " nslist --ns-pid <pid>[@<nsref>]\n"
	      "\nList namespaces, map PIDs between PID namespaces.\n"
	      "\nOptions:\n"
	      " -J, --json             use JSON output format\n"
	      " -l, --list             use list format output\n"
	      " -n, --noheadings       don't print headings\n"
	      " -o, --output <list>    output columns (+<list> appends to the default)\n"
	      "     --output-all       output all columns\n"
	      " -P, --persistent       only namespaces without processes\n"
	      " -p, --task <pid>       only the namespaces of process <pid>\n"
	      " -Q, --filter <expr>    only rows matching <expr>\n"
	      " -r, --raw              use the raw output format\n"
	      " -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts,\n"
	      "                          cgroup, time); may be repeated\n"
	      " -u, --notruncate       don't truncate text in columns\n"
	      " -W, --nowrap           don't use multi-line representation\n"
	      " -T, --tree[=<rel>]     tree by owner (-T alone), parent or process\n"
	      "                          (without -T: process)\n"
	      " -H, --list-columns     list the available columns\n"
	      "     --pid-map          one row per process: PIDs in every PID namespace\n"
	      "     --host-pid <nsref>:<pid>\n"
	      "                        print the host PID of <pid> as seen in <nsref>\n"
	      "     --ns-pid <pid>[@<nsref>]\n"
	      "                        print what host PID <pid> is inside <nsref>\n"
	      "                          (default: its own PID namespace)\n"
	      "     --threads          also threads with namespaces of their own\n"
	      "\n<nsref> is a PID namespace inode, a namespace file, a pin name, or\n"
	      "pid=<pid> (the PID namespace of that process).\n"
	      "\n"
	      USAGE_HELP_OPTIONS("          ")
	      USAGE_MAN_TAIL("nslist(8)"), stdout);
	exit(0);
}

static void add_type(struct opts *o, const char *name)
{
	int t = nsu_nstype_from_name(name);

	if (t < 0)
		usage_error("unknown namespace type: '%s'", name);
	o->type_mask |= nsu_nstype_flag(t);
}

static pid_t parse_pid_or_die(const char *s, const char *what)
{
	pid_t pid;

	if (nsu_parse_pid(s, &pid) < 0)
		usage_error("invalid PID for %s: '%s'", what, s);
	return pid;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "persistent", no_argument, NULL, 'P' },
		{ "task", required_argument, NULL, 'p' },
		{ "filter", required_argument, NULL, 'Q' },
		{ "raw", no_argument, NULL, 'r' },
		{ "type", required_argument, NULL, 't' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "pid-map", no_argument, NULL, OPT_PID_MAP },
		{ "host-pid", required_argument, NULL, OPT_HOST_PID },
		{ "ns-pid", required_argument, NULL, OPT_NS_PID },
		{ "threads", no_argument, NULL, OPT_THREADS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, translations = 0;
	char *sep;

	while ((c = getopt_long(argc, argv, "JlnO:o:Pp:Q:rt:uWT::HhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'J': o->json = true; break;
		case 'l': o->list = true; break;
		case 'n': o->noheadings = true; break;
		case 'o': o->output = optarg; break;
		case OPT_OUTPUT_ALL: o->output_all = true; break;
		case 'P': o->persistent = true; break;
		case 'p': o->task = parse_pid_or_die(optarg, "--task"); break;
		case 'Q': o->filter = optarg; break;
		case 'r': o->raw = true; break;
		case 't': add_type(o, optarg); break;
		case 'u': o->notruncate = true; break;
		case 'W': o->nowrap = true; break;
		case 'T':
			o->tree_set = true;
			/* as lsns: -T alone means owner; the process tree is
			 * what you get without -T */
			if (!optarg || strcmp(optarg, "owner") == 0)
				o->tree = TREE_OWNER;
			else if (strcmp(optarg, "process") == 0)
				o->tree = TREE_PROCESS;
			else if (strcmp(optarg, "parent") == 0)
				o->tree = TREE_PARENT;
			else
				usage_error("unknown tree type: '%s' (use process, owner or parent)",
					    optarg);
			break;
		case 'H': o->list_columns = true; break;
		case OPT_PID_MAP: o->mode = MODE_PIDMAP; break;
		case OPT_HOST_PID:
			translations++;
			sep = strrchr(optarg, ':');
			if (!sep || sep == optarg)
				usage_error("--host-pid needs <nsref>:<pid>, not '%s'", optarg);
			*sep = '\0';
			o->nsref = optarg;
			o->xpid = parse_pid_or_die(sep + 1, "--host-pid");
			o->mode = MODE_HOSTPID;
			break;
		case OPT_NS_PID:
			translations++;
			sep = strchr(optarg, '@');
			if (sep) {
				*sep = '\0';
				if (!sep[1])
					usage_error("--ns-pid: empty <nsref> after '@'");
				o->nsref = sep + 1;
			}
			o->xpid = parse_pid_or_die(optarg, "--ns-pid");
			o->mode = MODE_NSPID;
			break;
		case OPT_THREADS: o->threads = true; break;
		case 'h': usage();
		case 'V': print_version_and_exit();
		default:
			tool_try_help();
		}
	}
	if (o->json && o->raw)
		usage_error("options --json and --raw are mutually exclusive");
	if (o->persistent && o->task)
		usage_error("options --persistent and --task are mutually exclusive");
	if (o->list && o->tree_set)
		usage_error("options --list and --tree are mutually exclusive");
	if (translations > 1)
		usage_error("options --host-pid and --ns-pid are mutually exclusive");
	if (translations && (o->mode == MODE_PIDMAP))
		usage_error("--pid-map cannot be combined with --host-pid or --ns-pid");
	if (optind < argc) {
		if (o->mode == MODE_HOSTPID || o->mode == MODE_NSPID)
			usage_error("--host-pid and --ns-pid take no namespace argument");
		o->nsarg = argv[optind++];
		if (o->mode == MODE_NS)
			o->mode = MODE_PROCS;
	}
	if (optind < argc)
		usage_error("unexpected argument: '%s'", argv[optind]);
	if (o->mode == MODE_PIDMAP && o->tree_set)
		usage_error("--pid-map lists processes: --tree does not apply");
	/* lsns draws the process tree unless told to list */
	if (!o->tree_set && !o->list && o->mode != MODE_PIDMAP)
		o->tree = TREE_PROCESS;
	if (o->list)
		o->tree = TREE_NONE;
}

/* ---- rows ---- */

struct row {
	struct nsu_nsent *ns;
	struct nsu_task *task;     /* NULL: a namespace with no process */
	char *val[NCOLS];
	bool have[NCOLS];
	struct libscols_line *line;
	int parent;                /* row index or -1 */
};

struct ctl {
	struct opts *o;
	struct nsu_ctx *ctx;
	struct nsu_nslist *l;
	struct row *rows;
	size_t nrows;
	int cols[NCOLS * 2];
	size_t ncols;
	bool need[NCOLS];          /* columns printed or filtered on */
	struct nsu_filter *filter;
	int *order;                /* output order of rows, NULL: as stored */
	char sep;                  /* NSFS/HOLDERS separator */
	/* a tiny uid -> name cache: a host has few distinct owners */
	uid_t ucache_uid[32];
	char *ucache_name[32];
	size_t nucache;
};

static char *xstrdup(const char *s)
{
	char *r = strdup(s ? s : "");

	if (!r)
		die_err(-ENOMEM, "out of memory");
	return r;
}

__attribute__((format(printf, 1, 2)))
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_err(-ENOMEM, "out of memory");
	return s;
}

/* Process-supplied text, made safe. Raw output is left to libsmartcols,
 * whose raw format encodes every unsafe byte (and spaces) as \xHH itself:
 * escaping first would encode our backslashes a second time. */
static char *escaped(const struct ctl *c, const char *s)
{
	char *r = c->o->raw ? strdup(s) : nsu_escape_string(s, strlen(s));

	if (!r)
		die_err(-ENOMEM, "out of memory");
	return r;
}

static const char *user_name(struct ctl *c, uid_t uid)
{
	struct passwd *pw;
	size_t i;

	for (i = 0; i < c->nucache; i++)
		if (c->ucache_uid[i] == uid)
			return c->ucache_name[i];
	pw = getpwuid(uid);
	if (c->nucache == NSL_ARRAY_LEN(c->ucache_uid))
		return pw ? pw->pw_name : NULL;
	c->ucache_uid[c->nucache] = uid;
	c->ucache_name[c->nucache] = pw ? xstrdup(pw->pw_name) : NULL;
	return c->ucache_name[c->nucache++];
}

/* NSFS or HOLDERS as one cell. Sockets are listed only for a namespace
 * without processes: every network namespace in use has sockets, and
 * there they say nothing about what keeps it alive. */
static char *join_list(struct ctl *c, size_t n, const char *(*get)(const struct nsu_nsent *, size_t),
		       const struct nsu_nsent *e)
{
	bool skip_sockets = nsu_nsent_nprocs(e) > 0;
	size_t len = 0, k = 0;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(get(e, i)) * 4 + 1;
	s = malloc(len + 1);
	if (!s)
		die_err(-ENOMEM, "out of memory");
	p = s;
	for (size_t i = 0; i < n; i++) {
		char *x;

		if (skip_sockets && strncmp(get(e, i), "socket ", 7) == 0)
			continue;
		x = escaped(c, get(e, i));
		if (k++)
			*p++ = c->sep;
		p = stpcpy(p, x);
		free(x);
	}
	*p = '\0';
	if (k == 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* Compute one cell. NULL: no value (empty in tables, null in JSON). */
static char *compute(struct ctl *c, struct row *r, int col)
{
	struct nsu_task *t = r->task;
	struct nsu_nsent *e = r->ns;
	const pid_t *chain;
	uint64_t v;
	int n;

	switch (col) {
	case COL_NS:
		return e ? xasprintf("%" PRIu64, nsu_nsent_ino(e)) : NULL;
	case COL_TYPE:
		return e ? xstrdup(nsu_nstype_name(nsu_nsent_type(e))) : NULL;
	case COL_PATH:
		return e && nsu_nsent_path(e) ? escaped(c, nsu_nsent_path(e)) : NULL;
	case COL_NPROCS:
		return e ? xasprintf("%zu", nsu_nsent_nprocs(e)) : NULL;
	case COL_PID:
		return t ? xasprintf("%d", (int)nsu_task_pid(t)) : NULL;
	case COL_PPID:
		if (!t || nsu_task_load(c->l, t, NSU_PROC_STAT) < 0)
			return NULL;
		return xasprintf("%d", (int)nsu_task_ppid(t));
	case COL_COMMAND:
		if (!t)
			return NULL;
		/* kernel threads have no command line: lsns shows comm */
		if (nsu_task_load(c->l, t, NSU_PROC_CMDLINE) == 0 &&
		    *nsu_task_cmdline(t))
			return escaped(c, nsu_task_cmdline(t));
		if (nsu_task_load(c->l, t, NSU_PROC_STAT) < 0)
			return NULL;
		return escaped(c, nsu_task_comm(t));
	case COL_UID:
	case COL_USER: {
		const char *u;
		uid_t uid;

		/* a namespace without processes: whoever owns it */
		if (t && nsu_task_load(c->l, t, NSU_TASK_OWNER) < 0)
			return NULL;
		if (t)
			uid = nsu_task_uid(t);
		else if (!e || nsu_nsent_owner_uid(c->l, e, &uid) < 0)
			return NULL;
		if (col == COL_UID)
			return xasprintf("%u", (unsigned)uid);
		u = user_name(c, uid);
		return u ? escaped(c, u) : xasprintf("%u", (unsigned)uid);
	}
	case COL_NETNSID:
		if (!e || nsu_nsent_type(e) != NSU_NS_NET ||
		    nsu_nsent_netnsid(c->l, e, &n) < 0)
			return NULL;
		return n < 0 ? xstrdup("unassigned") : xasprintf("%d", n);
	case COL_NSFS:
		return e ? join_list(c, nsu_nsent_nsfs_count(e), nsu_nsent_nsfs, e) : NULL;
	case COL_HOLDERS:
		return e ? join_list(c, nsu_nsent_holder_count(e), nsu_nsent_holder, e) : NULL;
	case COL_PNS:
		if (!e || nsu_nsent_parent_ino(c->l, e, &v) < 0)
			return NULL;
		return xasprintf("%" PRIu64, v);
	case COL_ONS:
		if (!e || nsu_nsent_owner_ino(c->l, e, &v) < 0)
			return NULL;
		return xasprintf("%" PRIu64, v);
	case COL_HOST:
		n = e ? nsu_nslist_is_host(c->l, e) : -ENOENT;
		return n < 0 ? NULL : xstrdup(n ? "yes" : "no");
	case COL_NSID:
		if (!e || nsu_nsent_id(c->l, e, &v) < 0)
			return NULL;
		return xasprintf("%" PRIu64, v);
	case COL_NSPID:
	case COL_CHAIN:
	case COL_LEVEL:
		if (!t || nsu_task_load(c->l, t, NSU_PROC_STATUS) < 0)
			return NULL;
		n = nsu_task_nspid(t, &chain);
		if (n < 1)
			return NULL;
		if (col == COL_NSPID)
			return xasprintf("%d", (int)chain[n - 1]);
		if (col == COL_LEVEL)
			return xasprintf("%d", n - 1);
		{
			/* JSON arrays come from newline-separated cells */
			char sep = c->o->json ? '\n' : ' ';
			size_t len = (size_t)n * 12 + 1, off = 0;
			char *s = malloc(len);

			if (!s)
				die_err(-ENOMEM, "out of memory");
			for (int i = 0; i < n; i++)
				off += (size_t)snprintf(s + off, len - off, "%s%d",
							i ? (char[]){ sep, 0 } : "",
							(int)chain[i]);
			return s;
		}
	case COL_PIDNS: {
		struct nsu_nsent *p = t ? nsu_task_ns(t, NSU_NS_PID) : NULL;

		return p ? xasprintf("%" PRIu64, nsu_nsent_ino(p)) : NULL;
	}
	}
	return NULL;
}

static const char *cell(struct ctl *c, struct row *r, int col)
{
	if (!r->have[col]) {
		r->val[col] = compute(c, r, col);
		r->have[col] = true;
	}
	return r->val[col];
}

struct fdata {
	struct ctl *c;
	struct row *r;
};

static const char *filter_get(void *data, const char *column)
{
	struct fdata *d = data;
	int col = column_by_name(column, strlen(column));

	return col < 0 ? NULL : cell(d->c, d->r, col);
}

static void add_row(struct ctl *c, struct nsu_nsent *e, struct nsu_task *t)
{
	struct row *r;

	if ((c->nrows & 1023) == 0) {
		struct row *nr = realloc(c->rows, (c->nrows + 1024) * sizeof(*nr));

		if (!nr)
			die_err(-ENOMEM, "out of memory");
		c->rows = nr;
	}
	r = &c->rows[c->nrows];
	memset(r, 0, sizeof(*r));
	r->ns = e;
	r->task = t;
	r->parent = -1;
	if (c->filter) {
		struct fdata d = { c, r };

		/* cheap columns are computed for the filter only; the rest
		 * waits until the row has passed */
		if (nsu_filter_eval(c->filter, filter_get, &d) != 1) {
			for (int i = 0; i < NCOLS; i++)
				free(r->val[i]);
			return;
		}
	}
	c->nrows++;
}

/* ---- output columns ---- */

static void parse_columns(struct ctl *c, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int col = column_by_name(p, len);

		if (col < 0)
			usage_error("unknown column: '%.*s'", (int)len, p);
		if (c->ncols == NSL_ARRAY_LEN(c->cols))
			usage_error("too many columns");
		c->cols[c->ncols++] = col;
		p += len;
		if (*p == ',')
			p++;
	}
}

static void setup_columns(struct ctl *c)
{
	struct opts *o = c->o;
	const char *out = o->output;

	if (o->output_all) {
		for (int i = 0; i < NCOLS; i++)
			c->cols[c->ncols++] = i;
	} else if (!out || *out == '+') {
		static const int ns_cols[] = { COL_NS, COL_TYPE, COL_NPROCS,
					       COL_PID, COL_USER };
		static const int proc_cols[] = { COL_PID, COL_PPID, COL_USER };
		static const int map_cols[] = { COL_PID, COL_NSPID, COL_CHAIN,
						 COL_PIDNS, COL_LEVEL, COL_PPID,
						 COL_USER };

		if (o->mode == MODE_PIDMAP) {
			for (size_t i = 0; i < NSL_ARRAY_LEN(map_cols); i++)
				c->cols[c->ncols++] = map_cols[i];
		} else if (o->mode == MODE_PROCS) {
			for (size_t i = 0; i < NSL_ARRAY_LEN(proc_cols); i++)
				c->cols[c->ncols++] = proc_cols[i];
		} else {
			for (size_t i = 0; i < NSL_ARRAY_LEN(ns_cols); i++)
				c->cols[c->ncols++] = ns_cols[i];
			/* as lsns: a listing of network namespaces shows
			 * their ids and nsfs mounts */
			if (o->type_mask == nsu_nstype_flag(NSU_NS_NET)) {
				c->cols[c->ncols++] = COL_NETNSID;
				c->cols[c->ncols++] = COL_NSFS;
			}
		}
		c->cols[c->ncols++] = COL_COMMAND;
		if (out)
			parse_columns(c, out + 1);
	} else {
		parse_columns(c, out);
	}
	for (size_t i = 0; i < c->ncols; i++)
		c->need[c->cols[i]] = true;
}

static void list_columns(struct opts *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		die_err(-ENOMEM, "out of memory");
	scols_table_set_stream(tb, stdout);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_set_name(tb, "columns");
	if (!scols_table_new_column(tb, "NAME", 0, 0) ||
	    !scols_table_new_column(tb, "TYPE", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0))
		die_err(-ENOMEM, "out of memory");
	for (int i = 0; i < NCOLS; i++) {
		static const char *types[] = {
			[SCOLS_JSON_STRING] = "string",
			[SCOLS_JSON_NUMBER] = "number",
			[SCOLS_JSON_BOOLEAN] = "boolean",
			[SCOLS_JSON_ARRAY_STRING] = "array of strings",
			[SCOLS_JSON_ARRAY_NUMBER] = "array of numbers",
			[SCOLS_JSON_BOOLEAN_OPTIONAL] = "boolean or null",
		};
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln || scols_line_set_data(ln, 0, infos[i].name) ||
		    scols_line_set_data(ln, 1, types[infos[i].json]) ||
		    scols_line_set_data(ln, 2, infos[i].help))
			die_err(-ENOMEM, "out of memory");
	}
	scols_print_table(tb);
	scols_unref_table(tb);
}

/* ---- tree relations ---- */

static int find_row_by_ns(struct ctl *c, uint64_t ino, int type)
{
	/* rows of namespace mode are sorted by inode number */
	size_t lo = 0, hi = c->nrows;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uint64_t x = nsu_nsent_ino(c->rows[mid].ns);

		if (x < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nrows && nsu_nsent_ino(c->rows[lo].ns) == ino; lo++)
		if (type < 0 || (int)nsu_nsent_type(c->rows[lo].ns) == type)
			return (int)lo;
	return -1;
}

static int find_row_by_ns_ptr(struct ctl *c, const struct nsu_nsent *e)
{
	return e ? find_row_by_ns(c, nsu_nsent_ino(e), (int)nsu_nsent_type(e)) : -1;
}

struct pidx {
	pid_t pid;
	int row;
};

static int cmp_pidx(const void *a, const void *b)
{
	const struct pidx *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return x->row - y->row;
}

static void link_process_tree(struct ctl *c)
{
	struct pidx *ix = calloc(c->nrows + 1, sizeof(*ix));
	size_t n = 0;

	if (!ix)
		die_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].task)
			ix[n++] = (struct pidx){ nsu_task_pid(c->rows[i].task), (int)i };
	qsort(ix, n, sizeof(*ix), cmp_pidx);
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		struct pidx key, *hit;
		int best = -1;

		if (!r->task || nsu_task_load(c->l, r->task, NSU_PROC_STAT) < 0)
			continue;
		key.pid = nsu_task_ppid(r->task);
		key.row = -1;
		if (key.pid <= 0)
			continue;
		/* as lsns: under the row of the parent process that comes
		 * last before this one (rows are in inode order); a parent
		 * process listed only later leaves this row at the top */
		hit = NULL;
		{
			size_t lo = 0, hi = n;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (ix[mid].pid < key.pid)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < n && ix[lo].pid == key.pid)
				hit = &ix[lo];
		}
		for (; hit && hit < ix + n && hit->pid == key.pid; hit++)
			if ((size_t)hit->row < i)
				best = hit->row;
		r->parent = best;
	}
	free(ix);
}

/* The namespace a row hangs under in the owner tree (a user namespace's
 * parent, anything else's owner) or in the parent tree (pid and user
 * namespaces' parent), from the scan; NULL if none is known. */
static struct nsu_nsent *tree_relative(struct ctl *c, struct nsu_nsent *e,
				       bool owner)
{
	enum nsu_nstype type = nsu_nsent_type(e);
	uint64_t rel = 0;

	if (type == NSU_NS_PID || type == NSU_NS_USER) {
		if (owner && type != NSU_NS_USER)
			goto by_owner;
		if (nsu_nsent_parent_ino(c->l, e, &rel) < 0 || !rel)
			return NULL;
		return nsu_nslist_find_ns(c->l, rel, (int)type);
	}
	if (!owner)
		return NULL;
by_owner:
	if (nsu_nsent_owner_ino(c->l, e, &rel) < 0 || !rel)
		return NULL;
	return nsu_nslist_find_ns(c->l, rel, NSU_NS_USER);
}

/* The owner (user namespace) of E as known to the scan, or NULL. */
static struct nsu_nsent *owner_of(struct ctl *c, struct nsu_nsent *e)
{
	uint64_t rel = 0;

	if (nsu_nsent_owner_ino(c->l, e, &rel) < 0 || !rel)
		return NULL;
	return nsu_nslist_find_ns(c->l, rel, NSU_NS_USER);
}

static int row_of(struct ctl *c, const struct nsu_nsent *e)
{
	for (size_t i = 0; e && i < c->nrows; i++)
		if (c->rows[i].ns == e)
			return (int)i;
	return -1;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	uint64_t i = nsu_nsent_ino(x->ns), j = nsu_nsent_ino(y->ns);

	if (i != j)
		return i < j ? -1 : 1;
	return (int)nsu_nsent_type(x->ns) - (int)nsu_nsent_type(y->ns);
}

/* As lsns: a tree needs its roots, so the namespaces rows hang under (and,
 * in the parent tree, the owners of parentless rows) are listed too, even
 * when -t, -p or -P left them out. */
static void add_tree_relatives(struct ctl *c, bool owner)
{
	/* each pass looks at the rows the previous one added */
	for (size_t from = 0, to; from < (to = c->nrows); from = to) {
		for (size_t i = from; i < to; i++) {
			struct nsu_nsent *rel = tree_relative(c, c->rows[i].ns, owner);

			if (!rel && !owner)
				rel = owner_of(c, c->rows[i].ns);
			if (rel && row_of(c, rel) < 0)
				add_row(c, rel, nsu_nsent_task(rel));
		}
	}
	qsort(c->rows, c->nrows, sizeof(*c->rows), cmp_rows);
}

static void link_ns_tree(struct ctl *c, bool owner)
{
	for (size_t i = 0; i < c->nrows; i++) {
		struct nsu_nsent *rel = tree_relative(c, c->rows[i].ns, owner);
		int p = rel ? find_row_by_ns(c, nsu_nsent_ino(rel),
					     (int)nsu_nsent_type(rel)) : -1;

		if (p >= 0 && (size_t)p != i)
			c->rows[i].parent = p;
	}
}

/* Output order of the owner and parent trees, as lsns: a row comes after
 * the row it hangs under (in the parent tree, a parentless row after its
 * owner's row), otherwise in inode order. */
static void order_visit(struct ctl *c, int i, bool owner, bool *done,
			int *order, size_t *n, int depth)
{
	int first = c->rows[i].parent;

	if (done[i] || depth > 64)
		return;
	if (first < 0 && !owner)
		first = find_row_by_ns_ptr(c, owner_of(c, c->rows[i].ns));
	if (first >= 0 && first != i)
		order_visit(c, first, owner, done, order, n, depth + 1);
	if (done[i])
		return;
	done[i] = true;
	order[(*n)++] = i;
}

static void tree_order(struct ctl *c, bool owner)
{
	bool *done = calloc(c->nrows + 1, sizeof(*done));
	size_t n = 0;

	c->order = calloc(c->nrows + 1, sizeof(*c->order));
	if (!done || !c->order)
		die_err(-ENOMEM, "out of memory");
	for (size_t i = 0; i < c->nrows; i++)
		order_visit(c, (int)i, owner, done, c->order, &n, 0);
	free(done);
}

/* ---- printing ---- */

static void print_rows(struct ctl *c)
{
	struct opts *o = c->o;
	struct libscols_table *tb = scols_new_table();
	int tree_col = -1;

	if (!tb)
		die_err(-ENOMEM, "out of memory");
	/* through stdout, so tool_init()'s exit check sees write errors */
	scols_table_set_stream(tb, stdout);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_nowrap(tb, o->nowrap);
	scols_table_set_name(tb, o->mode == MODE_PIDMAP ? "processes" :
				 "namespaces");
	/* as lsns: the process tree is drawn in COMMAND, the owner and parent
	 * trees in NS; without that column the rows stay flat */
	for (size_t i = 0; o->tree != TREE_NONE && i < c->ncols; i++)
		if (c->cols[i] == (o->tree == TREE_PROCESS ? COL_COMMAND : COL_NS))
			tree_col = (int)i;
	for (size_t i = 0; i < c->ncols; i++) {
		const struct colinfo *ci = &infos[c->cols[i]];
		int flags = ci->flags;
		struct libscols_column *cl;

		if (o->notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		if ((int)i == tree_col) /* tree lines grow to the right */
			flags = (flags | SCOLS_FL_TREE) & ~SCOLS_FL_RIGHT;
		if (o->nowrap || o->raw)
			flags &= ~SCOLS_FL_WRAP;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl)
			die_err(-ENOMEM, "out of memory");
		if (flags & SCOLS_FL_WRAP) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n\\");
		} else {
			/* our cells are escaped already (nsu_escape_string);
			 * without this libsmartcols would encode the backslash
			 * of each \xHH once more */
			scols_column_set_safechars(cl, "\\");
		}
		if (o->json)
			scols_column_set_json_type(cl, ci->json);
		/* libsmartcols splits JSON arrays at newlines of wrapped cells */
		if (o->json && (ci->json == SCOLS_JSON_ARRAY_NUMBER ||
				ci->json == SCOLS_JSON_ARRAY_STRING)) {
			scols_column_set_flags(cl, flags | SCOLS_FL_WRAP);
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
		}
	}
	for (size_t j = 0; j < c->nrows; j++) {
		struct row *r = &c->rows[c->order ? (size_t)c->order[j] : j];

		r->line = scols_table_new_line(tb, NULL);
		if (!r->line)
			die_err(-ENOMEM, "out of memory");
		for (size_t k = 0; k < c->ncols; k++) {
			const char *v = cell(c, r, c->cols[k]);

			if (v && scols_line_set_data(r->line, k, v) < 0)
				die_err(-ENOMEM, "out of memory");
		}
	}
	if (tree_col >= 0)
		for (size_t k = 0; k < c->nrows; k++) {
			size_t i = c->order ? (size_t)c->order[k] : k;

			if (c->rows[i].parent >= 0)
				scols_line_add_child(c->rows[c->rows[i].parent].line,
						     c->rows[i].line);
		}
	scols_print_table(tb);
	scols_unref_table(tb);
}

/* ---- what to list ---- */

static bool type_wanted(const struct opts *o, const struct nsu_nsent *e)
{
	return !o->type_mask ||
	       (o->type_mask & nsu_nstype_flag(nsu_nsent_type(e)));
}

static struct nsu_task *task_or_die(struct ctl *c, pid_t pid)
{
	struct nsu_task *t = nsu_nslist_find_task(c->l, pid);

	if (!t)
		die("process %d: no such process (or not visible in %s)",
		    (int)pid, nsu_ctx_get_proc_root(c->ctx));
	return t;
}

/* The namespace argument: an inode number, or a namespace file. */
static struct nsu_nsent *resolve_ns_arg(struct ctl *c, const char *arg)
{
	struct nsu_nsent *e = NULL;
	uint64_t ino;

	if (tool_parse_u64(arg, &ino) == 0) {
		e = nsu_nslist_find_ns(c->l, ino, -1);
	} else {
		struct nsu_ns *ns = nsu_ns_open_path(c->ctx, arg, -1);

		if (!ns)
			die_err(-errno, "unknown namespace: %s", arg);
		e = nsu_nslist_find_ns_dev(c->l, nsu_ns_dev(ns), nsu_ns_ino(ns));
		nsu_ns_free(ns);
	}
	if (!e)
		die("unknown namespace: %s", arg);
	return e;
}

/* NSREF for the translations: inode, pid=P, a file, or a pin name. */
static struct nsu_nsent *resolve_nsref(struct ctl *c, const char *ref)
{
	struct nsu_nsent *e = NULL;
	struct nsu_ns *ns = NULL;
	uint64_t ino;

	if (strncmp(ref, "pid=", 4) == 0) {
		struct nsu_task *t = task_or_die(c, parse_pid_or_die(ref + 4, "pid="));

		e = nsu_task_ns(t, NSU_NS_PID);
		if (!e)
			die("process %s: cannot read its PID namespace", ref + 4);
		return e;
	}
	if (tool_parse_u64(ref, &ino) == 0) {
		e = nsu_nslist_find_ns(c->l, ino, NSU_NS_PID);
		if (!e)
			die("unknown PID namespace: %s", ref);
		return e;
	}
	if (strchr(ref, '/') || nsu_pin_name_valid(ref) < 0) {
		ns = nsu_ns_open_path(c->ctx, ref, NSU_NS_PID);
		if (!ns)
			die_err(-errno, "PID namespace %s", ref);
	} else {
		ns = nsu_pin_open(c->ctx, NULL, ref, NSU_NS_PID);
		if (!ns && errno == ENOENT) /* not a pin: a file here? */
			ns = nsu_ns_open_path(c->ctx, ref, NSU_NS_PID);
		if (!ns)
			die_err(-errno, "PID namespace %s (pin name or file)", ref);
	}
	e = nsu_nslist_find_ns_dev(c->l, nsu_ns_dev(ns), nsu_ns_ino(ns));
	nsu_ns_free(ns);
	if (!e)
		die("PID namespace %s: no process lives in it", ref);
	return e;
}

static void collect_ns_rows(struct ctl *c)
{
	struct opts *o = c->o;
	size_t n = nsu_nslist_ns_count(c->l);
	struct nsu_task *only = o->task ? task_or_die(c, o->task) : NULL;

	for (size_t i = 0; i < n; i++) {
		struct nsu_nsent *e = nsu_nslist_ns(c->l, i);

		if (!type_wanted(o, e))
			continue;
		if (o->persistent && nsu_nsent_nprocs(e) > 0)
			continue;
		if (only && nsu_task_ns(only, nsu_nsent_type(e)) != e)
			continue;
		add_row(c, e, nsu_nsent_task(e));
	}
}

/* Whether task T is in namespace E. For the PID map also when it is in a
 * PID namespace nested in E, so a container's map includes its own
 * containers; a namespace listing (as lsns) shows direct members only. */
static bool task_in(struct ctl *c, struct nsu_task *t, struct nsu_nsent *e)
{
	enum nsu_nstype type = nsu_nsent_type(e);

	if (nsu_task_ns(t, type) == e)
		return true;
	if (c->o->mode != MODE_PIDMAP || type != NSU_NS_PID ||
	    !nsu_task_ns(t, type))
		return false;
	return nsu_pid_in_ns(c->l, e, nsu_task_pid(t)) > 0;
}

static void collect_task_rows(struct ctl *c, struct nsu_nsent *within)
{
	struct opts *o = c->o;
	size_t n = nsu_nslist_task_count(c->l);

	for (size_t i = 0; i < n; i++) {
		struct nsu_task *t = nsu_nslist_task(c->l, i);
		struct nsu_nsent *e;

		if (within && !task_in(c, t, within))
			continue;
		e = within && o->mode == MODE_PROCS ? within :
			nsu_task_ns(t, NSU_NS_PID);
		/* the map needs every NSpid chain; a process that exited
		 * since the scan has none and no row */
		if (o->mode == MODE_PIDMAP &&
		    (!e || nsu_task_load(c->l, t, NSU_PROC_STATUS) < 0))
			continue;
		add_row(c, e, t);
	}
}

static int run_translation(struct ctl *c)
{
	struct opts *o = c->o;
	struct nsu_nsent *e = o->nsref ? resolve_nsref(c, o->nsref) : NULL;
	int r;

	if (o->mode == MODE_HOSTPID)
		r = nsu_pid_to_host(c->l, e, o->xpid);
	else
		r = nsu_pid_in_ns(c->l, e, o->xpid);
	if (r == -ESRCH) {
		if (o->mode == MODE_HOSTPID)
			warn_msg("no process %d in PID namespace %s",
				 (int)o->xpid, o->nsref);
		else if (o->nsref)
			warn_msg("process %d is not visible in PID namespace %s",
				 (int)o->xpid, o->nsref);
		else
			warn_msg("no such process: %d", (int)o->xpid);
		return NSU_EXIT_FAILURE;
	}
	if (r < 0)
		die_err(r, "cannot translate PID %d", (int)o->xpid);
	printf("%d\n", r);
	return NSU_EXIT_OK;
}

static int run(struct opts *o)
{
	struct ctl c = { .o = o, .sep = '\n' };
	unsigned int flags = 0;
	int rc = NSU_EXIT_OK;

	if (o->list_columns) {
		list_columns(o);
		return NSU_EXIT_OK;
	}
	if (o->nowrap || o->raw)
		c.sep = ',';
	if (o->mode != MODE_HOSTPID && o->mode != MODE_NSPID)
		setup_columns(&c);
	if (o->filter) {
		size_t pos = 0;
		const char *msg = NULL;

		c.filter = nsu_filter_parse(o->filter, &pos, &msg);
		if (!c.filter) {
			if (errno == EINVAL)
				usage_error("--filter: %s at offset %zu: '%s'",
					    msg, pos, o->filter);
			die_err(-errno, "--filter");
		}
		for (size_t i = 0; i < nsu_filter_column_count(c.filter); i++) {
			const char *name = nsu_filter_column(c.filter, i);

			if (column_by_name(name, strlen(name)) < 0)
				usage_error("--filter: unknown column: '%s'", name);
		}
	}
	c.ctx = nsu_ctx_new();
	if (!c.ctx)
		die_err(-errno, "cannot create a library context");
	if (o->threads)
		flags |= NSU_LIST_THREADS;
	/* PID work needs processes only */
	if (o->mode == MODE_HOSTPID || o->mode == MODE_NSPID ||
	    o->mode == MODE_PIDMAP)
		flags |= NSU_LIST_NO_FDS | NSU_LIST_NO_SOCKETS | NSU_LIST_NO_MOUNTS;
	c.l = nsu_nslist_scan(c.ctx, flags);
	if (!c.l)
		die_err(-errno, "cannot scan %s", nsu_ctx_get_proc_root(c.ctx));

	switch (o->mode) {
	case MODE_HOSTPID:
	case MODE_NSPID:
		rc = run_translation(&c);
		goto out;
	case MODE_NS:
		/* as lsns, the trees of relations show the namespaces no
		 * process is in but that own or parent listed ones */
		if (o->tree == TREE_OWNER || o->tree == TREE_PARENT) {
			int r = nsu_nslist_add_relatives(c.l);

			if (r < 0)
				die_err(r, "cannot find parent and owner namespaces");
		}
		collect_ns_rows(&c);
		if (o->tree == TREE_PROCESS)
			link_process_tree(&c);
		else if (o->tree == TREE_OWNER || o->tree == TREE_PARENT) {
			add_tree_relatives(&c, o->tree == TREE_OWNER);
			link_ns_tree(&c, o->tree == TREE_OWNER);
			tree_order(&c, o->tree == TREE_OWNER);
		}
		break;
	case MODE_PROCS:
		collect_task_rows(&c, resolve_ns_arg(&c, o->nsarg));
		if (o->tree == TREE_PROCESS)
			link_process_tree(&c);
		break;
	case MODE_PIDMAP: {
		struct nsu_nsent *within = NULL;

		if (o->nsarg)
			within = resolve_ns_arg(&c, o->nsarg);
		else if (o->task)
			within = nsu_task_ns(task_or_die(&c, o->task), NSU_NS_PID);
		if (within && nsu_nsent_type(within) != NSU_NS_PID)
			die("namespace %s is not a PID namespace", o->nsarg);
		collect_task_rows(&c, within);
		break;
	}
	}
	print_rows(&c);
out:
	for (size_t i = 0; i < c.nrows; i++)
		for (int k = 0; k < NCOLS; k++)
			free(c.rows[i].val[k]);
	free(c.rows);
	free(c.order);
	for (size_t i = 0; i < c.nucache; i++)
		free(c.ucache_name[i]);
	nsu_filter_free(c.filter);
	nsu_nslist_free(c.l);
	nsu_ctx_free(c.ctx);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = MODE_NS };

	tool_init(&tool_info);
	/* libsmartcols draws tree lines with UTF-8 glyphs where the locale allows */
	setlocale(LC_ALL, "");
	parse_args(argc, argv, &o);
	return run(&o);
}
