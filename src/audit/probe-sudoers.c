/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "sudoers": a global Defaults setting of sudo, from etc/sudoers and
 * the files it includes, with sudoers(5) semantics:
 *
 *  - a line ending in a backslash continues on the next line;
 *  - '#' starts a comment (outside double quotes, and unless followed by
 *    a digit, which is a numeric uid "#1000"), except for the "#include"
 *    and "#includedir" directives; "@include"/"@includedir" are the same;
 *  - an included path that is not absolute is relative to the directory
 *    of the including file; "@includedir DIR" reads the files of DIR in
 *    lexical order, skipping names that end in '~' or contain a '.'
 *    (so that package manager and editor leftovers are not read);
 *    includes nest at most 8 deep; a missing file is skipped, as sudo does;
 *  - "Defaults" followed by white space is global; "Defaults:user",
 *    "Defaults@host", "Defaults>runas" and "Defaults!cmnd" apply to some
 *    users, hosts or commands only and are ignored here;
 *  - a Defaults line holds comma-separated entries: "flag", "!flag",
 *    "name=value", "name+=value", "name-=value", values optionally in
 *    double quotes with backslash escapes; the last entry for a name wins.
 *
 * Arguments:
 *	defaults = NAME		the setting (use_pty, logfile, ...)
 *	equals/one_of/min/max	(optional, expect.h) compare the value;
 *				without them the setting must be on: present
 *				and not negated.
 *	negated = no		instead: passes unless the setting is
 *				negated ("!authenticate"); for settings that
 *				are on by default.
 *
 *	tag = NOPASSWD		instead: passes if no user specification
 *				carries the tag (NOPASSWD, NOEXEC, SETENV,
 *				...); "Tag:" before a command, where a later
 *				opposite tag (PASSWD:) covers only the
 *				commands after it, so one occurrence is
 *				enough to fail.  Alias definitions and
 *				Defaults lines carry no tags.
 *
 * The value is what the files say; built-in defaults are not modelled
 * (sudo 1.9.13 in Debian 12 has use_pty off unless set).  Without
 * etc/sudoers (sudo not installed) the check is not_applicable.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>

#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define SUDOERS_PATH "/etc/sudoers"
#define SUDOERS_FILE_MAX (4u * 1024u * 1024u)
#define INCLUDE_DEPTH_MAX 8
#define FILES_MAX 512u

struct sudo_default {
	char *name;
	char *value;		/* NULL for a flag */
	bool negated;
	char *file;		/* host path, for the report */
	unsigned line;
};

struct sudo_tag {
	char *tag;
	char *file;		/* host path */
	char *path;		/* image path */
	unsigned line;
};

struct sudoers_cache {
	bool loaded;
	bool missing;		/* no etc/sudoers */
	int error;
	struct diag diag;
	struct sudo_default *defs;
	size_t n_defs, alloc;
	struct sudo_tag *tags;
	size_t n_tags, alloc_tags;
	unsigned n_files;
};

static void sudoers_cache_free(void *p)
{
	struct sudoers_cache *sc = p;

	if (!sc)
		return;
	for (size_t i = 0; i < sc->n_defs; i++) {
		free(sc->defs[i].name);
		free(sc->defs[i].value);
		free(sc->defs[i].file);
	}
	free(sc->defs);
	for (size_t i = 0; i < sc->n_tags; i++) {
		free(sc->tags[i].tag);
		free(sc->tags[i].file);
		free(sc->tags[i].path);
	}
	free(sc->tags);
	free(sc);
}

/* sudoers(5) Tag_Spec names. */
static const char *const sudo_tags[] = {
	"EXEC", "NOEXEC", "FOLLOW", "NOFOLLOW", "LOG_INPUT", "NOLOG_INPUT", "LOG_OUTPUT", "NOLOG_OUTPUT",
	"MAIL", "NOMAIL", "INTERCEPT", "NOINTERCEPT", "PASSWD", "NOPASSWD", "SETENV", "NOSETENV", NULL,
};

