/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "change.h"
#include "cli.h"
#include "common.h"
#include "log.h"
#include "escape.h"
#include "json.h"
#include "strbuf.h"

static const struct option all_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "db", required_argument, NULL, 'd' },
	{ "root", required_argument, NULL, 'r' },
	{ "pubkey", required_argument, NULL, 'p' },
	{ "key", required_argument, NULL, 'k' },
	{ "threads", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

/* The option letter a long option argument ("--json", "--js=x": getopt
 * takes unambiguous abbreviations) stands for, or 0. */
static int long_option_val(const char *arg)
{
	size_t l = strcspn(arg + 2, "=");

	for (size_t i = 0; all_options[i].name; i++)
		if (l > 0 && strncmp(all_options[i].name, arg + 2, l) == 0)
			return all_options[i].val;
	return 0;
}

/* The option getopt_long() just stopped at, as the user typed it. */
static void format_bad_option(char **argv, char *buf, size_t n)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;

	/* A long option is the whole argument; a short one may sit in a
	 * bundle ("-qx"), so name only its letter.  Inside a bundle getopt
	 * has not moved past it, so argv[optind - 1] is the argument before
	 * ("--json -xq"): it is the culprit only if it is an unknown long
	 * option (optopt 0) or the long form of optopt. */
	if (arg && strncmp(arg, "--", 2) == 0 && (optopt == 0 || long_option_val(arg) == optopt))
		snprintf(buf, n, "%s", arg);
	else
		snprintf(buf, n, "-%c", optopt);
}

int cli_parse(int argc, char **argv, const char *command, const char *accepted, const char *help_text,
	      struct cli_opts *ret)
{
	struct option opts[ELEMENTSOF(all_options)];
	/* "+:", then each letter with ':' if it takes an argument. */
	char shortopts[2 + 2 * ELEMENTSOF(all_options) + 1], bad[64];
	struct cli_opts o = { .threads = UINT_MAX };
	size_t n = 0, s = 0;
	int c;

	/* Only the options this subcommand takes, so getopt rejects the rest;
	 * the short forms come from the same table, so --help cannot list a
	 * letter that getopt does not know.  "+": options end at the first
	 * PATH (POSIX order), so a PATH after it is never taken for an option;
	 * ":" and opterr = 0: errors are reported here, in vigil's format. */
	shortopts[s++] = '+';
	shortopts[s++] = ':';
	for (size_t i = 0; all_options[i].name; i++)
		if (all_options[i].val == 'h' || strchr(accepted, all_options[i].val)) {
			opts[n++] = all_options[i];
			shortopts[s++] = (char)all_options[i].val;
			if (all_options[i].has_arg == required_argument)
				shortopts[s++] = ':';
		}
	opts[n] = (struct option){ 0 };
	shortopts[s] = '\0';

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) >= 0) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'd': o.db = optarg; break;
		case 'r': o.root = optarg; break;
		case 'p': o.pubkey = optarg; break;
		case 'k': o.key = optarg; break;
		case 't':
			if (parse_uint(optarg, 256, &o.threads) < 0) {
				log_error("--threads: expected 0 to 256, got '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j': o.json = true; break;
		case 'q': o.quiet = true; break;
		case 'f': o.force = true; break;
		case 'h':
			fputs(help_text, stdout);
			return EXIT_CLEAN;
		case ':':
			format_bad_option(argv, bad, sizeof(bad));
			log_error("option '%s' needs an argument; see 'vigil %s --help'", bad, command);
			return EXIT_USAGE;
		default:
			format_bad_option(argv, bad, sizeof(bad));
			/* glibc: optopt is the option's letter for "--json=x",
			 * 0 for an unknown long option. */
			if (strncmp(bad, "--", 2) == 0 && optopt)
				log_error("option '%s' takes no argument; see 'vigil %s --help'", bad, command);
			else
				log_error("unknown option '%s'; see 'vigil %s --help'", bad, command);
			return EXIT_USAGE;
		}
	}
	o.args = argv + optind;
	o.n_args = argc - optind;
	*ret = o;
	return -1;
}

