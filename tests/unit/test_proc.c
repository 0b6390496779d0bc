/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_proc.c - /proc/PID/{stat,status,cmdline} parsing against fixture
 * trees, the owner of /proc/PID, and the PID iterator. */
#include <stdio.h>
#include <sys/stat.h>

#include "testutil.h"

#define ALL (NSU_PROC_STAT | NSU_PROC_STATUS | NSU_PROC_CMDLINE)

static struct nsu_proc *read_fixture(const char *root, pid_t pid,
				     unsigned int what)
{
	struct nsu_ctx *ctx = ctx_with_proc(root);
	struct nsu_proc *p = nsu_proc_read(ctx, pid, what);

	nsu_ctx_free(ctx);
	ck_assert_msg(p != NULL, "%s/%d: %s", root, (int)pid,
		      nsu_strerror(-errno));
	return p;
}

/* Read must fail with errno ERR. */
static void read_fails(const char *root, pid_t pid, unsigned int what, int err)
{
	struct nsu_ctx *ctx = ctx_with_proc(root);
	struct nsu_proc *p;

	errno = 0;
	p = nsu_proc_read(ctx, pid, what);
	ck_assert_msg(p == NULL, "%s/%d parsed", root, (int)pid);
	ck_assert_msg(errno == err, "%s/%d: errno %d (%s), expected %d (%s)",
		      root, (int)pid, errno, nsu_strerror(errno), err,
		      nsu_strerror(err));
	nsu_ctx_free(ctx);
}

START_TEST(stat_simple)
{
	struct nsu_proc *p = read_fixture("proc-basic", 1, ALL);
	const pid_t *pids;

	ck_assert_int_eq(nsu_proc_pid(p), 1);
	ck_assert_int_eq(nsu_proc_ppid(p), 0);
	ck_assert_int_eq(nsu_proc_state(p), 'S');
	ck_assert_str_eq(nsu_proc_comm(p), "systemd");
	ck_assert_int_eq(nsu_proc_uid(p), 0);
	ck_assert_int_eq(nsu_proc_nspid(p, &pids), 1);
	ck_assert_int_eq(pids[0], 1);
	ck_assert_str_eq(nsu_proc_cmdline(p), "/sbin/init splash");
	nsu_proc_free(p);
}
END_TEST

START_TEST(stat_comm_with_parens_and_spaces)
{
	/* "100 (a) b (c)) S 1 ...": the comm ends at the last ')' */
	struct nsu_proc *p = read_fixture("proc-basic", 100, NSU_PROC_STAT);

	ck_assert_str_eq(nsu_proc_comm(p), "a) b (c)");
	ck_assert_int_eq(nsu_proc_state(p), 'S');
	ck_assert_int_eq(nsu_proc_ppid(p), 1);
	nsu_proc_free(p);
}
END_TEST

START_TEST(stat_comm_truncated_to_buffer)
{
	struct nsu_proc *p = read_fixture("proc-basic", 600, NSU_PROC_STAT);
	char expect[64];

	/* 72 bytes of comm: the first 63 are kept, NUL-terminated, and the
	 * fields after it still parse */
	memset(expect, 'x', 63);
	expect[63] = '\0';
	ck_assert_str_eq(nsu_proc_comm(p), expect);
	ck_assert_uint_eq(strlen(nsu_proc_comm(p)), 63);
	ck_assert_int_eq(nsu_proc_state(p), 'Z');
	ck_assert_int_eq(nsu_proc_ppid(p), 1);
	nsu_proc_free(p);
}
END_TEST

START_TEST(stat_malformed)
{
	read_fails("proc-bad", 10, NSU_PROC_STAT, NSU_EPARSE); /* no ')' */
	read_fails("proc-bad", 11, NSU_PROC_STAT, NSU_EPARSE); /* no state */
	read_fails("proc-bad", 12, NSU_PROC_STAT, NSU_EPARSE); /* ppid "abc" */
	read_fails("proc-bad", 13, NSU_PROC_STAT, NSU_EPARSE); /* no ppid */
	read_fails("proc-bad", 18, NSU_PROC_STAT, NSU_EPARSE); /* no '(' */
}
END_TEST

