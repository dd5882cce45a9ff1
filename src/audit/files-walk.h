/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The walk behind the files probe: one pass over a set of directory trees
 * that finds, at the same time, world-writable files (and world-writable
 * directories without the sticky bit), files whose owner or group has
 * no name in the image (CIS 7.1.11, 7.1.12) and setuid or setgid regular
 * files (the privileged commands of CIS 6.3.3.6).  Symlinks are never
 * followed; /proc, /sys, /dev and /run are never entered from a parent
 * (the caller may give a file system mounted there as a root); with xdev
 * a walk stays on the file system of its root.
 *
 * The trees are walked by a few threads: a thread that finds a
 * subdirectory while another is idle hands it over instead of descending
 * itself.  Results do not depend on the schedule: counts are exact and
 * the paths kept are the first PROBE_MAX_FINDINGS (FILES_WALK_MAX_SETID
 * for setid files, all of them on any sane system) in strcmp order.
 */

#include "idmap.h"
#include "probe.h"
#include "rootfs.h"

struct files_found {
	char **paths;		/* sorted, at most PROBE_MAX_FINDINGS */
	size_t n;
	unsigned long long count;	/* all of them */
};

struct files_walk_result {
	unsigned long long n_seen;	/* entries looked at */
	unsigned long long n_unreadable;	/* directories that could not be opened */
	bool overflow;			/* more than max entries */
	bool too_deep;			/* nesting beyond the depth limit */
	struct files_found world_writable, unowned, setid;
};

struct files_walk_opts {
	const struct rootfs *root;
	const char *const *roots;	/* image-absolute directories; a missing one is skipped */
	size_t n_roots;
	bool xdev;			/* stay on each root's file system */
	unsigned long long max;		/* entries before the walk gives up */
	const struct idmap *ids;
	unsigned threads;		/* 0: one per CPU, at most FILES_WALK_MAX_THREADS */
	const atomic_bool *cancel;	/* stop as soon as it is set; NULL: never */
};

#define FILES_WALK_MAX_DEPTH 64
#define FILES_WALK_MAX_THREADS 4
#define FILES_WALK_MAX_SETID 65536

/* Walk every root.  Returns 0 with *ret filled (overflow and too_deep are
 * results, not errors), -ENOMEM, -ECANCELED once *o->cancel is set (every
 * thread stops at its next entry; nothing is returned), or -errno when a
 * root exists but cannot be opened, with its path in *ret_path
 * (malloc'ed; may be NULL). */
int files_walk(const struct files_walk_opts *o, struct files_walk_result *ret, char **ret_path);

void files_walk_result_done(struct files_walk_result *r);

/* True for the trees a walk never enters from a parent (see above). */
bool files_walk_is_skipped(const char *path);