static bool is_tag(const char *s, size_t n)
{
	for (size_t i = 0; sudo_tags[i]; i++)
		if (strlen(sudo_tags[i]) == n && strncmp(sudo_tags[i], s, n) == 0)
			return true;
	return false;
}

static bool valid_name(const char *s)
{
	if (isempty(s))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int sudoers_validate(const struct check *c, struct diag *d)
{
	const char *name = check_arg(c, "defaults"), *tag = check_arg(c, "tag");

	for (size_t i = 0; i < c->n_args; i++)
		if (!streq(c->args[i].key, "defaults") && !streq(c->args[i].key, "negated") &&
		    !streq(c->args[i].key, "tag") && !expect_is_key(c->args[i].key))
			return diag_set(d, -EINVAL, "key '%s': unknown argument of probe sudoers", c->args[i].key);
	if (tag) {
		if (name || c->n_args != 1)
			return diag_set(d, -EINVAL, "key 'tag': cannot be combined with other arguments");
		if (!is_tag(tag, strlen(tag)))
			return diag_set(d, -EINVAL, "key 'tag': '%s' is not a sudoers tag (NOPASSWD, NOEXEC, ...)", tag);
		return 0;
	}
	if (!name)
		return diag_set(d, -EINVAL, "key 'defaults': required");
	if (!valid_name(name))
		return diag_set(d, -EINVAL, "key 'defaults': '%s' is not a sudoers Defaults name", name);
	if (check_arg(c, "negated")) {
		if (!streq(check_arg(c, "negated"), "no"))
			return diag_set(d, -EINVAL, "key 'negated': only 'no' is supported");
		if (expect_present(c) || check_arg(c, "absent_ok"))
			return diag_set(d, -EINVAL, "key 'negated': cannot be combined with an expectation");
	}
	if (check_arg(c, "absent_ok") && !expect_present(c))
		return diag_set(d, -EINVAL, "key 'absent_ok': needs equals, one_of, min or max");
	if (expect_present(c))
		return expect_validate(c, true, d);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse one entry of a Defaults list, s[0..n), and append it. */
static int add_entry(struct sudoers_cache *sc, const char *s, size_t n, const char *file, unsigned line)
{
	_cleanup_strbuf_ struct strbuf val = STRBUF_INIT;
	struct sudo_default def = { .line = line };
	const char *end = s + n, *name;
	size_t nl;

	while (s < end && is_blank(*s))
		s++;
	while (end > s && is_blank(end[-1]))
		end--;
	if (s == end)
		return 0;
	while (s < end && *s == '!') {
		def.negated = !def.negated;
		s++;
	}
	name = s;
	while (s < end && !is_blank(*s) && *s != '=' && *s != '+' && *s != '-')
		s++;
	nl = (size_t)(s - name);
	while (s < end && is_blank(*s))
		s++;
	if (s < end) {
		bool quoted;

		if (*s == '+' || *s == '-')
			s++;	/* list operators: the value as written is enough here */
		if (s == end || *s != '=')
			return 0;	/* not an entry vigil understands; sudo would reject it */
		s++;
		while (s < end && is_blank(*s))
			s++;
		quoted = s < end && *s == '"';
		if (quoted)
			s++;
		for (; s < end; s++) {
			if (quoted && *s == '"')
				break;
			if (*s == '\\' && s + 1 < end)
				s++;
			strbuf_putc(&val, *s);
		}
		if (strbuf_error(&val) < 0)
			return -ENOMEM;
		def.value = strbuf_steal(&val);
		if (!def.value)
			return -ENOMEM;
	}
	def.name = strndup(name, nl);
	def.file = strdup(file);
	if (!def.name || !def.file ||
	    grow_array((void **)&sc->defs, &sc->alloc, sc->n_defs + 1, sizeof(*sc->defs)) < 0) {
		free(def.name);
		free(def.value);
		free(def.file);
		return -ENOMEM;
	}
	sc->defs[sc->n_defs++] = def;
	return 0;
}

/* "Defaults" + blank + list: split on commas outside double quotes. */
static int parse_defaults(struct sudoers_cache *sc, const char *s, const char *file, unsigned line)
{
	const char *start = s;
	bool quoted = false;

	for (;; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == '"')
			quoted = !quoted;
		if (*s == '\0' || (*s == ',' && !quoted)) {
			int r = add_entry(sc, start, (size_t)(s - start), file, line);

			if (r < 0 || *s == '\0')
				return r;
			start = s + 1;
		}
	}
}

/* Cut a comment: '#' outside quotes not followed by a digit. */
static void strip_comment(char *s)
{
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '#' && !quoted && !(s[1] >= '0' && s[1] <= '9')) {
			*s = '\0';
			return;
		}
	}
}