/* The pure parser on buffers (no file): boundary cases. */
static int parse_stat_str(const char *s, struct nsu_proc *p)
{
	memset(p, 0, sizeof(*p));
	return nsu_parse_stat(s, strlen(s), p);
}

START_TEST(parse_stat_buffers)
{
	struct nsu_proc p;

	ck_assert_int_eq(parse_stat_str("7 () R 3", &p), 0);
	ck_assert_str_eq(p.comm, "");
	ck_assert_int_eq(p.state, 'R');
	ck_assert_int_eq(p.ppid, 3);
	ck_assert_uint_eq(p.have, NSU_PROC_STAT);
	ck_assert_int_eq(parse_stat_str("7 ((x)) S 12\n", &p), 0);
	ck_assert_str_eq(p.comm, "(x)");
	ck_assert_int_eq(p.ppid, 12);
	ck_assert_int_eq(parse_stat_str("7 (x) S 12x 1", &p), -NSU_EPARSE);
	ck_assert_int_eq(parse_stat_str("7 (x) S -1 1", &p), -NSU_EPARSE);
	ck_assert_int_eq(parse_stat_str("7 (x)S 1 1", &p), -NSU_EPARSE);
	ck_assert_int_eq(parse_stat_str("7 (x) SS 1", &p), -NSU_EPARSE);
	ck_assert_int_eq(parse_stat_str("7 (x) S 99999999999 1", &p), -NSU_EPARSE);
	ck_assert_int_eq(parse_stat_str("", &p), -NSU_EPARSE);
	ck_assert_uint_eq(p.have, 0);
}
END_TEST

