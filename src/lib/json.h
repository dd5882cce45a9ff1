/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A minimal JSON writer for one-object-per-line output.  Keys are trusted
 * literals; string values go through escape_untrusted() and then JSON
 * string encoding, so the output is always valid UTF-8 JSON.
 *
 *	struct json j;
 *	json_begin(&j, sb);
 *	json_str(&j, "type", "change");
 *	json_object_begin(&j, "old"); ... json_object_end(&j);
 *	json_end(&j);		-> sb holds {"type":"change","old":{...}}
 */

#include <stdint.h>

#include "strbuf.h"

#define JSON_MAX_DEPTH 8

struct json {
	struct strbuf *sb;
	unsigned depth;
	bool first[JSON_MAX_DEPTH];
	bool in_array[JSON_MAX_DEPTH];
};

void json_begin(struct json *j, struct strbuf *sb);
void json_end(struct json *j);

/* Members of the current object (key) or elements of the current array
 * (key must be NULL). */
void json_str(struct json *j, const char *key, const char *value);	/* NULL -> null */
void json_strn(struct json *j, const char *key, const char *value, size_t len);
/* Text vigil holds itself (rule files): when escape_is_clean_text(), only
 * JSON-encoded, so a consumer decodes exactly the text (backslashes
 * included); otherwise escaped as json_str() does. */
void json_str_text(struct json *j, const char *key, const char *value);
void json_int(struct json *j, const char *key, int64_t value);
void json_uint(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, bool value);
void json_double(struct json *j, const char *key, double value);
void json_null(struct json *j, const char *key);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
