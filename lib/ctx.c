/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ctx.c - the library context: proc root, log callback, probed features. */
#include <stdio.h>

#include "config.h"
#include "nsutil-internal.h"

NSU_EXPORT struct nsu_ctx *nsu_ctx_new(void)
{
	struct nsu_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->proc_root = strdup("/proc");
	if (!ctx->proc_root) {
		free(ctx);
		errno = ENOMEM;
		return NULL;
	}
	ctx->log_priority = 3;
	ctx->supported_mask = NSU_PROBE_UNKNOWN;
	ctx->has_pidfd_ns_ioctl = NSU_PROBE_UNKNOWN;
	return ctx;
}

NSU_EXPORT void nsu_ctx_free(struct nsu_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->proc_root);
	free(ctx->subuid_path);
	free(ctx->subgid_path);
	free(ctx);
}

static int replace_str(char **slot, const char *value)
{
	char *copy = NULL;

	if (value) {
		copy = strdup(value);
		if (!copy)
			return -ENOMEM;
	}
	free(*slot);
	*slot = copy;
	return 0;
}

NSU_EXPORT int nsu_ctx_set_proc_root(struct nsu_ctx *ctx, const char *dir)
{
	if (!ctx || !dir || dir[0] != '/')
		return -EINVAL;
	return replace_str(&ctx->proc_root, dir);
}

NSU_EXPORT const char *nsu_ctx_get_proc_root(const struct nsu_ctx *ctx)
{
	return ctx->proc_root;
}

NSU_EXPORT int nsu_ctx_set_subid_files(struct nsu_ctx *ctx, const char *subuid,
				       const char *subgid)
{
	int r;

	if (!ctx)
		return -EINVAL;
	r = replace_str(&ctx->subuid_path, subuid);
	if (r < 0)
		return r;
	return replace_str(&ctx->subgid_path, subgid);
}

NSU_EXPORT void nsu_ctx_set_log_fn(struct nsu_ctx *ctx, nsu_log_fn fn,
				   void *userdata)
{
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

NSU_EXPORT void nsu_ctx_set_log_priority(struct nsu_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

NSU_EXPORT int nsu_ctx_get_log_priority(const struct nsu_ctx *ctx)
{
	return ctx->log_priority;
}

void nsu_log(struct nsu_ctx *ctx, int priority, const char *fmt, ...)
{
	va_list ap;

	if (!ctx || !ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	ctx->log_fn(ctx->log_data, priority, fmt, ap);
	va_end(ap);
}

NSU_EXPORT const char *nsu_version(void)
{
	return NSU_VERSION;
}
