/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <sys/socket.h>

#include "escape.h"
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

/* One line to stderr with one call (threads may log at once).  On a socket
 * (stderr under systemd is a stream to journald) never wait: a stuck
 * journald must not stall vigild's event loop in a diagnostic, so what
 * does not fit is dropped.  A line cut short still gets its newline if
 * there is room for it, so the next one is not glued to it. */
static void write_line(const char *line, size_t n)
{
	ssize_t k = send(STDERR_FILENO, line, n, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (k < 0 && errno == ENOTSOCK) {
		if (write(STDERR_FILENO, line, n) < 0) {
			/* stderr is gone: there is nowhere left to say so */
		}
		return;
	}
	if (k > 0 && (size_t)k < n)
		(void)send(STDERR_FILENO, "\n", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

int log_internal(int level, int err, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf esc = STRBUF_INIT;
	const char *prefix = level <= LOG_ERR ? "error: " : level == LOG_WARNING ? "warning: " : "";
	char buf[2048], line[4 * sizeof(buf) + 64];
	size_t n;
	va_list ap;

	if (level <= log_max_level) {
		/* %m must describe err, not whatever errno happens to hold. */
		errno = err < 0 ? -err : err;
		va_start(ap, fmt);
		(void)vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		/* Diagnostics name paths: escaped like every output (escape.h),
		 * so a file name cannot forge a line or drive the terminal. */
		escape_untrusted(&esc, buf, strlen(buf));
		n = (size_t)snprintf(line, sizeof(line) - 1, "%s: %s%s", log_program, prefix,
				     strbuf_error(&esc) < 0 ? "(a diagnostic was lost: out of memory)" : strbuf_str(&esc));
		n = MIN(n, sizeof(line) - 2);
		line[n++] = '\n';
		write_line(line, n);
	}
	return err < 0 ? err : -err;
}
