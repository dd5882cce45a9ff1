/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Periodic work with jitter: the audit and the full check of many hosts
 * started together (a fleet booted from one image) must not all hit
 * their disks, or a shared storage backend, at the same moment.
 */

#include <stdint.h>

/* Jitter is up to this fraction (1/N) of the interval. */
#define SCHEDULE_JITTER_DIVISOR 10

/* The next run after now: now + interval + a random jitter in
 * [0, interval / SCHEDULE_JITTER_DIVISOR].  rnd is a random number.
 * interval 0 means never: UINT64_MAX. */
uint64_t schedule_next(uint64_t now, uint64_t interval, uint64_t rnd);
/* A random 64-bit number (getrandom, falling back to the clock). */
uint64_t schedule_random(void);
