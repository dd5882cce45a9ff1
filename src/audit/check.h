/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Engine-side helpers on checks beyond the probe contract of probe.h. */

#include "probe.h"

/* The argument entry for key (last assignment), with its line, or NULL. */
const struct check_arg *check_arg_full(const struct check *c, const char *key);

/* Free a check and everything it owns; NULL is fine. */
void check_free(struct check *c);

static inline void check_freep(struct check **c)
{
	check_free(*c);
}
#define _cleanup_check_ _cleanup_(check_freep)

/* Reject any argument of c that is neither in allowed (NULL-terminated)
 * nor, if with_expect, an expectation key (expect.h): -EINVAL with
 * "key 'x': unknown for probe P" in d. */
int check_args_allowed(const struct check *c, const char *const *allowed, bool with_expect, struct diag *d);

/* Require argument key: its value, or NULL with "missing key 'k'" in d. */
const char *check_arg_required(const struct check *c, const char *key, struct diag *d);
