/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "escape.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0 if the bytes are not valid. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *ret_cp)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return n;
}

static bool cp_is_dangerous(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Bytes at s to copy verbatim (0 if the next byte(s) need escaping); sets
 * *ret_bad to the number of bytes to escape instead. */
static size_t next_run(const unsigned char *s, size_t len, size_t *ret_bad)
{
	uint32_t cp;
	size_t n = utf8_seq(s, len, &cp);

	if (n == 0) {
		*ret_bad = 1;
		return 0;
	}
	if (cp_is_dangerous(cp) || cp == '\\') {
		*ret_bad = cp == '\\' ? 0 : n;
		return 0;
	}
	*ret_bad = 0;
	return n;
}

void escape_untrusted(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t bad, n = next_run(p + i, len - i, &bad);

		if (n > 0) {
			strbuf_append(sb, p + i, n);
			i += n;
		} else if (bad == 0) {	/* a backslash */
			strbuf_puts(sb, "\\\\");
			i++;
		} else {
			for (size_t k = 0; k < bad; k++)
				strbuf_printf(sb, "\\x%02x", p[i + k]);
			i += bad;
		}
	}
}

bool escape_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t bad, n = next_run(p + i, len - i, &bad);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

bool escape_is_clean_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t bad, n = next_run(p + i, len - i, &bad);

		if (n == 0 && bad > 0)
			return false;
		i += n ? n : 1;	/* a backslash */
	}
	return true;
}
