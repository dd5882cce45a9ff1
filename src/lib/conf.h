/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * vigil.conf (INI, parsed with inih; the module is "conf" because autoconf
 * owns the name config.h).  Format in vigil.conf(5):
 *
 *   [vigil]          database, pubkey, threads, one_filesystem, exclude
 *   [watch NAME]     path (repeatable), recurse, attributes, exclude
 *   [daemon]         monitor, debounce, burst_limit, audit_interval,
 *                    check_interval
 *
 * Every error is "file:line: reason".  When running as root, a file not
 * owned by root or writable by group or others is refused (like sshd's
 * StrictModes): whoever can edit it can blind the monitor.
 */

#include <stdint.h>

#include "diag.h"
#include "selection.h"

#define VIGIL_DEFAULT_CONFIG VIGIL_CONFDIR "/vigil.conf"
#define VIGIL_DEFAULT_DATABASE VIGIL_STATEDIR "/baseline.db"

enum monitor_mode {
	MONITOR_AUTO,
	MONITOR_FANOTIFY,
	MONITOR_INOTIFY,
};

struct daemon_config {
	enum monitor_mode monitor;
	uint64_t debounce_usec;		/* default 200 ms */
	unsigned burst_limit;		/* events per second per class before summarising; default 100 */
	uint64_t audit_interval_usec;	/* default 6 h; 0 = never */
	uint64_t check_interval_usec;	/* default 24 h; 0 = never */
};

struct vigil_conf {
	char *source;		/* file name, or "(built-in default)" */
	char *database;
	char *pubkey;		/* require baselines signed by this key, or NULL */
	unsigned threads;	/* 0 = online CPUs */
	struct selection sel;
	struct daemon_config daemon;
};

/* Load path; NULL means the default file, or the built-in default
 * configuration (the shipped conf/vigil.conf, compiled in) when the default
 * file does not exist (an explicit path that does not exist is -ENOENT).
 * -EINVAL for a malformed or unsafe file, -EISDIR for a directory, -errno
 * of a failed open or read; d holds "file:line: reason" or "file: reason". */
int conf_load(const char *path, struct vigil_conf *ret, struct diag *d);
/* Parse an in-memory configuration; name is used in messages. */
int conf_load_string(const char *text, const char *name, struct vigil_conf *ret, struct diag *d);
void conf_free(struct vigil_conf *c);

/* The shipped configuration, compiled in (generated from conf/vigil.conf). */
extern const char vigil_default_config[];