START_TEST(status_levels)
{
	static const struct {
		pid_t pid;
		int levels;
		pid_t nspid[4];
		pid_t nstgid[4];
		uid_t uid;
		gid_t gid;
	} cases[] = {
		{ 1, 1, { 1 }, { 1 }, 0, 0 },
		{ 100, 2, { 100, 5 }, { 100, 5 }, 1000, 100 },
		{ 200, 3, { 200, 20, 2 }, { 200, 20, 2 }, 0, 0 },
		{ 300, 4, { 300, 30, 3, 2 }, { 299, 29, 2, 1 }, 65534, 65534 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nsu_proc *p = read_fixture("proc-basic", cases[i].pid,
						  NSU_PROC_STATUS);
		const pid_t *pids;

		ck_assert_int_eq(nsu_proc_nspid(p, &pids), cases[i].levels);
		for (int l = 0; l < cases[i].levels; l++)
			ck_assert_int_eq(pids[l], cases[i].nspid[l]);
		ck_assert_int_eq(nsu_proc_nstgid(p, &pids), cases[i].levels);
		for (int l = 0; l < cases[i].levels; l++)
			ck_assert_int_eq(pids[l], cases[i].nstgid[l]);
		ck_assert_uint_eq(nsu_proc_uid(p), cases[i].uid);
		ck_assert_uint_eq(nsu_proc_gid(p), cases[i].gid);
		nsu_proc_free(p);
	}
}
END_TEST

START_TEST(status_old_kernel_without_nspid)
{
	struct nsu_proc *p = read_fixture("proc-basic", 400, NSU_PROC_STATUS);
	const pid_t *pids;

	ck_assert_int_eq(nsu_proc_nspid(p, &pids), 1);
	ck_assert_int_eq(pids[0], 400);
	ck_assert_int_eq(nsu_proc_nstgid(p, &pids), 1);
	ck_assert_int_eq(pids[0], 400);
	nsu_proc_free(p);
}
END_TEST

START_TEST(status_malformed)
{
	read_fails("proc-bad", 14, NSU_PROC_STATUS, NSU_EPARSE); /* no Uid */
	read_fails("proc-bad", 15, NSU_PROC_STATUS, NSU_EPARSE); /* empty Uid */
	read_fails("proc-bad", 16, NSU_PROC_STATUS, NSU_EPARSE); /* 34 levels */
	read_fails("proc-bad", 17, NSU_PROC_STATUS, NSU_EPARSE); /* "x" level */
	read_fails("proc-bad", 19, NSU_PROC_STATUS, NSU_EPARSE); /* no Gid */
}
END_TEST

START_TEST(status_max_levels)
{
	/* 33 levels (MAX_PID_NS_LEVEL + 1) is the most the kernel can show */
	char buf[1024];
	int off = snprintf(buf, sizeof(buf), "Uid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\nNSpid:");
	struct nsu_proc p;
	const pid_t *pids;

	for (int i = 0; i < NSU_MAX_NSPID_LEVELS; i++)
		off += snprintf(buf + off, sizeof(buf) - (size_t)off, "\t%d", 1000 - i);
	memset(&p, 0, sizeof(p));
	p.pid = 1000;
	ck_assert_int_eq(nsu_parse_status(buf, (size_t)off, &p), 0);
	ck_assert_int_eq(nsu_proc_nspid(&p, &pids), NSU_MAX_NSPID_LEVELS);
	ck_assert_int_eq(pids[NSU_MAX_NSPID_LEVELS - 1], 1000 - 32);
	ck_assert_uint_eq(p.uid, 1);
	ck_assert_uint_eq(p.gid, 5);
	/* one more level does not fit */
	off += snprintf(buf + off, sizeof(buf) - (size_t)off, "\t1");
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(nsu_parse_status(buf, (size_t)off, &p), -NSU_EPARSE);
	/* before STATUS was read, the accessors refuse */
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(nsu_proc_nspid(&p, &pids), -EINVAL);
	ck_assert_int_eq(nsu_proc_nstgid(&p, &pids), -EINVAL);
}
END_TEST

START_TEST(cmdline_forms)
{
	struct nsu_proc *p;

	/* NULs between arguments, trailing NUL dropped, spaces inside an
	 * argument kept */
	p = read_fixture("proc-basic", 100, NSU_PROC_CMDLINE);
	ck_assert_str_eq(nsu_proc_cmdline(p), "sh -c echo a  b");
	nsu_proc_free(p);
	/* no trailing NUL */
	p = read_fixture("proc-basic", 200, NSU_PROC_CMDLINE);
	ck_assert_str_eq(nsu_proc_cmdline(p), "bash -l");
	nsu_proc_free(p);
	/* kernel thread: empty */
	p = read_fixture("proc-basic", 400, NSU_PROC_CMDLINE | NSU_PROC_STAT);
	ck_assert_str_eq(nsu_proc_cmdline(p), "");
	ck_assert_str_eq(nsu_proc_comm(p), "kworker/0:1-events");
	ck_assert_int_eq(nsu_proc_state(p), 'I');
	ck_assert_int_eq(nsu_proc_ppid(p), 2);
	nsu_proc_free(p);
}
END_TEST

START_TEST(cmdline_join_buffers)
{
	char *s;

	s = nsu_cmdline_join("a\0\0b\0\0", 6);
	ck_assert_str_eq(s, "a  b");
	free(s);
	s = nsu_cmdline_join("\0\0", 2);
	ck_assert_str_eq(s, "");
	free(s);
	s = nsu_cmdline_join("", 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(vanished_process)
{
	/* the directory is there but its files are gone: ESRCH for each part */
	read_fails("proc-basic", 500, NSU_PROC_STAT, ESRCH);
	read_fails("proc-basic", 500, NSU_PROC_STATUS, ESRCH);
	read_fails("proc-basic", 500, NSU_PROC_CMDLINE, ESRCH);
	/* no directory at all */
	read_fails("proc-basic", 4242, NSU_PROC_STAT, ESRCH);
	/* not a PID */
	read_fails("proc-basic", 0, NSU_PROC_STAT, EINVAL);
	read_fails("proc-basic", -1, NSU_PROC_STAT, EINVAL);
}
END_TEST

START_TEST(proc_owner)
{
	char *dir = make_tmpdir();
	char path[4096];
	struct nsu_ctx *ctx = nsu_ctx_new();
	uid_t uid = 1;

	snprintf(path, sizeof(path), "%s/42", dir);
	ck_assert_int_eq(mkdir(path, 0555), 0);
	ck_assert_int_eq(chown(path, 4242, 4343), 0);
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, dir), 0);
	ck_assert_int_eq(nsu_proc_owner(ctx, 42, &uid), 0);
	ck_assert_uint_eq(uid, 4242);
	ck_assert_int_eq(nsu_proc_owner(ctx, 43, &uid), -ESRCH);
	/* the real /proc: our own directory belongs to our euid */
	ck_assert_int_eq(nsu_ctx_set_proc_root(ctx, "/proc"), 0);
	uid = 12345;
	ck_assert_int_eq(nsu_proc_owner(ctx, getpid(), &uid), 0);
	ck_assert_uint_eq(uid, geteuid());
	nsu_ctx_free(ctx);
	remove_tree(dir);
	free(dir);
}
END_TEST

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

START_TEST(iter_fixture)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-basic");
	struct nsu_proc_iter *it = nsu_proc_iter_new(ctx, 0);
	static const pid_t expect[] = { 1, 100, 200, 300, 400, 500, 600 };
	pid_t got[32], pid, tgid;
	size_t n = 0;
	int r;

	ck_assert_ptr_nonnull(it);
	while ((r = nsu_proc_iter_next(it, &pid, &tgid)) == 1) {
		ck_assert_uint_lt(n, ARRAY_SIZE(got));
		ck_assert_int_eq(tgid, pid);
		got[n++] = pid;
	}
	ck_assert_int_eq(r, 0);
	/* the end is sticky */
	ck_assert_int_eq(nsu_proc_iter_next(it, &pid, NULL), 0);
	nsu_proc_iter_free(it);
	nsu_ctx_free(ctx);
	/* "self", "0", "01", "12x", "-5" and the file "abc" are skipped */
	qsort(got, n, sizeof(got[0]), cmp_pid);
	ck_assert_uint_eq(n, ARRAY_SIZE(expect));
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(got[i], expect[i]);
}
END_TEST

