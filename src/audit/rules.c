/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libinih does the key = value splitting and comments; the reader below
 * feeds it one line at a time so that we know the line number, reject
 * what Debian's libinih would silently mangle (lines over 199 bytes are
 * split, names over 49 characters truncated, indented lines glued onto
 * the previous value) and see section headers, which libinih 55 does not
 * report (INI_CALL_HANDLER_ON_NEW_SECTION is off).
 */
#include <dirent.h>
#include <stdarg.h>
#include <fcntl.h>
#include <ini.h>
#include <sys/stat.h>

#include "fileio.h"
#include "probes.h"
#include "rules.h"

#define RULES_MAX_LINE 199		/* libinih INI_MAX_LINE 200 with the NUL */
#define RULES_MAX_NAME 49		/* libinih MAX_SECTION/MAX_NAME 50 with the NUL */
#define RULES_MAX_FILE (1024 * 1024)
#define RULES_MAX_CHECKS 10000
#define RULES_MAX_ARGS 32
#define RULES_MAX_PATHS 64
#define RULES_MAX_FILES 4096

enum {
	KEY_TITLE,
	KEY_CIS,
	KEY_CATEGORY,
	KEY_SEVERITY,
	KEY_RATIONALE,
	KEY_REMEDIATION,
	KEY_PATHS,
	KEY_PROBE,
	KEY_ENABLED,
	KEY_IF_INSTALLED,
	_KEY_MAX,
};

static const char *const engine_keys[_KEY_MAX] = {
	[KEY_TITLE] = "title",		 [KEY_CIS] = "cis",	      [KEY_CATEGORY] = "category",
	[KEY_SEVERITY] = "severity",	 [KEY_RATIONALE] = "rationale", [KEY_REMEDIATION] = "remediation",
	[KEY_PATHS] = "paths",		 [KEY_PROBE] = "probe",	      [KEY_ENABLED] = "enabled",
	[KEY_IF_INSTALLED] = "if_installed",
};

struct loader {
	struct check_set *set;
	const char *name;
	const char *text, *end, *pos;
	unsigned line;
	/* the section being read */
	struct check *cur;
	unsigned key_line[_KEY_MAX];
	unsigned n_keys;
	char **seen_ids;	/* sections of this file, for duplicates */
	size_t n_seen, allocated_seen;
	int error;
	unsigned error_line;
	struct diag *d;
};

bool rules_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n < 1 || n > 41)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = id[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			continue;
		if (i > 0 && (ch == '.' || ch == '-'))
			continue;
		return false;
	}
	return true;
}

void check_set_done(struct check_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		check_free(s->checks[i]);
	free(s->checks);
	*s = (struct check_set)CHECK_SET_INIT;
}

struct check *check_set_find(const struct check_set *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (streq(s->checks[i]->id, id))
			return s->checks[i];
	return NULL;
}

_printf_(4, 5) static int fail(struct loader *l, int err, unsigned line, const char *fmt, ...)
{
	char reason[sizeof(l->d->msg)];
	va_list ap;

	if (l->error < 0)
		return l->error;
	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	l->error = err;
	l->error_line = line;
	if (err == -ENOMEM)
		return diag_set(l->d, err, "%s: out of memory", l->name);
	return diag_set(l->d, err, "%s:%u: %s", l->name, line, reason);
}

/* The line of the argument a probe's reason names ("key 'x': ..."), so
 * the error points at the offending line rather than the section. */
static unsigned reason_line(const struct check *c, const char *reason, const unsigned *key_line)
{
	const char *p = strstr(reason, "key '");
	char key[RULES_MAX_NAME + 1];
	size_t n;

	if (!p)
		return c->line;
	p += 5;
	n = strcspn(p, "'");
	if (n == 0 || n > RULES_MAX_NAME || p[n] != '\'')
		return c->line;
	memcpy(key, p, n);
	key[n] = '\0';
	for (size_t i = 0; i < _KEY_MAX; i++)
		if (streq(engine_keys[i], key) && key_line[i])
			return key_line[i];
	const struct check_arg *a = check_arg_full(c, key);
	return a ? a->line : c->line;
}

static int add_check(struct check_set *s, struct check *c)
{
	if (s->n >= RULES_MAX_CHECKS)
		return -E2BIG;
	if (grow_array((void **)&s->checks, &s->allocated, s->n + 1, sizeof(*s->checks)) < 0)
		return -ENOMEM;
	s->checks[s->n++] = c;
	return 0;
}

