/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "homes" probe (CIS 7.2.9, 7.2.10) and the accounts rule root_access. */
#include "audit-tree.h"

#define HOMES "probe = homes\nrule = home_dirs\n"
#define DOTS "probe = homes\nrule = dot_files\n"

static void chown_path(const char *path, unsigned uid)
{
	char p[4096];

	at_path(p, sizeof(p), path);
	if (chown(p, uid, uid) < 0)
		perror(p);
}

static void test_homes(void)
{
	at_write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
				"daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
				"alice:x:1000:1000::/home/alice:/bin/bash\n"
				"bob:x:1001:1001::/home/bob:/bin/sh\n"
				"svc:x:998:998::/nonexistent:/bin/false\n");
	at_write("/etc/shells", "# /etc/shells\n/bin/sh\n/bin/bash\n/usr/sbin/nologin\n");
	at_mkdir("/root", 0700);
	at_mkdir("/home/alice", 0750);
	at_mkdir("/home/bob", 0750);
	chown_path("/home/alice", 1000);
	chown_path("/home/bob", 1001);
	is_int(at_eval(HOMES), VERDICT_PASS, "homes exist, owned, 0750; nologin and /bin/false users skipped");
	ok(at_observed_has("3 interactive users, none"), "root, alice and bob are interactive");
	at_chmod("/home/bob", 0755);
	is_int(at_eval(HOMES), VERDICT_FAIL, "0755 home fails");
	ok(at_observed_has("bob: /home/bob is 0755"), "observed names it: %s", at_observed());
	is_int(at_eval(HOMES "mode_max = 0755"), VERDICT_PASS, "mode_max raises the bound");
	at_chmod("/home/bob", 0750);
	chown_path("/home/bob", 1000);
	is_int(at_eval(HOMES), VERDICT_FAIL, "a home owned by another user fails");
	chown_path("/home/bob", 1001);
	at_remove("/home/bob");
	is_int(at_eval(HOMES), VERDICT_FAIL, "a missing home fails");
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "/home/bob"), "finding is the home");
	at_mkdir("/home/bob", 0750);
	chown_path("/home/bob", 1001);

	at_write("/home/alice/.bashrc", "");
	chown_path("/home/alice/.bashrc", 1000);
	at_write("/home/alice/.netrc", "");
	chown_path("/home/alice/.netrc", 1000);
	at_chmod("/home/alice/.netrc", 0600);
	at_mkdir("/home/alice/project", 0755);
	at_write("/home/alice/project/.gitignore", "");
	at_chmod("/home/alice/project/.gitignore", 0666);
	is_int(at_eval(DOTS), VERDICT_PASS, "owned dot files, .netrc 0600; subdirectories not read");
	at_chmod("/home/alice/.netrc", 0640);
	is_int(at_eval(DOTS), VERDICT_FAIL, ".netrc readable by the group fails");
	at_chmod("/home/alice/.netrc", 0600);
	at_chmod("/home/alice/.bashrc", 0664);
	is_int(at_eval(DOTS), VERDICT_FAIL, "a group-writable .bashrc fails");
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "/home/alice/.bashrc"), "finding is the file");
	at_chmod("/home/alice/.bashrc", 0644);
	at_write("/home/bob/.rhosts", "+ +\n");
	chown_path("/home/bob/.rhosts", 1001);
	at_chmod("/home/bob/.rhosts", 0600);
	is_int(at_eval(DOTS), VERDICT_FAIL, "a .rhosts file fails whatever its mode");
	at_remove("/home/bob/.rhosts");
	chown_path("/home/alice/.bashrc", 1001);
	is_int(at_eval(DOTS), VERDICT_FAIL, "a dot file owned by another user fails");
	chown_path("/home/alice/.bashrc", 1000);
	{
		struct audit_ctx ctx = {};
		atomic_bool cancel = true;

		ctx.cancel = &cancel;
		is_int(at_eval_ctx(DOTS, false, &ctx), VERDICT_ERROR, "cancelled: an error, not a pass");
		ok(at_res.reason && strstr(at_res.reason, "cancelled"), "the reason says it was cancelled");
		audit_ctx_done(&ctx);
		is_int(at_eval_ctx(HOMES, false, &ctx), VERDICT_ERROR, "home_dirs too");
		audit_ctx_done(&ctx);
	}
	at_remove("/home");
}

static void test_root_access(void)
{
	at_write("/etc/shadow", "root:$y$j9T$a$b:19700:0:99999:7:::\n");
	is_int(at_eval("probe = accounts\nrule = root_access"), VERDICT_PASS, "root with a password");
	at_write("/etc/shadow", "root:!:19700:0:99999:7:::\n");
	is_int(at_eval("probe = accounts\nrule = root_access"), VERDICT_PASS, "root locked");
	at_write("/etc/shadow", "root::19700:0:99999:7:::\n");
	is_int(at_eval("probe = accounts\nrule = root_access"), VERDICT_FAIL, "root with an empty password field");
	at_write("/etc/shadow", "alice:!:19700:0:99999:7:::\n");
	is_int(at_eval("probe = accounts\nrule = root_access"), VERDICT_FAIL, "root without a shadow entry");
}

int main(void)
{
	at_init();
	if (geteuid() == 0)
		test_homes();
	else
		ok(1, "# SKIP home ownership needs root");
	test_root_access();
	return tap_done();
}
