/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <search.h>
#include <sys/stat.h>

#include "scan.h"
#include "verify.h"

/* What makes two reports of one path "the same deviation". */
struct seen {
	char *path;
	char *link;
	enum change_action action;
	uint32_t changed, mode, uid, gid;
	uint64_t size;
	char type;
	bool present, has_sha256;
	uint8_t sha256[SHA256_LEN];
};

struct verifier {
	void *tree;	/* tsearch(3) of struct seen by path */
	size_t n;
};

static int seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->path, ((const struct seen *)b)->path);
}

static void seen_free(void *p)
{
	struct seen *s = p;

	free(s->path);
	free(s->link);
	free(s);
}

int verifier_new(struct verifier **ret)
{
	struct verifier *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*ret = v;
	return 0;
}

void verifier_forget_all(struct verifier *v)
{
	tdestroy(v->tree, seen_free);
	v->tree = NULL;
	v->n = 0;
}

struct verifier *verifier_free(struct verifier *v)
{
	if (!v)
		return NULL;
	verifier_forget_all(v);
	free(v);
	return NULL;
}

size_t verifier_remembered(const struct verifier *v)
{
	return v->n;
}

static void forget(struct verifier *v, const char *path)
{
	struct seen key = { .path = (char *)path }, **found;

	found = tfind(&key, &v->tree, seen_cmp);
	if (!found)
		return;
	struct seen *s = *found;

	(void)tdelete(&key, &v->tree, seen_cmp);
	seen_free(s);
	v->n--;
}

static void seen_fill(struct seen *s, const struct change *c)
{
	const struct vrecord *r = c->new;

	s->action = c->action;
	s->changed = c->changed;
	s->present = r != NULL;
	if (!r)
		return;
	s->type = r->type;
	s->mode = r->mode;
	s->uid = r->uid;
	s->gid = r->gid;
	s->size = r->size;
	s->has_sha256 = r->has_sha256;
	if (r->has_sha256)
		memcpy(s->sha256, r->sha256, SHA256_LEN);
}

static bool seen_same(const struct seen *a, const struct seen *b, const char *link)
{
	return a->action == b->action && a->changed == b->changed && a->present == b->present &&
	       a->type == b->type && a->mode == b->mode && a->uid == b->uid && a->gid == b->gid &&
	       a->size == b->size && a->has_sha256 == b->has_sha256 &&
	       (!a->has_sha256 || memcmp(a->sha256, b->sha256, SHA256_LEN) == 0) && streq_ptr(a->link, link);
}

/* 1 if c is new (and now remembered), 0 if it was reported already. */
static int remember(struct verifier *v, const struct change *c)
{
	struct seen now = { .path = (char *)c->path }, **found, *s;
	const char *link = c->new ? c->new->link : NULL;

	seen_fill(&now, c);
	found = tfind(&now, &v->tree, seen_cmp);
	if (found) {
		s = *found;
		if (seen_same(s, &now, link))
			return 0;
		now.path = s->path;
		now.link = s->link;
		*s = now;
		free(s->link);
		s->link = link ? strdup(link) : NULL;	/* a lost copy only makes a later repeat reported */
		return 1;
	}
	if (v->n >= VERIFY_MAX_REMEMBERED)
		return 1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	*s = now;
	s->path = strdup(c->path);
	s->link = link ? strdup(link) : NULL;
	if (!s->path || !tsearch(s, &v->tree, seen_cmp)) {
		seen_free(s);
		return 1;
	}
	v->n++;
	return 1;
}

int verifier_check_change(struct verifier *v, const struct change *c, struct vevent **ret_event)
{
	int r;

	if (!remember(v, c))
		return 0;
	r = vevent_from_change(c, ret_event);
	return r < 0 ? r : 1;
}

void verifier_make_moved(struct vevent *e, const char *from)
{
	const char *to = vevent_get(e, "VIGIL_PATH");

	e->cls = VEVENT_FILE_MOVED;
	vevent_add(e, "VIGIL_MOVED_FROM", from);
	strbuf_reset(&e->message);
	vevent_message(e, "moved %s -> %s", from, to ? to : "?");
}

void verify_observe(const struct rootfs *root, struct observation *o, const atomic_bool *cancel)
{
	o->r = scan_one_cancellable(root, o->path, o->mask, cancel, &o->cur);
	if (o->r == -ENOTDIR)	/* a directory on the way is gone (or a file now) */
		o->r = -ENOENT;
}

void observation_done(struct observation *o)
{
	if (o->r >= 0)
		vrecord_done(&o->cur);
	free(o->path);
	*o = (struct observation){ .r = -ENOENT };
}

int verifier_judge(struct verifier *v, const struct baseline *b, const struct observation *o,
		   struct vevent **ret_event, struct verify_info *ret_info)
{
	struct verify_info info = { 0 };
	const struct vrecord *cur = o->r >= 0 ? &o->cur : NULL;
	struct vrecord old = { 0 };
	struct change c;
	bool have_old = false;
	size_t idx;
	int r;

	if (o->r < 0 && o->r != -ENOENT)
		return o->r;
	if (baseline_lookup_path(b, o->path, &idx) >= 0) {
		baseline_record(b, idx, &old);
		have_old = true;
	}
	info.is_dir = cur && cur->type == FT_DIR;
	info.was_dir = have_old && old.type == FT_DIR;
	if (ret_info)
		*ret_info = info;

	if (!cur && !have_old) {	/* created and gone again before we looked */
		forget(v, o->path);
		return 0;
	}
	r = change_classify(have_old ? &old : NULL, cur, &c);
	if (r <= 0) {
		forget(v, o->path);
		return r;
	}
	r = verifier_check_change(v, &c, ret_event);
	if (r > 0 && ret_info) {
		const struct vrecord *rec = cur ? cur : &old;

		ret_info->action = c.action;
		ret_info->ino = rec->ino;
		ret_info->has_sha256 = rec->has_sha256;
		memcpy(ret_info->sha256, rec->sha256, SHA256_LEN);
	}
	return r;
}

int verifier_check_path(struct verifier *v, const struct rootfs *root, const struct baseline *b,
			const struct watch_rule *rule, const char *path, struct vevent **ret_event,
			struct verify_info *ret_info)
{
	struct observation o = { .mask = rule->mask };
	int r;

	o.path = strdup(path);
	if (!o.path)
		return -ENOMEM;
	verify_observe(root, &o, NULL);
	r = verifier_judge(v, b, &o, ret_event, ret_info);
	observation_done(&o);
	return r;
}
