/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * vigild's periodic hardening audit: the checks of checks.d evaluated with
 * the audit engine (src/audit), turned into events and into the posture
 * that correlation (correlate.h) matches file events against.
 *
 * The first run reports every failing check; later runs report only
 * changes of verdict (a check that starts failing, one that recovers),
 * plus a summary on the first run and then at most once a day.  The
 * checks are re-read on every run, so edited rule files apply without a
 * reload.
 */

#include <stdatomic.h>

#include "correlate.h"
#include "event-journal.h"
#include "rootfs.h"

struct posture_audit;

/* dirs: checks.d directories in override order (copied).  0 or -ENOMEM. */
int posture_audit_new(char *const *dirs, size_t n_dirs, struct posture_audit **ret);
struct posture_audit *posture_audit_free(struct posture_audit *pa);

struct posture_audit_result {
	unsigned pass, fail, not_applicable, error;
};

/* The verdicts of one run, before they are compared with the previous run. */
struct audit_report;
void audit_report_free(struct audit_report *rep);

/* Evaluate every enabled check against root into *ret (free with
 * audit_report_free()).  Reads only pa's directory list, which never
 * changes, so it may run on a worker thread while the loop uses pa.
 * Stops with -ECANCELED once *cancel (may be NULL) is true; -EINVAL with a
 * reason in d for a bad rule file; -ENOMEM. */
int posture_audit_collect(const struct posture_audit *pa, const struct rootfs *root, const atomic_bool *cancel,
			  struct audit_report **ret, struct diag *d);
/* Compare rep with the previous run: events (failed/recovered/summary) go
 * to emit, which takes ownership; *posture is replaced by the failing
 * checks and the paths they concern (their findings, else their `paths`
 * other than "/").  0 or -ENOMEM (nothing changed then). */
int posture_audit_apply(struct posture_audit *pa, const struct audit_report *rep, uint64_t now_realtime,
			struct posture *posture, void (*emit)(void *userdata, struct vevent *e), void *userdata,
			struct posture_audit_result *ret);

/* Both of the above in one call.  Run every enabled check against root.  Events (failed/recovered/summary)
 * are passed to emit, which takes ownership.  On success *posture is
 * replaced by the failing checks that have paths.  -EINVAL with a reason
 * in d for a bad rule file (the previous posture is kept), -ENOMEM. */
int posture_audit_run(struct posture_audit *pa, const struct rootfs *root, uint64_t now_realtime,
		      struct posture *posture, void (*emit)(void *userdata, struct vevent *e), void *userdata,
		      struct posture_audit_result *ret, struct diag *d);
