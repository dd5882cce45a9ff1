/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fnmatch.h>
#include <limits.h>
#include <openssl/evp.h>

#include "record.h"
#include "selection.h"

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void rule_done(struct watch_rule *r)
{
	free(r->path);
	strv_free(r->excludes, r->n_excludes);
	*r = (struct watch_rule){ 0 };
}

void selection_free(struct selection *sel)
{
	for (size_t i = 0; i < sel->n_rules; i++)
		rule_done(&sel->rules[i]);
	free(sel->rules);
	strv_free(sel->excludes, sel->n_excludes);
	*sel = (struct selection){ 0 };
}

int path_normalize(const char *path, char **ret)
{
	_cleanup_free_ char *out = NULL;
	size_t len = strlen(path), o = 0;

	if (path[0] != '/' || len >= PATH_MAX)
		return -EINVAL;
	out = malloc(len + 1);
	if (!out)
		return -ENOMEM;
	for (const char *p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
		if (!(n == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}

int selection_add(struct selection *sel, const char *path, uint32_t mask, bool recurse)
{
	_cleanup_free_ char *norm = NULL;
	size_t alloc = sel->n_rules;
	int r;

	r = path_normalize(path, &norm);
	if (r < 0)
		return r;
	for (size_t i = 0; i < sel->n_rules; i++)
		if (streq(sel->rules[i].path, norm)) {
			sel->rules[i].mask = mask;
			sel->rules[i].recurse = recurse;
			return 0;
		}
	r = grow_array((void **)&sel->rules, &alloc, sel->n_rules + 1, sizeof(*sel->rules));
	if (r < 0)
		return r;
	sel->rules[sel->n_rules++] = (struct watch_rule){ .path = TAKE_PTR(norm), .mask = mask, .recurse = recurse };
	return 0;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	size_t alloc = *n;
	char *c;
	int r;

	r = grow_array((void **)v, &alloc, *n + 1, sizeof(char *));
	if (r < 0)
		return r;
	c = strdup(s);
	if (!c)
		return -ENOMEM;
	(*v)[(*n)++] = c;
	return 0;
}

int selection_add_exclude(struct selection *sel, size_t rule, const char *glob)
{
	if (isempty(glob))
		return -EINVAL;
	if (rule == SIZE_MAX)
		return strv_push(&sel->excludes, &sel->n_excludes, glob);
	if (rule >= sel->n_rules)
		return -EINVAL;
	return strv_push(&sel->rules[rule].excludes, &sel->rules[rule].n_excludes, glob);
}

static int rule_cmp(const void *a, const void *b)
{
	return path_compare(((const struct watch_rule *)a)->path, ((const struct watch_rule *)b)->path);
}

void selection_finish(struct selection *sel)
{
	if (sel->n_rules > 1)
		qsort(sel->rules, sel->n_rules, sizeof(*sel->rules), rule_cmp);
}

/* Is parent a proper ancestor directory of path? */
static bool path_is_below(const char *path, const char *parent)
{
	size_t l = strlen(parent);

	if (streq(parent, "/"))
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, parent, l) == 0 && path[l] == '/';
}

const struct watch_rule *selection_rule_for(const struct selection *sel, const char *path)
{
	const struct watch_rule *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < sel->n_rules; i++) {
		const struct watch_rule *r = &sel->rules[i];
		size_t l = strlen(r->path);

		if (streq(r->path, path) || (r->recurse && path_is_below(path, r->path))) {
			if (!best || l > best_len) {
				best = r;
				best_len = l;
			}
		}
	}
	return best;
}

static bool glob_match(char *const *globs, size_t n, const char *path, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(globs[i], globs[i][0] == '/' ? path : name, 0) == 0)
			return true;
	return false;
}

bool selection_excluded(const struct selection *sel, const struct watch_rule *rule, const char *path,
			const char *name)
{
	return glob_match(sel->excludes, sel->n_excludes, path, name) ||
	       (rule && glob_match(rule->excludes, rule->n_excludes, path, name));
}

bool selection_is_other_root(const struct selection *sel, const struct watch_rule *rule, const char *path)
{
	size_t lo = 0, hi = sel->n_rules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = path_compare(path, sel->rules[mid].path);

		if (c == 0)
			return &sel->rules[mid] != rule;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Serialisation: "VSEL" u32 version=1, u8 one_filesystem, strv excludes,
 * u32 n_rules, then per rule: str path, u32 mask, u8 recurse, strv
 * excludes.  Integers little-endian; str = u32 length + bytes (no NUL). */
#define SEL_MAGIC "VSEL"
#define SEL_MAX_STR 4096u
#define SEL_MAX_COUNT 100000u

static void put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

	strbuf_append(sb, b, 4);
}

static void put_str(struct strbuf *sb, const char *s)
{
	size_t l = strlen(s);

	put_u32(sb, (uint32_t)l);
	strbuf_append(sb, s, l);
}

