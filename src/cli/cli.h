/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The vigil command: one file per subcommand, each exporting cmd_NAME(). */

#include "util.h"

/* Exit codes, documented in vigil(8).  No bitmasks. */
enum {
	EXIT_CLEAN = 0,		/* no deviations */
	EXIT_DEVIATIONS = 1,	/* changes or failed checks found */
	EXIT_USAGE = 2,		/* usage or configuration error */
	EXIT_RUNTIME = 3,	/* I/O error, corrupt or unverifiable database */
};

/* argv[0] is the subcommand name; returns an exit code. */
int cmd_init(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_accept(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* Map a -errno from a library call to an exit code: configuration-ish
 * errors (-EINVAL from parsers) are EXIT_USAGE, the rest EXIT_RUNTIME. */
int exit_code_for(int r);
