/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the sudoers reader of the sudoers probe.  The input is
 * written as /etc/sudoers and as a file of /etc/sudoers.d, so include
 * directives in it reach both. */
#include <stdarg.h>

#include "fuzz-probe-tree.h"
#include "probes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "/etc/sudoers.d", NULL };

	ft_init(dirs);
	ft_write("/etc/sudoers", data, size);
	ft_write("/etc/sudoers.d/local", data, size);
	ft_eval(&probe_sudoers, "defaults", "logfile", "equals", "/var/log/sudo.log", NULL);
	return 0;
}
