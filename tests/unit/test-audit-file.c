/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"

static void test_file(void)
{
	at_write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
	at_write("/etc/group", "root:x:0:\nshadow:x:42:\nalice:x:1000:\n");
	at_write("/etc/shadow", "root:*:19000:0:99999:7:::\n");
	at_chmod("/etc/shadow", 0640);

	is_int(at_eval("probe = file\npath = /etc/shadow\nmode_max = 0640\nowner = root\ngroup = root|shadow"),
	       VERDICT_PASS, "mode, owner and group as expected");
	ok(at_observed_has("mode 0640"), "observed mode");
	at_chmod("/etc/shadow", 0644);
	is_int(at_eval("probe = file\npath = /etc/shadow\nmode_max = 0640"), VERDICT_FAIL, "o+r is outside 0640");
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "/etc/shadow"), "a failing file check finds its path");
	is_int(at_eval("probe = file\npath = /etc/shadow\nmode_max = 0755"), VERDICT_PASS, "0644 within 0755");
	is_int((int)at_res.n_findings, 0, "a passing one finds nothing");
	is_int(at_eval("probe = file\npath = /etc/shadow\nowner = alice|1000"), VERDICT_FAIL, "owner mismatch");
	if (geteuid() == 0) {
		char p[4096];

		at_path(p, sizeof(p), "/etc/shadow");
		ok(chown(p, 1000, 42) == 0, "chown");
		is_int(at_eval("probe = file\npath = /etc/shadow\nowner = alice\ngroup = shadow"), VERDICT_PASS,
		       "names resolved through the image's passwd/group");
		ok(chown(p, 4242, 0) == 0, "chown to an unnamed uid");
		is_int(at_eval("probe = file\npath = /etc/shadow\nowner = root"), VERDICT_FAIL, "unnamed owner");
		ok(at_observed_has("owner 4242 (no such name)"), "observed shows the number");
		ok(chown(p, 0, 0) == 0, "chown back");
	}
	is_int(at_eval("probe = file\npath = /etc/gshadow-\nmode_max = 0640"), VERDICT_NOT_APPLICABLE,
	       "missing file without 'exists' is not applicable");
	is_int(at_eval("probe = file\npath = /etc/gshadow-\nexists = no"), VERDICT_PASS, "exists = no");
	is_int(at_eval("probe = file\npath = /etc/gshadow-\nexists = yes"), VERDICT_FAIL, "exists = yes");
	is_int(at_eval("probe = file\npath = /etc\ntype = directory"), VERDICT_PASS, "type directory");
	at_symlink("/etc/motd", "/etc/issue");
	at_write("/etc/issue", "Debian GNU/Linux \\r \\m\n");
	is_int(at_eval("probe = file\npath = /etc/motd\ntype = symlink"), VERDICT_PASS, "type symlink: not followed");
	is_int(at_eval("probe = file\npath = /etc/motd\ncontent_absent = \\\\[mrsv]"), VERDICT_FAIL,
	       "content_absent follows the link and finds the escape");
	ok(at_observed_has("line 1 matches"), "matching line reported");
	at_write("/etc/login.defs", "# comment\nUMASK\t\t027\nENCRYPT_METHOD SHA512\n");
	is_int(at_eval("probe = file\npath = /etc/login.defs\ncontent_present = ^ENCRYPT_METHOD[[:space:]]+(SHA512|YESCRYPT)$"),
	       VERDICT_PASS, "content_present with ERE");
	is_int(at_eval("probe = file\npath = /etc/login.defs\ncontent_present = ^PASS_MAX_DAYS"), VERDICT_FAIL,
	       "content_present missing");
	is_int(at_eval("probe = file\npath = /etc\ncontent_present = x"), VERDICT_FAIL, "content on a directory");
}

/* Every offending path is a finding up to PROBE_MAX_FINDINGS, while the
 * observed text names only the first few. */
