/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* testutil.c - fixture paths and a common main() body for the unit suites. */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

const char *fixture(const char *rel)
{
	static char buf[4096];
	const char *dir = getenv("NSU_FIXTURES");

	ck_assert_msg(dir != NULL, "NSU_FIXTURES is not set");
	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

struct nsu_ctx *ctx_with_proc(const char *rel)
{
	struct nsu_ctx *ctx = nsu_ctx_new();

	ck_assert_ptr_nonnull(ctx);
	if (rel)
		ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, fixture(rel)), 0);
	return ctx;
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
