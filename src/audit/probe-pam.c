/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "pam": a module line of a PAM stack and its options, with the
 * semantics of Linux-PAM's configuration parser (pam_handlers.c) and of
 * the modules' own configuration files.  Arguments (vigil-checks(5)):
 *
 *	file = /etc/pam.d/common-password	the service file (absolute)
 *	type = account|auth|password|session
 *	module = pam_pwquality.so		matched by file name: a path
 *						and the ".so" are optional
 *	present = yes|no			without option: is there a
 *						line of this type and module
 *	option = minlen				with equals/one_of/min/max
 *						(expect.h), or alone: the
 *						option is set; with present=no:
 *						no such line carries it
 *
 * The PAM file: '#' starts a comment anywhere on a line; a line ending in
 * a backslash continues on the next one; the type is case-insensitive and
 * may carry a leading '-'; the control is a word or a bracketed list
 * ("[success=1 default=ignore]"); arguments are words or bracketed
 * ("[a b]").  "@include FILE" includes all lines of FILE; a line with the
 * control "include" or "substack" includes the lines of its own type.
 * Relative names are under /etc/pam.d; includes nest at most 8 deep.
 *
 * The FIRST line of the type and module (in include-expanded order)
 * decides.  Its options are read left to right, the last occurrence of
 * a name winning ("flag" alone has the empty value); "option = a|b"
 * accepts either name on the line (the last one written wins).  An option that is
 * not on the line comes from the module's own configuration, which the
 * PAM line overrides (both modules parse their arguments after the file):
 *  - pam_pwquality: /etc/security/pwquality.conf.d/ *.conf in ASCII order,
 *    then /etc/security/pwquality.conf, later files overriding earlier
 *    ones (pwquality.conf(5));
 *  - pam_faillock: /etc/security/faillock.conf, or the file named by a
 *    conf= argument on the line (faillock.conf(5)).
 * These files are "name = value" or "name" lines, '#' comments, white
 * space around '=' ignored; the last occurrence wins.
 */
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <fcntl.h>
#include <strings.h>

#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define PAM_DIR "/etc/pam.d"
#define PAM_FILE_MAX (1024u * 1024u)
#define INCLUDE_DEPTH_MAX 8
#define CONF_FILES_MAX 256u
#define PAM_FILES_MAX 256u	/* files read per check, includes counted: bounds include fan-out */

/* asprintf() that returns the string, or NULL on allocation failure. */
static char *strf(const char *fmt, ...) _printf_(1, 2);
static char *strf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static const char *const pam_types[] = { "account", "auth", "password", "session" };

struct pam_line {
	char *where;		/* "host path:line" */
	char **args;
	size_t n_args;
};

struct pam_walk {
	const struct rootfs *root;
	const char *type;
	const char *module;	/* basename without ".so" */
	struct pam_line *lines;
	size_t n_lines, alloc;
	unsigned n_files;
	struct diag diag;
};

static void pam_walk_done(struct pam_walk *w)
{
	for (size_t i = 0; i < w->n_lines; i++) {
		for (size_t k = 0; k < w->lines[i].n_args; k++)
			free(w->lines[i].args[k]);
		free(w->lines[i].args);
		free(w->lines[i].where);
	}
	free(w->lines);
}

/* "pam_unix.so", "/lib/.../pam_unix.so", "pam_unix" -> "pam_unix" */
static char *module_key(const char *m, size_t n)
{
	const char *slash = memrchr(m, '/', n);

	if (slash) {
		n -= (size_t)(slash + 1 - m);
		m = slash + 1;
	}
	if (n > 3 && strncmp(m + n - 3, ".so", 3) == 0)
		n -= 3;
	return strndup(m, n);
}

static bool valid_type(const char *t)
{
	for (size_t i = 0; i < ELEMENTSOF(pam_types); i++)
		if (strcasecmp(t, pam_types[i]) == 0)
			return true;
	return false;
}

