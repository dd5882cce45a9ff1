/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the selection deserialiser (stored inside every baseline). */
#include <stdint.h>
#include <stdlib.h>

#include "selection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selection sel;

	if (selection_deserialize(data, size, &sel) == 0) {
		for (size_t i = 0; i < sel.n_rules; i++)
			(void)selection_rule_for(&sel, sel.rules[i].path);
		selection_free(&sel);
	}
	return 0;
}
