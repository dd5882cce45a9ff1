/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The passwd/shadow/group parsers and the "accounts" probe. */
#include "accounts-db.h"
#include "probe-test.h"
#include "probes.h"

static const char good_passwd[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"sync:x:4:65534:sync:/bin:/bin/sync\n"
	"games:x:5:60:games:/usr/games:/bin/false\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	"alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
	"\n"
	"# a comment\n"
	"+@nisgroup::::::\n";

static const char good_shadow[] =
	"root:$y$j9T$salt$hash:19700:1:365:7:30::\n"
	"daemon:*:19700:0:99999:7:::\n"
	"sync:!:19700::::::\n"
	"games:!*:19700:0:99999:7:::\n"
	"nobody:*:19700:0:99999:7:::\n"
	"alice:$y$j9T$salt$hash2:19700:1:365:7:30::\n";

static const char good_group[] =
	"root:x:0:\n"
	"daemon:x:1:\n"
	"games:x:60:\n"
	"shadow:x:42:\n"
	"nogroup:x:65534:\n"
	"alice:x:1000:\n"
	"sudo:x:27:alice,,\n";

static void write_db(const char *passwd, const char *shadow, const char *group)
{
	pt_write("/etc/passwd", passwd);
	pt_write("/etc/shadow", shadow);
	pt_write("/etc/group", group);
}

static enum verdict rule(const char *name)
{
	return pt_verdict(&probe_accounts, pt_check("accounts", "rule", name, NULL));
}

static void test_parsers(void)
{
	struct accounts_db db = {};
	struct diag d = {};
	int r;

	r = accounts_db_parse_passwd(&db, good_passwd, strlen(good_passwd), "passwd", &d);
	is_int(r, 0, "passwd parses (%s)", d.msg);
	is_int(db.n_pw, 6, "comment, empty and NIS lines skipped");
	is_int(db.pw[4].uid, 65534, "uid parsed");
	is_str(db.pw[5].shell, "/bin/bash", "shell field");
	r = accounts_db_parse_shadow(&db, good_shadow, strlen(good_shadow), "shadow", &d);
	is_int(r, 0, "shadow parses");
	is_int(db.sp[0].max, 365, "max days");
	is_int(db.sp[2].min, -1, "empty field is -1");
	is_int(db.sp[0].expire, -1, "empty expire");
	ok(accounts_hash_is_locked(db.sp[2].hash), "! is locked");
	ok(accounts_hash_is_locked(db.sp[3].hash), "!* is locked");
	ok(!accounts_hash_is_locked(db.sp[0].hash), "a hash is not locked");
	r = accounts_db_parse_group(&db, good_group, strlen(good_group), "group", &d);
	is_int(r, 0, "group parses");
	is_int(db.gr[6].n_members, 1, "empty member names dropped");
	is_str(db.gr[6].members[0], "alice", "member");
	accounts_db_free(&db);

	static const struct {
		int which;	/* 0 passwd, 1 shadow, 2 group */
		const char *text, *msg;
	} bad[] = {
		{ 0, "root:x:0:0:root:/root\n", "f:1: 6 fields, expected 7" },
		{ 0, "root:x:0:0:root:/root:/bin/sh:extra\n", "f:1: 8 fields, expected 7" },
		{ 0, "root:x:0:0::/root:/bin/sh\nbob:x:1x:0::/:/bin/sh\n", "f:2: invalid UID \"1x\"" },
		{ 0, "bob:x::0::/:/bin/sh\n", "f:1: invalid UID \"\"" },
		{ 0, "bob:x:4294967295:0::/:/bin/sh\n", "f:1: invalid UID \"4294967295\"" },
		{ 0, ":x:0:0::/:/bin/sh\n", "f:1: empty name" },
		{ 1, "root:x:1:2:3:4:5:6\n", "f:1: 8 fields, expected 9" },
		{ 1, "root:x:1:2:abc:4:5:6:\n", "f:1: invalid maximum age \"abc\"" },
		{ 1, "root:x:1:2:3:4:5:6::\n", "f:1: 10 fields, expected 9" },
		{ 2, "root:x:0\n", "f:1: 3 fields, expected 4" },
		{ 2, "root:x:-1:\n", "f:1: invalid GID \"-1\"" },
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		const char *t = bad[i].text;

		diag_clear(&d);
		r = bad[i].which == 0   ? accounts_db_parse_passwd(&db, t, strlen(t), "f", &d)
		    : bad[i].which == 1 ? accounts_db_parse_shadow(&db, t, strlen(t), "f", &d)
					: accounts_db_parse_group(&db, t, strlen(t), "f", &d);
		is_int(r, -EINVAL, "malformed %zu rejected", i);
		is_str(d.msg, bad[i].msg, "malformed %zu reason", i);
		accounts_db_free(&db);
	}
	{
		static const char nul[] = "root:x:0:0::/root:/bin/sh\nbob:x:1\0:1::/:/bin/sh\n";

		diag_clear(&d);
		r = accounts_db_parse_passwd(&db, nul, sizeof(nul) - 1, "f", &d);
		is_str(d.msg, "f:2: embedded NUL byte", "embedded NUL rejected");
		accounts_db_free(&db);
	}
}

static void test_rules(void)
{
	struct pt_result res;

	write_db(good_passwd, good_shadow, good_group);
	pt_write("/etc/login.defs", "UID_MIN 1000\nENV_SUPATH PATH=/usr/sbin:/usr/bin\n");
	pt_mkdir("/usr/sbin", 0755);
	pt_mkdir("/usr/bin", 0755);

	static const char *const all[] = {
		"uid0_only_root", "no_empty_passwords", "shadowed_passwords", "system_shell_nologin",
		"no_duplicate_uids", "no_duplicate_gids", "no_duplicate_users", "no_duplicate_groups",
		"groups_exist", "root_gid0", "pass_max_days", "pass_min_days", "pass_warn_age",
		"inactive", "shadow_group_empty", "gid0_only_root", "gid0_only_root_group", "lastchg_in_past",
		"nologin_locked",
	};
	for (size_t i = 0; i < ELEMENTSOF(all); i++)
		is_int(rule(all[i]), VERDICT_PASS, "good database passes %s", all[i]);
	/* root_path needs root-owned directories: only as root. */
	if (geteuid() == 0)
		is_int(rule("root_path"), VERDICT_PASS, "good database passes root_path");

	write_db("root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nbin:x:2:2::/bin:/bin/sh\n"
		 "sync:x:4:65534::/bin:/bin/sync\nnobody:x:65534:65534::/:/bin/bash\nbob:y:1001:999::/:\n"
		 "bob:x:1002:1002::/:/bin/sh\n",
		 "root::19700:0:99999:7:::\nbin:*:1::::::\nbob:$6$x:19700:0::3:::\n",
		 "root:x:0:\nbin:x:2:\nbin:x:3:\nwheel:x:0:\nshadow:x:42:bob\nbob:x:1002:\n");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "uid0_only_root", NULL));
	is_int(res.verdict, VERDICT_FAIL, "second UID 0 fails");
	is_str(res.observed, "toor has UID 0", "observed names it");
	is_int(rule("no_empty_passwords"), VERDICT_FAIL, "empty shadow hash fails");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "shadowed_passwords", NULL));
	is_str(res.observed, "bob has no 'x' in passwd", "unshadowed password");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "system_shell_nologin", NULL));
	is_int(res.verdict, VERDICT_FAIL, "system account with a shell fails");
	is_str(res.observed,
	       "toor (UID 0) has shell /bin/sh, bin (UID 2) has shell /bin/sh, nobody (UID 65534) has shell /bin/bash",
	       "root and sync exempt, nobody (65534) included");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_uids", NULL));
	is_str(res.observed, "UID 0: root and toor", "duplicate UID");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_gids", NULL));
	is_str(res.observed, "GID 0: root and wheel", "duplicate GID");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_users", NULL));
	is_str(res.observed, "user bob (lines 6 and 7)", "duplicate user name");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_groups", NULL));
	is_str(res.observed, "group bin (lines 2 and 3)", "duplicate group name");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "groups_exist", NULL));
	is_str(res.observed, "sync has GID 65534, not in group, nobody has GID 65534, not in group, "
			     "bob has GID 999, not in group",
	       "missing primary groups");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "shadow_group_empty", NULL));
	is_str(res.observed, "bob is a member of shadow", "shadow group member");
	/* Aging: root has an empty hash, bin is locked: only bob counts. */
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "pass_max_days", NULL));
	is_int(res.verdict, VERDICT_FAIL, "unset max age fails");
	is_str(res.observed, "bob: maximum age unset", "only accounts with a password");
	is_str(res.expected, "maximum age <= 365 days for every account with a password", "expected text");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "pass_warn_age", "min", "3", NULL));
	is_int(res.verdict, VERDICT_PASS, "warn age 3 >= 3");
	is_int(pt_verdict(&probe_accounts, pt_check("accounts", "rule", "pass_warn_age", NULL)), VERDICT_FAIL,
	       "warn age 3 < default 7");
	is_int(pt_verdict(&probe_accounts, pt_check("accounts", "rule", "pass_min_days", NULL)), VERDICT_FAIL,
	       "min age 0 < 1");
	is_int(pt_verdict(&probe_accounts, pt_check("accounts", "rule", "inactive", NULL)), VERDICT_FAIL,
	       "inactive unset");

	/* GID 0, future password changes, unlocked nologin accounts. */
	write_db("root:x:0:0::/root:/bin/bash\nsync:x:4:0::/bin:/bin/sync\nops:x:1001:0::/:/bin/bash\n"
		 "svc:x:999:999::/:/usr/sbin/nologin\nftp:x:998:998::/:/bin/false\nnoshadow:x:997:997::/:/sbin/nologin\n",
		 "root:$6$x:19700:1:365:7:30::\nsync:*:19700::::::\nops:$6$y:99999:1:365:7:30::\n"
		 "svc:!:19700::::::\nftp:$6$z:19700::::::\n",
		 "root:x:0:\nwheel:x:0:ops\nsvc:x:999:\n");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "gid0_only_root", NULL));
	is_str(res.observed, "ops has primary GID 0", "sync exempt, ops reported");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "gid0_only_root_group", NULL));
	is_str(res.observed, "group wheel has GID 0", "second GID 0 group");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "lastchg_in_past", NULL));
	is_int(res.verdict, VERDICT_FAIL, "password change in the future");
	ok(strncmp(res.observed, "ops changed its password on day 99999", 37) == 0, "observed: %s", res.observed);
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "nologin_locked", NULL));
	is_str(res.observed, "ftp (shell /bin/false) is not locked", "locked and shadow-less accounts pass");

	/* Root's group. */
	write_db("root:x:0:10::/root:/bin/bash\n", "root:*:1::::::\n", "root:x:0:\nwheel:x:10:\n");
	is_int(rule("root_gid0"), VERDICT_FAIL, "root with GID 10 fails");

	/* UID_MIN from login.defs moves the system-account boundary. */
	write_db("root:x:0:0::/root:/bin/bash\nsvc:x:600:600::/:/bin/bash\n", "root:*:1::::::\n",
		 "root:x:0:\n");
	pt_write("/etc/login.defs", "UID_MIN 500\n");
	is_int(rule("system_shell_nologin"), VERDICT_PASS, "UID 600 above UID_MIN 500");
	pt_write("/etc/login.defs", "UID_MIN 500\nUID_MIN 0x3e8\n");
	is_int(rule("system_shell_nologin"), VERDICT_FAIL, "last UID_MIN wins, hex as strtol base 0");

	/* Malformed lines are an error verdict with file:line. */
	write_db("root:x:0:0::/root:/bin/bash\nbroken:x:1\n", "", "");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "uid0_only_root", NULL));
	is_int(res.verdict, VERDICT_ERROR, "malformed passwd: error");
	ok(strstr(res.reason, "/etc/passwd:2: 3 fields, expected 7") != NULL, "reason: %s", res.reason);
	pt_unlink("/etc/shadow");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_empty_passwords", NULL));
	is_int(res.verdict, VERDICT_ERROR, "missing shadow: error");

	/* root_path: empty entries, ".", writable directories. */
	pt_mkdir("/opt/tmpbin", 0777);
	pt_write("/etc/login.defs", "ENV_SUPATH PATH=/usr/sbin::.:/opt/tmpbin:/nonexistent\n");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "root_path", NULL));
	is_int(res.verdict, VERDICT_FAIL, "bad root PATH fails");
	ok(strstr(res.observed, "empty entry") && strstr(res.observed, "relative entry .") &&
		   strstr(res.observed, "/nonexistent: No such file or directory"),
	   "observed lists the problems: %s", res.observed);
	ok(strstr(res.observed, "/opt/tmpbin") != NULL, "world-writable (or not root-owned) dir reported");

	/* A large database: duplicates found without quadratic time, in file order. */
	{
		size_t n = 30000, cap = n * 64 + 256, len = 0;
		char *pw = malloc(cap), *gr = malloc(cap);

		len += (size_t)snprintf(pw + len, cap - len, "root:x:0:0::/root:/bin/bash\n");
		for (size_t i = 1; i < n; i++)
			len += (size_t)snprintf(pw + len, cap - len, "u%zu:x:%zu:%zu::/home/u:/bin/sh\n", i, 10000 + i,
						i % 2 ? (size_t)0 : (size_t)77777);
		len += (size_t)snprintf(pw + len, cap - len, "late:x:10005:0::/:/bin/sh\nu7:x:99:0::/:/bin/sh\n");
		snprintf(gr, cap, "root:x:0:\n");
		write_db(pw, "", gr);
		res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_uids", NULL));
		is_str(res.observed, "UID 10005: u5 and late", "duplicate UID in a large passwd");
		res = pt_run(&probe_accounts, pt_check("accounts", "rule", "no_duplicate_users", NULL));
		is_str(res.observed, "user u7 (lines 8 and 30002)", "duplicate name in a large passwd");
		res = pt_run(&probe_accounts, pt_check("accounts", "rule", "groups_exist", NULL));
		ok(strncmp(res.observed, "u2 has GID 77777, not in group, u4 has GID 77777", 48) == 0 &&
			   strstr(res.observed, "and 14994 more"),
		   "missing groups in a large passwd: %.80s", res.observed);
		free(pw);
		free(gr);
	}

	/* Arguments. */
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "nope", NULL));
	is_str(res.vmsg, "key 'rule': unknown rule 'nope'", "unknown rule");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "uid0_only_root", "max", "3", NULL));
	is_int(res.validate, -EINVAL, "bound on a rule without one");
	res = pt_run(&probe_accounts, pt_check("accounts", "rule", "pass_max_days", "max", "x", NULL));
	is_int(res.validate, -EINVAL, "non-numeric bound");
}

int main(void)
{
	pt_init();
	test_parsers();
	test_rules();
	return tap_done();
}
