/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's periodic audit (src/daemon/posture-audit.c): the first run
 * reports every failing check and a summary; later runs report only
 * changes of verdict (failed, recovered) and a summary at most daily; the
 * posture holds what each failing check concerns — its findings where it
 * has them, never a catch-all "/".  Run against an image tree made here.
 */
#include "audit-tree.h"
#include "daemon/posture-audit.h"

#define HOUR (3600ULL * 1000000ULL)
#define T0 (1800000000ULL * 1000000ULL)

struct seen {
	size_t n;
	char what[16][96];	/* "failed ID", "recovered ID", "summary FAIL" */
};

static void on_event(void *userdata, struct vevent *e)
{
	struct seen *s = userdata;
	const char *id = vevent_get(e, "VIGIL_CHECK_ID");

	if (s->n < ELEMENTSOF(s->what)) {
		switch (e->cls) {
		case VEVENT_AUDIT_FAILED:
			snprintf(s->what[s->n], sizeof(s->what[0]), "failed %s", id ? id : "?");
			break;
		case VEVENT_AUDIT_RECOVERED:
			snprintf(s->what[s->n], sizeof(s->what[0]), "recovered %s", id ? id : "?");
			break;
		case VEVENT_AUDIT_SUMMARY:
			snprintf(s->what[s->n], sizeof(s->what[0]), "summary %s", vevent_get(e, "VIGIL_FAIL"));
			break;
		default:
			snprintf(s->what[s->n], sizeof(s->what[0]), "other");
		}
		s->n++;
	}
	vevent_free(e);
}

/* The events of one run, space-separated, in order. */
static const char *run(struct posture_audit *pa, const struct rootfs *rf, uint64_t now, struct posture *p)
{
	static char out[1024];
	struct seen s = { 0 };
	struct diag d = { "" };
	int r;

	r = posture_audit_run(pa, rf, now, p, on_event, &s, NULL, &d);
	if (r < 0) {
		snprintf(out, sizeof(out), "error %d: %s", r, d.msg);
		return out;
	}
	out[0] = '\0';
	for (size_t i = 0; i < s.n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? ", " : "", s.what[i]);
	return out;
}

static size_t matches(const struct posture *p, const char *path, char *ids, size_t size)
{
	_cleanup_strbuf_ struct strbuf b = STRBUF_INIT, why = STRBUF_INIT;
	size_t n = posture_match(p, path, &b, &why);

	snprintf(ids, size, "%s", strbuf_str(&b));
	return n;
}

int main(void)
{
	char rules[4096], dir[256], *dirs[1] = { dir };
	struct posture_audit *pa = NULL;
	struct posture p = { 0 };
	struct audit_report *rep = NULL;
	struct rootfs rf = { .fd = -EBADF };
	struct diag d = { "" };
	atomic_bool cancel = true;
	char ids[256];

	at_init();
	at_mkdir("/etc", 0755);
	at_write("/etc/secret", "s\n");
	at_chmod("/etc/secret", 0644);
	at_write("/etc/other", "o\n");
	at_chmod("/etc/other", 0600);
	at_mkdir("/data", 0755);
	at_write("/data/ww", "w\n");
	at_chmod("/data/ww", 0666);
	at_write("/data/ok", "k\n");
	at_chmod("/data/ok", 0644);
	at_mkdir("/checks.d", 0755);
	snprintf(rules, sizeof(rules),
		 "[t.secret]\ntitle = secret is private\ncategory = test\nseverity = high\nremediation = chmod 600 /etc/secret\n"
		 "paths = /etc/secret\nprobe = file\npath = /etc/secret\nmode_max = 0600\n\n"
		 "[t.other]\ntitle = other is private\ncategory = test\nseverity = medium\nremediation = chmod 600 /etc/other\n"
		 "paths = /etc/other\nprobe = file\npath = /etc/other\nmode_max = 0600\n\n"
		 "[t.ww]\ntitle = no world-writable files\ncategory = test\nseverity = medium\nremediation = chmod o-w\n"
		 "paths = /\nprobe = files\nfind = world_writable\nunder = /data\n");
	at_write("/checks.d/50-t.conf", rules);
	snprintf(dir, sizeof(dir), "%s/checks.d", at_root);

	ok(rootfs_open(&rf, at_root) == 0, "rootfs_open");
	ok(posture_audit_new(dirs, 1, &pa) == 0, "posture_audit_new");

	is_str(run(pa, &rf, T0, &p), "failed t.secret, failed t.ww, summary 2",
	       "first run: every failing check, then the summary");
	is_int(matches(&p, "/etc/secret", ids, sizeof(ids)), 1, "posture: the failing check's path");
	is_str(ids, "t.secret", "... is that check's");
	is_int(matches(&p, "/data/ww", ids, sizeof(ids)), 1, "posture: a world-writable file found");
	is_str(ids, "t.ww", "... belongs to the walk's check");
	is_int(matches(&p, "/data/ok", ids, sizeof(ids)), 0,
	       "posture: a file the walk did not find is not correlated (paths = / is no catch-all)");
	is_int(matches(&p, "/usr/bin/ls", ids, sizeof(ids)), 0, "posture: nor is any other path");
	is_int(matches(&p, "/etc/other", ids, sizeof(ids)), 0, "posture: a passing check's path is not");

	is_str(run(pa, &rf, T0 + HOUR, &p), "", "second run, nothing changed: no events, no summary");

	at_chmod("/etc/secret", 0600);
	is_str(run(pa, &rf, T0 + 2 * HOUR, &p), "recovered t.secret", "a fixed check is reported as recovered");
	is_int(matches(&p, "/etc/secret", ids, sizeof(ids)), 0, "... and leaves the posture");

	at_chmod("/etc/other", 0644);
	is_str(run(pa, &rf, T0 + 3 * HOUR, &p), "failed t.other", "a newly failing check is reported once");
	is_str(run(pa, &rf, T0 + 4 * HOUR, &p), "", "... and not again while it keeps failing");
	is_str(run(pa, &rf, T0 + 25 * HOUR, &p), "summary 2", "a day after the last summary: a summary again");

	/* A bad rule file keeps the previous posture. */
	at_write("/checks.d/60-bad.conf", "[t.bad]\ntitle = bad\ncategory = test\nseverity = low\nremediation = none\nprobe = nosuch\n");
	ok(strncmp(run(pa, &rf, T0 + 26 * HOUR, &p), "error", 5) == 0, "a bad rule file is an error");
	is_int(matches(&p, "/etc/other", ids, sizeof(ids)), 1, "... and the previous posture stays");
	at_remove("/checks.d/60-bad.conf");

	is_int(posture_audit_collect(pa, &rf, &cancel, &rep, &d), -ECANCELED, "a cancelled collection stops");
	atomic_store(&cancel, false);
	is_int(posture_audit_collect(pa, &rf, &cancel, &rep, &d), 0, "an uncancelled one completes");
	audit_report_free(rep);
	audit_report_free(NULL);

	posture_free(&p);
	posture_audit_free(pa);
	rootfs_close(&rf);
	return tap_done();
}
