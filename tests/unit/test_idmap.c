/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_idmap.c - building, validating and rendering uid_map/gid_map text,
 * map specs, subordinate-id files and "all" from a fixture proc root. */
#include <stdio.h>

#include "testutil.h"

/* The map rendered as kernel text (checked against EXPECT), then freed. */
static void assert_map(const struct nsu_idmap *m, const char *expect)
{
	char *text = NULL;
	int n = nsu_idmap_render(m, &text);

	ck_assert_int_ge(n, 0);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, expect);
	ck_assert_int_eq(n, (int)strlen(expect));
	free(text);
}

static struct nsu_ctx *subid_ctx(const char *proc)
{
	struct nsu_ctx *ctx = ctx_with_proc(proc);
	char *uid = strdup(fixture("subid/subuid"));
	char *gid = strdup(fixture("subid/subgid"));

	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, uid, gid), 0);
	free(uid);
	free(gid);
	return ctx;
}

START_TEST(new_and_kind)
{
	struct nsu_idmap *u = nsu_idmap_new(NSU_ID_USER);
	struct nsu_idmap *g = nsu_idmap_new(NSU_ID_GROUP);
	uint32_t a, b, c;

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(nsu_idmap_kind(u), NSU_ID_USER);
	ck_assert_int_eq(nsu_idmap_kind(g), NSU_ID_GROUP);
	ck_assert_uint_eq(nsu_idmap_count(u), 0);
	ck_assert_int_eq(nsu_idmap_get(u, 0, &a, &b, &c), -ERANGE);
	assert_map(u, "");
	errno = 0;
	ck_assert_ptr_null(nsu_idmap_new((enum nsu_idkind)2));
	ck_assert_int_eq(errno, EINVAL);
	nsu_idmap_free(u);
	nsu_idmap_free(g);
	nsu_idmap_free(NULL);
}
END_TEST

START_TEST(add_count_and_overflow)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert_int_eq(nsu_idmap_add(m, 0, 0, 0), -NSU_EMAPCOUNT);
	/* one past 2^32 on the inner side, then on the outer side */
	ck_assert_int_eq(nsu_idmap_add(m, UINT32_MAX, 0, 2), -NSU_EMAPOVERFLOW);
	ck_assert_int_eq(nsu_idmap_add(m, 0, UINT32_MAX, 2), -NSU_EMAPOVERFLOW);
	ck_assert_int_eq(nsu_idmap_add(m, 2, 0, UINT32_MAX), -NSU_EMAPOVERFLOW);
	ck_assert_int_eq(nsu_idmap_add(m, 0, 2, UINT32_MAX), -NSU_EMAPOVERFLOW);
	ck_assert_int_eq(nsu_idmap_add(m, UINT32_MAX, UINT32_MAX, UINT32_MAX),
			 -NSU_EMAPOVERFLOW);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	/* exactly up to 2^32 is fine */
	ck_assert_int_eq(nsu_idmap_add(m, UINT32_MAX, 5, 1), 0);
	ck_assert_int_eq(nsu_idmap_add(m, 7, UINT32_MAX, 1), 0);
	ck_assert_int_eq(nsu_idmap_add(m, 100, 100, UINT32_MAX - 100), 0);
	assert_map(m, "4294967295 5 1\n7 4294967295 1\n100 100 4294967195\n");
	nsu_idmap_free(m);
	m = nsu_idmap_new(NSU_ID_GROUP);
	ck_assert_int_eq(nsu_idmap_add(m, 0, 0, UINT32_MAX), 0);
	assert_map(m, "0 0 4294967295\n");
	nsu_idmap_free(m);
}
END_TEST

