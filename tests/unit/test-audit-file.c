/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sched.h>
#include <sys/mount.h>

#include "audit-tree.h"
#include "files-walk.h"

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
	ok(at_res.n_findings == PROBE_MAX_FINDINGS && streq(at_res.findings[0], "/many/f000") &&
		   streq(at_res.findings[PROBE_MAX_FINDINGS - 1], "/many/f255"),
	   "the first ones in path order, whatever the walk order");
	at_remove("/many");
}

/* More offending files than one worker keeps before trimming (twice
 * PROBE_MAX_FINDINGS), met in no particular order: the findings are still
 * exactly the first PROBE_MAX_FINDINGS in strcmp order.  The files are
 * created in a scrambled order so that a directory listed in creation
 * order (tmpfs), in reverse or by hash (ext4) is met scrambled too. */
static void test_files_findings_trimmed(void)
{
	enum { N = 1200 };
	char p[64];
	bool exact = true;

	for (int i = 0; i < N; i++) {
		snprintf(p, sizeof(p), "/trim/f%04d", (i * 7919) % N);	/* 7919 is prime to 1200 */
		at_write(p, "");
		at_chmod(p, 0666);
	}
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /trim"), VERDICT_FAIL, "1200 world-writable");
	ok(at_observed_has("1200: /trim/f0000, /trim/f0001"), "all counted, the first shown");
	is_int((int)at_res.n_findings, PROBE_MAX_FINDINGS, "findings capped at PROBE_MAX_FINDINGS");
	for (size_t i = 0; i < at_res.n_findings && exact; i++) {
		snprintf(p, sizeof(p), "/trim/f%04zu", i);
		exact = streq(at_res.findings[i], p);
		if (!exact)
			diag("finding %zu is %s, want %s", i, at_res.findings[i], p);
	}
	ok(exact && at_res.n_findings == PROBE_MAX_FINDINGS, "exactly the first 256 in strcmp order after trims");
	at_remove("/trim");
}

/* A tmpfs at path (image path) in a private mount namespace, or false. */
static bool mount_tmpfs(const char *path)
{
	static bool unshared;
	char p[4096];

	if (!unshared) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return false;
		unshared = true;
	}
	at_mkdir(path, 0755);
	at_path(p, sizeof(p), path);
	return mount("tmpfs", p, "tmpfs", 0, "size=1m") == 0;
}

static void unmount(const char *path)
{
	char p[4096];

	at_path(p, sizeof(p), path);
	(void)umount2(p, MNT_DETACH);
}

/* Live, every local file system is walked (CIS 7.1.11 walks df --local),
 * not only the one of '/': a tmpfs below the root is entered, network,
 * kernel and per-user runtime mounts are not. */
static void test_files_local_mounts(void)
{
	if (!mount_tmpfs("/mnt/local") || !mount_tmpfs("/mnt/remote") || !mount_tmpfs("/run/user/1000")) {
		ok(1, "# SKIP cannot mount a tmpfs in a private mount namespace");
		return;
	}
	at_write("/mnt/local/ww", "");
	at_chmod("/mnt/local/ww", 0666);
	at_write("/mnt/remote/ww", "");
	at_chmod("/mnt/remote/ww", 0666);
	at_write("/run/user/1000/ww", "");
	at_chmod("/run/user/1000/ww", 0666);
	at_write("/proc/self/mountinfo",
		 "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		 "30 22 0:40 / /mnt/local rw,nosuid - tmpfs tmpfs rw\n"
		 "31 22 0:41 / /mnt/remote rw - nfs4 srv:/export rw\n"
		 "32 22 0:42 / /proc rw - proc proc rw\n"
		 "33 22 0:43 / /run/user/1000 rw - tmpfs tmpfs rw\n");
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /mnt"), VERDICT_PASS,
	       "offline: no mount table, the image's tree stays on its file system");
	is_int(at_eval_live("probe = files\nfind = world_writable\nunder = /\nxdev = yes"), VERDICT_FAIL,
	       "live: a local tmpfs mounted below / is walked");
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "/mnt/local/ww"),
	   "only the local tmpfs: not the nfs4 mount, not /run/user (%s)", at_observed());
	is_int(at_eval_live("probe = files\nfind = world_writable\nunder = /srv"), VERDICT_PASS,
	       "mounts outside 'under' are not walked");
	unmount("/mnt/local");
	unmount("/mnt/remote");
	unmount("/run/user/1000");
	at_remove("/mnt");
	at_remove("/run");
	at_remove("/proc/self");
}

