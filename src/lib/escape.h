/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Untrusted strings (file names above all) are escaped the same way in
 * every output format, so a file named with a newline, an ANSI escape or
 * a bidi override cannot forge or disguise a line of output:
 *
 *   backslash                      -> "\\"
 *   bytes 0x00-0x1f, 0x7f          -> "\xNN"
 *   bytes that are not valid UTF-8 -> "\xNN"
 *   C1 controls U+0080-U+009F and
 *   bidi controls U+202A-U+202E,
 *   U+2066-U+2069 (UTF-8 encoded)  -> "\xNN" for each of their bytes
 *
 * Everything else (printable ASCII, valid UTF-8) is copied.  The result is
 * reversible and unambiguous.  JSON encoding is applied on top of this.
 */

#include "strbuf.h"

void escape_untrusted(struct strbuf *sb, const char *s, size_t len);

/* True if s needs no escaping at all. */
bool escape_is_clean(const char *s, size_t len);

/* True if s needs no escaping except for its backslashes.  Text vigil
 * holds itself (the rule files' titles and remediation commands, where
 * "printf 'a\n'" must stay a command one can paste) is written as is
 * when this holds: its backslashes are meant literally, and only the
 * reversibility of attacker-controlled names needs them doubled. */
bool escape_is_clean_text(const char *s, size_t len);
