/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-journal.h>

#include "change.h"
#include "escape.h"
#include "event-journal.h"
#include "json.h"
#include "message-ids.h"
#include "record.h"

static const struct {
	const char *id;
	const char *family;
	const char *action;
} classes[_VEVENT_CLASS_MAX] = {
	[VEVENT_FILE_CREATED] = { VIGIL_MID_FILE_CREATED, "file", "created" },
	[VEVENT_FILE_DELETED] = { VIGIL_MID_FILE_DELETED, "file", "deleted" },
	[VEVENT_FILE_UPDATED] = { VIGIL_MID_FILE_UPDATED, "file", "updated" },
	[VEVENT_FILE_ATTRIBUTES] = { VIGIL_MID_FILE_ATTRIBUTES, "file", "attributes_modified" },
	[VEVENT_FILE_TYPE_CHANGED] = { VIGIL_MID_FILE_TYPE_CHANGED, "file", "type_changed" },
	[VEVENT_FILE_MOVED] = { VIGIL_MID_FILE_MOVED, "file", "moved" },
	[VEVENT_QUEUE_OVERFLOW] = { VIGIL_MID_QUEUE_OVERFLOW, "overflow", "overflow" },
	[VEVENT_BURST_SUMMARY] = { VIGIL_MID_BURST_SUMMARY, "burst", "summary" },
	[VEVENT_EVENTS_DROPPED] = { VIGIL_MID_EVENTS_DROPPED, "dropped", "dropped" },
	[VEVENT_AUDIT_FAILED] = { VIGIL_MID_AUDIT_FAILED, "audit", "failed" },
	[VEVENT_AUDIT_RECOVERED] = { VIGIL_MID_AUDIT_RECOVERED, "audit", "recovered" },
	[VEVENT_AUDIT_SUMMARY] = { VIGIL_MID_AUDIT_SUMMARY, "audit", "summary" },
	[VEVENT_EXEC_DENIED] = { VIGIL_MID_EXEC_DENIED, "exec", "denied" },
	[VEVENT_EXEC_WOULD_DENY] = { VIGIL_MID_EXEC_WOULD_DENY, "exec", "would_deny" },
	[VEVENT_DAEMON_STARTED] = { VIGIL_MID_DAEMON_STARTED, "daemon", "started" },
	[VEVENT_DAEMON_RELOADED] = { VIGIL_MID_DAEMON_RELOADED, "daemon", "reloaded" },
	[VEVENT_DAEMON_STOPPED] = { VIGIL_MID_DAEMON_STOPPED, "daemon", "stopped" },
	[VEVENT_CHECK_SUMMARY] = { VIGIL_MID_CHECK_SUMMARY, "check", "summary" },
};

const char *vevent_message_id(enum vevent_class cls)
{
	return (unsigned)cls < _VEVENT_CLASS_MAX ? classes[cls].id : "";
}

const char *vevent_family(enum vevent_class cls)
{
	return (unsigned)cls < _VEVENT_CLASS_MAX ? classes[cls].family : "";
}

const char *vevent_action(enum vevent_class cls)
{
	return (unsigned)cls < _VEVENT_CLASS_MAX ? classes[cls].action : "";
}

int vevent_new(enum vevent_class cls, enum severity sev, struct vevent **ret)
{
	struct vevent *e;

	if ((unsigned)cls >= _VEVENT_CLASS_MAX)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cls = cls;
	e->severity = sev;
	e->realtime_usec = now_realtime_usec();
	*ret = e;
	return 0;
}

struct vevent *vevent_free(struct vevent *e)
{
	if (!e)
		return NULL;
	for (size_t i = 0; i < e->n_fields; i++)
		free(e->fields[i].value);
	strbuf_free(&e->message);
	free(e);
	return NULL;
}

void vevent_addn(struct vevent *e, const char *key, const char *value, size_t len)
{
	struct vevent_field *f = NULL;
	char *v;

	for (size_t i = 0; i < e->n_fields; i++)
		if (streq(e->fields[i].key, key))
			f = &e->fields[i];
	if (!f && e->n_fields >= VEVENT_MAX_FIELDS) {
		e->oom = true;
		return;
	}
	v = malloc(len + 1);
	if (!v) {
		e->oom = true;
		return;
	}
	memcpy(v, value, len);
	v[len] = '\0';
	if (!f)
		f = &e->fields[e->n_fields++];
	else
		free(f->value);
	f->key = key;
	f->value = v;
	f->len = len;
}

void vevent_add(struct vevent *e, const char *key, const char *value)
{
	if (value)
		vevent_addn(e, key, value, strlen(value));
}

void vevent_addf(struct vevent *e, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Formatted values are numbers and short words; truncation is a bug. */
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		e->oom = true;
		return;
	}
	vevent_addn(e, key, buf, (size_t)n);
}

const char *vevent_get(const struct vevent *e, const char *key)
{
	for (size_t i = 0; i < e->n_fields; i++)
		if (streq(e->fields[i].key, key))
			return e->fields[i].value;
	return NULL;
}

void vevent_message(struct vevent *e, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s = NULL;
		e->oom = true;
		return;
	}
	strbuf_append(&e->message, s, (size_t)n);
}

int vevent_error(const struct vevent *e)
{
	return e->oom || strbuf_error(&e->message) ? -ENOMEM : 0;
}

void vevent_add_posture(struct vevent *e, const char *check_ids, const char *why)
{
	vevent_add(e, "VIGIL_POSTURE", check_ids);
	e->severity = severity_raise(e->severity);
	vevent_message(e, " [posture: %s%s%s]", check_ids, isempty(why) ? "" : ": ", isempty(why) ? "" : why);
}

