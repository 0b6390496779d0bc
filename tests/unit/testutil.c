/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* testutil.c - fixture paths, temporary trees, forked checks and a common
 * main() body for the unit suites. */
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

/* One directory per suite run, made and removed by the runner process:
 * a test that fails ends at once with _exit() and cannot clean up after
 * itself, so every make_tmpdir() directory lives under this one. */
static char *tmp_base;

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	const char *base = getenv("TMPDIR");
	int failed;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&tmp_base, "%s/nsu-unit.XXXXXX", base) < 0 ||
	    !mkdtemp(tmp_base)) {
		perror("nsu-unit: temporary directory");
		return EXIT_FAILURE;
	}
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	nftw(tmp_base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp_base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void reset_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	/* Check's runner installs SIGTERM/SIGINT handlers that kill the whole
	 * test process group; children that get signals on purpose must not
	 * inherit them. */
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int run_in_child(int (*fn)(void *), void *arg)
{
	pid_t pid;
	int ws;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		reset_signals();
		_exit(fn(arg) & 0xff);
	}
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return ws;
}

char *make_tmpdir(void)
{
	char *path;

	ck_assert_ptr_nonnull(tmp_base);
	ck_assert_int_gt(asprintf(&path, "%s/t.XXXXXX", tmp_base), 0);
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp %s: %m", path);
	return path;
}

void remove_tree(const char *path)
{
	ck_assert_int_eq(nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

void write_file(const char *dir, const char *rel, const char *text, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST,
			      "mkdir %s: %m", path);
		*p = '/';
	}
	f = fopen(path, "we");
	ck_assert_msg(f != NULL, "fopen %s: %m", path);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}
