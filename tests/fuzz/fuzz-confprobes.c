/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: what the systemd-conf, shellvar, rsyslog, chrony,
 * auditrules and apparmor probes read; /etc/passwd and /etc/login.defs as
 * the homes and logfiles probes read them (with /etc/shells, /etc/group,
 * a home and /var/log fixed); /etc/sudoers as the sudoers probe reads it
 * for a tag (fuzz-sudoers covers its Defaults); and the mountinfo parser
 * the files walk uses.  The input is written as each of those files (and
 * as a chrony confdir file, for the includes), so one seed reaches every
 * reader. */
#include <stdarg.h>

#include "fuzz-probe-tree.h"
#include "probe-mount.h"
#include "probes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {
		"/etc/systemd/journald.conf.d", "/etc/default/grub.d", "/etc/rsyslog.d", "/etc/chrony/conf.d",
		"/etc/audit/rules.d", "/etc/apparmor.d", "/etc/sudoers.d", "/home/alice", "/var/log/sub", NULL,
	};
	static const char *const fixed[][2] = {
		{ "/etc/shells", "/bin/sh\n/bin/bash\n" },
		{ "/etc/group", "root:x:0:\nadm:x:4:syslog\nutmp:x:43:\nalice:x:1000:\n" },
		{ "/home/alice/.profile", "" },
		{ "/var/log/syslog", "" },
		{ "/var/log/sub/app.log", "" },
	};
	static bool fixed_written;
	struct mount_table t = MOUNT_TABLE_INIT;
	char *copy;

	ft_init(dirs);
	for (size_t i = 0; i < ELEMENTSOF(fixed) && !fixed_written; i++)
		ft_write(fixed[i][0], (const uint8_t *)fixed[i][1], strlen(fixed[i][1]));
	fixed_written = true;
	ft_write("/etc/systemd/journald.conf", data, size);
	ft_write("/etc/default/grub", data, size);
	ft_write("/etc/rsyslog.conf", data, size);
	ft_write("/etc/chrony/chrony.conf", data, size);
	ft_write("/etc/chrony/conf.d/50-x.conf", data, size);
	ft_write("/etc/audit/rules.d/50-x.rules", data, size);
	ft_write("/etc/audit/audit.rules", data, size);
	ft_write("/etc/apparmor.d/usr.sbin.x", data, size);
	ft_write("/etc/passwd", data, size);
	ft_write("/etc/login.defs", data, size);
	ft_write("/etc/sudoers", data, size);

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
	ft_eval(&probe_homes, "rule", "home_dirs", "mode_max", "0750", NULL);
	ft_eval(&probe_homes, "rule", "dot_files", NULL);
	ft_eval(&probe_logfiles, NULL);
	ft_eval(&probe_sudoers, "tag", "NOPASSWD", NULL);

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
