/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Running checks: the per-run context and one check's evaluation. */

#include "probe.h"

/* Start a run over root (borrowed; must outlive the context). */
void audit_ctx_init(struct audit_ctx *ctx, const struct rootfs *root);
/* Free every probe cache of the run. */
void audit_ctx_done(struct audit_ctx *ctx);

/* Evaluate c with its probe into *ret (initialised here; the caller
 * releases it with probe_result_done()).  A probe failure other than OOM
 * becomes VERDICT_ERROR with a reason.  Returns 0 or -ENOMEM. */
int audit_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret);
