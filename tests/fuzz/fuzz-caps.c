/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the security.capability decoder: the value is read from disk and
 * is whatever an attacker wrote there. */
#include <stdint.h>
#include <stdlib.h>

#include "attrs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;

	if (size > ATTRS_VALUE_MAX)
		return 0;
	attrs_format_caps(data, size, &sb);
	/* Text only: one line, no NUL inside. */
	if (strbuf_error(&sb) == 0 && (strlen(strbuf_str(&sb)) != sb.len || strchr(strbuf_str(&sb), '\n')))
		abort();
	strbuf_free(&sb);
	return 0;
}
