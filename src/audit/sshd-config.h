/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * An sshd_config reader with OpenSSH's own semantics (sshd_config(5),
 * servconf.c of OpenSSH 9.2): keywords are case-insensitive, "Keyword
 * value" and "Keyword=value" are both accepted, values are split with
 * OpenSSH's quoting rules, Include expands globs (relative to /etc/ssh)
 * recursively up to 16 levels, and Match blocks last until the next Match
 * or the end of the file that opened them.
 *
 * Match blocks follow servconf.c's two passes.  At startup sshd reads
 * the global settings and the blocks of "Match all" (first value wins);
 * for each connection it re-reads only the Match blocks that match it
 * and a keyword allowed in Match that they set overrides the startup
 * value (again the first of them wins).  The audit evaluates the default
 * connection, the one "sshd -T" without -C reports: only "Match all"
 * matches it, as every other criterion needs a user, host, address or
 * port.  A Match block inside a file included from a block that does not
 * match never matches either (SSHCFG_NEVERMATCH).
 */

#include "rootfs.h"

enum sshd_scope {
	SSHD_SCOPE_GLOBAL,	/* outside Match blocks */
	SSHD_SCOPE_MATCH,	/* in a Match block that matches the default connection */
	SSHD_SCOPE_OTHER,	/* in a Match block that does not */
};

struct sshd_entry {
	char *keyword;		/* lower case */
	char *value;		/* arguments, unquoted, joined by one space */
	char *file;		/* image path */
	unsigned line;
	enum sshd_scope scope;
};

struct sshd_config {
	struct sshd_entry *entries;	/* in the order sshd reads them */
	size_t n, allocated;
	char *error;			/* first fatal error sshd would report, or NULL */
	unsigned n_files;		/* files read so far (bounded) */
};

#define SSHD_CONFIG_PATH "/etc/ssh/sshd_config"

/* Read path (normally SSHD_CONFIG_PATH) and its includes from root into
 * *ret (malloc'ed).  A config sshd itself would reject (unterminated
 * quote, keyword without argument, Include too deep, a bad Match line, a
 * global-only keyword in a Match block that is not "Match all") is
 * returned with ->error set.  Returns 0, -ENOENT if path does not exist, -errno. */
int sshd_config_load(const struct rootfs *root, const char *path, struct sshd_config **ret);

/* Parse text as the file named name.  root may be NULL: Include is then
 * recorded but not followed.  Returns 0 or -ENOMEM. */
int sshd_config_parse(struct sshd_config *cfg, const struct rootfs *root, const char *name, const char *text,
		      size_t len, unsigned depth, enum sshd_scope scope);

void sshd_config_free(struct sshd_config *cfg);

/* True if sshd allows keyword (lower case, canonical) inside a Match
 * block, so that a matching block overrides the global value. */
bool sshd_keyword_in_match(const char *keyword);

/* True if e counts for keyword's value for the default connection: when
 * a matching Match block sets the keyword (and Match may set it) only
 * the entries of matching blocks count, otherwise the global ones and
 * those of "Match all" blocks do (first wins, or all of them for
 * keywords that accumulate). */
bool sshd_config_counts(const struct sshd_config *cfg, const char *keyword, const struct sshd_entry *e);

/* The entry sshd uses for keyword (lower case) for the default
 * connection, or NULL if it is not set (the compiled-in default). */
const struct sshd_entry *sshd_config_first(const struct sshd_config *cfg, const char *keyword);

/* The first entry for keyword in a Match block that does not match the
 * default connection, or NULL. */
const struct sshd_entry *sshd_config_first_match(const struct sshd_config *cfg, const char *keyword);

/* The current name of a lower-case keyword that sshd still accepts under
 * an older name (ChallengeResponseAuthentication ->
 * kbdinteractiveauthentication); kw itself otherwise. */
const char *sshd_keyword_canonical(const char *kw);

/* OpenSSH convtime(): "90", "1m30s", "2h" -> seconds.  -EINVAL or
 * -ERANGE. */
int sshd_convtime(const char *s, long long *ret);
