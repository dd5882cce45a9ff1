/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rsyslog: a legacy global directive or a loaded input module of
 * rsyslogd (8.2302, Debian 12), read from /etc/rsyslog.conf with its
 * includes expanded where they appear, as rsyslogd reads them
 * (rsyslog.conf(5)):
 *
 *  - "$IncludeConfig PATTERN" and RainerScript include(file="PATTERN")
 *    read the matching files, in sorted order, at that point; a pattern
 *    ending in '/' reads every file of the directory;
 *  - a legacy directive is a line starting with '$': "$Name value",
 *    names case-insensitive; the last one read wins (a directive such as
 *    $FileCreateMode applies to the actions after it, and Debian's
 *    rsyslog.conf has its rules after the include);
 *  - a module is loaded by "$ModLoad NAME" or module(load="NAME");
 *  - '#' starts a comment, and so does '/' '*' up to '*' '/' outside a
 *    legacy line.
 *
 * Arguments:
 *	directive = $Name	the directive's value ...
 *	default = V		... or this built-in default when unset
 *	mode_max = 0640		the value is an octal mode with no bit outside
 *	equals/one_of/min/max	otherwise (expect.h)
 *	module = NAME ...	instead: whether any of these is loaded ...
 *	loaded = yes|no		... as expected
 * Without /etc/rsyslog.conf (rsyslog not installed): not_applicable.
 */
#include <ctype.h>
#include <strings.h>

#include "check.h"
#include "confdirs.h"
#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define RSYSLOG_CONF "/etc/rsyslog.conf"
#define RSYSLOG_MAX_FILE (1024 * 1024)
#define RSYSLOG_MAX_DEPTH 16
#define RSYSLOG_MAX_FILES 256

struct rsyslog_state {
	const char *directive;		/* without the '$' */
	const char *modules;		/* space-separated */
	char *value, *value_where;	/* last value of the directive */
	char *module_where;		/* first load of one of the modules */
	char *module_name;
	unsigned n_files;
	char *error;
};

static int rsyslog_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "directive", "default", "mode_max", "module", "loaded", NULL };
	const char *dir = check_arg(c, "directive"), *mod = check_arg(c, "module"), *v;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	if (!dir == !mod)
		return diag_set(d, -EINVAL, "give one of 'directive' and 'module'");
	if (mod) {
		if (!(v = check_arg(c, "loaded")) || parse_bool(v, &b) < 0)
			return diag_set(d, -EINVAL, "key 'loaded': 'yes' or 'no' is required with 'module'");
		if (expect_present(c) || check_arg(c, "mode_max") || check_arg(c, "default"))
			return diag_set(d, -EINVAL, "key 'module': cannot be combined with a value condition");
		if (strspn(mod, "abcdefghijklmnopqrstuvwxyz0123456789_: ") != strlen(mod))
			return diag_set(d, -EINVAL, "key 'module': '%s' is not a list of module names", mod);
		return 0;
	}
	if (check_arg(c, "loaded"))
		return diag_set(d, -EINVAL, "key 'loaded': only with 'module'");
	if (dir[0] != '$' || !dir[1] || strspn(dir + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
						  strlen(dir + 1))
		return diag_set(d, -EINVAL, "key 'directive': '%s' is not a legacy directive ($Name)", dir);
	if ((v = check_arg(c, "mode_max"))) {
		if (strspn(v, "01234567") != strlen(v) || strlen(v) < 3 || strlen(v) > 4)
			return diag_set(d, -EINVAL, "key 'mode_max': '%s' is not an octal mode", v);
		if (expect_present(c))
			return diag_set(d, -EINVAL, "key 'mode_max': cannot be combined with an expectation");
		return 0;
	}
	return expect_validate(c, true, d);
}

