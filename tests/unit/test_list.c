/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_list.c - namespace discovery on a fixture /proc tree: membership,
 * counts, lowest PIDs, vanished and zombie processes, nsfs mounts, lazy
 * per-process reads, odd command names, the hash table and the escaper. */
#include <stdio.h>
#include <sys/stat.h>

#include "list-internal.h"
#include "testutil.h"

static struct nsu_nslist *scan_fixture(struct nsu_ctx **ctx)
{
	struct nsu_nslist *l;

	*ctx = ctx_with_proc("nslist/proc");
	l = nsu_nslist_scan(*ctx, 0);
	ck_assert_ptr_nonnull(l);
	return l;
}

static uint64_t ino_of(const char *nsdata)
{
	char rel[256];
	struct stat st;

	snprintf(rel, sizeof(rel), "nslist/proc/nsdata/%s", nsdata);
	ck_assert_int_eq(stat(fixture(rel), &st), 0);
	return (uint64_t)st.st_ino;
}

START_TEST(tasks_found_vanished_skipped)
{
	struct nsu_ctx *ctx;
	struct nsu_nslist *l = scan_fixture(&ctx);
	static const pid_t want[] = { 1, 2, 100, 101, 102, 200, 201, 300 };

	ck_assert_uint_eq(nsu_nslist_task_count(l), ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		/* sorted by PID */
		ck_assert_int_eq(nsu_task_pid(nsu_nslist_task(l, i)), want[i]);
		ck_assert_ptr_nonnull(nsu_nslist_find_task(l, want[i]));
	}
	/* an empty directory (vanished) and a zombie (no ns) are no members */
	ck_assert_ptr_null(nsu_nslist_find_task(l, 400));
	ck_assert_ptr_null(nsu_nslist_find_task(l, 401));
	ck_assert_ptr_null(nsu_nslist_find_task(l, 123));
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(namespaces_counted_once)
{
	struct nsu_ctx *ctx;
	struct nsu_nslist *l = scan_fixture(&ctx);
	struct nsu_nsent *net0, *net1, *pid0, *pid3;

	net0 = nsu_nslist_find_ns(l, ino_of("net0"), NSU_NS_NET);
	net1 = nsu_nslist_find_ns(l, ino_of("net1"), NSU_NS_NET);
	pid0 = nsu_nslist_find_ns(l, ino_of("pid0"), -1);
	pid3 = nsu_nslist_find_ns(l, ino_of("pid3"), NSU_NS_PID);
	ck_assert_ptr_nonnull(net0);
	ck_assert_ptr_nonnull(net1);
	ck_assert_ptr_nonnull(pid0);
	ck_assert_ptr_nonnull(pid3);
	ck_assert_uint_eq(nsu_nsent_nprocs(net0), 7);
	ck_assert_uint_eq(nsu_nsent_nprocs(net1), 1);
	ck_assert_uint_eq(nsu_nsent_nprocs(pid0), 4);
	ck_assert_uint_eq(nsu_nsent_nprocs(pid3), 2);
	/* the lowest PID represents the namespace, whatever the scan order */
	ck_assert_int_eq(nsu_task_pid(nsu_nsent_task(net1)), 102);
	ck_assert_int_eq(nsu_task_pid(nsu_nsent_task(pid3)), 200);
	ck_assert_int_eq(nsu_task_pid(nsu_nsent_task(pid0)), 1);
	ck_assert_ptr_nonnull(strstr(nsu_nsent_path(pid3), "/nslist/proc/200/ns/pid"));
	ck_assert_int_eq(nsu_nsent_type(pid0), NSU_NS_PID);
	/* a type in the wrong table is not found */
	ck_assert_ptr_null(nsu_nslist_find_ns(l, ino_of("net1"), NSU_NS_PID));
	/* membership from the task side */
	ck_assert_ptr_eq(nsu_task_ns(nsu_nslist_find_task(l, 102), NSU_NS_NET), net1);
	/* sorted by inode */
	for (size_t i = 1; i < nsu_nslist_ns_count(l); i++)
		ck_assert_uint_le(nsu_nsent_ino(nsu_nslist_ns(l, i - 1)),
				  nsu_nsent_ino(nsu_nslist_ns(l, i)));
	/* every one of the 12 fixture namespaces, plus the two mounted ones */
	ck_assert_uint_eq(nsu_nslist_ns_count(l), 12 - 0 + 2);
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(nsfs_mounts_are_persistent)
{
	struct nsu_ctx *ctx;
	struct nsu_nslist *l = scan_fixture(&ctx);
	struct nsu_nsent *e = nsu_nslist_find_ns(l, 4026599999ULL, -1);

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(nsu_nsent_type(e), NSU_NS_NET);
	ck_assert_uint_eq(nsu_nsent_nprocs(e), 0);
	ck_assert_ptr_null(nsu_nsent_task(e));
	ck_assert_uint_eq(nsu_nsent_nsfs_count(e), 1);
	ck_assert_str_eq(nsu_nsent_nsfs(e, 0), "/run/netns/pinned");
	ck_assert_ptr_null(nsu_nsent_nsfs(e, 1));
	ck_assert_uint_eq(nsu_nsent_holder_count(e), 1);
	ck_assert_str_eq(nsu_nsent_holder(e, 0), "mount /run/netns/pinned");
	ck_assert_str_eq(nsu_nsent_path(e), "/run/netns/pinned");
	e = nsu_nslist_find_ns(l, 4026599998ULL, -1);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(nsu_nsent_type(e), NSU_NS_MNT);
	nsu_nslist_free(l);
	/* and none when asked not to look */
	l = nsu_nslist_scan(ctx, NSU_LIST_NO_MOUNTS);
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_null(nsu_nslist_find_ns(l, 4026599999ULL, -1));
	ck_assert_uint_eq(nsu_nslist_ns_count(l), 12);
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(lazy_reads_and_odd_names)
{
	struct nsu_ctx *ctx;
	struct nsu_nslist *l = scan_fixture(&ctx);
	struct nsu_task *t = nsu_nslist_find_task(l, 300);
	const pid_t *chain;
	char *esc;

	ck_assert_ptr_nonnull(t);
	/* nothing read yet */
	ck_assert_int_eq(nsu_task_nspid(t, &chain), -EINVAL);
	ck_assert_int_eq(nsu_task_load(l, t, NSU_PROC_STAT | NSU_PROC_CMDLINE), 0);
	ck_assert_str_eq(nsu_task_comm(t), "a) b (c");
	ck_assert_int_eq(nsu_task_ppid(t), 1);
	ck_assert_str_eq(nsu_task_cmdline(t), "evil\033[31m \377x");
	esc = nsu_escape_string(nsu_task_cmdline(t), strlen(nsu_task_cmdline(t)));
	ck_assert_str_eq(esc, "evil\\x1b[31m \\xffx");
	free(esc);
	t = nsu_nslist_find_task(l, 102);
	ck_assert_int_eq(nsu_task_load(l, t, NSU_PROC_STATUS), 0);
	ck_assert_int_eq(nsu_task_nspid(t, &chain), 3);
	ck_assert_int_eq(chain[0], 102);
	ck_assert_int_eq(chain[1], 2);
	ck_assert_int_eq(chain[2], 1);
	/* the owner is read only when asked */
	ck_assert_uint_eq(nsu_task_uid(t), (uid_t)-1);
	ck_assert_int_eq(nsu_task_load(l, t, NSU_TASK_OWNER), 0);
	{
		struct stat st;

		ck_assert_int_eq(stat(fixture("nslist/proc/102"), &st), 0);
		ck_assert_uint_eq(nsu_task_uid(t), st.st_uid);
	}
	/* a kernel thread has an empty command line */
	t = nsu_nslist_find_task(l, 2);
	ck_assert_int_eq(nsu_task_load(l, t, NSU_PROC_CMDLINE), 0);
	ck_assert_str_eq(nsu_task_cmdline(t), "");
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(host_is_pid1s)
{
	struct nsu_ctx *ctx;
	struct nsu_nslist *l = scan_fixture(&ctx);

	ck_assert_int_eq(nsu_nslist_is_host(l, nsu_nslist_find_ns(l, ino_of("pid0"), -1)), 1);
	ck_assert_int_eq(nsu_nslist_is_host(l, nsu_nslist_find_ns(l, ino_of("pid1"), -1)), 0);
	ck_assert_int_eq(nsu_nslist_is_host(l, nsu_nslist_find_ns(l, ino_of("net1"), -1)), 0);
	ck_assert_int_eq(nsu_nslist_is_host(l, nsu_nslist_find_ns(l, ino_of("net0"), -1)), 1);
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(missing_proc_root)
{
	struct nsu_ctx *ctx = ctx_with_proc("nslist/does-not-exist");

	ck_assert_ptr_null(nsu_nslist_scan(ctx, 0));
	ck_assert_int_eq(errno, ENOENT);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(real_proc_has_self)
{
	/* the real /proc: our own namespaces are there, each counted */
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_nslist *l = nsu_nslist_scan(ctx, NSU_LIST_THREADS);
	struct nsu_task *self;
	struct stat st;

	ck_assert_ptr_nonnull(l);
	self = nsu_nslist_find_task(l, getpid());
	ck_assert_ptr_nonnull(self);
	ck_assert_int_eq(stat("/proc/self/ns/net", &st), 0);
	ck_assert_ptr_nonnull(nsu_task_ns(self, NSU_NS_NET));
	ck_assert_uint_eq(nsu_nsent_ino(nsu_task_ns(self, NSU_NS_NET)), st.st_ino);
	ck_assert_uint_ge(nsu_nsent_nprocs(nsu_task_ns(self, NSU_NS_NET)), 1);
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(real_proc_relatives)
{
	/* relatives found by ioctl can be opened and are what they claim */
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_nslist *l = nsu_nslist_scan(ctx, 0);
	size_t before;
	int added;

	ck_assert_ptr_nonnull(l);
	before = nsu_nslist_ns_count(l);
	added = nsu_nslist_add_relatives(l);
	ck_assert_int_ge(added, 0);
	ck_assert_uint_eq(nsu_nslist_ns_count(l), before + (size_t)added);
	/* a second call finds nothing new */
	ck_assert_int_eq(nsu_nslist_add_relatives(l), 0);
	for (size_t i = 0; i < nsu_nslist_ns_count(l); i++) {
		struct nsu_nsent *e = nsu_nslist_ns(l, i);
		struct nsu_ns *ns;

		if (i)
			ck_assert_uint_le(nsu_nsent_ino(nsu_nslist_ns(l, i - 1)),
					  nsu_nsent_ino(e));
		/* only the ones found by ioctl (no process, path or holder) */
		if (nsu_nsent_nprocs(e) || nsu_nsent_path(e) ||
		    nsu_nsent_holder_count(e))
			continue;
		ns = nsu_nsent_open(l, e);
		ck_assert_ptr_nonnull(ns);
		ck_assert_uint_eq(nsu_ns_ino(ns), nsu_nsent_ino(e));
		ck_assert_int_eq(nsu_ns_type(ns), nsu_nsent_type(e));
		nsu_ns_free(ns);
	}
	nsu_nslist_free(l);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(ns_links)
{
	enum nsu_nstype t;
	uint64_t ino;

	ck_assert_int_eq(nsu_parse_ns_link("net:[4026531840]", &t, &ino), 0);
	ck_assert_int_eq(t, NSU_NS_NET);
	ck_assert_uint_eq(ino, 4026531840ULL);
	ck_assert_int_eq(nsu_parse_ns_link("time:[1]", &t, &ino), 0);
	ck_assert_int_eq(t, NSU_NS_TIME);
	ck_assert_int_eq(nsu_parse_ns_link("socket:[123]", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("net:[12", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("net:[12]x", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("net:[]", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("net:[-1]", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("ne:[1]", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("/dev/null", &t, &ino), -EINVAL);
	ck_assert_int_eq(nsu_parse_ns_link("", &t, &ino), -EINVAL);
}
END_TEST

START_TEST(hash_table)
{
	struct nsu_hmap h = { 0 };
	static int vals[20000];

	for (int i = 0; i < 20000; i++)
		ck_assert_int_eq(nsu_hmap_put(&h, 4, 4026531840ULL + (uint64_t)i * 7, &vals[i]), 0);
	ck_assert_uint_eq(h.n, 20000);
	for (int i = 0; i < 20000; i++)
		ck_assert_ptr_eq(nsu_hmap_get(&h, 4, 4026531840ULL + (uint64_t)i * 7), &vals[i]);
	/* same ino, other dev: another key */
	ck_assert_ptr_null(nsu_hmap_get(&h, 5, 4026531840ULL));
	ck_assert_ptr_null(nsu_hmap_get(&h, 4, 4026531841ULL));
	/* replacing keeps the count */
	ck_assert_int_eq(nsu_hmap_put(&h, 4, 4026531840ULL, &vals[1]), 0);
	ck_assert_uint_eq(h.n, 20000);
	ck_assert_ptr_eq(nsu_hmap_get(&h, 4, 4026531840ULL), &vals[1]);
	ck_assert_int_eq(nsu_hmap_put(&h, 1, 1, NULL), -EINVAL);
	nsu_hmap_clear(&h);
	ck_assert_ptr_null(nsu_hmap_get(&h, 4, 4026531840ULL));
}
END_TEST

static void check_esc(const char *in, size_t len, const char *want)
{
	char *got = nsu_escape_string(in, len);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(escaper)
{
	check_esc("plain text", 10, "plain text");
	check_esc("", 0, "");
	check_esc("a\tb\nc", 5, "a\\x09b\\x0ac");
	check_esc("\x1b[2J", 4, "\\x1b[2J");
	check_esc("del\x7f", 4, "del\\x7f");
	check_esc("back\\slash", 10, "back\\x5cslash");
	/* valid UTF-8 stays */
	check_esc("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", 14,
		  "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
	/* C1 control U+009B (CSI) is escaped byte by byte */
	check_esc("\xc2\x9b" "1m", 4, "\\xc2\\x9b1m");
	/* invalid: lone continuation, truncated, overlong, surrogate,
	 * beyond U+10FFFF */
	check_esc("\x80", 1, "\\x80");
	check_esc("a\xe2\x9c", 3, "a\\xe2\\x9c");
	check_esc("\xc0\xaf", 2, "\\xc0\\xaf");
	check_esc("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	check_esc("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");
	check_esc("\xff", 1, "\\xff");
	/* embedded NUL within LEN */
	check_esc("a\0b", 3, "a\\x00b");
	ck_assert_ptr_null(nsu_escape_string(NULL, 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tasks_found_vanished_skipped);
	tcase_add_test(tc, namespaces_counted_once);
	tcase_add_test(tc, nsfs_mounts_are_persistent);
	tcase_add_test(tc, lazy_reads_and_odd_names);
	tcase_add_test(tc, host_is_pid1s);
	tcase_add_test(tc, missing_proc_root);
	tcase_add_test(tc, real_proc_has_self);
	tcase_add_test(tc, real_proc_relatives);
	tcase_add_test(tc, ns_links);
	tcase_add_test(tc, hash_table);
	tcase_add_test(tc, escaper);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
