/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Verification of a path the monitor flagged: its current state (scan_one)
 * against the baseline record, classified by change_classify() like
 * "vigil check" would.  Only a real difference becomes an event.
 *
 * The verifier also remembers, per path, the deviation it last reported
 * (action, changed attributes, type, mode, owner, size, content digest,
 * link target; not times or inode numbers).  A later event on the path
 * that leaves the deviation the same (a touch, a chmod to the same mode,
 * rewriting identical content) is not reported again; a deviation that
 * changes (new content, another mode) is.  When the path matches the
 * baseline again the memory is dropped, so a later deviation is new.
 * The memory is bounded (VERIFY_MAX_REMEMBERED paths); beyond it every
 * deviation is reported, which is noisy but never silent.
 */

#include <stdatomic.h>

#include "baseline.h"
#include "change.h"
#include "event-journal.h"
#include "rootfs.h"
#include "selection.h"

#define VERIFY_MAX_REMEMBERED 200000

struct verifier;

int verifier_new(struct verifier **ret);
struct verifier *verifier_free(struct verifier *v);
/* Forget every reported deviation (a new baseline was loaded). */
void verifier_forget_all(struct verifier *v);
size_t verifier_remembered(const struct verifier *v);

/* What a verification found, for pairing a deletion with a creation of
 * the same file elsewhere (a rename) and for expanding directories. */
struct verify_info {
	enum change_action action;	/* valid when an event was returned */
	uint64_t ino;			/* of the new record, or the old one if deleted */
	bool has_sha256;
	uint8_t sha256[SHA256_LEN];
	bool is_dir, was_dir;		/* a directory now / in the baseline */
};

/* One flagged path, verified in two steps so that the costly one (stat,
 * read and hash) runs on a worker thread and the cheap one (compare with
 * the baseline and the verifier's memory) on the event loop. */
struct observation {
	char *path;		/* owned */
	uint32_t mask;		/* attributes to record: the covering rule's */
	pid_t pid;		/* the process behind the event, 0 if unknown */
	int r;			/* 0: cur holds the state; -ENOENT: no such path; else -errno */
	struct vrecord cur;
};

/* Record o->path into o->cur and o->r.  Touches nothing but o and root
 * (read-only), so it may run on any thread; stops hashing with o->r =
 * -ECANCELED once *cancel (may be NULL) is true. */
void verify_observe(const struct rootfs *root, struct observation *o, const atomic_bool *cancel);
/* Free what o owns and reset it; o may be observed again after a new path. */
void observation_done(struct observation *o);
/* Judge an observation against b: as verifier_check_path() below. */
int verifier_judge(struct verifier *v, const struct baseline *b, const struct observation *o,
		   struct vevent **ret_event, struct verify_info *ret_info);

/* Verify path (covered by rule) against b, in one step (both of the above).  1 with *ret_event (owned by
 * the caller) for a deviation not reported yet, 0 for nothing to report,
 * -errno on failure.  ret_info (may be NULL) is filled unless -errno. */
int verifier_check_path(struct verifier *v, const struct rootfs *root, const struct baseline *b,
			const struct watch_rule *rule, const char *path, struct vevent **ret_event,
			struct verify_info *ret_info);

/* A rename seen as a deletion (from) and a creation (e, at its own path):
 * turn e into a VEVENT_FILE_MOVED event naming both. */
void verifier_make_moved(struct vevent *e, const char *from);

/* The same for a change found by a rescan (change_diff()). */
int verifier_check_change(struct verifier *v, const struct change *c, struct vevent **ret_event);
