/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tool.c - start-up hygiene, error reporting and exit helpers for the tools. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "nsutil.h"
#include "tool.h"

/* The tools' only global: which tool this is (set once in main). */
static const struct nsu_tool_info *tool;

const char *tool_name(void)
{
	return tool ? tool->name : "nsutil";
}

int tool_exit_failure(void)
{
	return tool ? tool->exit_failure : 1;
}

static void close_stdout_at_exit(void)
{
	if (tool_close_stdout() != 0)
		_exit(tool_exit_failure());
}

int tool_close_stdout(void)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (err == 0 && fclose(stdout) != 0 && errno != EBADF)
		err = errno;
	if (err == EPIPE)
		return 0; /* the reader went away: stay quiet */
	if (err) {
		fprintf(stderr, "%s: write error: %s\n", tool_name(),
			strerror(err));
		return -1;
	}
	return 0;
}

void tool_init(const struct nsu_tool_info *info)
{
	tool = info;
	/* These tools are not a sandbox: never honour a set-uid install. */
	if (getauxval(AT_SECURE)) {
		fprintf(stderr, "%s: refusing to run set-uid or set-gid\n",
			info->name);
		exit(info->exit_failure);
	}
	/* A closed fd 0-2 would be reused by the next open(): a namespace fd
	 * landing on stdin once made nsenter run in the wrong namespaces. */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

			if (n < 0)
				_exit(info->exit_failure);
			if (n != fd) {
				/* cannot happen (lowest free fd), but never
				 * leave a stray one */
				close(n);
				_exit(info->exit_failure);
			}
		}
	}
	atexit(close_stdout_at_exit);
}

__attribute__((format(printf, 3, 0)))
static void vmsg(int err, const char *hint, const char *fmt, va_list ap)
{
	/* One write per message line, so concurrent tools do not interleave. */
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), "%s: ", tool_name());

	if (n > 0 && (size_t)n < sizeof(buf))
		n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (err && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s",
			      nsu_strerror(err));
	if (hint && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)", hint);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, NULL, fmt, ap);
	va_end(ap);
	exit(tool_exit_failure());
}

void die_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, NULL, fmt, ap);
	va_end(ap);
	exit(tool_exit_failure());
}

void die_hint(int err, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, hint, fmt, ap);
	va_end(ap);
	exit(tool_exit_failure());
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, NULL, fmt, ap);
	va_end(ap);
}

void warn_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, NULL, fmt, ap);
	va_end(ap);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, NULL, fmt, ap);
	va_end(ap);
	tool_try_help();
}

void tool_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name());
	exit(tool ? tool->exit_usage : 2);
}

void print_version_and_exit(void)
{
	printf("%s from nsutil %s\n", tool_name(), NSU_VERSION);
	exit(0);
}

static int parse_digits(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		unsigned int d;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		d = (unsigned int)(*p - '0');
		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int tool_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = parse_digits(s, UINT32_MAX, &v);

	if (r == 0)
		*out = (uint32_t)v;
	return r;
}

int tool_parse_u64(const char *s, uint64_t *out)
{
	return parse_digits(s, UINT64_MAX, out);
}

int tool_parse_int(const char *s, int min, int max, int *out)
{
	bool neg = s && s[0] == '-';
	uint64_t v;
	int r;

	r = parse_digits(neg ? s + 1 : s, (uint64_t)INT32_MAX + 1, &v);
	if (r < 0)
		return r;
	if (neg ? -(int64_t)v < min : (int64_t)v > max)
		return -ERANGE;
	*out = neg ? (int)-(int64_t)v : (int)v;
	return 0;
}

void tool_exit_like(int wstatus)
{
	if (WIFEXITED(wstatus)) {
		exit(WEXITSTATUS(wstatus));
	} else if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		struct rlimit nocore = { 0, 0 };
		sigset_t set;

		tool_close_stdout();
		/* Die of the same signal, so our caller sees what our child
		 * saw; but do not dump our own core for the child's crash. */
		setrlimit(RLIMIT_CORE, &nocore);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	exit(tool_exit_failure());
}

void tool_exec(char *const argv[], const int *keep, size_t nkeep)
{
	tool_execve(argv, environ, keep, nkeep);
}

void tool_execve(char *const argv[], char *const envp[], const int *keep,
		 size_t nkeep)
{
	int r, err;

	/* Flush, but never fclose(): fd 1 belongs to the program now. */
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "%s: write error: %s\n", tool_name(),
			strerror(errno));
		_exit(tool_exit_failure());
	}
	r = nsu_close_fds(keep, nkeep);
	if (r < 0) {
		fprintf(stderr, "%s: cannot close inherited file descriptors: %s\n",
			tool_name(), nsu_strerror(r));
		_exit(tool_exit_failure());
	}
	execvpe(argv[0], argv, envp);
	err = errno;
	fprintf(stderr, "%s: failed to execute %s: %s\n", tool_name(), argv[0],
		strerror(err));
	_exit(err == ENOENT ? NSU_EXIT_NOT_FOUND : NSU_EXIT_CANNOT_EXEC);
}
