/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"
#include "expect.h"

#define HEAD "title = t\ncategory = c\nseverity = low\nremediation = r\n"
#define GOOD "probe = sysctl\nkey = a.b\nequals = 1\n"

static int load(struct check_set *set, const char *name, const char *text)
{
	diag_clear(&at_diag);
	return rules_load_text(set, name, text, strlen(text), &at_diag);
}

/* Load text into a fresh set and expect an error with this message. */
static void load_fails(const char *text, const char *want, const char *what)
{
	struct check_set set = CHECK_SET_INIT;
	int r = load(&set, "f.conf", text);

	ok(r == -EINVAL && strstr(at_diag.msg, want), "%s", what);
	if (!(r == -EINVAL && strstr(at_diag.msg, want)))
		printf("#   r=%d msg \"%s\", want \"%s\"\n", r, at_diag.msg, want);
	check_set_done(&set);
}

static void test_errors(void)
{
	char longline[400], longkey[200], longsec[120];

	load_fails("[a]\n" HEAD GOOD "bogus = 1\n", "f.conf:9: check 'a': key 'bogus': unknown for probe sysctl",
		   "unknown probe key at its line");
	load_fails("[a]\ntitle = t\ncategory = c\nseverity = urgent\n", "f.conf:4: key 'severity': 'urgent'",
		   "bad severity");
	load_fails("[a]\ntitle = t\ncategory = c\nseverity = info\nremediation = r\n" GOOD, "f.conf:4:",
		   "info is not a check severity");
	load_fails("[a]\n" HEAD GOOD "[b]\n" HEAD GOOD "[a]\n" HEAD GOOD, "f.conf:17: duplicate section 'a'",
		   "duplicate section in one file");
	load_fails("[a]\n" HEAD "key = a.b\nequals = 1\n", "f.conf:1: check 'a': missing key 'probe'",
		   "missing probe at the section line");
	load_fails("[a]\n" HEAD "probe = nosuch\n", "f.conf:6: check 'a': unknown probe 'nosuch'", "unknown probe");
	load_fails("[a]\ntitle = t\n" GOOD, "missing key 'category'", "missing category");
	load_fails("[a]\n" HEAD GOOD "title = again\n", "f.conf:9: duplicate key 'title' (first on line 2)",
		   "duplicate engine key");
	load_fails("[a]\n" HEAD GOOD "key = c.d\n", "f.conf:9: duplicate key 'key' (first on line 7)",
		   "duplicate probe key");
	load_fails("title = t\n", "f.conf:1: key 'title' outside a [check-id] section", "key outside section");
	load_fails("[a]\n" HEAD GOOD "no equals sign\n", "f.conf:9: syntax error", "libinih syntax error line");
	load_fails("[a]\n" HEAD GOOD "  indented = 1\n", "f.conf:9: indented line", "continuation rejected");
	load_fails("[A_b]\n", "f.conf:1: invalid check id 'A_b'", "bad id");
	load_fails("[a]\n" HEAD "enabled = maybe\n" GOOD, "f.conf:6: key 'enabled'", "bad enabled");
	load_fails("[a]\n" HEAD "paths = etc/x\n" GOOD, "f.conf:6: key 'paths'", "relative path in paths");
	load_fails("[a\n", "f.conf:1: section header without ']'", "unterminated header");

	memset(longline, 'x', sizeof(longline));
	snprintf(longline, sizeof(longline), "[a]\n" HEAD GOOD "rationale = %0200d\n", 0);
	load_fails(longline, "f.conf:9: line longer than 199 bytes", "over-long line (200 bytes) rejected");
	snprintf(longline, sizeof(longline), "[a]\n" HEAD GOOD "rationale = %0187d\n", 0);
	{
		struct check_set set = CHECK_SET_INIT;

		is_int(load(&set, "f.conf", longline), 0, "a 199-byte line is fine: %s", at_diag.msg);
		ok(set.n == 1 && strlen(set.checks[0]->rationale) == 187, "and is read whole");
		check_set_done(&set);
	}
	snprintf(longkey, sizeof(longkey), "[a]\n" HEAD GOOD "%050d = 1\n", 0);
	load_fails(longkey, "f.conf:9: key longer than 49 characters", "50-character key rejected (inih truncates)");
	snprintf(longsec, sizeof(longsec), "[%050d]\n", 0);
	load_fails(longsec, "f.conf:1: section name longer than 49", "50-character section name rejected");
	{
		static const char nul[] = "[a]\n" HEAD GOOD "x = 1\0y\n";
		struct check_set set = CHECK_SET_INIT;

		diag_clear(&at_diag);
		ok(rules_load_text(&set, "f.conf", nul, sizeof(nul) - 1, &at_diag) == -EINVAL &&
			   strstr(at_diag.msg, "f.conf:9: NUL byte"),
		   "embedded NUL: %s", at_diag.msg);
		check_set_done(&set);
	}
}

