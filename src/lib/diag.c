/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "diag.h"

/* format(printf, 2, 0): lets -Wformat-nonliteral (clang's -Wformat=2) see
 * that fmt was checked at the callers. */
__attribute__((format(printf, 2, 0))) static void diag_vformat(struct diag *d, const char *fmt, va_list ap)
{
	(void)vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

int diag_set(struct diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d) {
		va_start(ap, fmt);
		diag_vformat(d, fmt, ap);
		va_end(ap);
	}
	return err;
}

int diag_set_once(struct diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d && diag_empty(d)) {
		va_start(ap, fmt);
		diag_vformat(d, fmt, ap);
		va_end(ap);
	}
	return err;
}
