/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>

#include "accounts-db.h"

#define MAX_FIELDS 9

struct fields {
	const char *s[MAX_FIELDS];
	size_t n[MAX_FIELDS];
	unsigned count;
};

/* Split line[0..n) on ':'.  Returns the number of fields, which may be
 * more than MAX_FIELDS (only the first MAX_FIELDS are recorded). */
static unsigned split(const char *line, size_t n, struct fields *f)
{
	const char *p = line, *end = line + n;

	f->count = 0;
	for (;;) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		const char *fe = c ? c : end;

		if (f->count < MAX_FIELDS) {
			f->s[f->count] = p;
			f->n[f->count] = (size_t)(fe - p);
		}
		f->count++;
		if (!c)
			break;
		p = c + 1;
	}
	return f->count;
}

static int field_dup(const struct fields *f, unsigned i, char **ret)
{
	char *s = strndup(f->s[i], f->n[i]);

	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

/* Decimal id below 2^32-1 ((uid_t)-1 is "no id"). */
static int field_id(const struct fields *f, unsigned i, unsigned *ret)
{
	unsigned long long v = 0;

	if (f->n[i] == 0 || f->n[i] > 10)
		return -EINVAL;
	for (size_t k = 0; k < f->n[i]; k++) {
		if (!isdigit((unsigned char)f->s[i][k]))
			return -EINVAL;
		v = v * 10 + (unsigned)(f->s[i][k] - '0');
	}
	if (v >= 0xffffffffULL)
		return -ERANGE;
	*ret = (unsigned)v;
	return 0;
}

/* shadow(5) day counts: empty means "not set" (-1); shadow-utils'
 * sgetspent() also accepts a leading '-' ("-1" written by old tools). */
static int field_days(const struct fields *f, unsigned i, long long *ret)
{
	const char *s = f->s[i];
	size_t n = f->n[i], k = 0;
	long long v = 0;
	bool neg = false;

	if (n == 0) {
		*ret = -1;
		return 0;
	}
	if (s[0] == '-') {
		neg = true;
		k = 1;
	}
	if (k == n || n - k > 12)
		return -EINVAL;
	for (; k < n; k++) {
		if (!isdigit((unsigned char)s[k]))
			return -EINVAL;
		v = v * 10 + (s[k] - '0');
	}
	*ret = neg ? -v : v;
	return 0;
}

typedef int (*line_fn)(struct accounts_db *db, const struct fields *f, unsigned line, const char *fname,
		       struct diag *d);

static int parse_lines(struct accounts_db *db, const char *data, size_t len, const char *fname, unsigned want,
		       line_fn fn, struct diag *d)
{
	unsigned line = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		struct fields f;
		int r;

		pos += n + (nl ? 1 : 0);
		line++;
		if (memchr(s, '\0', n))
			return diag_set(d, -EINVAL, "%s:%u: embedded NUL byte", fname, line);
		if (n == 0 || s[0] == '#' || s[0] == '+' || s[0] == '-')
			continue;
		if (split(s, n, &f) != want)
			return diag_set(d, -EINVAL, "%s:%u: %u fields, expected %u", fname, line, f.count, want);
		if (f.n[0] == 0)
			return diag_set(d, -EINVAL, "%s:%u: empty name", fname, line);
		r = fn(db, &f, line, fname, d);
		if (r < 0)
			return r;
	}
	return 0;
}

static int passwd_line(struct accounts_db *db, const struct fields *f, unsigned line, const char *fname,
		       struct diag *d)
{
	struct pw_entry e = { .line = line };

	if (field_id(f, 2, &e.uid) < 0)
		return diag_set(d, -EINVAL, "%s:%u: invalid UID \"%.*s\"", fname, line, (int)MIN(f->n[2], 32), f->s[2]);
	if (field_id(f, 3, &e.gid) < 0)
		return diag_set(d, -EINVAL, "%s:%u: invalid GID \"%.*s\"", fname, line, (int)MIN(f->n[3], 32), f->s[3]);
	if (grow_array((void **)&db->pw, &db->alloc_pw, db->n_pw + 1, sizeof(*db->pw)) < 0 ||
	    field_dup(f, 0, &e.name) < 0 || field_dup(f, 1, &e.passwd) < 0 || field_dup(f, 4, &e.gecos) < 0 ||
	    field_dup(f, 5, &e.home) < 0 || field_dup(f, 6, &e.shell) < 0) {
		free(e.name);
		free(e.passwd);
		free(e.gecos);
		free(e.home);
		return -ENOMEM;
	}
	db->pw[db->n_pw++] = e;
	return 0;
}