static void test_files_findings(void)
{
	char p[64];
	bool all = true;

	for (int i = 0; i < PROBE_MAX_FINDINGS + 10; i++) {
		snprintf(p, sizeof(p), "/many/f%03d", i);
		at_write(p, "");
		at_chmod(p, 0666);
	}
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /many"), VERDICT_FAIL, "many world-writable");
	snprintf(p, sizeof(p), "%d: ", PROBE_MAX_FINDINGS + 10);
	ok(at_observed_has(p) && at_observed_has(", ..."), "observed counts all, shows a few");
	is_int((int)at_res.n_findings, PROBE_MAX_FINDINGS, "findings capped at PROBE_MAX_FINDINGS");
	for (size_t i = 0; i < at_res.n_findings; i++)
		all = all && at_res.findings[i] && !strncmp(at_res.findings[i], "/many/f", 7);
	ok(all, "each finding is an offending path");
	at_remove("/many");
}

static void test_files(void)
{
	at_mkdir("/var/tmp", 01777);
	at_mkdir("/srv/open", 0777);
	at_write("/srv/data", "x");
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /srv /var"), VERDICT_FAIL,
	       "world-writable dir without sticky bit");
	ok(at_observed_has("/srv/open") && !strstr(at_observed(), "/var/tmp"), "sticky /var/tmp is fine");
	at_chmod("/srv/open", 0755);
	at_chmod("/srv/data", 0666);
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /srv"), VERDICT_FAIL, "world-writable file");
	ok(at_observed_has("1: /srv/data"), "observed lists it");
	is_int((int)at_res.n_findings, 1, "one finding");
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "/srv/data"), "the finding is the path");
	at_chmod("/srv/data", 0644);
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /srv /nonexistent"), VERDICT_PASS, "clean");
	ok(!at_res.findings && at_res.n_findings == 0, "a pass has no findings");
	test_files_findings();
	at_mkdir("/proc/x", 0777);
	is_int(at_eval("probe = files\nfind = world_writable"), VERDICT_PASS, "/proc is skipped; /var/tmp sticky");
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /\nmax_files = 3"), VERDICT_ERROR,
	       "over max_files is an error, not a pass");
	{
		char deep[4096] = "/deep";

		for (int i = 0; i < 66; i++)
			strcat(deep, "/d");
		at_mkdir(deep, 0755);
		is_int(at_eval("probe = files\nfind = world_writable\nunder = /deep"), VERDICT_ERROR,
		       "nesting beyond the depth limit is an error, not a pass");
		at_remove("/deep");
	}
	if (geteuid() == 0) {
		char p[4096];

		at_path(p, sizeof(p), "/srv/data");
		ok(chown(p, 31337, 0) == 0, "chown");
		is_int(at_eval("probe = files\nfind = unowned\nunder = /srv"), VERDICT_FAIL, "unowned file found");
		ok(at_observed_has("/srv/data"), "observed lists it");
		ok(chown(p, 0, 0) == 0, "chown back");
		is_int(at_eval("probe = files\nfind = unowned\nunder = /srv"), VERDICT_PASS, "all owned");
	}
}

int main(void)
{
	struct check_set set = CHECK_SET_INIT;

	at_init();
	test_file();
	test_files();
	ok(at_load(&set, "probe = file\npath = /x\nmode_max = 0999") == -EINVAL, "bad mode");
	check_set_done(&set);
	ok(at_load(&set, "probe = file\npath = /x\ncontent_present = (") == -EINVAL &&
		   strstr(at_diag.msg, "test.conf:8:"),
	   "bad regex at its line: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = file\npath = x\nexists = yes") == -EINVAL, "relative path");
	check_set_done(&set);
	ok(at_load(&set, "probe = file\npath = /x") == -EINVAL, "no condition");
	check_set_done(&set);
	ok(at_load(&set, "probe = files\nfind = suid") == -EINVAL, "unknown find");
	check_set_done(&set);
	return tap_done();
}
