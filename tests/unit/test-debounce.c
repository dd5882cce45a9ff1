/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "daemon/debounce.h"
#include "tap.h"

static void test_order(void)
{
	struct debounce *d = NULL;
	char *p = NULL;

	is_int(debounce_new(200, 3, &d), 0, "new");
	is_int(debounce_next_due(d) == UINT64_MAX, 1, "nothing pending: no deadline");
	is_int(debounce_touch(d, "/a", 1000, 0), 0, "touch /a");
	is_int(debounce_touch(d, "/b", 1050, 0), 0, "touch /b");
	is_int((long long)debounce_next_due(d), 1200, "/a due after the delay");
	is_int(debounce_touch(d, "/a", 1100, 0), 0, "touch /a again");
	is_int(debounce_pending(d), 2, "a path is pending once");
	is_int((long long)debounce_next_due(d), 1250, "/b is now first");
	is_int(debounce_pop_due(d, 1249, &p, NULL), 0, "nothing due before the deadline");
	is_int(debounce_pop_due(d, 1250, &p, NULL), 1, "/b due");
	is_str(p, "/b", "popped /b");
	free(p);
	is_int(debounce_pop_due(d, 1250, &p, NULL), 0, "/a was pushed back");
	is_int(debounce_pop_due(d, 1300, &p, NULL), 1, "/a due at 1300");
	is_str(p, "/a", "popped /a");
	free(p);
	is_int(debounce_pending(d), 0, "empty");

	{
		uint32_t pid = 0;

		debounce_touch(d, "/p", 2000, 42);
		debounce_touch(d, "/p", 2001, 0);
		is_int(debounce_pop_due(d, 5000, &p, &pid), 1, "pid path due");
		is_int(pid, 42, "the last known pid is kept when a later event has none");
		free(p);
	}

	is_int(debounce_touch(d, "/1", 0, 0), 0, "fill 1");
	is_int(debounce_touch(d, "/2", 0, 0), 0, "fill 2");
	is_int(debounce_touch(d, "/3", 0, 0), 0, "fill 3");
	is_int(debounce_touch(d, "/4", 0, 0), -ENOSPC, "bounded: a 4th path is refused");
	is_int(debounce_touch(d, "/2", 10, 0), 0, "a pending path can still be touched when full");
	debounce_free(d);
}

static void test_clock_back(void)
{
	struct debounce *d = NULL;
	char *p = NULL;

	is_int(debounce_new(100, 10, &d), 0, "new");
	debounce_touch(d, "/x", 5000, 0);
	debounce_touch(d, "/y", 10, 0);	/* clock went back: order must stay consistent */
	is_int((long long)debounce_next_due(d), 5100, "head deadline unchanged");
	is_int(debounce_pop_due(d, 5100, &p, NULL), 1, "first due");
	is_str(p, "/x", "order kept");
	free(p);
	is_int(debounce_pop_due(d, 5100, &p, NULL), 1, "second due no earlier than the first");
	free(p);
	debounce_touch(d, "/z", 1, 0);
	ok(debounce_free(d) == NULL, "free with pending paths");
}

static void test_many(void)
{
	struct debounce *d = NULL;
	char path[32], *p;
	unsigned n = 0;
	bool ordered = true;

	is_int(debounce_new(1, 100000, &d), 0, "new");
	for (unsigned i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/f%u", i % 5000);
		if (debounce_touch(d, path, i, 0) < 0)
			ordered = false;
	}
	is_int(debounce_pending(d), 5000, "5000 distinct paths pending");
	for (unsigned i = 15000; debounce_pop_due(d, UINT64_MAX - 10, &p, NULL) > 0; i++) {
		snprintf(path, sizeof(path), "/f%u", i % 5000);
		if (!streq(p, path))
			ordered = false;
		free(p);
		n++;
	}
	is_int(n, 5000, "all popped");
	ok(ordered, "popped in last-touch order");
	debounce_free(d);
}

int main(void)
{
	test_order();
	test_clock_back();
	test_many();
	return tap_done();
}
