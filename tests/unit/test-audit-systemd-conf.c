/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "systemd-conf" probe: main file, drop-ins across the four
 * directories, last assignment wins, resets, masks, sections. */
#include "audit-tree.h"

#define CHECK(key, cond) "probe = systemd-conf\nfile = /etc/systemd/journald.conf\nsection = Journal\nkey = " key "\n" cond

static void test_precedence(void)
{
	is_int(at_eval(CHECK("Storage", "equals = persistent")), VERDICT_NOT_APPLICABLE,
	       "neither the file nor drop-ins: not installed");
	at_write("/etc/systemd/journald.conf", "[Journal]\n#Storage=auto\nStorage = volatile \n");
	is_int(at_eval(CHECK("Storage", "equals = persistent")), VERDICT_FAIL, "main file: blanks stripped");
	ok(at_observed_has("Storage=volatile (/etc/systemd/journald.conf:3)"), "observed names file:line");
	is_str(at_res.n_findings ? at_res.findings[0] : NULL, "/etc/systemd/journald.conf", "finding is the file");

	at_write("/usr/lib/systemd/journald.conf.d/60-vendor.conf", "[Journal]\nStorage=persistent\n");
	is_int(at_eval(CHECK("Storage", "equals = persistent")), VERDICT_PASS, "a drop-in overrides the main file");
	at_write("/etc/systemd/journald.conf.d/10-local.conf", "[Journal]\nStorage=volatile\n");
	is_int(at_eval(CHECK("Storage", "equals = persistent")), VERDICT_PASS,
	       "drop-ins sorted by name whatever the directory: 60-vendor after 10-local");
	at_write("/etc/systemd/journald.conf.d/60-vendor.conf", "[Journal]\nStorage=none\n");
	is_int(at_eval(CHECK("Storage", "equals = none")), VERDICT_PASS, "/etc hides the same name in /usr/lib");
	at_symlink("/etc/systemd/journald.conf.d/60-vendor.conf", "/dev/null");
	is_int(at_eval(CHECK("Storage", "equals = volatile")), VERDICT_PASS, "a /dev/null link masks the name");
	at_write("/run/systemd/journald.conf.d/99-reset.conf", "[Journal]\nStorage=\n");
	is_int(at_eval(CHECK("Storage", "equals = auto\ndefault = auto")), VERDICT_PASS,
	       "an empty assignment resets to the default");
	ok(at_observed_has("(default)"), "observed says default");
	at_remove("/run/systemd");
	at_remove("/etc/systemd/journald.conf.d");
	at_remove("/usr/lib/systemd");
}

static void test_syntax(void)
{
	at_write("/etc/systemd/journald.conf", "Compress=no\n"
					       "[Journal]\n"
					       "; comment\n"
					       "compress=no\n"
					       "SystemMaxUse=\\\n"
					       "  1G\n"
					       "[Upload]\n"
					       "Compress=no\n");
	is_int(at_eval(CHECK("Compress", "equals = yes\ndefault = yes\nboolean = yes")), VERDICT_PASS,
	       "keys outside [Journal] or in another case do not count; default applies");
	at_write("/etc/systemd/journald.conf", "[Journal]\nCompress=off\n");
	is_int(at_eval(CHECK("Compress", "equals = no\nboolean = yes")), VERDICT_PASS, "boolean: off is no");
	at_write("/etc/systemd/journald.conf", "[Journal]\nSystemMaxUse=\\\n  1G\n");
	is_int(at_eval(CHECK("SystemMaxUse", "set = yes")), VERDICT_PASS, "continuation line");
	ok(at_observed_has("SystemMaxUse=1G"), "joined value");
	at_write("/etc/systemd/journald.conf", "[Journal]\n#SystemMaxUse=\n");
	is_int(at_eval(CHECK("SystemMaxUse", "set = yes")), VERDICT_FAIL, "unset");
}

/* conf-parser.c (systemd 252) drops comment lines before it looks for a
 * continuation, and a backslash escaped by another is not one. */
static void test_continuation(void)
{
#define COMPRESS_NO CHECK("Compress", "equals = no\ndefault = yes\nboolean = yes")
	at_write("/etc/systemd/journald.conf", "[Journal]\n#old \\\nCompress=no\n");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "a comment ending in a backslash does not swallow the next line");
	ok(at_observed_has("Compress=no (/etc/systemd/journald.conf:3)"), "observed: %s", at_observed());
	at_write("/etc/systemd/journald.conf", "[Journal]\n  ; old \\\nCompress=no\n");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "nor does an indented ';' comment");
	at_write("/etc/systemd/journald.conf", "[Journal]\nSystemMaxUse=1G\\\\\nCompress=no\n");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "an escaped backslash at the end is not a continuation");
	at_write("/etc/systemd/journald.conf", "[Journal]\nSystemMaxUse=1G \\ \nCompress=no\n");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "nor is a backslash followed by a blank");
	at_write("/etc/systemd/journald.conf", "[Journal]\nSystemMaxUse=\\\n# a note\n  1G\n");
	is_int(at_eval(CHECK("SystemMaxUse", "set = yes")), VERDICT_PASS, "a comment between continued lines...");
	ok(at_observed_has("SystemMaxUse=1G (/etc/systemd/journald.conf:2)"), "... is left out: %s", at_observed());
	at_write("/etc/systemd/journald.conf", "[Journal]\nCompress=no \\");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "a continuation open at the end of the file still counts");
	at_write("/etc/systemd/journald.conf", "[Journal]\nCompress=\\\n  no\n");
	is_int(at_eval(COMPRESS_NO), VERDICT_PASS, "a plain continuation joins");
#undef COMPRESS_NO
}

static void test_validate(void)
{
	struct check_set set = CHECK_SET_INIT;

	ok(at_load(&set, "probe = systemd-conf\nfile = /usr/lib/x.conf\nsection = A\nkey = B\nset = yes") == -EINVAL,
	   "file below /etc: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = systemd-conf\nfile = /etc/x.conf\nsection = A\nkey = B\nset = yes\nequals = 1") ==
		   -EINVAL, "set with an expectation");
	check_set_done(&set);
	ok(at_load(&set, "probe = systemd-conf\nfile = /etc/x.conf\nsection = A\nkey = B") == -EINVAL,
	   "no expectation");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_precedence();
	test_syntax();
	test_continuation();
	test_validate();
	return tap_done();
}
