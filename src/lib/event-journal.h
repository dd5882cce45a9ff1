/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * vigil's event model and its three renderings: journald fields (sent
 * with sd_journal_sendv), a JSON line with the same field names as
 * "journalctl -o json" prints, and one human text line.
 *
 * An event is self-contained (it owns copies of every string) so that it
 * can be built in the monitor thread and rendered later by the logging
 * thread.  Values are stored raw and escaped (escape.h) by every
 * renderer, so a file name with a newline or an ANSI escape cannot forge
 * a field or a line in any output.
 *
 * Fields always present: MESSAGE, MESSAGE_ID (message-ids.h), PRIORITY
 * (severity_priority()), VIGIL_EVENT (the class's family: file, overflow,
 * burst, dropped, audit, exec, daemon, check), VIGIL_ACTION and
 * VIGIL_SEVERITY.  The others depend on the class: VIGIL_PATH,
 * VIGIL_MOVED_FROM, VIGIL_CHANGED, VIGIL_SHA256_OLD/NEW, VIGIL_TYPE,
 * VIGIL_CHECK_ID, VIGIL_CIS, VIGIL_OBSERVED, VIGIL_EXPECTED, VIGIL_COUNT,
 * VIGIL_SAMPLE, VIGIL_POSTURE, VIGIL_PID/EXE/UID (where known).
 */

#include <stdint.h>
#include <sys/uio.h>

#include "severity.h"
#include "strbuf.h"

enum vevent_class {
	VEVENT_FILE_CREATED,
	VEVENT_FILE_DELETED,
	VEVENT_FILE_UPDATED,
	VEVENT_FILE_ATTRIBUTES,
	VEVENT_FILE_TYPE_CHANGED,
	VEVENT_FILE_MOVED,
	VEVENT_QUEUE_OVERFLOW,	/* kernel queue overflow: events lost, rescan follows */
	VEVENT_BURST_SUMMARY,	/* rate limit hit: count + sample instead of events */
	VEVENT_EVENTS_DROPPED,	/* vigil's own log queue was full */
	VEVENT_AUDIT_FAILED,
	VEVENT_AUDIT_RECOVERED,
	VEVENT_AUDIT_SUMMARY,
	VEVENT_EXEC_DENIED,
	VEVENT_EXEC_WOULD_DENY,
	VEVENT_DAEMON_STARTED,
	VEVENT_DAEMON_RELOADED,
	VEVENT_DAEMON_STOPPED,
	VEVENT_CHECK_SUMMARY,	/* periodic full integrity check finished */
	_VEVENT_CLASS_MAX,
};

/* Maximum number of class-specific fields of one event. */
#define VEVENT_MAX_FIELDS 24

struct vevent_field {
	const char *key;	/* a literal "VIGIL_..." name, never freed */
	char *value;		/* raw bytes, owned, NUL-terminated */
	size_t len;
};

struct vevent {
	enum vevent_class cls;
	enum severity severity;
	uint64_t realtime_usec;	/* when the event was observed */
	struct strbuf message;	/* raw; escaped when rendered */
	struct vevent_field fields[VEVENT_MAX_FIELDS];
	size_t n_fields;
	bool oom;		/* an add failed: the event is incomplete */
	struct vevent *next;	/* link used by the log queue */
};

/* Class properties.  Names are "" / NULL for an out-of-range class. */
const char *vevent_message_id(enum vevent_class cls);
const char *vevent_family(enum vevent_class cls);	/* VIGIL_EVENT */
const char *vevent_action(enum vevent_class cls);	/* VIGIL_ACTION */

/* A new event stamped with the current time.  0 or -ENOMEM. */
int vevent_new(enum vevent_class cls, enum severity sev, struct vevent **ret);
/* NULL-safe; returns NULL. */
struct vevent *vevent_free(struct vevent *e);

/* Add a class-specific field (key: a string literal naming a VIGIL_* field;
 * replaces an earlier value of the same key).  Failures (no memory, more
 * than VEVENT_MAX_FIELDS) are remembered in e->oom, checked once with
 * vevent_error(). */
void vevent_add(struct vevent *e, const char *key, const char *value);
void vevent_addn(struct vevent *e, const char *key, const char *value, size_t len);
void vevent_addf(struct vevent *e, const char *key, const char *fmt, ...) _printf_(3, 4);
/* Value of a field, or NULL. */
const char *vevent_get(const struct vevent *e, const char *key);
/* Append to the human message (raw; the renderers escape it). */
void vevent_message(struct vevent *e, const char *fmt, ...) _printf_(2, 3);
/* 0, or -ENOMEM if any add failed. */
int vevent_error(const struct vevent *e);

/* Posture correlation: the event concerns a path that failing checks
 * (space-separated ids) cover.  Sets VIGIL_POSTURE, raises the severity one
 * step and appends why to the message. */
void vevent_add_posture(struct vevent *e, const char *check_ids, const char *why);

/* Event of an integrity change (change.h).  0 or -ENOMEM. */
struct change;
int vevent_from_change(const struct change *c, struct vevent **ret);

/* Renderers.  Each appends to out; every value is escaped.
 * journal: "KEY=value\n" lines, the exact fields vevent_send_journal()
 * sends (values never contain '\n' once escaped). */
void vevent_to_journal_fields(const struct vevent *e, struct strbuf *out);
/* One JSON object (no trailing newline) with journald's field names. */
void vevent_to_json(const struct vevent *e, struct strbuf *out);
/* "SEVERITY: MESSAGE" (no trailing newline). */
void vevent_to_text(const struct vevent *e, struct strbuf *out);

/* Split the output of vevent_to_journal_fields() (modified in place: the
 * newlines are cut) into at most n_iov iovecs.  Returns the count, or
 * -E2BIG if there are more fields. */
int vevent_fields_to_iovec(char *buf, size_t len, struct iovec *iov, size_t n_iov);

/* Send to journald.  0 or the -errno of sd_journal_sendv() (-ECONNREFUSED
 * when journald died; note that without a journal socket at all
 * sd_journal_sendv() drops the entry and returns 0). */
int vevent_send_journal(const struct vevent *e);
