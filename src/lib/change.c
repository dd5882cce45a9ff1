/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <sys/stat.h>
#include <time.h>

#include "change.h"
#include "escape.h"
#include "json.h"

static const char *const action_names[_CHANGE_ACTION_MAX] = {
	[CHANGE_CREATED] = "created",
	[CHANGE_DELETED] = "deleted",
	[CHANGE_UPDATED] = "updated",
	[CHANGE_ATTRIBUTES_MODIFIED] = "attributes_modified",
	[CHANGE_TYPE_CHANGED] = "type_changed",
	[CHANGE_MOVED] = "moved",
};

const char *change_action_name(enum change_action a)
{
	return (unsigned)a < _CHANGE_ACTION_MAX ? action_names[a] : "unknown";
}

/* Metadata that changes without anyone meaning anything by it. */
#define NOISE_ATTRS (ATTR_MTIME | ATTR_CTIME | ATTR_INODE)

/* The attributes that are the content of a file of this type.  A regular
 * file's content is its bytes (without a recorded digest, the size stands
 * in); a symlink's is its target, and its size is the target's length
 * (lstat(2)), so a size change is a retarget even when the target itself
 * is not recorded.  Any other type has no content: a directory's size is
 * the space its entries take (it grows as they are added, and the entries
 * are reported themselves), a device's or FIFO's is 0. */
static uint32_t content_attrs(char type)
{
	switch (type) {
	case FT_REG: return ATTR_SHA256 | ATTR_SIZE;
	case FT_LNK: return ATTR_LINK | ATTR_SIZE;
	default: return 0;
	}
}

/* Attributes whose change alone is low severity: for types without
 * content the size is bookkeeping too, so a directory that grew is no
 * louder than one whose times moved. */
static uint32_t noise_attrs(char type)
{
	return content_attrs(type) ? NOISE_ATTRS : NOISE_ATTRS | ATTR_SIZE;
}

static bool privileged(const struct vrecord *r)
{
	return r && ((r->mode & (S_ISUID | S_ISGID)) || r->caps);
}

static enum severity change_severity(const struct change *c)
{
	switch (c->action) {
	case CHANGE_UPDATED:
	case CHANGE_TYPE_CHANGED:
		return SEVERITY_HIGH;
	case CHANGE_CREATED:
		return privileged(c->new) ? SEVERITY_HIGH : SEVERITY_MEDIUM;
	case CHANGE_DELETED:
	case CHANGE_MOVED:
		return SEVERITY_MEDIUM;
	case CHANGE_ATTRIBUTES_MODIFIED:
		/* Gaining setuid/setgid or capabilities is an escalation path. */
		if ((c->changed & (ATTR_MODE | ATTR_CAPS)) && privileged(c->new))
			return SEVERITY_HIGH;
		if (c->changed & ~noise_attrs(c->new->type))
			return SEVERITY_MEDIUM;
		return SEVERITY_LOW;
	default:
		return SEVERITY_MEDIUM;
	}
}

int change_classify(const struct vrecord *old, const struct vrecord *new, struct change *ret)
{
	struct change c = { .old = old, .new = new };

	if (!old && !new)
		return -EINVAL;
	if (!old) {
		c.action = CHANGE_CREATED;
		c.path = new->path;
	} else if (!new) {
		c.action = CHANGE_DELETED;
		c.path = old->path;
	} else if (old->type != new->type) {
		c.action = CHANGE_TYPE_CHANGED;
		c.path = new->path;
		c.changed = vrecord_diff(old, new);
	} else {
		c.changed = vrecord_diff(old, new);
		if (!c.changed)
			return 0;
		c.path = new->path;
		c.action = (c.changed & content_attrs(new->type)) ? CHANGE_UPDATED : CHANGE_ATTRIBUTES_MODIFIED;
	}
	c.severity = change_severity(&c);
	*ret = c;
	return 1;
}

/* A change being collected, with its own copy of the old record: the old
 * side may be a view that the iterator overwrites on the next record. */
struct diff_entry {
	struct change c;
	struct vrecord old;
};

struct diff_state {
	struct diff_entry *v;
	size_t n, alloc;
};

static int diff_push(struct diff_state *st, const struct vrecord *old, const struct vrecord *new)
{
	struct change c;
	int r;

	r = change_classify(old, new, &c);
	if (r <= 0)
		return r;
	r = grow_array((void **)&st->v, &st->alloc, st->n + 1, sizeof(*st->v));
	if (r < 0)
		return r;
	st->v[st->n] = (struct diff_entry){ .c = c };
	if (old)
		st->v[st->n].old = *old;
	st->n++;
	return 0;
}

/* Point each change at its copy of the old record, once the array no
 * longer moves. */
static void diff_fix_old(struct diff_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].c.old)
			st->v[i].c.old = &st->v[i].old;
}

