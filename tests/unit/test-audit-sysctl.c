/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"

#define FWD "probe = sysctl\nkey = net.ipv4.ip_forward\nequals = 0"

static void test_precedence(void)
{
	/* /usr/lib has the vendor default; /etc shadows the same name */
	at_write("/usr/lib/sysctl.d/50-default.conf", "net.ipv4.ip_forward = 1\nkernel.randomize_va_space = 1\n");
	is_int(at_eval(FWD), VERDICT_FAIL, "vendor file alone: 1");
	is_str(at_observed(), "1", "observed the vendor value");
	at_write("/etc/sysctl.d/50-default.conf", "# local\n; also comment\nnet.ipv4.ip_forward=0\n");
	is_int(at_eval(FWD), VERDICT_PASS, "/etc file shadows /usr/lib file of the same name");
	is_int(at_eval("probe = sysctl\nkey = kernel.randomize_va_space\nequals = 1"), VERDICT_FAIL,
	       "shadowed file is not read at all");
	is_str(at_observed(), "(unset)", "unset offline is reported as (unset)");
	is_int(at_eval("probe = sysctl\nkey = kernel.randomize_va_space\nequals = 2\nabsent_ok = yes"),
	       VERDICT_PASS, "absent_ok passes an unset key");

	/* a later file name wins regardless of its directory */
	at_write("/usr/lib/sysctl.d/99-late.conf", "net.ipv4.ip_forward = 1\n");
	is_int(at_eval(FWD), VERDICT_FAIL, "later file name (99 in /usr/lib) beats 50 in /etc");
	at_write("/run/sysctl.d/99-late.conf", "-net/ipv4/ip_forward = 0\n");
	is_int(at_eval(FWD), VERDICT_PASS, "/run shadows /usr/lib; '-' prefix and slash form accepted");

	/* systemd-sysctl reads /etc/sysctl.conf only through Debian's
	 * 99-sysctl.conf link, at that name's place in the order */
	at_write("/etc/sysctl.conf", "net.ipv4.ip_forward = 1\n");
	is_int(at_eval(FWD), VERDICT_PASS, "an /etc/sysctl.conf no fragment links to is not applied");
	ok(at_observed_has("/etc/sysctl.conf sets 1, but no sysctl.d file links to it"), "... and the observed says so");
	at_symlink("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf");
	at_write("/usr/lib/sysctl.d/99-zz.conf", "net.ipv4.ip_forward = 0\n");
	is_int(at_eval(FWD), VERDICT_PASS, "linked: read as 99-sysctl.conf, before 99-zz.conf (not last)");
	at_remove("/usr/lib/sysctl.d/99-zz.conf");
	is_int(at_eval(FWD), VERDICT_FAIL, "linked: 99-sysctl.conf after 99-late.conf sets 1");
	ok(!strstr(at_observed(), "links to it"), "no note when linked");
	at_remove("/etc/sysctl.d/99-sysctl.conf");
	at_remove("/etc/sysctl.conf");

	/* later assignment in the same file wins */
	at_write("/etc/sysctl.d/60-twice.conf", "net.ipv4.ip_forward = 0\nnet.ipv4.ip_forward = 1\n");
	is_int(at_eval(FWD), VERDICT_PASS, "99-late is processed after 60-twice");
	at_remove("/run/sysctl.d/99-late.conf");
	at_remove("/usr/lib/sysctl.d/99-late.conf");
	is_int(at_eval(FWD), VERDICT_FAIL, "later assignment in one file wins");
	is_str(at_observed(), "1", "observed the last assignment");

	/* masked with /dev/null */
	at_symlink("/etc/sysctl.d/60-twice.conf", "/dev/null");
	at_symlink("/etc/sysctl.d/50-default.conf", "/dev/null");
	is_int(at_eval(FWD), VERDICT_FAIL, "file linked to /dev/null masks the vendor file");
	is_str(at_observed(), "(unset)", "masked: nothing set");
	at_remove("/etc/sysctl.d");
	at_remove("/usr/lib/sysctl.d");
}

