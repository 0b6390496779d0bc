/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_nstype.c - the namespace-type table and its name/flag/list lookups. */
#include <sched.h>
#include <stdio.h>

#include "testutil.h"

START_TEST(table_is_complete)
{
	/* every type has every field, and names/flags/letters are unique */
	for (int a = 0; a < NSU_NS_COUNT; a++) {
		ck_assert_ptr_nonnull(nsu_nstype_name(a));
		ck_assert_ptr_nonnull(nsu_nstype_long_option(a));
		ck_assert_int_ne(nsu_nstype_short_option(a), 0);
		ck_assert_int_ne(nsu_nstype_flag(a), 0);
		ck_assert_ptr_nonnull(nsu_nstype_since(a));
		for (int b = a + 1; b < NSU_NS_COUNT; b++) {
			ck_assert_str_ne(nsu_nstype_name(a), nsu_nstype_name(b));
			ck_assert_int_ne(nsu_nstype_flag(a), nsu_nstype_flag(b));
			ck_assert_int_ne(nsu_nstype_short_option(a),
					 nsu_nstype_short_option(b));
		}
	}
}
END_TEST

START_TEST(known_values)
{
	ck_assert_str_eq(nsu_nstype_name(NSU_NS_MNT), "mnt");
	ck_assert_str_eq(nsu_nstype_long_option(NSU_NS_MNT), "mount");
	ck_assert_int_eq(nsu_nstype_flag(NSU_NS_NET), CLONE_NEWNET);
	ck_assert_int_eq(nsu_nstype_flag(NSU_NS_TIME), 0x80);
	ck_assert_int_eq(nsu_nstype_short_option(NSU_NS_USER), 'U');
	ck_assert_int_eq(nsu_nstype_short_option(NSU_NS_CGROUP), 'C');
	ck_assert_str_eq(nsu_nstype_children_entry(NSU_NS_PID), "pid_for_children");
	ck_assert_str_eq(nsu_nstype_children_entry(NSU_NS_TIME), "time_for_children");
	ck_assert_ptr_null(nsu_nstype_children_entry(NSU_NS_NET));
	ck_assert_ptr_null(nsu_nstype_name(NSU_NS_COUNT));
	ck_assert_ptr_null(nsu_nstype_name((enum nsu_nstype)-1));
}
END_TEST

START_TEST(from_name_exact_only)
{
	ck_assert_int_eq(nsu_nstype_from_name("net"), NSU_NS_NET);
	ck_assert_int_eq(nsu_nstype_from_name("mount"), NSU_NS_MNT);
	ck_assert_int_eq(nsu_nstype_from_name("mnt"), NSU_NS_MNT);
	ck_assert_int_eq(nsu_nstype_from_name("ne"), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_from_name("nett"), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_from_name("NET"), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_from_name(""), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_from_name(NULL), -NSU_EBADTYPE);
}
END_TEST

START_TEST(from_flag)
{
	ck_assert_int_eq(nsu_nstype_from_flag(CLONE_NEWUSER), NSU_NS_USER);
	ck_assert_int_eq(nsu_nstype_from_flag(CLONE_NEWNS), NSU_NS_MNT);
	ck_assert_int_eq(nsu_nstype_from_flag(CLONE_NEWNS | CLONE_NEWNET),
			 -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_from_flag(0), -NSU_EBADTYPE);
}
END_TEST

