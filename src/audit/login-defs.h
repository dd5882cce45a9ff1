/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * /etc/login.defs with the semantics of shadow-utils (shadow-maint/shadow,
 * lib/getdef.c: def_load() and putdef_str() of the build without
 * libeconf, which reads /etc/login.defs alone):
 *
 *  - the file is read with fgets() into a 1024-byte buffer, so a line
 *    longer than 1023 bytes is read as several lines;
 *  - trailing white space is dropped; a line whose first non-blank
 *    character is '#' is a comment;
 *  - the name ends at the first space or tab; a line with a name only is
 *    ignored;
 *  - the value starts after any spaces, tabs and double quotes and ends
 *    at the next double quote (or the end of the line);
 *  - each line calls putdef_str(), which replaces the stored value: the
 *    LAST occurrence of a name wins;
 *  - names are case-sensitive (def_find() uses strcmp()).
 *
 * The keys are not checked against shadow's table of known names: vigil
 * reports what the file says.
 */

#include "util.h"

#define LOGIN_DEFS_PATH "/etc/login.defs"
#define LOGIN_DEFS_MAX (4u * 1024u * 1024u)

struct login_defs_entry {
	char *key;
	char *value;
	unsigned line;
};

struct login_defs {
	struct login_defs_entry *entries;	/* one per name, last value */
	size_t n;
	size_t alloc;
};

/* Parse data[0..len).  Embedded NUL bytes end a line as they end the
 * string fgets() returns.  Returns 0 or -ENOMEM; *ret is written only
 * on success and freed with login_defs_free(). */
int login_defs_parse(const char *data, size_t len, struct login_defs *ret);

void login_defs_free(struct login_defs *ld);

/* The value of key (last occurrence), or NULL if unset; owned by ld. */
const char *login_defs_get(const struct login_defs *ld, const char *key);

/* The entry of key with its line, or NULL. */
const struct login_defs_entry *login_defs_get_entry(const struct login_defs *ld, const char *key);