static int shadow_line(struct accounts_db *db, const struct fields *f, unsigned line, const char *fname,
		       struct diag *d)
{
	static const char *const names[] = { "last change", "minimum age", "maximum age",
					     "warning period", "inactivity period", "expiration date" };
	struct sp_entry e = { .line = line };
	long long *days[] = { &e.lastchg, &e.min, &e.max, &e.warn, &e.inactive, &e.expire };

	for (unsigned i = 0; i < ELEMENTSOF(days); i++)
		if (field_days(f, 2 + i, days[i]) < 0)
			return diag_set(d, -EINVAL, "%s:%u: invalid %s \"%.*s\"", fname, line, names[i],
					(int)MIN(f->n[2 + i], 32), f->s[2 + i]);
	/* Field 9 is reserved; its content is not interpreted. */
	if (grow_array((void **)&db->sp, &db->alloc_sp, db->n_sp + 1, sizeof(*db->sp)) < 0 ||
	    field_dup(f, 0, &e.name) < 0 || field_dup(f, 1, &e.hash) < 0) {
		free(e.name);
		return -ENOMEM;
	}
	db->sp[db->n_sp++] = e;
	return 0;
}

static void group_done(struct gr_entry *e)
{
	free(e->name);
	free(e->passwd);
	for (size_t i = 0; i < e->n_members; i++)
		free(e->members[i]);
	free(e->members);
}

static int group_line(struct accounts_db *db, const struct fields *f, unsigned line, const char *fname,
		      struct diag *d)
{
	struct gr_entry e = { .line = line };
	size_t alloc = 0;
	const char *p = f->s[3], *end = f->s[3] + f->n[3];

	if (field_id(f, 2, &e.gid) < 0)
		return diag_set(d, -EINVAL, "%s:%u: invalid GID \"%.*s\"", fname, line, (int)MIN(f->n[2], 32), f->s[2]);
	if (field_dup(f, 0, &e.name) < 0 || field_dup(f, 1, &e.passwd) < 0)
		goto oom;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *me = c ? c : end;

		/* "a,,b" and a trailing comma name no member. */
		if (me > p) {
			if (grow_array((void **)&e.members, &alloc, e.n_members + 1, sizeof(*e.members)) < 0)
				goto oom;
			e.members[e.n_members] = strndup(p, (size_t)(me - p));
			if (!e.members[e.n_members])
				goto oom;
			e.n_members++;
		}
		p = c ? c + 1 : end;
	}
	if (grow_array((void **)&db->gr, &db->alloc_gr, db->n_gr + 1, sizeof(*db->gr)) < 0)
		goto oom;
	db->gr[db->n_gr++] = e;
	return 0;
oom:
	group_done(&e);
	return -ENOMEM;
}

int accounts_db_parse_passwd(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d)
{
	return parse_lines(db, data, len, fname, 7, passwd_line, d);
}

int accounts_db_parse_shadow(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d)
{
	return parse_lines(db, data, len, fname, 9, shadow_line, d);
}

int accounts_db_parse_group(struct accounts_db *db, const char *data, size_t len, const char *fname, struct diag *d)
{
	return parse_lines(db, data, len, fname, 4, group_line, d);
}

void accounts_db_free(struct accounts_db *db)
{
	for (size_t i = 0; i < db->n_pw; i++) {
		free(db->pw[i].name);
		free(db->pw[i].passwd);
		free(db->pw[i].gecos);
		free(db->pw[i].home);
		free(db->pw[i].shell);
	}
	free(db->pw);
	for (size_t i = 0; i < db->n_sp; i++) {
		free(db->sp[i].name);
		free(db->sp[i].hash);
	}
	free(db->sp);
	for (size_t i = 0; i < db->n_gr; i++)
		group_done(&db->gr[i]);
	free(db->gr);
	*db = (struct accounts_db){};
}

const struct pw_entry *accounts_db_user(const struct accounts_db *db, const char *name)
{
	for (size_t i = 0; i < db->n_pw; i++)
		if (streq(db->pw[i].name, name))
			return &db->pw[i];
	return NULL;
}

const struct sp_entry *accounts_db_shadow(const struct accounts_db *db, const char *name)
{
	for (size_t i = 0; i < db->n_sp; i++)
		if (streq(db->sp[i].name, name))
			return &db->sp[i];
	return NULL;
}

const struct gr_entry *accounts_db_group(const struct accounts_db *db, const char *name)
{
	for (size_t i = 0; i < db->n_gr; i++)
		if (streq(db->gr[i].name, name))
			return &db->gr[i];
	return NULL;
}

const struct gr_entry *accounts_db_group_by_gid(const struct accounts_db *db, unsigned gid)
{
	for (size_t i = 0; i < db->n_gr; i++)
		if (db->gr[i].gid == gid)
			return &db->gr[i];
	return NULL;
}

bool accounts_hash_is_locked(const char *hash)
{
	return hash[0] == '!' || hash[0] == '*';
}
