/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "change.h"
#include "cli.h"
#include "common.h"
#include "log.h"

static const char help[] =
	"Usage: vigil update [OPTIONS]\n\n"
	"Replace the baseline with the current state, printing every change it\n"
	"accepts.  The previous baseline is kept as DB.prev.  A baseline made from\n"
	"vigil.conf takes the configuration's current selection; one made from\n"
	"command-line paths keeps its paths.\n\n"
	"  -c, --config FILE   configuration (default " VIGIL_CONFDIR "/vigil.conf)\n"
	"  -d, --db FILE       baseline (default: from the configuration)\n"
	"  -r, --root DIR      scan the image mounted at DIR\n"
	"  -p, --pubkey FILE   require the current baseline to be signed with this key\n"
	"  -t, --threads N     hashing threads (0 = one per CPU)\n"
	"  -j, --json          accepted changes and the summary as JSON lines\n"
	"  -q, --quiet         print nothing\n"
	"  -h, --help          this help\n";

int cmd_update(int argc, char **argv)
{
	_cleanup_(conf_free) struct vigil_conf conf = { 0 };
	struct rootfs root = { .fd = -EBADF };
	struct baseline *b = NULL;
	struct selection stored = { 0 };
	const struct selection *sel;
	struct scan_result res = { 0 };
	struct cli_print_ctx pc = { 0 };
	struct baseline_iter it = { 0 };
	struct record_iter old = { baseline_iter_next, &it };
	struct baseline_meta meta;
	struct diag d = { "" };
	struct cli_opts o;
	uint32_t flags;
	int r, ec;

	ec = cli_parse(argc, argv, "update", "cdrptjq", help, &o);
	if (ec >= 0)
		return ec;
	if (o.n_args > 0) {
		log_error("update takes no paths; use 'vigil accept PATH...' for some paths");
		return EXIT_USAGE;
	}
	ec = cli_load_conf(&o, &conf);
	if (ec != EXIT_CLEAN)
		return ec;
	ec = cli_open_baseline(&o, &conf, &b);
	if (ec != EXIT_CLEAN)
		return ec;
	flags = baseline_get_meta(b)->flags;
	if (flags & BASELINE_FLAG_CMDLINE) {
		r = baseline_selection(b, &stored, &d);
		if (r < 0) {
			log_error("%s", d.msg);
			ec = EXIT_RUNTIME;
			goto out;
		}
		sel = &stored;
	} else
		sel = &conf.sel;
	ec = cli_open_root(&o, &root);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_scan(&o, &conf, &root, sel, NULL, 0, &res);
	if (ec != EXIT_CLEAN)
		goto out;
	pc.json = o.json;
	pc.quiet = o.quiet;
	it.b = b;
	r = change_diff_iter(&old, res.recs, res.n, cli_print_change, &pc);
	if (r < 0) {
		log_error_errno(r, "comparison failed: %m");
		ec = EXIT_RUNTIME;
		goto out;
	}
	ec = cli_meta(sel, flags, &meta);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_replace_baseline(baseline_path(b), &meta, sel, res.recs, res.n);
	if (ec != EXIT_CLEAN)
		goto out;
	cli_print_summary(&pc, "update", &res.stats, baseline_path(b));
	if (conf.pubkey || o.pubkey)
		log_warning("%s: the new baseline is unsigned; sign it with 'vigil db sign --key KEY'",
			    baseline_path(b));
out:
	scan_result_free(&res);
	selection_free(&stored);
	baseline_close(b);
	if (root.fd >= 0)
		rootfs_close(&root);
	return ec;
}
