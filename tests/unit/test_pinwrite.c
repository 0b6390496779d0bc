/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_pinwrite.c - the pin write side: status, validation, symlink-free
 * resolution, and (as root, in a private mount namespace) add, rollback,
 * explicit files, busy removal and listing. */
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"
#include "pin-internal.h"

static char tmp[PATH_MAX];

/* Under the suite's temporary directory, which run_suite() removes even
 * when a test failed. */
static void make_tmp(void)
{
	char *d = make_tmpdir();

	ck_assert_ptr_nonnull(d);
	snprintf(tmp, sizeof(tmp), "%s", d);
	free(d);
}

static void rm_tmp(void)
{
	remove_tree(tmp);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(status_defaults)
{
	struct nsu_pin_status *st = nsu_pin_status_new();
	uint64_t a, b;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_OK);
	ck_assert_int_eq(nsu_pin_status_error(st), 0);
	ck_assert_int_eq(nsu_pin_status_type(st), -1);
	ck_assert_ptr_null(nsu_pin_status_path(st));
	ck_assert_ptr_null(nsu_pin_status_holders(st));
	ck_assert_ptr_null(nsu_pin_status_elsewhere(st));
	ck_assert_int_eq(nsu_pin_status_mntns_ids(st, &a, &b), -ENOENT);
	nsu_pin_status_free(st);
}
END_TEST

START_TEST(status_keeps_first_failure)
{
	struct nsu_pin_status *st = nsu_pin_status_new();

	ck_assert_int_eq(nsu_pin_fail(st, NSU_PIN_ERR_BIND, -EINVAL, NSU_NS_NET,
				      "/r/x", "net"), -EINVAL);
	/* a later failure (e.g. during rollback) must not hide the cause */
	ck_assert_int_eq(nsu_pin_fail(st, NSU_PIN_ERR_REMOVE, -EBUSY, -1,
				      "/other", NULL), -EBUSY);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_BIND);
	ck_assert_int_eq(nsu_pin_status_error(st), -EINVAL);
	ck_assert_int_eq(nsu_pin_status_type(st), NSU_NS_NET);
	ck_assert_str_eq(nsu_pin_status_path(st), "/r/x/net");
	nsu_pin_status_free(st);
	/* NULL status is allowed everywhere */
	ck_assert_int_eq(nsu_pin_fail(NULL, NSU_PIN_ERR_BIND, -EIO, -1, NULL, NULL),
			 -EIO);
}
END_TEST

START_TEST(add_validates_before_touching_anything)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	char reg[PATH_MAX + 8];

	make_tmp();
	snprintf(reg, sizeof(reg), "%s/reg", tmp);
	ck_assert_int_eq(nsu_pin_add_new(ctx, reg, ".mnt", CLONE_NEWNET, st),
			 -EINVAL);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_NAME);
	nsu_pin_status_free(st);

	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_add_pidfd(ctx, reg, "a/b", CLONE_NEWNET, -1, 0, st),
			 -EINVAL);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_NAME);
	nsu_pin_status_free(st);

	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_add_new(ctx, reg, "ok", 0, st), -NSU_EBADTYPE);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_SOURCE);
	nsu_pin_status_free(st);

	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_add_new(ctx, reg, "ok", CLONE_NEWNET | 0x1, st),
			 -NSU_EBADTYPE);
	nsu_pin_status_free(st);
	/* nothing was created for any of them */
	ck_assert_int_eq(access(reg, F_OK), -1);
	rm_tmp();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_dir_refuses_symlinks)
{
	char real[PATH_MAX + 8], link[PATH_MAX + 8], via[PATH_MAX + 16];
	int fd;

	make_tmp();
	snprintf(real, sizeof(real), "%s/real", tmp);
	snprintf(link, sizeof(link), "%s/link", tmp);
	snprintf(via, sizeof(via), "%s/link/sub", tmp);
	ck_assert_int_eq(mkdir(real, 0755), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	fd = nsu_open_dir_nofollow(AT_FDCWD, real);
	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	ck_assert_int_eq(nsu_open_dir_nofollow(AT_FDCWD, link), -ELOOP);
	ck_assert_int_eq(nsu_open_dir_nofollow(AT_FDCWD, via), -ELOOP);
	ck_assert_int_eq(nsu_open_dir_nofollow(AT_FDCWD, ""), -ENOENT);
	rm_tmp();
}
END_TEST

START_TEST(remove_refuses_plain_file)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	char path[PATH_MAX + 8];
	struct stat s;

	make_tmp();
	snprintf(path, sizeof(path), "%s/plain", tmp);
	put_file(path, "keep\n");
	ck_assert_int_eq(nsu_pin_remove(ctx, NULL, path, st), -NSU_ENOTNS);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_NOTPIN);
	ck_assert_str_eq(nsu_pin_status_path(st), path);
	ck_assert_int_eq(stat(path, &s), 0);
	ck_assert_int_eq(s.st_size, 5);
	nsu_pin_status_free(st);

	st = nsu_pin_status_new();
	snprintf(path, sizeof(path), "%s/missing", tmp);
	ck_assert_int_eq(nsu_pin_remove(ctx, NULL, path, st), -ENOENT);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_NOENT);
	nsu_pin_status_free(st);
	rm_tmp();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(iter_skips_unopenable_nsfs_lines)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_iter *it;
	char dir[PATH_MAX + 16], file[PATH_MAX + 32];

	make_tmp();
	snprintf(dir, sizeof(dir), "%s/self", tmp);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/mountinfo", dir);
	/* an nsfs mount whose path does not exist (any more) and a tmpfs */
	put_file(file,
		   "20 1 0:4 net:[4026531840] /nonexistent/nspin-test/net rw - nsfs nsfs rw\n"
		   "21 1 0:30 / /run rw,nosuid - tmpfs tmpfs rw\n");
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, tmp), 0);
	it = nsu_pin_iter_new(ctx, "/nonexistent/nspin-test");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(nsu_pin_iter_next(it), 0);
	nsu_pin_iter_free(it);
	rm_tmp();
	nsu_ctx_free(ctx);
}
END_TEST

