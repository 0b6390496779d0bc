/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape.c - make process-supplied strings (command names, command lines)
 * safe to print: control characters and invalid UTF-8 become \xHH. */
#include <stdio.h>

#include "nsutil-internal.h"

/* Length of the valid UTF-8 sequence at S (at most N bytes), or 0. Rejects
 * overlong forms, surrogates and code points above U+10FFFF, so a terminal
 * never sees a byte sequence we did not check. *CP gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2; c = s[0] & 0x1F; min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3; c = s[0] & 0x0F; min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

NSU_EXPORT char *nsu_escape_string(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out, *o;

	if (!s) {
		errno = EINVAL;
		return NULL;
	}
	/* worst case: every byte becomes \xHH */
	if (len > (SIZE_MAX - 1) / 4) {
		errno = ENOMEM;
		return NULL;
	}
	out = malloc(len * 4 + 1);
	if (!out)
		return NULL;
	o = out;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_seq(u + i, len - i, &cp);

		/* C0, DEL and C1 controls move cursors and change terminal
		 * state; the backslash is escaped so \xHH stays unambiguous */
		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xA0) || cp == '\\') {
			size_t bytes = n ? n : 1;

			for (size_t k = 0; k < bytes; k++) {
				snprintf(o, 5, "\\x%02x", u[i + k]);
				o += 4;
			}
			i += bytes;
			continue;
		}
		memcpy(o, u + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	return out;
}
