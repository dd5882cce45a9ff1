/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "apparmor" probe: profile modes live and offline (CIS 1.3.1.3). */
#include "audit-tree.h"

#define AA "probe = apparmor\n"

static void test_offline(void)
{
	is_int(at_eval(AA), VERDICT_NOT_APPLICABLE, "no /etc/apparmor.d");
	at_mkdir("/etc/apparmor.d/abstractions", 0755);
	is_int(at_eval(AA), VERDICT_FAIL, "no profile at all fails");
	at_write("/etc/apparmor.d/usr.sbin.cupsd", "/usr/sbin/cupsd {\n}\n");
	at_write("/etc/apparmor.d/usr.bin.man", "profile man /usr/bin/man flags=(attach_disconnected, complain) {\n}\n");
	at_write("/etc/apparmor.d/usr.sbin.x.dpkg-old", "/usr/sbin/x flags=(unconfined) {\n}\n");
	at_write("/etc/apparmor.d/README", "not a profile\n");
	is_int(at_eval(AA), VERDICT_PASS, "enforce and complain; leftovers and README skipped");
	ok(at_observed_has("2 profiles"), "observed: %s", at_observed());
	is_int(at_eval(AA "modes = enforce"), VERDICT_FAIL, "enforce only: the complain profile fails (1.3.1.4)");
	at_symlink("/etc/apparmor.d/force-complain/usr.sbin.cupsd", "/etc/apparmor.d/usr.sbin.cupsd");
	is_int(at_eval(AA "modes = enforce"), VERDICT_FAIL, "force-complain makes cupsd complain");
	ok(at_observed_has("2 of 2"), "both complain: %s", at_observed());
	at_symlink("/etc/apparmor.d/disable/usr.bin.man", "/etc/apparmor.d/usr.bin.man");
	is_int(at_eval(AA), VERDICT_PASS, "a disabled profile is not loaded, so not counted");
	ok(at_observed_has("1 disabled"), "but said: %s", at_observed());
	at_remove("/etc/apparmor.d");
}

static void test_live(void)
{
	is_int(at_eval_live(AA), VERDICT_NOT_APPLICABLE, "no securityfs: AppArmor not enabled in the kernel");
	at_write("/sys/kernel/security/apparmor/profiles", "/usr/sbin/cupsd (enforce)\n"
							   "man_groff (complain)\n"
							   "docker default (enforce)\n");
	is_int(at_eval_live(AA), VERDICT_PASS, "kernel list, names with blanks");
	at_write("/sys/kernel/security/apparmor/profiles", "/usr/sbin/cupsd (enforce)\nlsb_release (unconfined)\n");
	is_int(at_eval_live(AA), VERDICT_FAIL, "an unconfined profile fails");
	ok(at_observed_has("lsb_release (unconfined)"), "named: %s", at_observed());
	ok(at_res.n_findings == 1 && streq(at_res.findings[0], "lsb_release"), "live, the offender is a finding too");
	at_write("/sys/kernel/security/apparmor/profiles", "/usr/sbin/cupsd (complain)\ndocker default (enforce)\n"
							   "/usr/bin/man (complain)\n");
	is_int(at_eval_live(AA "modes = enforce"), VERDICT_FAIL, "complain profiles fail enforce only");
	ok(at_res.n_findings == 2 && streq(at_res.findings[0], "/usr/sbin/cupsd") &&
		   streq(at_res.findings[1], "/usr/bin/man"),
	   "each offender's finding is its name, the program's path when attached by path");
	at_remove("/sys");
}

/* Offline, the profile files read are bounded; the bound is said. */
static void test_many(void)
{
	char p[64];

	for (int i = 0; i < 8200; i++) {
		snprintf(p, sizeof(p), "/etc/apparmor.d/p%04d", i);
		at_write(p, "/usr/bin/x {\n}\n");
	}
	is_int(at_eval(AA), VERDICT_ERROR, "more profiles than read, none failing: an error, not a pass");
	ok(at_res.reason && strstr(at_res.reason, "more than 8192 profiles"), "the reason says so");
	is_int(at_eval(AA "modes = complain"), VERDICT_FAIL, "one read fails: a fail whatever the rest are");
	ok(at_observed_has("8192 of 8192 profiles") && at_observed_has("only the first 8192 read"), "observed: %s",
	   at_observed());
	at_remove("/etc/apparmor.d");
}

int main(void)
{
	struct check_set set = CHECK_SET_INIT;

	at_init();
	test_offline();
	test_live();
	test_many();
	ok(at_load(&set, AA "modes = strict") == -EINVAL, "unknown mode");
	check_set_done(&set);
	return tap_done();
}
