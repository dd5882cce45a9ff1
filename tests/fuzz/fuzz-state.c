/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state file parser (vigil status reads a file anyone with write
 * access to /run/vigil could have replaced). */
#include <stdint.h>

#include "daemon/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct daemon_state s;
	struct diag d = { "" };
	struct strbuf sb = STRBUF_INIT;

	if (state_parse((const char *)data, size, &s, &d) == 0) {
		struct daemon_state again;

		/* What parses must survive a round trip unchanged. */
		state_format(&s, &sb);
		if (strbuf_error(&sb) == 0 && (state_parse(sb.buf, sb.len, &again, &d) != 0 ||
					       memcmp(&s, &again, sizeof(s)) != 0))
			abort();
		strbuf_reset(&sb);
		state_to_json(&s, &sb);
	}
	strbuf_free(&sb);
	return 0;
}
