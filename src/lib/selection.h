/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * What an integrity scan covers: watched paths with their attribute sets,
 * and exclude globs.  Built from vigil.conf or from command-line paths,
 * and stored inside every baseline so that "vigil check" re-scans exactly
 * what was baselined.
 *
 * Exclude globs: a pattern starting with '/' is matched (fnmatch(3),
 * without FNM_PATHNAME, so '*' also matches '/') against the whole
 * image-absolute path; any other pattern against the file name alone.
 * An excluded directory is not descended into.
 */

#include <stdint.h>

#include "strbuf.h"
#include "util.h"

struct watch_rule {
	char *path;		/* image-absolute, normalised: no "//", ".", "..", trailing '/' */
	uint32_t mask;		/* ATTR_* */
	bool recurse;
	char **excludes;	/* rule's own exclude globs (global ones are in selection) */
	size_t n_excludes;
};

struct selection {
	struct watch_rule *rules;	/* sorted by path_compare(), unique paths */
	size_t n_rules;
	char **excludes;		/* global exclude globs */
	size_t n_excludes;
	bool one_filesystem;		/* do not cross mount points (default) */
};

void selection_free(struct selection *sel);

/* Add a watched path (normalised and validated here: must be absolute, no
 * "..", at most PATH_MAX).  A later rule for the same path replaces the
 * earlier one's mask/recurse.  -EINVAL for a bad path, -ENOMEM. */
int selection_add(struct selection *sel, const char *path, uint32_t mask, bool recurse);
/* Exclude glob for the rule at index (or global when rule is SIZE_MAX). */
int selection_add_exclude(struct selection *sel, size_t rule, const char *glob);
/* Sort rules by path; call once after the last selection_add(). */
void selection_finish(struct selection *sel);

/* Normalise an absolute path into a malloc'ed copy; -EINVAL if it is not
 * absolute, contains "..", or is longer than PATH_MAX. */
int path_normalize(const char *path, char **ret);

/* The rule governing path: the rule with the longest path that is path
 * itself or one of its parents (and recursive if it is a parent).  NULL if
 * path is not selected. */
const struct watch_rule *selection_rule_for(const struct selection *sel, const char *path);
/* True if path (whose file name is name) is excluded under rule. */
bool selection_excluded(const struct selection *sel, const struct watch_rule *rule, const char *path,
			const char *name);
/* True if path is the root of a rule other than rule (the walk of rule
 * stops there; that rule covers it). */
bool selection_is_other_root(const struct selection *sel, const struct watch_rule *rule, const char *path);

/* Stable binary serialisation, stored in the baseline. */
int selection_serialize(const struct selection *sel, struct strbuf *out);
int selection_deserialize(const void *data, size_t len, struct selection *ret);
/* SHA-256 of the serialisation: identifies a selection. */
int selection_hash(const struct selection *sel, uint8_t ret[32]);
