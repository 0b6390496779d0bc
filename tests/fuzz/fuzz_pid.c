/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_pid.c - PID and PID:INODE specs, and namespace type lists. */
#include "fuzz.h"
#include "nsutil-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	uint64_t ino;
	size_t bad;
	pid_t pid;
	int mask;

	if (nsu_parse_pid(s, &pid) == 0 && (pid < 1 || pid > NSU_PID_MAX_LIMIT))
		abort();
	if (nsu_parse_pid_spec(s, &pid, &ino) == 0 && pid < 1)
		abort();
	if (nsu_nstype_parse_list(s, &mask, &bad) < 0 && bad > size)
		abort();
	(void)nsu_nstype_from_name(s);
	free(s);
	return 0;
}