static int set_str(char **dst, const char *s, size_t n)
{
	char *c = strndup(s, n);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

static int set_where(char **dst, const char *path, unsigned line)
{
	char *w;

	if (asprintf(&w, "%s:%u", path, line) < 0)
		return -ENOMEM;
	free(*dst);
	*dst = w;
	return 0;
}

static void state_done(struct rsyslog_state *st)
{
	free(st->value);
	free(st->value_where);
	free(st->module_where);
	free(st->module_name);
	free(st->error);
}

/* Whether name (n bytes, optionally with ".so") is one of st->modules. */
static bool wanted_module(const struct rsyslog_state *st, const char *name, size_t n)
{
	if (n > 3 && strncmp(name + n - 3, ".so", 3) == 0)
		n -= 3;
	for (const char *p = st->modules; *p;) {
		size_t l;

		p += strspn(p, " ");
		l = strcspn(p, " ");
		if (l == 0)
			break;
		if (l == n && strncmp(p, name, n) == 0)
			return true;
		p += l;
	}
	return false;
}

static int note_module(struct rsyslog_state *st, const char *name, size_t n, const char *path, unsigned line)
{
	int r;

	if (st->module_where || !wanted_module(st, name, n))
		return 0;
	r = set_where(&st->module_where, path, line);
	return r < 0 ? r : set_str(&st->module_name, name, n);
}

static int read_config(const struct rootfs *root, const char *path, unsigned depth, struct rsyslog_state *st);

static int include(const struct rootfs *root, const char *pattern, size_t n, unsigned depth,
		   struct rsyslog_state *st)
{
	_cleanup_free_ char *pat = NULL;
	char **files = NULL;
	size_t n_files = 0;
	int r;

	if (n == 0)
		return 0;
	if (pattern[n - 1] == '/')
		r = asprintf(&pat, "%.*s*", (int)n, pattern);
	else
		r = asprintf(&pat, "%.*s", (int)n, pattern);
	if (r < 0) {
		pat = NULL;
		return -ENOMEM;
	}
	r = confdirs_glob(root, pat, &files, &n_files);
	if (r < 0)
		return r == -ENOMEM ? r : 0;	/* a pattern that cannot match reads nothing */
	for (size_t i = 0; r >= 0 && i < n_files; i++)
		r = read_config(root, files[i], depth + 1, st);
	confdirs_strv_free(files, n_files);
	return r;
}

/* The value of NAME="..." inside the parentheses s[0..n), or NULL. */
static const char *param(const char *s, size_t n, const char *name, size_t *ret_len)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i + nl < n; i++) {
		const char *q;

		if (strncasecmp(s + i, name, nl) != 0 || (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')))
			continue;
		q = s + i + nl;
		while (q < s + n && (*q == ' ' || *q == '\t' || *q == '\n'))
			q++;
		if (q >= s + n || *q != '=')
			continue;
		q++;
		while (q < s + n && (*q == ' ' || *q == '\t' || *q == '\n'))
			q++;
		if (q >= s + n || *q != '"')
			continue;
		q++;
		*ret_len = strcspn(q, "\"");
		if (q + *ret_len > s + n)
			return NULL;
		return q;
	}
	return NULL;
}

static int legacy_line(const struct rootfs *root, const char *s, size_t n, const char *path, unsigned line,
		       unsigned depth, struct rsyslog_state *st)
{
	size_t nl = strcspn(s, " \t"), vstart, vlen;

	if (nl > n)
		nl = n;
	vstart = nl + strspn(s + nl, " \t");
	vlen = vstart < n ? n - vstart : 0;
	/* a comment after the value */
	for (size_t i = 0; i + 1 < vlen; i++)
		if ((s[vstart + i] == ' ' || s[vstart + i] == '\t') && s[vstart + i + 1] == '#') {
			vlen = i;
			break;
		}
	while (vlen > 0 && (s[vstart + vlen - 1] == ' ' || s[vstart + vlen - 1] == '\t' || s[vstart + vlen - 1] == '\r'))
		vlen--;
	if (nl == 13 && strncasecmp(s, "IncludeConfig", 13) == 0)
		return include(root, s + vstart, vlen, depth, st);
	if (nl == 7 && strncasecmp(s, "ModLoad", 7) == 0)
		return st->modules ? note_module(st, s + vstart, vlen, path, line) : 0;
	if (st->directive && nl == strlen(st->directive) && strncasecmp(s, st->directive, nl) == 0) {
		int r = set_str(&st->value, s + vstart, vlen);
		return r < 0 ? r : set_where(&st->value_where, path, line);
	}
	return 0;
}

/* RainerScript object s[0..n) = NAME(...): include() and module(). */
static int script_object(const struct rootfs *root, const char *name, size_t name_len, const char *s, size_t n,
			 const char *path, unsigned line, unsigned depth, struct rsyslog_state *st)
{
	const char *v;
	size_t vl;

	if (name_len == 7 && strncasecmp(name, "include", 7) == 0 && (v = param(s, n, "file", &vl)))
		return include(root, v, vl, depth, st);
	if (name_len == 6 && strncasecmp(name, "module", 6) == 0 && st->modules && (v = param(s, n, "load", &vl)))
		return note_module(st, v, vl, path, line);
	return 0;
}

static int parse_text(const struct rootfs *root, const char *text, size_t len, const char *path, unsigned depth,
		      struct rsyslog_state *st)
{
	const char *p = text, *end = text + len;
	unsigned line = 1;
	bool line_start = true;
	int r;

	while (p < end) {
		char ch = *p;

		if (ch == '\n') {
			line++;
			line_start = true;
			p++;
		} else if (ch == ' ' || ch == '\t' || ch == '\r') {
			p++;
		} else if (ch == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (ch == '/' && p + 1 < end && p[1] == '*') {
			for (p += 2; p < end && !(*p == '*' && p + 1 < end && p[1] == '/'); p++)
				if (*p == '\n')
					line++;
			p = p < end ? p + 2 : end;
		} else if (ch == '$' && line_start) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			size_t n = (e ? e : end) - p - 1;

			r = legacy_line(root, p + 1, n, path, line, depth, st);
			if (r < 0)
				return r;
			p += n + 1;
		} else if (isalpha((unsigned char)ch)) {
			const char *name = p, *q;
			unsigned start_line = line;

			line_start = false;
			while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
				p++;
			q = p;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && *q == '(') {
				const char *body = q + 1, *b = body;
				char quote = 0;

				for (; b < end && (quote || *b != ')'); b++) {
					if (*b == '\n')
						line++;
					if (quote && *b == '\\' && b + 1 < end)
						b++;
					else if (*b == '"' || *b == '\'')
						quote = quote == *b ? 0 : (quote ? quote : *b);
				}
				r = script_object(root, name, (size_t)(p - name), body, (size_t)(b - body), path,
						  start_line, depth, st);
				if (r < 0)
					return r;
				p = b < end ? b + 1 : end;
			}
		} else {
			line_start = false;
			p++;
		}
	}
	return 0;
}

