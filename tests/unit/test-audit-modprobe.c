/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"

#define CRAMFS "probe = modprobe\nmodule = cramfs\ndisabled = yes"

int main(void)
{
	struct check_set set = CHECK_SET_INIT;

	at_init();
	at_write("/lib/modules/6.1.0-13-amd64/modules.dep",
		 "kernel/fs/cramfs/cramfs.ko.xz:\nkernel/fs/udf/udf.ko: kernel/lib/crc-itu-t.ko\n"
		 "kernel/net/sctp/sctp.ko:\nkernel/fs/freevxfs/freevxfs.ko:\n");
	at_write("/lib/modules/6.1.0-13-amd64/modules.builtin", "kernel/fs/squashfs/squashfs.ko\n");

	is_int(at_eval(CRAMFS), VERDICT_FAIL, "nothing configured");
	ok(at_observed_has("no install command, not blacklisted"), "observed says so");

	at_write("/etc/modprobe.d/blacklist.conf", "blacklist cramfs\n");
	is_int(at_eval(CRAMFS), VERDICT_FAIL, "blacklist alone is not enough");
	ok(at_observed_has("blacklisted"), "blacklist reported");

	at_write("/usr/lib/modprobe.d/cis.conf", "install cramfs /bin/false\n");
	is_int(at_eval(CRAMFS), VERDICT_PASS, "install /bin/false in /usr/lib");
	ok(at_observed_has("install /bin/false") && at_observed_has(", blacklisted"), "both found");

	at_write("/etc/modprobe.d/cis.conf", "# shadowing the vendor file\ninstall cramfs /sbin/modprobe --ignore-install cramfs\n");
	is_int(at_eval(CRAMFS), VERDICT_FAIL, "/etc/modprobe.d/cis.conf shadows /usr/lib/modprobe.d/cis.conf");
	at_write("/etc/modprobe.d/00-first.conf", "install cramfs /usr/bin/true\n");
	is_int(at_eval(CRAMFS), VERDICT_PASS, "first install command (file order) wins; /usr/bin/true counts");

	at_write("/etc/modprobe.d/udf.conf", "install udf /bin/false\n");
	is_int(at_eval("probe = modprobe\nmodule = udf\ndisabled = yes"), VERDICT_PASS, "udf disabled");
	at_write("/proc/modules", "udf 118784 0 - Live 0x0000000000000000\ncrc_itu_t 16384 1 udf, Live 0x0\n");
	is_int(at_eval_live("probe = modprobe\nmodule = udf\ndisabled = yes"), VERDICT_FAIL,
	       "live: loaded module fails");
	ok(at_observed_has("loaded now"), "observed says loaded");
	is_int(at_eval("probe = modprobe\nmodule = udf\ndisabled = yes"), VERDICT_PASS,
	       "offline never reads /proc/modules");

	is_int(at_eval("probe = modprobe\nmodule = hfsplus\ndisabled = yes"), VERDICT_PASS,
	       "module not shipped: pass");
	ok(at_observed_has("not available"), "observed: not available");
	is_int(at_eval("probe = modprobe\nmodule = squashfs\ndisabled = yes"), VERDICT_FAIL, "built-in module fails");
	at_write("/etc/modprobe.d/fvx.conf", "install freevxfs /bin/true\n");
	is_int(at_eval("probe = modprobe\nmodule = freevxfs\ndisabled = yes"), VERDICT_PASS, "freevxfs");
	at_write("/etc/modprobe.d/sctp.conf", "install sctp /bin/true\n");
	at_symlink("/etc/modprobe.d/sctp.conf", "/dev/null");
	is_int(at_eval("probe = modprobe\nmodule = sctp\ndisabled = yes"), VERDICT_FAIL, "masked file ignored");

	ok(at_load(&set, "probe = modprobe\nmodule = cramfs\ndisabled = no") == -EINVAL, "disabled = no rejected");
	check_set_done(&set);
	ok(at_load(&set, "probe = modprobe\nmodule = cr/amfs\ndisabled = yes") == -EINVAL, "bad module name");
	check_set_done(&set);
	return tap_done();
}
