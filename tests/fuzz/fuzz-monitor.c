/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fanotify event records (monitor-fanotify.c): kernel input, still parsed
 * as hostile — bounds, alignment, terminated one-component names. */
#include <linux/fanotify.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(void *userdata, const struct fanotify_record *rec)
{
	size_t *sum = userdata;

	/* Touch everything the parser hands out, so ASan sees any overread. */
	if (rec->name)
		*sum += strlen(rec->name);
	if (rec->fh) {
		const unsigned char *h = (const unsigned char *)rec->fh + 8;	/* f_handle */
		unsigned bytes;

		memcpy(&bytes, rec->fh, sizeof(bytes));
		for (unsigned i = 0; i < bytes; i++)
			*sum += h[i];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t *buf = malloc(size / 8 * 8 + 8);	/* aligned like the kernel's buffer */
	size_t sum = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	(void)fanotify_parse(buf, size, check_record, &sum);
	free(buf);
	return 0;
}
