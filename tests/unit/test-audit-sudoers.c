/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "sudoers" probe: Defaults with includes, negation and bindings. */
#include "probe-test.h"
#include "probes.h"

static struct pt_result sudo_def(const char *name, const char *equals)
{
	if (equals)
		return pt_run(&probe_sudoers, pt_check("sudoers", "defaults", name, "equals", equals, NULL));
	return pt_run(&probe_sudoers, pt_check("sudoers", "defaults", name, NULL));
}

int main(void)
{
	struct pt_result res;

	pt_init();

	res = sudo_def("use_pty", NULL);
	is_int(res.verdict, VERDICT_NOT_APPLICABLE, "no sudoers: not_applicable");

	pt_write("/etc/sudoers",
		 "# sudoers\n"
		 "Defaults\tenv_reset\n"
		 "Defaults\tmail_badpass\n"
		 "Defaults:alice !use_pty\n"
		 "Defaults@web01 !use_pty\n"
		 "Defaults>root !use_pty\n"
		 "Defaults!/usr/bin/less !use_pty\n"
		 "Defaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
		 "root\tALL=(ALL:ALL) ALL\n"
		 "%sudo\tALL=(ALL:ALL) ALL\n"
		 "@includedir /etc/sudoers.d\n");
	pt_mkdir("/etc/sudoers.d", 0755);
	res = sudo_def("use_pty", NULL);
	is_int(res.verdict, VERDICT_FAIL, "use_pty unset fails; bound Defaults do not count; empty includedir");
	is_str(res.observed, "(unset)", "observed unset");
	is_str(res.expected, "use_pty set", "expected text");
	res = sudo_def("secure_path", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	is_int(res.verdict, VERDICT_PASS, "quoted value");

	pt_write("/etc/sudoers.d/10-pty", "Defaults use_pty\n");
	pt_write("/etc/sudoers.d/20-pty.dpkg-old", "Defaults !use_pty\n");
	pt_write("/etc/sudoers.d/30-pty~", "Defaults !use_pty\n");
	pt_write("/etc/sudoers.d/README.md", "Defaults !use_pty\n");
	res = sudo_def("use_pty", NULL);
	is_int(res.verdict, VERDICT_PASS, "includedir file sets use_pty; names with '.' or '~' skipped");
	ok(strstr(res.observed, "use_pty (") && strstr(res.observed, "/etc/sudoers.d/10-pty:1)"),
	   "observed names file:line: %s", res.observed);

	pt_write("/etc/sudoers.d/40-nopty", "Defaults env_keep += \"LANG\", !use_pty # no pty for scripts\n");
	res = sudo_def("use_pty", NULL);
	is_int(res.verdict, VERDICT_FAIL, "later negation wins (lexical order of includedir)");
	ok(strncmp(res.observed, "!use_pty", 8) == 0, "observed shows the negation: %s", res.observed);
	pt_unlink("/etc/sudoers.d/40-nopty");

	/* logfile with continuation lines and @include relative to the file */
	pt_write("/etc/sudoers.d/50-log", "@include ../sudoers.local\n");
	pt_write("/etc/sudoers.local", "Defaults \\\n    logfile=\"/var/log/sudo.log\", \\\n    log_input\n");
	res = sudo_def("logfile", "/var/log/sudo.log");
	is_int(res.verdict, VERDICT_PASS, "logfile through @include and continuation lines");
	ok(strstr(res.observed, "sudoers.local:1)") != NULL, "line of the logical line's start: %s", res.observed);
	is_int(sudo_def("log_input", NULL).verdict, VERDICT_PASS, "flag on a continuation line");
	is_int(sudo_def("logfile", NULL).verdict, VERDICT_PASS, "logfile present, any value");
	is_int(sudo_def("logfile", "/var/log/other.log").verdict, VERDICT_FAIL, "logfile other value");

	pt_write("/etc/sudoers.local", "#include /etc/sudoers.d2/x\nDefaults logfile=/var/log/sudo.log\n"
				       "Defaults !logfile\n");
	res = sudo_def("logfile", "/var/log/sudo.log");
	is_int(res.verdict, VERDICT_FAIL, "!logfile disables it");
	is_int(sudo_def("logfile", NULL).verdict, VERDICT_FAIL, "!logfile: not set");

	/* "#1000" is a uid, not a comment; "# include" is a comment */
	pt_write("/etc/sudoers.local", "#1000 ALL=(ALL) ALL\n# include /nonexistent\nDefaults passwd_tries=5\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "passwd_tries", "max", "3", NULL));
	is_int(res.verdict, VERDICT_FAIL, "numeric compare");
	ok(strncmp(res.observed, "passwd_tries=5", 14) == 0, "observed: %s", res.observed);

	/* negated = no: settings that are on by default */
	pt_write("/etc/sudoers.local", "Defaults:bob !authenticate\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "authenticate", "negated", "no", NULL));
	is_int(res.verdict, VERDICT_PASS, "authenticate unset (default on), bound negation ignored");
	pt_write("/etc/sudoers.local", "Defaults !authenticate\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "authenticate", "negated", "no", NULL));
	is_int(res.verdict, VERDICT_FAIL, "global !authenticate fails");
	is_str(res.expected, "not !authenticate", "expected text");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "authenticate", "negated", "yes", NULL));
	is_int(res.validate, -EINVAL, "negated only takes no");

	/* include loop */
	pt_write("/etc/sudoers.local", "@include /etc/sudoers.local\n");
	res = sudo_def("use_pty", NULL);
	is_int(res.verdict, VERDICT_ERROR, "include loop: error");
	ok(strstr(res.reason, "nested more than 8") != NULL, "reason: %s", res.reason);

	/* tag = NOPASSWD: user specifications in sudoers and every included
	 * file (CIS 5.2.4 greps /etc/sudoers*; a one-file check missed
	 * sudoers.d) */
	pt_write("/etc/sudoers.local", "Cmnd_Alias NOPASSWD_CMDS = /bin/true\n"
				       "Defaults:bob !lecture\n"
				       "# bob ALL = NOPASSWD: ALL\n"
				       "alice ALL = (root) /usr/bin/apt, PASSWD: /bin/ls\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "tag", "NOPASSWD", NULL));
	is_int(res.verdict, VERDICT_PASS, "no NOPASSWD: comments, aliases and names containing it do not count");
	pt_write("/etc/sudoers.d/60-deploy", "deploy ALL = (ALL) NOEXEC:NOPASSWD: /usr/bin/systemctl restart app\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "tag", "NOPASSWD", NULL));
	is_int(res.verdict, VERDICT_FAIL, "NOPASSWD after another tag, in sudoers.d");
	ok(strstr(res.observed, "1 rule with NOPASSWD: ") && strstr(res.observed, "/etc/sudoers.d/60-deploy:1"),
	   "observed names the file and line: %s", res.observed);
	pt_write("/etc/sudoers.d/60-deploy", "deploy ALL = NOPASSWD: /bin/a, PASSWD: /bin/b\n");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "tag", "NOPASSWD", NULL));
	is_int(res.verdict, VERDICT_FAIL, "a later PASSWD: does not cover the earlier command");
	pt_unlink("/etc/sudoers.d/60-deploy");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "tag", "NOPASS", NULL));
	is_int(res.validate, -EINVAL, "unknown tag");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "tag", "NOPASSWD", "defaults", "use_pty", NULL));
	is_int(res.validate, -EINVAL, "tag alone");

	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "Use Pty", NULL));
	is_int(res.validate, -EINVAL, "bad name");
	res = pt_run(&probe_sudoers, pt_check("sudoers", "defaults", "use_pty", "foo", "1", NULL));
	is_int(res.validate, -EINVAL, "unknown key");
	return tap_done();
}
