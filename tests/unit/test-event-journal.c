/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>

#include "change.h"
#include "event-journal.h"
#include "message-ids.h"
#include "tap.h"

/* Value of KEY in "KEY=value\n" lines, or NULL; static buffer. */
static const char *field(const char *lines, const char *key)
{
	static char v[4096];
	size_t kl = strlen(key);

	for (const char *p = lines; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			snprintf(v, sizeof(v), "%.*s", (int)(l - kl - 1), p + kl + 1);
			return v;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_classes(void)
{
	bool unique = true;

	for (int i = 0; i < _VEVENT_CLASS_MAX; i++) {
		const char *id = vevent_message_id((enum vevent_class)i);

		ok(strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32, "class %d has a 128-bit id", i);
		ok(!isempty(vevent_family((enum vevent_class)i)) && !isempty(vevent_action((enum vevent_class)i)),
		   "class %d has family and action", i);
		for (int k = 0; k < i; k++)
			if (streq(id, vevent_message_id((enum vevent_class)k)))
				unique = false;
	}
	ok(unique, "message ids are unique");
	is_str(vevent_message_id(_VEVENT_CLASS_MAX), "", "out of range class has no id");
}

static void test_change(void)
{
	struct vrecord old = { .path = "/etc/passwd", .type = FT_REG, .mode = S_IFREG | 0644, .has_sha256 = true,
			       .mask = ATTR_DEFAULT };
	struct vrecord new = old;
	struct change c = { .action = CHANGE_UPDATED, .path = "/etc/passwd", .old = &old, .new = &new,
			    .changed = ATTR_SHA256 | ATTR_SIZE, .severity = SEVERITY_MEDIUM };
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct vevent *e = NULL;

	memset(old.sha256, 0xab, SHA256_LEN);
	memset(new.sha256, 0x01, SHA256_LEN);
	is_int(vevent_from_change(&c, &e), 0, "updated change renders");
	vevent_to_journal_fields(e, &sb);
	is_str(field(sb.buf, "MESSAGE_ID"), VIGIL_MID_FILE_UPDATED, "MESSAGE_ID of updated");
	is_str(field(sb.buf, "PRIORITY"), "4", "PRIORITY from medium severity");
	is_str(field(sb.buf, "VIGIL_EVENT"), "file", "VIGIL_EVENT");
	is_str(field(sb.buf, "VIGIL_ACTION"), "updated", "VIGIL_ACTION");
	is_str(field(sb.buf, "VIGIL_PATH"), "/etc/passwd", "VIGIL_PATH");
	is_str(field(sb.buf, "VIGIL_CHANGED"), "sha256 size", "VIGIL_CHANGED");
	is_str(field(sb.buf, "VIGIL_SEVERITY"), "medium", "VIGIL_SEVERITY");
	is_str(field(sb.buf, "VIGIL_TYPE"), "file", "VIGIL_TYPE");
	is_str(field(sb.buf, "VIGIL_SHA256_OLD"),
	       "abababababababababababababababababababababababababababababababab", "VIGIL_SHA256_OLD");
	is_str(field(sb.buf, "VIGIL_SHA256_NEW"),
	       "0101010101010101010101010101010101010101010101010101010101010101", "VIGIL_SHA256_NEW");
	is_str(field(sb.buf, "MESSAGE"), "updated /etc/passwd (sha256 size)", "MESSAGE");
	ok(field(sb.buf, "VIGIL_POSTURE") == NULL, "no posture without correlation");

	vevent_add_posture(e, "ssh-permit-root-login", "PermitRootLogin fails");
	strbuf_reset(&sb);
	vevent_to_journal_fields(e, &sb);
	is_str(field(sb.buf, "VIGIL_POSTURE"), "ssh-permit-root-login", "VIGIL_POSTURE set");
	is_str(field(sb.buf, "PRIORITY"), "3", "posture raises priority one step");
	is_str(field(sb.buf, "VIGIL_SEVERITY"), "high", "posture raises severity one step");
	ok(strstr(field(sb.buf, "MESSAGE"), "PermitRootLogin fails") != NULL, "MESSAGE says why");
	vevent_free(e);

	c.action = CHANGE_CREATED;
	c.old = NULL;
	c.changed = 0;
	is_int(vevent_from_change(&c, &e), 0, "created change renders");
	strbuf_reset(&sb);
	vevent_to_journal_fields(e, &sb);
	is_str(field(sb.buf, "MESSAGE_ID"), VIGIL_MID_FILE_CREATED, "MESSAGE_ID of created");
	ok(field(sb.buf, "VIGIL_SHA256_OLD") == NULL, "created has no old digest");
	ok(field(sb.buf, "VIGIL_CHANGED") == NULL, "created has no VIGIL_CHANGED");
	vevent_free(e);

	c.action = CHANGE_MOVED;
	c.moved_from = "/etc/passwd-";
	is_int(vevent_from_change(&c, &e), 0, "moved change renders");
	strbuf_reset(&sb);
	vevent_to_journal_fields(e, &sb);
	is_str(field(sb.buf, "VIGIL_MOVED_FROM"), "/etc/passwd-", "VIGIL_MOVED_FROM");
	is_str(field(sb.buf, "MESSAGE"), "moved /etc/passwd- -> /etc/passwd", "moved MESSAGE names both");
	vevent_free(e);
}

static void test_hostile(void)
{
	const char evil[] = "/tmp/a\nMESSAGE_ID=forged\x1b[31m\\";
	struct vrecord rec = { .path = evil, .type = FT_REG, .mode = S_IFREG | 0600 };
	struct change c = { .action = CHANGE_DELETED, .path = evil, .old = &rec, .severity = SEVERITY_HIGH };
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT, js = STRBUF_INIT, tx = STRBUF_INIT;
	struct iovec iov[64];
	struct vevent *e = NULL;
	int n;

	is_int(vevent_from_change(&c, &e), 0, "hostile path renders");
	vevent_to_journal_fields(e, &sb);
	is_int(count_lines(sb.buf), 7 + e->n_fields, "one line per field despite the newline in the name");
	is_str(field(sb.buf, "MESSAGE_ID"), VIGIL_MID_FILE_DELETED, "MESSAGE_ID not forged");
	is_str(field(sb.buf, "VIGIL_PATH"), "/tmp/a\\x0aMESSAGE_ID=forged\\x1b[31m\\\\", "VIGIL_PATH escaped");
	ok(strchr(sb.buf, 0x1b) == NULL, "no raw ESC in journal fields");

	n = vevent_fields_to_iovec(sb.buf, sb.len, iov, ELEMENTSOF(iov));
	is_int(n, 7 + (int)e->n_fields, "iovec count matches the field count");
	ok(n > 0 && iov[0].iov_len == strlen("MESSAGE=deleted /tmp/a\\x0aMESSAGE_ID=forged\\x1b[31m\\\\") &&
		   memcmp(iov[0].iov_base, "MESSAGE=", 8) == 0,
	   "first iovec is MESSAGE, without newline");
	strbuf_reset(&sb);
	vevent_to_journal_fields(e, &sb);
	is_int(vevent_fields_to_iovec(sb.buf, sb.len, iov, 2), -E2BIG, "too few iovecs: -E2BIG");

	vevent_to_json(e, &js);
	ok(strchr(js.buf, '\n') == NULL && strchr(js.buf, 0x1b) == NULL, "JSON line has no raw newline or ESC");
	ok(strstr(js.buf, "\"VIGIL_ACTION\":\"deleted\"") != NULL, "JSON has VIGIL_ACTION");
	ok(strstr(js.buf, "\"PRIORITY\":\"3\"") != NULL, "JSON PRIORITY is a string like journalctl's");
	ok(js.buf[0] == '{' && js.buf[js.len - 1] == '}', "JSON is one object");

	vevent_to_text(e, &tx);
	ok(strchr(tx.buf, '\n') == NULL && strchr(tx.buf, 0x1b) == NULL, "text line has no raw newline or ESC");
	ok(strncmp(tx.buf, "high: deleted /tmp/a\\x0a", 24) == 0, "text line starts with severity and message");
	vevent_free(e);
}

static void test_fields(void)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	static const char *const keys[] = { "K0", "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10",
					    "K11", "K12", "K13", "K14", "K15", "K16", "K17", "K18", "K19",
					    "K20", "K21", "K22", "K23", "K24" };
	struct vevent *e = NULL;

	is_int(vevent_new(VEVENT_BURST_SUMMARY, SEVERITY_MEDIUM, &e), 0, "new event");
	vevent_addf(e, "VIGIL_COUNT", "%u", 20000u);
	vevent_add(e, "VIGIL_COUNT", "20001");
	is_str(vevent_get(e, "VIGIL_COUNT"), "20001", "a later value replaces an earlier one");
	is_int(e->n_fields, 1, "replacing does not add a field");
	vevent_addn(e, "VIGIL_SAMPLE", "a\0b", 3);
	vevent_to_journal_fields(e, &sb);
	is_str(field(sb.buf, "VIGIL_SAMPLE"), "a\\x00b", "embedded NUL escaped");
	is_int(vevent_error(e), 0, "no error so far");
	for (size_t i = 0; i < ELEMENTSOF(keys); i++)
		vevent_add(e, keys[i], "x");
	is_int(vevent_error(e), -ENOMEM, "too many fields is remembered");
	vevent_free(e);
	is_int(vevent_new(_VEVENT_CLASS_MAX, SEVERITY_INFO, &e), -EINVAL, "bad class rejected");
	ok(vevent_free(NULL) == NULL, "vevent_free(NULL)");
}

int main(void)
{
	test_classes();
	test_change();
	test_hostile();
	test_fields();
	return tap_done();
}
