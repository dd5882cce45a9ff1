/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * systemd-conf: one setting of a systemd daemon's configuration file
 * (journald.conf, timesyncd.conf, logind.conf, coredump.conf, ...) as
 * the daemon of systemd 252 (Debian 12) reads it:
 *
 *  - the main file (/etc/systemd/NAME.conf) first, then the drop-ins
 *    NAME.conf.d/ANY.conf from /etc/systemd, /run/systemd,
 *    /usr/local/lib/systemd, /usr/lib/systemd and /lib/systemd, sorted by
 *    file name whatever their directory; a name in an earlier directory
 *    hides the same name in later ones, and a drop-in linked to
 *    /dev/null masks it (systemd.syntax(7), journald.conf(5)
 *    "CONFIGURATION DIRECTORIES AND PRECEDENCE");
 *  - conf-parser.c: lines starting with '#' or ';' (after blanks) are
 *    comments, dropped before continuations are looked at, so a comment
 *    never continues and one between continued lines is left out; a
 *    backslash at the very end of a line, unless itself escaped ("\\"),
 *    joins the next line (as a space), also at the end of the file;
 *    "[Section]" starts a section, "Key=Value" with blanks around both
 *    stripped; keys and section names are case-sensitive; only the given
 *    section counts;
 *  - the last assignment wins, and an empty one ("Key=") resets the
 *    setting to its compiled-in default.
 *
 * Arguments:
 *	file = /etc/systemd/NAME.conf	the main file
 *	section = Journal, key = Storage
 *	default = V		the compiled-in default, compared when unset
 *	boolean = yes		compare as a systemd boolean (1/yes/y/true/t/on
 *				and 0/no/n/false/f/off, any case) as "yes"/"no"
 *	set = yes		pass if the key has a non-empty value
 *	equals/one_of/min/max	otherwise (expect.h)
 *
 * With neither the main file nor a drop-in, the component is not
 * installed: not_applicable.
 */
#include <strings.h>

#include "check.h"
#include "confdirs.h"
#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define SCONF_MAX_FILE (1024 * 1024)
#define SCONF_MAX_NAME 64

static const char *const sconf_prefixes[] = { "/etc/", "/run/", "/usr/local/lib/", "/usr/lib/", "/lib/" };

struct sconf_value {
	char *value;		/* NULL: unset (or reset) */
	char *where;		/* "file:line" of the last assignment */
	bool found_file;	/* the main file or a drop-in exists */
};

static bool valid_word(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > SCONF_MAX_NAME)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-' || *s == '.'))
			return false;
	return true;
}

static int sconf_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "file", "section", "key", "default", "boolean", "set", NULL };
	const char *file, *v;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	file = check_arg_required(c, "file", d);
	if (!file)
		return -EINVAL;
	if (strncmp(file, "/etc/", 5) != 0 || strlen(file) > 200 || strstr(file, "/../") || strpbrk(file, " \t*?["))
		return diag_set(d, -EINVAL, "key 'file': '%s' is not a configuration file below /etc", file);
	if (!check_arg_required(c, "section", d) || !check_arg_required(c, "key", d))
		return -EINVAL;
	if (!valid_word(check_arg(c, "section")))
		return diag_set(d, -EINVAL, "key 'section': '%s' is not a section name", check_arg(c, "section"));
	if (!valid_word(check_arg(c, "key")))
		return diag_set(d, -EINVAL, "key 'key': '%s' is not a key name", check_arg(c, "key"));
	if ((v = check_arg(c, "boolean")) && (parse_bool(v, &b) < 0 || !b))
		return diag_set(d, -EINVAL, "key 'boolean': only 'yes' is meaningful");
	if ((v = check_arg(c, "set"))) {
		if (parse_bool(v, &b) < 0 || !b)
			return diag_set(d, -EINVAL, "key 'set': only 'yes' is meaningful");
		if (expect_present(c) || check_arg(c, "absent_ok"))
			return diag_set(d, -EINVAL, "key 'set': cannot be combined with an expectation");
		return 0;
	}
	return expect_validate(c, true, d);
}

