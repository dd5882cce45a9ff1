/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "pam" probe: module lines, options, includes and module config files. */
#include "probe-test.h"
#include "probes.h"

static struct pt_result pam_opt(const char *file, const char *type, const char *module, const char *option,
				const char *k, const char *v)
{
	return pt_run(&probe_pam, pt_check("pam", "file", file, "type", type, "module", module, "option", option, k, v,
					   NULL));
}

static enum verdict pam_present(const char *file, const char *type, const char *module, const char *yesno)
{
	return pt_verdict(&probe_pam, pt_check("pam", "file", file, "type", type, "module", module, "present", yesno,
					       NULL));
}

int main(void)
{
	struct pt_result res;

	pt_init();
	pt_write("/etc/pam.d/common-password",
		 "# here are the per-package modules (the \"Primary\" block)\n"
		 "password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=8 \\\n"
		 "    minlen=14 enforce_for_root # comment\n"
		 "password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt\n"
		 "password\trequisite\t\t\tpam_deny.so\n"
		 "password\trequired\t\t\tpam_permit.so\n"
		 "-password optional pam_gnome_keyring.so\n");
	pt_write("/etc/pam.d/common-auth",
		 "auth\trequired pam_faillock.so preauth\n"
		 "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
		 "auth\t[default=die] pam_faillock.so authfail\n"
		 "auth\trequisite\t\t\tpam_deny.so\n"
		 "auth\trequired\t\t\tpam_permit.so\n");
	pt_write("/etc/pam.d/sshd", "@include common-auth\naccount required pam_nologin.so\n"
				    "password include common-password\n");
	pt_write("/etc/pam.d/su", "auth sufficient pam_rootok.so\n# auth required pam_wheel.so use_uid\n");

	/* options on the line: last occurrence wins, continuation lines, flags */
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "minlen", "min", "14");
	is_int(res.verdict, VERDICT_PASS, "minlen 14 (last on the line, continuation line)");
	ok(strstr(res.observed, "minlen=14 (") && strstr(res.observed, "common-password:2)"),
	   "observed names file:line: %s", res.observed);
	is_int(pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "retry", "max", "3").verdict,
	       VERDICT_PASS, "retry <= 3");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/common-password", "type", "password", "module",
					  "pam_pwquality", "option", "enforce_for_root", NULL));
	is_int(res.verdict, VERDICT_PASS, "flag option present (module name without .so)");
	is_str(res.expected, "enforce_for_root set", "expected text");
	is_int(pam_opt("/etc/pam.d/common-password", "password", "/lib/x86_64-linux-gnu/security/pam_unix.so",
		       "yescrypt", "equals", "").verdict,
	       VERDICT_PASS, "module by full path; flag value is empty");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/common-password", "type", "password", "module",
					  "pam_unix.so", "option", "sha512|yescrypt", NULL));
	is_int(res.verdict, VERDICT_PASS, "alternatives: either hash option");
	ok(strncmp(res.observed, "yescrypt (", 10) == 0, "observed names the one found: %s", res.observed);
	is_int(pam_opt("/etc/pam.d/common-password", "password", "pam_unix.so", "sha512|md5", "equals", "").verdict,
	       VERDICT_FAIL, "alternatives: neither");
	is_int(pam_present("/etc/pam.d/common-password", "password", "pam_gnome_keyring.so", "yes"), VERDICT_PASS,
	       "leading '-' on the type");
	is_int(pam_present("/etc/pam.d/common-password", "PASSWORD", "pam_deny.so", "yes"), VERDICT_PASS,
	       "type is case-insensitive");
	is_int(pam_present("/etc/pam.d/common-password", "auth", "pam_deny.so", "yes"), VERDICT_FAIL,
	       "other type does not match");
	is_int(pam_present("/etc/pam.d/su", "auth", "pam_wheel.so", "yes"), VERDICT_FAIL, "commented-out line");
	is_int(pam_present("/etc/pam.d/su", "auth", "pam_wheel.so", "no"), VERDICT_PASS, "present=no");

	/* includes */
	is_int(pam_present("/etc/pam.d/sshd", "auth", "pam_faillock.so", "yes"), VERDICT_PASS, "@include");
	is_int(pam_opt("/etc/pam.d/sshd", "password", "pam_pwquality.so", "minlen", "min", "14").verdict, VERDICT_PASS,
	       "password include common-password");
	is_int(pam_present("/etc/pam.d/sshd", "account", "pam_nologin.so", "yes"), VERDICT_PASS, "own line");

	/* option absent from every line (nullok) */
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/common-auth", "type", "auth", "module",
					  "pam_unix.so", "option", "nullok", "present", "no", NULL));
	is_int(res.verdict, VERDICT_FAIL, "nullok on pam_unix fails present=no");
	ok(strstr(res.observed, "common-auth:2") != NULL, "observed names the line: %s", res.observed);

	/* an empty pwquality.conf.d (qsort of nothing once was undefined behaviour) */
	pt_mkdir("/etc/security/pwquality.conf.d", 0755);
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "dcredit", "max", "-1");
	is_int(res.verdict, VERDICT_FAIL, "empty conf.d, no pwquality.conf: unset");

	/* pwquality.conf fallback: .d files in order, then the main file; the line overrides */
	pt_write("/etc/security/pwquality.conf", "# minlen = 9\nminlen = 12\ndcredit=-1\n  ucredit   -1\n");
	pt_write("/etc/security/pwquality.conf.d/50-a.conf", "minclass = 3\ndcredit = 0\nlcredit = -2\n");
	pt_write("/etc/security/pwquality.conf.d/60-b.conf", "minclass = 4\n");
	pt_write("/etc/security/pwquality.conf.d/70-c.conf.bak", "minclass = 1\n");
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "dcredit", "max", "-1");
	is_int(res.verdict, VERDICT_PASS, "pwquality.conf read after conf.d");
	ok(strstr(res.observed, "pwquality.conf:3)") != NULL, "from the main file: %s", res.observed);
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "minclass", "min", "4");
	is_int(res.verdict, VERDICT_PASS, "conf.d in ASCII order, *.conf only");
	is_int(pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "ucredit", "equals", "-1").verdict,
	       VERDICT_PASS, "blank-separated value");
	is_int(pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "lcredit", "equals", "-2").verdict,
	       VERDICT_PASS, "only in conf.d");
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "minlen", "equals", "14");
	is_int(res.verdict, VERDICT_PASS, "the PAM line overrides pwquality.conf");
	res = pam_opt("/etc/pam.d/common-password", "password", "pam_pwquality.so", "maxrepeat", "max", "3");
	is_int(res.verdict, VERDICT_FAIL, "unset anywhere");
	ok(strncmp(res.observed, "(unset", 6) == 0, "observed unset: %s", res.observed);

	/* faillock.conf fallback, and conf= on the line */
	pt_write("/etc/security/faillock.conf", "deny = 5\nunlock_time = 900\neven_deny_root\n");
	is_int(pam_opt("/etc/pam.d/common-auth", "auth", "pam_faillock.so", "deny", "max", "5").verdict, VERDICT_PASS,
	       "faillock.conf deny");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/common-auth", "type", "auth", "module",
					  "pam_faillock.so", "option", "even_deny_root", NULL));
	is_int(res.verdict, VERDICT_PASS, "faillock.conf flag");
	pt_write("/etc/pam.d/common-auth", "auth required pam_faillock.so preauth conf=/etc/security/fl.conf\n");
	pt_write("/etc/security/fl.conf", "deny = 10\n");
	is_int(pam_opt("/etc/pam.d/common-auth", "auth", "pam_faillock.so", "deny", "max", "5").verdict, VERDICT_FAIL,
	       "conf= names another file");

	/* bracketed arguments, include loops, missing module line */
	pt_write("/etc/pam.d/other", "session required pam_exec.so [quiet  x=1] seteuid\nsession include other\n");
	res = pam_opt("/etc/pam.d/other", "session", "pam_exec.so", "seteuid", "equals", "");
	is_int(res.verdict, VERDICT_ERROR, "include loop is an error");
	ok(strstr(res.reason, "nested more than 8") != NULL, "reason: %s", res.reason);
	{
		/* Fan-out: 8 levels of files each including the next 4 times
		 * would be 4^8 reads without the cap on files per check. */
		char name[64], next[16], text[256];

		for (int i = 0; i < 8; i++) {
			snprintf(name, sizeof(name), "/etc/pam.d/fan%d", i);
			snprintf(next, sizeof(next), "fan%d", i + 1);
			snprintf(text, sizeof(text), "@include %s\n@include %s\n@include %s\n@include %s\n", next, next,
				 next, next);
			pt_write(name, text);
		}
		pt_write("/etc/pam.d/fan8", "auth required pam_env.so\n");
		res = pam_opt("/etc/pam.d/fan0", "auth", "pam_env.so", "readenv", "equals", "1");
		is_int(res.verdict, VERDICT_ERROR, "include fan-out is bounded");
		ok(strstr(res.reason, "more than 256 PAM files") != NULL, "reason: %s", res.reason);
	}
	res = pam_opt("/etc/pam.d/su", "auth", "pam_wheel.so", "use_uid", "equals", "");
	is_int(res.verdict, VERDICT_FAIL, "no module line: option fails");
	res = pam_opt("/etc/pam.d/missing", "auth", "pam_wheel.so", "use_uid", "equals", "");
	is_int(res.verdict, VERDICT_ERROR, "missing file: error");

	/* arguments */
	res = pt_run(&probe_pam, pt_check("pam", "file", "common-auth", "type", "auth", "module", "x", "present", "yes",
					  NULL));
	is_int(res.validate, -EINVAL, "relative file rejected");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/x", "type", "login", "module", "x", "present",
					  "yes", NULL));
	is_int(res.validate, -EINVAL, "bad type");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/x", "type", "auth", "module", "x", NULL));
	is_int(res.validate, -EINVAL, "option or present required");
	res = pt_run(&probe_pam, pt_check("pam", "file", "/etc/pam.d/x", "type", "auth", "module", "x", "min", "3",
					  "present", "yes", NULL));
	is_int(res.validate, -EINVAL, "expectation without option");
	return tap_done();
}