/* Order created records by (inode, digest) to pair them with deletions. */
static int moved_key_cmp(const struct vrecord *a, const struct vrecord *b)
{
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return memcmp(a->sha256, b->sha256, SHA256_LEN);
}

static int created_cmp(const void *a, const void *b)
{
	const struct change *x = *(const struct change *const *)a, *y = *(const struct change *const *)b;

	return moved_key_cmp(x->new, y->new);
}

static bool movable(const struct vrecord *r)
{
	return r && r->type == FT_REG && r->has_sha256;
}

/* Pair deleted and created paths with the same inode and digest. */
static int diff_pair_moves(struct diff_state *st)
{
	_cleanup_free_ struct change **created = NULL;
	size_t nc = 0;

	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].c.action == CHANGE_CREATED && movable(st->v[i].c.new))
			nc++;
	if (nc == 0)
		return 0;
	created = malloc(nc * sizeof(*created));
	if (!created)
		return -ENOMEM;
	nc = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].c.action == CHANGE_CREATED && movable(st->v[i].c.new))
			created[nc++] = &st->v[i].c;
	qsort(created, nc, sizeof(*created), created_cmp);

	for (size_t i = 0; i < st->n; i++) {
		struct change *del = &st->v[i].c;
		size_t lo = 0, hi = nc;

		if (del->action != CHANGE_DELETED || !movable(del->old))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = moved_key_cmp(created[mid]->new, del->old);

			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* first candidate with this key that is still a plain creation */
		for (; lo < nc && moved_key_cmp(created[lo]->new, del->old) == 0; lo++) {
			struct change *cr = created[lo];

			if (cr->action != CHANGE_CREATED)
				continue;
			cr->action = CHANGE_MOVED;
			cr->moved_from = del->old->path;
			cr->old = del->old;
			cr->changed = vrecord_diff(del->old, cr->new) & ~(uint32_t)NOISE_ATTRS;
			cr->severity = change_severity(cr);
			del->action = _CHANGE_ACTION_MAX;	/* consumed by the move */
			break;
		}
	}
	return 0;
}

int change_diff_iter(const struct record_iter *old, const struct vrecord *new, size_t n_new, change_fn fn,
		     void *userdata)
{
	struct diff_state st = { 0 };
	struct vrecord cur;
	bool have_old = old->next(old->ctx, &cur);
	size_t k = 0, count = 0;
	int r = 0;

	while (r >= 0 && (have_old || k < n_new)) {
		int c = !have_old ? 1 : k == n_new ? -1 : path_compare(cur.path, new[k].path);

		if (c > 0) {
			r = diff_push(&st, NULL, &new[k++]);
			continue;
		}
		r = diff_push(&st, &cur, c == 0 ? &new[k++] : NULL);
		have_old = old->next(old->ctx, &cur);
	}
	diff_fix_old(&st);
	if (r >= 0)
		r = diff_pair_moves(&st);
	for (size_t j = 0; r >= 0 && j < st.n; j++) {
		if (st.v[j].c.action == _CHANGE_ACTION_MAX)
			continue;
		r = fn(&st.v[j].c, userdata);
		count++;
	}
	free(st.v);
	return r < 0 ? r : (int)MIN(count, (size_t)INT32_MAX);
}

struct array_iter {
	const struct vrecord *v;
	size_t n, i;
};

static bool array_next(void *ctx, struct vrecord *ret)
{
	struct array_iter *it = ctx;

	if (it->i == it->n)
		return false;
	*ret = it->v[it->i++];
	return true;
}

int change_diff(const struct vrecord *old, size_t n_old, const struct vrecord *new, size_t n_new, change_fn fn,
		void *userdata)
{
	struct array_iter it = { old, n_old, 0 };
	struct record_iter ri = { array_next, &it };

	return change_diff_iter(&ri, new, n_new, fn, userdata);
}

static void format_time(int64_t ns, char *buf, size_t n)
{
	time_t t = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		t--;
	}
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, n, "%" PRId64, ns);
		return;
	}
	size_t l = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + l, n - l, ".%09ldZ", frac);
}

