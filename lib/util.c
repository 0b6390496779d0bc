/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* util.c - strict number parsing and whole-file reads used across the library. */
#include "nsutil-internal.h"

int nsu_parse_u64(const char *s, size_t len, uint64_t max, bool allow_zeros,
		  uint64_t *out)
{
	uint64_t v = 0;

	if (!s || len == 0)
		return -EINVAL;
	if (!allow_zeros && len > 1 && s[0] == '0')
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned int)(s[i] - '0');
		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

ssize_t nsu_read_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	size_t total = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (total == size - 1) {
			char extra;
			/* full: is there more? */
			n = read(fd, &extra, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n > 0)
				return -EFBIG;
			break;
		}
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	buf[total] = '\0';
	return (ssize_t)total;
}

ssize_t nsu_read_fd_alloc(int fd, char **out)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 4096, total = 0;

	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (total + 1 >= size) {
			char *nb;

			if (size > (64u << 20))
				return -EFBIG;
			nb = realloc(buf, size * 2);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			size *= 2;
		}
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	buf[total] = '\0';
	*out = steal_pointer(&buf);
	return (ssize_t)total;
}

ssize_t nsu_read_file_alloc_at(int dirfd, const char *path, char **out)
{
	_cleanup_close_ int fd = -1;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	return nsu_read_fd_alloc(fd, out);
}
