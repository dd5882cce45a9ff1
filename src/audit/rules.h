/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The rule loader: checks.d INI files -> a set of validated checks
 * (format: vigil-checks(5)).  Any malformed rule is an error with
 * "file:line: reason"; nothing is skipped silently.
 */

#include "check.h"

struct check_set {
	struct check **checks;	/* in load order; a later file replaces in place */
	size_t n;
	size_t allocated;
};

#define CHECK_SET_INIT { NULL, 0, 0 }

void check_set_done(struct check_set *s);

/* Look up a check by id, or NULL. */
struct check *check_set_find(const struct check_set *s, const char *id);

/* Parse one rule file's text (name is used in messages and stored in
 * check->file) into s, applying the override rules against the checks
 * already in s.  Returns 0, or -EINVAL with "name:line: reason" in d,
 * -ENOMEM.  On error s may hold the checks of earlier sections. */
int rules_load_text(struct check_set *s, const char *name, const char *text, size_t len, struct diag *d);

/* Read the file at path (host path, at most 1 MiB) and load it. */
int rules_load_file(struct check_set *s, const char *path, struct diag *d);

/* Load every *.conf of each directory in turn, files in strcmp order.
 * A missing directory is skipped unless must_exist (then -ENOENT with a
 * reason in d). */
int rules_load_dirs(struct check_set *s, char *const *dirs, size_t n_dirs, bool must_exist, struct diag *d);

/* True if id is a valid check id: [a-z0-9][a-z0-9.-]{0,40}. */
bool rules_id_valid(const char *id);