/* End of a section: validate it and merge it into the set. */
static int finish_section(struct loader *l)
{
	_cleanup_check_ struct check *c = TAKE_PTR(l->cur);
	const struct probe *p;
	struct check *old;
	struct diag pd = {};
	unsigned missing_line;
	int r;

	if (!c)
		return 0;
	old = check_set_find(l->set, c->id);

	/* A section of only "enabled" toggles an earlier check. */
	if (l->n_keys == 1 && l->key_line[KEY_ENABLED]) {
		if (old) {
			old->enabled = c->enabled;
			return 0;
		}
		/* Disabling a check that does not exist (any more) is not an
		 * error: local overrides must survive a rule set upgrade. */
		if (!c->enabled)
			return 0;
	}

	missing_line = c->line;
	if (!c->title)
		return fail(l, -EINVAL, missing_line, "check '%s': missing key 'title'", c->id);
	if (!c->category)
		return fail(l, -EINVAL, missing_line, "check '%s': missing key 'category'", c->id);
	if (!l->key_line[KEY_SEVERITY])
		return fail(l, -EINVAL, missing_line, "check '%s': missing key 'severity'", c->id);
	if (!c->remediation)
		return fail(l, -EINVAL, missing_line, "check '%s': missing key 'remediation'", c->id);
	if (!c->probe)
		return fail(l, -EINVAL, missing_line, "check '%s': missing key 'probe'", c->id);

	p = probe_find(c->probe);
	if (!p)
		return fail(l, -EINVAL, l->key_line[KEY_PROBE], "check '%s': unknown probe '%s'", c->id, c->probe);
	if (c->if_installed) {
		/* the same names the package probe accepts */
		struct check_arg a[] = { { "package", c->if_installed, 0 }, { "installed", (char *)"yes", 0 } };
		struct check gate = { .id = c->id, .probe = (char *)"package", .args = a, .n_args = 2 };

		r = probe_package.validate(&gate, &pd);
		if (r == -ENOMEM)
			return fail(l, r, c->line, "out of memory");
		if (r < 0)
			return fail(l, -EINVAL, l->key_line[KEY_IF_INSTALLED], "check '%s': key 'if_installed': %s",
				    c->id, strstr(pd.msg, "': ") ? strstr(pd.msg, "': ") + 3 : pd.msg);
		diag_clear(&pd);
	}
	if (p->validate) {
		r = p->validate(c, &pd);
		if (r == -ENOMEM)
			return fail(l, r, c->line, "out of memory");
		if (r < 0)
			return fail(l, -EINVAL, reason_line(c, pd.msg, l->key_line), "check '%s': %s", c->id,
				    diag_empty(&pd) ? "invalid arguments" : pd.msg);
	}

	if (old) {
		for (size_t i = 0; i < l->set->n; i++)
			if (l->set->checks[i] == old) {
				l->set->checks[i] = TAKE_PTR(c);
				break;
			}
		check_free(old);
		return 0;
	}
	r = add_check(l->set, c);
	if (r < 0)
		return fail(l, r, c->line, "too many checks");
	TAKE_PTR(c);
	return 0;
}

static int start_section(struct loader *l, const char *s, size_t n)
{
	_cleanup_free_ char *id = NULL;
	struct check *c;

	if (n > RULES_MAX_NAME)
		return fail(l, -EINVAL, l->line, "section name longer than %d characters", RULES_MAX_NAME);
	id = strndup(s, n);
	if (!id)
		return fail(l, -ENOMEM, l->line, "out of memory");
	if (!rules_id_valid(id))
		return fail(l, -EINVAL, l->line, "invalid check id '%s' (expected [a-z0-9][a-z0-9.-]{0,40})", id);
	for (size_t i = 0; i < l->n_seen; i++)
		if (streq(l->seen_ids[i], id))
			return fail(l, -EINVAL, l->line, "duplicate section '%s' in this file", id);
	if (grow_array((void **)&l->seen_ids, &l->allocated_seen, l->n_seen + 1, sizeof(char *)) < 0)
		return fail(l, -ENOMEM, l->line, "out of memory");
	l->seen_ids[l->n_seen] = strdup(id);
	if (!l->seen_ids[l->n_seen])
		return fail(l, -ENOMEM, l->line, "out of memory");
	l->n_seen++;

	c = calloc(1, sizeof(*c));
	if (!c)
		return fail(l, -ENOMEM, l->line, "out of memory");
	c->id = TAKE_PTR(id);
	c->enabled = true;
	c->severity = SEVERITY_MEDIUM;
	c->line = l->line;
	c->file = strdup(l->name);
	l->cur = c;
	memset(l->key_line, 0, sizeof(l->key_line));
	l->n_keys = 0;
	if (!c->file)
		return fail(l, -ENOMEM, l->line, "out of memory");
	return 0;
}

