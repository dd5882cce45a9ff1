/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Burst summarising: at most `limit` events of one class per one-second
 * window are reported individually; the rest of the window's events are
 * counted, a few of their paths kept as a sample, and reported as one
 * VEVENT_BURST_SUMMARY when the window closes.  Nothing is dropped
 * silently, and journald's own rate limiter (which drops) is never hit by
 * a flood of ours.
 */

#include <stdint.h>

#include "event-journal.h"

#define BURST_WINDOW_USEC 1000000ULL
#define BURST_SAMPLE 5

struct burst;

/* limit 0 disables summarising.  0 or -ENOMEM. */
int burst_new(unsigned limit, struct burst **ret);
struct burst *burst_free(struct burst *b);
void burst_set_limit(struct burst *b, unsigned limit);

/* Account an event of class cls about path (may be NULL) and severity sev
 * at time now (CLOCK_MONOTONIC usec).  True: report it; false: it was
 * counted into the window's summary. */
bool burst_admit(struct burst *b, enum vevent_class cls, enum severity sev, const char *path, uint64_t now);

/* When the next summary is due, or UINT64_MAX if nothing is suppressed. */
uint64_t burst_next_due(const struct burst *b);
/* Build the summaries of every window that closed by now (all of them if
 * force), one event each, and pass them to fn, which takes ownership.
 * Returns the number of summaries, or -ENOMEM. */
int burst_flush(struct burst *b, uint64_t now, bool force, void (*fn)(void *userdata, struct vevent *e),
		void *userdata);