void cli_free_paths(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int cli_path_args(const struct cli_opts *o, char ***ret)
{
	_cleanup_free_ char *cwd = NULL;
	char **v;
	int r, ec = EXIT_USAGE;

	v = calloc((size_t)o->n_args + 1, sizeof(char *));
	if (!v)
		return log_error_errno(-ENOMEM, "out of memory"), EXIT_RUNTIME;
	for (int i = 0; i < o->n_args; i++) {
		const char *a = o->args[i];

		if (isempty(a)) {
			log_error("an empty PATH; use '.' for the current directory");
			goto fail;
		}
		/* Image paths have no current directory to be relative to:
		 * vigil's own would silently name another file. */
		if (a[0] != '/' && o->root) {
			log_error("%s: with --root, PATHs are paths inside the image and must be absolute "
				  "(for example /usr/bin)", a);
			goto fail;
		}
		if (a[0] != '/' && !cwd && !(cwd = getcwd(NULL, 0))) {
			log_error_errno(negative_errno(), "%s: cannot resolve a relative PATH: current directory: %m", a);
			ec = EXIT_RUNTIME;
			goto fail;
		}
		r = path_absolute(a, cwd, &v[i]);
		if (r == -ENOMEM) {
			log_error_errno(r, "out of memory");
			ec = EXIT_RUNTIME;
			goto fail;
		}
		if (r == -ENAMETOOLONG) {
			log_error("%s: path too long", a);
			goto fail;
		}
		if (r < 0) {
			log_error("%s: '..' after a name is not accepted (the name could be a symlink); "
				  "write the path without it", a);
			goto fail;
		}
	}
	*ret = v;
	return EXIT_CLEAN;
fail:
	cli_free_paths(v);
	return ec;
}

int cli_load_conf(const struct cli_opts *o, struct vigil_conf *ret)
{
	struct diag d = { "" };
	int r;

	r = conf_load(o->config, ret, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		/* Missing, unreadable, unsafe or malformed: all mean vigil does
		 * not know what to do, which is a configuration error. */
		return r == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

const char *cli_db_path(const struct cli_opts *o, const struct vigil_conf *conf)
{
	return o->db ? o->db : conf->database;
}

int cli_open_baseline(const struct cli_opts *o, const struct vigil_conf *conf, struct baseline **ret)
{
	const char *pubkey = o->pubkey ? o->pubkey : conf->pubkey;
	struct baseline *b = NULL;
	struct diag d = { "" };
	int r;

	r = baseline_open(cli_db_path(o, conf), &b, &d);
	if (r == -ENOENT) {
		log_error("%s: no baseline; create one with 'vigil init'", cli_db_path(o, conf));
		return EXIT_RUNTIME;
	}
	if (r < 0) {
		log_error("%s", d.msg);
		return EXIT_RUNTIME;
	}
	if (pubkey) {
		r = baseline_verify_signature(b, pubkey, &d);
		if (r < 0) {
			log_error("%s", d.msg);
			baseline_close(b);
			return r == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
		}
	}
	*ret = b;
	return EXIT_CLEAN;
}

int cli_open_root(const struct cli_opts *o, struct rootfs *ret)
{
	int r;

	r = rootfs_open(ret, o->root);
	if (r < 0) {
		log_error_errno(r, "--root %s: %m", o->root ? o->root : "/");
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}

/* Problems beyond this many are counted, not printed one by one. */
#define MAX_PROBLEMS_SHOWN 20

struct scan_ui {
	bool tty;
	bool drawn;
	uint64_t start;
	uint64_t problems;
};

static void format_bytes(uint64_t b, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)b;
	unsigned u = 0;

	while (v >= 1000.0 && u + 1 < ELEMENTSOF(unit)) {
		v /= 1000.0;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void on_progress(void *userdata, const struct scan_progress *p)
{
	struct scan_ui *ui = userdata;
	char done[32], total[32], rate[32], eta[32] = "";
	double secs = (double)(now_monotonic_usec() - ui->start) / 1e6;

	if (!ui->tty)
		return;
	format_bytes(p->bytes_hashed, done, sizeof(done));
	format_bytes(p->bytes_total, total, sizeof(total));
	format_bytes(secs > 0 ? (uint64_t)((double)p->bytes_hashed / secs) : 0, rate, sizeof(rate));
	if (p->walk_done && p->bytes_hashed > 0 && secs > 0.5 && p->bytes_total >= p->bytes_hashed)
		snprintf(eta, sizeof(eta), "  ETA %.0fs",
			 (double)(p->bytes_total - p->bytes_hashed) * secs / (double)p->bytes_hashed);
	fprintf(stderr, "\r\033[K%" PRIu64 " files  %s / %s%s  %s/s%s", p->files, done, total,
		p->walk_done ? "" : "+", rate, eta);
	ui->drawn = true;
}

static void on_problem(void *userdata, const char *path, int err, const char *what)
{
	struct scan_ui *ui = userdata;
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (++ui->problems > MAX_PROBLEMS_SHOWN)
		return;
	if (ui->drawn) {
		fputs("\r\033[K", stderr);
		ui->drawn = false;
	}
	escape_untrusted(&sb, path, strlen(path));
	if (err)
		log_warning_errno(err, "%s: %s: %m", strbuf_str(&sb), what);
	else
		log_warning("%s: %s", strbuf_str(&sb), what);
}

int cli_scan(const struct cli_opts *o, const struct vigil_conf *conf, const struct rootfs *root,
	     const struct selection *sel, char *const *limit, size_t n_limit, struct scan_result *ret)
{
	struct scan_ui ui = {
		.tty = !o->quiet && isatty(STDERR_FILENO),
		.start = now_monotonic_usec(),
	};
	struct scan_options so = {
		.root = root,
		.threads = o->threads != UINT_MAX ? o->threads : conf->threads,
		.limit = limit,
		.n_limit = n_limit,
		.progress = on_progress,
		.problem = on_problem,
		.userdata = &ui,
	};
	struct diag d = { "" };
	int r;

	r = scan_run(sel, &so, ret, &d);
	if (ui.drawn)
		fputs("\r\033[K", stderr);
	if (ui.problems > MAX_PROBLEMS_SHOWN)
		log_warning("%" PRIu64 " more problems not shown", ui.problems - MAX_PROBLEMS_SHOWN);
	if (r < 0) {
		if (diag_empty(&d))
			log_error_errno(r, "scan failed: %m");
		else
			log_error("%s", d.msg);
		return r == -ENOENT && limit ? EXIT_USAGE : EXIT_RUNTIME;
	}
	return EXIT_CLEAN;
}

int cli_baseline_records(const struct baseline *b, struct vrecord **ret)
{
	size_t n = baseline_count(b);
	struct vrecord *v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return log_error_errno(-ENOMEM, "out of memory"), EXIT_RUNTIME;
	for (size_t i = 0; i < n; i++)
		baseline_record(b, i, &v[i]);
	*ret = v;
	return EXIT_CLEAN;
}

int cli_meta(const struct selection *sel, uint32_t flags, struct baseline_meta *ret)
{
	struct baseline_meta m = { .created_usec = now_realtime_usec(), .flags = flags };

	if (gethostname(m.hostname, sizeof(m.hostname) - 1) < 0)
		snprintf(m.hostname, sizeof(m.hostname), "unknown");
	if (selection_hash(sel, m.selection_hash) < 0)
		return log_error_errno(-ENOMEM, "out of memory"), EXIT_RUNTIME;
	*ret = m;
	return EXIT_CLEAN;
}

int cli_print_change(const struct change *c, void *userdata)
{
	struct cli_print_ctx *p = userdata;
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	p->counts.total++;
	if ((unsigned)c->action < ELEMENTSOF(p->counts.by_action))
		p->counts.by_action[c->action]++;
	if (p->quiet && !p->json)
		return 0;
	if (p->json) {
		change_to_json(c, &sb);
		strbuf_putc(&sb, '\n');
	} else
		change_to_text(c, &sb);
	if (strbuf_error(&sb) < 0)
		return -ENOMEM;
	fwrite(sb.buf, 1, sb.len, stdout);
	return 0;
}

void cli_print_summary(const struct cli_print_ctx *p, const char *what, const struct scan_stats *st,
		       const char *db)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	char bytes[32];

	if (p->json) {
		struct json j;

		json_begin(&j, &sb);
		json_str(&j, "type", "summary");
		json_str(&j, "command", what);
		json_str(&j, "database", db);
		json_uint(&j, "changes", p->counts.total);
		for (unsigned a = 0; a < _CHANGE_ACTION_MAX; a++)
			json_uint(&j, change_action_name(a), p->counts.by_action[a]);
		json_uint(&j, "files_scanned", st->files);
		json_uint(&j, "bytes_hashed", st->bytes_hashed);
		json_uint(&j, "problems", st->problems);
		json_uint(&j, "duration_ms", st->usec / 1000);
		json_end(&j);
		strbuf_putc(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, stdout);
		return;
	}
	if (p->quiet)
		return;
	format_bytes(st->bytes_hashed, bytes, sizeof(bytes));
	printf("%s: %" PRIu64 " change%s", what, p->counts.total, p->counts.total == 1 ? "" : "s");
	if (p->counts.total) {
		const char *sep = " (";

		for (unsigned a = 0; a < _CHANGE_ACTION_MAX; a++)
			if (p->counts.by_action[a]) {
				printf("%s%" PRIu64 " %s", sep, p->counts.by_action[a], change_action_name(a));
				sep = ", ";
			}
		printf(")");
	}
	printf("; %" PRIu64 " files scanned, %s hashed in %.2f s", st->files, bytes, (double)st->usec / 1e6);
	if (st->problems)
		printf("; %" PRIu64 " problem%s (see warnings)", st->problems, st->problems == 1 ? "" : "s");
	printf("\n");
}

int cli_replace_baseline(const char *db, const struct baseline_meta *meta, const struct selection *sel,
			 const struct vrecord *recs, size_t n)
{
	_cleanup_free_ char *prev = NULL, *prev_tmp = NULL;
	struct diag d = { "" };
	int r;

	if (asprintf(&prev, "%s.prev", db) < 0 || asprintf(&prev_tmp, "%s.prev.tmp", db) < 0)
		return log_error_errno(-ENOMEM, "out of memory"), EXIT_RUNTIME;
	/* Keep the old baseline as DB.prev without a moment in which DB is
	 * missing: hard-link it aside, then atomically replace DB. */
	(void)unlink(prev_tmp);
	if (link(db, prev_tmp) < 0)
		return log_error_errno(negative_errno(), "%s: cannot keep previous baseline: %m", db), EXIT_RUNTIME;
	if (rename(prev_tmp, prev) < 0) {
		r = negative_errno();
		(void)unlink(prev_tmp);
		return log_error_errno(r, "%s: %m", prev), EXIT_RUNTIME;
	}
	r = baseline_write(db, meta, sel, recs, n, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		return EXIT_RUNTIME;
	}
	return EXIT_CLEAN;
}
