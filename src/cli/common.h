/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * What the integrity subcommands (init, check, update, accept, db) share:
 * loading the configuration and the baseline with errors reported once,
 * running a scan with progress and problem reporting, and printing.
 * Each helper logs its own error and returns an exit code (cli.h).
 */

#include "baseline.h"
#include "change.h"
#include "conf.h"
#include "rootfs.h"
#include "scan.h"

struct cli_opts {
	const char *config;	/* --config */
	const char *db;		/* --db (else the configured database) */
	const char *root;	/* --root */
	const char *pubkey;	/* --pubkey (else the configured one) */
	const char *key;	/* --key (db sign) */
	unsigned threads;	/* --threads, UINT_MAX = from the configuration */
	bool json;
	bool quiet;
	bool force;
	char **args;		/* remaining arguments */
	int n_args;
};

/* Parse the options listed in `accepted` (a string of option letters:
 * c=config d=db r=root p=pubkey k=key t=threads j=json q=quiet f=force),
 * long or short, up to the first non-option; -h/--help prints help_text.
 * command ("init", "db") names the subcommand in errors.  Returns -1 to
 * go on, or an exit code. */
int cli_parse(int argc, char **argv, const char *command, const char *accepted, const char *help_text,
	      struct cli_opts *ret);

/* The PATH arguments as absolute image paths, lexically normalised (see
 * path_absolute()): relative to the current directory, or, with --root,
 * required to be absolute.  *ret: a NULL-terminated array of o->n_args
 * strings, freed with cli_free_paths(). */
int cli_path_args(const struct cli_opts *o, char ***ret);
void cli_free_paths(char **v);

int cli_load_conf(const struct cli_opts *o, struct vigil_conf *ret);
/* The database path: --db or the configuration's. */
const char *cli_db_path(const struct cli_opts *o, const struct vigil_conf *conf);
/* Open (and, if a public key is given or configured, verify) the baseline. */
int cli_open_baseline(const struct cli_opts *o, const struct vigil_conf *conf, struct baseline **ret);
int cli_open_root(const struct cli_opts *o, struct rootfs *ret);

/* Scan sel below root with progress on a tty and problems as warnings. */
int cli_scan(const struct cli_opts *o, const struct vigil_conf *conf, const struct rootfs *root,
	     const struct selection *sel, char *const *limit, size_t n_limit, struct scan_result *ret);

/* The baseline's records as views, for change_diff(); free() the array. */
int cli_baseline_records(const struct baseline *b, struct vrecord **ret);

/* Fill meta for a new baseline of sel. */
int cli_meta(const struct selection *sel, uint32_t flags, struct baseline_meta *ret);

/* Counts per action, for summaries. */
struct change_counts {
	uint64_t total;
	uint64_t by_action[6];
};

/* Print one change (text or JSON line) to stdout and count it. */
int cli_print_change(const struct change *c, void *userdata);

struct cli_print_ctx {
	bool json;
	bool quiet;
	struct change_counts counts;
};

/* The final summary: text to stdout, or a {"type":"summary"} JSON line. */
void cli_print_summary(const struct cli_print_ctx *p, const char *what, const struct scan_stats *st,
		       const char *db);

/* Write the new baseline, keeping the previous one as DB.prev. */
int cli_replace_baseline(const char *db, const struct baseline_meta *meta, const struct selection *sel,
			 const struct vrecord *recs, size_t n);
