/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* replay.c - runs a fuzz target over files (its seed corpus and the crash
 * inputs kept as regressions) without libFuzzer, so that `meson test`
 * replays them in every build, sanitizers included. Prints TAP. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (!d) {
			printf("not ok %d - cannot open %s\n", ++n, argv[i]);
			failed++;
			continue;
		}
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			/* a crash aborts the whole run: the test fails */
			if (run_file(path) < 0) {
				printf("not ok %d - %s unreadable\n", ++n, path);
				failed++;
			} else {
				printf("ok %d - %s\n", ++n, path);
			}
		}
		closedir(d);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
