/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "log.h"

/* Process-wide settings, written once at start-up before any thread runs. */
static const char *log_program = "vigil";
static int log_max_level = LOG_INFO;

void log_set_program(const char *name)
{
	log_program = name;
}

void log_set_max_level(int level)
{
	log_max_level = level;
}

int log_get_max_level(void)
{
	return log_max_level;
}

int log_internal(int level, int err, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (level <= log_max_level) {
		/* %m must describe err, not whatever errno happens to hold. */
		errno = err < 0 ? -err : err;
		va_start(ap, fmt);
		(void)vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		(void)fprintf(stderr, "%s: %s%s\n", log_program,
			      level <= LOG_ERR ? "error: " : level == LOG_WARNING ? "warning: " : "", buf);
	}
	return err < 0 ? err : -err;
}