START_TEST(add_overlaps)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	uint32_t a, b, c;

	ck_assert_int_eq(nsu_idmap_add(m, 0, 1000, 10), 0);   /* 0-9 -> 1000-1009 */
	/* inner side: start inside, end inside, containing, equal */
	ck_assert_int_eq(nsu_idmap_add(m, 9, 5000, 1), -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_add(m, 5, 5000, 100), -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_add(m, 0, 5000, 1), -NSU_EMAPOVERLAP);
	/* outer side */
	ck_assert_int_eq(nsu_idmap_add(m, 50, 1009, 1), -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_add(m, 50, 990, 11), -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_add(m, 50, 0, 5000), -NSU_EMAPOVERLAP);
	ck_assert_uint_eq(nsu_idmap_count(m), 1);
	/* adjacent on both sides is fine */
	ck_assert_int_eq(nsu_idmap_add(m, 10, 1010, 5), 0);
	ck_assert_int_eq(nsu_idmap_add(m, 15, 990, 10), 0);
	/* the same outer id for two inner ids would not be invertible */
	ck_assert_int_eq(nsu_idmap_add(m, 100, 1012, 1), -NSU_EMAPOVERLAP);
	ck_assert_uint_eq(nsu_idmap_count(m), 3);
	ck_assert_int_eq(nsu_idmap_get(m, 2, &a, &b, &c), 0);
	ck_assert_uint_eq(a, 15);
	ck_assert_uint_eq(b, 990);
	ck_assert_uint_eq(c, 10);
	ck_assert_int_eq(nsu_idmap_get(m, 3, &a, &b, &c), -ERANGE);
	assert_map(m, "0 1000 10\n10 1010 5\n15 990 10\n");
	nsu_idmap_free(m);
}
END_TEST

START_TEST(add_too_many)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_GROUP);
	char *text = NULL;

	for (uint32_t i = 0; i < NSU_IDMAP_MAX_LINES; i++)
		ck_assert_int_eq(nsu_idmap_add(m, i * 2, 100000 + i * 2, 1), 0);
	ck_assert_uint_eq(nsu_idmap_count(m), 340);
	ck_assert_int_eq(nsu_idmap_add(m, 5000, 5000, 1), -NSU_EMAPTOOMANY);
	ck_assert_uint_eq(nsu_idmap_count(m), 340);
	/* all 340 lines render, the last one intact */
	ck_assert_int_gt(nsu_idmap_render(m, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "\n678 100678 1\n"));
	ck_assert_int_eq(text[strlen(text) - 1], '\n');
	free(text);
	nsu_idmap_free(m);
}
END_TEST

START_TEST(render_widest_lines)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	char *text = NULL;
	int n;

	/* the longest numbers the buffer must hold, on every line */
	for (uint32_t i = 0; i < NSU_IDMAP_MAX_LINES; i++)
		ck_assert_int_eq(nsu_idmap_add(m, 4000000000u + i, 4000000000u + i,
					       1), 0);
	n = nsu_idmap_render(m, &text);
	ck_assert_int_eq(n, 340 * (int)strlen("4000000000 4000000000 1\n"));
	ck_assert_uint_eq(strlen(text), (size_t)n);
	ck_assert_ptr_nonnull(strstr(text, "4000000339 4000000339 1\n"));
	free(text);
	nsu_idmap_free(m);
}
END_TEST

START_TEST(maps_outer)
{
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert(!nsu_idmap_maps_outer(m, 0));
	ck_assert_int_eq(nsu_idmap_add(m, 0, 1000, 1), 0);
	ck_assert_int_eq(nsu_idmap_add(m, 1, 100000, 65536), 0);
	ck_assert_int_eq(nsu_idmap_add(m, 70000, UINT32_MAX, 1), 0);
	ck_assert(nsu_idmap_maps_outer(m, 1000));
	ck_assert(!nsu_idmap_maps_outer(m, 999));
	ck_assert(!nsu_idmap_maps_outer(m, 1001));
	ck_assert(!nsu_idmap_maps_outer(m, 0));      /* inner ids do not count */
	ck_assert(nsu_idmap_maps_outer(m, 100000));
	ck_assert(nsu_idmap_maps_outer(m, 165535));
	ck_assert(!nsu_idmap_maps_outer(m, 165536));
	ck_assert(!nsu_idmap_maps_outer(m, 99999));
	ck_assert(nsu_idmap_maps_outer(m, UINT32_MAX));
	nsu_idmap_free(m);
}
END_TEST

