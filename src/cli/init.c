/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <libgen.h>
#include <sys/stat.h>

#include "cli.h"
#include "common.h"
#include "log.h"

static const char help[] =
	"Usage: vigil init [OPTIONS] [PATH...]\n\n"
	"Create the baseline from the current state of the watched paths.\n"
	"PATHs replace the configured selection for this baseline (default\n"
	"attributes, recursive); the baseline remembers them for 'vigil check'.\n"
	"A relative PATH is taken from the current directory ('..' only before\n"
	"its first name); with --root, PATHs are absolute paths in the image.\n\n"
	"  -c, --config FILE   configuration (default " VIGIL_CONFDIR "/vigil.conf)\n"
	"  -d, --db FILE       baseline to write (default: from the configuration)\n"
	"  -r, --root DIR      scan the image mounted at DIR; paths are stored as\n"
	"                      the image sees them\n"
	"  -t, --threads N     hashing threads (0 = one per CPU)\n"
	"  -f, --force         replace an existing baseline\n"
	"  -j, --json          print a JSON summary line\n"
	"  -q, --quiet         no progress or summary\n"
	"  -h, --help          this help\n";

/* Build the selection from command-line paths (cli_path_args(), so
 * already absolute and normalised; default attributes). */
static int selection_from_args(char *const *paths, bool one_filesystem, struct selection *ret)
{
	struct selection sel = { .one_filesystem = one_filesystem };

	for (size_t i = 0; paths[i]; i++) {
		int r = selection_add(&sel, paths[i], ATTR_DEFAULT, true);

		if (r < 0) {
			selection_free(&sel);
			if (r == -ENOMEM)
				return log_error_errno(r, "out of memory"), EXIT_RUNTIME;
			log_error("%s: path too long", paths[i]);
			return EXIT_USAGE;
		}
	}
	selection_finish(&sel);
	*ret = sel;
	return EXIT_CLEAN;
}

/* A path typed on the command line that does not exist is a mistake (a
 * configured one may legitimately be absent, e.g. /usr/lib32). */
static int check_args_exist(char *const *paths, const struct rootfs *root)
{
	struct stat st;

	for (size_t i = 0; paths[i]; i++) {
		int r = rootfs_stat(root, paths[i], false, &st);

		if (r < 0) {
			log_error_errno(r, "%s%s: %m", root->live ? "" : root->dir, paths[i]);
			return EXIT_USAGE;
		}
	}
	return EXIT_CLEAN;
}

/* Create the database directory (0700) if it is missing. */
static int ensure_parent_dir(const char *db)
{
	_cleanup_free_ char *copy = strdup(db);
	const char *dir;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return negative_errno();
	return 0;
}

int cmd_init(int argc, char **argv)
{
	_cleanup_(conf_free) struct vigil_conf conf = { 0 };
	struct scan_result res = { 0 };
	struct selection cmdline = { 0 };
	const struct selection *sel;
	struct rootfs root = { .fd = -EBADF };
	struct baseline_meta meta;
	struct cli_print_ctx pc = { 0 };
	struct diag d = { "" };
	struct cli_opts o;
	struct stat st;
	char **paths = NULL;
	const char *db;
	int r, ec;

	ec = cli_parse(argc, argv, "init", "cdrtfjq", help, &o);
	if (ec >= 0)
		return ec;
	ec = cli_load_conf(&o, &conf);
	if (ec != EXIT_CLEAN)
		return ec;
	if (o.n_args > 0) {
		ec = cli_path_args(&o, &paths);
		if (ec != EXIT_CLEAN)
			return ec;
		ec = selection_from_args(paths, conf.sel.one_filesystem, &cmdline);
		if (ec != EXIT_CLEAN)
			goto out;
		sel = &cmdline;
	} else
		sel = &conf.sel;
	if (sel->n_rules == 0) {
		log_error("%s: nothing to watch: no [watch] section and no PATH given", conf.source);
		ec = EXIT_USAGE;
		goto out;
	}
	db = cli_db_path(&o, &conf);
	if (!o.force && stat(db, &st) == 0) {
		log_error("%s: a baseline exists already; use 'vigil update', or --force to replace it", db);
		ec = EXIT_USAGE;
		goto out;
	}
	r = ensure_parent_dir(db);
	if (r < 0) {
		log_error_errno(r, "%s: cannot create its directory: %m", db);
		ec = EXIT_RUNTIME;
		goto out;
	}
	ec = cli_open_root(&o, &root);
	if (ec != EXIT_CLEAN)
		goto out;
	if (paths) {
		ec = check_args_exist(paths, &root);
		if (ec != EXIT_CLEAN)
			goto out;
	}
	ec = cli_scan(&o, &conf, &root, sel, NULL, 0, &res);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_meta(sel, o.n_args > 0 ? BASELINE_FLAG_CMDLINE : 0, &meta);
	if (ec != EXIT_CLEAN)
		goto out;
	r = baseline_write(db, &meta, sel, res.recs, res.n, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		ec = EXIT_RUNTIME;
		goto out;
	}
	pc.json = o.json;
	pc.quiet = o.quiet;
	if (!o.json && !o.quiet)
		printf("baseline of %zu entries written to %s\n", res.n, db);
	cli_print_summary(&pc, "init", &res.stats, db);
out:
	scan_result_free(&res);
	selection_free(&cmdline);
	cli_free_paths(paths);
	if (root.fd >= 0)
		rootfs_close(&root);
	return ec;
}