static int parse_file(struct sudoers_cache *sc, const struct rootfs *root, const char *path, unsigned depth);

/* Directory part of path, malloc'ed. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static bool includedir_skips(const char *name)
{
	size_t n = strlen(name);

	return n == 0 || strchr(name, '.') || name[n - 1] == '~';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse_includedir(struct sudoers_cache *sc, const struct rootfs *root, const char *dir, unsigned depth)
{
	_cleanup_free_ char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	fd = rootfs_openat(root, dir, O_RDONLY | O_DIRECTORY);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		r = negative_errno();
		close(fd);
		return r;
	}
	while ((de = readdir(d))) {
		char *copy;

		if (includedir_skips(de->d_name))
			continue;
		if (n >= FILES_MAX) {
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
	closedir(d);
	if (r == 0 && n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		_cleanup_free_ char *p = path_join(dir, names[i]);

		r = p ? parse_file(sc, root, p, depth + 1) : -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return r;
}

/* The argument of an include directive: a path, optionally quoted. */
static char *include_arg(const char *s, const char *cur_path)
{
	_cleanup_free_ char *dir = NULL;
	const char *end;
	char *p = NULL;

	while (is_blank(*s))
		s++;
	if (*s == '"') {
		s++;
		end = strchr(s, '"');
		if (!end)
			end = s + strlen(s);
	} else {
		end = s + strcspn(s, " \t");
	}
	if (end == s)
		return NULL;
	if (*s == '/')
		return strndup(s, (size_t)(end - s));
	dir = dir_of(cur_path);
	if (!dir || asprintf(&p, "%s/%.*s", streq(dir, "/") ? "" : dir, (int)(end - s), s) < 0)
		return NULL;
	return p;
}

/* A user specification: record each "TAG:" after the first '=' (tags
 * come before a command: "user host = (runas) NOPASSWD:NOEXEC: cmd"). */
static int parse_user_spec(struct sudoers_cache *sc, const char *s, const char *path, const char *where,
			   unsigned line)
{
	const char *p = strchr(s, '=');

	if (!p)
		return 0;
	for (p++; *p;) {
		const char *w = p;
		size_t n;

		while ((*p >= 'A' && *p <= 'Z') || *p == '_')
			p++;
		n = (size_t)(p - w);
		if (n > 0 && *p == ':' && (w == s || !isalnum((unsigned char)w[-1])) && is_tag(w, n)) {
			struct sudo_tag t = { .tag = strndup(w, n), .file = strdup(where), .path = strdup(path), .line = line };

			if (!t.tag || !t.file || !t.path ||
			    grow_array((void **)&sc->tags, &sc->alloc_tags, sc->n_tags + 1, sizeof(*sc->tags)) < 0) {
				free(t.tag);
				free(t.file);
				free(t.path);
				return -ENOMEM;
			}
			sc->tags[sc->n_tags++] = t;
		}
		if (n == 0)
			p++;
	}
	return 0;
}

