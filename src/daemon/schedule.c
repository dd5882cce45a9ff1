/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <sys/random.h>

#include "schedule.h"
#include "util.h"

uint64_t schedule_next(uint64_t now, uint64_t interval, uint64_t rnd)
{
	uint64_t jitter;

	if (interval == 0 || interval > UINT64_MAX / 2 || now > UINT64_MAX / 2)
		return UINT64_MAX;
	jitter = interval / SCHEDULE_JITTER_DIVISOR;
	return now + interval + (jitter ? rnd % (jitter + 1) : 0);
}

uint64_t schedule_random(void)
{
	uint64_t v;

	/* Jitter only spreads load; a clock-based value is good enough. */
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = now_monotonic_usec() * 6364136223846793005ULL + 1442695040888963407ULL;
	return v;
}
