/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* idmap.c - build, validate and render uid_map/gid_map contents. Every check
 * the kernel would make happens here first, before anything is forked, so a
 * bad map is a clear message instead of a half-made namespace. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>

#include "nsutil-internal.h"

#define ID_LIMIT ((uint64_t)1 << 32)

NSU_EXPORT struct nsu_idmap *nsu_idmap_new(enum nsu_idkind kind)
{
	struct nsu_idmap *m;

	if (kind != NSU_ID_USER && kind != NSU_ID_GROUP) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m)
		m->kind = kind;
	return m;
}

NSU_EXPORT void nsu_idmap_free(struct nsu_idmap *m)
{
	free(m);
}

NSU_EXPORT enum nsu_idkind nsu_idmap_kind(const struct nsu_idmap *m)
{
	return m->kind;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

NSU_EXPORT int nsu_idmap_add(struct nsu_idmap *m, uint32_t inner,
			     uint32_t outer, uint32_t count)
{
	if (count == 0)
		return -NSU_EMAPCOUNT;
	if ((uint64_t)inner + count > ID_LIMIT ||
	    (uint64_t)outer + count > ID_LIMIT)
		return -NSU_EMAPOVERFLOW;
	/* The kernel refuses overlaps on either side (map_id_range_down must
	 * be a function and invertible). */
	for (size_t i = 0; i < m->n; i++) {
		const struct nsu_idmap_line *l = &m->line[i];

		if (ranges_overlap(inner, count, l->inner, l->count) ||
		    ranges_overlap(outer, count, l->outer, l->count))
			return -NSU_EMAPOVERLAP;
	}
	if (m->n == NSU_IDMAP_MAX_LINES)
		return -NSU_EMAPTOOMANY;
	m->line[m->n++] = (struct nsu_idmap_line){ inner, outer, count };
	return 0;
}

NSU_EXPORT size_t nsu_idmap_count(const struct nsu_idmap *m)
{
	return m->n;
}

NSU_EXPORT int nsu_idmap_get(const struct nsu_idmap *m, size_t i,
			     uint32_t *inner, uint32_t *outer, uint32_t *count)
{
	if (i >= m->n)
		return -ERANGE;
	*inner = m->line[i].inner;
	*outer = m->line[i].outer;
	*count = m->line[i].count;
	return 0;
}

NSU_EXPORT bool nsu_idmap_maps_outer(const struct nsu_idmap *m, uint32_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (id >= m->line[i].outer &&
		    (uint64_t)id < (uint64_t)m->line[i].outer + m->line[i].count)
			return true;
	return false;
}

NSU_EXPORT int nsu_idmap_render(const struct nsu_idmap *m, char **text)
{
	/* "4294967295 4294967295 4294967295\n" is 33 bytes */
	size_t size = m->n * 34 + 1, off = 0;
	char *s = malloc(size);

	if (!s)
		return -ENOMEM;
	s[0] = '\0';
	for (size_t i = 0; i < m->n; i++)
		off += (size_t)snprintf(s + off, size - off, "%u %u %u\n",
					m->line[i].inner, m->line[i].outer,
					m->line[i].count);
	*text = s;
	return (int)off;
}

static int parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v;

	if (nsu_parse_u64(s, len, UINT32_MAX, false, &v) < 0)
		return -NSU_EMAPSYNTAX;
	*out = (uint32_t)v;
	return 0;
}

/* "A<sep>B<sep>C" with exactly three strict numbers. */
static int parse_triple(const char *s, char sep, uint32_t v[3])
{
	const char *p = s;

	for (int i = 0; i < 3; i++) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if ((i < 2 && !e) || (i == 2 && e))
			return -NSU_EMAPSYNTAX;
		if (parse_u32(p, len, &v[i]) < 0)
			return -NSU_EMAPSYNTAX;
		p += len + 1;
	}
	return 0;
}

int nsu_subid_parse_line(const char *line, size_t len, const char **owner,
			 size_t *owner_len, uint32_t *start, uint32_t *count)
{
	const char *c1, *c2, *end = line + len;

	c1 = memchr(line, ':', len);
	if (!c1 || c1 == line)
		return -NSU_EPARSE;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2)
		return -NSU_EPARSE;
	if (parse_u32(c1 + 1, (size_t)(c2 - c1 - 1), start) < 0 ||
	    parse_u32(c2 + 1, (size_t)(end - c2 - 1), count) < 0)
		return -NSU_EPARSE;
	*owner = line;
	*owner_len = (size_t)(c1 - line);
	return 0;
}

NSU_EXPORT int nsu_subid_lookup(const char *path, const char *name,
				uint32_t id, uint32_t *start, uint32_t *count)
{
	_cleanup_free_ char *buf = NULL;
	char idstr[16];
	const char *line, *end;
	ssize_t n;

	n = nsu_read_file_alloc_at(AT_FDCWD, path, &buf);
	if (n == -ENOENT)
		return -NSU_ENOSUBIDS;
	if (n < 0)
		return (int)n;
	snprintf(idstr, sizeof(idstr), "%u", id);
	end = buf + n;
	for (line = buf; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *owner;
		size_t olen, len;
		uint32_t s, c;

		if (!eol)
			eol = end;
		len = (size_t)(eol - line);
		/* malformed lines and comments are skipped, as shadow does */
		if (len > 0 && line[0] != '#' &&
		    nsu_subid_parse_line(line, len, &owner, &olen, &s, &c) == 0 &&
		    c > 0 && (uint64_t)s + c <= ID_LIMIT &&
		    ((name && strlen(name) == olen && memcmp(owner, name, olen) == 0) ||
		     (strlen(idstr) == olen && memcmp(owner, idstr, olen) == 0))) {
			*start = s;
			*count = c;
			return 0;
		}
		line = eol + 1;
	}
	return -NSU_ENOSUBIDS;
}

