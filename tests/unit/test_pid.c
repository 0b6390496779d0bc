/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_pid.c - strict PID and PID:INODE parsing, and pidfds on live, zombie
 * and reaped processes. */
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

START_TEST(parse_pid_accepts)
{
	static const struct { const char *s; pid_t v; } ok[] = {
		{ "1", 1 }, { "5", 5 }, { "10", 10 }, { "32768", 32768 },
		{ "4194304", 4194304 },
	};
	pid_t pid;

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		pid = -7;
		ck_assert_msg(nsu_parse_pid(ok[i].s, &pid) == 0, "\"%s\"", ok[i].s);
		ck_assert_int_eq(pid, ok[i].v);
	}
}
END_TEST

START_TEST(parse_pid_rejects)
{
	static const char *const bad[] = {
		"0", "-1", "+5", " 5", "5 ", "5x", "0x10", "010", "", "00",
		"4194305", "2147483648", "4294967297", "99999999999999999999999",
		"5\n", "1e3", "\t5", "٣",
	};
	pid_t pid = 77;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(nsu_parse_pid(bad[i], &pid) == -NSU_EBADPID,
			      "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(pid, 77); /* untouched on error */
	ck_assert_int_eq(nsu_parse_pid(NULL, &pid), -NSU_EBADPID);
	ck_assert_int_eq(nsu_parse_pid("5", NULL), -NSU_EBADPID);
}
END_TEST

START_TEST(parse_pid_spec_forms)
{
	pid_t pid = 0;
	uint64_t ino = 99;

	ck_assert_int_eq(nsu_parse_pid_spec("12", &pid, &ino), 0);
	ck_assert_int_eq(pid, 12);
	ck_assert_uint_eq(ino, 0);
	ck_assert_int_eq(nsu_parse_pid_spec("12:34", &pid, &ino), 0);
	ck_assert_int_eq(pid, 12);
	ck_assert_uint_eq(ino, 34);
	ck_assert_int_eq(nsu_parse_pid_spec("4194304:18446744073709551615",
					    &pid, &ino), 0);
	ck_assert_int_eq(pid, 4194304);
	ck_assert_uint_eq(ino, UINT64_MAX);
}
END_TEST

START_TEST(parse_pid_spec_rejects)
{
	static const char *const bad[] = {
		"12:", ":34", "12:0", "12:34:56", "12:-3", "0:34", "-1:34",
		"12:034", "012:34", "12: 34", "12 :34", "12:0x22", ":",
		"4194305:1", "12:18446744073709551616", "", "12,34",
	};
	pid_t pid = 5;
	uint64_t ino = 6;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(nsu_parse_pid_spec(bad[i], &pid, &ino) == -NSU_EBADPID,
			      "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(pid, 5);
	ck_assert_uint_eq(ino, 6);
	ck_assert_int_eq(nsu_parse_pid_spec(NULL, &pid, &ino), -NSU_EBADPID);
	ck_assert_int_eq(nsu_parse_pid_spec("1", &pid, NULL), -NSU_EBADPID);
}
END_TEST

/* A child that waits until the write end of *PIPE closes, then exits 3. */
static pid_t spawn_waiting_child(int pfd[2])
{
	pid_t pid;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(pfd[1]);
		while (read(pfd[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(3);
	}
	close(pfd[0]);
	return pid;
}

START_TEST(pidfd_lifecycle)
{
	int pfd[2], fd, fd2;
	pid_t child = spawn_waiting_child(pfd);
	uint64_t ino = 0;
	siginfo_t si;
	struct stat st;
	int ws;

	/* live: a close-on-exec pidfd that polls alive */
	fd = nsu_pidfd_open(child, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(nsu_pidfd_alive(fd), 1);
	/* its pidfs inode is what fstat says, and PID:INODE accepts it */
	ck_assert_int_eq(nsu_pidfd_inode(fd, &ino), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(ino, (uint64_t)st.st_ino);
	ck_assert_uint_ne(ino, 0);
	fd2 = nsu_pidfd_open(child, ino);
	ck_assert_int_ge(fd2, 0);
	close(fd2);
	/* a wrong inode: the PID was reused by someone else */
	ck_assert_int_eq(nsu_pidfd_open(child, ino + 1), -NSU_EREPLACED);

	/* exited but not reaped (zombie): pidfd_open() itself works, but
	 * there is nothing to join any more */
	close(pfd[1]);
	ck_assert_int_eq(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(si.si_status, 3);
	ck_assert_int_eq(nsu_pidfd_alive(fd), 0);
	ck_assert_int_eq(nsu_pidfd_open(child, 0), -ESRCH);
	ck_assert_int_eq(nsu_pidfd_open(child, ino), -ESRCH);

	/* reaped: no such process */
	ck_assert_int_eq(waitpid(child, &ws, 0), child);
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 3);
	ck_assert_int_eq(nsu_pidfd_open(child, 0), -ESRCH);
	ck_assert_int_eq(nsu_pidfd_alive(fd), 0);
	close(fd);
}
END_TEST

START_TEST(pidfd_of_another_process_differs)
{
	int pfd[2], a, b;
	pid_t child = spawn_waiting_child(pfd);
	uint64_t ia, ib;

	a = nsu_pidfd_open(getpid(), 0);
	b = nsu_pidfd_open(child, 0);
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(nsu_pidfd_inode(a, &ia), 0);
	ck_assert_int_eq(nsu_pidfd_inode(b, &ib), 0);
	ck_assert_uint_ne(ia, ib);
	/* each process's inode only matches its own pidfd */
	ck_assert_int_eq(nsu_pidfd_open(getpid(), ib), -NSU_EREPLACED);
	ck_assert_int_eq(nsu_pidfd_open(child, ia), -NSU_EREPLACED);
	close(pfd[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	close(a);
	close(b);
}
END_TEST

START_TEST(pidfd_bad_arguments)
{
	int fd;
	uint64_t ino = 5;

	ck_assert_int_eq(nsu_pidfd_open(0, 0), -NSU_EBADPID);
	ck_assert_int_eq(nsu_pidfd_open(-1, 0), -NSU_EBADPID);
	/* beyond PID_MAX_LIMIT: no such process */
	ck_assert_int_eq(nsu_pidfd_open(NSU_PID_MAX_LIMIT + 1, 0), -ESRCH);
	/* a regular file is not a pidfd: no pidfs identity */
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(nsu_pidfd_inode(fd, &ino), -NSU_ENOTSUPP);
	ck_assert_uint_eq(ino, 5);
	close(fd);
	ck_assert_int_eq(nsu_pidfd_inode(-1, &ino), -EBADF);
	/* no pidfd is neither alive nor exited (poll() silently skips a
	 * negative fd, which once read as "alive") */
	ck_assert_int_eq(nsu_pidfd_alive(-1), -EBADF);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(nsu_pidfd_alive(fd), -EBADF); /* closed fd */
}
END_TEST

static Suite *pid_suite(void)
{
	Suite *s = suite_create("pid");
	TCase *parse = tcase_create("parse");
	TCase *pidfd = tcase_create("pidfd");

	tcase_add_test(parse, parse_pid_accepts);
	tcase_add_test(parse, parse_pid_rejects);
	tcase_add_test(parse, parse_pid_spec_forms);
	tcase_add_test(parse, parse_pid_spec_rejects);
	suite_add_tcase(s, parse);
	tcase_add_test(pidfd, pidfd_lifecycle);
	tcase_add_test(pidfd, pidfd_of_another_process_differs);
	tcase_add_test(pidfd, pidfd_bad_arguments);
	suite_add_tcase(s, pidfd);
	return s;
}

int main(void)
{
	return run_suite(pid_suite());
}
