/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pin.c - the pin registry: names, paths, and opening pinned namespaces. */
#include <stdio.h>

#include "config.h"
#include "nsutil-internal.h"

NSU_EXPORT const char *nsu_pin_default_dir(void)
{
	return NSU_PIN_DIR;
}

NSU_EXPORT int nsu_pin_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strlen(name);
	if (len == 0 || len > NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return -EINVAL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return -EINVAL;
	return 0;
}

static int pin_path(const char *dir, const char *name, const char *entry,
		    char *buf, size_t size)
{
	int n;

	if (nsu_pin_name_valid(name) < 0)
		return -EINVAL;
	n = snprintf(buf, size, "%s/%s%s%s", dir ? dir : NSU_PIN_DIR, name,
		     entry ? "/" : "", entry ? entry : "");
	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

NSU_EXPORT struct nsu_ns *nsu_pin_open(struct nsu_ctx *ctx, const char *dir,
				       const char *name, enum nsu_nstype type)
{
	char path[PATH_MAX];
	int r;

	if (!nsu_nstype_name(type)) {
		errno = EINVAL;
		return NULL;
	}
	r = pin_path(dir, name, nsu_nstype_name(type), path, sizeof(path));
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	return nsu_ns_open_path(ctx, path, (int)type);
}

NSU_EXPORT int nsu_pin_types(struct nsu_ctx *ctx, const char *dir,
			     const char *name, int *mask)
{
	char path[PATH_MAX];
	int r, m = 0;

	r = pin_path(dir, name, NULL, path, sizeof(path));
	if (r < 0)
		return r;
	if (access(path, F_OK) < 0)
		return -errno;
	for (int t = 0; t < NSU_NS_COUNT; t++) {
		struct nsu_ns *ns = nsu_pin_open(ctx, dir, name, t);

		if (ns) {
			m |= nsu_nstype_flag(t);
			nsu_ns_free(ns);
		}
	}
	*mask = m;
	return 0;
}
