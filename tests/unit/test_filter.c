/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_filter.c - the -Q expression parser and evaluator: syntax errors
 * with positions, precedence, numbers versus strings, regex, missing
 * values, whole-word keywords. */
#include <strings.h>

#include "testutil.h"

struct kv {
	const char *k, *v;
};

static const char *get(void *data, const char *column)
{
	for (const struct kv *p = data; p->k; p++)
		if (strcasecmp(p->k, column) == 0)
			return p->v;
	return NULL;
}

static const struct kv row[] = {
	{ "NS", "4026531840" },
	{ "TYPE", "net" },
	{ "NPROCS", "10" },
	{ "USER", "root" },
	{ "COMMAND", "sleep 1000" },
	{ "EMPTY", "" },
	{ "ZERO", "0" },
	{ "andy", "9" },
	{ "NULLCOL", NULL },
	{ NULL, NULL },
};

static int eval(const char *expr)
{
	size_t pos = 0;
	const char *msg = NULL;
	struct nsu_filter *f = nsu_filter_parse(expr, &pos, &msg);
	int r;

	ck_assert_msg(f != NULL, "'%s': %s at %zu", expr, msg ? msg : "?", pos);
	r = nsu_filter_eval(f, get, (void *)row);
	nsu_filter_free(f);
	return r;
}

static void bad(const char *expr, size_t want_pos)
{
	size_t pos = 9999;
	const char *msg = NULL;

	errno = 0;
	ck_assert_msg(nsu_filter_parse(expr, &pos, &msg) == NULL, "'%s' parsed", expr);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(pos == want_pos, "'%s': error at %zu, expected %zu (%s)",
		      expr, pos, want_pos, msg);
}

START_TEST(comparisons)
{
	ck_assert_int_eq(eval("TYPE == \"net\""), 1);
	ck_assert_int_eq(eval("TYPE == 'net'"), 1);
	ck_assert_int_eq(eval("type eq \"net\""), 1);
	ck_assert_int_eq(eval("TYPE != \"net\""), 0);
	ck_assert_int_eq(eval("NPROCS > 9"), 1);
	/* numbers as numbers: "10" > "9" although "10" < "9" as strings */
	ck_assert_int_eq(eval("NPROCS > andy"), 1);
	ck_assert_int_eq(eval("NPROCS >= 10 && NPROCS <= 10"), 1);
	ck_assert_int_eq(eval("NPROCS < 10"), 0);
	ck_assert_int_eq(eval("NPROCS lt 11"), 1);
	ck_assert_int_eq(eval("NPROCS == 10.0"), 1);
	ck_assert_int_eq(eval("NS == 4026531840"), 1);
	ck_assert_int_eq(eval("NS > -1"), 1);
	/* strings as strings */
	ck_assert_int_eq(eval("USER < \"rooz\""), 1);
	ck_assert_int_eq(eval("USER > \"roo\""), 1);
	ck_assert_int_eq(eval("\"root\" == USER"), 1);
}
END_TEST

START_TEST(logic_and_precedence)
{
	ck_assert_int_eq(eval("TYPE == \"net\" and USER == \"root\""), 1);
	ck_assert_int_eq(eval("TYPE == \"mnt\" or USER == \"root\""), 1);
	/* and binds tighter than or */
	ck_assert_int_eq(eval("TYPE == \"net\" or TYPE == \"mnt\" and USER == \"x\""), 1);
	ck_assert_int_eq(eval("(TYPE == \"net\" or TYPE == \"mnt\") and USER == \"x\""), 0);
	ck_assert_int_eq(eval("not TYPE == \"mnt\""), 1);
	ck_assert_int_eq(eval("!(TYPE == \"net\")"), 0);
	ck_assert_int_eq(eval("not not TYPE == \"net\""), 1);
	ck_assert_int_eq(eval("NOT (NPROCS > 1 AND USER != \"root\")"), 1);
	ck_assert_int_eq(eval("TYPE == \"x\" || NPROCS == 10"), 1);
}
END_TEST

START_TEST(regex)
{
	ck_assert_int_eq(eval("COMMAND =~ \"^sleep [0-9]+$\""), 1);
	ck_assert_int_eq(eval("COMMAND =~ \"100\""), 1);
	ck_assert_int_eq(eval("COMMAND =~ \"^100\""), 0);
	ck_assert_int_eq(eval("COMMAND !~ \"^sleep\""), 0);
	ck_assert_int_eq(eval("TYPE =~ \"^(mnt|net)$\""), 1);
	/* no value never matches */
	ck_assert_int_eq(eval("NULLCOL =~ \".*\""), 0);
	ck_assert_int_eq(eval("NULLCOL !~ \"x\""), 1);
}
END_TEST

START_TEST(bare_and_missing_values)
{
	ck_assert_int_eq(eval("USER"), 1);
	ck_assert_int_eq(eval("EMPTY"), 0);
	ck_assert_int_eq(eval("ZERO"), 0);
	ck_assert_int_eq(eval("NULLCOL"), 0);
	ck_assert_int_eq(eval("NULLCOL == \"\""), 1);
	ck_assert_int_eq(eval("NULLCOL != \"x\""), 1);
	ck_assert_int_eq(eval("NULLCOL < 5"), 0);
	ck_assert_int_eq(eval("NULLCOL > 5"), 0);
	ck_assert_int_eq(eval("UNKNOWN == 1"), 0);
}
END_TEST

START_TEST(whole_words)
{
	/* "andy" is a column, not "and" followed by "y" */
	ck_assert_int_eq(eval("andy == 9"), 1);
	ck_assert_int_eq(eval("andy == 9 and andy"), 1);
	bad("andy == 9 an NS", 10);
}
END_TEST

START_TEST(syntax_errors)
{
	bad("", 0);
	bad("   ", 3);
	bad("NS ==", 5);
	bad("(NS == 1", 8);
	bad("NS == 1)", 7);
	bad("NS == 1 NS", 8);
	bad("NS == 1 and", 11);
	bad("NS = 1", 3);
	bad("NS == 'abc", 6);
	bad("NS =~ 5", 6);
	bad("NS =~ \"(\"", 6);
	bad("NS & 1", 3);
	bad("== 1", 0);
	bad("NS == 1x", 6);
	bad("not", 3);
	ck_assert_ptr_null(nsu_filter_parse(NULL, NULL, NULL));
}
END_TEST

START_TEST(columns_listed_once)
{
	struct nsu_filter *f = nsu_filter_parse(
		"NS == 1 and ns > 2 or TYPE =~ \"x\" or \"NS\" == USER", NULL, NULL);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(nsu_filter_column_count(f), 3);
	ck_assert_str_eq(nsu_filter_column(f, 0), "NS");
	ck_assert_str_eq(nsu_filter_column(f, 1), "TYPE");
	ck_assert_str_eq(nsu_filter_column(f, 2), "USER");
	ck_assert_ptr_null(nsu_filter_column(f, 3));
	ck_assert_int_eq(nsu_filter_eval(f, NULL, NULL), -EINVAL);
	nsu_filter_free(f);
}
END_TEST

START_TEST(escapes_in_strings)
{
	ck_assert_int_eq(eval("\"a\\\"b\" == 'a\"b'"), 1);
	ck_assert_int_eq(eval("'it\\'s' != \"its\""), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, comparisons);
	tcase_add_test(tc, logic_and_precedence);
	tcase_add_test(tc, regex);
	tcase_add_test(tc, bare_and_missing_values);
	tcase_add_test(tc, whole_words);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, columns_listed_once);
	tcase_add_test(tc, escapes_in_strings);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
