/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "change.h"
#include "cli.h"
#include "common.h"
#include "log.h"

static const char help[] =
	"Usage: vigil check [OPTIONS]\n\n"
	"Compare the current state with the baseline and report every change.\n"
	"The baseline's own selection is scanned (what 'vigil init' recorded).\n\n"
	"  -c, --config FILE   configuration (default " VIGIL_CONFDIR "/vigil.conf)\n"
	"  -d, --db FILE       baseline (default: from the configuration)\n"
	"  -r, --root DIR      check the image mounted at DIR\n"
	"  -p, --pubkey FILE   require a baseline signed with this Ed25519 key\n"
	"  -t, --threads N     hashing threads (0 = one per CPU)\n"
	"  -j, --json          one JSON object per line (changes, then a summary)\n"
	"  -q, --quiet         print nothing, only the exit status\n"
	"  -h, --help          this help\n\n"
	"Exit status: 0 no changes, 1 changes found, 2 usage or configuration\n"
	"error, 3 runtime error (I/O, corrupt or unverifiable baseline).\n";

/* Warn when vigil.conf no longer describes what the baseline covers. */
static void warn_if_config_changed(const struct baseline *b, const struct vigil_conf *conf)
{
	const struct baseline_meta *m = baseline_get_meta(b);
	uint8_t h[32];

	if (m->flags & BASELINE_FLAG_CMDLINE)
		return;
	if (selection_hash(&conf->sel, h) == 0 && memcmp(h, m->selection_hash, sizeof(h)) != 0)
		log_warning("%s: the selection in %s changed since this baseline was made; checking the "
			    "baseline's selection (run 'vigil update' to adopt the new one)",
			    baseline_path(b), conf->source);
}

int cmd_check(int argc, char **argv)
{
	_cleanup_(conf_free) struct vigil_conf conf = { 0 };
	struct rootfs root = { .fd = -EBADF };
	struct baseline *b = NULL;
	struct selection sel = { 0 };
	struct scan_result res = { 0 };
	struct cli_print_ctx pc = { 0 };
	struct baseline_iter it = { 0 };
	struct record_iter old = { baseline_iter_next, &it };
	struct diag d = { "" };
	struct cli_opts o;
	int r, ec;

	ec = cli_parse(argc, argv, "check", "cdrptjq", help, &o);
	if (ec >= 0)
		return ec;
	if (o.n_args > 0) {
		log_error("check takes no paths (it checks the baseline's selection); see 'vigil check --help'");
		return EXIT_USAGE;
	}
	ec = cli_load_conf(&o, &conf);
	if (ec != EXIT_CLEAN)
		return ec;
	ec = cli_open_baseline(&o, &conf, &b);
	if (ec != EXIT_CLEAN)
		return ec;
	r = baseline_selection(b, &sel, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		ec = EXIT_RUNTIME;
		goto out;
	}
	if (!o.quiet)
		warn_if_config_changed(b, &conf);
	ec = cli_open_root(&o, &root);
	if (ec != EXIT_CLEAN)
		goto out;
	ec = cli_scan(&o, &conf, &root, &sel, NULL, 0, &res);
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
	cli_print_summary(&pc, "check", &res.stats, baseline_path(b));
	ec = pc.counts.total > 0 ? EXIT_DEVIATIONS : EXIT_CLEAN;
out:
	scan_result_free(&res);
	selection_free(&sel);
	baseline_close(b);
	if (root.fd >= 0)
		rootfs_close(&root);
	return ec;
}
