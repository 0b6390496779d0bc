/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc.c - /proc/PID/{stat,status,cmdline} parsing and a fast PID iterator
 * that tolerates processes vanishing mid-scan. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "nsutil-internal.h"

/* Parse "PID (COMM) S PPID ...". COMM may hold spaces and ')' itself, so
 * it ends at the *last* ')' of the line. */
int nsu_parse_stat(const char *buf, size_t len, struct nsu_proc *p)
{
	const char *open, *close_paren = NULL, *end = buf + len, *q;
	size_t clen;
	uint64_t v;

	open = memchr(buf, '(', len);
	if (!open)
		return -NSU_EPARSE;
	for (q = end; q > open; q--)
		if (q[-1] == ')') {
			close_paren = q - 1;
			break;
		}
	if (!close_paren)
		return -NSU_EPARSE;
	clen = (size_t)(close_paren - open - 1);
	if (clen >= sizeof(p->comm))
		clen = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, clen);
	p->comm[clen] = '\0';

	/* ") S PPID " */
	q = close_paren + 1;
	if (end - q < 4 || q[0] != ' ' || q[2] != ' ')
		return -NSU_EPARSE;
	p->state = q[1];
	q += 3;
	{
		const char *e = q;

		while (e < end && *e >= '0' && *e <= '9')
			e++;
		if (e == q || (e < end && *e != ' ' && *e != '\n'))
			return -NSU_EPARSE;
		if (nsu_parse_u64(q, (size_t)(e - q), INT32_MAX, true, &v) < 0)
			return -NSU_EPARSE;
	}
	p->ppid = (pid_t)v;
	p->have |= NSU_PROC_STAT;
	return 0;
}

/* Parse the numbers after "Key:" up to the end of the line into OUT. */
static int parse_id_list(const char *s, const char *eol, pid_t *out, int max)
{
	int n = 0;

	for (;;) {
		const char *e;
		uint64_t v;

		while (s < eol && (*s == '\t' || *s == ' '))
			s++;
		if (s == eol)
			break;
		e = s;
		while (e < eol && *e >= '0' && *e <= '9')
			e++;
		if (e == s || n == max)
			return -NSU_EPARSE;
		if (nsu_parse_u64(s, (size_t)(e - s), UINT32_MAX, true, &v) < 0)
			return -NSU_EPARSE;
		out[n++] = (pid_t)v;
		s = e;
	}
	return n;
}

int nsu_parse_status(const char *buf, size_t len, struct nsu_proc *p)
{
	const char *line = buf, *end = buf + len;
	bool got_uid = false, got_gid = false;
	pid_t tmp[NSU_MAX_NSPID_LEVELS];

	p->nspid_levels = 0;
	p->nstgid_levels = 0;
	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		int n;

		if (!eol)
			eol = end;
#define KEY(k) ((size_t)(eol - line) >= sizeof(k) - 1 && memcmp(line, k, sizeof(k) - 1) == 0)
		if (KEY("Uid:")) {
			n = parse_id_list(line + 4, eol, tmp, 4);
			if (n < 1)
				return -NSU_EPARSE;
			p->uid = (uid_t)tmp[0];
			got_uid = true;
		} else if (KEY("Gid:")) {
			n = parse_id_list(line + 4, eol, tmp, 4);
			if (n < 1)
				return -NSU_EPARSE;
			p->gid = (gid_t)tmp[0];
			got_gid = true;
		} else if (KEY("NSpid:")) {
			n = parse_id_list(line + 6, eol, p->nspid,
					  NSU_MAX_NSPID_LEVELS);
			if (n < 1)
				return -NSU_EPARSE;
			p->nspid_levels = n;
		} else if (KEY("NStgid:")) {
			n = parse_id_list(line + 7, eol, p->nstgid,
					  NSU_MAX_NSPID_LEVELS);
			if (n < 1)
				return -NSU_EPARSE;
			p->nstgid_levels = n;
		}
#undef KEY
		line = eol + 1;
	}
	if (!got_uid || !got_gid)
		return -NSU_EPARSE;
	/* Kernels before 4.1 have no NSpid: one level, the PID itself. */
	if (p->nspid_levels == 0) {
		p->nspid[0] = p->pid;
		p->nspid_levels = 1;
	}
	if (p->nstgid_levels == 0) {
		p->nstgid[0] = p->pid;
		p->nstgid_levels = 1;
	}
	p->have |= NSU_PROC_STATUS;
	return 0;
}

char *nsu_cmdline_join(const char *buf, size_t len)
{
	char *s;

	/* drop the trailing NUL(s) */
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < len; i++)
		s[i] = buf[i] == '\0' ? ' ' : buf[i];
	s[len] = '\0';
	return s;
}

