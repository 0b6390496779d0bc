/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* testutil.h - shared helpers for the Check unit suites. */
#ifndef NSU_TESTUTIL_H
#define NSU_TESTUTIL_H

#include <check.h>

#include "nsutil-internal.h"

/* Absolute path of a file under tests/unit/fixtures (static buffer). */
const char *fixture(const char *rel);
/* A context whose proc root is fixtures/REL (or the real /proc if NULL). */
struct nsu_ctx *ctx_with_proc(const char *rel);
/* Run SUITE with CK_FORK and return the process exit status. */
int run_suite(Suite *s);

#endif
