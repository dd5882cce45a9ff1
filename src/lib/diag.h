/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A diagnostic buffer: library code never prints, it returns -errno and,
 * where the reason needs more than an errno (a parser's file:line, a
 * corrupt database's offset), fills a struct diag that the caller reports.
 */

#include "util.h"

struct diag {
	char msg[1024];
};

/* Format the reason into d (if d is not NULL) and return err, which must
 * be negative.  Usage: return diag_set(d, -EINVAL, "%s:%u: bad key", ...); */
int diag_set(struct diag *d, int err, const char *fmt, ...) _printf_(3, 4);

/* Keep the first reason: only format if d holds none yet. */
int diag_set_once(struct diag *d, int err, const char *fmt, ...) _printf_(3, 4);

static inline void diag_clear(struct diag *d)
{
	if (d)
		d->msg[0] = '\0';
}

static inline bool diag_empty(const struct diag *d)
{
	return !d || d->msg[0] == '\0';
}