/* systemd parse_boolean() */
static const char *as_boolean(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < ELEMENTSOF(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return "yes";
	for (size_t i = 0; i < ELEMENTSOF(no); i++)
		if (strcasecmp(v, no[i]) == 0)
			return "no";
	return v;
}

static char *strip(char *s)
{
	size_t n;

	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The next line of [*p, end) without its "\n" (or "\r\n"), NUL-terminated
 * in place, or NULL at the end; an embedded NUL ends it early.  Unlike
 * confdirs_next_line(), trailing blanks are kept: "Key=x \\ " does not
 * continue, as conf-parser.c looks for the backslash at the very end. */
static char *next_line(char **p, char *end)
{
	char *line = *p, *nl;
	size_t n;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	*p = nl ? nl + 1 : end;
	if (nl)
		*nl = '\0';
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

/* conf-parser.c's test: the line ends in a backslash that no backslash
 * before it escapes. */
static bool continues(const char *s)
{
	bool escaped = false;

	for (; *s; s++)
		escaped = escaped ? false : *s == '\\';
	return escaped;
}

/* One logical line (continuations joined), first read at line `first`. */
static int parse_logical(char *l, const char *path, unsigned first, const char *section, const char *key,
			 bool *in_section, struct sconf_value *v)
{
	const char *val;
	char *eq;

	l = strip(l);
	if (*l == '\0')
		return 0;
	if (*l == '[') {
		size_t m = strlen(l);

		*in_section = m >= 2 && l[m - 1] == ']' && m - 2 == strlen(section) && strncmp(l + 1, section, m - 2) == 0;
		return 0;
	}
	eq = strchr(l, '=');
	if (!*in_section || !eq)
		return 0;
	*eq = '\0';
	if (!streq(strip(l), key))
		return 0;
	val = strip(eq + 1);
	free(v->value);
	free(v->where);
	v->where = NULL;
	v->value = *val ? strdup(val) : NULL;
	if ((*val && !v->value) || asprintf(&v->where, "%s:%u", path, first) < 0) {
		v->where = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Apply one file's assignments of section/key to *v. */
static int parse_text(char *text, size_t len, const char *path, const char *section, const char *key,
		      struct sconf_value *v)
{
	_cleanup_strbuf_ struct strbuf logical = STRBUF_INIT;
	char *p = text, *end = text + len, *raw, empty[1] = "";
	bool in_section = false, pending = false;
	unsigned lineno = 0, first = 0;
	int r;

	while ((raw = next_line(&p, end))) {
		const char *t = raw + strspn(raw, " \t\r");

		lineno++;
		if (*t == '#' || *t == ';')
			continue;
		if (!pending)
			first = lineno;
		pending = continues(raw);
		if (pending)
			raw[strlen(raw) - 1] = ' ';	/* conf-parser.c turns the backslash into a blank */
		strbuf_puts(&logical, raw);
		if (strbuf_error(&logical) < 0)
			return -ENOMEM;
		if (pending)
			continue;
		r = parse_logical(logical.buf ? logical.buf : empty, path, first, section, key, &in_section, v);
		strbuf_reset(&logical);
		if (r < 0)
			return r;
	}
	/* a continuation still open at the end of the file is a line too */
	return pending ? parse_logical(logical.buf ? logical.buf : empty, path, first, section, key, &in_section, v)
		       : 0;
}

static int read_one(const struct audit_ctx *ctx, const char *path, const char *section, const char *key,
		    struct sconf_value *v)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = rootfs_read_file(ctx->root, path, SCONF_MAX_FILE, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	v->found_file = true;
	return parse_text(text, len, path, section, key, v);
}

/* The main file, then the drop-ins.  -errno with the failing path in
 * *ret_path on a read error. */
static int load_value(const struct audit_ctx *ctx, const char *file, const char *section, const char *key,
		      struct sconf_value *v, char **ret_path)
{
	char *dirs[ELEMENTSOF(sconf_prefixes)] = {};
	struct confdirs_file *files = NULL;
	size_t n = 0;
	int r;

	r = read_one(ctx, file, section, key, v);
	if (r < 0) {
		*ret_path = strdup(file);
		return r;
	}
	for (size_t i = 0; i < ELEMENTSOF(sconf_prefixes); i++)
		if (asprintf(&dirs[i], "%s%s.d", sconf_prefixes[i], file + 5) < 0) {
			dirs[i] = NULL;
			r = -ENOMEM;
		}
	if (r >= 0)
		r = confdirs_list(ctx->root, (const char *const *)dirs, ELEMENTSOF(dirs), ".conf", &files, &n);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (!files[i].path)
			continue;	/* masked */
		r = read_one(ctx, files[i].path, section, key, v);
		if (r < 0)
			*ret_path = strdup(files[i].path);
	}
	confdirs_free(files, n);
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
		free(dirs[i]);
	return r;
}

static void sconf_value_done(struct sconf_value *v)
{
	free(v->value);
	free(v->where);
}

static int sconf_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const char *file = check_arg(c, "file"), *key = check_arg(c, "key"), *def = check_arg(c, "default");
	_cleanup_free_ char *err_path = NULL, *exp = NULL;
	_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT;
	_cleanup_(sconf_value_done) struct sconf_value v = {};
	const char *value;
	int r;

	r = load_value(ctx, file, check_arg(c, "section"), key, &v, &err_path);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", err_path ? err_path : file,
						strerror(-r));
	if (!v.found_file)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s and no drop-ins (not installed)",
						file);
	value = v.value ? v.value : def;
	if (value && check_arg(c, "boolean"))
		value = as_boolean(value);
	if (value) {
		strbuf_printf(&shown, "%s=%s", key, value);
		if (v.value)
			strbuf_printf(&shown, " (%s)", v.where);
		else
			strbuf_puts(&shown, " (default)");
	} else
		strbuf_printf(&shown, "%s unset", key);
	if (strbuf_error(&shown) < 0)
		return -ENOMEM;
	if (check_arg(c, "set")) {
		if (asprintf(&exp, "%s set", key) < 0) {
			exp = NULL;
			return -ENOMEM;
		}
		r = probe_result_set(ret, v.value ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&shown), exp);
	} else
		r = expect_eval_shown(c, value, strbuf_str(&shown), false, ret);
	if (r >= 0 && ret->verdict == VERDICT_FAIL && v.where) {
		/* the file whose line decided it */
		*strrchr(v.where, ':') = '\0';
		r = probe_result_add_finding(ret, v.where);
	}
	return r;
}

const struct probe probe_systemd_conf = {
	.name = "systemd-conf",
	.validate = sconf_validate,
	.eval = sconf_eval,
};
