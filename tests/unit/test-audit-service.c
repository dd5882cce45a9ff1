/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "service" probe: enablement from unit symlinks in crafted trees. */
#include <systemd/sd-bus.h>

#include "probe-test.h"
#include "probes.h"

static enum verdict svc(const char *unit, const char *expect)
{
	return pt_verdict(&probe_service, pt_check("service", "unit", unit, "expect", expect, NULL));
}

static void test_offline(void)
{
	struct pt_result res;

	pt_write("/lib/systemd/system/ssh.service", "[Unit]\n");
	pt_write("/lib/systemd/system/cups.service", "[Unit]\n");
	pt_write("/lib/systemd/system/avahi-daemon.service", "[Unit]\n");
	pt_write("/lib/systemd/system/avahi-daemon.socket", "[Unit]\n");
	pt_write("/usr/lib/systemd/system/systemd-journald.socket", "[Unit]\n");
	pt_write("/lib/systemd/system/getty@.service", "[Unit]\n");
	pt_write("/lib/systemd/system/rsync.service", "[Unit]\n");

	/* enabled through a wants symlink (absolute target, resolved in the image) */
	pt_symlink("/etc/systemd/system/multi-user.target.wants/ssh.service", "/lib/systemd/system/ssh.service");
	is_int(svc("ssh", "enabled"), VERDICT_PASS, "wants symlink: enabled");
	is_int(svc("ssh.service", "disabled"), VERDICT_FAIL, "enabled is not disabled");
	res = pt_run(&probe_service, pt_check("service", "unit", "ssh", "expect", "disabled masked", NULL));
	is_str(res.observed, "ssh.service: enabled", "observed state");
	is_str(res.expected, "disabled or masked", "expected text");

	/* match = one: exactly one of several (one time daemon, CIS 2.3.1.1) */
	res = pt_run(&probe_service, pt_check("service", "unit", "ssh cups", "expect", "enabled", "match", "one", NULL));
	is_int(res.verdict, VERDICT_PASS, "match one: ssh enabled, cups not");
	is_str(res.expected, "exactly one enabled", "expected text");
	pt_symlink("/etc/systemd/system/multi-user.target.wants/cups.service", "/lib/systemd/system/cups.service");
	is_int(pt_verdict(&probe_service, pt_check("service", "unit", "ssh cups", "expect", "enabled", "match", "one", NULL)),
	       VERDICT_FAIL, "match one: both enabled fails");
	pt_unlink("/etc/systemd/system/multi-user.target.wants/cups.service");
	is_int(pt_verdict(&probe_service, pt_check("service", "unit", "cups rsync", "expect", "enabled", "match", "one", NULL)),
	       VERDICT_FAIL, "match one: none enabled fails");
	res = pt_run(&probe_service, pt_check("service", "unit", "ssh", "expect", "enabled", "match", "some", NULL));
	is_int(res.validate, -EINVAL, "match is all or one");

	/* installed, no links */
	is_int(svc("cups", "disabled"), VERDICT_PASS, "unit file only: disabled");
	is_int(svc("cups", "enabled"), VERDICT_FAIL, "unit file only: not enabled");
	is_int(svc("cups", "not_installed"), VERDICT_FAIL, "unit file only: installed");

	/* masked in /etc while the vendor file exists */
	pt_symlink("/etc/systemd/system/avahi-daemon.service", "/dev/null");
	pt_symlink("/etc/systemd/system/multi-user.target.wants/avahi-daemon.service",
		   "/lib/systemd/system/avahi-daemon.service");
	is_int(svc("avahi-daemon", "masked"), VERDICT_PASS, "symlink to /dev/null: masked");
	is_int(svc("avahi-daemon", "disabled"), VERDICT_PASS, "masked counts as disabled despite a wants link");
	is_int(svc("avahi-daemon", "enabled"), VERDICT_FAIL, "masked is not enabled");

	/* socket activation: every listed unit must satisfy */
	pt_symlink("/etc/systemd/system/sockets.target.wants/avahi-daemon.socket",
		   "/lib/systemd/system/avahi-daemon.socket");
	res = pt_run(&probe_service,
		     pt_check("service", "unit", "avahi-daemon.service avahi-daemon.socket", "expect", "disabled", NULL));
	is_int(res.verdict, VERDICT_FAIL, "enabled socket fails although the service is masked");
	is_str(res.observed, "avahi-daemon.service: masked, avahi-daemon.socket: enabled", "both units shown");
	pt_symlink("/run/systemd/system/avahi-daemon.socket", "/dev/null");
	is_int(svc("avahi-daemon.service avahi-daemon.socket", "disabled"), VERDICT_PASS,
	       "runtime mask in /run wins over the enablement");

	/* an empty file is a mask too */
	pt_write("/etc/systemd/system/rsync.service", "");
	is_int(svc("rsync", "masked"), VERDICT_PASS, "empty unit file: masked");
	pt_unlink("/etc/systemd/system/rsync.service");
	is_int(svc("rsync", "masked"), VERDICT_FAIL, "vendor unit again");

	/* static: wanted by the distribution in /usr/lib */
	pt_symlink("/usr/lib/systemd/system/sockets.target.wants/systemd-journald.socket", "../systemd-journald.socket");
	is_int(svc("systemd-journald.socket", "enabled"), VERDICT_PASS, "static wants in /usr/lib: enabled");

	/* not installed */
	is_int(svc("telnetd", "not_installed"), VERDICT_PASS, "no unit file: not_installed");
	is_int(svc("telnetd", "disabled"), VERDICT_PASS, "not installed counts as disabled");
	pt_symlink("/etc/systemd/system/multi-user.target.wants/nfs-server.service",
		   "/lib/systemd/system/nfs-server.service");
	is_int(svc("nfs-server", "not_installed"), VERDICT_PASS, "dangling wants link: still not installed");

	/* alias */
	pt_unlink("/etc/systemd/system/multi-user.target.wants/ssh.service");
	is_int(svc("ssh", "enabled"), VERDICT_FAIL, "links removed: not enabled");
	pt_symlink("/etc/systemd/system/sshd.service", "/lib/systemd/system/ssh.service");
	is_int(svc("ssh", "enabled"), VERDICT_PASS, "alias in /etc: enabled");
	/* the alias name itself: enabled as the unit it points to */
	is_int(svc("sshd", "enabled"), VERDICT_FAIL, "alias name: only the alias link, unit not wanted");
	pt_symlink("/etc/systemd/system/multi-user.target.wants/ssh.service", "/lib/systemd/system/ssh.service");
	is_int(svc("sshd", "enabled"), VERDICT_PASS, "alias name of a wanted unit: enabled");
	pt_unlink("/etc/systemd/system/sshd.service");

	/* templates and instances */
	pt_symlink("/etc/systemd/system/getty.target.wants/getty@tty1.service", "/lib/systemd/system/getty@.service");
	is_int(svc("getty@tty1", "enabled"), VERDICT_PASS, "instance enabled by its link");
	is_int(svc("getty@tty2", "enabled"), VERDICT_FAIL, "other instance not enabled");
	is_int(svc("getty@tty2", "disabled"), VERDICT_PASS, "other instance disabled (template installed)");
	is_int(svc("getty@.service", "enabled"), VERDICT_PASS, "template enabled through an instance");

	/* live state needs the running system */
	res = pt_run(&probe_service, pt_check("service", "unit", "cups", "expect", "inactive", NULL));
	is_int(res.verdict, VERDICT_NOT_APPLICABLE, "active state offline: not_applicable");
	ok(strstr(res.reason, "running system") != NULL, "with a reason");

	/* arguments */
	res = pt_run(&probe_service, pt_check("service", "unit", "a b/c", "expect", "enabled", NULL));
	is_int(res.validate, -EINVAL, "bad unit name");
	res = pt_run(&probe_service, pt_check("service", "unit", "cups", "expect", "running", NULL));
	is_int(res.validate, -EINVAL, "bad state");
	res = pt_run(&probe_service, pt_check("service", "unit", "cups", NULL));
	is_int(res.validate, -EINVAL, "expect required");
	res = pt_run(&probe_service, pt_check("service", "unit", "cups", "expect", "enabled", "equals", "x", NULL));
	is_int(res.validate, -EINVAL, "unknown key");
}

static void test_live(void)
{
	sd_bus *bus = NULL;
	bool have_bus = sd_bus_open_system(&bus) >= 0;
	struct pt_result res;

	sd_bus_flush_close_unref(bus);
	res = pt_run_at(&probe_service,
			pt_check("service", "unit", "vigil-no-such-unit.service", "expect", "inactive", NULL), "/");
	if (have_bus)
		is_int(res.verdict, VERDICT_PASS, "live: a unit that is not loaded is inactive");
	else
		is_int(res.verdict, VERDICT_NOT_APPLICABLE, "live without a system bus: not_applicable");
}

int main(void)
{
	pt_init();
	test_offline();
	test_live();
	return tap_done();
}
