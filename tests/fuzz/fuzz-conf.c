/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz vigil.conf parsing: any input is accepted or rejected with a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vigil_conf c;
	struct diag d = { "" };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (conf_load_string(text, "fuzz.conf", &c, &d) == 0)
		conf_free(&c);
	else if (d.msg[0] == '\0')
		abort();	/* every rejection must say why */
	free(text);
	return 0;
}
