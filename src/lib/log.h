/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Diagnostics of the programs themselves (not events: those go through
 * the event renderers).  Human text on stderr, prefixed with the program
 * name.  Only the CLI and daemon front ends log; src/lib returns errors.
 * Each line is written with one call (threads may log at once), escaped
 * like every output (escape.h: a file name must not forge a line), and
 * never waits on a socket: when journald does not read vigild's stderr
 * stream, the line is dropped rather than stall the caller.
 *
 * log_*_errno(r, ...) logs and returns r (negative), so a caller can write
 *     return log_error_errno(r, "Failed to open %s: %m", path);
 * where %m prints strerror(-r).
 */

#include <syslog.h>

#include "util.h"

void log_set_program(const char *name);
void log_set_max_level(int level);	/* LOG_ERR .. LOG_DEBUG */
int log_get_max_level(void);

int log_internal(int level, int err, const char *fmt, ...) _printf_(3, 4);

#define log_debug(...) log_internal(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...) log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...) log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...) log_internal(LOG_ERR, 0, __VA_ARGS__)
#define log_warning_errno(r, ...) log_internal(LOG_WARNING, (r), __VA_ARGS__)
#define log_error_errno(r, ...) log_internal(LOG_ERR, (r), __VA_ARGS__)
#define log_debug_errno(r, ...) log_internal(LOG_DEBUG, (r), __VA_ARGS__)
