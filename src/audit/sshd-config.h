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
 * Settings inside a Match block are kept but marked: the audit evaluates
 * the default connection, which no Match criterion but "all" selects.
 */

#include "rootfs.h"

struct sshd_entry {
	char *keyword;		/* lower case */
	char *value;		/* arguments, unquoted, joined by one space */
	char *file;		/* image path */
	unsigned line;
	bool in_match;		/* inside a Match block other than "Match all" */
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
 * quote, keyword without argument, Include too deep) is returned with
 * ->error set.  Returns 0, -ENOENT if path does not exist, -errno. */
int sshd_config_load(const struct rootfs *root, const char *path, struct sshd_config **ret);

/* Parse text as the file named name.  root may be NULL: Include is then
 * recorded but not followed.  Returns 0 or -ENOMEM. */
int sshd_config_parse(struct sshd_config *cfg, const struct rootfs *root, const char *name, const char *text,
		      size_t len, unsigned depth, bool in_match);

void sshd_config_free(struct sshd_config *cfg);

/* The first global (not in a Match block) entry for keyword (lower case),
 * or NULL. */
const struct sshd_entry *sshd_config_first(const struct sshd_config *cfg, const char *keyword);

/* The first entry for keyword inside a Match block, or NULL. */
const struct sshd_entry *sshd_config_first_match(const struct sshd_config *cfg, const char *keyword);

/* The current name of a lower-case keyword that sshd still accepts under
 * an older name (ChallengeResponseAuthentication ->
 * kbdinteractiveauthentication); kw itself otherwise. */
const char *sshd_keyword_canonical(const char *kw);

/* OpenSSH convtime(): "90", "1m30s", "2h" -> seconds.  -EINVAL or
 * -ERANGE. */
int sshd_convtime(const char *s, long long *ret);
