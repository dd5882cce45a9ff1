/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * vigild's state file (/run/vigil/state): counters and the times of the
 * last periodic runs, for "vigil status".  Format: "key=value" lines, one
 * per field below, numbers in decimal; unknown keys are ignored so older
 * readers keep working.  Replaced atomically (fileio.h) by vigild, read by
 * anyone: the parser treats the file as hostile (bounded size and line
 * length, numbers checked, embedded NULs rejected).
 */

#include <stdint.h>

#include "diag.h"
#include "strbuf.h"

#define STATE_FILE VIGIL_RUNDIR "/state"
#define STATE_MAX_SIZE (64 * 1024)

struct daemon_state {
	uint64_t pid;
	uint64_t started_usec;		/* CLOCK_REALTIME */
	uint64_t updated_usec;
	char monitor[16];		/* fanotify, inotify */
	char baseline[256];		/* database path (truncated if longer) */
	uint64_t baseline_records;
	uint64_t watches;		/* fanotify: filesystems marked; inotify: watches */
	uint64_t kernel_events;
	uint64_t unresolved;		/* events whose path was gone */
	uint64_t verified;		/* paths verified against the baseline */
	uint64_t reported;		/* events sent to the log queue */
	uint64_t summarized;		/* events folded into burst summaries */
	uint64_t dropped;		/* events dropped by a full log queue */
	uint64_t overflows;		/* kernel queue overflows */
	uint64_t pending;		/* paths waiting for their debounce delay */
	uint64_t reloads;
	uint64_t last_audit_usec;	/* 0 = never */
	uint64_t audit_failed;		/* failing checks at the last audit */
	uint64_t last_check_usec;	/* 0 = never */
	uint64_t check_changes;		/* deviations at the last full check */
};

/* Serialise s as the file's text. */
void state_format(const struct daemon_state *s, struct strbuf *out);
/* Parse the file's text.  -EBADMSG with a reason in d for a malformed
 * file (line too long, bad number, NUL byte). */
int state_parse(const char *text, size_t len, struct daemon_state *ret, struct diag *d);
/* Atomically replace path with s.  0 or -errno. */
int state_write(const char *path, const struct daemon_state *s);
/* Read and parse path.  -ENOENT when vigild is not running (no file). */
int state_read(const char *path, struct daemon_state *ret, struct diag *d);
/* "vigil status --json": one JSON object. */
void state_to_json(const struct daemon_state *s, struct strbuf *out);
