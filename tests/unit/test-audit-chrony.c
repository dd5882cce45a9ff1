/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "chrony" probe: sources and directives across confdir/sourcedir. */
#include "audit-tree.h"

#define SRC "probe = chrony\nsources = yes\n"
#define USER "probe = chrony\ndirective = user\ndefault = _chrony\nequals = _chrony\n"

int main(void)
{
	at_init();
	is_int(at_eval(SRC), VERDICT_NOT_APPLICABLE, "chrony not installed");
	at_write("/etc/chrony/chrony.conf", "# Debian\n! pool 2.debian.pool.ntp.org iburst\n"
					    "confdir /etc/chrony/conf.d\nsourcedir /run/chrony-dhcp\n"
					    "sourcedir /etc/chrony/sources.d\nkeyfile /etc/chrony/chrony.keys\n");
	is_int(at_eval(SRC), VERDICT_FAIL, "commented pool: no source");
	at_write("/etc/chrony/sources.d/ntp.sources", "server ntp1.example.org iburst\n");
	is_int(at_eval(SRC), VERDICT_PASS, "a source from sourcedir");
	ok(at_observed_has("server ntp1.example.org iburst (/etc/chrony/sources.d/ntp.sources:1)"), "observed: %s",
	   at_observed());
	is_int(at_eval(USER), VERDICT_PASS, "user unset: the built-in _chrony");
	at_write("/etc/chrony/conf.d/10-root.conf", "user root\n");
	at_write("/etc/chrony/conf.d/20-chrony.conf", "user _chrony\n");
	is_int(at_eval(USER), VERDICT_PASS, "the last user directive wins (conf.d in name order)");
	ok(at_observed_has("user _chrony (/etc/chrony/conf.d/20-chrony.conf:1)"), "observed: %s", at_observed());
	at_write("/etc/chrony/conf.d/20-chrony.conf", "user _chrony\nuser root\n");
	is_int(at_eval(USER), VERDICT_FAIL, "a later line of the same file replaces the value");
	ok(at_observed_has("user root (/etc/chrony/conf.d/20-chrony.conf:2)"), "observed: %s", at_observed());
	at_write("/etc/chrony/conf.d/20-chrony.conf", "user _chrony\n");
	at_write("/etc/chrony/chrony.conf", "user root\nconfdir /etc/chrony/conf.d\nsourcedir /etc/chrony/sources.d\n");
	at_remove("/etc/chrony/conf.d/10-root.conf");
	is_int(at_eval(USER), VERDICT_PASS, "a confdir read after chrony.conf's own line overrides it");
	at_write("/etc/chrony/chrony.conf", "confdir /etc/chrony/conf.d\nsourcedir /etc/chrony/sources.d\nuser root\n");
	is_int(at_eval(USER), VERDICT_FAIL, "a line after the confdir overrides it");
	at_write("/etc/chrony/chrony.conf", "confdir /etc/chrony/conf.d\nsourcedir /etc/chrony/sources.d\n");
	at_write("/etc/chrony/sources.d/bad.sources", "user root\n");
	is_int(at_eval(USER), VERDICT_PASS, "only sources count in a .sources file");
	return tap_done();
}
