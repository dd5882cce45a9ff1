/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigil audit: load the hardening checks, evaluate them against the host
 * or an image root, and report as grouped text or JSON lines.
 */
#include <getopt.h>

#include "audit/engine.h"
#include "audit/rules.h"
#include "cli.h"
#include "escape.h"
#include "json.h"
#include "log.h"

#define AUDIT_MAX_DIRS 16
#define AUDIT_MAX_SELECT 64

struct audit_opts {
	const char *root;
	bool json;
	char *dirs[AUDIT_MAX_DIRS];
	size_t n_dirs;
	const char *ids[AUDIT_MAX_SELECT];
	size_t n_ids;
	const char *categories[AUDIT_MAX_SELECT];
	size_t n_categories;
	enum severity min_severity;
};

struct outcome {
	const struct check *check;
	size_t index;		/* position in the rule files, for a stable sort */
	struct probe_result res;
};

static void help(FILE *f)
{
	fprintf(f,
		"Usage: vigil audit [OPTIONS]\n\n"
		"Audit the hardening settings of this host, or of an image with --root.\n\n"
		"  --root DIR          audit the system below DIR (nothing is read from the host)\n"
		"  --json              one JSON object per check, then a summary\n"
		"  --check ID          only this check (repeatable)\n"
		"  --category NAME     only checks of this category (repeatable)\n"
		"  --severity MIN      only checks of severity MIN or higher (low, medium, high, critical)\n"
		"  --checks-dir DIR    read the checks from DIR instead of the default directories\n"
		"                      (repeatable, in order; later directories override earlier ones)\n\n"
		"Exit status: 0 all checks pass, 1 a check failed, 2 usage or rule file error,\n"
		"3 a check could not be evaluated (and none failed).  See vigil-checks(5).\n");
}

static int parse_args(int argc, char **argv, struct audit_opts *o)
{
	enum { OPT_ROOT = 0x100, OPT_JSON, OPT_CHECK, OPT_CATEGORY, OPT_SEVERITY, OPT_CHECKS_DIR };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "checks-dir", required_argument, NULL, OPT_CHECKS_DIR },
		{},
	};
	int c;

	optind = 0;
	opterr = 0;	/* report in vigil's own format below */
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) >= 0)
		switch (c) {
		case 'h':
			help(stdout);
			return 0;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_CHECK:
			if (o->n_ids >= AUDIT_MAX_SELECT)
				return log_error_errno(-EINVAL, "too many --check options");
			o->ids[o->n_ids++] = optarg;
			break;
		case OPT_CATEGORY:
			if (o->n_categories >= AUDIT_MAX_SELECT)
				return log_error_errno(-EINVAL, "too many --category options");
			o->categories[o->n_categories++] = optarg;
			break;
		case OPT_SEVERITY:
			if (severity_from_name(optarg, &o->min_severity) < 0)
				return log_error_errno(-EINVAL, "--severity: '%s' is not low, medium, high or critical",
						       optarg);
			break;
		case OPT_CHECKS_DIR:
			if (o->n_dirs >= AUDIT_MAX_DIRS)
				return log_error_errno(-EINVAL, "too many --checks-dir options");
			o->dirs[o->n_dirs++] = optarg;
			break;
		case ':':
			return log_error_errno(-EINVAL, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return log_error_errno(-EINVAL, "unknown option '%s'; see 'vigil audit --help'",
					       argv[optind - 1]);
		}
	if (optind < argc) {
		log_error("unexpected argument '%s'; see 'vigil audit --help'", argv[optind]);
		return -EINVAL;
	}
	return 1;
}

static bool selected(const struct audit_opts *o, const struct check *c)
{
	bool ok;

	if (!c->enabled || c->severity < o->min_severity)
		return false;
	ok = o->n_ids == 0;
	for (size_t i = 0; i < o->n_ids && !ok; i++)
		ok = streq(o->ids[i], c->id);
	if (!ok)
		return false;
	ok = o->n_categories == 0;
	for (size_t i = 0; i < o->n_categories && !ok; i++)
		ok = streq(o->categories[i], c->category);
	return ok;
}

/* What to show as the observed value: the probe's, or the reason why
 * there is none (not_applicable, error). */
static const char *shown_observed(const struct probe_result *r)
{
	if (r->verdict == VERDICT_NOT_APPLICABLE || r->verdict == VERDICT_ERROR)
		return r->reason ? r->reason : r->observed;
	return r->observed;
}