static void test_override(void)
{
	struct check_set set = CHECK_SET_INIT;

	is_int(load(&set, "/usr/share/vigil/checks.d/10-a.conf",
		    "[a]\n" HEAD GOOD "paths = /etc/sysctl.conf /etc/sysctl.d\n[b]\n" HEAD GOOD),
	       0, "shipped file loads");
	is_int(set.n, 2, "two checks");
	ok(set.checks[0]->n_paths == 2 && streq(set.checks[0]->paths[1], "/etc/sysctl.d"), "paths split");
	is_int(load(&set, "/etc/vigil/checks.d/10-a.conf", "[a]\nenabled = no\n"), 0, "disable-only section");
	ok(set.n == 2 && !set.checks[0]->enabled && streq(set.checks[0]->title, "t"),
	   "disabled, definition kept");
	is_int(load(&set, "/etc/vigil/checks.d/20-b.conf",
		    "[b]\ntitle = local\ncategory = c\nseverity = high\nremediation = r\nprobe = sysctl\nkey = x.y\n"
		    "min = 2\n[c]\n" HEAD GOOD "[zz]\nenabled = no\n"),
	       0, "override file loads");
	is_int(set.n, 3, "b replaced in place, c added, unknown disable ignored");
	ok(streq(set.checks[1]->title, "local") && set.checks[1]->severity == SEVERITY_HIGH &&
		   !check_arg(set.checks[1], "equals"),
	   "replacement is whole");
	ok(streq(set.checks[1]->file, "/etc/vigil/checks.d/20-b.conf"), "file of the last definition");
	is_int(load(&set, "x.conf", "[a]\nenabled = yes\n"), 0, "re-enable");
	ok(set.checks[0]->enabled, "enabled again");
	check_set_done(&set);
}

static void test_dirs(void)
{
	struct check_set set = CHECK_SET_INIT;
	char d1[4096], d2[4096], *dirs[2];

	at_write("/r1/20-b.conf", "[b]\n" HEAD GOOD);
	at_write("/r1/10-a.conf", "[a]\n" HEAD GOOD);
	at_write("/r1/README", "not a rule file");
	at_write("/r2/10-a.conf", "[a]\nenabled = no\n");
	at_path(d1, sizeof(d1), "/r1");
	at_path(d2, sizeof(d2), "/r2");
	dirs[0] = d1;
	dirs[1] = d2;
	is_int(rules_load_dirs(&set, dirs, 2, true, &at_diag), 0, "two directories");
	ok(set.n == 2 && streq(set.checks[0]->id, "a") && !set.checks[0]->enabled, "sorted, second overrides");
	check_set_done(&set);
	at_write("/r2/30-bad.conf", "[c]\n" HEAD "probe = sysctl\n");
	ok(rules_load_dirs(&set, dirs, 2, true, &at_diag) == -EINVAL && strstr(at_diag.msg, "30-bad.conf:1:"),
	   "error names the file: %s", at_diag.msg);
	check_set_done(&set);
	at_path(d1, sizeof(d1), "/nonexistent");
	ok(rules_load_dirs(&set, dirs, 1, true, &at_diag) == -ENOENT, "explicit missing dir is an error");
	is_int(rules_load_dirs(&set, dirs, 1, false, &at_diag), 0, "default missing dir is skipped");
	check_set_done(&set);
}

