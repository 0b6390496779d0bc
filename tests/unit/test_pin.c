/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_pin.c - the read side of the pin registry: names, missing pins,
 * stale (unmounted) pin files, and a real bind-mounted pin made inside a
 * child's private mount namespace. */
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "config.h"
#include "testutil.h"

START_TEST(name_valid)
{
	static const char *const bad[] = {
		"", ".", "..", "a/b", "/", "a/", "a\nb", "a\tb", "\x01", "x\x7f",
		"web\r",
	};
	static const char *const good[] = {
		"web-1", "a", "...", ".hidden", "a..b", "caf\xc3\xa9", "with space",
		"UPPER_lower.123",
	};
	char name[300];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(nsu_pin_name_valid(bad[i]) == -EINVAL,
			      "bad name %zu accepted", i);
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		ck_assert_msg(nsu_pin_name_valid(good[i]) == 0, "\"%s\" refused",
			      good[i]);
	ck_assert_int_eq(nsu_pin_name_valid(NULL), -EINVAL);
	/* NAME_MAX bytes is the limit */
	memset(name, 'n', sizeof(name));
	name[255] = '\0';
	ck_assert_int_eq(nsu_pin_name_valid(name), 0);
	name[255] = 'n';
	name[256] = '\0';
	ck_assert_int_eq(nsu_pin_name_valid(name), -EINVAL);
}
END_TEST

START_TEST(default_dir)
{
	ck_assert_str_eq(nsu_pin_default_dir(), NSU_PIN_DIR);
	ck_assert_int_eq(nsu_pin_default_dir()[0], '/');
}
END_TEST

START_TEST(open_missing_and_stale)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	char *dir = make_tmpdir();
	int mask = -1;

	/* no such name, no such type under an existing name */
	errno = 0;
	ck_assert_ptr_null(nsu_pin_open(ctx, dir, "web", NSU_NS_NET));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(nsu_pin_types(ctx, dir, "web", &mask), -ENOENT);
	ck_assert_int_eq(mask, -1);
	write_file(dir, "web/uts", "", 0);
	errno = 0;
	ck_assert_ptr_null(nsu_pin_open(ctx, dir, "web", NSU_NS_NET));
	ck_assert_int_eq(errno, ENOENT);
	/* the pin file is there but nothing is mounted on it (stale) */
	errno = 0;
	ck_assert_ptr_null(nsu_pin_open(ctx, dir, "web", NSU_NS_UTS));
	ck_assert_int_eq(errno, NSU_ENOTNS);
	ck_assert_int_eq(nsu_pin_types(ctx, dir, "web", &mask), 0);
	ck_assert_int_eq(mask, 0);
	/* invalid names and types never reach the file system */
	errno = 0;
	ck_assert_ptr_null(nsu_pin_open(ctx, dir, "../web", NSU_NS_UTS));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(nsu_pin_open(ctx, dir, "web", NSU_NS_COUNT));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(nsu_pin_types(ctx, dir, "..", &mask), -EINVAL);
	ck_assert_int_eq(nsu_pin_types(ctx, dir, "", &mask), -EINVAL);
	remove_tree(dir);
	free(dir);
	nsu_ctx_free(ctx);
}
END_TEST

/* In a child with a private mount namespace: bind our net and uts
 * namespaces onto DIR/box/{net,uts} and read them back as pins. */
static int pinned_check(void *arg)
{
	const char *dir = arg;
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_ns *pin, *self;
	char path[4096];
	int mask = 0;

	CHILD_CHECK(ctx != NULL);
	CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
	CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	snprintf(path, sizeof(path), "%s/box/net", dir);
	CHILD_CHECK(mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) == 0);
	snprintf(path, sizeof(path), "%s/box/uts", dir);
	CHILD_CHECK(mount("/proc/self/ns/uts", path, NULL, MS_BIND, NULL) == 0);

	pin = nsu_pin_open(ctx, dir, "box", NSU_NS_NET);
	CHILD_CHECK(pin != NULL);
	self = nsu_ns_open_pid(ctx, getpid(), NSU_NS_NET, 0);
	CHILD_CHECK(self != NULL);
	CHILD_CHECK(nsu_ns_equal(pin, self));
	CHILD_CHECK(nsu_ns_type(pin) == NSU_NS_NET);
	nsu_ns_free(pin);
	nsu_ns_free(self);
	/* the uts pin is not a net namespace */
	errno = 0;
	snprintf(path, sizeof(path), "%s/box/net", dir);
	CHILD_CHECK(nsu_ns_open_path(ctx, path, NSU_NS_UTS) == NULL &&
		    errno == NSU_EWRONGTYPE);
	/* mounted pins count, the stale ipc file does not */
	CHILD_CHECK(nsu_pin_types(ctx, dir, "box", &mask) == 0);
	CHILD_CHECK(mask == (CLONE_NEWNET | CLONE_NEWUTS));
	nsu_ctx_free(ctx);
	return 0;
}

START_TEST(open_mounted_pin)
{
	char *dir = make_tmpdir();

	write_file(dir, "box/net", "", 0);
	write_file(dir, "box/uts", "", 0);
	write_file(dir, "box/ipc", "", 0);
	ck_assert_child_ok(run_in_child(pinned_check, dir));
	/* the mounts died with the child's mount namespace */
	remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *pin_suite(void)
{
	Suite *s = suite_create("pin");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, name_valid);
	tcase_add_test(tc, default_dir);
	tcase_add_test(tc, open_missing_and_stale);
	tcase_add_test(tc, open_mounted_pin);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(pin_suite());
}