START_TEST(parse_list)
{
	int mask = -1;
	size_t bad = 99;

	ck_assert_int_eq(nsu_nstype_parse_list("net,ipc,uts", &mask, NULL), 0);
	ck_assert_int_eq(mask, CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS);
	ck_assert_int_eq(nsu_nstype_parse_list("all", &mask, NULL), 0);
	ck_assert_int_eq(mask, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			 CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWUSER |
			 CLONE_NEWCGROUP | 0x80);
	mask = 7;
	ck_assert_int_eq(nsu_nstype_parse_list("net,bogus", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 4);
	ck_assert_int_eq(mask, 7); /* untouched on error */
	ck_assert_int_eq(nsu_nstype_parse_list("net,,ipc", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 4);
	ck_assert_int_eq(nsu_nstype_parse_list("", &mask, &bad), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_nstype_parse_list("net,", &mask, &bad),
			 -NSU_EBADTYPE);
}
END_TEST

START_TEST(supported_on_this_kernel)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	int mask = nsu_nstype_supported_mask(ctx);

	/* Linux 6.x has all eight; mnt/net/pid are there on any kernel we
	 * could run on. */
	ck_assert(mask & CLONE_NEWNS);
	ck_assert_int_eq(nsu_nstype_supported(ctx, NSU_NS_NET), 1);
	ck_assert_int_eq(nsu_nstype_supported(ctx, NSU_NS_COUNT), 0);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(round_trips)
{
	/* name -> type, long option -> type, flag -> type, for every row */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		ck_assert_int_eq(nsu_nstype_from_name(nsu_nstype_name(t)), t);
		ck_assert_int_eq(nsu_nstype_from_name(nsu_nstype_long_option(t)), t);
		ck_assert_int_eq(nsu_nstype_from_flag(nsu_nstype_flag(t)), t);
		ck_assert_str_eq(nsu_nstype_proc_entry(t), nsu_nstype_name(t));
	}
	ck_assert_str_eq(nsu_nstype_since(NSU_NS_TIME), "5.6");
	ck_assert_str_eq(nsu_nstype_since(NSU_NS_CGROUP), "4.6");
	ck_assert_ptr_null(nsu_nstype_since(NSU_NS_COUNT));
	ck_assert_ptr_null(nsu_nstype_long_option(NSU_NS_COUNT));
	ck_assert_int_eq(nsu_nstype_short_option(NSU_NS_COUNT), 0);
	ck_assert_int_eq(nsu_nstype_flag(NSU_NS_COUNT), 0);
	ck_assert_ptr_null(nsu_nstype_children_entry(NSU_NS_COUNT));
	ck_assert_ptr_null(nsu_nstype_proc_entry(NSU_NS_COUNT));
}
END_TEST

START_TEST(short_option_letters)
{
	/* unshare(1)/nsenter(1) letters */
	static const char letters[NSU_NS_COUNT] = {
		[NSU_NS_MNT] = 'm', [NSU_NS_UTS] = 'u', [NSU_NS_IPC] = 'i',
		[NSU_NS_NET] = 'n', [NSU_NS_PID] = 'p', [NSU_NS_USER] = 'U',
		[NSU_NS_CGROUP] = 'C', [NSU_NS_TIME] = 'T',
	};

	for (int t = 0; t < NSU_NS_COUNT; t++)
		ck_assert_int_eq(nsu_nstype_short_option(t), letters[t]);
}
END_TEST

START_TEST(from_name_rejects_near_misses)
{
	/* prefixes of long names, option letters, spaces and separators */
	static const char *const bad[] = {
		"m", "mou", "moun", "mounts", "user ", " user", "u", "U",
		"pid_for_children", "time_for_children", "all", "net,ipc",
		"cgroups", "tim", "uts\n",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(nsu_nstype_from_name(bad[i]) == -NSU_EBADTYPE,
			      "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(nsu_nstype_from_name("cgroup"), NSU_NS_CGROUP);
	ck_assert_int_eq(nsu_nstype_from_name("time"), NSU_NS_TIME);
}
END_TEST

START_TEST(parse_list_all_and_offsets)
{
	int mask = 0;
	size_t bad = 99;
	int all = 0;

	for (int t = 0; t < NSU_NS_COUNT; t++)
		all |= nsu_nstype_flag(t);
	/* "all" mixes with names, in any position, and duplicates are fine */
	ck_assert_int_eq(nsu_nstype_parse_list("net,all", &mask, NULL), 0);
	ck_assert_int_eq(mask, all);
	ck_assert_int_eq(nsu_nstype_parse_list("net,net,mount", &mask, NULL), 0);
	ck_assert_int_eq(mask, CLONE_NEWNET | CLONE_NEWNS);
	ck_assert_int_eq(nsu_nstype_parse_list("time", &mask, NULL), 0);
	ck_assert_int_eq(mask, 0x80);
	/* the offset of the first bad word */
	ck_assert_int_eq(nsu_nstype_parse_list("bogus,net", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(nsu_nstype_parse_list("net,ipc,al", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 8);
	ck_assert_int_eq(nsu_nstype_parse_list(",net", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(nsu_nstype_parse_list("net, ipc", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 4);
	ck_assert_int_eq(nsu_nstype_parse_list("alll", &mask, &bad),
			 -NSU_EBADTYPE);
	ck_assert_uint_eq(bad, 0);
	/* NULL arguments */
	ck_assert_int_eq(nsu_nstype_parse_list(NULL, &mask, &bad), -EINVAL);
	ck_assert_int_eq(nsu_nstype_parse_list("net", NULL, &bad), -EINVAL);
}
END_TEST

START_TEST(supported_mask_matches_proc)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-basic");
	int expect = 0;
	char path[64];

	/* The probe reads the kernel's own /proc/self/ns, not the injected
	 * proc root (whose fixture tree has no ns/ directory at all). */
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsu_nstype_name(t));
		if (access(path, F_OK) == 0)
			expect |= nsu_nstype_flag(t);
	}
	ck_assert_int_eq(nsu_nstype_supported_mask(ctx), expect);
	/* Linux 6.18: every type, time included */
	ck_assert_int_eq(expect, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			 CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWUSER |
			 CLONE_NEWCGROUP | 0x80);
	for (int t = 0; t < NSU_NS_COUNT; t++)
		ck_assert_int_eq(nsu_nstype_supported(ctx, t), 1);
	ck_assert_int_eq(nsu_nstype_supported(ctx, (enum nsu_nstype)-1), 0);
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *nstype_suite(void)
{
	Suite *s = suite_create("nstype");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_is_complete);
	tcase_add_test(tc, known_values);
	tcase_add_test(tc, from_name_exact_only);
	tcase_add_test(tc, from_flag);
	tcase_add_test(tc, parse_list);
	tcase_add_test(tc, supported_on_this_kernel);
	tcase_add_test(tc, round_trips);
	tcase_add_test(tc, short_option_letters);
	tcase_add_test(tc, from_name_rejects_near_misses);
	tcase_add_test(tc, parse_list_all_and_offsets);
	tcase_add_test(tc, supported_mask_matches_proc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(nstype_suite());
}
