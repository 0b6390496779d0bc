/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* list.c - namespace discovery for nslist: one pass over /proc, hash tables
 * keyed by (dev, ino), plus namespaces held only by nsfs mounts, open fds
 * and sockets; per-process details are read lazily, once. */
#include <dirent.h>
#include <libmount.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "list-internal.h"

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* ---- hash table ---- */

static uint64_t hmix(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);

	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

void *nsu_hmap_get(const struct nsu_hmap *h, uint64_t k1, uint64_t k2)
{
	if (!h->cap)
		return NULL;
	for (size_t i = hmix(k1, k2) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		const struct nsu_hslot *s = &h->slot[i];

		if (!s->v)
			return NULL;
		if (s->k1 == k1 && s->k2 == k2)
			return s->v;
	}
}

static int hmap_grow(struct nsu_hmap *h)
{
	size_t ncap = h->cap ? h->cap * 2 : 256;
	struct nsu_hslot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < h->cap; i++) {
		struct nsu_hslot *s = &h->slot[i];
		size_t j;

		if (!s->v)
			continue;
		for (j = hmix(s->k1, s->k2) & (ncap - 1); ns[j].v;
		     j = (j + 1) & (ncap - 1))
			;
		ns[j] = *s;
	}
	free(h->slot);
	h->slot = ns;
	h->cap = ncap;
	return 0;
}

int nsu_hmap_put(struct nsu_hmap *h, uint64_t k1, uint64_t k2, void *v)
{
	size_t i;

	if (!v)
		return -EINVAL;
	/* keep the load under 1/2 so probes stay short */
	if ((h->n + 1) * 2 > h->cap) {
		int r = hmap_grow(h);

		if (r < 0)
			return r;
	}
	for (i = hmix(k1, k2) & (h->cap - 1); h->slot[i].v;
	     i = (i + 1) & (h->cap - 1))
		if (h->slot[i].k1 == k1 && h->slot[i].k2 == k2) {
			h->slot[i].v = v;
			return 0;
		}
	h->slot[i] = (struct nsu_hslot){ k1, k2, v };
	h->n++;
	return 0;
}

void nsu_hmap_clear(struct nsu_hmap *h)
{
	free(h->slot);
	h->slot = NULL;
	h->cap = h->n = 0;
}

/* ---- helpers ---- */

int nsu_parse_ns_link(const char *s, enum nsu_nstype *type, uint64_t *ino)
{
	const char *b = strchr(s, ':');
	char name[16];
	size_t len;
	const char *e;
	int t;

	if (!b || b[1] != '[')
		return -EINVAL;
	len = (size_t)(b - s);
	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	memcpy(name, s, len);
	name[len] = '\0';
	/* pid_for_children links read "pid:[...]", but be lenient */
	t = nsu_nstype_from_name(name);
	if (t < 0)
		return -EINVAL;
	e = strchr(b + 2, ']');
	if (!e || e[1] != '\0')
		return -EINVAL;
	if (nsu_parse_u64(b + 2, (size_t)(e - b - 2), UINT64_MAX, false, ino) < 0)
		return -EINVAL;
	*type = (enum nsu_nstype)t;
	return 0;
}

