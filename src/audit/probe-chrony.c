/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chrony: the time sources and directives of chronyd (4.3, Debian 12),
 * from /etc/chrony/chrony.conf as chronyd reads it (chrony.conf(5)):
 * '#', '%', ';' and '!' start comment lines; "include PATTERN" reads the
 * matching files in place; "confdir DIR..." reads the *.conf files of
 * the directories (a name in an earlier directory hides it in later
 * ones) in name order; "sourcedir DIR..." does the same with *.sources
 * files, which may only hold sources.  The last value of a directive
 * wins, as chronyd's parse_string() and parse_int() (conf.c) replace the
 * value at each line, across files in the order chronyd reads them;
 * sources add up.
 *
 *	sources = yes		at least one server, pool, peer or refclock
 *	directive = NAME	otherwise: the value of the directive ...
 *	default = V		... or chronyd's built-in default
 *	equals/one_of/min/max	(expect.h)
 * Without chrony.conf (chrony not installed): not_applicable.
 */
#include <ctype.h>
#include <strings.h>

#include "check.h"
#include "confdirs.h"
#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define CHRONY_CONF "/etc/chrony/chrony.conf"
#define CHRONY_MAX_FILE (1024 * 1024)
#define CHRONY_MAX_FILES 256

struct chrony_state {
	const char *directive;
	char *value, *where;
	unsigned sources;
	char *first_source;
	unsigned n_files;
	char *error;
};

static int chrony_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "sources", "directive", "default", NULL };
	const char *v = check_arg(c, "sources"), *dir = check_arg(c, "directive");
	bool b;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	if (!v == !dir)
		return diag_set(d, -EINVAL, "give one of 'sources' and 'directive'");
	if (v) {
		if (parse_bool(v, &b) < 0 || !b)
			return diag_set(d, -EINVAL, "key 'sources': only 'yes' is meaningful");
		if (expect_present(c) || check_arg(c, "default"))
			return diag_set(d, -EINVAL, "key 'sources': cannot be combined with a value condition");
		return 0;
	}
	if (strspn(dir, "abcdefghijklmnopqrstuvwxyz") != strlen(dir) || strlen(dir) > 32)
		return diag_set(d, -EINVAL, "key 'directive': '%s' is not a chrony directive", dir);
	return expect_validate(c, true, d);
}

static bool is_source(const char *kw)
{
	return streq(kw, "server") || streq(kw, "pool") || streq(kw, "peer") || streq(kw, "refclock");
}