/* ---- as root, in a private mount namespace of the forked test ---- */

static char reg[PATH_MAX + 8];

static void root_setup(void)
{
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	make_tmp();
	ck_assert_int_eq(mount("nsu-test", tmp, "tmpfs", 0, "mode=0755"), 0);
	snprintf(reg, sizeof(reg), "%s/reg", tmp);
}

/* The mounts die with the test's mount namespace; the directory would
 * stay behind in the real /tmp. */
static void root_teardown(void)
{
	ck_assert_int_eq(umount2(tmp, MNT_DETACH), 0);
	ck_assert_int_eq(rmdir(tmp), 0);
}

static int count_mounts(void)
{
	char buf[65536];
	ssize_t n = nsu_read_file_at(AT_FDCWD, "/proc/self/mountinfo", buf,
				     sizeof(buf));
	int lines = 0;

	ck_assert_int_gt(n, 0);
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

START_TEST(add_new_open_list_remove)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	struct nsu_ns *net, *self;
	struct nsu_pin_iter *it;
	char path[PATH_MAX + 16];
	int mask = 0, n = 0;

	root_setup();
	ck_assert_int_eq(nsu_pin_add_new(ctx, reg, "a", CLONE_NEWNET |
					 CLONE_NEWUTS | CLONE_NEWPID, st), 0);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_OK);
	ck_assert_int_eq(nsu_pin_types(ctx, reg, "a", &mask), 0);
	ck_assert_int_eq(mask, CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWPID);
	net = nsu_pin_open(ctx, reg, "a", NSU_NS_NET);
	self = nsu_ns_open_pid(ctx, getpid(), NSU_NS_NET, 0);
	ck_assert_ptr_nonnull(net);
	ck_assert_ptr_nonnull(self);
	ck_assert(!nsu_ns_equal(net, self));
	nsu_ns_free(self);

	it = nsu_pin_iter_new(ctx, reg);
	ck_assert_ptr_nonnull(it);
	while (nsu_pin_iter_next(it) == 1) {
		ck_assert_ptr_nonnull(nsu_pin_iter_name(it));
		ck_assert_str_eq(nsu_pin_iter_name(it), "a");
		ck_assert_int_gt(nsu_pin_iter_ctime(it), 0);
		if (nsu_ns_type(nsu_pin_iter_ns(it)) == NSU_NS_NET)
			ck_assert(nsu_ns_equal(nsu_pin_iter_ns(it), net));
		n++;
	}
	nsu_pin_iter_free(it);
	ck_assert_int_eq(n, 3);
	nsu_ns_free(net);

	/* the .init record names our minimal init */
	snprintf(path, sizeof(path), "%s/a/%s", reg, NSU_PIN_INIT_FILE);
	ck_assert_int_eq(access(path, F_OK), 0);

	ck_assert_int_eq(nsu_pin_remove(ctx, reg, "a", st), 0);
	snprintf(path, sizeof(path), "%s/a", reg);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_ptr_null(nsu_pin_open(ctx, reg, "a", NSU_NS_NET));
	nsu_pin_status_free(st);
	root_teardown();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(failed_mnt_pin_rolls_back)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	char path[PATH_MAX + 16];
	uint64_t self_id, ns_id;
	int pidfd, before;

	root_setup();
	/* set the registry up first, so its two mounts are not counted */
	ck_assert_int_eq(nsu_pin_add_new(ctx, reg, "x", CLONE_NEWUTS, NULL), 0);
	ck_assert_int_eq(nsu_pin_remove(ctx, reg, "x", NULL), 0);
	before = count_mounts();
	pidfd = nsu_pidfd_open(getpid(), 0);
	ck_assert_int_ge(pidfd, 0);
	/* our own mount namespace is not newer than itself: refused after
	 * uts, ipc and net were pinned */
	ck_assert_int_eq(nsu_pin_add_pidfd(ctx, reg, "b", CLONE_NEWUTS |
					   CLONE_NEWIPC | CLONE_NEWNET |
					   CLONE_NEWNS, pidfd, 0, st), -EINVAL);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_MNTNS_ORDER);
	ck_assert_int_eq(nsu_pin_status_type(st), NSU_NS_MNT);
	snprintf(path, sizeof(path), "%s/.mnt/b", reg);
	ck_assert_str_eq(nsu_pin_status_path(st), path);
	ck_assert_int_eq(nsu_pin_status_mntns_ids(st, &self_id, &ns_id), 0);
	ck_assert(self_id == ns_id);
	ck_assert_int_eq(count_mounts(), before);
	snprintf(path, sizeof(path), "%s/b", reg);
	ck_assert_int_eq(access(path, F_OK), -1);
	close(pidfd);
	nsu_pin_status_free(st);
	root_teardown();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(pin_file_rules_and_busy_remove)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	struct nsu_ns *ns = nsu_ns_open_pid(ctx, getpid(), NSU_NS_UTS, 0);
	char path[PATH_MAX + 16], link[PATH_MAX + 16], want[64];
	int fd;

	root_setup();
	ck_assert_ptr_nonnull(ns);
	snprintf(path, sizeof(path), "%s/f", tmp);
	put_file(path, "");
	/* an existing file only with NSU_PIN_MAY_EXIST */
	ck_assert_int_eq(nsu_pin_file(ctx, ns, path, 0, st), -EEXIST);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_EXISTS);
	nsu_pin_status_free(st);
	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_file(ctx, ns, path, NSU_PIN_MAY_EXIST, st), 0);
	/* never stacked */
	nsu_pin_status_free(st);
	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_file(ctx, ns, path, NSU_PIN_MAY_EXIST, st), -EEXIST);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_MOUNTED);
	nsu_pin_status_free(st);

	/* busy: we hold it open through the pin */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_remove(ctx, NULL, path, st), -EBUSY);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_BUSY);
	ck_assert_ptr_nonnull(nsu_pin_status_holders(st));
	snprintf(want, sizeof(want), "PID %d (", (int)getpid());
	ck_assert_ptr_nonnull(strstr(nsu_pin_status_holders(st), want));
	nsu_pin_status_free(st);
	close(fd);
	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_remove(ctx, NULL, path, st), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	nsu_pin_status_free(st);

	/* a symlink is refused and its target not created */
	snprintf(link, sizeof(link), "%s/l", tmp);
	ck_assert_int_eq(symlink(path, link), 0);
	st = nsu_pin_status_new();
	ck_assert_int_eq(nsu_pin_file(ctx, ns, link, NSU_PIN_MAY_EXIST, st), -EEXIST);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_SYMLINK);
	ck_assert_int_eq(access(path, F_OK), -1);
	nsu_pin_status_free(st);
	nsu_ns_free(ns);
	root_teardown();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(pidns_without_init_refused)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_pin_status *st = nsu_pin_status_new();
	struct nsu_ns *ns;
	char path[PATH_MAX + 16];
	int ready[2], go[2];
	pid_t child;
	char c;

	root_setup();
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* a PID namespace for our children whose init is gone (the
		 * kernel offers no handle before an init exists) */
		pid_t init;

		close(go[1]);
		close(ready[0]);
		if (unshare(CLONE_NEWPID) < 0)
			_exit(1);
		init = fork();
		if (init == 0)
			_exit(0);
		if (init < 0 || waitpid(init, NULL, 0) != init)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ns = nsu_ns_open_pid(ctx, child, NSU_NS_PID, NSU_NS_FOR_CHILDREN);
	ck_assert_ptr_nonnull(ns);
	snprintf(path, sizeof(path), "%s/pidpin", tmp);
	ck_assert_int_eq(nsu_pin_file(ctx, ns, path, 0, st), -ESRCH);
	ck_assert_int_eq(nsu_pin_status_result(st), NSU_PIN_ERR_PIDNS_DEAD);
	ck_assert_int_eq(nsu_pin_status_type(st), NSU_NS_PID);
	ck_assert_int_eq(access(path, F_OK), -1);
	close(go[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	nsu_ns_free(ns);
	nsu_pin_status_free(st);
	root_teardown();
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(open_finds_hand_made_mnt_pin)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_ns *pin, *want;
	char path[PATH_MAX + 32], src[64];
	int ready[2], go[2], mask = 0;
	uint64_t self_id = 0;
	pid_t child;
	char c;

	root_setup();
	ck_assert_int_eq(nsu_mntns_self_id(ctx, &self_id), 0);
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(go[1]);
		close(ready[0]);
		/* newer than ours, or the kernel refuses the bind */
		if (nsu_mntns_unshare_newer(ctx, self_id) < 0 ||
		    write(ready[1], "x", 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	snprintf(path, sizeof(path), "%s/h", tmp);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/h/mnt", tmp);
	put_file(path, "");
	snprintf(src, sizeof(src), "/proc/%d/ns/mnt", (int)child);
	ck_assert_int_eq(mount(src, path, NULL, MS_BIND, NULL), 0);
	want = nsu_ns_open_pid(ctx, child, NSU_NS_MNT, 0);
	ck_assert_ptr_nonnull(want);
	/* DIR/NAME/mnt, not DIR/.mnt/NAME: found all the same */
	pin = nsu_pin_open(ctx, tmp, "h", NSU_NS_MNT);
	ck_assert_ptr_nonnull(pin);
	ck_assert(nsu_ns_equal(pin, want));
	ck_assert_int_eq(nsu_pin_types(ctx, tmp, "h", &mask), 0);
	ck_assert_int_eq(mask, CLONE_NEWNS);
	nsu_ns_free(pin);
	nsu_ns_free(want);
	ck_assert_int_eq(nsu_pin_remove(ctx, tmp, "h", NULL), 0);
	snprintf(path, sizeof(path), "%s/h", tmp);
	ck_assert_int_eq(access(path, F_OK), -1);
	close(go[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	root_teardown();
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *pinwrite_suite(void)
{
	Suite *s = suite_create("pinwrite");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, status_defaults);
	tcase_add_test(tc, status_keeps_first_failure);
	tcase_add_test(tc, add_validates_before_touching_anything);
	tcase_add_test(tc, open_dir_refuses_symlinks);
	tcase_add_test(tc, remove_refuses_plain_file);
	tcase_add_test(tc, iter_skips_unopenable_nsfs_lines);
	suite_add_tcase(s, tc);
	/* Real mounts need root; the CLI suite covers the same ground
	 * too, so without root these are left out rather than faked. */
	if (geteuid() == 0) {
		TCase *root = tcase_create("root");

		tcase_add_test(root, add_new_open_list_remove);
		tcase_add_test(root, failed_mnt_pin_rolls_back);
		tcase_add_test(root, pin_file_rules_and_busy_remove);
		tcase_add_test(root, pidns_without_init_refused);
		tcase_add_test(root, open_finds_hand_made_mnt_pin);
		suite_add_tcase(s, root);
	} else {
		fprintf(stderr, "# SKIP pinwrite root tests: not root\n");
	}
	return s;
}

int main(void)
{
	return run_suite(pinwrite_suite());
}
