/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The log queue: a bounded multi-producer queue of events and the one
 * writer thread that renders and sends them.  The monitor never waits for
 * logging (fapolicyd learned that a monitor blocked on journald can hang a
 * host): logq_push() never blocks; when the queue is full the event is
 * dropped and counted, and the writer reports the count as a
 * VEVENT_EVENTS_DROPPED event as soon as it has room to.
 *
 * Targets: journald (falls back to a JSON line on stderr for an event
 * that journald refuses, e.g. when it is not running), JSON lines, or
 * text lines, both on a given fd (stderr).
 */

#include <stdint.h>

#include "event-journal.h"

enum log_target {
	LOG_TARGET_JOURNAL,
	LOG_TARGET_JSON,
	LOG_TARGET_TEXT,
};

/* "journal", "json", "stderr" (text). -EINVAL for anything else. */
int log_target_from_string(const char *s, enum log_target *ret);

/* Writes one event; returns 0 or -errno.  Called from the writer thread. */
typedef int (*logq_sink_fn)(void *userdata, const struct vevent *e);

struct logq_stats {
	uint64_t pushed;	/* accepted into the queue */
	uint64_t dropped;	/* refused because the queue was full */
	uint64_t written;	/* handed to the target */
	uint64_t fallbacks;	/* journald refused, written to fd instead */
	uint64_t errors;	/* could not be written anywhere */
};

struct logq;

/* Start the writer thread.  capacity: events queued at most.  sink may be
 * NULL (render for target to fd); tests pass their own.  0 or -errno. */
int logq_new(size_t capacity, enum log_target target, int fd, logq_sink_fn sink, void *userdata,
	     struct logq **ret);
/* Write everything still queued, stop and join the writer; NULL-safe. */
struct logq *logq_free(struct logq *q);

/* Queue e; takes ownership in every case.  0, or -ENOBUFS if the queue was
 * full (e is freed and counted as dropped). */
int logq_push(struct logq *q, struct vevent *e);
/* Wait until the writer has handled everything pushed so far. */
void logq_flush(struct logq *q);
void logq_get_stats(struct logq *q, struct logq_stats *ret);

/* Render and write e for target to fd (what the default sink does). */
int logq_write_event(enum log_target target, int fd, const struct vevent *e, bool *ret_fallback);