static int set_error(struct chrony_state *st, const char *path, int err)
{
	if (!st->error && asprintf(&st->error, "%s: %s", path, strerror(-err)) < 0) {
		st->error = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int read_conf(const struct rootfs *root, const char *path, bool sources_only, unsigned depth,
		     struct chrony_state *st);

/* confdir/sourcedir: the files ending in suffix of the listed
 * directories, earlier directories hiding later names, in name order. */
static int read_dirs(const struct rootfs *root, char *args, const char *suffix, bool sources_only, unsigned depth,
		     struct chrony_state *st)
{
	const char *dirs[16];
	struct confdirs_file *files = NULL;
	size_t n_dirs = 0, n = 0;
	char *save = NULL;
	int r;

	for (char *t = strtok_r(args, " \t", &save); t && n_dirs < ELEMENTSOF(dirs); t = strtok_r(NULL, " \t", &save))
		dirs[n_dirs++] = t;
	r = confdirs_list(root, dirs, n_dirs, suffix, &files, &n);
	if (r < 0)
		return r == -ENOMEM ? r : set_error(st, dirs[0], r);
	for (size_t i = 0; i < n && r >= 0; i++)
		if (files[i].path)
			r = read_conf(root, files[i].path, sources_only, depth + 1, st);
	confdirs_free(files, n);
	return r;
}

static int read_line(const struct rootfs *root, char *line, const char *path, unsigned lineno, bool sources_only,
		     unsigned depth, struct chrony_state *st)
{
	char *s = confdirs_skip_ws(line), *args;
	size_t kl;

	if (!*s || strchr("#%;!", *s))
		return 0;
	kl = strcspn(s, " \t");
	args = confdirs_skip_ws(s + kl);
	if (s[kl])
		s[kl] = '\0';
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (is_source(s)) {
		if (st->sources++ == 0 && asprintf(&st->first_source, "%s %s (%s:%u)", s, args, path, lineno) < 0) {
			st->first_source = NULL;
			return -ENOMEM;
		}
		return 0;
	}
	if (sources_only)
		return 0;	/* chronyd rejects it; vigil only reads what counts */
	if (streq(s, "include")) {
		char **files = NULL;
		size_t n = 0;
		int r = confdirs_glob(root, args, &files, &n);

		if (r < 0)
			return r == -ENOMEM ? r : 0;
		for (size_t i = 0; i < n && r >= 0; i++)
			r = read_conf(root, files[i], false, depth + 1, st);
		confdirs_strv_free(files, n);
		return r;
	}
	if (streq(s, "confdir"))
		return read_dirs(root, args, ".conf", false, depth, st);
	if (streq(s, "sourcedir"))
		return read_dirs(root, args, ".sources", true, depth, st);
	if (st->directive && streq(s, st->directive)) {
		free(st->value);
		free(st->where);
		st->where = NULL;
		st->value = strdup(args);
		if (!st->value || asprintf(&st->where, "%s:%u", path, lineno) < 0) {
			st->where = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static int read_conf(const struct rootfs *root, const char *path, bool sources_only, unsigned depth,
		     struct chrony_state *st)
{
	_cleanup_free_ char *text = NULL;
	char *p, *line;
	unsigned lineno = 0;
	size_t len;
	int r;

	if (depth > 8 || ++st->n_files > CHRONY_MAX_FILES)
		return set_error(st, path, -ELOOP);
	r = rootfs_read_file(root, path, CHRONY_MAX_FILE, &text, &len);
	if (r == -ENOMEM || (r == -ENOENT && depth == 0))
		return r;
	if (r < 0)
		return r == -ENOENT ? 0 : set_error(st, path, r);
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		r = read_line(root, line, path, ++lineno, sources_only, depth, st);
		if (r < 0)
			return r;
	}
	return 0;
}

static void state_done(struct chrony_state *st)
{
	free(st->value);
	free(st->where);
	free(st->first_source);
	free(st->error);
}

static int chrony_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_(state_done) struct chrony_state st = { .directive = check_arg(c, "directive") };
	_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT;
	const char *value;
	int r;

	r = read_conf(ctx->root, CHRONY_CONF, false, 0, &st);
	if (r == -ENOENT)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s (chrony not installed)", CHRONY_CONF);
	if (r < 0)
		return r;
	if (st.error)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s", st.error);
	if (check_arg(c, "sources")) {
		if (st.sources)
			strbuf_printf(&shown, "%u source%s, first: %s", st.sources, st.sources > 1 ? "s" : "",
				      st.first_source);
		else
			strbuf_puts(&shown, "no server, pool, peer or refclock");
		if (strbuf_error(&shown) < 0)
			return -ENOMEM;
		return probe_result_set(ret, st.sources ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&shown),
					"at least one time source");
	}
	value = st.value ? st.value : check_arg(c, "default");
	if (value)
		strbuf_printf(&shown, "%s %s (%s)", st.directive, value, st.value ? st.where : "default");
	else
		strbuf_printf(&shown, "%s unset", st.directive);
	if (strbuf_error(&shown) < 0)
		return -ENOMEM;
	return expect_eval_shown(c, value, strbuf_str(&shown), false, ret);
}

const struct probe probe_chrony = {
	.name = "chrony",
	.validate = chrony_validate,
	.eval = chrony_eval,
};
