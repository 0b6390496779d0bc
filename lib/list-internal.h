/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* list-internal.h - the structures behind nsu_nslist: one /proc scan kept in
 * hash tables keyed by (dev, ino) and by PID. */
#ifndef NSU_LIST_INTERNAL_H
#define NSU_LIST_INTERNAL_H

#include "nsutil-internal.h"

/* A small open-addressing hash table with two 64-bit keys. */
struct nsu_hslot {
	uint64_t k1, k2;
	void *v; /* NULL: empty slot */
};
struct nsu_hmap {
	size_t cap, n; /* cap is a power of two */
	struct nsu_hslot *slot;
};
void *nsu_hmap_get(const struct nsu_hmap *h, uint64_t k1, uint64_t k2);
int nsu_hmap_put(struct nsu_hmap *h, uint64_t k1, uint64_t k2, void *v);
void nsu_hmap_clear(struct nsu_hmap *h);

struct nsu_task {
	pid_t pid;       /* in the proc root's PID namespace */
	pid_t tgid;      /* == pid for a process, the leader for a thread */
	uid_t uid;       /* owner of PROC/PID (the effective uid) */
	unsigned int have;  /* NSU_PROC_* parts loaded */
	bool vanished;      /* a lazy read found it gone */
	pid_t ppid;
	char comm[64];
	char *cmdline;
	int nlevels;
	pid_t nspid[NSU_MAX_NSPID_LEVELS];
	struct nsu_nsent *ns[NSU_NS_COUNT]; /* NULL: unknown (no access) */
};

/* Lazily computed facts about a namespace (they need an open fd). */
#define NSU_NSENT_REL_DONE 0x1

struct nsu_nsent {
	enum nsu_nstype type;
	uint64_t dev, ino;
	size_t nprocs;
	struct nsu_task *task;  /* lowest PID in it, or NULL */
	char *path;             /* a file that opens it */
	int fd;                 /* or an open fd (found by ioctl), -1 */
	char **nsfs;            /* nsfs mount points */
	size_t n_nsfs;
	char **holders;         /* "mount PATH", "fd PID:N", "socket PID:N" */
	size_t n_holders;
	unsigned int done;
	int rel_err;
	uint64_t parent_ino, owner_ino, nsid;
	bool have_nsid, have_owner_uid;
	uid_t owner_uid;
	int netnsid;            /* -1 unassigned, -2 unknown */
	bool netnsid_done;
};

struct nsu_nslist {
	struct nsu_ctx *ctx;
	unsigned int flags;
	struct nsu_task **tasks;  /* sorted by PID */
	size_t ntasks, cap_tasks;
	struct nsu_nsent **ns;    /* sorted by inode, then type */
	size_t nns, cap_ns;
	struct nsu_hmap ns_map;   /* (dev, ino) -> nsent */
	struct nsu_hmap task_map; /* (pid, 0) -> task */
	struct nsu_hmap sock_seen;/* (socket ino, 0) -> marker */
	uint64_t nsfs_dev;        /* st_dev of nsfs, 0 until seen */
	bool nsfs_is_real;        /* ... and it is nsfs (not a fixture) */
	bool host_done;
	uint64_t host_dev[NSU_NS_COUNT], host_ino[NSU_NS_COUNT];
	int host_err[NSU_NS_COUNT]; /* PID 1 not readable (no ptrace access) */
	int rtnl_fd;              /* NETLINK_ROUTE socket for NETNSID, -1 */
};

/* Parse "net:[4026531840]" (an nsfs link or mount root). 0 or -EINVAL. */
int nsu_parse_ns_link(const char *s, enum nsu_nstype *type, uint64_t *ino);

#endif