static void put_strv(struct strbuf *sb, char *const *v, size_t n)
{
	put_u32(sb, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		put_str(sb, v[i]);
}

int selection_serialize(const struct selection *sel, struct strbuf *out)
{
	strbuf_append(out, SEL_MAGIC, 4);
	put_u32(out, 1);
	strbuf_putc(out, sel->one_filesystem ? 1 : 0);
	put_strv(out, sel->excludes, sel->n_excludes);
	put_u32(out, (uint32_t)sel->n_rules);
	for (size_t i = 0; i < sel->n_rules; i++) {
		const struct watch_rule *r = &sel->rules[i];

		put_str(out, r->path);
		put_u32(out, r->mask);
		strbuf_putc(out, r->recurse ? 1 : 0);
		put_strv(out, r->excludes, r->n_excludes);
	}
	return strbuf_error(out);
}

struct reader {
	const unsigned char *p;
	size_t left;
};

static int get_bytes(struct reader *rd, void *ret, size_t n)
{
	if (rd->left < n)
		return -EBADMSG;
	memcpy(ret, rd->p, n);
	rd->p += n;
	rd->left -= n;
	return 0;
}

static int get_u32(struct reader *rd, uint32_t *ret)
{
	unsigned char b[4];

	if (get_bytes(rd, b, 4) < 0)
		return -EBADMSG;
	*ret = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

static int get_u8(struct reader *rd, uint8_t *ret)
{
	return get_bytes(rd, ret, 1);
}

static int get_str(struct reader *rd, char **ret)
{
	uint32_t l;
	char *s;

	if (get_u32(rd, &l) < 0 || l > SEL_MAX_STR || l > rd->left)
		return -EBADMSG;
	if (memchr(rd->p, '\0', l))
		return -EBADMSG;
	s = strndup((const char *)rd->p, l);
	if (!s)
		return -ENOMEM;
	rd->p += l;
	rd->left -= l;
	*ret = s;
	return 0;
}

static int get_strv(struct reader *rd, char ***ret, size_t *ret_n)
{
	uint32_t n;
	char **v;

	if (get_u32(rd, &n) < 0 || n > SEL_MAX_COUNT || n > rd->left / 4)
		return -EBADMSG;
	v = calloc(n ? n : 1, sizeof(char *));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		int r = get_str(rd, &v[i]);

		if (r < 0) {
			strv_free(v, i);
			return r;
		}
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int selection_deserialize(const void *data, size_t len, struct selection *ret)
{
	struct reader rd = { data, len };
	struct selection sel = { 0 };
	char magic[4];
	uint32_t version, n;
	uint8_t b;
	int r;

	if (get_bytes(&rd, magic, 4) < 0 || memcmp(magic, SEL_MAGIC, 4) != 0)
		return -EBADMSG;
	if (get_u32(&rd, &version) < 0 || version != 1)
		return -EBADMSG;
	if (get_u8(&rd, &b) < 0 || b > 1)
		return -EBADMSG;
	sel.one_filesystem = b;
	r = get_strv(&rd, &sel.excludes, &sel.n_excludes);
	if (r < 0)
		return r;
	if (get_u32(&rd, &n) < 0 || n > SEL_MAX_COUNT || n > rd.left / 13) {
		r = -EBADMSG;
		goto fail;
	}
	sel.rules = calloc(n ? n : 1, sizeof(*sel.rules));
	if (!sel.rules) {
		r = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct watch_rule *w = &sel.rules[i];
		_cleanup_free_ char *norm = NULL;

		sel.n_rules++;
		r = get_str(&rd, &w->path);
		if (r < 0)
			goto fail;
		/* Only normalised, absolute paths are ever stored. */
		r = path_normalize(w->path, &norm);
		if (r < 0 || !streq(norm, w->path)) {
			r = -EBADMSG;
			goto fail;
		}
		if (get_u32(&rd, &w->mask) < 0 || (w->mask & ~(uint32_t)ATTR_ALL) || get_u8(&rd, &b) < 0 || b > 1) {
			r = -EBADMSG;
			goto fail;
		}
		w->recurse = b;
		r = get_strv(&rd, &w->excludes, &w->n_excludes);
		if (r < 0)
			goto fail;
		if (i > 0 && path_compare(sel.rules[i - 1].path, w->path) >= 0) {
			r = -EBADMSG;
			goto fail;
		}
	}
	if (rd.left != 0) {
		r = -EBADMSG;
		goto fail;
	}
	*ret = sel;
	return 0;
fail:
	selection_free(&sel);
	return r;
}

int selection_hash(const struct selection *sel, uint8_t ret[32])
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	unsigned int len = 32;
	int r;

	r = selection_serialize(sel, &sb);
	if (r < 0)
		return r;
	if (EVP_Digest(sb.buf, sb.len, ret, &len, EVP_sha256(), NULL) != 1)
		return -EIO;
	return 0;
}
