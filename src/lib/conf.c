/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdarg.h>
#include <ini.h>
#include <sys/stat.h>

#include "conf.h"
#include "record.h"

/*
 * Debian's libinih is built with the header defaults: INI_MAX_LINE 200
 * (longer lines are split and the rest parsed as a new line), section
 * names silently truncated to 49 bytes, no callback on a new section, and
 * parsing goes on after an error.  So vigil feeds inih through its own
 * line reader, which counts lines, rejects over-long lines and section
 * names, and catches duplicate sections before inih ever sees them.
 */
#define CONF_MAX_LINE 199	/* INI_MAX_LINE minus the NUL */
#define CONF_MAX_SECTION 49

enum section_kind {
	SECTION_NONE,
	SECTION_VIGIL,
	SECTION_WATCH,
	SECTION_DAEMON,
};

/* Single-valued keys seen in the current section (duplicates are errors). */
enum {
	SEEN_DATABASE = 1u << 0,
	SEEN_PUBKEY = 1u << 1,
	SEEN_THREADS = 1u << 2,
	SEEN_ONEFS = 1u << 3,
	SEEN_RECURSE = 1u << 4,
	SEEN_ATTRIBUTES = 1u << 5,
	SEEN_MONITOR = 1u << 6,
	SEEN_DEBOUNCE = 1u << 7,
	SEEN_BURST = 1u << 8,
	SEEN_AUDIT = 1u << 9,
	SEEN_CHECK = 1u << 10,
};

struct seen_section {
	char name[CONF_MAX_SECTION + 1];
	unsigned line;
	bool used;	/* the handler saw a key of it */
};

struct watch_pending {
	char name[CONF_MAX_SECTION + 1];
	unsigned line;
	char **paths;
	size_t n_paths;
	unsigned *path_lines;
	char **excludes;
	size_t n_excludes;
	bool recurse;
	uint32_t mask;
};

struct parser {
	const char *name;	/* file name for messages */
	/* line source: a FILE or a string */
	FILE *f;
	const char *text;
	unsigned line;		/* number of the line last handed to inih */
	struct seen_section *sections;
	size_t n_sections;
	/* the section inih is in, as the handler sees it */
	char cur[CONF_MAX_SECTION + 1];
	enum section_kind kind;
	unsigned seen;
	struct watch_pending w;
	int read_error;		/* -errno of a failed read of f, 0 if none */
	unsigned error_line;	/* line of the first error we found, 0 if none */
	int error;
	struct diag *d;
	struct vigil_conf *conf;
};

static int perr(struct parser *p, unsigned line, int err, const char *fmt, ...) _printf_(4, 5);