START_TEST(iter_fixture_threads)
{
	struct nsu_ctx *ctx = ctx_with_proc("proc-basic");
	struct nsu_proc_iter *it = nsu_proc_iter_new(ctx, NSU_ITER_THREADS);
	/* (tid, tgid) pairs: only PIDs with a task/ directory; PIDs whose
	 * task/ is gone (vanished) are skipped, "self" in task/ too */
	static const pid_t expect[][2] = {
		{ 1, 1 }, { 100, 100 }, { 101, 100 }, { 300, 300 }, { 301, 300 },
	};
	pid_t got[32][2], pid, tgid;
	size_t n = 0;
	int r;

	ck_assert_ptr_nonnull(it);
	while ((r = nsu_proc_iter_next(it, &pid, &tgid)) == 1) {
		ck_assert_uint_lt(n, ARRAY_SIZE(got));
		got[n][0] = pid;
		got[n][1] = tgid;
		n++;
	}
	ck_assert_int_eq(r, 0);
	nsu_proc_iter_free(it);
	nsu_ctx_free(ctx);
	qsort(got, n, sizeof(got[0]), cmp_pid); /* by tid: first member */
	ck_assert_uint_eq(n, ARRAY_SIZE(expect));
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(got[i][0], expect[i][0]);
		ck_assert_int_eq(got[i][1], expect[i][1]);
	}
}
END_TEST