static void print_json(struct strbuf *sb, const struct outcome *out, size_t n, const unsigned *count, double score)
{
	struct json j;

	for (size_t i = 0; i < n; i++) {
		const struct check *c = out[i].check;

		strbuf_reset(sb);
		json_begin(&j, sb);
		json_str(&j, "type", "check");
		/* Rule-file text is written as written (a remediation is a
		 * command to paste); what the probe read from the examined
		 * system is escaped as every untrusted string is. */
		json_str_text(&j, "id", c->id);
		json_str_text(&j, "cis", c->cis);
		json_str_text(&j, "category", c->category);
		json_str_text(&j, "title", c->title);
		json_str(&j, "severity", severity_name(c->severity));
		json_str(&j, "result", verdict_name(out[i].res.verdict));
		json_str(&j, "observed", shown_observed(&out[i].res));
		json_str_text(&j, "expected", out[i].res.expected);
		json_str_text(&j, "remediation", c->remediation);
		json_end(&j);
		strbuf_putc(sb, '\n');
		fputs(strbuf_str(sb), stdout);
	}
	strbuf_reset(sb);
	json_begin(&j, sb);
	json_str(&j, "type", "summary");
	json_uint(&j, "checks", n);
	json_uint(&j, "pass", count[VERDICT_PASS]);
	json_uint(&j, "fail", count[VERDICT_FAIL]);
	json_uint(&j, "not_applicable", count[VERDICT_NOT_APPLICABLE]);
	json_uint(&j, "error", count[VERDICT_ERROR]);
	json_double(&j, "score", score);
	json_end(&j);
	strbuf_putc(sb, '\n');
	fputs(strbuf_str(sb), stdout);
}

static void put_escaped(struct strbuf *sb, const char *s)
{
	if (s)
		escape_untrusted(sb, s, strlen(s));
}

/* Rule-file text: as written unless it holds bytes that need escaping
 * (escape.h), so that backslashes in a remediation command survive. */
static void put_text(struct strbuf *sb, const char *s)
{
	if (s && escape_is_clean_text(s, strlen(s)))
		strbuf_puts(sb, s);
	else
		put_escaped(sb, s);
}

static int cmp_category(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;
	int r = strcmp(x->check->category, y->check->category);

	/* qsort is not stable: keep rule-file order within a category */
	return r ? r : (x->index < y->index ? -1 : x->index > y->index);
}

