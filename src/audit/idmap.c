/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "confdirs.h"
#include "idmap.h"

#define IDMAP_MAX_FILE (16 * 1024 * 1024)
#define IDMAP_MAX_ENTRIES 1000000

static void free_table(struct idmap_ent *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

void idmap_free(struct idmap *m)
{
	if (!m)
		return;
	free_table(m->users, m->n_users);
	free_table(m->groups, m->n_groups);
	free(m);
}

static int cmp_ent(const void *a, const void *b)
{
	unsigned x = ((const struct idmap_ent *)a)->id, y = ((const struct idmap_ent *)b)->id;

	return x < y ? -1 : x > y;
}

struct table {
	struct idmap_ent *t;
	size_t n, allocated;
};

static void table_done(struct table *t)
{
	free_table(t->t, t->n);
}

/* passwd(5)/group(5): name:password:ID:...; the id is the third field. */
static int load_table(const struct rootfs *root, const char *path, struct idmap_ent **ret, size_t *ret_n)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_(table_done) struct table t = {};
	size_t len;
	char *p, *line;
	int r;

	r = rootfs_read_file(root, path, IDMAP_MAX_FILE, &text, &len);
	if (r == -ENOENT) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (r < 0)
		return r;
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		char *c1 = strchr(line, ':'), *c2, *c3;
		unsigned id;

		if (!c1 || c1 == line || *line == '+' || *line == '-')
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			continue;
		c3 = strchr(c2 + 1, ':');
		if (c3)
			*c3 = '\0';
		if (parse_uint(c2 + 1, 0xfffffffeU, &id) < 0)
			continue;
		if (t.n >= IDMAP_MAX_ENTRIES)
			break;
		if (grow_array((void **)&t.t, &t.allocated, t.n + 1, sizeof(*t.t)) < 0)
			return -ENOMEM;
		t.t[t.n].name = strndup(line, (size_t)(c1 - line));
		if (!t.t[t.n].name)
			return -ENOMEM;
		t.t[t.n++].id = id;
	}
	if (t.n)
		qsort(t.t, t.n, sizeof(*t.t), cmp_ent);
	*ret = TAKE_PTR(t.t);
	*ret_n = t.n;
	t.n = 0;
	return 0;
}

int idmap_load(const struct rootfs *root, struct idmap **ret)
{
	struct idmap *m;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = load_table(root, "/etc/passwd", &m->users, &m->n_users);
	if (r >= 0)
		r = load_table(root, "/etc/group", &m->groups, &m->n_groups);
	if (r < 0) {
		idmap_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

static const char *name_of(const struct idmap_ent *t, size_t n, unsigned id)
{
	struct idmap_ent key = { .id = id };
	const struct idmap_ent *e;

	if (n == 0)	/* an image without passwd/group: t is NULL, which bsearch may not get */
		return NULL;
	e = bsearch(&key, t, n, sizeof(*t), cmp_ent);
	return e ? e->name : NULL;
}

static int id_of(const struct idmap_ent *t, size_t n, const char *name, unsigned *ret)
{
	unsigned id;

	if (parse_uint(name, 0xfffffffeU, &id) >= 0) {
		*ret = id;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (streq(t[i].name, name)) {
			*ret = t[i].id;
			return 0;
		}
	return -ENOENT;
}

const char *idmap_user_name(const struct idmap *m, unsigned uid)
{
	return name_of(m->users, m->n_users, uid);
}

const char *idmap_group_name(const struct idmap *m, unsigned gid)
{
	return name_of(m->groups, m->n_groups, gid);
}

int idmap_user_id(const struct idmap *m, const char *name, unsigned *ret)
{
	return id_of(m->users, m->n_users, name, ret);
}

int idmap_group_id(const struct idmap *m, const char *name, unsigned *ret)
{
	return id_of(m->groups, m->n_groups, name, ret);
}