static int push_str(char ***arr, size_t *n, const char *s)
{
	char **na = realloc(*arr, (*n + 1) * sizeof(char *));

	if (!na)
		return -ENOMEM;
	*arr = na;
	na[*n] = strdup(s);
	if (!na[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static struct nsu_nsent *ns_get(struct nsu_nslist *l, enum nsu_nstype type,
				uint64_t dev, uint64_t ino, int *err)
{
	struct nsu_nsent *e = nsu_hmap_get(&l->ns_map, dev, ino);

	if (e)
		return e;
	if (l->nns == l->cap_ns) {
		size_t nc = l->cap_ns ? l->cap_ns * 2 : 64;
		struct nsu_nsent **na = realloc(l->ns, nc * sizeof(*na));

		if (!na)
			goto nomem;
		l->ns = na;
		l->cap_ns = nc;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		goto nomem;
	e->type = type;
	e->dev = dev;
	e->ino = ino;
	e->netnsid = -2;
	e->fd = -1;
	if (nsu_hmap_put(&l->ns_map, dev, ino, e) < 0) {
		free(e);
		goto nomem;
	}
	l->ns[l->nns++] = e;
	return e;
nomem:
	*err = -ENOMEM;
	return NULL;
}

static void nsent_free(struct nsu_nsent *e)
{
	for (size_t i = 0; i < e->n_nsfs; i++)
		free(e->nsfs[i]);
	for (size_t i = 0; i < e->n_holders; i++)
		free(e->holders[i]);
	free(e->nsfs);
	free(e->holders);
	free(e->path);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

static void task_free(struct nsu_task *t)
{
	free(t->cmdline);
	free(t);
}

/* Record that TASK is in E; the lowest PID represents the namespace (the
 * process lsns shows), so a list filled in any order gives the same rows. */
static int ns_add_task(struct nsu_nslist *l, struct nsu_nsent *e,
		       struct nsu_task *t)
{
	char buf[96];

	e->nprocs++;
	if (e->task && e->task->pid < t->pid)
		return 0;
	e->task = t;
	if (t->tgid == t->pid)
		snprintf(buf, sizeof(buf), "%s/%d/ns/%s", l->ctx->proc_root,
			 (int)t->pid, nsu_nstype_proc_entry(e->type));
	else
		snprintf(buf, sizeof(buf), "%s/%d/task/%d/ns/%s",
			 l->ctx->proc_root, (int)t->tgid, (int)t->pid,
			 nsu_nstype_proc_entry(e->type));
	free(e->path);
	e->path = strdup(buf);
	return e->path ? 0 : -ENOMEM;
}

/* ---- the /proc scan ---- */

static int fstatfs_at(int dirfd, const char *path, struct statfs *sfs)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int r;

	if (fd < 0)
		return -errno;
	r = fstatfs(fd, sfs) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* (dev, ino) of DIRFD/ns/TYPE. readlink() costs about half a stat() on
 * these magic links and names the inode ("net:[4026531840]"); all
 * namespaces live on the one nsfs superblock, so its st_dev, learned from
 * the first real stat, completes the key. Anything unexpected (a fixture
 * tree's symlinks) takes the stat() path. 0 or -errno. */
static int ns_entry_stat(struct nsu_nslist *l, int dirfd, const char *pfx,
			 int type, struct stat *st)
{
	char path[64], buf[64];
	enum nsu_nstype t;
	uint64_t ino;
	ssize_t n;

	snprintf(path, sizeof(path), "%sns/%s", pfx, nsu_nstype_proc_entry(type));
	if (l->nsfs_dev && l->nsfs_is_real) {
		n = readlinkat(dirfd, path, buf, sizeof(buf) - 1);
		if (n < 0)
			return -errno;
		buf[n] = '\0';
		if (nsu_parse_ns_link(buf, &t, &ino) == 0 && (int)t == type) {
			st->st_dev = (dev_t)l->nsfs_dev;
			st->st_ino = (ino_t)ino;
			return 0;
		}
	}
	if (fstatat(dirfd, path, st, 0) < 0)
		return -errno;
	if (!l->nsfs_dev) {
		struct statfs sfs;

		l->nsfs_dev = st->st_dev;
		l->nsfs_is_real = fstatfs_at(dirfd, path, &sfs) == 0 &&
				  (unsigned long)sfs.f_type == NSFS_MAGIC;
	}
	return 0;
}

/* Read the namespaces of one process or thread at DIRFD (PROC/PID or
 * PROC/TGID/task/TID). Returns 1 if recorded, 0 if skipped (vanished,
 * zombie), or a negative error. A type we may not see (EACCES) is left
 * NULL: unprivileged users see only their own processes fully. */
static int scan_task(struct nsu_nslist *l, int dirfd, const char *pfx,
		     pid_t pid, pid_t tgid, const struct nsu_task *leader)
{
	struct stat nst[NSU_NS_COUNT];
	bool ok[NSU_NS_COUNT] = { false };
	bool differs = false;
	struct nsu_task *t;
	int r = 0, nok = 0, ngone = 0;

	for (int i = 0; i < NSU_NS_COUNT; i++) {
		r = ns_entry_stat(l, dirfd, pfx, i, &nst[i]);
		if (r < 0) {
			/* EACCES: not ours to see; ENOENT: a type this
			 * kernel lacks, or the process is gone (below) */
			if (gone(-r))
				ngone++;
			continue;
		}
		nok++;
		ok[i] = true;
		if (leader && (!leader->ns[i] ||
			       leader->ns[i]->ino != (uint64_t)nst[i].st_ino ||
			       leader->ns[i]->dev != (uint64_t)nst[i].st_dev))
			differs = true;
	}
	/* a zombie has no namespaces any more, a vanished process no files:
	 * either way, not a member of anything */
	if (nok == 0 && ngone > 0)
		return 0;
	/* --threads: a thread counts only where it differs from its leader */
	if (leader && !differs)
		return 0;
	r = 0;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->tgid = tgid;
	t->uid = (uid_t)-1; /* NSU_TASK_OWNER, when asked */
	if (l->ntasks == l->cap_tasks) {
		size_t nc = l->cap_tasks ? l->cap_tasks * 2 : 256;
		struct nsu_task **na = realloc(l->tasks, nc * sizeof(*na));

		if (!na) {
			free(t);
			return -ENOMEM;
		}
		l->tasks = na;
		l->cap_tasks = nc;
	}
	r = nsu_hmap_put(&l->task_map, (uint64_t)pid, 0, t);
	if (r < 0) {
		free(t);
		return r;
	}
	l->tasks[l->ntasks++] = t;
	for (int i = 0; i < NSU_NS_COUNT; i++) {
		struct nsu_nsent *e;

		if (!ok[i])
			continue;
		if (leader && leader->ns[i] &&
		    leader->ns[i]->ino == (uint64_t)nst[i].st_ino &&
		    leader->ns[i]->dev == (uint64_t)nst[i].st_dev)
			continue;
		e = ns_get(l, i, nst[i].st_dev, nst[i].st_ino, &r);
		if (!e)
			return r;
		t->ns[i] = e;
		r = ns_add_task(l, e, t);
		if (r < 0)
			return r;
	}
	if (leader) /* the rest is shared with the leader */
		for (int i = 0; i < NSU_NS_COUNT; i++)
			if (!t->ns[i])
				t->ns[i] = leader->ns[i];
	return 1;
}

static int add_holder(struct nsu_nslist *l, enum nsu_nstype type,
		      uint64_t dev, uint64_t ino, const char *holder,
		      const char *nsfs, const char *path)
{
	struct nsu_nsent *e;
	int r = 0;

	e = ns_get(l, type, dev, ino, &r);
	if (!e)
		return r;
	for (size_t i = 0; i < e->n_holders; i++)
		if (strcmp(e->holders[i], holder) == 0)
			return 0;
	r = push_str(&e->holders, &e->n_holders, holder);
	if (r == 0 && nsfs)
		r = push_str(&e->nsfs, &e->n_nsfs, nsfs);
	if (r == 0 && !e->path && path) {
		e->path = strdup(path);
		if (!e->path)
			r = -ENOMEM;
	}
	return r;
}

/* One entry NAME of PROC/PID/fd (directory FDD). 0 or -ENOMEM. */
static int scan_fd_entry(struct nsu_nslist *l, int fdd, pid_t pid,
			 const char *name, bool *sockets, int *pidfd)
{
	char link[64], holder[64], path[PATH_MAX];
	enum nsu_nstype type;
	uint64_t ino, fdno;
	struct stat fst;
	ssize_t n;
	int r = 0;

	if (nsu_parse_u64(name, strlen(name), INT32_MAX,
			  false, &fdno) < 0)
		return 0;
	/* stat() through the link first: cheaper than readlink() (no name to
	 * format), and the target's dev and mode say what it is */
	if (fstatat(fdd, name, &fst, 0) < 0)
		return 0;
	if ((uint64_t)fst.st_dev == l->nsfs_dev && l->nsfs_is_real) {
		n = readlinkat(fdd, name, link, sizeof(link) - 1);
		if (n <= 0)
			return 0;
		link[n] = '\0';
		if (nsu_parse_ns_link(link, &type, &ino) < 0 ||
		    ino != (uint64_t)fst.st_ino)
			return 0;
		snprintf(holder, sizeof(holder), "fd %d:%d", (int)pid,
			 (int)fdno);
		snprintf(path, sizeof(path), "%s/%d/fd/%d",
			 l->ctx->proc_root, (int)pid, (int)fdno);
		r = add_holder(l, type, fst.st_dev, fst.st_ino, holder,
			       NULL, path);
	} else if (*sockets && S_ISSOCK(fst.st_mode)) {
		uint64_t sino = (uint64_t)fst.st_ino;
		struct stat st;
		int sfd, nsfd, tfd;

		if (nsu_hmap_get(&l->sock_seen, sino, 0))
			return 0;
		nsu_hmap_put(&l->sock_seen, sino, 0, (void *)1);
		if (*pidfd < 0) {
			*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
			if (*pidfd < 0) {
				*sockets = false;
				return 0;
			}
		}
		tfd = (int)syscall(SYS_pidfd_getfd, *pidfd, (int)fdno, 0);
		if (tfd < 0) {
			if (errno == EPERM || errno == ENOSYS)
				*sockets = false;
			return 0;
		}
		sfd = tfd;
		nsfd = ioctl(sfd, SIOCGSKNS);
		close(sfd);
		if (nsfd < 0)
			return 0;
		/* both fds come close-on-exec from the kernel
		 * (pidfd_getfd, open_related_ns) and go at once */
		if (fstat(nsfd, &st) == 0) {
			snprintf(holder, sizeof(holder),
				 "socket %d:%d", (int)pid, (int)fdno);
			r = add_holder(l, NSU_NS_NET, st.st_dev,
				       st.st_ino, holder, NULL, NULL);
		}
		close(nsfd);
	}
	return r;
}

struct nsu_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Namespace fds and sockets in PROC/PID/fd. A socket keeps the network
 * namespace it was created in alive; SIOCGSKNS on a copy of the socket
 * (pidfd_getfd, which needs ptrace rights) tells which one. getdents64
 * directly: this runs for every process, and opendir() costs an fcntl and
 * a second getdents for nothing. */
static int scan_fds(struct nsu_nslist *l, int dirfd, const char *pfx,
		    pid_t pid, bool sockets)
{
	char fdpath[40];

	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int fdd = -1;
	char buf[8192] __attribute__((aligned(8)));
	int r = 0;

	snprintf(fdpath, sizeof(fdpath), "%sfd", pfx);
	fdd = openat(dirfd, fdpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdd < 0)
		return 0; /* gone, or not ours to look at */
	for (;;) {
		long n = syscall(SYS_getdents64, fdd, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (long off = 0; off < n && r == 0;) {
			struct nsu_dirent64 *de = (struct nsu_dirent64 *)(buf + off);

			off += de->d_reclen;
			r = scan_fd_entry(l, fdd, pid, de->d_name, &sockets, &pidfd);
		}
		/* proc fills the buffer as far as it can: room left over
		 * means the directory is done */
		if (r < 0 || n < (long)sizeof(buf) - 512)
			break;
	}
	return r;
}

/* nsfs bind mounts from the mount table of the proc root's self. */
static int scan_mounts(struct nsu_nslist *l)
{
	char path[PATH_MAX];
	struct libmnt_table *tb;
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	int r = 0;

	snprintf(path, sizeof(path), "%s/self/mountinfo", l->ctx->proc_root);
	tb = mnt_new_table_from_file(path);
	if (!tb)
		return 0; /* no mount table to read: nothing pinned that we see */
	it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it) {
		mnt_unref_table(tb);
		return -ENOMEM;
	}
	while (r == 0 && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *fstype = mnt_fs_get_fstype(fs);
		const char *root = mnt_fs_get_root(fs);
		const char *target = mnt_fs_get_target(fs);
		enum nsu_nstype type;
		uint64_t ino, dev;
		char holder[PATH_MAX + 8];
		struct stat st;

		if (!fstype || strcmp(fstype, "nsfs") != 0 || !root || !target)
			continue;
		if (nsu_parse_ns_link(root[0] == '/' ? root + 1 : root, &type,
				      &ino) < 0)
			continue;
		/* the mount point itself is the best witness of (dev, ino);
		 * the root string when we may not stat it */
		if (stat(target, &st) == 0 && (uint64_t)st.st_ino == ino)
			dev = st.st_dev;
		else
			dev = l->nsfs_dev;
		snprintf(holder, sizeof(holder), "mount %s", target);
		r = add_holder(l, type, dev, ino, holder, target, target);
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r;
}

static int cmp_task(const void *a, const void *b)
{
	const struct nsu_task *x = *(struct nsu_task * const *)a;
	const struct nsu_task *y = *(struct nsu_task * const *)b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_ns(const void *a, const void *b)
{
	const struct nsu_nsent *x = *(struct nsu_nsent * const *)a;
	const struct nsu_nsent *y = *(struct nsu_nsent * const *)b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (int)x->type - (int)y->type;
}

/* --threads: the other threads of process PID, each counted where its
 * namespaces differ from the leader's. */
static int scan_threads(struct nsu_nslist *l, int rootfd, pid_t pid,
			const struct nsu_task *leader)
{
	char path[40];
	int tfd, r = 0;
	DIR *td;
	struct dirent *te;

	snprintf(path, sizeof(path), "%d/task", (int)pid);
	tfd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0)
		return 0;
	td = fdopendir(tfd);
	if (!td) {
		close(tfd);
		return 0;
	}
	while (r >= 0 && (te = readdir(td))) {
		uint64_t tid;
		char pfx[24];

		if (nsu_parse_u64(te->d_name, strlen(te->d_name), INT32_MAX,
				  false, &tid) < 0 || (pid_t)tid == pid)
			continue;
		snprintf(pfx, sizeof(pfx), "%d/", (int)tid);
		r = scan_task(l, dirfd(td), pfx, (pid_t)tid, pid, leader);
	}
	closedir(td);
	return r < 0 ? r : 0;
}

static int scan_procs(struct nsu_nslist *l)
{
	DIR *d;
	struct dirent *de;
	bool fds = !(l->flags & NSU_LIST_NO_FDS);
	bool sockets = !(l->flags & NSU_LIST_NO_SOCKETS);
	int r = 0;

	d = opendir(l->ctx->proc_root); /* O_CLOEXEC in glibc */
	if (!d)
		return -errno;
	while (r >= 0 && (de = readdir(d))) {
		uint64_t v;
		pid_t pid;
		char pfx[24];
		struct nsu_task *leader;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    nsu_parse_u64(de->d_name, strlen(de->d_name), INT32_MAX,
				  false, &v) < 0)
			continue;
		pid = (pid_t)v;
		/* paths relative to the proc root ("PID/ns/net"): cheaper
		 * than an open and a close of every PID directory */
		snprintf(pfx, sizeof(pfx), "%d/", (int)pid);
		r = scan_task(l, dirfd(d), pfx, pid, pid, NULL);
		leader = r > 0 ? l->tasks[l->ntasks - 1] : NULL;
		if (r >= 0 && (fds || sockets))
			r = scan_fds(l, dirfd(d), pfx, pid, sockets);
		if (r >= 0 && leader && (l->flags & NSU_LIST_THREADS))
			r = scan_threads(l, dirfd(d), pid, leader);
	}
	closedir(d);
	return r < 0 ? r : 0;
}

NSU_EXPORT struct nsu_nslist *nsu_nslist_scan(struct nsu_ctx *ctx,
					      unsigned int flags)
{
	struct nsu_nslist *l;
	int r;

	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->ctx = ctx;
	l->flags = flags;
	l->rtnl_fd = -1;
	r = scan_procs(l);
	if (r == 0 && !(flags & NSU_LIST_NO_MOUNTS))
		r = scan_mounts(l);
	if (r < 0) {
		nsu_nslist_free(l);
		errno = -r;
		return NULL;
	}
	if (l->ntasks)
		qsort(l->tasks, l->ntasks, sizeof(*l->tasks), cmp_task);
	if (l->nns)
		qsort(l->ns, l->nns, sizeof(*l->ns), cmp_ns);
	return l;
}

NSU_EXPORT void nsu_nslist_free(struct nsu_nslist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->ntasks; i++)
		task_free(l->tasks[i]);
	for (size_t i = 0; i < l->nns; i++)
		nsent_free(l->ns[i]);
	free(l->tasks);
	free(l->ns);
	nsu_hmap_clear(&l->ns_map);
	nsu_hmap_clear(&l->task_map);
	nsu_hmap_clear(&l->sock_seen);
	if (l->rtnl_fd >= 0)
		close(l->rtnl_fd);
	free(l);
}

NSU_EXPORT size_t nsu_nslist_ns_count(const struct nsu_nslist *l)
{
	return l->nns;
}

NSU_EXPORT struct nsu_nsent *nsu_nslist_ns(const struct nsu_nslist *l,
					   size_t i)
{
	return i < l->nns ? l->ns[i] : NULL;
}

NSU_EXPORT struct nsu_nsent *nsu_nslist_find_ns(const struct nsu_nslist *l,
						uint64_t ino, int type)
{
	struct nsu_nsent *e;

	if (l->nsfs_dev) {
		e = nsu_hmap_get(&l->ns_map, l->nsfs_dev, ino);
		if (e && (type < 0 || (int)e->type == type))
			return e;
	}
	/* another device (nsfs seen through another mount?): linear */
	for (size_t i = 0; i < l->nns; i++)
		if (l->ns[i]->ino == ino && (type < 0 || (int)l->ns[i]->type == type))
			return l->ns[i];
	return NULL;
}

NSU_EXPORT struct nsu_nsent *nsu_nslist_find_ns_dev(const struct nsu_nslist *l,
						    uint64_t dev, uint64_t ino)
{
	return nsu_hmap_get(&l->ns_map, dev, ino);
}

NSU_EXPORT size_t nsu_nslist_task_count(const struct nsu_nslist *l)
{
	return l->ntasks;
}

NSU_EXPORT struct nsu_task *nsu_nslist_task(const struct nsu_nslist *l,
					    size_t i)
{
	return i < l->ntasks ? l->tasks[i] : NULL;
}

NSU_EXPORT struct nsu_task *nsu_nslist_find_task(const struct nsu_nslist *l,
						 pid_t pid)
{
	return nsu_hmap_get(&l->task_map, (uint64_t)pid, 0);
}

NSU_EXPORT int nsu_nslist_is_host(struct nsu_nslist *l,
				  const struct nsu_nsent *e)
{
	/* "Host" is what PID 1 of this /proc uses. Not the fixed inode
	 * numbers of the initial namespaces (Linux 6.18): a /proc mounted in
	 * a container has its own PID 1, and that is the one that counts. */
	if (!l->host_done) {
		for (int i = 0; i < NSU_NS_COUNT; i++) {
			char path[PATH_MAX];
			struct stat st;

			snprintf(path, sizeof(path), "%s/1/ns/%s",
				 l->ctx->proc_root, nsu_nstype_proc_entry(i));
			if (stat(path, &st) == 0) {
				l->host_dev[i] = st.st_dev;
				l->host_ino[i] = st.st_ino;
			} else {
				l->host_err[i] = -errno;
			}
		}
		l->host_done = true;
	}
	if (l->host_err[e->type])
		return l->host_err[e->type];
	return l->host_ino[e->type] == e->ino && l->host_dev[e->type] == e->dev;
}

/* ---- namespace entries ---- */

NSU_EXPORT enum nsu_nstype nsu_nsent_type(const struct nsu_nsent *e) { return e->type; }
NSU_EXPORT uint64_t nsu_nsent_ino(const struct nsu_nsent *e) { return e->ino; }
NSU_EXPORT uint64_t nsu_nsent_dev(const struct nsu_nsent *e) { return e->dev; }
NSU_EXPORT size_t nsu_nsent_nprocs(const struct nsu_nsent *e) { return e->nprocs; }
NSU_EXPORT struct nsu_task *nsu_nsent_task(const struct nsu_nsent *e) { return e->task; }
NSU_EXPORT const char *nsu_nsent_path(const struct nsu_nsent *e) { return e->path; }
NSU_EXPORT size_t nsu_nsent_nsfs_count(const struct nsu_nsent *e) { return e->n_nsfs; }

NSU_EXPORT const char *nsu_nsent_nsfs(const struct nsu_nsent *e, size_t i)
{
	return i < e->n_nsfs ? e->nsfs[i] : NULL;
}

NSU_EXPORT size_t nsu_nsent_holder_count(const struct nsu_nsent *e)
{
	return e->n_holders;
}

NSU_EXPORT const char *nsu_nsent_holder(const struct nsu_nsent *e, size_t i)
{
	return i < e->n_holders ? e->holders[i] : NULL;
}

NSU_EXPORT struct nsu_ns *nsu_nsent_open(struct nsu_nslist *l,
					 const struct nsu_nsent *e)
{
	struct nsu_ns *ns;

	if (!e->path && e->fd >= 0) {
		int fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 3);

		if (fd < 0)
			return NULL;
		ns = nsu_ns_from_fd(l->ctx, fd, (int)e->type);
		if (!ns) {
			int err = errno;

			close(fd);
			errno = err;
		}
		return ns;
	}
	if (!e->path) {
		errno = ENOENT;
		return NULL;
	}
	ns = nsu_ns_open_path(l->ctx, e->path, (int)e->type);
	if (!ns)
		return NULL;
	/* the path belonged to a process that may have moved on */
	if (ns->ino != e->ino || ns->dev != e->dev) {
		nsu_ns_free(ns);
		errno = NSU_EREPLACED;
		return NULL;
	}
	return ns;
}

NSU_EXPORT int nsu_nslist_add_relatives(struct nsu_nslist *l)
{
	size_t before = l->nns;

	/* l->nns grows while we go: relatives of relatives are found too */
	for (size_t i = 0; i < l->nns; i++) {
		struct nsu_nsent *e = l->ns[i];
		struct nsu_ns *ns = nsu_nsent_open(l, e);

		if (!ns)
			continue;
		for (int k = 0; k < 2; k++) {
			struct nsu_nsent *g;
			struct nsu_ns *rel;
			int r = 0;

			if (k == 0 && e->type != NSU_NS_PID && e->type != NSU_NS_USER)
				continue;
			/* EPERM: beyond our own namespaces, not ours to see */
			rel = k == 0 ? nsu_ns_parent(ns) : nsu_ns_owner(ns);
			if (!rel)
				continue;
			if (!nsu_hmap_get(&l->ns_map, rel->dev, rel->ino)) {
				g = ns_get(l, rel->type, rel->dev, rel->ino, &r);
				if (!g) {
					nsu_ns_free(rel);
					nsu_ns_free(ns);
					return r;
				}
				g->fd = nsu_steal_fd(&rel->fd);
			}
			nsu_ns_free(rel);
		}
		nsu_ns_free(ns);
	}
	if (l->nns > before)
		qsort(l->ns, l->nns, sizeof(*l->ns), cmp_ns);
	return (int)(l->nns - before);
}

static void load_rel(struct nsu_nslist *l, struct nsu_nsent *e)
{
	struct nsu_ns *ns, *o;
	uint64_t id;

	if (e->done & NSU_NSENT_REL_DONE)
		return;
	e->done |= NSU_NSENT_REL_DONE;
	ns = nsu_nsent_open(l, e);
	if (!ns) {
		e->rel_err = -errno;
		return;
	}
	if (e->type == NSU_NS_PID || e->type == NSU_NS_USER) {
		o = nsu_ns_parent(ns);
		if (o) {
			e->parent_ino = o->ino;
			nsu_ns_free(o);
		}
	}
	o = nsu_ns_owner(ns);
	if (o) {
		e->owner_ino = o->ino;
		/* who created the namespace: the owner of its user namespace
		 * (of itself, for a user namespace) */
		if (nsu_ns_owner_uid(e->type == NSU_NS_USER ? ns : o,
				     &e->owner_uid) == 0)
			e->have_owner_uid = true;
		nsu_ns_free(o);
	} else if (e->type == NSU_NS_USER &&
		   nsu_ns_owner_uid(ns, &e->owner_uid) == 0) {
		e->have_owner_uid = true;
	}
	if (nsu_ns_id(ns, &id) == 0) {
		e->nsid = id;
		e->have_nsid = true;
	}
	nsu_ns_free(ns);
}

NSU_EXPORT int nsu_nsent_parent_ino(struct nsu_nslist *l,
				    struct nsu_nsent *e, uint64_t *ino)
{
	load_rel(l, e);
	if (e->rel_err)
		return e->rel_err;
	*ino = e->parent_ino;
	return 0;
}

NSU_EXPORT int nsu_nsent_owner_ino(struct nsu_nslist *l,
				   struct nsu_nsent *e, uint64_t *ino)
{
	load_rel(l, e);
	if (e->rel_err)
		return e->rel_err;
	*ino = e->owner_ino;
	return 0;
}

NSU_EXPORT int nsu_nsent_owner_uid(struct nsu_nslist *l, struct nsu_nsent *e,
				   uid_t *uid)
{
	load_rel(l, e);
	if (e->rel_err)
		return e->rel_err;
	if (!e->have_owner_uid)
		return -ENOENT;
	*uid = e->owner_uid;
	return 0;
}

NSU_EXPORT int nsu_nsent_id(struct nsu_nslist *l, struct nsu_nsent *e,
			    uint64_t *id)
{
	load_rel(l, e);
	if (e->rel_err)
		return e->rel_err;
	if (!e->have_nsid)
		return -NSU_ENOTSUPP;
	*id = e->nsid;
	return 0;
}

/* RTM_GETNSID: the id our network namespace gave the other one. */
static int query_netnsid(struct nsu_nslist *l, int nsfd)
{
	struct {
		struct nlmsghdr n;
		struct rtgenmsg g;
		char buf[64];
	} req;
	char resp[1024];
	struct rtattr *rta;
	struct nlmsghdr *h;
	ssize_t n;

	if (l->rtnl_fd < 0) {
		l->rtnl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				    NETLINK_ROUTE);
		if (l->rtnl_fd < 0)
			return -errno;
	}
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
	req.n.nlmsg_type = RTM_GETNSID;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.rtgen_family = AF_UNSPEC;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.n.nlmsg_len));
	rta->rta_type = NETNSA_FD;
	rta->rta_len = RTA_LENGTH(sizeof(uint32_t));
	memcpy(RTA_DATA(rta), &(uint32_t){ (uint32_t)nsfd }, sizeof(uint32_t));
	req.n.nlmsg_len = NLMSG_ALIGN(req.n.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	if (send(l->rtnl_fd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(l->rtnl_fd, resp, sizeof(resp), 0);
	if (n < 0)
		return -errno;
	h = (struct nlmsghdr *)resp;
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != RTM_NEWNSID)
		return -EPROTO;
	{
		int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(struct rtgenmsg));
		struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) +
				   NLMSG_ALIGN(sizeof(struct rtgenmsg)));

		for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
			if (a->rta_type == NETNSA_NSID) {
				int32_t v;

				memcpy(&v, RTA_DATA(a), sizeof(v));
				return v < 0 ? -1 : v;
			}
	}
	return -1;
}

