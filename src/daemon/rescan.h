/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A scan of the whole selection on a worker thread, for the overflow
 * rescan and the periodic full check: hashing every watched file takes
 * seconds to minutes, and the event loop must keep reading kernel events
 * meanwhile (else the kernel queue overflows again, and a rescan follows
 * the rescan) and keep feeding the watchdog.  The job works on its own
 * copy of the selection, so a reload during the scan is harmless.
 */

#include "diag.h"
#include "rootfs.h"
#include "scan.h"
#include "selection.h"

struct rescan_job;

/* Start scanning sel (copied) below root (borrowed: must outlive the job).
 * Returns 0 or -errno. */
int rescan_job_start(const struct selection *sel, const struct rootfs *root, unsigned threads,
		     struct rescan_job **ret);
/* Becomes readable (EPOLLIN) when the scan is done. */
int rescan_job_fd(const struct rescan_job *j);
/* Ask the scan to stop early: rescan_job_finish() then returns -ECANCELED. */
void rescan_job_cancel(struct rescan_job *j);
/* Wait for the job (blocks if it still runs), free it, and hand over the
 * result: 0 with *ret filled (free with scan_result_free()), or the scan's
 * -errno with a reason in d. */
int rescan_job_finish(struct rescan_job *j, struct scan_result *ret, struct diag *d);