START_TEST(spec_triples)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "0:1000:1", NULL, 0), 0);
	/* util-linux 2.38 order: OUTER,INNER,COUNT */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "200000,1,65536", NULL, 0), 0);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "4294967295:5:1", NULL, 0), 0);
	assert_map(m, "0 1000 1\n1 200000 65536\n4294967295 5 1\n");
	/* errors of the map itself come through the spec parser */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "0:1000:1", NULL, 0),
			 -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "1000,0,1", NULL, 0),
			 -NSU_EMAPOVERLAP);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "9:9:0", NULL, 0),
			 -NSU_EMAPCOUNT);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "4294967295:7:2", NULL, 0),
			 -NSU_EMAPOVERFLOW);
	ck_assert_uint_eq(nsu_idmap_count(m), 3);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_malformed)
{
	static const char *const bad[] = {
		"1:2", "1:2:3:4", "a:b:c", "1::3", "-1:0:1", " 1:2:3", "1:2:3 ",
		"4294967296:0:1", "0:4294967296:1", "0:0:4294967296", "1,2",
		"1,2,3,4", "1:2,3", "01:2:3", "0x1:2:3", "+1:2:3", "", ":::",
		"1;2;3", "automatic", "Auto", "all ", "sub", "1000",
	};
	struct nsu_ctx *ctx = subid_ctx(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(nsu_idmap_parse_spec(ctx, m, bad[i], "alice", 1000) ==
			      -NSU_EMAPSYNTAX, "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, NULL, "alice", 1000),
			 -NSU_EMAPSYNTAX);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

/* One "auto" lookup: the single line it adds, or the error. */
static void check_auto(enum nsu_idkind kind, const char *name, uint32_t id,
		       int err, const char *expect)
{
	struct nsu_ctx *ctx = subid_ctx(NULL);
	struct nsu_idmap *m = nsu_idmap_new(kind);
	int r = nsu_idmap_parse_spec(ctx, m, "auto", name, id);

	ck_assert_msg(r == err, "auto %s/%u: %d (%s), expected %d", name ? name : "-",
		      id, r, nsu_strerror(r), err);
	assert_map(m, expect);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}

START_TEST(spec_auto)
{
	check_auto(NSU_ID_USER, "alice", 1000, 0, "0 100000 65536\n");
	/* malformed lines and a count of 0 are skipped */
	check_auto(NSU_ID_USER, "bob", 1002, 0, "0 400000 65536\n");
	/* by numeric id when the name has no entry, or no name is given */
	check_auto(NSU_ID_USER, "nobody-here", 1001, 0, "0 300000 65536\n");
	check_auto(NSU_ID_USER, NULL, 1001, 0, "0 300000 65536\n");
	/* a range past 2^32 is skipped like a malformed line */
	check_auto(NSU_ID_USER, "dave", 1003, 0, "0 700000 1000\n");
	/* only malformed entries, a prefix of a name, a commented-out name */
	check_auto(NSU_ID_USER, "carol", 1004, -NSU_ENOSUBIDS, "");
	check_auto(NSU_ID_USER, "alic", 1005, -NSU_ENOSUBIDS, "");
	check_auto(NSU_ID_USER, "#dave", 1006, -NSU_ENOSUBIDS, "");
	check_auto(NSU_ID_USER, "", 1007, -NSU_ENOSUBIDS, "");
	/* groups read the subgid file */
	check_auto(NSU_ID_GROUP, "alice", 1000, 0, "0 200000 1000\n");
	check_auto(NSU_ID_GROUP, NULL, 1001, 0, "0 310000 10\n");
	check_auto(NSU_ID_GROUP, "bob", 1002, -NSU_ENOSUBIDS, "");
}
END_TEST

START_TEST(spec_subids)
{
	struct nsu_ctx *ctx = subid_ctx(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	char *big = strdup(fixture("subid/subuid-big"));

	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "alice", 1000), 0);
	assert_map(m, "0 1000 1\n1 100000 65536\n");
	nsu_idmap_free(m);
	m = nsu_idmap_new(NSU_ID_GROUP);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "alice", 1000), 0);
	assert_map(m, "0 1000 1\n1 200000 1000\n");
	nsu_idmap_free(m);
	/* a subordinate count of 2^32-1 cannot start at 1 */
	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, big, NULL), 0);
	m = nsu_idmap_new(NSU_ID_USER);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "big", 5),
			 -NSU_EMAPOVERFLOW);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "auto", "big", 5), 0);
	assert_map(m, "0 1 4294967295\n");
	nsu_idmap_free(m);
	free(big);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_subids_failure_leaves_map_unchanged)
{
	struct nsu_ctx *ctx = subid_ctx(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	/* our own id 100005 lies inside our subordinate range: the second
	 * line overlaps the first, and the spec must add nothing at all */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "alice", 100005),
			 -NSU_EMAPOVERLAP);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	assert_map(m, "");
	/* a clash with an existing line on the second range only */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "70000:100500:1", NULL, 0), 0);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "alice", 1000),
			 -NSU_EMAPOVERLAP);
	assert_map(m, "70000 100500 1\n");
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_missing_subid_file)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	char *missing = strdup(fixture("subid/no-such-file"));

	ck_assert_int_eq(nsu_ctx_set_subid_files(ctx, missing, missing), 0);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "auto", "alice", 1000),
			 -NSU_ENOSUBIDS);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "subids", "alice", 1000),
			 -NSU_ENOSUBIDS);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	free(missing);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_all)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-nested");
	struct nsu_idmap *u = nsu_idmap_new(NSU_ID_USER);
	struct nsu_idmap *g = nsu_idmap_new(NSU_ID_GROUP);

	/* our inner ids, mapped onto themselves; the kernel's padding is
	 * not part of the numbers */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, u, "all", NULL, 0), 0);
	assert_map(u, "0 0 65536\n65536 65536 1\n");
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, g, "all", NULL, 0), 0);
	assert_map(g, "0 0 65536\n");
	nsu_idmap_free(u);
	nsu_idmap_free(g);
	nsu_ctx_free(ctx);

	ctx = ctx_with_proc("proc-basic");
	u = nsu_idmap_new(NSU_ID_USER);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, u, "all", NULL, 0), 0);
	assert_map(u, "0 0 4294967295\n");
	nsu_idmap_free(u);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_all_errors)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-bad");
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);

	/* a malformed second line: nothing is added */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), -NSU_EPARSE);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	nsu_idmap_free(m);
	/* a count of 0 */
	m = nsu_idmap_new(NSU_ID_GROUP);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), -NSU_EPARSE);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
	/* sscanf("%lu") takes "-1" as 2^64-1: a negative id or count is a
	 * parse error, not a wrapped-around range */
	ctx = ctx_with_proc("proc-negative");
	m = nsu_idmap_new(NSU_ID_USER);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), -NSU_EPARSE);
	ck_assert_uint_eq(nsu_idmap_count(m), 0);
	nsu_idmap_free(m);
	m = nsu_idmap_new(NSU_ID_GROUP);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), -NSU_EPARSE);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
	/* no self/uid_map at all */
	ctx = ctx_with_proc("subid");
	m = nsu_idmap_new(NSU_ID_USER);
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), -ENOENT);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(spec_all_real_proc)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	char *text = NULL;
	uint32_t in, out, cnt;

	/* whatever our namespace maps, "all" maps it onto itself */
	ck_assert_int_eq(nsu_idmap_parse_spec(ctx, m, "all", NULL, 0), 0);
	ck_assert_uint_ge(nsu_idmap_count(m), 1);
	for (size_t i = 0; i < nsu_idmap_count(m); i++) {
		ck_assert_int_eq(nsu_idmap_get(m, i, &in, &out, &cnt), 0);
		ck_assert_uint_eq(in, out);
	}
	ck_assert(nsu_idmap_maps_outer(m, getuid()));
	ck_assert_int_gt(nsu_idmap_render(m, &text), 0);
	free(text);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(resolve_id)
{
	uint32_t id = 77;

	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "0", &id), 0);
	ck_assert_uint_eq(id, 0);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "4294967294", &id), 0);
	ck_assert_uint_eq(id, 4294967294u);
	id = 77;
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "root", &id), 0);
	ck_assert_uint_eq(id, 0);
	id = 77;
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_GROUP, "root", &id), 0);
	ck_assert_uint_eq(id, 0);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "nobody", &id), 0);
	ck_assert_uint_eq(id, 65534);
	id = 77;
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "nosuchuser", &id),
			 -NSU_ENOUSER);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_GROUP, "nosuchgroup", &id),
			 -NSU_ENOUSER);
	/* (uid_t)-1 is never an id; numbers are strict */
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "4294967295", &id),
			 -NSU_EMAPSYNTAX);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "12abc", &id),
			 -NSU_EMAPSYNTAX);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "007", &id),
			 -NSU_EMAPSYNTAX);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, "", &id),
			 -NSU_EMAPSYNTAX);
	ck_assert_int_eq(nsu_idmap_resolve_id(NSU_ID_USER, NULL, &id),
			 -NSU_EMAPSYNTAX);
	ck_assert_uint_eq(id, 77);
}
END_TEST