static int pam_validate(const struct check *c, struct diag *d)
{
	static const char *const keys[] = { "file", "type", "module", "present", "option" };
	const char *file = check_arg(c, "file"), *type = check_arg(c, "type"), *module = check_arg(c, "module");
	const char *present = check_arg(c, "present"), *option = check_arg(c, "option");
	bool b;

	for (size_t i = 0; i < c->n_args; i++) {
		bool known = expect_is_key(c->args[i].key);

		for (size_t k = 0; k < ELEMENTSOF(keys); k++)
			known = known || streq(c->args[i].key, keys[k]);
		if (!known)
			return diag_set(d, -EINVAL, "key '%s': unknown argument of probe pam", c->args[i].key);
	}
	if (!file || file[0] != '/')
		return diag_set(d, -EINVAL, "key 'file': an absolute path is required");
	if (!type || !valid_type(type))
		return diag_set(d, -EINVAL, "key 'type': one of account, auth, password, session is required");
	if (isempty(module) || strpbrk(module, " \t"))
		return diag_set(d, -EINVAL, "key 'module': a module name is required");
	if (present && parse_bool(present, &b) < 0)
		return diag_set(d, -EINVAL, "key 'present': '%s' is not yes or no", present);
	if (!present && !option)
		return diag_set(d, -EINVAL, "key 'option' or 'present' is required");
	if (option && (isempty(option) || strpbrk(option, " \t=")))
		return diag_set(d, -EINVAL, "key 'option': '%s' is not an option name", option);
	if (expect_present(c) || check_arg(c, "absent_ok")) {
		if (!option)
			return diag_set(d, -EINVAL, "expectation keys need 'option'");
		if (present)
			return diag_set(d, -EINVAL, "key 'present': cannot be combined with an expectation");
		return expect_validate(c, true, d);
	}
	return 0;
}

/* Next token of a PAM line: a word, or a bracketed group (brackets
 * removed, "\]" is a literal ']').  Returns a malloc'ed token, NULL at the
 * end (*err = 0) or on OOM (*err = -ENOMEM). */
static char *next_token(const char **pp, bool brackets, int *err)
{
	const char *p = *pp;
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	*err = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	if (brackets && *p == '[') {
		for (p++; *p && *p != ']'; p++) {
			if (*p == '\\' && p[1] == ']')
				p++;
			strbuf_putc(&sb, *p);
		}
		if (*p == ']')
			p++;
	} else {
		while (*p && *p != ' ' && *p != '\t')
			strbuf_putc(&sb, *p++);
	}
	*pp = p;
	if (strbuf_error(&sb) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	return strbuf_steal(&sb);
}

static int walk_file(struct pam_walk *w, const char *path, const char *type_filter, unsigned depth);

static char *pam_path(const char *name)
{
	return name[0] == '/' ? strdup(name) : path_join(PAM_DIR, name);
}

static int walk_include(struct pam_walk *w, const char *where, const char *name, const char *type_filter,
			unsigned depth)
{
	_cleanup_free_ char *p = NULL;

	if (depth >= INCLUDE_DEPTH_MAX)
		return diag_set(&w->diag, -ELOOP, "%s: includes nested more than %d deep", where, INCLUDE_DEPTH_MAX);
	p = pam_path(name);
	if (!p)
		return -ENOMEM;
	return walk_file(w, p, type_filter, depth + 1);
}

static int handle_line(struct pam_walk *w, const char *s, const char *where, const char *type_filter,
		       unsigned depth)
{
	_cleanup_free_ char *type = NULL, *control = NULL, *module = NULL, *key = NULL;
	const char *t, *p = s;
	struct pam_line pl = {};
	size_t alloc = 0;
	int err;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "@include", 8) == 0 && (p[8] == ' ' || p[8] == '\t')) {
		_cleanup_free_ char *name = NULL;

		p += 8;
		name = next_token(&p, false, &err);
		if (!name)
			return err;
		return walk_include(w, where, name, type_filter, depth);
	}
	type = next_token(&p, false, &err);
	if (!type)
		return err;
	control = next_token(&p, true, &err);
	if (control)
		module = next_token(&p, false, &err);
	if (err < 0)
		return err;
	if (!module)
		return 0;	/* Linux-PAM logs and ignores an incomplete line */
	t = type[0] == '-' ? type + 1 : type;
	if (type_filter && strcasecmp(t, type_filter) != 0)
		return 0;
	if (strcasecmp(t, w->type) != 0)
		return 0;
	if (strcasecmp(control, "include") == 0 || strcasecmp(control, "substack") == 0)
		return walk_include(w, where, module, w->type, depth);
	key = module_key(module, strlen(module));
	if (!key)
		return -ENOMEM;
	if (!streq(key, w->module))
		return 0;

	pl.where = strdup(where);
	if (!pl.where)
		return -ENOMEM;
	for (;;) {
		char *a = next_token(&p, true, &err);

		if (!a)
			break;
		if (grow_array((void **)&pl.args, &alloc, pl.n_args + 1, sizeof(*pl.args)) < 0) {
			free(a);
			err = -ENOMEM;
			break;
		}
		pl.args[pl.n_args++] = a;
	}
	if (err >= 0 && grow_array((void **)&w->lines, &w->alloc, w->n_lines + 1, sizeof(*w->lines)) < 0)
		err = -ENOMEM;
	if (err < 0) {
		for (size_t k = 0; k < pl.n_args; k++)
			free(pl.args[k]);
		free(pl.args);
		free(pl.where);
		return err;
	}
	w->lines[w->n_lines++] = pl;
	return 0;
}