/* The world-writable and the unowned check share one walk per run: a
 * file created between them is not seen by the second. */
static void test_files_one_walk(void)
{
	struct audit_ctx ctx = {};

	at_write("/shared/a", "");
	is_int(at_eval_ctx("probe = files\nfind = world_writable\nunder = /shared", false, &ctx), VERDICT_PASS,
	       "first check walks");
	at_write("/shared/b", "");
	at_chmod("/shared/b", 0666);
	is_int(at_eval_ctx("probe = files\nfind = world_writable\nunder = /shared", false, &ctx), VERDICT_PASS,
	       "second check of the run reuses the walk");
	audit_ctx_done(&ctx);
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /shared"), VERDICT_FAIL, "a new run walks again");
	at_remove("/shared");
}

/* vigild cancels a run at SIGTERM: with the flag set the walk stops at
 * its first entry, and the check is an error that says why, never a pass
 * (nor a fail built from a partial walk). */
static void test_files_cancel(void)
{
	struct audit_ctx ctx = {};
	atomic_bool cancel = true;

	for (int i = 0; i < 50; i++) {
		char p[64];

		snprintf(p, sizeof(p), "/cancel/d%d/f", i);
		at_write(p, "");
	}
	at_chmod("/cancel/d7/f", 0666);
	ctx.cancel = &cancel;
	is_int(at_eval_ctx("probe = files\nfind = world_writable\nunder = /cancel", false, &ctx), VERDICT_ERROR,
	       "a cancelled walk is an error");
	ok(at_res.reason && strstr(at_res.reason, "cancelled"), "the reason says it was cancelled");
	is_int((int)at_res.n_findings, 0, "no findings from a partial walk");
	is_int(at_eval_ctx("probe = files\nfind = unowned\nunder = /cancel", false, &ctx), VERDICT_ERROR,
	       "a check sharing the cancelled walk is an error too");
	audit_ctx_done(&ctx);
	is_int(at_eval("probe = files\nfind = world_writable\nunder = /cancel"), VERDICT_FAIL,
	       "without the flag the same walk finds the file");
	at_remove("/cancel");
}

/* find = setid_unaudited: the setuid/setgid files of the same walk that
 * no execution rule of audit.rules watches (CIS 6.3.3.6). */
static void test_files_setid(void)
{
	at_write("/priv/bin/su", "");
	at_chmod("/priv/bin/su", 04755);
	at_write("/priv/bin/wall", "");
	at_chmod("/priv/bin/wall", 02755);
	at_write("/priv/bin/ls", "");
	at_chmod("/priv/bin/ls", 0755);
	at_write("/etc/audit/audit.rules",
		 "-a always,exit -F path=/priv/bin/su -F perm=x -F auid>=1000 -F auid!=unset -k privileged\n"
		 "-w /priv/bin/wall -p wa\n");
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /priv"), VERDICT_FAIL,
	       "wall has only a write watch");
	ok(at_observed_has("1 of 2 setuid/setgid files") && at_observed_has("/priv/bin/wall"), "observed: %s",
	   at_observed());
	at_write("/etc/audit/audit.rules",
		 "-a always,exit -F path=/priv/bin/su -F perm=x -F auid>=1000 -F auid!=unset -k privileged\n"
		 "-a exit,always -F perm=rx -F path=/priv/bin/wall -k privileged\n");
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /priv"), VERDICT_PASS,
	       "every setid file has an execution rule, in any field order");
	at_remove("/etc/audit");
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /priv"), VERDICT_FAIL, "no rules file");
	at_remove("/priv");
}

/* n audit rules watching /filler/fN for execution, then tail; malloc'ed. */
static char *filler_rules(int n, const char *tail)
{
	size_t size = (size_t)n * 64 + strlen(tail) + 1, len = 0;
	char *t = malloc(size);

	if (!t)
		exit(99);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, size - len, "-a always,exit -F path=/filler/f%d -F perm=x -k p\n", i);
	snprintf(t + len, size - len, "%s", tail);
	return t;
}