static int proc_path(const struct nsu_ctx *ctx, pid_t pid, const char *file,
		     char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%d/%s", ctx->proc_root, (int)pid, file);

	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

/* A read that failed because the process went away says ESRCH. */
static int vanished(int r)
{
	return (r == -ENOENT || r == -ESRCH) ? -ESRCH : r;
}

NSU_EXPORT struct nsu_proc *nsu_proc_read(struct nsu_ctx *ctx, pid_t pid,
					  unsigned int what)
{
	char path[PATH_MAX], buf[4096];
	struct nsu_proc *p;
	ssize_t n;
	int r = 0;

	if (pid <= 0) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	if (what & NSU_PROC_STAT) {
		r = proc_path(ctx, pid, "stat", path, sizeof(path));
		if (r == 0) {
			n = nsu_read_file_at(AT_FDCWD, path, buf, sizeof(buf));
			r = n < 0 ? vanished((int)n) :
				nsu_parse_stat(buf, (size_t)n, p);
		}
		if (r < 0)
			goto fail;
	}
	if (what & NSU_PROC_STATUS) {
		r = proc_path(ctx, pid, "status", path, sizeof(path));
		if (r == 0) {
			_cleanup_free_ char *big = NULL;

			n = nsu_read_file_alloc_at(AT_FDCWD, path, &big);
			r = n < 0 ? vanished((int)n) :
				nsu_parse_status(big, (size_t)n, p);
		}
		if (r < 0)
			goto fail;
	}
	if (what & NSU_PROC_CMDLINE) {
		r = proc_path(ctx, pid, "cmdline", path, sizeof(path));
		if (r == 0) {
			_cleanup_free_ char *big = NULL;

			n = nsu_read_file_alloc_at(AT_FDCWD, path, &big);
			if (n < 0) {
				r = vanished((int)n);
			} else {
				p->cmdline = nsu_cmdline_join(big, (size_t)n);
				r = p->cmdline ? 0 : -ENOMEM;
			}
		}
		if (r < 0)
			goto fail;
		p->have |= NSU_PROC_CMDLINE;
	}
	return p;
fail:
	nsu_proc_free(p);
	errno = -r;
	return NULL;
}

NSU_EXPORT void nsu_proc_free(struct nsu_proc *p)
{
	if (!p)
		return;
	free(p->cmdline);
	free(p);
}

NSU_EXPORT pid_t nsu_proc_pid(const struct nsu_proc *p) { return p->pid; }
NSU_EXPORT pid_t nsu_proc_ppid(const struct nsu_proc *p) { return p->ppid; }
NSU_EXPORT char nsu_proc_state(const struct nsu_proc *p) { return p->state; }
NSU_EXPORT const char *nsu_proc_comm(const struct nsu_proc *p) { return p->comm; }
NSU_EXPORT uid_t nsu_proc_uid(const struct nsu_proc *p) { return p->uid; }
NSU_EXPORT gid_t nsu_proc_gid(const struct nsu_proc *p) { return p->gid; }

NSU_EXPORT const char *nsu_proc_cmdline(const struct nsu_proc *p)
{
	return p->cmdline ? p->cmdline : "";
}

NSU_EXPORT int nsu_proc_nspid(const struct nsu_proc *p, const pid_t **pids)
{
	if (!(p->have & NSU_PROC_STATUS))
		return -EINVAL;
	*pids = p->nspid;
	return p->nspid_levels;
}

NSU_EXPORT int nsu_proc_nstgid(const struct nsu_proc *p, const pid_t **pids)
{
	if (!(p->have & NSU_PROC_STATUS))
		return -EINVAL;
	*pids = p->nstgid;
	return p->nstgid_levels;
}

NSU_EXPORT int nsu_proc_owner(struct nsu_ctx *ctx, pid_t pid, uid_t *uid)
{
	char path[PATH_MAX];
	struct stat st;
	int r;

	r = proc_path(ctx, pid, "", path, sizeof(path));
	if (r < 0)
		return r;
	if (stat(path, &st) < 0)
		return vanished(-errno);
	*uid = st.st_uid;
	return 0;
}

/* ---- iterator ---- */

struct nsu_proc_iter {
	struct nsu_ctx *ctx;
	unsigned int flags;
	DIR *dir;      /* PROC_ROOT */
	DIR *task;     /* PROC_ROOT/TGID/task while listing threads */
	pid_t tgid;
};

NSU_EXPORT struct nsu_proc_iter *nsu_proc_iter_new(struct nsu_ctx *ctx,
						   unsigned int flags)
{
	struct nsu_proc_iter *it = calloc(1, sizeof(*it));

	if (!it)
		return NULL;
	it->ctx = ctx;
	it->flags = flags;
	/* opendir() uses O_CLOEXEC in glibc. */
	it->dir = opendir(ctx->proc_root);
	if (!it->dir) {
		int e = errno;

		free(it);
		errno = e;
		return NULL;
	}
	return it;
}

static int name_to_pid(const char *name, pid_t *pid)
{
	uint64_t v;

	if (nsu_parse_u64(name, strlen(name), INT32_MAX, false, &v) < 0 ||
	    v == 0)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

NSU_EXPORT int nsu_proc_iter_next(struct nsu_proc_iter *it, pid_t *pid,
				  pid_t *tgid)
{
	struct dirent *d;
	pid_t v;

	for (;;) {
		if (it->task) {
			errno = 0;
			d = readdir(it->task);
			if (d) {
				if (name_to_pid(d->d_name, &v) < 0)
					continue;
				*pid = v;
				if (tgid)
					*tgid = it->tgid;
				return 1;
			}
			closedir(it->task);
			it->task = NULL;
		}
		errno = 0;
		d = readdir(it->dir);
		if (!d)
			return errno ? -errno : 0;
		if (name_to_pid(d->d_name, &v) < 0)
			continue;
		if (it->flags & NSU_ITER_THREADS) {
			char path[64];
			int fd;

			snprintf(path, sizeof(path), "%d/task", (int)v);
			fd = openat(dirfd(it->dir), path,
				    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				continue; /* vanished */
			it->task = fdopendir(fd);
			if (!it->task) {
				close(fd);
				continue;
			}
			it->tgid = v;
			continue;
		}
		*pid = v;
		if (tgid)
			*tgid = v;
		return 1;
	}
}

NSU_EXPORT void nsu_proc_iter_free(struct nsu_proc_iter *it)
{
	if (!it)
		return;
	if (it->task)
		closedir(it->task);
	if (it->dir)
		closedir(it->dir);
	free(it);
}
