/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "logfiles" probe: CIS 6.2.2.1's rules for the files below /var/log. */
#include <linux/capability.h>
#include <sys/syscall.h>

#include "audit-tree.h"

#define LOGS "probe = logfiles\n"

static void own(const char *path, unsigned uid, unsigned gid)
{
	char p[4096];

	at_path(p, sizeof(p), path);
	if (chown(p, uid, gid) < 0)
		perror(p);
}

static void logfile(const char *path, mode_t mode, unsigned uid, unsigned gid)
{
	at_write(path, "");
	at_chmod(path, mode);
	own(path, uid, gid);
}

/* Lower (or raise again) the capabilities that let root open any
 * directory, so that a mode 0000 directory cannot be opened.  They stay
 * permitted, so raising them again works. */
static bool dac_override(bool on)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	unsigned bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	d[0].effective = on ? d[0].effective | bits : d[0].effective & ~bits;
	return syscall(SYS_capset, &h, d) == 0;
}

/* Directories the walk does not read are said, as the files probe says
 * them: their logs were not judged. */
static void test_not_read(void)
{
	char deep[256] = "/var/log/deep";

	for (int i = 0; i < 17; i++)
		strcat(deep, "/d");
	strcat(deep, "/bad.log");
	logfile(deep, 0666, 0, 0);
	is_int(at_eval(LOGS), VERDICT_PASS, "a log nested too deep is not judged");
	ok(at_observed_has("(1 directories deeper than 16 levels not read)"), "but said");
	at_remove("/var/log/deep");

	logfile("/var/log/private/bad.log", 0666, 0, 0);
	at_chmod("/var/log/private", 0);
	if (!dac_override(false)) {
		ok(1, "# SKIP cannot lower CAP_DAC_OVERRIDE");
		at_remove("/var/log/private");
		return;
	}
	is_int(at_eval(LOGS), VERDICT_PASS, "a directory that cannot be opened is not judged");
	ok(dac_override(true), "capabilities raised again");
	ok(at_observed_has("(1 directories could not be read)"), "but said");
	at_chmod("/var/log/private", 0755);
	at_remove("/var/log/private");
}

int main(void)
{
	at_init();
	if (geteuid() != 0)
		tap_skip_all("log file ownership needs root");
	is_int(at_eval(LOGS), VERDICT_NOT_APPLICABLE, "no /var/log");
	at_write("/etc/passwd", "root:x:0:0::/root:/bin/bash\nsyslog:x:104:110::/home/syslog:/usr/sbin/nologin\n"
				"postgres:x:105:111::/var/lib/postgresql:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
	at_write("/etc/group", "root:x:0:\nadm:x:4:syslog\nutmp:x:43:\nsystemd-journal:x:101:\nsyslog:x:110:\n"
			       "postgres:x:111:\nalice:x:1000:\n");
	logfile("/var/log/syslog", 0640, 104, 4);
	logfile("/var/log/wtmp", 0664, 0, 43);
	logfile("/var/log/journal/abc/system.journal", 0640, 0, 101);
	logfile("/var/log/postgresql/main.log", 0640, 105, 111);
	is_int(at_eval(LOGS), VERDICT_PASS, "syslog root-ish, wtmp 0664 utmp, journal, a service's own log");
	at_chmod("/var/log/syslog", 0644);
	is_int(at_eval(LOGS), VERDICT_FAIL, "world-readable syslog fails");
	ok(at_observed_has("/var/log/syslog 0644 syslog:adm"), "observed: %s", at_observed());
	at_chmod("/var/log/syslog", 0640);
	logfile("/var/log/app.log", 0640, 1000, 1000);
	is_int(at_eval(LOGS), VERDICT_FAIL, "a log owned by an interactive user fails");
	at_remove("/var/log/app.log");
	logfile("/var/log/wtmp", 0666, 0, 43);
	is_int(at_eval(LOGS), VERDICT_FAIL, "wtmp writable by others fails");
	{
		struct audit_ctx ctx = {};
		atomic_bool cancel = true;

		ctx.cancel = &cancel;
		is_int(at_eval_ctx(LOGS, false, &ctx), VERDICT_ERROR, "a cancelled walk is an error, not a fail");
		ok(at_res.reason && strstr(at_res.reason, "cancelled"), "the reason says it was cancelled");
		audit_ctx_done(&ctx);
		logfile("/var/log/wtmp", 0664, 0, 43);
		is_int(at_eval_ctx(LOGS, false, &ctx), VERDICT_ERROR, "... and not a pass");
		audit_ctx_done(&ctx);
	}
	test_not_read();
	return tap_done();
}
