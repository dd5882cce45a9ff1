/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>

#include "record.h"

static const char *const attr_names[_ATTR_COUNT] = {
	"sha256", "mode", "uid", "gid", "size", "mtime", "ctime", "inode", "acl", "xattrs", "caps", "link",
};

static const struct {
	const char *name;
	uint32_t mask;
} attr_groups[] = {
	{ "all", ATTR_ALL },
	{ "default", ATTR_DEFAULT },
	{ "owner", ATTR_UID | ATTR_GID },
	{ "perms", ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_ACL | ATTR_XATTRS | ATTR_CAPS },
	{ "times", ATTR_MTIME | ATTR_CTIME },
	{ "content", ATTR_SHA256 | ATTR_SIZE },
};

const char *attr_name(uint32_t bit)
{
	for (unsigned i = 0; i < _ATTR_COUNT; i++)
		if (bit == 1u << i)
			return attr_names[i];
	return NULL;
}

static int attr_word(const char *w, size_t len, uint32_t *ret)
{
	for (unsigned i = 0; i < _ATTR_COUNT; i++)
		if (strlen(attr_names[i]) == len && strncmp(w, attr_names[i], len) == 0) {
			*ret = 1u << i;
			return 0;
		}
	for (size_t i = 0; i < ELEMENTSOF(attr_groups); i++)
		if (strlen(attr_groups[i].name) == len && strncmp(w, attr_groups[i].name, len) == 0) {
			*ret = attr_groups[i].mask;
			return 0;
		}
	return -EINVAL;
}

int attr_parse(const char *s, uint32_t *ret, const char **ret_bad, size_t *ret_bad_len)
{
	uint32_t mask = 0;
	bool any = false;

	for (;;) {
		size_t len;
		bool minus;
		uint32_t m;

		s += strspn(s, " \t,");
		if (!*s)
			break;
		len = strcspn(s, " \t,");
		minus = *s == '-';
		if (attr_word(s + minus, len - minus, &m) < 0 || (minus && len == 1)) {
			*ret_bad = s;
			*ret_bad_len = len;
			return -EINVAL;
		}
		if (minus)
			mask &= ~m;
		else
			mask |= m;
		any = true;
		s += len;
	}
	if (!any) {
		*ret_bad = s;
		*ret_bad_len = 0;
		return -EINVAL;
	}
	*ret = mask;
	return 0;
}

void attr_format(uint32_t mask, char *buf, size_t n)
{
	size_t used = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < _ATTR_COUNT; i++) {
		int k;

		if (!(mask & (1u << i)))
			continue;
		k = snprintf(buf + used, n - used, "%s%s", used ? " " : "", attr_names[i]);
		if (k < 0 || (size_t)k >= n - used)
			return;
		used += (size_t)k;
	}
}

const char *file_type_name(char type)
{
	switch (type) {
	case FT_REG: return "file";
	case FT_DIR: return "directory";
	case FT_LNK: return "symlink";
	case FT_CHR: return "char_device";
	case FT_BLK: return "block_device";
	case FT_FIFO: return "fifo";
	case FT_SOCK: return "socket";
	default: return "unknown";
	}
}

char file_type_from_mode(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return FT_REG;
	case S_IFDIR: return FT_DIR;
	case S_IFLNK: return FT_LNK;
	case S_IFCHR: return FT_CHR;
	case S_IFBLK: return FT_BLK;
	case S_IFIFO: return FT_FIFO;
	case S_IFSOCK: return FT_SOCK;
	default: return '?';
	}
}

void vrecord_done(struct vrecord *r)
{
	free(r->mem);
	*r = (struct vrecord){ 0 };
}

void vrecord_array_free(struct vrecord *r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++)
		vrecord_done(&r[i]);
	free(r);
}

int vrecord_copy(struct vrecord *dst, const struct vrecord *src)
{
	const char *const in[] = { src->path, src->link, src->acl, src->xattrs, src->caps, src->pkg };
	const char **out[] = { &dst->path, &dst->link, &dst->acl, &dst->xattrs, &dst->caps, &dst->pkg };
	size_t total = 0;
	struct vrecord r = *src;
	char *mem, *p;

	for (size_t i = 0; i < ELEMENTSOF(in); i++)
		if (in[i])
			total += strlen(in[i]) + 1;
	mem = malloc(total ? total : 1);
	if (!mem)
		return -ENOMEM;
	r.mem = mem;
	*dst = r;
	p = mem;
	for (size_t i = 0; i < ELEMENTSOF(in); i++) {
		if (!in[i]) {
			*out[i] = NULL;
			continue;
		}
		size_t l = strlen(in[i]) + 1;
		memcpy(p, in[i], l);
		*out[i] = p;
		p += l;
	}
	return 0;
}

uint32_t vrecord_diff(const struct vrecord *o, const struct vrecord *n)
{
	uint32_t m = o->mask & n->mask, d = 0;

	if ((m & ATTR_SHA256) && (o->has_sha256 != n->has_sha256 || memcmp(o->sha256, n->sha256, SHA256_LEN) != 0))
		d |= ATTR_SHA256;
	if ((m & ATTR_MODE) && (o->mode & 07777) != (n->mode & 07777))
		d |= ATTR_MODE;
	if ((m & ATTR_UID) && o->uid != n->uid)
		d |= ATTR_UID;
	if ((m & ATTR_GID) && o->gid != n->gid)
		d |= ATTR_GID;
	if ((m & ATTR_SIZE) && o->size != n->size)
		d |= ATTR_SIZE;
	if ((m & ATTR_MTIME) && o->mtime_ns != n->mtime_ns)
		d |= ATTR_MTIME;
	if ((m & ATTR_CTIME) && o->ctime_ns != n->ctime_ns)
		d |= ATTR_CTIME;
	if ((m & ATTR_INODE) && o->ino != n->ino)
		d |= ATTR_INODE;
	if ((m & ATTR_ACL) && !streq_ptr(o->acl, n->acl))
		d |= ATTR_ACL;
	if ((m & ATTR_XATTRS) && !streq_ptr(o->xattrs, n->xattrs))
		d |= ATTR_XATTRS;
	if ((m & ATTR_CAPS) && !streq_ptr(o->caps, n->caps))
		d |= ATTR_CAPS;
	if ((m & ATTR_LINK) && !streq_ptr(o->link, n->link))
		d |= ATTR_LINK;
	return d;
}

int path_compare(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (;; x++, y++) {
		/* '/' ranks just above the terminating NUL. */
		unsigned cx = *x == '/' ? 1 : *x ? *x + 1u : 0;
		unsigned cy = *y == '/' ? 1 : *y ? *y + 1u : 0;

		if (cx != cy)
			return cx < cy ? -1 : 1;
		if (!*x)
			return 0;
	}
}

void sha256_to_hex(const uint8_t d[SHA256_LEN], char buf[2 * SHA256_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < SHA256_LEN; i++) {
		buf[2 * i] = hex[d[i] >> 4];
		buf[2 * i + 1] = hex[d[i] & 15];
	}
	buf[2 * SHA256_LEN] = '\0';
}
