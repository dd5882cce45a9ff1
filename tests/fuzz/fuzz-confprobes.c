/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the configuration readers of the systemd-conf, shellvar,
 * rsyslog, chrony, auditrules and apparmor probes, and the mountinfo
 * parser the files walk uses.  The input is written as each component's
 * main file (and as a chrony confdir file, for the includes), so one seed
 * reaches every reader. */
#include <stdarg.h>

#include "fuzz-probe-tree.h"
#include "probe-mount.h"
#include "probes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {
		"/etc/systemd/journald.conf.d", "/etc/default/grub.d", "/etc/rsyslog.d", "/etc/chrony/conf.d",
		"/etc/audit/rules.d", "/etc/apparmor.d", NULL,
	};
	struct mount_table t = MOUNT_TABLE_INIT;
	char *copy;

	ft_init(dirs);
	ft_write("/etc/systemd/journald.conf", data, size);
	ft_write("/etc/default/grub", data, size);
	ft_write("/etc/rsyslog.conf", data, size);
	ft_write("/etc/chrony/chrony.conf", data, size);
	ft_write("/etc/chrony/conf.d/50-x.conf", data, size);
	ft_write("/etc/audit/rules.d/50-x.rules", data, size);
	ft_write("/etc/audit/audit.rules", data, size);
	ft_write("/etc/apparmor.d/usr.sbin.x", data, size);

	ft_eval(&probe_systemd_conf, "file", "/etc/systemd/journald.conf", "section", "Journal", "key", "Storage",
		"equals", "persistent", NULL);
	ft_eval(&probe_shellvar, "file", "/etc/default/grub", "dropins", "/etc/default/grub.d/*.cfg", "var",
		"GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT", "param", "audit=1 apparmor=1", NULL);
	ft_eval(&probe_shellvar, "file", "/etc/default/grub", "var", "GRUB_CMDLINE_LINUX", "param",
		"audit_backlog_limit", "min", "8192", NULL);
	ft_eval(&probe_rsyslog, "directive", "$FileCreateMode", "mode_max", "0640", NULL);
	ft_eval(&probe_rsyslog, "module", "imtcp imudp", "loaded", "no", NULL);
	ft_eval(&probe_chrony, "sources", "yes", NULL);
	ft_eval(&probe_chrony, "directive", "user", "default", "_chrony", "equals", "_chrony", NULL);
	ft_eval(&probe_auditrules, "compare", "rules.d", NULL);
	ft_eval(&probe_apparmor, NULL);

	copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	if (mount_parse_mountinfo(&t, copy, size) == 0)
		for (size_t i = 0; i < t.n; i++)
			(void)mount_is_local(&t.entries[i]);
	mount_table_done(&t);
	free(copy);
	return 0;
}
