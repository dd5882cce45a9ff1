/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stddef.h>

#include "fileio.h"
#include "json.h"
#include "state.h"

#define LINE_MAX_LEN 512

static const struct {
	const char *key;
	size_t offset;
} numbers[] = {
#define N(f) { #f, offsetof(struct daemon_state, f) }
	N(pid), N(started_usec), N(updated_usec), N(baseline_records), N(watches), N(kernel_events),
	N(unresolved), N(verified), N(reported), N(summarized), N(dropped), N(overflows), N(pending),
	N(reloads), N(last_audit_usec), N(audit_failed), N(last_check_usec), N(check_changes),
#undef N
};

static const struct {
	const char *key;
	size_t offset, size;
} strings[] = {
	{ "monitor", offsetof(struct daemon_state, monitor), sizeof(((struct daemon_state *)0)->monitor) },
	{ "baseline", offsetof(struct daemon_state, baseline), sizeof(((struct daemon_state *)0)->baseline) },
};

static uint64_t *number_field(struct daemon_state *s, size_t i)
{
	return (uint64_t *)((char *)s + numbers[i].offset);
}

void state_format(const struct daemon_state *s, struct strbuf *out)
{
	for (size_t i = 0; i < ELEMENTSOF(strings); i++) {
		const char *v = (const char *)s + strings[i].offset;

		strbuf_printf(out, "%s=", strings[i].key);
		/* Values are written by vigild from its config; keep them one line. */
		for (; *v; v++)
			strbuf_putc(out, *v == '\n' ? '?' : *v);
		strbuf_putc(out, '\n');
	}
	for (size_t i = 0; i < ELEMENTSOF(numbers); i++)
		strbuf_printf(out, "%s=%llu\n", numbers[i].key,
			      (unsigned long long)*number_field((struct daemon_state *)s, i));
}

static int parse_line(const char *line, size_t len, unsigned lineno, struct daemon_state *s, struct diag *d)
{
	const char *eq = memchr(line, '=', len);
	size_t klen;
	char val[LINE_MAX_LEN + 1];

	if (!eq)
		return diag_set(d, -EBADMSG, "line %u: no '='", lineno);
	klen = (size_t)(eq - line);
	memcpy(val, eq + 1, len - klen - 1);
	val[len - klen - 1] = '\0';
	for (size_t i = 0; i < ELEMENTSOF(numbers); i++)
		if (strlen(numbers[i].key) == klen && memcmp(numbers[i].key, line, klen) == 0) {
			unsigned long long v;

			if (parse_u64(val, &v) < 0)
				return diag_set(d, -EBADMSG, "line %u: bad number for %s", lineno, numbers[i].key);
			*number_field(s, i) = v;
			return 0;
		}
	for (size_t i = 0; i < ELEMENTSOF(strings); i++)
		if (strlen(strings[i].key) == klen && memcmp(strings[i].key, line, klen) == 0) {
			char *dst = (char *)s + strings[i].offset;

			if (strlen(val) >= strings[i].size)
				return diag_set(d, -EBADMSG, "line %u: %s too long", lineno, strings[i].key);
			strcpy(dst, val);
			return 0;
		}
	return 0;	/* unknown key: a newer vigild */
}

int state_parse(const char *text, size_t len, struct daemon_state *ret, struct diag *d)
{
	struct daemon_state s = { 0 };
	unsigned lineno = 0;

	if (len > STATE_MAX_SIZE)
		return diag_set(d, -EBADMSG, "state file larger than %u bytes", STATE_MAX_SIZE);
	if (memchr(text, '\0', len))
		return diag_set(d, -EBADMSG, "NUL byte in state file");
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - line) : len - pos;
		int r;

		lineno++;
		pos += l + 1;
		if (l == 0)
			continue;
		if (l > LINE_MAX_LEN)
			return diag_set(d, -EBADMSG, "line %u: longer than %u bytes", lineno, LINE_MAX_LEN);
		r = parse_line(line, l, lineno, &s, d);
		if (r < 0)
			return r;
	}
	*ret = s;
	return 0;
}

int state_write(const char *path, const struct daemon_state *s)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int r;

	state_format(s, &sb);
	r = strbuf_error(&sb);
	if (r < 0)
		return r;
	return write_file_atomic(path, sb.buf, sb.len, 0644);
}

int state_read(const char *path, struct daemon_state *ret, struct diag *d)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = read_file_at(AT_FDCWD, path, false, STATE_MAX_SIZE, &text, &len);
	if (r < 0)
		return diag_set(d, r, "%s: %s", path, strerror(-r));
	r = state_parse(text, len, ret, d);
	if (r < 0) {
		char msg[sizeof(d->msg)];

		snprintf(msg, sizeof(msg), "%s", d ? d->msg : "");
		return diag_set(d, r, "%s: %s", path, msg);
	}
	return 0;
}

void state_to_json(const struct daemon_state *s, struct strbuf *out)
{
	struct json j;

	json_begin(&j, out);
	for (size_t i = 0; i < ELEMENTSOF(strings); i++)
		json_str(&j, strings[i].key, (const char *)s + strings[i].offset);
	for (size_t i = 0; i < ELEMENTSOF(numbers); i++)
		json_uint(&j, numbers[i].key, *number_field((struct daemon_state *)s, i));
	json_end(&j);
}