static int read_config(const struct rootfs *root, const char *path, unsigned depth, struct rsyslog_state *st)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (depth > RSYSLOG_MAX_DEPTH || ++st->n_files > RSYSLOG_MAX_FILES) {
		if (!st->error && asprintf(&st->error, "%s: includes nested too deeply or too many files", path) < 0)
			return -ENOMEM;
		return 0;
	}
	r = rootfs_read_file(root, path, RSYSLOG_MAX_FILE, &text, &len);
	if (r == -ENOMEM || (r == -ENOENT && depth == 0))
		return r;
	if (r < 0) {
		if (!st->error && asprintf(&st->error, "%s: %s", path, strerror(-r)) < 0)
			return -ENOMEM;
		return 0;
	}
	return parse_text(root, text, len, path, depth, st);
}

static bool mode_within(const char *value, const char *max)
{
	unsigned long v, m;
	char *end;

	if (isempty(value) || strspn(value, "01234567") != strlen(value) || strlen(value) > 4)
		return false;
	v = strtoul(value, &end, 8);
	m = strtoul(max, &end, 8);
	return (v & ~m) == 0;
}

static int rsyslog_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const char *dir = check_arg(c, "directive"), *mmax = check_arg(c, "mode_max"), *def = check_arg(c, "default");
	_cleanup_(state_done) struct rsyslog_state st = {
		.directive = dir ? dir + 1 : NULL,
		.modules = check_arg(c, "module"),
	};
	_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT, exp = STRBUF_INIT;
	const char *value;
	int r;

	r = read_config(ctx->root, RSYSLOG_CONF, 0, &st);
	if (r == -ENOENT)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s (rsyslog not installed)",
						RSYSLOG_CONF);
	if (r < 0)
		return r;
	if (st.error)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s", st.error);

	if (st.modules) {
		bool want = false, loaded = st.module_where != NULL;

		(void)parse_bool(check_arg(c, "loaded"), &want);
		if (loaded)
			strbuf_printf(&shown, "%s loaded at %s", st.module_name, st.module_where);
		else
			strbuf_printf(&shown, "none of %s loaded", st.modules);
		strbuf_printf(&exp, "%s %s loaded", want ? "one of" : "none of", st.modules);
		if (strbuf_error(&shown) < 0 || strbuf_error(&exp) < 0)
			return -ENOMEM;
		r = probe_result_set(ret, loaded == want ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&shown),
				     strbuf_str(&exp));
		if (r >= 0 && loaded && !want) {
			*strrchr(st.module_where, ':') = '\0';
			r = probe_result_add_finding(ret, st.module_where);
		}
		return r;
	}

	value = st.value ? st.value : def;
	if (value)
		strbuf_printf(&shown, "%s %s (%s)", dir, value, st.value ? st.value_where : "default");
	else
		strbuf_printf(&shown, "%s unset", dir);
	if (strbuf_error(&shown) < 0)
		return -ENOMEM;
	if (mmax) {
		strbuf_printf(&exp, "mode <= %s", mmax);
		if (strbuf_error(&exp) < 0)
			return -ENOMEM;
		r = probe_result_set(ret, value && mode_within(value, mmax) ? VERDICT_PASS : VERDICT_FAIL,
				     strbuf_str(&shown), strbuf_str(&exp));
	} else
		r = expect_eval_shown(c, value, strbuf_str(&shown), false, ret);
	if (r >= 0 && ret->verdict == VERDICT_FAIL && st.value_where) {
		*strrchr(st.value_where, ':') = '\0';
		r = probe_result_add_finding(ret, st.value_where);
	}
	return r;
}

const struct probe probe_rsyslog = {
	.name = "rsyslog",
	.validate = rsyslog_validate,
	.eval = rsyslog_eval,
};