static void test_globs_and_values(void)
{
	at_write("/etc/sysctl.d/10-glob.conf",
		 "net.ipv4.conf.*.rp_filter = 2\nnet.ipv4.conf.all.rp_filter = 1\nnet.ipv4.tcp_rmem = 4096\t87380   6291456\n"
		 "net.ipv4.conf.eth0/1.accept_redirects = 1\n");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.all.rp_filter\nequals = 1"), VERDICT_PASS,
	       "explicit assignment beats an earlier glob");
	at_write("/etc/sysctl.d/20-glob.conf", "net.ipv4.conf.*.rp_filter = 2\n");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.all.rp_filter\nequals = 1"), VERDICT_PASS,
	       "explicit assignment beats a later glob too");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.default.rp_filter\none_of = 1 2"), VERDICT_PASS,
	       "glob applies to keys without an explicit value");
	is_str(at_observed(), "2", "glob value");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.tcp_rmem\nequals = 4096 87380 6291456"), VERDICT_PASS,
	       "multi-field values compare with single spaces");
	is_int(at_eval("probe = sysctl\nkey = net/ipv4/conf/eth0.1/accept_redirects\nequals = 1"), VERDICT_PASS,
	       "dot in an interface name: slash form in the check, dot-slash swap in the file");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.all.rp_filter\nmin = 1\nmax = 2"), VERDICT_PASS,
	       "min/max");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.tcp_rmem\nmin = 1"), VERDICT_FAIL,
	       "non-integer fails a numeric bound");
	at_remove("/etc/sysctl.d");

	/* systemd's 50-default.conf on Debian 12: the glob excludes "all" */
	at_write("/usr/lib/sysctl.d/50-default.conf", "net.ipv4.conf.default.rp_filter = 2\n"
						      "net.ipv4.conf.*.rp_filter = 2\n"
						      "-net.ipv4.conf.all.rp_filter\n");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.all.rp_filter\nequals = 2"), VERDICT_FAIL,
	       "'-key' without a value excludes the key from the glob");
	is_str(at_observed(), "(unset)", "excluded key is unset");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.eth0.rp_filter\nequals = 2"), VERDICT_PASS,
	       "other keys still get the glob");
	at_write("/etc/sysctl.d/60-rp.conf", "net.ipv4.conf.all.rp_filter = 1\n");
	is_int(at_eval("probe = sysctl\nkey = net.ipv4.conf.all.rp_filter\nequals = 1"), VERDICT_PASS,
	       "an explicit assignment of the excluded key applies");
	at_remove("/etc/sysctl.d");
	at_remove("/usr/lib/sysctl.d");
}

static void test_live(void)
{
	at_write("/proc/sys/net/ipv4/ip_forward", "0\n");
	at_write("/proc/sys/kernel/printk", "4\t4\t1\t7\n");
	at_write("/etc/sysctl.d/99-x.conf", "net.ipv4.ip_forward = 1\n");
	is_int(at_eval_live(FWD), VERDICT_PASS, "live reads /proc/sys, not the files");
	is_int(at_eval_live("probe = sysctl\nkey = kernel.printk\nequals = 4 4 1 7"), VERDICT_PASS,
	       "live tabs squeezed");
	is_int(at_eval_live("probe = sysctl\nkey = net.ipv6.conf.all.forwarding\nequals = 0"),
	       VERDICT_NOT_APPLICABLE, "live: missing /proc/sys entry is not applicable");
	at_remove("/proc");
	at_remove("/etc");
}

static void test_parsed_once(void)
{
	struct audit_ctx ctx = {};

	at_write("/etc/sysctl.d/10-a.conf", "net.ipv4.ip_forward = 0\n");
	is_int(at_eval_ctx(FWD, false, &ctx), VERDICT_PASS, "first check of the run reads the files");
	at_write("/etc/sysctl.d/10-a.conf", "net.ipv4.ip_forward = 1\n");
	is_int(at_eval_ctx(FWD, false, &ctx), VERDICT_PASS, "later checks of the same run use the parsed merge");
	audit_ctx_done(&ctx);
	is_int(at_eval(FWD), VERDICT_FAIL, "a new run reads again");
	at_remove("/etc/sysctl.d");
}

static void test_validate(void)
{
	struct check_set set = CHECK_SET_INIT;

	ok(at_load(&set, "probe = sysctl\nkey = a.b\nequal = 1") == -EINVAL &&
		   strstr(at_diag.msg, "test.conf:8: check 't': key 'equal': unknown for probe sysctl"),
	   "unknown key reported at its line: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = sysctl\nequals = 1") == -EINVAL && strstr(at_diag.msg, "missing key 'key'"),
	   "missing key: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = sysctl\nkey = a.b") == -EINVAL && strstr(at_diag.msg, "no expectation"),
	   "no expectation: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = sysctl\nkey = a.b\nmin = x") == -EINVAL && strstr(at_diag.msg, "test.conf:8:"),
	   "bad min at its line: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = sysctl\nkey = ../etc\nequals = 1") == -EINVAL, "key with .. rejected");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_precedence();
	test_globs_and_values();
	test_live();
	test_parsed_once();
	test_validate();
	return tap_done();
}