/* Structural checks on one raw line (without its newline). */
static int inspect_line(struct loader *l, const char *s, size_t n)
{
	size_t i = 0;

	if (memchr(s, '\0', n))
		return fail(l, -EINVAL, l->line, "NUL byte in line");
	if (n > RULES_MAX_LINE)
		return fail(l, -EINVAL, l->line, "line longer than %d bytes", RULES_MAX_LINE);
	if (l->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (i < n && (s[i] == ' ' || s[i] == '\t')) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i < n && s[i] != '#' && s[i] != ';')
			return fail(l, -EINVAL, l->line,
				    "indented line (continuation lines are not supported)");
		return 0;
	}
	if (i >= n || s[i] == '#' || s[i] == ';' || s[i] == '\r')
		return 0;
	if (s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);
		const char *name = s + i + 1;
		size_t len;

		if (!close)
			return fail(l, -EINVAL, l->line, "section header without ']'");
		len = (size_t)(close - name);
		while (len > 0 && (*name == ' ' || *name == '\t'))
			name++, len--;
		while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
			len--;
		if (finish_section(l) < 0)
			return l->error;
		return start_section(l, name, len);
	}
	/* key = value: libinih takes the first '=' or ':' */
	size_t k = i;
	while (k < n && s[k] != '=' && s[k] != ':')
		k++;
	while (k > i && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k - i > RULES_MAX_NAME)
		return fail(l, -EINVAL, l->line, "key longer than %d characters", RULES_MAX_NAME);
	return 0;
}

static char *reader(char *str, int num, void *stream)
{
	struct loader *l = stream;
	const char *nl;
	size_t n, len;

	if (l->error < 0 || l->pos >= l->end)
		return NULL;
	nl = memchr(l->pos, '\n', (size_t)(l->end - l->pos));
	len = nl ? (size_t)(nl - l->pos) : (size_t)(l->end - l->pos);
	l->line++;
	if (inspect_line(l, l->pos, len) < 0)
		return NULL;
	n = MIN(len, (size_t)num - 1);	/* fits: len <= RULES_MAX_LINE < num */
	memcpy(str, l->pos, n);
	str[n] = '\0';
	l->pos += len + (nl ? 1 : 0);
	return str;
}

static int set_string(struct loader *l, char **field, const char *key, const char *value)
{
	if (isempty(value))
		return fail(l, -EINVAL, l->line, "key '%s': empty value", key);
	free(*field);
	*field = strdup(value);
	if (!*field)
		return fail(l, -ENOMEM, l->line, "out of memory");
	return 0;
}

static int set_paths(struct loader *l, struct check *c, const char *value)
{
	for (const char *p = value; *p;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (*p != '/')
			return fail(l, -EINVAL, l->line, "key 'paths': '%.*s' is not an absolute path", (int)n, p);
		if (c->n_paths >= RULES_MAX_PATHS)
			return fail(l, -EINVAL, l->line, "key 'paths': more than %d paths", RULES_MAX_PATHS);
		char **np = realloc(c->paths, (c->n_paths + 1) * sizeof(char *));
		if (!np)
			return fail(l, -ENOMEM, l->line, "out of memory");
		c->paths = np;
		c->paths[c->n_paths] = strndup(p, n);
		if (!c->paths[c->n_paths])
			return fail(l, -ENOMEM, l->line, "out of memory");
		c->n_paths++;
		p += n;
	}
	return 0;
}

static int set_engine_key(struct loader *l, struct check *c, int k, const char *value)
{
	switch (k) {
	case KEY_TITLE:
		return set_string(l, &c->title, "title", value);
	case KEY_CIS:
		/* "cis = -": a check of vigil's own, not from the benchmark;
		 * said explicitly so that a missing reference stands out. */
		if (streq(value, "-")) {
			free(c->cis);
			c->cis = NULL;
			return 0;
		}
		return set_string(l, &c->cis, "cis", value);
	case KEY_CATEGORY:
		return set_string(l, &c->category, "category", value);
	case KEY_RATIONALE:
		return set_string(l, &c->rationale, "rationale", value);
	case KEY_REMEDIATION:
		return set_string(l, &c->remediation, "remediation", value);
	case KEY_PROBE:
		return set_string(l, &c->probe, "probe", value);
	case KEY_PATHS:
		return set_paths(l, c, value);
	case KEY_SEVERITY:
		if (severity_from_name(value, &c->severity) < 0 || c->severity == SEVERITY_INFO)
			return fail(l, -EINVAL, l->line,
				    "key 'severity': '%s' is not low, medium, high or critical", value);
		return 0;
	case KEY_IF_INSTALLED:
		return set_string(l, &c->if_installed, "if_installed", value);
	case KEY_ENABLED:
		if (parse_bool(value, &c->enabled) < 0)
			return fail(l, -EINVAL, l->line, "key 'enabled': '%s' is not yes or no", value);
		return 0;
	}
	return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *l = user;
	struct check *c = l->cur;

	(void)section;	/* tracked by the reader, untruncated */
	if (l->error < 0)
		return 0;
	if (!c) {
		fail(l, -EINVAL, l->line, "key '%s' outside a [check-id] section", name);
		return 0;
	}
	if (!value)
		value = "";
	for (int k = 0; k < _KEY_MAX; k++)
		if (streq(name, engine_keys[k])) {
			if (l->key_line[k]) {
				fail(l, -EINVAL, l->line, "duplicate key '%s' (first on line %u)", name, l->key_line[k]);
				return 0;
			}
			l->key_line[k] = l->line;
			l->n_keys++;
			return set_engine_key(l, c, k, value) < 0 ? 0 : 1;
		}

	const struct check_arg *dup = check_arg_full(c, name);
	if (dup) {
		fail(l, -EINVAL, l->line, "duplicate key '%s' (first on line %u)", name, dup->line);
		return 0;
	}
	if (c->n_args >= RULES_MAX_ARGS) {
		fail(l, -EINVAL, l->line, "more than %d probe arguments", RULES_MAX_ARGS);
		return 0;
	}
	struct check_arg *na = realloc(c->args, (c->n_args + 1) * sizeof(*na));
	if (!na) {
		fail(l, -ENOMEM, l->line, "out of memory");
		return 0;
	}
	c->args = na;
	na[c->n_args] = (struct check_arg){ .key = strdup(name), .value = strdup(value), .line = l->line };
	c->n_args++;
	l->n_keys++;
	if (!na[c->n_args - 1].key || !na[c->n_args - 1].value) {
		fail(l, -ENOMEM, l->line, "out of memory");
		return 0;
	}
	return 1;
}