/* "all": map every id that is mapped in our own namespace onto itself. */
static int add_all(struct nsu_ctx *ctx, struct nsu_idmap *m)
{
	_cleanup_free_ char *buf = NULL;
	char path[PATH_MAX];
	const char *line, *end;
	ssize_t n;
	int r;

	snprintf(path, sizeof(path), "%s/self/%s", ctx->proc_root,
		 m->kind == NSU_ID_USER ? "uid_map" : "gid_map");
	n = nsu_read_file_alloc_at(AT_FDCWD, path, &buf);
	if (n < 0)
		return (int)n;
	end = buf + n;
	for (line = buf; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		unsigned long inner, outer, count;

		if (!eol)
			eol = end;
		if (eol > line) {
			char tmp[128];
			size_t len = (size_t)(eol - line);

			if (len >= sizeof(tmp) ||
			    (memcpy(tmp, line, len), tmp[len] = '\0',
			     sscanf(tmp, "%lu %lu %lu", &inner, &outer, &count) != 3) ||
			    count == 0 || inner >= ID_LIMIT ||
			    count > ID_LIMIT || inner + count > ID_LIMIT)
				/* (%lu reads "-1" as ULONG_MAX: bound each
				 * number before the sum can wrap) */
				return -NSU_EPARSE;
			/* Our inner ids are the child's outer ids. */
			r = nsu_idmap_add(m, (uint32_t)inner, (uint32_t)inner,
					  (uint32_t)count);
			if (r < 0)
				return r;
		}
		line = eol + 1;
	}
	return 0;
}

static int parse_spec(struct nsu_ctx *ctx, struct nsu_idmap *m,
		      const char *spec, const char *name, uint32_t id)
{
	uint32_t v[3], start, count;
	const char *subfile;
	int r;

	if (!spec || !*spec)
		return -NSU_EMAPSYNTAX;
	if (strcmp(spec, "all") == 0)
		return add_all(ctx, m);
	if (strcmp(spec, "auto") == 0 || strcmp(spec, "subids") == 0) {
		subfile = m->kind == NSU_ID_USER ?
			(ctx->subuid_path ? ctx->subuid_path : "/etc/subuid") :
			(ctx->subgid_path ? ctx->subgid_path : "/etc/subgid");
		r = nsu_subid_lookup(subfile, name, id, &start, &count);
		if (r < 0)
			return r;
		if (spec[0] == 'a') /* auto: the subordinate block at 0 */
			return nsu_idmap_add(m, 0, start, count);
		/* subids: ourselves as 0, the subordinate block from 1 */
		if (count == UINT32_MAX)
			return -NSU_EMAPOVERFLOW;
		r = nsu_idmap_add(m, 0, id, 1);
		if (r < 0)
			return r;
		return nsu_idmap_add(m, 1, start, count);
	}
	if (strchr(spec, ':')) {
		r = parse_triple(spec, ':', v); /* INNER:OUTER:COUNT */
		if (r < 0)
			return r;
		return nsu_idmap_add(m, v[0], v[1], v[2]);
	}
	if (strchr(spec, ',')) {
		r = parse_triple(spec, ',', v); /* OUTER,INNER,COUNT (2.38) */
		if (r < 0)
			return r;
		return nsu_idmap_add(m, v[1], v[0], v[2]);
	}
	return -NSU_EMAPSYNTAX;
}

NSU_EXPORT int nsu_idmap_parse_spec(struct nsu_ctx *ctx, struct nsu_idmap *m,
				    const char *spec, const char *name,
				    uint32_t id)
{
	size_t n = m->n;
	int r = parse_spec(ctx, m, spec, name, id);

	/* All or nothing: "subids" and "all" add several lines, and a later
	 * one failing must not leave the earlier ones in the map. */
	if (r < 0)
		m->n = n;
	return r;
}

NSU_EXPORT int nsu_idmap_resolve_id(enum nsu_idkind kind, const char *value,
				    uint32_t *id)
{
	char buf[16384];
	uint64_t v;

	if (!value || !*value)
		return -NSU_EMAPSYNTAX;
	if (value[0] >= '0' && value[0] <= '9') {
		/* (uid_t)-1 is "no id" to the kernel, never a real one */
		if (nsu_parse_u64(value, strlen(value), UINT32_MAX - 1, false,
				  &v) < 0)
			return -NSU_EMAPSYNTAX;
		*id = (uint32_t)v;
		return 0;
	}
	if (kind == NSU_ID_USER) {
		struct passwd pw, *res = NULL;

		if (getpwnam_r(value, &pw, buf, sizeof(buf), &res) != 0 || !res)
			return -NSU_ENOUSER;
		*id = res->pw_uid;
	} else {
		struct group gr, *res = NULL;

		if (getgrnam_r(value, &gr, buf, sizeof(buf), &res) != 0 || !res)
			return -NSU_ENOUSER;
		*id = res->gr_gid;
	}
	return 0;
}