static int walk_file(struct pam_walk *w, const char *path, const char *type_filter, unsigned depth)
{
	_cleanup_free_ char *data = NULL, *host = NULL;
	_cleanup_strbuf_ struct strbuf logical = STRBUF_INIT;
	unsigned line = 0, first = 0;
	size_t len = 0, pos = 0;
	int r;

	host = rootfs_host_path(w->root, path);
	if (!host)
		return -ENOMEM;
	if (++w->n_files > PAM_FILES_MAX)
		return diag_set(&w->diag, -E2BIG, "%s: more than %u PAM files read (include fan-out)", host,
				PAM_FILES_MAX);
	r = rootfs_read_file(w->root, path, PAM_FILE_MAX, &data, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return diag_set(&w->diag, r, "%s: %s", host, strerror(-r));
	if (memchr(data, '\0', len))
		return diag_set(&w->diag, -EINVAL, "%s: embedded NUL byte", host);

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos), *hash;
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		bool cont = false;

		pos += n + (nl ? 1 : 0);
		line++;
		if (logical.len == 0)
			first = line;
		hash = memchr(s, '#', n);
		if (hash)
			n = (size_t)(hash - s);
		else {
			size_t k = n;

			while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
				k--;
			if (k > 0 && s[k - 1] == '\\') {
				cont = true;
				n = k - 1;
			}
		}
		strbuf_append(&logical, s, n);
		if (cont && pos < len) {
			strbuf_putc(&logical, ' ');
			continue;
		}
		if (strbuf_error(&logical) < 0)
			return -ENOMEM;
		{
			_cleanup_free_ char *where = strf("%s:%u", host, first);

			if (!where)
				return -ENOMEM;
			r = handle_line(w, strbuf_str(&logical), where, type_filter, depth);
			if (r < 0)
				return r;
		}
		strbuf_reset(&logical);
	}
	return 0;
}

/* The value of option on a line: last occurrence; "" for a flag.  option
 * may list alternatives "yescrypt|sha512": the last argument naming any
 * of them wins (pam_unix lets a later hash option override an earlier
 * one).  *ret_arg (optional) is the whole argument as written. */
