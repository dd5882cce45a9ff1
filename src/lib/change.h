/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Integrity changes: the comparison of a baseline with the current state,
 * one struct change per deviation, and their rendering (text, JSON line).
 * The CLI prints them; the daemon turns the same struct into journald
 * fields, so every front end classifies and names changes identically.
 *
 * Actions are ECS event.action words: created, deleted, updated (content),
 * attributes_modified (metadata only), type_changed, moved (a deleted and a
 * created path with the same inode and digest).
 */

#include "record.h"
#include "severity.h"
#include "strbuf.h"

enum change_action {
	CHANGE_CREATED,
	CHANGE_DELETED,
	CHANGE_UPDATED,
	CHANGE_ATTRIBUTES_MODIFIED,
	CHANGE_TYPE_CHANGED,
	CHANGE_MOVED,
	_CHANGE_ACTION_MAX,
};

const char *change_action_name(enum change_action a);

struct change {
	enum change_action action;
	const char *path;		/* new path (the old one for deleted) */
	const char *moved_from;		/* CHANGE_MOVED: the old path */
	const struct vrecord *old;	/* NULL for created */
	const struct vrecord *new;	/* NULL for deleted */
	uint32_t changed;		/* ATTR_* that differ (type change: all recorded) */
	enum severity severity;
};

/* Classify old vs new of one path (either may be NULL, not both).
 * Returns 1 and fills *ret if they differ, 0 if they are the same. */
int change_classify(const struct vrecord *old, const struct vrecord *new, struct change *ret);

/* Callback for each change, in path order (moved: at the new path). */
typedef int (*change_fn)(const struct change *c, void *userdata);

/* Compare two record arrays sorted by path_compare() and call fn for each
 * change; deleted+created pairs with the same inode and digest become one
 * CHANGE_MOVED.  Stops at, and returns, the first negative return of fn.
 * Returns the number of changes or -errno. */
int change_diff(const struct vrecord *old, size_t n_old, const struct vrecord *new, size_t n_new,
		change_fn fn, void *userdata);

/* A sequence of records in path order, read one at a time: lets a
 * comparison read the old side straight from a mapped baseline instead
 * of a copy of all its records. */
struct record_iter {
	/* Store the next record in *ret (valid until the next call); false at the end. */
	bool (*next)(void *ctx, struct vrecord *ret);
	void *ctx;
};

/* change_diff() with the old side from an iterator. */
int change_diff_iter(const struct record_iter *old, const struct vrecord *new, size_t n_new, change_fn fn,
		     void *userdata);

/* Renderers.  Untrusted strings are escaped (escape.h). */
/* {"type":"change","action":...,"path":...,"changed":[...],"old":{...},"new":{...},"severity":...} */
void change_to_json(const struct change *c, struct strbuf *out);
/* One human line, e.g. "updated  /usr/bin/ls  (sha256 size mtime ctime)". */
void change_to_text(const struct change *c, struct strbuf *out);
/* A record's attributes as a JSON object member (old/new); key may be NULL
 * inside arrays. */
struct json;
void record_to_json(struct json *j, const char *key, const struct vrecord *r);
