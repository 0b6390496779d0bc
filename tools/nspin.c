/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nspin.c - keep namespaces alive without processes: pin them by name in a
 * registry or on an explicit file, list the pins, release them. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nsutil.h"
#include "tool.h"

static const struct nsu_tool_info tool_info = {
	.name = "nspin",
	.exit_failure = NSU_EXIT_FAILURE,
	.exit_usage = NSU_EXIT_USAGE,
};

/* ---- the column table: drives -o, --output-all, -J, -r, -n ---- */

enum { COL_PIN, COL_NAME, COL_PATH, COL_TYPE, COL_NS, COL_ID, COL_NPROCS,
       COL_CREATED, COL_MNTID, NCOLS };

struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
};

static const struct colinfo infos[NCOLS] = {
	[COL_PIN]     = { "PIN", 0.3, 0, SCOLS_JSON_STRING, "registry name, or path of a pin outside the registry" },
	[COL_NAME]    = { "NAME", 0.2, 0, SCOLS_JSON_STRING, "registry name (empty outside the registry)" },
	[COL_PATH]    = { "PATH", 0.4, 0, SCOLS_JSON_STRING, "path of the pin (its mount point)" },
	[COL_TYPE]    = { "TYPE", 6, 0, SCOLS_JSON_STRING, "namespace type" },
	[COL_NS]      = { "NS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "namespace identifier (inode number)" },
	[COL_ID]      = { "ID", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "the kernel's 64-bit namespace id" },
	[COL_NPROCS]  = { "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "number of processes in the namespace now" },
	[COL_CREATED] = { "CREATED", 20, 0, SCOLS_JSON_STRING, "when the pin was made (registry pins)" },
	[COL_MNTID]   = { "MNTID", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "mount id of the pin" },
};

static const int default_cols[] = { COL_PIN, COL_TYPE, COL_NS, COL_ID,
				    COL_NPROCS, COL_CREATED };

/* ---- options ---- */

enum command { CMD_LS, CMD_ADD, CMD_PIN, CMD_RM };

struct options {
	enum command cmd;
	const char *dir;
	int mask;
	bool all;
	bool new_ns;
	pid_t target;           /* 0: nspin's own namespaces */
	char **args;            /* operands after the command word */
	int nargs;
	/* ls */
	bool json, raw, noheadings, output_all;
	int cols[NCOLS];
	size_t ncols;
	bool table_opts;        /* some ls-only option was given */
};

enum {
	OPT_TARGET = 0x100,
	OPT_NEW,
	OPT_DIR,
	OPT_OUTPUT_ALL,
};

noreturn static void usage(void)
{
	fputs("Usage:\n"
	      " nspin [options] [ls]\n"
	      " nspin [options] add <name> [-t <list> | -a] [--target <pid> | --new]\n"
	      " nspin [options] pin -t <type> [--target <pid>] <file>\n"
	      " nspin [options] rm <name>|<file>...\n"
	      "\n"
	      "Keep namespaces alive without processes, by name or on a file.\n"
	      "\n"
	      "Commands:\n"
	      " ls                    list the pins (the default)\n"
	      " add <name>            pin namespaces as <name> in the registry\n"
	      " pin <file>            pin one namespace on an explicit file\n"
	      " rm <name>|<file>...   release pins (a <file> contains a '/')\n"
	      "\n"
	      "Options:\n"
	      " -t, --type <list>     namespace types: mnt,uts,ipc,net,pid,user,cgroup,time\n"
	      " -a, --all             every namespace type this kernel has\n"
	      "     --target <pid>    pin the namespaces of <pid> (default: nspin's own)\n"
	      "     --new             create new namespaces that no process lives in\n"
	      "     --dir <dir>       registry directory (default: $NSPIN_DIR or ", stdout);
	fputs(nsu_pin_default_dir(), stdout);
	fputs(")\n"
	      " -J, --json            use JSON output format\n"
	      " -r, --raw             use raw output format\n"
	      " -n, --noheadings      don't print headings\n"
	      " -o, --output <list>   the columns to print\n"
	      "     --output-all      print all columns\n"
	      "\n"
	      USAGE_HELP_OPTIONS("         ")
	      "\nAvailable output columns:\n", stdout);
	for (int i = 0; i < NCOLS; i++)
		printf(" %8s  %s\n", infos[i].name, infos[i].help);
	fputs(USAGE_MAN_TAIL("nspin(8)"), stdout);
	exit(NSU_EXIT_OK);
}

static int column_id(const char *name, size_t len)
{
	for (int i = 0; i < NCOLS; i++)
		if (strlen(infos[i].name) == len &&
		    strncasecmp(infos[i].name, name, len) == 0)
			return i;
	return -1;
}

static void parse_columns(struct options *o, const char *list)
{
	const char *p = list;

	/* "+LIST" adds to the default columns, like util-linux */
	if (*p == '+')
		p++;
	else
		o->ncols = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int id = column_id(p, len);

		if (id < 0)
			usage_error("unknown column: %.*s", (int)len, p);
		if (o->ncols < NCOLS)
			o->cols[o->ncols++] = id;
		p += len;
		if (*p == ',')
			p++;
	}
	if (o->ncols == 0)
		usage_error("no columns given to --output");
}

static void parse_types(struct options *o, const char *list)
{
	size_t off = 0;
	int mask = 0;

	if (nsu_nstype_parse_list(list, &mask, &off) < 0)
		usage_error("unknown namespace type: '%.*s'",
			    (int)strcspn(list + off, ","), list + off);
	o->mask |= mask;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "type",       required_argument, NULL, 't' },
		{ "all",        no_argument,       NULL, 'a' },
		{ "target",     required_argument, NULL, OPT_TARGET },
		{ "new",        no_argument,       NULL, OPT_NEW },
		{ "dir",        required_argument, NULL, OPT_DIR },
		{ "json",       no_argument,       NULL, 'J' },
		{ "raw",        no_argument,       NULL, 'r' },
		{ "noheadings", no_argument,       NULL, 'n' },
		{ "output",     required_argument, NULL, 'o' },
		{ "output-all", no_argument,       NULL, OPT_OUTPUT_ALL },
		{ "help",       no_argument,       NULL, 'h' },
		{ "version",    no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *env = getenv("NSPIN_DIR");
	bool have_target = false;
	const char *cmd;
	int c;

	o->dir = (env && *env) ? env : NULL;
	for (size_t i = 0; i < (sizeof(default_cols) / sizeof(default_cols[0])); i++)
		o->cols[i] = default_cols[i];
	o->ncols = (sizeof(default_cols) / sizeof(default_cols[0]));

	while ((c = getopt_long(argc, argv, "t:aJrno:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			parse_types(o, optarg);
			break;
		case 'a':
			o->all = true;
			break;
		case OPT_TARGET:
			if (nsu_parse_pid(optarg, &o->target) < 0)
				usage_error("invalid PID: '%s'", optarg);
			have_target = true;
			break;
		case OPT_NEW:
			o->new_ns = true;
			break;
		case OPT_DIR:
			if (!*optarg)
				usage_error("--dir needs a directory");
			o->dir = optarg;
			break;
		case 'J':
			o->json = o->table_opts = true;
			break;
		case 'r':
			o->raw = o->table_opts = true;
			break;
		case 'n':
			o->noheadings = o->table_opts = true;
			break;
		case 'o':
			parse_columns(o, optarg);
			o->table_opts = true;
			break;
		case OPT_OUTPUT_ALL:
			o->output_all = o->table_opts = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version_and_exit();
		default:
			tool_try_help();
		}
	}

	cmd = optind < argc ? argv[optind++] : "ls";
	/* whole words only: no abbreviations of commands */
	if (strcmp(cmd, "ls") == 0)
		o->cmd = CMD_LS;
	else if (strcmp(cmd, "add") == 0)
		o->cmd = CMD_ADD;
	else if (strcmp(cmd, "pin") == 0)
		o->cmd = CMD_PIN;
	else if (strcmp(cmd, "rm") == 0)
		o->cmd = CMD_RM;
	else
		usage_error("unknown command: '%s'", cmd);
	o->args = argv + optind;
	o->nargs = argc - optind;

	if (o->cmd != CMD_LS && o->table_opts)
		usage_error("-J, -r, -n, -o and --output-all are options of 'ls'");
	if (o->cmd != CMD_ADD && (o->all || o->new_ns))
		usage_error("-a and --new are options of 'add'");
	if ((o->cmd == CMD_LS || o->cmd == CMD_RM) && (o->mask || have_target))
		usage_error("-t and --target are options of 'add' and 'pin'");
	switch (o->cmd) {
	case CMD_LS:
		if (o->nargs)
			usage_error("'ls' takes no arguments");
		break;
	case CMD_ADD:
		if (o->nargs != 1)
			usage_error("'add' takes exactly one name");
		if (o->all && o->mask)
			usage_error("-t and -a are mutually exclusive");
		if (!o->all && !o->mask)
			usage_error("no namespace types given (use -t <list> or -a)");
		if (o->new_ns && have_target)
			usage_error("--target and --new are mutually exclusive");
		break;
	case CMD_PIN:
		if (o->nargs != 1)
			usage_error("'pin' takes exactly one file");
		if (!o->mask)
			usage_error("no namespace type given (use -t <type>)");
		if (o->mask & (o->mask - 1))
			usage_error("'pin' takes exactly one namespace type");
		break;
	case CMD_RM:
		if (o->nargs < 1)
			usage_error("'rm' needs at least one name or file");
		break;
	}
}

/* ---- turning a pin status into one line ---- */

static const char *type_name(int type)
{
	return type >= 0 ? nsu_nstype_name((enum nsu_nstype)type) : NULL;
}

/* "the net namespace" or "the namespaces" */
static void ns_phrase(char *buf, size_t size, int type)
{
	if (type_name(type))
		snprintf(buf, size, "the %s namespace", type_name(type));
	else
		snprintf(buf, size, "the namespaces");
}

static const char *priv_hint(int err)
{
	if (err == -EPERM || err == -EACCES)
		return "pins are mounts: nspin must run as root";
	return NULL;
}

/* OP: "add web", "pin /x/net", "rm web"; WHOSE: "of PID 42", "" ... */
static void report(const char *op, const char *whose,
		   const struct nsu_pin_status *st, int r, bool fatal)
{
	enum nsu_pin_result res = nsu_pin_status_result(st);
	int err = nsu_pin_status_error(st);
	int type = nsu_pin_status_type(st);
	const char *path = nsu_pin_status_path(st);
	const char *hint = NULL;
	char ns[64], msg[1024];
	uint64_t self_id, ns_id;

	if (res == NSU_PIN_OK)
		err = r;
	if (!path)
		path = "?";
	ns_phrase(ns, sizeof(ns), type);
	switch (res) {
	case NSU_PIN_OK:
		snprintf(msg, sizeof(msg), "%s", op);
		break;
	case NSU_PIN_ERR_NAME:
		snprintf(msg, sizeof(msg), "%s: invalid name (not empty, '.', '..', '.mnt' or '.lock'; no '/' or control characters; at most 255 bytes)", op);
		err = 0;
		break;
	case NSU_PIN_ERR_REGISTRY:
		snprintf(msg, sizeof(msg), "%s: cannot set up the registry %s", op, path);
		hint = priv_hint(err);
		break;
	case NSU_PIN_ERR_SYMLINK:
		snprintf(msg, sizeof(msg), "%s: refusing %s: a symbolic link (or under one)", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_EXISTS:
		snprintf(msg, sizeof(msg), "%s: %s exists already", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_MOUNTED:
		snprintf(msg, sizeof(msg), "%s: refusing %s: something is mounted on it already", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_SOURCE:
		snprintf(msg, sizeof(msg), "%s: cannot open %s%s", op, ns, whose);
		hint = nsu_hint(NSU_OP_OPEN, type, err);
		break;
	case NSU_PIN_ERR_CREATE:
		snprintf(msg, sizeof(msg), "%s: cannot create %s", op, path);
		hint = priv_hint(err);
		break;
	case NSU_PIN_ERR_BIND:
		snprintf(msg, sizeof(msg), "%s: cannot bind %s%s onto %s", op, ns, whose, path);
		hint = priv_hint(err);
		if (!hint)
			hint = nsu_hint(NSU_OP_PIN, type, err);
		break;
	case NSU_PIN_ERR_SHARED:
		snprintf(msg, sizeof(msg), "%s: cannot pin a mount namespace on %s: its parent mount is shared, and the kernel refuses mount-namespace pins that would propagate; pin it by name instead (nspin add NAME -t mnt), or use a file on a private mount (mount --bind DIR DIR && mount --make-private DIR)", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_MNTNS_ORDER:
		if (nsu_pin_status_mntns_ids(st, &self_id, &ns_id) == 0)
			snprintf(msg, sizeof(msg), "%s: cannot pin the mount namespace%s: it is not newer than nspin's own (id %" PRIu64 " <= %" PRIu64 "), and the kernel only lets an older mount namespace pin a newer one; run nspin from an older mount namespace (e.g. the host's), or create the namespace with 'nspin add NAME -t mnt --new'", op, whose, ns_id, self_id);
		else
			snprintf(msg, sizeof(msg), "%s: cannot pin the mount namespace%s: it is older than nspin's own", op, whose);
		err = 0;
		break;
	case NSU_PIN_ERR_PIDNS_DEAD:
		snprintf(msg, sizeof(msg), "%s: refusing to pin the PID namespace%s: its init has exited, so it can never be entered again", op, whose);
		err = 0;
		break;
	case NSU_PIN_ERR_VERIFY:
		snprintf(msg, sizeof(msg), "%s: %s is not %s after binding (undone)", op, path, ns);
		break;
	case NSU_PIN_ERR_NEW:
		snprintf(msg, sizeof(msg), "%s: cannot create a new %s namespace", op,
			 type_name(type) ? type_name(type) : "set of");
		hint = priv_hint(err);
		if (!hint)
			hint = nsu_hint(NSU_OP_UNSHARE, type, err);
		break;
	case NSU_PIN_ERR_NOENT:
		snprintf(msg, sizeof(msg), "%s: no such pin: %s", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_NOTPIN:
		snprintf(msg, sizeof(msg), "%s: %s is not a namespace pin (no nsfs mount): left alone", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_BUSY:
		if (nsu_pin_status_holders(st))
			snprintf(msg, sizeof(msg), "%s: %s is busy: held open by %s", op, path, nsu_pin_status_holders(st));
		else
			snprintf(msg, sizeof(msg), "%s: %s is busy (still in use through a pin in another mount namespace?)", op, path);
		err = 0;
		break;
	case NSU_PIN_ERR_UNMOUNT:
		snprintf(msg, sizeof(msg), "%s: cannot unmount %s", op, path);
		hint = priv_hint(err);
		if (!hint)
			hint = nsu_hint(NSU_OP_UNPIN, type, err);
		break;
	case NSU_PIN_ERR_REMOVE:
		snprintf(msg, sizeof(msg), "%s: cannot remove %s", op, path);
		break;
	}
	if (fatal)
		die_hint(err, hint, "%s", msg);
	if (hint)
		warn_msg("%s: %s (%s)", msg, nsu_strerror(err), hint);
	else if (err)
		warn_err(err, "%s", msg);
	else
		warn_msg("%s", msg);
}

static struct nsu_pin_status *new_status(void)
{
	struct nsu_pin_status *st = nsu_pin_status_new();

	if (!st)
		die_err(-ENOMEM, "cannot allocate");
	return st;
}

/* A pidfd for the target (nspin itself without --target), or -1 on a
 * kernel without pidfds (before 5.3), where the namespaces are then
 * opened by PID. */
static int target_pidfd(const struct options *o, const char *op)
{
	pid_t pid = o->target ? o->target : getpid();
	int fd = nsu_pidfd_open(pid, 0);

	if (fd == -ENOSYS)
		return -1;
	if (fd < 0)
		die_err(fd, "%s: cannot open PID %d", op, (int)pid);
	return fd;
}

static struct nsu_ns *open_target_ns(struct nsu_ctx *ctx, const struct options *o,
				     int pidfd, int type, const char *op,
				     const char *whose)
{
	struct nsu_ns *ns;

	if (pidfd >= 0)
		ns = nsu_ns_open_pidfd(ctx, pidfd, (enum nsu_nstype)type, 0);
	else
		ns = nsu_ns_open_pid(ctx, o->target ? o->target : getpid(),
				     (enum nsu_nstype)type, 0);
	if (!ns)
		die_hint(-errno, nsu_hint(NSU_OP_OPEN, type, -errno),
			 "%s: cannot open the %s namespace%s", op,
			 nsu_nstype_name((enum nsu_nstype)type), whose);
	return ns;
}

static void whose_phrase(const struct options *o, char *buf, size_t size)
{
	if (o->target)
		snprintf(buf, size, " of PID %d", (int)o->target);
	else
		buf[0] = '\0';
}

/* The pin keeps the PID namespace, not its init: say so where nspin did
 * not make the init itself. */
static void pidns_note(const char *op)
{
	warn_msg("%s: note: the PID namespace stays enterable only while its init lives (use 'nspin add NAME -t pid --new' for one that nspin keeps)", op);
}

static int cmd_add(struct nsu_ctx *ctx, const struct options *o)
{
	const char *name = o->args[0];
	struct nsu_pin_status *st = new_status();
	int mask = o->all ? nsu_nstype_supported_mask(ctx) : o->mask;
	char op[512], whose[64];
	int r;

	snprintf(op, sizeof(op), "add %s", name);
	whose_phrase(o, whose, sizeof(whose));
	if (o->new_ns) {
		r = nsu_pin_add_new(ctx, o->dir, name, mask, st);
	} else {
		int pidfd = target_pidfd(o, op);

		if (pidfd >= 0) {
			r = nsu_pin_add_pidfd(ctx, o->dir, name, mask, pidfd, 0, st);
			close(pidfd);
		} else {
			struct nsu_ns *nss[NSU_NS_COUNT];
			size_t n = 0;

			for (int t = 0; t < NSU_NS_COUNT; t++)
				if (mask & nsu_nstype_flag((enum nsu_nstype)t))
					nss[n++] = open_target_ns(ctx, o, -1, t, op, whose);
			r = nsu_pin_add_ns(ctx, o->dir, name, nss, n, st);
			while (n > 0)
				nsu_ns_free(nss[--n]);
		}
	}
	if (r < 0)
		report(op, whose, st, r, true);
	if ((mask & nsu_nstype_flag(NSU_NS_PID)) && !o->new_ns)
		pidns_note(op);
	nsu_pin_status_free(st);
	return NSU_EXIT_OK;
}

static int cmd_pin(struct nsu_ctx *ctx, const struct options *o)
{
	const char *file = o->args[0];
	struct nsu_pin_status *st = new_status();
	int type = nsu_nstype_from_flag(o->mask);
	char op[PATH_MAX + 16], whose[64];
	struct nsu_ns *ns;
	int pidfd, r;

	snprintf(op, sizeof(op), "pin %s", file);
	whose_phrase(o, whose, sizeof(whose));
	pidfd = target_pidfd(o, op);
	ns = open_target_ns(ctx, o, pidfd, type, op, whose);
	if (pidfd >= 0)
		close(pidfd);
	r = nsu_pin_file(ctx, ns, file, 0, st);
	if (r < 0)
		report(op, whose, st, r, true);
	if (type == NSU_NS_PID)
		pidns_note(op);
	nsu_ns_free(ns);
	nsu_pin_status_free(st);
	return NSU_EXIT_OK;
}

static int cmd_rm(struct nsu_ctx *ctx, const struct options *o)
{
	int rc = NSU_EXIT_OK;

	for (int i = 0; i < o->nargs; i++) {
		struct nsu_pin_status *st = new_status();
		char op[PATH_MAX + 16];
		int r;

		snprintf(op, sizeof(op), "rm %s", o->args[i]);
		r = nsu_pin_remove(ctx, o->dir, o->args[i], st);
		if (r < 0) {
			report(op, "", st, r, false);
			rc = NSU_EXIT_FAILURE;
		}
		/* released here, but a private copy of the mount elsewhere
		 * keeps the namespace: say where, so it can be found */
		if (nsu_pin_status_elsewhere(st))
			warn_msg("%s: warning: still pinned in another %s",
				 op, nsu_pin_status_elsewhere(st));
		nsu_pin_status_free(st);
	}
	return rc;
}

/* ---- ls ---- */

struct pinrow {
	char *pin, *name, *path;
	enum nsu_nstype type;
	uint64_t dev, ino, id, mntid;
	bool has_id;
	int64_t ctime;
	unsigned long nprocs;
};

/* Paths and names come from mountinfo and the file system: escape control
 * characters, backslashes and invalid UTF-8 as \xHH (for JSON, which must
 * be valid UTF-8 and which libsmartcols only quotes). */
static char *escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p);
	char *out = malloc(len * 4 + 1), *q = out;

	if (!out)
		die_err(-ENOMEM, "cannot allocate");
	while (*p) {
		size_t n = 0;

		if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		if (n) {
			size_t k = 1;

			while (k < n && (p[k] & 0xc0) == 0x80)
				k++;
			if (k == n) {
				memcpy(q, p, n);
				q += n;
				p += n;
				continue;
			}
		}
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			q += sprintf(q, "\\x%02x", *p);
		else
			*q++ = (char)*p;
		p++;
	}
	*q = '\0';
	return out;
}

/* libsmartcols already escapes control characters and invalid multibyte
 * sequences in table and raw output (as \xHH); JSON it only quotes, so
 * there we escape ourselves. */
static char *text(const struct options *o, const char *s)
{
	char *t = o->json ? escape(s) : strdup(s ? s : "");

	if (!t)
		die_err(-ENOMEM, "cannot allocate");
	return t;
}

static void count_procs(struct nsu_ctx *ctx, struct pinrow *rows, size_t n)
{
	struct nsu_proc_iter *it;
	const char *proc = nsu_ctx_get_proc_root(ctx);
	bool want[NSU_NS_COUNT] = { false };
	pid_t pid;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		want[rows[i].type] = true;
	it = nsu_proc_iter_new(ctx, 0);
	if (!it)
		return;
	while (nsu_proc_iter_next(it, &pid, NULL) == 1) {
		for (int t = 0; t < NSU_NS_COUNT; t++) {
			char path[128];
			struct stat s;

			if (!want[t])
				continue;
			snprintf(path, sizeof(path), "%s/%d/ns/%s", proc, (int)pid,
				 nsu_nstype_proc_entry((enum nsu_nstype)t));
			if (stat(path, &s) < 0)
				continue;
			for (size_t i = 0; i < n; i++)
				if ((int)rows[i].type == t &&
				    rows[i].dev == (uint64_t)s.st_dev &&
				    rows[i].ino == (uint64_t)s.st_ino)
					rows[i].nprocs++;
		}
	}
	nsu_proc_iter_free(it);
}

static void set_cell(struct libscols_line *ln, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_cell(struct libscols_line *ln, size_t col, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s || scols_line_refer_data(ln, col, s) < 0) {
		free(s);
		die_err(-ENOMEM, "cannot allocate");
	}
}

static void fill_row(struct libscols_line *ln, const struct options *o,
		     const struct pinrow *r)
{
	for (size_t c = 0; c < o->ncols; c++) {
		switch (o->cols[c]) {
		case COL_PIN:
			set_cell(ln, c, "%s", r->pin);
			break;
		case COL_NAME:
			if (r->name)
				set_cell(ln, c, "%s", r->name);
			break;
		case COL_PATH:
			set_cell(ln, c, "%s", r->path);
			break;
		case COL_TYPE:
			set_cell(ln, c, "%s", nsu_nstype_name(r->type));
			break;
		case COL_NS:
			set_cell(ln, c, "%" PRIu64, r->ino);
			break;
		case COL_ID:
			if (r->has_id)
				set_cell(ln, c, "%" PRIu64, r->id);
			break;
		case COL_NPROCS:
			set_cell(ln, c, "%lu", r->nprocs);
			break;
		case COL_CREATED:
			if (r->ctime) {
				char buf[64];
				time_t t = (time_t)r->ctime;
				struct tm tm;

				if (localtime_r(&t, &tm) &&
				    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm))
					set_cell(ln, c, "%s", buf);
			}
			break;
		case COL_MNTID:
			set_cell(ln, c, "%" PRIu64, r->mntid);
			break;
		}
	}
}

static int cmd_ls(struct nsu_ctx *ctx, struct options *o)
{
	struct nsu_pin_iter *it = nsu_pin_iter_new(ctx, o->dir);
	struct pinrow *rows = NULL;
	struct libscols_table *tb;
	size_t n = 0;
	int r;

	if (!it)
		die_err(-errno, "ls: cannot read the mount table");
	while ((r = nsu_pin_iter_next(it)) == 1) {
		const struct nsu_ns *ns = nsu_pin_iter_ns(it);
		struct pinrow *row;

		rows = realloc(rows, (n + 1) * sizeof(*rows));
		if (!rows)
			die_err(-ENOMEM, "cannot allocate");
		row = &rows[n++];
		memset(row, 0, sizeof(*row));
		row->path = text(o, nsu_pin_iter_path(it));
		row->name = nsu_pin_iter_name(it) ? text(o, nsu_pin_iter_name(it)) : NULL;
		row->pin = strdup(row->name ? row->name : row->path);
		row->type = nsu_ns_type(ns);
		row->dev = nsu_ns_dev(ns);
		row->ino = nsu_ns_ino(ns);
		row->has_id = nsu_ns_id(ns, &row->id) == 0;
		row->ctime = nsu_pin_iter_ctime(it);
		row->mntid = nsu_pin_iter_mount_id(it);
		if (!row->pin)
			die_err(-ENOMEM, "cannot allocate");
	}
	nsu_pin_iter_free(it);
	if (r < 0)
		die_err(r, "ls: cannot list the pins");
	count_procs(ctx, rows, n);

	if (o->output_all) {
		o->ncols = 0;
		for (int i = 0; i < NCOLS; i++)
			o->cols[o->ncols++] = i;
	}
	scols_init_debug(0);
	tb = scols_new_table();
	if (!tb)
		die_err(-ENOMEM, "cannot allocate");
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	if (o->json)
		scols_table_set_name(tb, "pins");
	for (size_t c = 0; c < o->ncols; c++) {
		const struct colinfo *ci = &infos[o->cols[c]];
		struct libscols_column *cl =
			scols_table_new_column(tb, ci->name, ci->whint, ci->flags);

		if (!cl)
			die_err(-ENOMEM, "cannot allocate");
		scols_column_set_json_type(cl, ci->json);
	}
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			die_err(-ENOMEM, "cannot allocate");
		fill_row(ln, o, &rows[i]);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].pin);
		free(rows[i].name);
		free(rows[i].path);
	}
	free(rows);
	return NSU_EXIT_OK;
}

static int run(struct options *o)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	int rc = NSU_EXIT_FAILURE;

	if (!ctx)
		die_err(-errno, "cannot create a library context");
	switch (o->cmd) {
	case CMD_LS:
		rc = cmd_ls(ctx, o);
		break;
	case CMD_ADD:
		rc = cmd_add(ctx, o);
		break;
	case CMD_PIN:
		rc = cmd_pin(ctx, o);
		break;
	case CMD_RM:
		rc = cmd_rm(ctx, o);
		break;
	}
	nsu_ctx_free(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };

	tool_init(&tool_info);
	setlocale(LC_ALL, "");
	parse_args(argc, argv, &o);
	return run(&o);
}
