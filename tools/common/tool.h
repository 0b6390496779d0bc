/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tool.h - helpers shared by the nsutil front-ends (never by the library):
 * start-up hygiene, die/warn, usage errors, --version, checked stdout. */
#ifndef NSU_TOOL_H
#define NSU_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <stddef.h>
#include <sys/types.h>

#include "exitcodes.h"

struct nsu_tool_info {
	const char *name;   /* "nslist" */
	int exit_failure;   /* status of die*() */
	int exit_usage;     /* status of usage_error() */
};

/* Call first in main(): refuses to run set-uid (AT_SECURE), reopens closed
 * fds 0-2 on /dev/null so nothing we open lands there, and checks stdout at
 * exit. */
void tool_init(const struct nsu_tool_info *info);
const char *tool_name(void);
int tool_exit_failure(void);

/* "TOOL: MESSAGE" on stderr, then exit(exit_failure). */
__attribute__((format(printf, 1, 2)))
noreturn void die(const char *fmt, ...);
/* "TOOL: MESSAGE: nsu_strerror(err)" (err: -errno or -NSU_E*). */
__attribute__((format(printf, 2, 3)))
noreturn void die_err(int err, const char *fmt, ...);
/* As die_err(), plus " (HINT)" if HINT is not NULL. */
__attribute__((format(printf, 3, 4)))
noreturn void die_hint(int err, const char *hint, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void warn_msg(const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void warn_err(int err, const char *fmt, ...);
/* "TOOL: MESSAGE\nTry 'TOOL --help' for more information." then
 * exit(exit_usage). */
__attribute__((format(printf, 1, 2)))
noreturn void usage_error(const char *fmt, ...);
/* After getopt_long() has printed its own complaint: "Try 'TOOL --help'
 * for more information." then exit(exit_usage). */
noreturn void tool_try_help(void);
/* "TOOL from nsutil VERSION" on stdout, exit 0. */
noreturn void print_version_and_exit(void);

/* The trailer of every --help text. MARG is the padding after
 * " -V, --version" that brings the descriptions to the tool's column. */
#define USAGE_HELP_OPTIONS(marg) \
	" -h, --help   " marg "display this help\n" \
	" -V, --version" marg "display version\n"
#define USAGE_MAN_TAIL(page) "\nFor more details see " page ".\n"

/* Strict numbers for option values: decimal only, no sign or spaces.
 * 0 or -EINVAL/-ERANGE. */
int tool_parse_u32(const char *s, uint32_t *out);
int tool_parse_u64(const char *s, uint64_t *out);
int tool_parse_int(const char *s, int min, int max, int *out);

/* Flush stdout and report a write error (EPIPE stays quiet). Returns 0 if
 * all went out. Called at exit by tool_init(); exposed for tools that exec
 * and must flush first. */
int tool_close_stdout(void);


/* Exit the way a child with wait status WSTATUS ended: the same exit code,
 * or death by the same signal (core dumps off), 128+N as a fallback. */
noreturn void tool_exit_like(int wstatus);
/* Close every fd >= 3 except KEEP, then execvp(ARGV). On failure print
 * "TOOL: failed to execute ARGV[0]: CAUSE" and exit 127 (not found) or 126
 * (found but not executable). */
noreturn void tool_exec(char *const argv[], const int *keep, size_t nkeep);
/* As tool_exec(), but the program gets the environment ENVP. The command
 * is still looked up in OUR environment's PATH (execvpe), so an imported
 * environment can never change which program runs. */
noreturn void tool_execve(char *const argv[], char *const envp[],
			  const int *keep, size_t nkeep);
#endif