NSU_EXPORT int nsu_nsent_netnsid(struct nsu_nslist *l, struct nsu_nsent *e,
				 int *netnsid)
{
	struct nsu_ns *ns;
	int r;

	if (e->type != NSU_NS_NET)
		return -NSU_EWRONGTYPE;
	if (!e->netnsid_done) {
		e->netnsid_done = true;
		ns = nsu_nsent_open(l, e);
		if (!ns)
			return -errno;
		r = query_netnsid(l, ns->fd);
		nsu_ns_free(ns);
		if (r < -1)
			return r;
		e->netnsid = r;
	}
	if (e->netnsid < -1)
		return -ENOENT;
	*netnsid = e->netnsid;
	return 0;
}

/* ---- tasks ---- */

NSU_EXPORT pid_t nsu_task_pid(const struct nsu_task *t) { return t->pid; }
NSU_EXPORT pid_t nsu_task_tgid(const struct nsu_task *t) { return t->tgid; }
NSU_EXPORT uid_t nsu_task_uid(const struct nsu_task *t) { return t->uid; }

NSU_EXPORT struct nsu_nsent *nsu_task_ns(const struct nsu_task *t,
					 enum nsu_nstype type)
{
	return (int)type >= 0 && type < NSU_NS_COUNT ? t->ns[type] : NULL;
}

