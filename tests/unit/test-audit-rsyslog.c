/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "rsyslog" probe: rsyslog.conf with its includes in place. */
#include "audit-tree.h"

#define MODE "probe = rsyslog\ndirective = $FileCreateMode\ndefault = 0644\nmode_max = 0640\n"
#define RECV "probe = rsyslog\nmodule = imtcp imudp\nloaded = no\n"

static void test_rsyslog(void)
{
	is_int(at_eval(MODE), VERDICT_NOT_APPLICABLE, "rsyslog not installed");
	at_write("/etc/rsyslog.conf", "module(load=\"imuxsock\")\n"
				      "#module(load=\"imudp\")\n"
				      "/* module(load=\"imtcp\") */\n"
				      "$FileCreateMode 0640\n"
				      "$IncludeConfig /etc/rsyslog.d/*.conf\n"
				      "*.* /var/log/syslog\n");
	is_int(at_eval(MODE), VERDICT_PASS, "the main file's value");
	is_int(at_eval(RECV), VERDICT_PASS, "commented module loads do not count");
	at_write("/etc/rsyslog.d/50-app.conf", "$filecreatemode 0644 # for the app\n");
	is_int(at_eval(MODE), VERDICT_FAIL, "an included file read later wins (names case-insensitive)");
	ok(at_observed_has("0644 (/etc/rsyslog.d/50-app.conf:1)"), "observed: %s", at_observed());
	is_str(at_res.n_findings ? at_res.findings[0] : NULL, "/etc/rsyslog.d/50-app.conf", "finding");
	at_write("/etc/rsyslog.d/60-net.conf", "module(\n  load=\"imtcp\"\n)\ninput(type=\"imtcp\" port=\"514\")\n");
	is_int(at_eval(RECV), VERDICT_FAIL, "module() over several lines in an include");
	at_write("/etc/rsyslog.d/60-net.conf", "$ModLoad imudp.so\n");
	is_int(at_eval(RECV), VERDICT_FAIL, "legacy $ModLoad");
	at_remove("/etc/rsyslog.d");
	at_write("/etc/rsyslog.conf", "*.* /var/log/syslog\n");
	is_int(at_eval(MODE), VERDICT_FAIL, "unset: rsyslog's default 0644");
	at_write("/etc/rsyslog.conf", "include(file=\"/etc/rsyslog.d/\")\n");
	at_write("/etc/rsyslog.d/a", "$FileCreateMode 0600\n");
	is_int(at_eval(MODE), VERDICT_PASS, "include() of a directory reads its files");
	at_remove("/etc/rsyslog.d");
	at_remove("/etc/rsyslog.conf");
}

static void test_validate(void)
{
	struct check_set set = CHECK_SET_INIT;

	ok(at_load(&set, "probe = rsyslog\ndirective = FileCreateMode\nmode_max = 0640") == -EINVAL, "needs '$'");
	check_set_done(&set);
	ok(at_load(&set, "probe = rsyslog\nmodule = imtcp") == -EINVAL, "module needs loaded");
	check_set_done(&set);
	ok(at_load(&set, "probe = rsyslog\ndirective = $A\nmodule = imtcp\nloaded = no") == -EINVAL, "one of them");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_rsyslog();
	test_validate();
	return tap_done();
}
