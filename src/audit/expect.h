/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The expectation keys shared by every probe that compares one setting
 * with an expected value, so that rule files read the same whatever the
 * component (see vigil-checks(5), "EXPECTATIONS"):
 *
 *	equals = V		the value is V (string comparison)
 *	one_of = A B C		the value is one of the space-separated words
 *	min = N, max = N	the value is an integer within the bound(s)
 *	absent_ok = yes		a setting that is not set at all passes
 *
 * All given conditions must hold.  A probe converts the component's own
 * value syntax first (sshd "1m" -> "60") and passes the plain text.
 */

#include "probe.h"

/* True if key is one of the expectation keys above. */
bool expect_is_key(const char *key);

/* True if the check has at least one of equals/one_of/min/max. */
bool expect_present(const struct check *c);

/* Validate the expectation keys of c at load time: at least one of
 * equals/one_of/min/max (absent_ok alone expects nothing), not both
 * equals and one_of, integer bounds only if numeric_allowed, min <= max,
 * absent_ok a boolean.  Returns 0 or -EINVAL with "key 'x': reason" in d. */
int expect_validate(const struct check *c, bool numeric_allowed, struct diag *d);

/* Compare observed (NULL: the setting is absent) with the expectation of
 * c, comparing case-insensitively if casefold, and fill *ret with the
 * verdict (pass/fail), the observed text ("(unset)" when absent) and the
 * expected text ("no", "one of: yes no", ">= 4", "<= 4", "between 1 and 4",
 * with " or unset" when absent_ok).  An observed value that is not an
 * integer fails a min/max expectation.  Returns 0 or -ENOMEM. */
int expect_eval(const struct check *c, const char *observed, bool casefold, struct probe_result *ret);

/* Same, but compares `value` while reporting `shown` as the observed text
 * (sshd: compares "60", shows "1m (60)"). */
int expect_eval_shown(const struct check *c, const char *value, const char *shown, bool casefold,
		      struct probe_result *ret);

/* The expected text of c alone, malloc'ed, or NULL on OOM. */
char *expect_describe(const struct check *c);

/* Strict signed integer parse (optional leading '-', decimal digits only,
 * no overflow).  Returns 0 or -EINVAL/-ERANGE. */
int expect_parse_ll(const char *s, long long *ret);
