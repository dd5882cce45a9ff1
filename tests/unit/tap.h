/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Minimal TAP producer for unit tests (automake's tap-driver reads it).
 *
 *	ok(cond, "name %d", i);
 *	is_int(got, want, "name");
 *	is_str(got, want, "name");
 *	return tap_done();	-> prints the plan, exit status 1 on failure
 *	tap_skip_all("reason")	-> "1..0 # SKIP reason", exits 77
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %u - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...)                                                                        \
	do {                                                                                          \
		long long _g = (long long)(got), _w = (long long)(want);                              \
		if (!ok(_g == _w, __VA_ARGS__))                                                       \
			printf("#   got %lld, want %lld (%s:%d)\n", _g, _w, __FILE__, __LINE__);      \
	} while (0)

#define is_str(got, want, ...)                                                                        \
	do {                                                                                          \
		const char *_g = (got), *_w = (want);                                                 \
		if (!ok(_g && _w ? strcmp(_g, _w) == 0 : _g == _w, __VA_ARGS__))                     \
			printf("#   got \"%s\", want \"%s\" (%s:%d)\n", _g ? _g : "(null)",           \
			       _w ? _w : "(null)", __FILE__, __LINE__);                               \
	} while (0)

__attribute__((format(printf, 1, 2))) static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_n);
	return tap_failed ? 1 : 0;
}

__attribute__((noreturn)) static inline void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(77);
}