static enum vevent_class class_of_action(enum change_action a)
{
	switch (a) {
	case CHANGE_CREATED: return VEVENT_FILE_CREATED;
	case CHANGE_DELETED: return VEVENT_FILE_DELETED;
	case CHANGE_UPDATED: return VEVENT_FILE_UPDATED;
	case CHANGE_ATTRIBUTES_MODIFIED: return VEVENT_FILE_ATTRIBUTES;
	case CHANGE_TYPE_CHANGED: return VEVENT_FILE_TYPE_CHANGED;
	case CHANGE_MOVED: return VEVENT_FILE_MOVED;
	default: return _VEVENT_CLASS_MAX;
	}
}

int vevent_from_change(const struct change *c, struct vevent **ret)
{
	const struct vrecord *r = c->new ? c->new : c->old;
	struct vevent *e;
	char hex[2 * SHA256_LEN + 1], changed[256] = "";
	int k;

	k = vevent_new(class_of_action(c->action), c->severity, &e);
	if (k < 0)
		return k;
	vevent_add(e, "VIGIL_PATH", c->path);
	if (c->moved_from)
		vevent_add(e, "VIGIL_MOVED_FROM", c->moved_from);
	if (r)
		vevent_add(e, "VIGIL_TYPE", file_type_name(r->type));
	attr_format(c->changed, changed, sizeof(changed));
	if (changed[0])
		vevent_add(e, "VIGIL_CHANGED", changed);
	if (c->old && c->old->has_sha256) {
		sha256_to_hex(c->old->sha256, hex);
		vevent_add(e, "VIGIL_SHA256_OLD", hex);
	}
	if (c->new && c->new->has_sha256) {
		sha256_to_hex(c->new->sha256, hex);
		vevent_add(e, "VIGIL_SHA256_NEW", hex);
	}
	if (c->action == CHANGE_MOVED && c->moved_from)
		vevent_message(e, "%s %s -> %s", vevent_action(e->cls), c->moved_from, c->path);
	else
		vevent_message(e, "%s %s", vevent_action(e->cls), c->path);
	if (changed[0])
		vevent_message(e, " (%s)", changed);
	k = vevent_error(e);
	if (k < 0) {
		vevent_free(e);
		return k;
	}
	*ret = e;
	return 0;
}

static void journal_field(struct strbuf *out, const char *key, const char *value, size_t len)
{
	strbuf_puts(out, key);
	strbuf_putc(out, '=');
	escape_untrusted(out, value, len);
	strbuf_putc(out, '\n');
}

void vevent_to_journal_fields(const struct vevent *e, struct strbuf *out)
{
	char prio[4];

	journal_field(out, "MESSAGE", strbuf_str(&e->message), e->message.len);
	journal_field(out, "MESSAGE_ID", vevent_message_id(e->cls), strlen(vevent_message_id(e->cls)));
	snprintf(prio, sizeof(prio), "%d", severity_priority(e->severity));
	journal_field(out, "PRIORITY", prio, strlen(prio));
	journal_field(out, "SYSLOG_IDENTIFIER", "vigild", 6);
	journal_field(out, "VIGIL_EVENT", vevent_family(e->cls), strlen(vevent_family(e->cls)));
	journal_field(out, "VIGIL_ACTION", vevent_action(e->cls), strlen(vevent_action(e->cls)));
	journal_field(out, "VIGIL_SEVERITY", severity_name(e->severity), strlen(severity_name(e->severity)));
	for (size_t i = 0; i < e->n_fields; i++)
		journal_field(out, e->fields[i].key, e->fields[i].value, e->fields[i].len);
}

void vevent_to_json(const struct vevent *e, struct strbuf *out)
{
	struct json j;
	char prio[4];

	snprintf(prio, sizeof(prio), "%d", severity_priority(e->severity));
	json_begin(&j, out);
	/* Strings throughout, like "journalctl -o json", so one parser reads both. */
	json_strn(&j, "MESSAGE", strbuf_str(&e->message), e->message.len);
	json_str(&j, "MESSAGE_ID", vevent_message_id(e->cls));
	json_str(&j, "PRIORITY", prio);
	json_str(&j, "VIGIL_EVENT", vevent_family(e->cls));
	json_str(&j, "VIGIL_ACTION", vevent_action(e->cls));
	json_str(&j, "VIGIL_SEVERITY", severity_name(e->severity));
	for (size_t i = 0; i < e->n_fields; i++)
		json_strn(&j, e->fields[i].key, e->fields[i].value, e->fields[i].len);
	json_end(&j);
}

void vevent_to_text(const struct vevent *e, struct strbuf *out)
{
	strbuf_puts(out, severity_name(e->severity));
	strbuf_puts(out, ": ");
	escape_untrusted(out, strbuf_str(&e->message), e->message.len);
}

int vevent_fields_to_iovec(char *buf, size_t len, struct iovec *iov, size_t n_iov)
{
	size_t n = 0;
	char *p = buf, *end = buf + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= n_iov)
			return -E2BIG;
		if (nl)
			*nl = '\0';
		iov[n].iov_base = p;
		iov[n].iov_len = l;
		n++;
		p += l + 1;
	}
	return (int)n;
}

int vevent_send_journal(const struct vevent *e)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct iovec iov[VEVENT_MAX_FIELDS + 8];
	int n, r;

	vevent_to_journal_fields(e, &sb);
	r = strbuf_error(&sb);
	if (r < 0)
		return r;
	n = vevent_fields_to_iovec(sb.buf, sb.len, iov, ELEMENTSOF(iov));
	if (n < 0)
		return n;
	r = sd_journal_sendv(iov, n);
	return r < 0 ? r : 0;
}
