/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the PAM configuration reader of the pam probe (service
 * file, includes, pwquality.conf).  The input is written both as a
 * service file and as pwquality.conf; "other" is a small fixed file for
 * include lines to reach (a self-including input would spend the run
 * on the include caps, which the unit tests cover). */
#include <stdarg.h>

#include "fuzz-probe-tree.h"
#include "probes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "/etc/pam.d", "/etc/security/pwquality.conf.d", NULL };

	static const char other[] = "auth required pam_unix.so nullok\npassword requisite pam_pwquality.so minlen=9\n";

	if (!ft_root[0]) {
		ft_init(dirs);
		ft_write("/etc/pam.d/other", (const uint8_t *)other, sizeof(other) - 1);
	}
	ft_write("/etc/pam.d/svc", data, size);
	ft_write("/etc/security/pwquality.conf", data, size);
	ft_eval(&probe_pam, "file", "/etc/pam.d/svc", "type", "password", "module", "pam_pwquality.so",
		"option", "minlen", "min", "14", NULL);
	return 0;
}
