/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <math.h>

#include "escape.h"
#include "json.h"

static void json_sep(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		strbuf_putc(j->sb, ',');
	j->first[j->depth] = false;
	if (key) {
		strbuf_putc(j->sb, '"');
		strbuf_puts(j->sb, key);
		strbuf_puts(j->sb, "\":");
	}
}

static void json_open(struct json *j, char c, bool array)
{
	strbuf_putc(j->sb, c);
	if (j->depth + 1 < JSON_MAX_DEPTH) {
		j->depth++;
		j->first[j->depth] = true;
		j->in_array[j->depth] = array;
	} else
		j->sb->oom = true;	/* programming error: nesting too deep */
}

static void json_close(struct json *j, char c)
{
	strbuf_putc(j->sb, c);
	if (j->depth > 0)
		j->depth--;
}

void json_begin(struct json *j, struct strbuf *sb)
{
	*j = (struct json){ .sb = sb };
	j->first[0] = true;
	json_open(j, '{', false);
}

void json_end(struct json *j)
{
	json_close(j, '}');
}

/* JSON string encoding of already escape_untrusted()'d text: only '"' and
 * the backslashes introduced by escaping remain to be encoded. */
static void json_encode(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			strbuf_putc(sb, '\\');
		strbuf_putc(sb, s[i]);
	}
	strbuf_putc(sb, '"');
}

void json_strn(struct json *j, const char *key, const char *value, size_t len)
{
	_cleanup_strbuf_ struct strbuf esc = STRBUF_INIT;

	json_sep(j, key);
	if (!value) {
		strbuf_puts(j->sb, "null");
		return;
	}
	if (escape_is_clean(value, len)) {
		json_encode(j->sb, value, len);
		return;
	}
	escape_untrusted(&esc, value, len);
	if (strbuf_error(&esc) < 0) {
		j->sb->oom = true;
		return;
	}
	json_encode(j->sb, strbuf_str(&esc), esc.len);
}

void json_str_text(struct json *j, const char *key, const char *value)
{
	size_t len = value ? strlen(value) : 0;

	if (value && escape_is_clean_text(value, len)) {
		json_sep(j, key);
		json_encode(j->sb, value, len);
		return;
	}
	json_strn(j, key, value, len);
}

void json_str(struct json *j, const char *key, const char *value)
{
	json_strn(j, key, value, value ? strlen(value) : 0);
}

void json_int(struct json *j, const char *key, int64_t value)
{
	json_sep(j, key);
	strbuf_printf(j->sb, "%" PRId64, value);
}

void json_uint(struct json *j, const char *key, uint64_t value)
{
	json_sep(j, key);
	strbuf_printf(j->sb, "%" PRIu64, value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	json_sep(j, key);
	strbuf_puts(j->sb, value ? "true" : "false");
}

void json_double(struct json *j, const char *key, double value)
{
	json_sep(j, key);
	if (isfinite(value))
		strbuf_printf(j->sb, "%.3f", value);
	else
		strbuf_puts(j->sb, "null");
}

void json_null(struct json *j, const char *key)
{
	json_sep(j, key);
	strbuf_puts(j->sb, "null");
}

void json_object_begin(struct json *j, const char *key)
{
	json_sep(j, key);
	json_open(j, '{', false);
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	json_sep(j, key);
	json_open(j, '[', true);
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}
