/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state file, scheduler jitter, posture matching, event path selection. */
#include <stdint.h>
#include <sys/fanotify.h>

#include "daemon/correlate.h"
#include "daemon/monitor.h"
#include "daemon/procinfo.h"
#include "daemon/schedule.h"
#include "daemon/state.h"
#include "record.h"
#include "tap.h"

static void test_state(void)
{
	struct daemon_state s = { .pid = 42, .reported = 7, .dropped = 3, .last_audit_usec = 1ULL << 60 }, got;
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct diag d = { "" };
	char big[STATE_MAX_SIZE + 2];

	strcpy(s.monitor, "fanotify");
	strcpy(s.baseline, "/var/lib/vigil/baseline.db");
	state_format(&s, &sb);
	is_int(state_parse(sb.buf, sb.len, &got, &d), 0, "formatted state parses");
	ok(memcmp(&s, &got, sizeof(s)) == 0, "round trip is exact");
	is_int(state_parse("pid=1\nnewer_key=whatever\n", 24, &got, &d), 0, "unknown keys are ignored");
	is_int(got.pid, 1, "known key read");
	is_int(state_parse("pid=-1\n", 7, &got, &d), -EBADMSG, "negative number refused");
	ok(strstr(d.msg, "line 1") != NULL, "error names the line: %s", d.msg);
	is_int(state_parse("pid=1\0\n", 7, &got, &d), -EBADMSG, "embedded NUL refused");
	is_int(state_parse("garbage\n", 8, &got, &d), -EBADMSG, "line without '=' refused");
	memset(big, 'a', sizeof(big));
	is_int(state_parse(big, sizeof(big), &got, &d), -EBADMSG, "oversized file refused");
	memcpy(big, "monitor=", 8);
	is_int(state_parse(big, 600, &got, &d), -EBADMSG, "over-long line refused");
	is_int(state_parse("monitor=0123456789abcdefX\n", 26, &got, &d), -EBADMSG, "over-long string refused");
	strbuf_reset(&sb);
	state_to_json(&s, &sb);
	ok(strstr(sb.buf, "\"dropped\":3") != NULL && strstr(sb.buf, "\"monitor\":\"fanotify\"") != NULL,
	   "JSON has numbers and strings");
}

static void test_schedule(void)
{
	uint64_t h = 3600ULL * 1000000;
	bool in_range = true, varies = false;
	uint64_t first = schedule_next(0, 6 * h, schedule_random());

	for (int i = 0; i < 1000; i++) {
		uint64_t t = schedule_next(1000, 6 * h, schedule_random());

		if (t < 1000 + 6 * h || t > 1000 + 6 * h + 6 * h / SCHEDULE_JITTER_DIVISOR)
			in_range = false;
		if (t - 1000 != first)
			varies = true;
	}
	ok(in_range, "jitter within [interval, interval + 10%%]");
	ok(varies, "jitter varies");
	ok(schedule_next(5, 0, 1) == UINT64_MAX, "interval 0 means never");
	ok(schedule_next(5, UINT64_MAX, 1) == UINT64_MAX, "absurd interval does not overflow");
	is_int((long long)schedule_next(10, 5, 12345), 15, "tiny interval: no jitter");
}

static void test_posture(void)
{
	struct posture p = { 0 };
	char *ssh[] = { "/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d" };
	char *shm[] = { "/dev/shm" };
	char *glob[] = { "/etc/cron*" };
	_cleanup_strbuf_ struct strbuf ids = STRBUF_INIT, why = STRBUF_INIT;
	struct vevent *e = NULL;

	is_int(posture_add(&p, "ssh-root-login", "sshd PermitRootLogin no", ssh, 2), 0, "add ssh check");
	is_int(posture_add(&p, "shm-noexec", NULL, shm, 1), 0, "add shm check");
	is_int(posture_add(&p, "cron-perms", "cron permissions", glob, 1), 0, "add glob check");
	ok(posture_path_matches("/etc/ssh", "/etc/ssh/sshd_config"), "directory matches below it");
	ok(!posture_path_matches("/etc/ssh", "/etc/sshd"), "no match on a name prefix");
	ok(posture_path_matches("/etc/cron*", "/etc/cron.d/x"), "glob matches");
	ok(posture_path_matches("/", "/anything"), "root matches everything");
	is_int(posture_match(&p, "/etc/ssh/sshd_config.d/10.conf", &ids, &why), 1, "drop-in concerns the ssh check");
	is_str(strbuf_str(&ids), "ssh-root-login", "ids");
	is_str(strbuf_str(&why), "sshd PermitRootLogin no fails", "why");
	is_int(posture_match(&p, "/usr/bin/ls", &ids, &why), 0, "unrelated path");

	is_int(vevent_new(VEVENT_FILE_CREATED, SEVERITY_MEDIUM, &e), 0, "event");
	vevent_add(e, "VIGIL_PATH", "/dev/shm/x");
	is_int(posture_enrich(&p, e), 1, "event on /dev/shm enriched");
	is_str(vevent_get(e, "VIGIL_POSTURE"), "shm-noexec", "VIGIL_POSTURE");
	is_int(e->severity, SEVERITY_HIGH, "severity raised one step");
	ok(strstr(strbuf_str(&e->message), "shm-noexec fails") != NULL, "message says why: %s",
	   strbuf_str(&e->message));
	vevent_free(e);
	posture_free(&p);
}