static void test_expect(void)
{
	struct check_set set = CHECK_SET_INIT;
	struct probe_result r = {};
	const struct check *c;

	is_int(load(&set, "e.conf", "[a]\n" HEAD "probe = sysctl\nkey = a\none_of = yes No\nabsent_ok = yes\n"
			       "[b]\n" HEAD "probe = sysctl\nkey = a\nmin = -1\nmax = 4\n"),
	       0, "loads");
	c = set.checks[0];
	is_int(expect_eval(c, "no", true, &r), 0, "eval");
	is_int(r.verdict, VERDICT_PASS, "one_of casefold");
	is_str(r.expected, "one of: yes No or unset", "expected text");
	expect_eval(c, "no", false, &r);
	is_int(r.verdict, VERDICT_FAIL, "one_of exact");
	expect_eval(c, NULL, false, &r);
	is_int(r.verdict, VERDICT_PASS, "absent ok");
	is_str(r.observed, "(unset)", "absent shown as (unset)");
	c = set.checks[1];
	expect_eval(c, "-1", false, &r);
	is_int(r.verdict, VERDICT_PASS, "negative bound");
	is_str(r.expected, "between -1 and 4", "range text");
	expect_eval(c, "5", false, &r);
	is_int(r.verdict, VERDICT_FAIL, "above max");
	expect_eval(c, "4x", false, &r);
	is_int(r.verdict, VERDICT_FAIL, "not an integer");
	expect_eval(c, NULL, false, &r);
	is_int(r.verdict, VERDICT_FAIL, "absent fails without absent_ok");
	probe_result_done(&r);
	check_set_done(&set);
	load_fails("[a]\n" HEAD "probe = sysctl\nkey = a\nmin = 5\nmax = 4\n", "f.conf:9: check 'a': key 'max'",
		   "min > max");
	load_fails("[a]\n" HEAD "probe = sysctl\nkey = a\nequals = 1\none_of = 1 2\n", "key 'one_of'",
		   "equals with one_of");
}

/* if_installed: the engine answers not_applicable unless one of the
 * packages is installed; "cis = -" marks a check without a reference. */
static void test_engine_keys(void)
{
	struct check_set set = CHECK_SET_INIT;

	load_fails("[a]\n" HEAD "if_installed = Bad_Name\n" GOOD, "f.conf:6: check 'a': key 'if_installed'",
		   "if_installed takes package names");
	at_write("/proc/sys/a/b", "1\n");
	at_write("/var/lib/dpkg/status", "Package: cron\nStatus: install ok installed\nVersion: 3\n\n"
					 "Package: at\nStatus: deinstall ok config-files\nVersion: 3\n");
	is_int(at_eval_live("if_installed = at\n" GOOD), VERDICT_NOT_APPLICABLE, "at only config-files: not applicable");
	is_str(at_res.reason, "at is not installed", "reason");
	is_int(at_eval_live("if_installed = at cron\n" GOOD), VERDICT_PASS, "one of them installed: the probe runs");
	is_int(at_eval_live("if_installed = at cronie\n" GOOD), VERDICT_NOT_APPLICABLE, "none of them");
	is_str(at_res.reason, "none of at cronie is installed", "reason for several");
	at_remove("/var/lib/dpkg");
	is_int(at_eval_live("if_installed = cron\n" GOOD), VERDICT_ERROR, "no package database: an error, not a guess");
	at_remove("/proc/sys");

	is_int(load(&set, "f.conf", "[a]\n" HEAD "cis = -\n" GOOD), 0, "cis = - loads");
	ok(set.n == 1 && set.checks[0]->cis == NULL, "and gives no reference");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_errors();
	test_engine_keys();
	test_override();
	test_dirs();
	test_expect();
	return tap_done();
}