NSU_EXPORT int nsu_task_load(struct nsu_nslist *l, struct nsu_task *t,
			     unsigned int what)
{
	struct nsu_proc *p;
	unsigned int need = what & ~t->have;

	if (t->vanished)
		return -ESRCH;
	if (need & NSU_TASK_OWNER) {
		int r = nsu_proc_owner(l->ctx, t->pid, &t->uid);

		if (r < 0) {
			if (r == -ESRCH)
				t->vanished = true;
			return r;
		}
		t->have |= NSU_TASK_OWNER;
		need &= ~NSU_TASK_OWNER;
	}
	if (!need)
		return 0;
	p = nsu_proc_read(l->ctx, t->pid, need);
	if (!p) {
		int e = errno;

		if (e == ESRCH)
			t->vanished = true;
		return -e;
	}
	if (need & NSU_PROC_STAT) {
		t->ppid = p->ppid;
		memcpy(t->comm, p->comm, sizeof(t->comm));
	}
	if (need & NSU_PROC_STATUS) {
		t->nlevels = p->nspid_levels;
		memcpy(t->nspid, p->nspid, sizeof(t->nspid));
	}
	if (need & NSU_PROC_CMDLINE)
		t->cmdline = steal_pointer(&p->cmdline);
	t->have |= need;
	nsu_proc_free(p);
	return 0;
}

NSU_EXPORT pid_t nsu_task_ppid(const struct nsu_task *t) { return t->ppid; }
NSU_EXPORT const char *nsu_task_comm(const struct nsu_task *t) { return t->comm; }

NSU_EXPORT const char *nsu_task_cmdline(const struct nsu_task *t)
{
	return t->cmdline ? t->cmdline : "";
}

NSU_EXPORT int nsu_task_nspid(const struct nsu_task *t, const pid_t **pids)
{
	if (!(t->have & NSU_PROC_STATUS))
		return -EINVAL;
	*pids = t->nspid;
	return t->nlevels;
}