START_TEST(subid_lookup)
{
	const char *f;
	char *path;
	uint32_t start = 1, count = 2;

	path = strdup(fixture("subid/subuid"));
	ck_assert_int_eq(nsu_subid_lookup(path, "alice", 1, &start, &count), 0);
	ck_assert_uint_eq(start, 100000);
	ck_assert_uint_eq(count, 65536);
	/* the first matching line wins, by name or id */
	ck_assert_int_eq(nsu_subid_lookup(path, "bob", 1001, &start, &count), 0);
	ck_assert_uint_eq(start, 300000);
	ck_assert_int_eq(nsu_subid_lookup(path, NULL, 1001, &start, &count), 0);
	ck_assert_uint_eq(start, 300000);
	ck_assert_uint_eq(count, 65536);
	start = count = 9;
	ck_assert_int_eq(nsu_subid_lookup(path, "alicea", 0, &start, &count), 0);
	ck_assert_uint_eq(start, 800000);
	ck_assert_uint_eq(count, 5);
	start = count = 9;
	ck_assert_int_eq(nsu_subid_lookup(path, "zed", 1, &start, &count),
			 -NSU_ENOSUBIDS);
	ck_assert_uint_eq(start, 9);
	free(path);
	f = fixture("subid/none");
	ck_assert_int_eq(nsu_subid_lookup(f, "alice", 1, &start, &count),
			 -NSU_ENOSUBIDS);
	/* a directory is an error of its own, not "no entry" */
	f = fixture("subid");
	ck_assert_int_eq(nsu_subid_lookup(f, "alice", 1, &start, &count), -EISDIR);
}
END_TEST

