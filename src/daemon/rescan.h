/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A scan of the whole selection, run on a worker thread (worker.h), for
 * the overflow rescan and the periodic full check: hashing every watched
 * file takes
 * seconds to minutes, and the event loop must keep reading kernel events
 * meanwhile (else the kernel queue overflows again, and a rescan follows
 * the rescan) and keep feeding the watchdog.  The job works on its own
 * copy of the selection, so a reload during the scan is harmless.
 */

#include <stdatomic.h>

#include "diag.h"
#include "rootfs.h"
#include "scan.h"
#include "selection.h"

struct rescan_job;

/* A job scanning sel (copied) below root (borrowed: must outlive the job).
 * Returns 0 or -errno. */
int rescan_job_new(const struct selection *sel, const struct rootfs *root, unsigned threads,
		   struct rescan_job **ret);
/* Run the scan: a worker_fn (worker.h), arg is the job.  Stops early with
 * -ECANCELED once *cancel is true. */
void rescan_job_main(void *arg, const atomic_bool *cancel);
/* Once rescan_job_main() has returned: free the job and hand over the
 * result, 0 with *ret filled (free with scan_result_free()), or the
 * scan's -errno with a reason in d (may be NULL). */
int rescan_job_finish(struct rescan_job *j, struct scan_result *ret, struct diag *d);