static int parse_line(struct sudoers_cache *sc, const struct rootfs *root, const char *path, const char *where,
		      char *s, unsigned line, unsigned depth)
{
	while (is_blank(*s))
		s++;
	if ((s[0] == '#' || s[0] == '@') &&
	    (strncmp(s + 1, "includedir", 10) == 0 || strncmp(s + 1, "include", 7) == 0)) {
		bool isdir = strncmp(s + 1, "includedir", 10) == 0;
		const char *arg = s + 1 + (isdir ? 10 : 7);
		_cleanup_free_ char *target = NULL;

		if (is_blank(*arg)) {
			if (depth >= INCLUDE_DEPTH_MAX)
				return diag_set(&sc->diag, -ELOOP, "%s:%u: includes nested more than %d deep", where,
						line, INCLUDE_DEPTH_MAX);
			target = include_arg(arg, path);
			if (!target)
				return -ENOMEM;
			return isdir ? parse_includedir(sc, root, target, depth) : parse_file(sc, root, target, depth + 1);
		}
	}
	strip_comment(s);
	if (strncmp(s, "Defaults", 8) == 0 && is_blank(s[8]))
		return parse_defaults(sc, s + 9, where, line);
	if (strncmp(s, "Defaults", 8) == 0 || strncmp(s, "User_Alias", 10) == 0 || strncmp(s, "Runas_Alias", 11) == 0 ||
	    strncmp(s, "Host_Alias", 10) == 0 || strncmp(s, "Cmnd_Alias", 10) == 0 || strncmp(s, "Cmd_Alias", 9) == 0)
		return 0;	/* bound Defaults and aliases carry no tags */
	return parse_user_spec(sc, s, path, where, line);
}

static int parse_file(struct sudoers_cache *sc, const struct rootfs *root, const char *path, unsigned depth)
{
	_cleanup_free_ char *data = NULL, *where = NULL;
	_cleanup_strbuf_ struct strbuf logical = STRBUF_INIT;
	unsigned line = 0, first = 0;
	size_t len = 0, pos = 0;
	int r;

	if (++sc->n_files > FILES_MAX)
		return diag_set(&sc->diag, -E2BIG, "%s: more than %u sudoers files", path, FILES_MAX);
	where = rootfs_host_path(root, path);
	if (!where)
		return -ENOMEM;
	r = rootfs_read_file(root, path, SUDOERS_FILE_MAX, &data, &len);
	if (r == -ENOENT && depth > 0)
		return 0;
	if (r < 0)
		return r == -ENOMEM ? r : diag_set(&sc->diag, r, "%s: %s", where, strerror(-r));
	if (memchr(data, '\0', len))
		return diag_set(&sc->diag, -EINVAL, "%s: embedded NUL byte", where);

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		bool cont;

		pos += n + (nl ? 1 : 0);
		line++;
		if (logical.len == 0)
			first = line;
		cont = n > 0 && s[n - 1] == '\\';
		strbuf_append(&logical, s, cont ? n - 1 : n);
		if (cont && pos < len)
			continue;
		if (strbuf_error(&logical) < 0)
			return -ENOMEM;
		r = parse_line(sc, root, path, where, logical.buf ? logical.buf : (char *)"", first, depth);
		if (r < 0)
			return r;
		strbuf_reset(&logical);
	}
	return 0;
}

static int load(struct sudoers_cache *sc, const struct rootfs *root)
{
	struct stat st;
	int r;

	sc->loaded = true;
	if (rootfs_stat(root, SUDOERS_PATH, true, &st) == -ENOENT) {
		sc->missing = true;
		return 0;
	}
	r = parse_file(sc, root, SUDOERS_PATH, 0);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		sc->error = r;
		if (diag_empty(&sc->diag))
			diag_set(&sc->diag, r, "%s: %s", SUDOERS_PATH, strerror(-r));
	}
	return 0;
}

