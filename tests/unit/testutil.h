/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* testutil.h - shared helpers for the Check unit suites. */
#ifndef NSU_TESTUTIL_H
#define NSU_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <sys/wait.h>

#include "nsutil-internal.h"

/* Absolute path of a file under tests/unit/fixtures (static buffer). */
const char *fixture(const char *rel);
/* A context whose proc root is fixtures/REL (or the real /proc if NULL). */
struct nsu_ctx *ctx_with_proc(const char *rel);
/* Run SUITE with CK_FORK and return the process exit status. */
int run_suite(Suite *s);

/* Run FN(ARG) in a forked child and return the child's wait status. The
 * child never returns into Check: it _exit()s with FN's result, so code
 * that changes namespaces, signal masks or fds stays in the child. The
 * child starts with reset_signals(). */
int run_in_child(int (*fn)(void *), void *arg);
/* Default dispositions for every signal and an empty mask (in children). */
void reset_signals(void);
/* Assert that a wait status is a normal exit with status 0. */
#define ck_assert_child_ok(ws_expr) \
	do { \
		int ws_ = (ws_expr); /* evaluated once: it may run a child */ \
		ck_assert_msg(WIFEXITED(ws_) && WEXITSTATUS(ws_) == 0, \
			      "child failed: wait status 0x%x (exit %d, signal %d); see stderr", \
			      ws_, WIFEXITED(ws_) ? WEXITSTATUS(ws_) : -1, \
			      WIFSIGNALED(ws_) ? WTERMSIG(ws_) : 0); \
	} while (0)

/* Inside a run_in_child() function: fail with a message naming the line. */
#define CHILD_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
			return 1; \
		} \
	} while (0)

/* A fresh empty directory (malloc'd path) inside the suite's temporary
 * directory under $TMPDIR or /tmp, which run_suite() removes at the end
 * even when a test failed; and recursive removal of a tree. */
char *make_tmpdir(void);
void remove_tree(const char *path);
/* Write TEXT (LEN bytes) to DIR/REL, creating the parent directories. */
void write_file(const char *dir, const char *rel, const char *text, size_t len);

#endif
