/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * One bounded, cancellable pass over the entries of a directory below the
 * examined root, for the probes that read trees (homes, logfiles).  Every
 * entry counted goes against one budget shared by the whole check, so a
 * hostile tree costs at most `max` entries; a cancelled run (vigild
 * stopping) stops at the next entry.  The probe turns the flags into an
 * error verdict: a pass cut short is never a pass.
 */

#include <sys/stat.h>

#include "probe.h"

struct dir_budget {
	const struct audit_ctx *actx;	/* for audit_cancelled() */
	unsigned long long seen, max;	/* entries counted so far, and the cap */
	bool overflow, cancelled;	/* why a pass stopped early */
};

/* Called for each counted entry: its directory (open), image path, name
 * and lstat.  0 to go on, or -errno to stop the pass with it. */
typedef int (*dir_entry_fn)(void *userdata, int dirfd, const char *path, const char *name, const struct stat *st);

/* Call fn for the entries of the directory open at dfd (taken; image path
 * `path`), except "." and "..", those want() (may be NULL) declines, and
 * those gone before they were stat'ed.  Returns 0 (also when the budget
 * ran out or the run was cancelled: see b's flags), fn's -errno, or
 * -errno (-ENOMEM, or the directory could not be read). */
int dir_each(struct dir_budget *b, int dfd, const char *path, bool (*want)(const char *name), dir_entry_fn fn,
	     void *userdata);