static int perr(struct parser *p, unsigned line, int err, const char *fmt, ...)
{
	char buf[768];
	va_list ap;

	if (p->error_line)
		return err;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->error_line = line;
	p->error = err;
	return diag_set(p->d, err, "%s:%u: %s", p->name, line, buf);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void watch_pending_done(struct watch_pending *w)
{
	strv_free(w->paths, w->n_paths);
	strv_free(w->excludes, w->n_excludes);
	free(w->path_lines);
	*w = (struct watch_pending){ 0 };
}

static bool section_name_valid(const char *s, size_t len)
{
	if ((len == 5 && strncmp(s, "vigil", 5) == 0) || (len == 6 && strncmp(s, "daemon", 6) == 0))
		return true;
	/* "watch NAME": NAME is one word of letters, digits, '-', '_', '.' */
	if (len < 7 || strncmp(s, "watch ", 6) != 0)
		return false;
	for (size_t i = 6; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

/* Look at a raw line the way inih will: a section header? */
static void reader_check_line(struct parser *p, char *line)
{
	char *s = line, *end;
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	if (*s != '[')
		return;
	end = strchr(s + 1, ']');
	if (!end)
		return;		/* inih reports the syntax error */
	len = (size_t)(end - (s + 1));
	if (len > CONF_MAX_SECTION) {
		(void)perr(p, p->line, -EINVAL, "section name longer than %d characters", CONF_MAX_SECTION);
		return;
	}
	if (!section_name_valid(s + 1, len)) {
		(void)perr(p, p->line, -EINVAL, "unknown section [%.*s] (expected [vigil], [watch NAME] or [daemon])",
			   (int)len, s + 1);
		return;
	}
	for (size_t i = 0; i < p->n_sections; i++)
		if (strlen(p->sections[i].name) == len && strncmp(p->sections[i].name, s + 1, len) == 0) {
			(void)perr(p, p->line, -EINVAL, "duplicate section [%.*s] (first at line %u)", (int)len,
				   s + 1, p->sections[i].line);
			return;
		}
	size_t alloc = p->n_sections;
	if (grow_array((void **)&p->sections, &alloc, p->n_sections + 1, sizeof(*p->sections)) < 0) {
		(void)perr(p, p->line, -ENOMEM, "out of memory");
		return;
	}
	p->sections[p->n_sections] = (struct seen_section){ .line = p->line };
	memcpy(p->sections[p->n_sections].name, s + 1, len);
	p->n_sections++;
}

/* Copy the next line (at most num-1 bytes) into str; NULL at the end. */
static char *reader_next(struct parser *p, char *str, int num, bool *ret_truncated)
{
	size_t n = 0, cap = (size_t)num - 1;
	bool nl = false;
	int c;

	*ret_truncated = false;
	for (;;) {
		if (p->f) {
			errno = 0;
			c = getc(p->f);
			/* EOF is also how getc() fails (EISDIR, EIO): a read
			 * error must not pass for the end of the file. */
			if (c == EOF && ferror(p->f)) {
				if (!p->read_error)
					p->read_error = negative_errno();
				break;
			}
		} else
			c = *p->text ? (unsigned char)*p->text++ : EOF;
		if (c == EOF)
			break;
		if (c == '\n') {
			nl = true;
			break;
		}
		if (c == '\0') {
			*ret_truncated = true;	/* treat an embedded NUL like garbage */
			continue;
		}
		if (n < cap)
			str[n++] = (char)c;
		else
			*ret_truncated = true;
	}
	if (n == 0 && !nl && c == EOF)
		return NULL;
	str[n] = '\0';
	return str;
}

static char *reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	bool bad;

	if (!reader_next(p, str, num, &bad))
		return NULL;
	p->line++;
	if (bad) {
		(void)perr(p, p->line, -EINVAL, "line longer than %d bytes or containing a NUL byte", CONF_MAX_LINE);
		str[0] = '\0';	/* let inih skip it */
		return str;
	}
	reader_check_line(p, str);
	return str;
}

static int set_abs_path(struct parser *p, char **dst, const char *key, const char *value)
{
	_cleanup_free_ char *norm = NULL;
	int r;

	r = path_normalize(value, &norm);
	if (r == -ENOMEM)
		return perr(p, p->line, r, "out of memory");
	if (r < 0)
		return perr(p, p->line, -EINVAL, "%s: '%s' is not an absolute path without '..'", key, value);
	free(*dst);
	*dst = TAKE_PTR(norm);
	return 0;
}

static int strv_add(char ***v, size_t *n, const char *s)
{
	size_t alloc = *n;
	char *c;

	if (grow_array((void **)v, &alloc, *n + 1, sizeof(char *)) < 0 || !(c = strdup(s)))
		return -ENOMEM;
	(*v)[(*n)++] = c;
	return 0;
}

static int once(struct parser *p, unsigned bit, const char *key)
{
	if (p->seen & bit)
		return perr(p, p->line, -EINVAL, "duplicate key '%s' in [%s]", key, p->cur);
	p->seen |= bit;
	return 0;
}

static int parse_duration_key(struct parser *p, const char *key, const char *value, uint64_t *ret)
{
	unsigned long long u;

	if (parse_duration_usec(value, &u) < 0)
		return perr(p, p->line, -EINVAL, "%s: invalid duration '%s' (examples: 200ms, 30s, 6h, 1d)", key,
			    value);
	*ret = u;
	return 0;
}

static int handle_vigil(struct parser *p, const char *key, const char *value)
{
	struct vigil_conf *c = p->conf;
	int r;

	if (streq(key, "database")) {
		if ((r = once(p, SEEN_DATABASE, key)) < 0)
			return r;
		return set_abs_path(p, &c->database, key, value);
	}
	if (streq(key, "pubkey")) {
		if ((r = once(p, SEEN_PUBKEY, key)) < 0)
			return r;
		return set_abs_path(p, &c->pubkey, key, value);
	}
	if (streq(key, "threads")) {
		if ((r = once(p, SEEN_THREADS, key)) < 0)
			return r;
		if (parse_uint(value, 256, &c->threads) < 0)
			return perr(p, p->line, -EINVAL, "threads: expected 0 (one per CPU) to 256, got '%s'", value);
		return 0;
	}
	if (streq(key, "one_filesystem")) {
		if ((r = once(p, SEEN_ONEFS, key)) < 0)
			return r;
		if (parse_bool(value, &c->sel.one_filesystem) < 0)
			return perr(p, p->line, -EINVAL, "one_filesystem: expected yes or no, got '%s'", value);
		return 0;
	}
	if (streq(key, "exclude")) {
		if (selection_add_exclude(&c->sel, SIZE_MAX, value) < 0)
			return perr(p, p->line, -ENOMEM, "out of memory");
		return 0;
	}
	return perr(p, p->line, -EINVAL, "unknown key '%s' in [vigil]", key);
}

static int handle_watch(struct parser *p, const char *key, const char *value)
{
	struct watch_pending *w = &p->w;
	int r;

	if (streq(key, "path")) {
		_cleanup_free_ char *norm = NULL;
		size_t alloc = w->n_paths;

		r = path_normalize(value, &norm);
		if (r == -ENOMEM)
			return perr(p, p->line, r, "out of memory");
		if (r < 0)
			return perr(p, p->line, -EINVAL, "path: '%s' is not an absolute path without '..'", value);
		if (grow_array((void **)&w->path_lines, &alloc, w->n_paths + 1, sizeof(unsigned)) < 0 ||
		    strv_add(&w->paths, &w->n_paths, norm) < 0)
			return perr(p, p->line, -ENOMEM, "out of memory");
		w->path_lines[w->n_paths - 1] = p->line;
		return 0;
	}
	if (streq(key, "recurse")) {
		if ((r = once(p, SEEN_RECURSE, key)) < 0)
			return r;
		if (parse_bool(value, &w->recurse) < 0)
			return perr(p, p->line, -EINVAL, "recurse: expected yes or no, got '%s'", value);
		return 0;
	}
	if (streq(key, "attributes")) {
		const char *bad;
		size_t bad_len;

		if ((r = once(p, SEEN_ATTRIBUTES, key)) < 0)
			return r;
		if (attr_parse(value, &w->mask, &bad, &bad_len) < 0)
			return perr(p, p->line, -EINVAL, "attributes: unknown attribute '%.*s' (see vigil.conf(5))",
				    (int)bad_len, bad);
		return 0;
	}
	if (streq(key, "exclude")) {
		if (strv_add(&w->excludes, &w->n_excludes, value) < 0)
			return perr(p, p->line, -ENOMEM, "out of memory");
		return 0;
	}
	return perr(p, p->line, -EINVAL, "unknown key '%s' in [%s]", key, p->cur);
}

static int handle_daemon(struct parser *p, const char *key, const char *value)
{
	struct daemon_config *dc = &p->conf->daemon;
	int r;

	if (streq(key, "monitor")) {
		if ((r = once(p, SEEN_MONITOR, key)) < 0)
			return r;
		if (streq(value, "auto"))
			dc->monitor = MONITOR_AUTO;
		else if (streq(value, "fanotify"))
			dc->monitor = MONITOR_FANOTIFY;
		else if (streq(value, "inotify"))
			dc->monitor = MONITOR_INOTIFY;
		else
			return perr(p, p->line, -EINVAL, "monitor: expected auto, fanotify or inotify, got '%s'", value);
		return 0;
	}
	if (streq(key, "debounce")) {
		if ((r = once(p, SEEN_DEBOUNCE, key)) < 0)
			return r;
		return parse_duration_key(p, key, value, &dc->debounce_usec);
	}
	if (streq(key, "burst_limit")) {
		if ((r = once(p, SEEN_BURST, key)) < 0)
			return r;
		if (parse_uint(value, 1000000, &dc->burst_limit) < 0 || dc->burst_limit == 0)
			return perr(p, p->line, -EINVAL, "burst_limit: expected 1 to 1000000, got '%s'", value);
		return 0;
	}
	if (streq(key, "audit_interval")) {
		if ((r = once(p, SEEN_AUDIT, key)) < 0)
			return r;
		return parse_duration_key(p, key, value, &dc->audit_interval_usec);
	}
	if (streq(key, "check_interval")) {
		if ((r = once(p, SEEN_CHECK, key)) < 0)
			return r;
		return parse_duration_key(p, key, value, &dc->check_interval_usec);
	}
	return perr(p, p->line, -EINVAL, "unknown key '%s' in [daemon]", key);
}

/* Turn the finished [watch] section into selection rules. */
static int watch_finish(struct parser *p)
{
	struct watch_pending *w = &p->w;
	struct selection *sel = &p->conf->sel;
	int r = 0;

	if (p->kind != SECTION_WATCH)
		return 0;
	if (w->n_paths == 0 && !p->error_line)
		r = perr(p, w->line, -EINVAL, "[%s] has no 'path'", w->name);
	for (size_t i = 0; r == 0 && i < w->n_paths; i++) {
		const struct watch_rule *dup = NULL;

		for (size_t k = 0; k < sel->n_rules; k++)
			if (streq(sel->rules[k].path, w->paths[i]))
				dup = &sel->rules[k];
		if (dup) {
			r = perr(p, w->path_lines[i], -EINVAL, "path %s is already watched by another section",
				 w->paths[i]);
			break;
		}
		r = selection_add(sel, w->paths[i], w->mask, w->recurse);
		for (size_t k = 0; r == 0 && k < w->n_excludes; k++)
			r = selection_add_exclude(sel, sel->n_rules - 1, w->excludes[k]);
		if (r < 0)
			r = perr(p, w->path_lines[i], r, "out of memory");
	}
	watch_pending_done(w);
	p->kind = SECTION_NONE;
	return r;
}

static int start_section(struct parser *p, const char *section)
{
	int r;

	r = watch_finish(p);
	if (r < 0)
		return r;
	snprintf(p->cur, sizeof(p->cur), "%s", section);
	p->seen = 0;
	if (streq(section, "vigil"))
		p->kind = SECTION_VIGIL;
	else if (streq(section, "daemon"))
		p->kind = SECTION_DAEMON;
	else {
		/* The reader accepted only valid names; this is "watch NAME". */
		p->kind = SECTION_WATCH;
		p->w = (struct watch_pending){ .line = p->line, .recurse = true, .mask = ATTR_DEFAULT };
		snprintf(p->w.name, sizeof(p->w.name), "%s", section);
	}
	for (size_t i = 0; i < p->n_sections; i++)
		if (streq(p->sections[i].name, section)) {
			p->sections[i].used = true;
			p->w.line = p->sections[i].line;
		}
	return 0;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parser *p = user;
	int r;

	if (p->error_line)
		return 1;	/* report only the first error; let inih finish quietly */
	if (!*section) {
		(void)perr(p, p->line, -EINVAL, "key '%s' outside of any section", key);
		return 0;
	}
	if (!streq(p->cur, section)) {
		r = start_section(p, section);
		if (r < 0)
			return 0;
	}
	if (!*value) {
		(void)perr(p, p->line, -EINVAL, "key '%s' has an empty value", key);
		return 0;
	}
	switch (p->kind) {
	case SECTION_VIGIL: r = handle_vigil(p, key, value); break;
	case SECTION_WATCH: r = handle_watch(p, key, value); break;
	case SECTION_DAEMON: r = handle_daemon(p, key, value); break;
	default: r = -EINVAL; break;	/* unknown section: already reported */
	}
	return r < 0 ? 0 : 1;
}

static void conf_defaults(struct vigil_conf *c)
{
	*c = (struct vigil_conf){
		.sel.one_filesystem = true,
		.daemon = {
			.monitor = MONITOR_AUTO,
			.debounce_usec = 200 * 1000ULL,
			.burst_limit = 100,
			.audit_interval_usec = 6 * 3600 * 1000000ULL,
			.check_interval_usec = 24 * 3600 * 1000000ULL,
		},
	};
}

static int conf_parse(struct parser *p, struct vigil_conf *ret)
{
	struct vigil_conf c;
	int r;

	conf_defaults(&c);
	p->conf = &c;
	r = ini_parse_stream(reader, p, handler, p);
	if (p->read_error) {
		/* What was parsed is a prefix of the file: worthless. */
		watch_pending_done(&p->w);
		free(p->sections);
		conf_free(&c);
		errno = -p->read_error;
		return diag_set(p->d, p->read_error, "%s: read error: %m", p->name);
	}
	if (r < 0 && !p->error_line)
		(void)perr(p, p->line, -ENOMEM, "out of memory");
	else if (r > 0 && (!p->error_line || (unsigned)r < p->error_line)) {
		/* inih found a line before ours that is neither a section nor
		 * a key (our own errors make inih stop at the same line). */
		p->error_line = 0;
		(void)perr(p, (unsigned)r, -EINVAL, "syntax error (expected '[section]' or 'key = value')");
	}
	if (!p->error_line)
		(void)watch_finish(p);
	/* The handler only sees sections that have keys. */
	for (size_t i = 0; !p->error_line && i < p->n_sections; i++)
		if (!p->sections[i].used && strncmp(p->sections[i].name, "watch ", 6) == 0)
			(void)perr(p, p->sections[i].line, -EINVAL, "[%s] has no 'path'", p->sections[i].name);
	watch_pending_done(&p->w);
	free(p->sections);
	if (p->error_line) {
		conf_free(&c);
		return p->error;
	}
	if (!c.database && !(c.database = strdup(VIGIL_DEFAULT_DATABASE))) {
		conf_free(&c);
		return diag_set(p->d, -ENOMEM, "out of memory");
	}
	if (!(c.source = strdup(p->name))) {
		conf_free(&c);
		return diag_set(p->d, -ENOMEM, "out of memory");
	}
	selection_finish(&c.sel);
	*ret = c;
	return 0;
}

int conf_load_string(const char *text, const char *name, struct vigil_conf *ret, struct diag *d)
{
	struct parser p = { .name = name, .text = text, .d = d };

	return conf_parse(&p, ret);
}

/* Refuse a configuration that someone other than root could have edited. */
static int conf_check_owner(int fd, const char *path, struct diag *d)
{
	struct stat st;

	if (geteuid() != 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return diag_set(d, negative_errno(), "%s: cannot stat: %m", path);
	if (st.st_uid != 0)
		return diag_set(d, -EINVAL, "%s: refusing a configuration not owned by root (owner uid %u)", path,
				(unsigned)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return diag_set(d, -EINVAL, "%s: refusing a configuration writable by group or others (mode %04o; chmod go-w)",
				path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* fopen(3) opens a directory for reading; every read then fails. */
static int conf_check_type(int fd, const char *path, struct diag *d)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return diag_set(d, negative_errno(), "%s: cannot stat: %m", path);
	if (S_ISDIR(st.st_mode))
		return diag_set(d, -EISDIR, "%s: is a directory, not a configuration file", path);
	return 0;
}

int conf_load(const char *path, struct vigil_conf *ret, struct diag *d)
{
	_cleanup_fclose_ FILE *f = NULL;
	struct parser p = { .d = d };
	int r;

	if (!path) {
		f = fopen(VIGIL_DEFAULT_CONFIG, "re");
		if (!f && errno == ENOENT)
			return conf_load_string(vigil_default_config, "(built-in default)", ret, d);
		path = VIGIL_DEFAULT_CONFIG;
	} else
		f = fopen(path, "re");
	if (!f)
		return diag_set(d, negative_errno(), "%s: %m", path);
	r = conf_check_type(fileno(f), path, d);
	if (r < 0)
		return r;
	r = conf_check_owner(fileno(f), path, d);
	if (r < 0)
		return r;
	p.name = path;
	p.f = f;
	return conf_parse(&p, ret);
}

void conf_free(struct vigil_conf *c)
{
	free(c->source);
	free(c->database);
	free(c->pubkey);
	selection_free(&c->sel);
	*c = (struct vigil_conf){ 0 };
}
