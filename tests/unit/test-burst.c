/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "daemon/burst.h"
#include "tap.h"

static struct vevent *got[8];
static unsigned n_got;

static void collect(void *userdata, struct vevent *e)
{
	(void)userdata;
	if (n_got < ELEMENTSOF(got))
		got[n_got++] = e;
	else
		vevent_free(e);
}

int main(void)
{
	struct burst *b = NULL;
	char path[32];
	unsigned admitted = 0;

	is_int(burst_new(100, &b), 0, "new");
	for (unsigned i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/w/f%u", i);
		admitted += burst_admit(b, VEVENT_FILE_CREATED, SEVERITY_MEDIUM, path, 1000000 + i * 10);
	}
	is_int(admitted, 100, "100 events admitted in the window");
	ok(burst_admit(b, VEVENT_FILE_DELETED, SEVERITY_LOW, "/w/x", 1000000), "other classes are counted apart");
	is_int((long long)burst_next_due(b), 2000000, "summary due when the window closes");
	is_int(burst_flush(b, 1999999, false, collect, NULL), 0, "no summary before the window closes");
	is_int(burst_flush(b, 2000000, false, collect, NULL), 1, "one summary");
	if (n_got == 1) {
		is_int(got[0]->cls, VEVENT_BURST_SUMMARY, "summary class");
		is_str(vevent_get(got[0], "VIGIL_COUNT"), "19900", "count of the suppressed events");
		is_str(vevent_get(got[0], "VIGIL_SUMMARIZED_ACTION"), "created", "summarised action");
		is_str(vevent_get(got[0], "VIGIL_SAMPLE"), "/w/f100 /w/f101 /w/f102 /w/f103 /w/f104", "sample");
		is_int(got[0]->severity, SEVERITY_MEDIUM, "severity of the worst suppressed event");
	}
	is_int((long long)(burst_next_due(b) == UINT64_MAX), 1, "nothing due after the flush");
	ok(burst_admit(b, VEVENT_FILE_CREATED, SEVERITY_MEDIUM, "/w/y", 2000001), "a new window admits again");

	for (unsigned i = 0; i < 150; i++)
		burst_admit(b, VEVENT_FILE_UPDATED, SEVERITY_HIGH, "/u", 3000000);
	is_int(burst_flush(b, 3000000, true, collect, NULL), 1, "forced flush (shutdown) reports open windows");
	burst_set_limit(b, 0);
	ok(burst_admit(b, VEVENT_FILE_UPDATED, SEVERITY_HIGH, "/u", 3000000), "limit 0 never summarises");
	for (unsigned i = 0; i < n_got; i++)
		vevent_free(got[i]);
	burst_free(b);
	return tap_done();
}