START_TEST(iter_missing_root)
{
	struct nsu_ctx *ctx = ctx_with_proc("no-such-dir");

	errno = 0;
	ck_assert_ptr_null(nsu_proc_iter_new(ctx, 0));
	ck_assert_int_eq(errno, ENOENT);
	/* freeing NULL is a no-op */
	nsu_proc_iter_free(NULL);
	nsu_proc_free(NULL);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(iter_real_proc_finds_us)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_proc_iter *it;
	pid_t pid, tgid, me = getpid(), parent = getppid();
	bool found_me = false, found_parent = false;
	int r;

	it = nsu_proc_iter_new(ctx, 0);
	ck_assert_ptr_nonnull(it);
	while ((r = nsu_proc_iter_next(it, &pid, &tgid)) == 1) {
		found_me |= pid == me;
		found_parent |= pid == parent;
	}
	ck_assert_int_eq(r, 0);
	nsu_proc_iter_free(it);
	ck_assert(found_me);
	ck_assert(found_parent);

	/* with threads: our own TID with our TGID */
	found_me = false;
	it = nsu_proc_iter_new(ctx, NSU_ITER_THREADS);
	ck_assert_ptr_nonnull(it);
	while ((r = nsu_proc_iter_next(it, &pid, &tgid)) == 1)
		if (pid == me) {
			found_me = true;
			ck_assert_int_eq(tgid, me);
		}
	ck_assert_int_eq(r, 0);
	nsu_proc_iter_free(it);
	ck_assert(found_me);
	nsu_ctx_free(ctx);
}
END_TEST

START_TEST(read_real_self)
{
	struct nsu_ctx *ctx = ctx_with_proc(NULL);
	struct nsu_proc *p = nsu_proc_read(ctx, getpid(), ALL);
	char comm[64] = "";
	const pid_t *pids;
	FILE *f;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(nsu_proc_pid(p), getpid());
	ck_assert_int_eq(nsu_proc_ppid(p), getppid());
	ck_assert_int_eq(nsu_proc_state(p), 'R');
	f = fopen("/proc/self/comm", "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	ck_assert_str_eq(nsu_proc_comm(p), comm);
	ck_assert_uint_eq(nsu_proc_uid(p), getuid());
	ck_assert_uint_eq(nsu_proc_gid(p), getgid());
	ck_assert_int_ge(nsu_proc_nspid(p, &pids), 1);
	ck_assert_int_eq(pids[nsu_proc_nspid(p, &pids) - 1], getpid());
	/* our argv[0] is the test program's path */
	ck_assert_ptr_nonnull(strstr(nsu_proc_cmdline(p), "test_proc"));
	nsu_proc_free(p);
	nsu_ctx_free(ctx);
}
END_TEST

static Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("fixtures");
	TCase *real = tcase_create("real");

	tcase_add_test(tc, stat_simple);
	tcase_add_test(tc, stat_comm_with_parens_and_spaces);
	tcase_add_test(tc, stat_comm_truncated_to_buffer);
	tcase_add_test(tc, stat_malformed);
	tcase_add_test(tc, parse_stat_buffers);
	tcase_add_test(tc, status_levels);
	tcase_add_test(tc, status_old_kernel_without_nspid);
	tcase_add_test(tc, status_malformed);
	tcase_add_test(tc, status_max_levels);
	tcase_add_test(tc, cmdline_forms);
	tcase_add_test(tc, cmdline_join_buffers);
	tcase_add_test(tc, vanished_process);
	tcase_add_test(tc, iter_fixture);
	tcase_add_test(tc, iter_fixture_threads);
	tcase_add_test(tc, iter_missing_root);
	suite_add_tcase(s, tc);
	tcase_add_test(real, proc_owner);
	tcase_add_test(real, iter_real_proc_finds_us);
	tcase_add_test(real, read_real_self);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return run_suite(proc_suite());
}
