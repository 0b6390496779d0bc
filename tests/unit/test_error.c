/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_error.c - error texts for library codes and errno values, and the
 * hints for the kernel errors of SECURITY.md rule 13. */
#include <limits.h>
#include <stdio.h>

#include "testutil.h"

START_TEST(own_codes_have_distinct_texts)
{
	for (int a = NSU_ERR_BASE + 1; a < NSU_ERR_MAX; a++) {
		const char *t = nsu_strerror(-a);

		ck_assert_ptr_nonnull(t);
		ck_assert_uint_gt(strlen(t), 5);
		ck_assert_msg(strncmp(t, "Unknown error", 13) != 0,
			      "code %d has no text", a);
		/* the sign does not matter */
		ck_assert_str_eq(nsu_strerror(a), t);
		for (int b = a + 1; b < NSU_ERR_MAX; b++)
			ck_assert_str_ne(t, nsu_strerror(-b));
	}
	ck_assert_str_eq(nsu_strerror(-NSU_ENOTNS), "not a namespace file");
	ck_assert_str_eq(nsu_strerror(-NSU_EMAPTOOMANY),
			 "more than 340 ID map lines");
}
END_TEST

START_TEST(errno_texts)
{
	static const int errs[] = { ENOENT, EPERM, ESRCH, EINVAL, ENOSPC, EBUSY };

	for (size_t i = 0; i < ARRAY_SIZE(errs); i++) {
		char expect[256];

		/* copy: strerror()'s buffer is only valid until the next call */
		snprintf(expect, sizeof(expect), "%s", strerror(errs[i]));
		ck_assert_str_eq(nsu_strerror(-errs[i]), expect);
		ck_assert_str_eq(nsu_strerror(errs[i]), expect);
	}
	ck_assert_str_eq(nsu_strerror(0), "success");
	/* the ends of the library's range are not library codes */
	ck_assert_str_ne(nsu_strerror(-NSU_ERR_BASE), nsu_strerror(-NSU_ENOTNS));
	ck_assert_ptr_nonnull(nsu_strerror(-NSU_ERR_MAX));
	ck_assert_str_ne(nsu_strerror(-NSU_ERR_MAX), nsu_strerror(-NSU_EPARSE));
	/* any int gives a text, the extremes included */
	ck_assert_ptr_nonnull(nsu_strerror(INT_MIN));
	ck_assert_ptr_nonnull(nsu_strerror(INT_MAX));
	ck_assert_ptr_null(nsu_hint(NSU_OP_OPEN, -1, INT_MIN));
}
END_TEST

/* HINT must be non-NULL and contain WORD. */
static void hint_has(enum nsu_op op, int type, int err, const char *word)
{
	const char *h = nsu_hint(op, type, err);

	ck_assert_msg(h != NULL, "no hint for op %d type %d err %d", op, type, err);
	ck_assert_msg(strstr(h, word) != NULL, "hint \"%s\" lacks \"%s\"", h, word);
	/* the same hint for err and -err */
	ck_assert_ptr_eq(nsu_hint(op, type, -err), h);
}

START_TEST(hints_rule_13)
{
	hint_has(NSU_OP_UNSHARE, NSU_NS_USER, ENOSPC, "max_user_namespaces");
	hint_has(NSU_OP_UNSHARE, NSU_NS_USER, ENOSPC, "nesting");
	hint_has(NSU_OP_WRITE_MAP, NSU_NS_USER, EPERM, "disabled");
	hint_has(NSU_OP_WRITE_MAP, NSU_NS_USER, EPERM, "restricted");
	hint_has(NSU_OP_WRITE_MAP, -1, EPERM, "setgroups");
	hint_has(NSU_OP_UNSHARE, NSU_NS_TIME, EINVAL, "time namespaces");
	/* the generic variants name no specific type */
	hint_has(NSU_OP_UNSHARE, NSU_NS_NET, ENOSPC, "max_");
	ck_assert_ptr_null(strstr(nsu_hint(NSU_OP_UNSHARE, NSU_NS_NET, ENOSPC),
				  "max_user_namespaces"));
	ck_assert_ptr_null(strstr(nsu_hint(NSU_OP_UNSHARE, NSU_NS_NET, EINVAL),
				  "time"));
}
END_TEST

START_TEST(hints_other_ops)
{
	hint_has(NSU_OP_UNSHARE, NSU_NS_USER, EPERM, "disabled");
	hint_has(NSU_OP_UNSHARE, NSU_NS_NET, EPERM, "CAP_SYS_ADMIN");
	hint_has(NSU_OP_UNSHARE, NSU_NS_USER, EUSERS, "32");
	hint_has(NSU_OP_SETNS, NSU_NS_NET, EPERM, "CAP_SYS_ADMIN");
	hint_has(NSU_OP_SETNS, NSU_NS_USER, EINVAL, "multithreaded");
	hint_has(NSU_OP_SETNS, NSU_NS_PID, EINVAL, "descendant");
	hint_has(NSU_OP_OPEN, NSU_NS_NET, NSU_ENOTNS, "stale pin");
	hint_has(NSU_OP_OPEN, NSU_NS_NET, ENOENT, "exited");
	hint_has(NSU_OP_OPEN, NSU_NS_NET, EACCES, "ptrace");
	hint_has(NSU_OP_PIN, NSU_NS_MNT, EINVAL, "older mount namespace");
	hint_has(NSU_OP_PIN, NSU_NS_NET, EINVAL, "bind mount");
	hint_has(NSU_OP_PIN, NSU_NS_NET, EEXIST, "already exists");
	hint_has(NSU_OP_UNPIN, NSU_NS_NET, EBUSY, "another mount namespace");
	hint_has(NSU_OP_UNPIN, NSU_NS_NET, EINVAL, "not a mount point");
}
END_TEST

START_TEST(no_hint_when_nothing_is_known)
{
	ck_assert_ptr_null(nsu_hint(NSU_OP_UNSHARE, NSU_NS_NET, ENOENT));
	ck_assert_ptr_null(nsu_hint(NSU_OP_UNSHARE, NSU_NS_NET, 0));
	ck_assert_ptr_null(nsu_hint(NSU_OP_SETNS, NSU_NS_NET, ENOSPC));
	ck_assert_ptr_null(nsu_hint(NSU_OP_WRITE_MAP, NSU_NS_USER, ENOSPC));
	ck_assert_ptr_null(nsu_hint(NSU_OP_OPEN, NSU_NS_NET, EIO));
	ck_assert_ptr_null(nsu_hint(NSU_OP_OPEN, NSU_NS_NET, NSU_EWRONGTYPE));
	ck_assert_ptr_null(nsu_hint(NSU_OP_PIN, NSU_NS_NET, EPERM));
	ck_assert_ptr_null(nsu_hint(NSU_OP_UNPIN, NSU_NS_NET, ENOENT));
	ck_assert_ptr_null(nsu_hint((enum nsu_op)99, NSU_NS_NET, EPERM));
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, own_codes_have_distinct_texts);
	tcase_add_test(tc, errno_texts);
	tcase_add_test(tc, hints_rule_13);
	tcase_add_test(tc, hints_other_ops);
	tcase_add_test(tc, no_hint_when_nothing_is_known);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(error_suite());
}
