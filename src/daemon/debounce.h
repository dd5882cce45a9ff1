/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Per-path debouncing: a burst of kernel events on one path (an editor's
 * write + rename + chmod, a log line per second) becomes one verification
 * once the path has been quiet for the delay.  Every touch pushes the
 * path's deadline back; since the delay is the same for every path, the
 * pending paths are kept in touch order and the head is always the next
 * one due (O(log n) per touch, O(1) to find the next deadline).
 *
 * Bounded: at most max_pending paths; beyond that debounce_touch() fails
 * with -ENOSPC and the caller treats it like a kernel queue overflow
 * (alert + rescan), never silently.
 */

#include <stdint.h>

#include "util.h"

struct debounce;

/* 0 or -ENOMEM.  delay in microseconds. */
int debounce_new(uint64_t delay_usec, size_t max_pending, struct debounce **ret);
/* NULL-safe; returns NULL.  Frees the pending paths. */
struct debounce *debounce_free(struct debounce *d);
void debounce_set_delay(struct debounce *d, uint64_t delay_usec);

/* Note an event on path at time now (CLOCK_MONOTONIC usec), caused by
 * process pid (0 if unknown; the last known one is kept).  0, -ENOSPC
 * when max_pending paths are pending already, -ENOMEM. */
int debounce_touch(struct debounce *d, const char *path, uint64_t now, uint32_t pid);
/* When the next path is due, or UINT64_MAX if none is pending. */
uint64_t debounce_next_due(const struct debounce *d);
/* Take the next path due at time now: 1 and *ret (malloc'ed, the caller
 * frees it) and *ret_pid (may be NULL) if there is one, 0 if none is due. */
int debounce_pop_due(struct debounce *d, uint64_t now, char **ret, uint32_t *ret_pid);
size_t debounce_pending(const struct debounce *d);
