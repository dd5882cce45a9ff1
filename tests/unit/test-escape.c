/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping of untrusted strings and the JSON writer. */
#include "escape.h"
#include "json.h"
#include "tap.h"

static const char *esc(const char *s, size_t len)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	escape_untrusted(&sb, s, len);
	return strbuf_str(&sb);
}

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	is_str(esc("plain/path", 10), "plain/path", "plain ASCII copied");
	is_str(esc("caf\xc3\xa9", 5), "caf\xc3\xa9", "valid UTF-8 copied");
	is_str(esc("a\\b", 3), "a\\\\b", "backslash doubled");
	is_str(esc("a\nb", 3), "a\\x0ab", "newline escaped");
	is_str(esc("\x1b[2J", 4), "\\x1b[2J", "ESC escaped");
	is_str(esc("\xff\xfe", 2), "\\xff\\xfe", "invalid UTF-8 escaped");
	is_str(esc("\xc0\xaf", 2), "\\xc0\\xaf", "overlong UTF-8 escaped");
	is_str(esc("\xed\xa0\x80", 3), "\\xed\\xa0\\x80", "surrogate escaped");
	is_str(esc("x\xe2\x80\xaey", 5), "x\\xe2\\x80\\xaey", "bidi override U+202E escaped");
	is_str(esc("\xc2\x9b", 2), "\\xc2\\x9b", "C1 CSI escaped");
	is_str(esc("a\0b", 3), "a\\x00b", "NUL escaped");
	ok(escape_is_clean("/usr/bin/ls", 11), "clean path is clean");
	ok(!escape_is_clean("a\\b", 3), "backslash is not clean");
	ok(escape_is_clean_text("printf 'a\\n' \\m", 14), "text with backslashes only is clean text");
	ok(!escape_is_clean_text("a\\\x1b[2J", 7), "an ESC is not clean text");
	ok(!escape_is_clean_text("\xff", 1), "invalid UTF-8 is not clean text");
	ok(escape_is_clean_text("", 0), "empty");

	json_begin(&j, &sb);
	json_str(&j, "s", "q\"uote");
	json_int(&j, "i", -3);
	json_uint(&j, "u", 18446744073709551615ULL);
	json_bool(&j, "b", true);
	json_null(&j, "n");
	json_array_begin(&j, "a");
	json_str(&j, NULL, "x");
	json_str(&j, NULL, "back\\slash");
	json_array_end(&j);
	json_object_begin(&j, "o");
	json_str(&j, "k", "\n");
	json_object_end(&j);
	json_end(&j);
	is_str(strbuf_str(&sb),
	       "{\"s\":\"q\\\"uote\",\"i\":-3,\"u\":18446744073709551615,\"b\":true,\"n\":null,"
	       "\"a\":[\"x\",\"back\\\\\\\\slash\"],\"o\":{\"k\":\"\\\\x0a\"}}",
	       "JSON writer output");
	ok(strbuf_error(&sb) == 0, "no allocation failure");

	/* Rule-file text: a remediation "\m" decodes as "\m" (JSON "\\m"),
	 * while a file name keeps vigil's escaping on top. */
	strbuf_reset(&sb);
	json_begin(&j, &sb);
	json_str_text(&j, "r", "remove \\m");
	json_str_text(&j, "e", "a\x1b\\");
	json_str(&j, "p", "a\\b");
	json_str_text(&j, "n", NULL);
	json_end(&j);
	is_str(strbuf_str(&sb), "{\"r\":\"remove \\\\m\",\"e\":\"a\\\\x1b\\\\\\\\\",\"p\":\"a\\\\\\\\b\",\"n\":null}",
	       "json_str_text: only JSON encoding for clean text, escaping otherwise");
	strbuf_free(&sb);
	esc("", 0);
	return tap_done();
}
