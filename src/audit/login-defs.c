/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "login-defs.h"

/* getdef.c: char buf[1024]; fgets(buf, sizeof(buf), fp) */
#define GETDEF_LINE_MAX 1023

void login_defs_free(struct login_defs *ld)
{
	for (size_t i = 0; i < ld->n; i++) {
		free(ld->entries[i].key);
		free(ld->entries[i].value);
	}
	free(ld->entries);
	*ld = (struct login_defs){};
}

const struct login_defs_entry *login_defs_get_entry(const struct login_defs *ld, const char *key)
{
	for (size_t i = 0; i < ld->n; i++)
		if (streq(ld->entries[i].key, key))
			return &ld->entries[i];
	return NULL;
}

const char *login_defs_get(const struct login_defs *ld, const char *key)
{
	const struct login_defs_entry *e = login_defs_get_entry(ld, key);

	return e ? e->value : NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int put(struct login_defs *ld, const char *key, size_t kn, const char *value, size_t vn, unsigned line)
{
	struct login_defs_entry *e = NULL;
	char *k, *v;

	for (size_t i = 0; i < ld->n; i++)
		if (strlen(ld->entries[i].key) == kn && strncmp(ld->entries[i].key, key, kn) == 0) {
			e = &ld->entries[i];
			break;
		}
	v = strndup(value, vn);
	if (!v)
		return -ENOMEM;
	if (e) {
		free(e->value);
		e->value = v;
		e->line = line;
		return 0;
	}
	k = strndup(key, kn);
	if (!k || grow_array((void **)&ld->entries, &ld->alloc, ld->n + 1, sizeof(*ld->entries)) < 0) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	ld->entries[ld->n++] = (struct login_defs_entry){ .key = k, .value = v, .line = line };
	return 0;
}

/* One fgets() buffer's worth: s[0..n), without the newline. */
static int parse_chunk(struct login_defs *ld, const char *s, size_t n, unsigned line)
{
	const char *name, *end = s + n, *v, *vend;
	size_t kn;

	/* fgets() stops at a NUL as far as strlen() is concerned. */
	const char *nul = memchr(s, '\0', n);
	if (nul)
		end = nul;
	while (end > s && is_space(end[-1]))
		end--;
	name = s;
	while (name < end && (*name == ' ' || *name == '\t'))
		name++;
	if (name == end || *name == '#')
		return 0;
	kn = 0;
	while (name + kn < end && name[kn] != ' ' && name[kn] != '\t')
		kn++;
	if (name + kn == end)
		return 0;	/* name only */
	v = name + kn + 1;
	while (v < end && (*v == ' ' || *v == '\t' || *v == '"'))
		v++;
	vend = memchr(v, '"', (size_t)(end - v));
	if (!vend)
		vend = end;
	return put(ld, name, kn, v, (size_t)(vend - v), line);
}

int login_defs_parse(const char *data, size_t len, struct login_defs *ret)
{
	struct login_defs ld = {};
	unsigned line = 0;
	size_t pos = 0;
	int r;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		line++;
		/* A long line is consumed by successive fgets() calls, each a
		 * "line" of its own for def_load(). */
		while (n > GETDEF_LINE_MAX) {
			r = parse_chunk(&ld, s, GETDEF_LINE_MAX, line);
			if (r < 0)
				goto fail;
			s += GETDEF_LINE_MAX;
			n -= GETDEF_LINE_MAX;
			pos += GETDEF_LINE_MAX;
		}
		r = parse_chunk(&ld, s, n, line);
		if (r < 0)
			goto fail;
		pos += n + (nl ? 1 : 0);
	}
	*ret = ld;
	return 0;
fail:
	login_defs_free(&ld);
	return r;
}
