/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "change.h"
#include "cli.h"
#include "common.h"
#include "log.h"

static const char help[] =
	"Usage: vigil accept [OPTIONS] PATH...\n\n"
	"Accept the current state of just these paths (and, for directories,\n"
	"everything below them) into the baseline, printing what changes.  The\n"
	"baseline is replaced atomically; the previous one is kept as DB.prev.\n"
	"A relative PATH is taken from the current directory ('..' only before\n"
	"its first name); with --root, PATHs are absolute paths in the image.\n\n"
	"  -c, --config FILE   configuration (default " VIGIL_CONFDIR "/vigil.conf)\n"
	"  -d, --db FILE       baseline (default: from the configuration)\n"
	"  -r, --root DIR      the image mounted at DIR\n"
	"  -p, --pubkey FILE   require the current baseline to be signed with this key\n"
	"  -j, --json          accepted changes and the summary as JSON lines\n"
	"  -q, --quiet         print nothing\n"
	"  -h, --help          this help\n";

static bool under_any(const char *path, char *const *limits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(limits[i]);

		if (streq(limits[i], "/") ||
		    (strncmp(path, limits[i], l) == 0 && (path[l] == '\0' || path[l] == '/')))
			return true;
	}
	return false;
}

/* Split the baseline into records kept as they are and records replaced. */
static int partition(const struct vrecord *old, size_t n_old, char *const *limits, size_t n_limits,
		     struct vrecord **ret_kept, size_t *ret_n_kept, struct vrecord **ret_replaced, size_t *ret_n_replaced)
{
	_cleanup_free_ struct vrecord *kept = malloc((n_old ? n_old : 1) * sizeof(*kept));
	_cleanup_free_ struct vrecord *repl = malloc((n_old ? n_old : 1) * sizeof(*repl));
	size_t nk = 0, nr = 0;

	if (!kept || !repl)
		return -ENOMEM;
	for (size_t i = 0; i < n_old; i++) {
		if (under_any(old[i].path, limits, n_limits))
			repl[nr++] = old[i];
		else
			kept[nk++] = old[i];
	}
	*ret_kept = TAKE_PTR(kept);
	*ret_n_kept = nk;
	*ret_replaced = TAKE_PTR(repl);
	*ret_n_replaced = nr;
	return 0;
}

/* Merge two path-sorted arrays with disjoint paths (views, not copies). */
static struct vrecord *merge(const struct vrecord *a, size_t na, const struct vrecord *b, size_t nb)
{
	struct vrecord *m = malloc((na + nb ? na + nb : 1) * sizeof(*m));
	size_t i = 0, k = 0, n = 0;

	if (!m)
		return NULL;
	while (i < na || k < nb)
		m[n++] = (k == nb || (i < na && path_compare(a[i].path, b[k].path) < 0)) ? a[i++] : b[k++];
	return m;
}

int cmd_accept(int argc, char **argv)
{
	_cleanup_(conf_free) struct vigil_conf conf = { 0 };
	_cleanup_free_ struct vrecord *old = NULL, *kept = NULL, *replaced = NULL, *merged = NULL;
	char **limits = NULL;
	struct rootfs root = { .fd = -EBADF };
	struct baseline *b = NULL;
	struct selection sel = { 0 };
	struct scan_result res = { 0 };
	struct cli_print_ctx pc = { 0 };
	struct baseline_meta meta;
	size_t n_kept = 0, n_replaced = 0;
	struct diag d = { "" };
	struct cli_opts o;
	int r, ec;

	ec = cli_parse(argc, argv, "accept", "cdrpjq", help, &o);
	if (ec >= 0)
		return ec;
	if (o.n_args == 0) {
		log_error("accept needs at least one PATH; see 'vigil accept --help'");
		return EXIT_USAGE;
	}
	ec = cli_path_args(&o, &limits);
	if (ec != EXIT_CLEAN)
		return ec;
	ec = cli_load_conf(&o, &conf);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_open_baseline(&o, &conf, &b);
	if (ec != EXIT_CLEAN)
		goto out;
	r = baseline_selection(b, &sel, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		ec = EXIT_RUNTIME;
		goto out;
	}
	ec = cli_open_root(&o, &root);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_scan(&o, &conf, &root, &sel, limits, (size_t)o.n_args, &res);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_baseline_records(b, &old);
	if (ec != EXIT_CLEAN)
		goto out;
	r = partition(old, baseline_count(b), limits, (size_t)o.n_args, &kept, &n_kept, &replaced, &n_replaced);
	if (r < 0 || !(merged = merge(kept, n_kept, res.recs, res.n))) {
		log_error_errno(-ENOMEM, "out of memory");
		ec = EXIT_RUNTIME;
		goto out;
	}
	pc.json = o.json;
	pc.quiet = o.quiet;
	r = change_diff(replaced, n_replaced, res.recs, res.n, cli_print_change, &pc);
	if (r < 0) {
		log_error_errno(r, "comparison failed: %m");
		ec = EXIT_RUNTIME;
		goto out;
	}
	ec = cli_meta(&sel, baseline_get_meta(b)->flags, &meta);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_replace_baseline(baseline_path(b), &meta, &sel, merged, n_kept + res.n);
	if (ec != EXIT_CLEAN)
		goto out;
	cli_print_summary(&pc, "accept", &res.stats, baseline_path(b));
out:
	cli_free_paths(limits);
	scan_result_free(&res);
	selection_free(&sel);
	baseline_close(b);
	if (root.fd >= 0)
		rootfs_close(&root);
	return ec;
}