int rules_load_text(struct check_set *s, const char *name, const char *text, size_t len, struct diag *d)
{
	struct loader l = {
		.set = s, .name = name, .text = text, .end = text + len, .pos = text, .d = d,
	};
	int r;

	r = ini_parse_stream(reader, &l, handler, &l);
	/* libinih reports the first line it could not parse (no '=', a
	 * section without ']'); the reader stops at our first error, so the
	 * smaller line number is the first problem of the file. */
	if (r > 0 && (l.error == 0 || (unsigned)r < l.error_line)) {
		l.error = 0;
		fail(&l, -EINVAL, (unsigned)r, "syntax error (expected '[check-id]' or 'key = value')");
	} else if (r < 0 && l.error == 0)
		fail(&l, -ENOMEM, l.line, "out of memory");
	if (l.error == 0)
		(void)finish_section(&l);
	check_free(l.cur);
	for (size_t i = 0; i < l.n_seen; i++)
		free(l.seen_ids[i]);
	free(l.seen_ids);
	return l.error;
}

int rules_load_file(struct check_set *s, const char *path, struct diag *d)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = read_file_at(AT_FDCWD, path, true, RULES_MAX_FILE, &text, &len);
	if (r == -EFBIG)
		return diag_set(d, -EINVAL, "%s: larger than %d bytes", path, RULES_MAX_FILE);
	if (r < 0)
		return diag_set(d, r, "%s: cannot read: %s", path, strerror(-r));
	return rules_load_text(s, path, text, len, d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct name_list {
	char **v;
	size_t n, allocated;
};

static void name_list_done(struct name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void closedirp(DIR **d)
{
	if (*d)
		(void)closedir(*d);
}

static int load_dir(struct check_set *s, const char *dir, bool must_exist, struct diag *d)
{
	_cleanup_(closedirp) DIR *dp = NULL;
	_cleanup_(name_list_done) struct name_list names = {};
	struct dirent *de;
	int r;

	dp = opendir(dir);
	if (!dp) {
		r = negative_errno();
		if (r == -ENOENT && !must_exist)
			return 0;
		return diag_set(d, r, "%s: cannot open rule directory: %s", dir, strerror(-r));
	}
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 6 || !streq(de->d_name + len - 5, ".conf"))
			continue;
		if (names.n >= RULES_MAX_FILES)
			return diag_set(d, -E2BIG, "%s: more than %d rule files", dir, RULES_MAX_FILES);
		if (grow_array((void **)&names.v, &names.allocated, names.n + 1, sizeof(char *)) < 0)
			return -ENOMEM;
		names.v[names.n] = path_join(dir, de->d_name);
		if (!names.v[names.n])
			return -ENOMEM;
		names.n++;
	}
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		struct stat st;

		/* A dangling link or a directory named x.conf is not a rule file. */
		if (stat(names.v[i], &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		r = rules_load_file(s, names.v[i], d);
		if (r < 0)
			return r;
	}
	return 0;
}

int rules_load_dirs(struct check_set *s, char *const *dirs, size_t n_dirs, bool must_exist, struct diag *d)
{
	for (size_t i = 0; i < n_dirs; i++) {
		int r = load_dir(s, dirs[i], must_exist, d);
		if (r < 0)
			return r;
	}
	return 0;
}