static void test_selected(void)
{
	struct selection sel = { 0 };

	selection_add(&sel, "/w", ATTR_DEFAULT, true);
	selection_add(&sel, "/x/file", ATTR_DEFAULT, false);
	selection_add_exclude(&sel, SIZE_MAX, "*.swp");
	selection_add_exclude(&sel, SIZE_MAX, "cache");
	selection_add_exclude(&sel, 0, "/w/skip/*");
	selection_finish(&sel);
	ok(monitor_path_selected(&sel, "/w/a"), "file below a rule");
	ok(monitor_path_selected(&sel, "/w"), "the rule root");
	ok(!monitor_path_selected(&sel, "/w/a.swp"), "excluded name");
	ok(!monitor_path_selected(&sel, "/w/cache/deep/file"), "below an excluded directory");
	ok(!monitor_path_selected(&sel, "/w/skip/f"), "rule exclude by path");
	ok(!monitor_path_selected(&sel, "/wx"), "sibling name prefix not selected");
	ok(monitor_path_selected(&sel, "/x/file"), "non-recursive file rule");
	ok(!monitor_path_selected(&sel, "/x/other"), "sibling of a file rule");
	selection_free(&sel);
}

struct parsed {
	unsigned n, with_name, overflow;
	char names[4][32];
};

static void collect_record(void *userdata, const struct fanotify_record *rec)
{
	struct parsed *ps = userdata;

	if (rec->mask & FAN_Q_OVERFLOW)
		ps->overflow++;
	if (rec->name && ps->with_name < 4)
		snprintf(ps->names[ps->with_name++], sizeof(ps->names[0]), "%s", rec->name);
	ps->n++;
}

/* One DFID_NAME event: metadata, then an info record with an 8-byte handle
 * and name, padded to 4 bytes.  Returns its length. */
static size_t put_event(unsigned char *b, uint64_t mask, const char *name)
{
	struct fanotify_event_metadata md = { .vers = FANOTIFY_METADATA_VERSION, .metadata_len = sizeof(md),
					      .mask = mask, .fd = FAN_NOFD, .pid = 77 };
	size_t nl = strlen(name) + 1, info = 4 + 8 + 8 + 8 + nl;
	uint32_t hbytes = 8;
	int32_t htype = 1;
	unsigned char *p = b + sizeof(md);

	info += (4 - info % 4) % 4;
	md.event_len = (uint32_t)(sizeof(md) + info);
	memcpy(b, &md, sizeof(md));
	memset(p, 0, info);
	p[0] = FAN_EVENT_INFO_TYPE_DFID_NAME;
	p[2] = (unsigned char)info;
	memcpy(p + 12, &hbytes, 4);
	memcpy(p + 16, &htype, 4);
	memset(p + 20, 0xaa, 8);
	memcpy(p + 28, name, nl);
	return md.event_len;
}

static void test_fanotify_parse(void)
{
	uint64_t store[64] = { 0 };
	unsigned char *b = (unsigned char *)store;
	struct fanotify_event_metadata ov = { .event_len = sizeof(ov), .vers = FANOTIFY_METADATA_VERSION,
					      .metadata_len = sizeof(ov), .mask = FAN_Q_OVERFLOW, .fd = FAN_NOFD };
	struct parsed ps = { 0 };
	size_t len = 0;

	len += put_event(b + len, FAN_CREATE, "file.txt");
	len += put_event(b + len, FAN_ATTRIB | FAN_ONDIR, ".");
	memcpy(b + len, &ov, sizeof(ov));
	len += sizeof(ov);
	len += put_event(b + len, FAN_CREATE, "a/b");
	is_int(fanotify_parse(b, len, collect_record, &ps), 4, "four records");
	is_int(ps.overflow, 1, "overflow record");
	is_int(ps.with_name, 2, "two valid names (a/b refused)");
	is_str(ps.names[0], "file.txt", "first name");
	is_str(ps.names[1], ".", "directory self event");
	memset(&ps, 0, sizeof(ps));
	is_int(fanotify_parse(b, len - 1, collect_record, &ps), 3, "truncated last record ignored");
	b[4] = 99;	/* vers, after the u32 event_len */
	is_int(fanotify_parse(b, len, collect_record, &ps), -EPROTO, "unknown metadata version refused");
}

static void test_procinfo(void)
{
	struct procinfo pi;
	struct procinfo_cache c = { 0 };
	char self[256];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	is_int(procinfo_read("/proc", getpid(), &pi), 0, "read our own process");
	is_str(pi.exe, self, "exe");
	ok(pi.have_uid && pi.uid == getuid(), "uid");
	is_int(procinfo_read("/proc", 0, &pi), -EINVAL, "pid 0 refused");
	is_int(procinfo_read("/nonexistent-proc", 1, &pi), -ESRCH, "gone process: -ESRCH");
	procinfo_note(&c, getpid(), 1000);
	ok(procinfo_get(&c, getpid(), 2000) != NULL, "cached");
	ok(procinfo_get(&c, getpid(), 1000 + PROCINFO_TTL_USEC) == NULL, "expires");
	ok(procinfo_get(&c, 12345678, 2000) == NULL, "unknown pid");
}

int main(void)
{
	test_procinfo();
	test_fanotify_parse();
	test_state();
	test_schedule();
	test_posture();
	test_selected();
	return tap_done();
}
