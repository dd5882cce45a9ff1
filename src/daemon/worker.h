/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * One piece of slow work (hashing flagged files, a rescan, the hardening
 * audit) on a thread of its own, so that the event loop keeps reading
 * kernel events, answering signals and feeding the watchdog while it runs.
 *
 * The contract that keeps this free of locks: the job's argument owns
 * everything the thread reads or writes (copies of paths, rules, the
 * selection), except what is immutable while the daemon runs (the root
 * fd).  The loop does not touch the argument until worker_join().  The
 * worker's fd becomes readable (EPOLLIN) when fn has returned.
 */

#include <stdatomic.h>
#include <stdbool.h>

struct worker;

/* fn runs on the worker thread; it should return early (its result is then
 * incomplete, and it says so in arg) once *cancel becomes true. */
typedef void (*worker_fn)(void *arg, const atomic_bool *cancel);

/* Start fn(arg) on a new thread.  0 or -errno (no thread was started: the
 * caller still owns arg and may run fn itself). */
int worker_start(worker_fn fn, void *arg, struct worker **ret);
/* Readable once fn has returned. */
int worker_fd(const struct worker *w);
/* Ask fn to stop early (it checks *cancel between units of work). */
void worker_cancel(struct worker *w);
/* Wait for fn to return (blocks if it still runs) and free w; NULL-safe.
 * Returns NULL, for "w = worker_join(w);". */
struct worker *worker_join(struct worker *w);
