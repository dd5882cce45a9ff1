/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the dpkg status database parser. */
#include <stdint.h>

#include "dpkg-status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dpkg_status st;
	struct diag d = {};

	if (dpkg_status_parse((const char *)data, size, "fuzz", &st, &d) == 0) {
		for (size_t i = 0; i < st.n_pkgs; i++)
			(void)dpkg_package_matches(&st.pkgs[i], "a:amd64");
		dpkg_status_free(&st);
	}
	return 0;
}
