/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Every probe module, one exported struct probe each; the engine lists
 * them in probe_table (engine.c). */

#include "probe.h"

extern const struct probe probe_sysctl, probe_sshd, probe_file, probe_files, probe_mount, probe_modprobe;
extern const struct probe probe_service, probe_package, probe_accounts, probe_pam, probe_logindefs, probe_sudoers;
extern const struct probe probe_systemd_conf, probe_shellvar, probe_rsyslog, probe_homes,
	probe_apparmor, probe_auditrules, probe_logfiles,
	probe_chrony;