void record_to_json(struct json *j, const char *key, const struct vrecord *r)
{
	char buf[80];

	json_object_begin(j, key);
	json_str(j, "type", file_type_name(r->type));
	if (r->mask & ATTR_MODE) {
		snprintf(buf, sizeof(buf), "%04o", (unsigned)(r->mode & 07777));
		json_str(j, "mode", buf);
	}
	if (r->mask & ATTR_UID)
		json_uint(j, "uid", r->uid);
	if (r->mask & ATTR_GID)
		json_uint(j, "gid", r->gid);
	if (r->mask & ATTR_SIZE)
		json_uint(j, "size", r->size);
	if (r->mask & ATTR_MTIME) {
		format_time(r->mtime_ns, buf, sizeof(buf));
		json_str(j, "mtime", buf);
	}
	if (r->mask & ATTR_CTIME) {
		format_time(r->ctime_ns, buf, sizeof(buf));
		json_str(j, "ctime", buf);
	}
	if (r->mask & ATTR_INODE)
		json_uint(j, "inode", r->ino);
	if ((r->mask & ATTR_SHA256) && r->has_sha256) {
		char hex[2 * SHA256_LEN + 1];

		sha256_to_hex(r->sha256, hex);
		json_str(j, "sha256", hex);
	}
	if ((r->mask & ATTR_LINK) && r->link)
		json_str(j, "link", r->link);
	if ((r->mask & ATTR_ACL) && r->acl)
		json_str(j, "acl", r->acl);
	if ((r->mask & ATTR_XATTRS) && r->xattrs)
		json_str(j, "xattrs", r->xattrs);
	if ((r->mask & ATTR_CAPS) && r->caps)
		json_str(j, "caps", r->caps);
	if (r->pkg)
		json_str(j, "package", r->pkg);
	json_object_end(j);
}

void change_to_json(const struct change *c, struct strbuf *out)
{
	struct json j;

	json_begin(&j, out);
	json_str(&j, "type", "change");
	json_str(&j, "action", change_action_name(c->action));
	json_str(&j, "path", c->path);
	if (c->moved_from)
		json_str(&j, "moved_from", c->moved_from);
	json_array_begin(&j, "changed");
	for (unsigned b = 0; b < _ATTR_COUNT; b++)
		if (c->changed & (1u << b))
			json_str(&j, NULL, attr_name(1u << b));
	if (c->action == CHANGE_TYPE_CHANGED)
		json_str(&j, NULL, "type");
	json_array_end(&j);
	if (c->old)
		record_to_json(&j, "old", c->old);
	else
		json_null(&j, "old");
	if (c->new)
		record_to_json(&j, "new", c->new);
	else
		json_null(&j, "new");
	json_str(&j, "severity", severity_name(c->severity));
	json_end(&j);
}

/* One attribute's value as text, for "old -> new" lines. */
static void attr_value_text(struct strbuf *sb, const struct vrecord *r, uint32_t bit)
{
	char buf[80];

	switch (bit) {
	case ATTR_SHA256:
		if (r->has_sha256) {
			char hex[2 * SHA256_LEN + 1];

			sha256_to_hex(r->sha256, hex);
			strbuf_puts(sb, hex);
		} else
			strbuf_puts(sb, "-");
		return;
	case ATTR_MODE: strbuf_printf(sb, "%04o", (unsigned)(r->mode & 07777)); return;
	case ATTR_UID: strbuf_printf(sb, "%u", r->uid); return;
	case ATTR_GID: strbuf_printf(sb, "%u", r->gid); return;
	case ATTR_SIZE: strbuf_printf(sb, "%" PRIu64, r->size); return;
	case ATTR_INODE: strbuf_printf(sb, "%" PRIu64, r->ino); return;
	case ATTR_MTIME:
	case ATTR_CTIME:
		format_time(bit == ATTR_MTIME ? r->mtime_ns : r->ctime_ns, buf, sizeof(buf));
		strbuf_puts(sb, buf);
		return;
	default: {
		const char *s = bit == ATTR_LINK ? r->link : bit == ATTR_ACL ? r->acl : bit == ATTR_XATTRS ? r->xattrs : r->caps;

		if (s)
			escape_untrusted(sb, s, strlen(s));
		else
			strbuf_puts(sb, "(none)");
	}
	}
}

void change_to_text(const struct change *c, struct strbuf *out)
{
	strbuf_printf(out, "%-19s ", change_action_name(c->action));
	escape_untrusted(out, c->path, strlen(c->path));
	if (c->moved_from) {
		strbuf_puts(out, " (from ");
		escape_untrusted(out, c->moved_from, strlen(c->moved_from));
		strbuf_putc(out, ')');
	}
	strbuf_printf(out, " [%s]\n", severity_name(c->severity));
	if (c->action == CHANGE_TYPE_CHANGED)
		strbuf_printf(out, "    type: %s -> %s\n", file_type_name(c->old->type), file_type_name(c->new->type));
	if (!c->old || !c->new)
		return;
	for (unsigned b = 0; b < _ATTR_COUNT; b++) {
		uint32_t bit = 1u << b;

		if (!(c->changed & bit) || c->action == CHANGE_TYPE_CHANGED)
			continue;
		strbuf_printf(out, "    %s: ", attr_name(bit));
		attr_value_text(out, c->old, bit);
		strbuf_puts(out, " -> ");
		attr_value_text(out, c->new, bit);
		strbuf_putc(out, '\n');
	}
}