static int eval_tag(const struct sudoers_cache *sc, const char *tag, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	_cleanup_free_ char *exp = NULL;
	unsigned count = 0;

	for (size_t i = 0; i < sc->n_tags; i++) {
		if (!streq(sc->tags[i].tag, tag))
			continue;
		if (++count <= 3)
			strbuf_printf(&obs, "%s%s:%u", count > 1 ? ", " : "", sc->tags[i].file, sc->tags[i].line);
		if ((ret->n_findings == 0 || !streq(ret->findings[ret->n_findings - 1], sc->tags[i].path)) &&
		    probe_result_add_finding(ret, sc->tags[i].path) < 0)
			return -ENOMEM;
	}
	if (count == 0)
		strbuf_printf(&obs, "no rule with %s", tag);
	else if (count > 3)
		strbuf_puts(&obs, ", ...");
	if (strbuf_error(&obs) < 0 || asprintf(&exp, "no rule with %s", tag) < 0) {
		exp = NULL;
		return -ENOMEM;
	}
	if (count) {
		_cleanup_free_ char *o = NULL;

		if (asprintf(&o, "%u rule%s with %s: %s", count, count > 1 ? "s" : "", tag, strbuf_str(&obs)) < 0)
			return -ENOMEM;
		return probe_result_set(ret, VERDICT_FAIL, o, exp);
	}
	return probe_result_set(ret, VERDICT_PASS, strbuf_str(&obs), exp);
}

static int eval_cached(const struct check *c, struct audit_ctx *ctx, void **slot, struct probe_result *ret)
{
	const char *name = check_arg(c, "defaults"), *tag = check_arg(c, "tag");
	struct sudoers_cache *sc = *slot;
	const struct sudo_default *last = NULL;
	_cleanup_free_ char *shown = NULL;
	int r;

	if (!name && !tag)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	if (!sc) {
		sc = calloc(1, sizeof(*sc));
		if (!sc)
			return -ENOMEM;
		*slot = sc;
	}
	if (!sc->loaded) {
		r = load(sc, ctx->root);
		if (r < 0)
			return r;
	}
	if (sc->missing)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "sudo is not configured (no %s)",
						SUDOERS_PATH);
	if (sc->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", sc->diag.msg);
	if (tag)
		return eval_tag(sc, tag, ret);

	for (size_t i = 0; i < sc->n_defs; i++)
		if (streq(sc->defs[i].name, name))
			last = &sc->defs[i];
	if (last && asprintf(&shown, "%s%s%s%s (%s:%u)", last->negated ? "!" : "", name, last->value ? "=" : "",
			     last->value ?: "", last->file, last->line) < 0) {
		shown = NULL;
		return -ENOMEM;
	}
	if (expect_present(c))
		return expect_eval_shown(c, last && !last->negated ? last->value : NULL, shown, false, ret);
	if (check_arg(c, "negated")) {
		_cleanup_free_ char *exp = NULL;

		if (asprintf(&exp, "not !%s", name) < 0) {
			exp = NULL;
			return -ENOMEM;
		}
		return probe_result_set(ret, last && last->negated ? VERDICT_FAIL : VERDICT_PASS, shown ?: "(unset)",
					exp);
	}
	{
		_cleanup_free_ char *exp = NULL;

		if (asprintf(&exp, "%s set", name) < 0) {
			exp = NULL;
			return -ENOMEM;
		}
		return probe_result_set(ret, last && !last->negated ? VERDICT_PASS : VERDICT_FAIL,
					shown ?: "(unset)", exp);
	}
}

static int sudoers_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	void *tmp = NULL, **slot = audit_ctx_cache(ctx, &probe_sudoers);
	int r;

	/* Not in the engine's table (a test, or not registered yet): no cache. */
	if (!slot)
		slot = &tmp;
	r = eval_cached(c, ctx, slot, ret);
	sudoers_cache_free(tmp);
	return r;
}

const struct probe probe_sudoers = {
	.name = "sudoers",
	.validate = sudoers_validate,
	.eval = sudoers_eval,
	.cache_free = sudoers_cache_free,
};