START_TEST(subid_parse_line)
{
	const char *owner;
	size_t olen;
	uint32_t s, c;
	const char *l = "alice:100000:65536";

	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c), 0);
	ck_assert_uint_eq(olen, 5);
	ck_assert_int_eq(memcmp(owner, "alice", 5), 0);
	ck_assert_uint_eq(s, 100000);
	ck_assert_uint_eq(c, 65536);
	l = ":1:2";
	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c),
			 -NSU_EPARSE);
	l = "a:1";
	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c),
			 -NSU_EPARSE);
	l = "a:1:2:3";
	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c),
			 -NSU_EPARSE);
	l = "a:1: 2";
	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c),
			 -NSU_EPARSE);
	l = "a:4294967296:2";
	ck_assert_int_eq(nsu_subid_parse_line(l, strlen(l), &owner, &olen, &s, &c),
			 -NSU_EPARSE);
}
END_TEST

static Suite *idmap_suite(void)
{
	Suite *s = suite_create("idmap");
	TCase *map = tcase_create("map");
	TCase *spec = tcase_create("spec");

	tcase_add_test(map, new_and_kind);
	tcase_add_test(map, add_count_and_overflow);
	tcase_add_test(map, add_overlaps);
	tcase_add_test(map, add_too_many);
	tcase_add_test(map, render_widest_lines);
	tcase_add_test(map, maps_outer);
	suite_add_tcase(s, map);
	tcase_add_test(spec, spec_triples);
	tcase_add_test(spec, spec_malformed);
	tcase_add_test(spec, spec_auto);
	tcase_add_test(spec, spec_subids);
	tcase_add_test(spec, spec_subids_failure_leaves_map_unchanged);
	tcase_add_test(spec, spec_missing_subid_file);
	tcase_add_test(spec, spec_all);
	tcase_add_test(spec, spec_all_errors);
	tcase_add_test(spec, spec_all_real_proc);
	tcase_add_test(spec, resolve_id);
	tcase_add_test(spec, subid_lookup);
	tcase_add_test(spec, subid_parse_line);
	suite_add_tcase(s, spec);
	return s;
}

int main(void)
{
	return run_suite(idmap_suite());
}
