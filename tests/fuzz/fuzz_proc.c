/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_proc.c - /proc/PID/stat, /proc/PID/status and cmdline parsers. */
#include "fuzz.h"
#include "nsutil-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsu_proc p;
	char *s;

	memset(&p, 0, sizeof(p));
	p.pid = 1;
	if (nsu_parse_stat((const char *)data, size, &p) == 0 &&
	    strnlen(p.comm, sizeof(p.comm)) == sizeof(p.comm))
		abort();
	memset(&p, 0, sizeof(p));
	p.pid = 1;
	if (nsu_parse_status((const char *)data, size, &p) == 0 &&
	    (p.nspid_levels < 1 || p.nspid_levels > NSU_MAX_NSPID_LEVELS ||
	     p.nstgid_levels < 1 || p.nstgid_levels > NSU_MAX_NSPID_LEVELS))
		abort();
	s = nsu_cmdline_join((const char *)data, size);
	if (!s || strlen(s) > size)
		abort();
	free(s);
	return 0;
}