static const char *line_option(const struct pam_line *pl, const char *option, const char **ret_arg)
{
	const char *v = NULL;

	for (size_t i = 0; i < pl->n_args; i++) {
		const char *a = pl->args[i];

		for (const char *alt = option; *alt;) {
			size_t n = strcspn(alt, "|");

			if (n > 0 && strncmp(a, alt, n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				v = a[n] == '=' ? a + n + 1 : a + n;
				if (ret_arg)
					*ret_arg = a;
			}
			alt += n;
			if (*alt == '|')
				alt++;
		}
	}
	return v;
}

struct conf_value {
	char *value;
	char *where;
};

/* "name = value" files of pwquality and faillock: scan one file and keep
 * the last value of name in *cv. */
static int conf_scan(const struct rootfs *root, const char *path, const char *name, struct conf_value *cv,
		     struct diag *d)
{
	_cleanup_free_ char *data = NULL, *host = NULL;
	size_t len = 0, pos = 0, nn = strlen(name);
	unsigned line = 0;
	int r;

	r = rootfs_read_file(root, path, PAM_FILE_MAX, &data, &len);
	if (r == -ENOENT)
		return 0;
	host = rootfs_host_path(root, path);
	if (!host)
		return -ENOMEM;
	if (r < 0)
		return r == -ENOMEM ? r : diag_set(d, r, "%s: %s", host, strerror(-r));
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos), *end, *v;
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		line++;
		end = s + n;
		v = memchr(s, '#', n);
		if (v)
			end = v;
		v = memchr(s, '\0', (size_t)(end - s));
		if (v)
			end = v;
		while (s < end && isspace((unsigned char)*s))
			s++;
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if ((size_t)(end - s) < nn || strncmp(s, name, nn) != 0)
			continue;
		v = s + nn;
		if (v < end && !isspace((unsigned char)*v) && *v != '=')
			continue;	/* a longer name */
		while (v < end && isspace((unsigned char)*v))
			v++;
		if (v < end && *v == '=')
			v++;
		while (v < end && isspace((unsigned char)*v))
			v++;
		free(cv->value);
		free(cv->where);
		cv->value = strndup(v, (size_t)(end - v));
		cv->where = NULL;
		if (!cv->value || asprintf(&cv->where, "%s:%u", host, line) < 0) {
			cv->where = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* pwquality.conf.d/ *.conf in ASCII order, then pwquality.conf. */
static int pwquality_conf(const struct rootfs *root, const char *name, struct conf_value *cv, struct diag *d)
{
	static const char dir[] = "/etc/security/pwquality.conf.d";
	_cleanup_free_ char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *dp = NULL;
	int fd, r = 0;

	fd = rootfs_openat(root, dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		dp = fdopendir(fd);
		if (!dp) {
			close(fd);
			return negative_errno();
		}
		while ((de = readdir(dp))) {
			size_t l = strlen(de->d_name);
			char *copy;

			if (de->d_name[0] == '.' || l <= 5 || !streq(de->d_name + l - 5, ".conf"))
				continue;
			if (n >= CONF_FILES_MAX) {
				r = -E2BIG;
				break;
			}
			copy = strdup(de->d_name);
			if (!copy || grow_array((void **)&names, &alloc, n + 1, sizeof(*names)) < 0) {
				free(copy);
				r = -ENOMEM;
				break;
			}
			names[n++] = copy;
		}
		closedir(dp);
		if (r == 0 && n > 0)
			qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; r >= 0 && i < n; i++) {
			_cleanup_free_ char *p = path_join(dir, names[i]);

			r = p ? conf_scan(root, p, name, cv, d) : -ENOMEM;
		}
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		if (r < 0)
			return r == -E2BIG ? diag_set(d, r, "%s: more than %u files", dir, CONF_FILES_MAX) : r;
	} else if (fd != -ENOENT && fd != -ENOTDIR)
		return diag_set(d, fd, "%s: %s", dir, strerror(-fd));
	return conf_scan(root, "/etc/security/pwquality.conf", name, cv, d);
}

static void conf_value_done(struct conf_value *cv)
{
	free(cv->value);
	free(cv->where);
}

/* present = yes|no without option: is there a line of the module? */
static int eval_presence(const struct pam_walk *w, const char *type, const char *host, bool want,
			 struct probe_result *ret)
{
	_cleanup_free_ char *shown = NULL, *expected = NULL;

	if (w->n_lines > 0)
		shown = strf("%s line at %s", w->module, w->lines[0].where);
	else
		shown = strf("no %s %s line in %s", type, w->module, host);
	expected = strf("%s %s line %s", type, w->module, want ? "present" : "absent");
	if (!shown || !expected)
		return -ENOMEM;
	return probe_result_set(ret, (w->n_lines > 0) == want ? VERDICT_PASS : VERDICT_FAIL, shown, expected);
}

/* option with present = no: no line of the module carries it. */
static int eval_option_absent(const struct pam_walk *w, const char *option, struct probe_result *ret)
{
	_cleanup_free_ char *shown = NULL, *expected = NULL;
	const struct pam_line *bad = NULL;

	for (size_t i = 0; i < w->n_lines && !bad; i++)
		if (line_option(&w->lines[i], option, NULL))
			bad = &w->lines[i];
	shown = bad ? strf("%s at %s", option, bad->where) : strf("no %s", option);
	expected = strf("no %s line with %s", w->module, option);
	if (!shown || !expected)
		return -ENOMEM;
	return probe_result_set(ret, bad ? VERDICT_FAIL : VERDICT_PASS, shown, expected);
}

static int pam_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const char *file = check_arg(c, "file"), *type = check_arg(c, "type"), *module = check_arg(c, "module");
	const char *present = check_arg(c, "present"), *option = check_arg(c, "option");
	_cleanup_free_ char *key = NULL, *shown = NULL, *host = NULL, *expected = NULL;
	_cleanup_(pam_walk_done) struct pam_walk w = { .root = ctx->root, .type = type };
	_cleanup_(conf_value_done) struct conf_value cv = {};
	const char *value, *arg = NULL;
	bool want_present = true;
	int r;

	if (!file || !type || !module || (!present && !option))
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	if (present)
		(void)parse_bool(present, &want_present);
	key = module_key(module, strlen(module));
	host = rootfs_host_path(ctx->root, file);
	if (!key || !host)
		return -ENOMEM;
	w.module = key;
	r = walk_file(&w, file, NULL, 0);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", w.diag.msg);

	if (!option)
		return eval_presence(&w, type, host, want_present, ret);
	if (present && !want_present)
		return eval_option_absent(&w, option, ret);

	expected = expect_present(c) ? expect_describe(c) : strf("%s set", option);
	if (!expected)
		return -ENOMEM;
	if (w.n_lines == 0) {
		shown = strf("no %s %s line in %s", type, key, host);
		if (!shown)
			return -ENOMEM;
		return probe_result_set(ret, VERDICT_FAIL, shown, expected);
	}

	value = line_option(&w.lines[0], option, &arg);
	if (value)
		shown = strf("%s (%s)", arg, w.lines[0].where);
	else {
		struct diag d = {};
		const char *conf;

		r = 0;
		if (streq(key, "pam_pwquality"))
			r = pwquality_conf(ctx->root, option, &cv, &d);
		else if (streq(key, "pam_faillock")) {
			conf = line_option(&w.lines[0], "conf", NULL);
			r = conf_scan(ctx->root, !isempty(conf) ? conf : "/etc/security/faillock.conf", option, &cv, &d);
		}
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", d.msg);
		value = cv.value;
		if (value)
			shown = strf("%s%s%s (%s)", option, *value ? "=" : "", value, cv.where);
		else
			shown = strf("(unset: not on %s nor in the module's configuration)", w.lines[0].where);
	}
	if (!shown)
		return -ENOMEM;
	if (expect_present(c))
		return expect_eval_shown(c, value, shown, false, ret);
	return probe_result_set(ret, value ? VERDICT_PASS : VERDICT_FAIL, shown, expected);
}

const struct probe probe_pam = {
	.name = "pam",
	.validate = pam_validate,
	.eval = pam_eval,
	.cache_free = NULL,
};