/* No cap is silent: a rule set, a setid list or a set of file systems
 * larger than the probe takes is said, and never turned into a pass (or
 * a fail) that the part not looked at could contradict. */
static void test_files_caps(void)
{
	enum { N_SETID = FILES_WALK_MAX_SETID + 10 };
	char p[64], src[4096], dst[4096], *t;
	size_t size = 70000 * 64, len = 0;

	/* audit rules past the 4096th still count */
	at_write("/priv/bin/su", "");
	at_chmod("/priv/bin/su", 04755);
	t = filler_rules(5000, "-a always,exit -F path=/priv/bin/su -F perm=x -k privileged\n");
	at_write("/etc/audit/audit.rules", t);
	free(t);
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /priv"), VERDICT_PASS,
	       "the 5001st rule is read like the first");
	t = filler_rules(65537, "-a always,exit -F path=/priv/bin/su -F perm=x -k privileged\n");
	at_write("/etc/audit/audit.rules", t);
	free(t);
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /priv"), VERDICT_ERROR,
	       "more execution rules than the probe takes is an error");
	ok(at_res.reason && strstr(at_res.reason, "more than 65536 execution rules"), "and says so");
	at_remove("/priv");

	/* more setid files than the walk keeps: hard links to three files (ext4
	 * allows 65000 links to one) */
	for (int k = 0; k < 3; k++) {
		snprintf(p, sizeof(p), "/setid/src%d", k);
		at_write(p, "");
		at_chmod(p, 04755);
	}
	for (int i = 0; i < N_SETID - 3; i++) {
		snprintf(p, sizeof(p), "/setid/l%05d", i);
		at_path(dst, sizeof(dst), p);
		snprintf(p, sizeof(p), "/setid/src%d", i % 3);
		at_path(src, sizeof(src), p);
		if (link(src, dst) < 0) {
			perror(dst);
			exit(99);
		}
	}
	at_write("/etc/audit/audit.rules", "-w /etc/passwd -p wa\n");
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /setid"), VERDICT_FAIL,
	       "more setid files than kept, the kept ones unaudited: a fail");
	snprintf(p, sizeof(p), "65536 of %d setuid/setgid files", N_SETID);
	ok(at_observed_has(p) && at_observed_has("(only the first 65536 checked)"), "counts all, says what was checked");
	t = malloc(size);
	if (!t)
		exit(99);
	for (int i = 0; i < FILES_WALK_MAX_SETID; i++)	/* the first 65536 in strcmp order */
		len += (size_t)snprintf(t + len, size - len, "-a always,exit -F path=/setid/l%05d -F perm=x\n", i);
	at_write("/etc/audit/audit.rules", t);
	free(t);
	is_int(at_eval("probe = files\nfind = setid_unaudited\nunder = /setid"), VERDICT_ERROR,
	       "every kept one audited, the rest unchecked: an error, not a pass");
	snprintf(p, sizeof(p), "%d setuid/setgid files under /setid", N_SETID);
	ok(at_res.reason && strstr(at_res.reason, p), "the reason counts them all: %s", at_res.reason);
	at_remove("/setid");
	at_remove("/etc/audit");

	/* live, more local file systems below 'under' than the walk takes */
	t = malloc(size);
	if (!t)
		exit(99);
	len = (size_t)snprintf(t, size, "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
	for (int i = 0; i < 4100; i++)
		len += (size_t)snprintf(t + len, size - len, "%d 22 0:%d / /mnt/m%d rw - tmpfs tmpfs rw\n", 100 + i,
					100 + i, i);
	at_write("/proc/self/mountinfo", t);
	free(t);
	is_int(at_eval_live("probe = files\nfind = world_writable\nunder = /mnt"), VERDICT_ERROR,
	       "more local file systems than the walk takes is an error, not a pass");
	ok(at_res.reason && strstr(at_res.reason, "more than 4096 local file systems"), "and says so: %s",
	   at_res.reason ? at_res.reason : "");
	at_remove("/proc/self");
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
	test_files_findings_trimmed();
	test_files_one_walk();
	test_files_cancel();
	test_files_setid();
	test_files_caps();
	test_files_local_mounts();
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
