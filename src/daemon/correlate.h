/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Posture correlation: the host's failing hardening checks, each with the
 * paths it concerns (the check's `paths`), matched against event paths.
 * An event on a path that a failing check concerns is more dangerous than
 * the same event on a hardened host (exposure + activity), so it carries
 * VIGIL_POSTURE=<check ids>, its severity is raised one step, and the
 * message names the failing checks.
 *
 * A check path matches an event path when it is the same path, a
 * directory above it ("/etc/ssh" matches "/etc/ssh/sshd_config"), or a
 * glob (fnmatch(3) without FNM_PATHNAME, as for excludes) matching it.
 */

#include "event-journal.h"
#include "strbuf.h"

struct posture_entry {
	char *id;
	char *title;		/* may be NULL */
	char **paths;
	size_t n_paths;
};

struct posture {
	struct posture_entry *entries;	/* failing checks that have paths */
	size_t n, alloc;
};

void posture_free(struct posture *p);
/* Add a failing check (strings copied).  0 or -ENOMEM. */
int posture_add(struct posture *p, const char *id, const char *title, char *const *paths, size_t n_paths);
bool posture_path_matches(const char *check_path, const char *path);
/* Failing checks concerning path: ids (space-separated) and titles
 * ("; "-separated) appended to the buffers; returns how many. */
size_t posture_match(const struct posture *p, const char *path, struct strbuf *ids, struct strbuf *why);
/* Enrich e (which has VIGIL_PATH) when failing checks concern its path.
 * Returns how many matched. */
size_t posture_enrich(const struct posture *p, struct vevent *e);
