/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <sys/socket.h>

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

/* Copy src to dst (size > 0) with control bytes as "\xNN": a file name in
 * a diagnostic must not start a new line (forging one in the journal) or
 * move the terminal's cursor.  Truncates to fit; always terminates. */
static size_t escape_controls(char *dst, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *src && n + 1 < size; src++) {
		unsigned char c = (unsigned char)*src;

		if (c >= 0x20 && c != 0x7f) {
			dst[n++] = (char)c;
			continue;
		}
		if (n + 5 >= size)
			break;
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[c >> 4];
		dst[n++] = hex[c & 15];
	}
	dst[n] = '\0';
	return n;
}

int log_internal(int level, int err, const char *fmt, ...)
{
	char buf[2048], line[4 * sizeof(buf) + 64];
	const char *prefix = level <= LOG_ERR ? "error: " : level == LOG_WARNING ? "warning: " : "";
	size_t n;
	va_list ap;

	if (level <= log_max_level) {
		/* %m must describe err, not whatever errno happens to hold. */
		errno = err < 0 ? -err : err;
		va_start(ap, fmt);
		(void)vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		n = (size_t)snprintf(line, sizeof(line), "%s: %s", log_program, prefix);
		n = MIN(n, sizeof(line) - 2);
		n += escape_controls(line + n, sizeof(line) - n - 1, buf);
		line[n++] = '\n';
		/* One call per line: threads may log at once.  On a socket
		 * (stderr under systemd is a stream to journald) never wait: a
		 * stuck journald must not stall vigild's event loop in a
		 * diagnostic, so the line is dropped instead. */
		if (send(STDERR_FILENO, line, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == ENOTSOCK &&
		    write(STDERR_FILENO, line, n) < 0) {
			/* stderr is gone: there is nowhere left to say so */
		}
	}
	return err < 0 ? err : -err;
}
