/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checks.d rule loader (libinih plus our line reader and validation
 * of every probe's arguments) on arbitrary input. */
#include <stdint.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check_set set = CHECK_SET_INIT;
	struct diag d = {};

	if (size > 256 * 1024)
		return 0;
	(void)rules_load_text(&set, "fuzz.conf", (const char *)data, size, &d);
	/* a second load exercises the override paths against the first */
	(void)rules_load_text(&set, "fuzz2.conf", (const char *)data, size, &d);
	check_set_done(&set);
	return 0;
}
