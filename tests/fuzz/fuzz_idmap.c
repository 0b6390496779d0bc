/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_idmap.c - id-map specs (one per line of the input) and /etc/subuid
 * lines. Whatever the input, the map must stay within the kernel's rules. */
#include "fuzz.h"
#include "nsutil-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsu_ctx *ctx = nsu_ctx_new();
	struct nsu_idmap *m = nsu_idmap_new(NSU_ID_USER);
	char *s = fuzz_cstr(data, size), *save = NULL, *text = NULL;
	const char *owner;
	size_t olen;
	uint32_t a, b;

	if (!ctx || !m)
		abort();
	/* no real /etc/subuid: "auto" and "subids" find nothing */
	nsu_ctx_set_subid_files(ctx, "/nonexistent", "/nonexistent");
	(void)nsu_subid_parse_line(s, size, &owner, &olen, &a, &b);
	for (char *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		(void)nsu_idmap_parse_spec(ctx, m, line, "nobody", 65534);
	if (nsu_idmap_count(m) > NSU_IDMAP_MAX_LINES)
		abort();
	for (size_t i = 0; i < nsu_idmap_count(m); i++) {
		uint32_t in, out, cnt;

		nsu_idmap_get(m, i, &in, &out, &cnt);
		if (cnt == 0 || (uint64_t)in + cnt > (1ULL << 32) ||
		    (uint64_t)out + cnt > (1ULL << 32))
			abort();
	}
	if (nsu_idmap_render(m, &text) < 0)
		abort();
	free(text);
	free(s);
	nsu_idmap_free(m);
	nsu_ctx_free(ctx);
	return 0;
}