static void print_text(struct strbuf *sb, struct outcome *out, size_t n, const unsigned *count, double score,
		       bool color)
{
	static const char *const label[_VERDICT_MAX] = { "PASS", "FAIL", "N/A ", "ERR " };
	static const char *const col[_VERDICT_MAX] = { "\033[32m", "\033[1;31m", "\033[2m", "\033[35m" };
	const char *category = NULL;
	size_t applicable = count[VERDICT_PASS] + count[VERDICT_FAIL];

	qsort(out, n, sizeof(*out), cmp_category);
	for (size_t i = 0; i < n; i++) {
		const struct check *c = out[i].check;
		const struct probe_result *r = &out[i].res;

		strbuf_reset(sb);
		if (!category || !streq(category, c->category)) {
			category = c->category;
			strbuf_puts(sb, i ? "\n" : "");
			if (color)
				strbuf_puts(sb, "\033[1m");
			put_text(sb, category);
			if (color)
				strbuf_puts(sb, "\033[0m");
			strbuf_putc(sb, '\n');
		}
		strbuf_printf(sb, "  %s%s%s  ", color ? col[r->verdict] : "", label[r->verdict], color ? "\033[0m" : "");
		put_text(sb, c->id);
		strbuf_puts(sb, "  ");
		put_text(sb, c->title);
		if (c->cis) {
			strbuf_puts(sb, " [CIS ");
			put_text(sb, c->cis);
			strbuf_putc(sb, ']');
		}
		strbuf_putc(sb, '\n');
		if (r->verdict == VERDICT_FAIL) {
			strbuf_puts(sb, "        observed:    ");
			put_escaped(sb, r->observed ? r->observed : "-");
			strbuf_puts(sb, "\n        expected:    ");
			put_text(sb, r->expected ? r->expected : "-");
			strbuf_puts(sb, "\n        remediation: ");
			put_text(sb, c->remediation);
			strbuf_putc(sb, '\n');
		} else if (r->verdict != VERDICT_PASS && shown_observed(r)) {
			strbuf_puts(sb, "        ");
			put_escaped(sb, shown_observed(r));
			strbuf_putc(sb, '\n');
		}
		fputs(strbuf_str(sb), stdout);
	}
	printf("%sScore: %u/%zu applicable checks pass (%.1f%%); %u failed, %u not applicable, %u errors\n",
	       n ? "\n" : "", count[VERDICT_PASS], applicable, score, count[VERDICT_FAIL],
	       count[VERDICT_NOT_APPLICABLE], count[VERDICT_ERROR]);
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o = { .min_severity = SEVERITY_INFO };
	struct check_set set = CHECK_SET_INIT;
	struct rootfs root = { .fd = -EBADF };
	struct audit_ctx ctx;
	struct outcome *out = NULL;
	struct strbuf sb = STRBUF_INIT;
	struct diag d = {};
	unsigned count[_VERDICT_MAX] = {};
	size_t n = 0;
	double score;
	int r, ret = EXIT_RUNTIME;
	char *defaults[] = { VIGIL_DATADIR "/checks.d", VIGIL_CONFDIR "/checks.d" };

	r = parse_args(argc, argv, &o);
	if (r <= 0)
		return r < 0 ? EXIT_USAGE : EXIT_CLEAN;

	if (o.n_dirs)
		r = rules_load_dirs(&set, o.dirs, o.n_dirs, true, &d);
	else
		r = rules_load_dirs(&set, defaults, ELEMENTSOF(defaults), false, &d);
	if (r < 0) {
		if (r == -ENOMEM)
			log_error_errno(r, "out of memory loading the checks");
		else
			log_error("%s", diag_empty(&d) ? strerror(-r) : d.msg);
		ret = r == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto out;
	}
	if (set.n == 0) {
		/* An empty rule set would report a perfect score for nothing. */
		log_error("no checks found in %s", o.n_dirs ? "the --checks-dir directories"
							     : VIGIL_DATADIR "/checks.d or " VIGIL_CONFDIR "/checks.d");
		ret = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < o.n_ids; i++)
		if (!check_set_find(&set, o.ids[i])) {
			log_error("--check: no check '%s'", o.ids[i]);
			ret = EXIT_USAGE;
			goto out;
		}

	r = rootfs_open(&root, o.root);
	if (r < 0) {
		log_error_errno(r, "cannot open root %s: %m", o.root ? o.root : "/");
		ret = r == -ENOENT || r == -ENOTDIR ? EXIT_USAGE : EXIT_RUNTIME;
		goto out;
	}

	out = calloc(set.n ? set.n : 1, sizeof(*out));
	if (!out) {
		log_error_errno(-ENOMEM, "out of memory");
		goto out;
	}
	audit_ctx_init(&ctx, &root);
	for (size_t i = 0; i < set.n; i++) {
		const struct check *c = set.checks[i];

		if (!selected(&o, c))
			continue;
		out[n].check = c;
		out[n].index = n;
		r = audit_eval(c, &ctx, &out[n].res);
		n++;
		if (r < 0) {
			audit_ctx_done(&ctx);
			log_error_errno(r, "check %s: %m", c->id);
			goto out;
		}
		count[out[n - 1].res.verdict]++;
	}
	audit_ctx_done(&ctx);
	if (n == 0 && (o.n_categories || o.n_ids)) {
		log_error("no enabled check matches the selection");
		ret = EXIT_USAGE;
		goto out;
	}

	score = count[VERDICT_PASS] + count[VERDICT_FAIL]
			? 100.0 * count[VERDICT_PASS] / (count[VERDICT_PASS] + count[VERDICT_FAIL])
			: 100.0;
	if (o.json)
		print_json(&sb, out, n, count, score);
	else
		print_text(&sb, out, n, count, score, isatty(STDOUT_FILENO));
	if (strbuf_error(&sb) < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		log_error("cannot write the report");
		goto out;
	}
	ret = count[VERDICT_FAIL] ? EXIT_DEVIATIONS : count[VERDICT_ERROR] ? EXIT_RUNTIME : EXIT_CLEAN;
out:
	for (size_t i = 0; i < n; i++)
		probe_result_done(&out[i].res);
	free(out);
	strbuf_free(&sb);
	check_set_done(&set);
	if (root.fd >= 0)
		rootfs_close(&root);
	return ret;
}
