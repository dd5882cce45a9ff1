/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Parsers for the local account databases of the examined root, read as
 * files (never through NSS: the audited image is not the host):
 * passwd(5) 7 fields, shadow(5) 9 fields, group(5) 4 fields, separated
 * by ':'.  A line with another field count, a non-numeric UID/GID or
 * aging field, an empty name or an embedded NUL is an error with
 * "file:line: reason".  As glibc's nss_files does, empty lines and lines
 * starting with '#' are skipped; NIS compat lines (starting with '+' or
 * '-') are skipped too: they name no local account.
 */

#include "diag.h"
#include "util.h"

#define ACCOUNTS_DB_MAX (64u * 1024u * 1024u)

struct pw_entry {
	char *name;
	char *passwd;		/* field 2 ("x": the hash is in shadow) */
	unsigned uid, gid;
	char *gecos, *home, *shell;
	unsigned line;
};

/* shadow(5) numeric fields: -1 when empty. */
struct sp_entry {
	char *name;
	char *hash;		/* field 2; "" = no password, "!..."/"*" = locked */
	long long lastchg, min, max, warn, inactive, expire;
	unsigned line;
};

struct gr_entry {
	char *name;
	char *passwd;
	unsigned gid;
	char **members;		/* field 4 split on ',' */
	size_t n_members;
	unsigned line;
};

struct accounts_db {
	struct pw_entry *pw;
	size_t n_pw, alloc_pw;
	struct sp_entry *sp;
	size_t n_sp, alloc_sp;
	struct gr_entry *gr;
	size_t n_gr, alloc_gr;
};

/* Each parser appends the entries of data[0..len) (fname for diagnostics
 * only) to db.  Returns 0, -EINVAL with "fname:line: reason" in d, or
 * -ENOMEM; on failure db holds the entries appended before the bad line. */
int accounts_db_parse_passwd(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d);
int accounts_db_parse_shadow(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d);
int accounts_db_parse_group(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d);

void accounts_db_free(struct accounts_db *db);

/* Lookups by name (first entry, as getpwnam() on files) or id; NULL if
 * none.  Owned by db. */
const struct pw_entry *accounts_db_user(const struct accounts_db *db, const char *name);
const struct sp_entry *accounts_db_shadow(const struct accounts_db *db, const char *name);
const struct gr_entry *accounts_db_group(const struct accounts_db *db, const char *name);
const struct gr_entry *accounts_db_group_by_gid(const struct accounts_db *db, unsigned gid);

/* True if a shadow hash can never match a password ("!", "*", "!hash",
 * "*LK*"...): crypt(3) hashes never start with '!' or '*'. */
bool accounts_hash_is_locked(const char *hash);
