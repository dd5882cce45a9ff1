/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <acl/libacl.h>
#include <linux/capability.h>
#include <limits.h>
#include <sys/acl.h>
#include <sys/xattr.h>

#include "attrs.h"
#include "record.h"

#define XATTR_ACL_ACCESS "system.posix_acl_access"
#define XATTR_ACL_DEFAULT "system.posix_acl_default"
#define XATTR_CAPS "security.capability"
/* listxattr(2) never returns more than XATTR_LIST_MAX bytes. */
#define NAMES_MAX (64u * 1024u)

void attrs_scratch_done(struct attrs_scratch *s)
{
	free(s->names);
	free(s->value);
	free(s->sorted);
	strbuf_free(&s->text);
	*s = (struct attrs_scratch){ 0 };
}

void file_attrs_done(struct file_attrs *a)
{
	free(a->acl);
	free(a->xattrs);
	free(a->caps);
	*a = (struct file_attrs){ 0 };
}

/* The file being read: an open fd, or (path != NULL) a path that is never
 * followed. */
struct xsrc {
	int fd;
	const char *path;
};

static ssize_t xlist(const struct xsrc *x, char *buf, size_t size)
{
	return x->path ? llistxattr(x->path, buf, size) : flistxattr(x->fd, buf, size);
}

static ssize_t xget(const struct xsrc *x, const char *name, void *buf, size_t size)
{
	return x->path ? lgetxattr(x->path, name, buf, size) : fgetxattr(x->fd, name, buf, size);
}

/* Names into s->names; returns the length (0: none) or -errno. */
static ssize_t list_names(struct attrs_scratch *s, const struct xsrc *x)
{
	for (unsigned attempt = 0; attempt < 4; attempt++) {
		ssize_t n;

		if (!s->names) {
			s->names_size = 4096;
			s->names = malloc(s->names_size);
			if (!s->names)
				return -ENOMEM;
		}
		n = xlist(x, s->names, s->names_size);
		if (n >= 0)
			return n;
		if (errno == ENOTSUP || errno == ENODATA)
			return 0;
		if (errno != ERANGE || s->names_size >= NAMES_MAX)
			return negative_errno();
		/* The list grew since we last sized the buffer: take the max. */
		char *p = realloc(s->names, NAMES_MAX);
		if (!p)
			return -ENOMEM;
		s->names = p;
		s->names_size = NAMES_MAX;
	}
	return -EBUSY;
}

/* Value of name into s->value; length, -ENODATA if gone (a race), -errno. */
static ssize_t get_value(struct attrs_scratch *s, const struct xsrc *x, const char *name)
{
	ssize_t n;

	if (!s->value) {
		s->value = malloc(ATTRS_VALUE_MAX);
		if (!s->value)
			return -ENOMEM;
	}
	n = xget(x, name, s->value, ATTRS_VALUE_MAX);
	if (n < 0)
		return negative_errno();
	return n;
}

static bool name_is_other(const char *name)
{
	if (streq(name, XATTR_CAPS))
		return false;
	return strncmp(name, "security.", 9) == 0 || strncmp(name, "trusted.", 8) == 0 ||
	       strncmp(name, "user.", 5) == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void append_hex(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char chunk[256];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		chunk[k++] = hex[p[i] >> 4];
		chunk[k++] = hex[p[i] & 15];
		if (k == sizeof(chunk)) {
			strbuf_append(sb, chunk, k);
			k = 0;
		}
	}
	strbuf_append(sb, chunk, k);
}

/* Names are any bytes but NUL: escape the ones that would make the text
 * ambiguous ('=', '\n') or unprintable, so that two different sets of
 * xattrs never give the same text. */
static void append_name(struct strbuf *sb, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '=' || *p == '\\')
			strbuf_printf(sb, "\\x%02x", *p);
		else
			strbuf_putc(sb, (char)*p);
	}
}

void attrs_format_caps(const void *value, size_t len, struct strbuf *sb)
{
	const unsigned char *p = value;
	uint32_t w[6] = { 0 };
	uint32_t magic, rev;
	size_t need;
	unsigned v;

	/* struct vfs_cap_data / vfs_ns_cap_data: little-endian u32 words,
	 * magic_etc then {permitted, inheritable} per 32-bit half, then the
	 * v3 rootid (linux/capability.h). */
	for (size_t i = 0; i < MIN(len / 4, ELEMENTSOF(w)); i++)
		w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
		       (uint32_t)p[4 * i + 3] << 24;
	magic = w[0];
	rev = magic & VFS_CAP_REVISION_MASK;
	switch (rev) {
	case VFS_CAP_REVISION_1:
		v = 1;
		need = XATTR_CAPS_SZ_1;
		break;
	case VFS_CAP_REVISION_2:
		v = 2;
		need = XATTR_CAPS_SZ_2;
		break;
	case VFS_CAP_REVISION_3:
		v = 3;
		need = XATTR_CAPS_SZ_3;
		break;
	default:
		v = 0;
		need = 0;
		break;
	}
	if (v == 0 || len != need || (magic & ~(VFS_CAP_REVISION_MASK | VFS_CAP_FLAGS_EFFECTIVE))) {
		strbuf_printf(sb, "invalid len=%zu hex=", len);
		append_hex(sb, p, len);
		return;
	}
	uint64_t perm = w[1], inh = w[2];
	if (v >= 2) {
		perm |= (uint64_t)w[3] << 32;
		inh |= (uint64_t)w[4] << 32;
	}
	strbuf_printf(sb, "v%u%s permitted=0x%016llx inheritable=0x%llx", v,
		      (magic & VFS_CAP_FLAGS_EFFECTIVE) ? " effective" : "", (unsigned long long)perm,
		      (unsigned long long)inh);
	if (v == 3)
		strbuf_printf(sb, " rootid=%u", w[5]);
}

/* libacl text of one ACL with numeric ids (names would come from the
 * host's passwd, wrong for an image), entries joined by ','. */
static int acl_text(acl_t acl, const char *prefix, struct strbuf *sb)
{
	char *t;

	t = acl_to_any_text(acl, prefix, ',', TEXT_NUMERIC_IDS);
	if (!t)
		return negative_errno();
	if (sb->len > 0)
		strbuf_putc(sb, ',');
	strbuf_puts(sb, t);
	acl_free(t);
	return 0;
}

static int read_acl(struct attrs_scratch *s, int fd, bool has_access, bool has_default, char **ret)
{
	struct strbuf *sb = &s->text;
	int r;

	strbuf_reset(sb);
	if (has_access) {
		acl_t acl = acl_get_fd(fd);

		if (!acl)
			return errno == ENODATA || errno == ENOTSUP ? 0 : negative_errno();
		/* A minimal ACL is just the mode bits, already recorded. */
		r = acl_equiv_mode(acl, NULL) == 0 ? 0 : acl_text(acl, NULL, sb);
		acl_free(acl);
		if (r < 0)
			return r;
	}
	if (has_default) {
		char p[64];
		acl_t acl;

		/* libacl reads a default ACL by path only; the fd's /proc
		 * link names exactly the directory we have open. */
		(void)snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		acl = acl_get_file(p, ACL_TYPE_DEFAULT);
		if (!acl)
			return errno == ENODATA || errno == ENOTSUP ? 0 : negative_errno();
		r = acl_entries(acl) > 0 ? acl_text(acl, "default:", sb) : 0;
		acl_free(acl);
		if (r < 0)
			return r;
	}
	if (strbuf_error(sb) < 0)
		return -ENOMEM;
	if (sb->len > 0) {
		*ret = strbuf_steal(sb);
		if (!*ret)
			return -ENOMEM;
	}
	return 0;
}

static int read_all(struct attrs_scratch *s, const struct xsrc *x, bool is_dir, uint32_t mask,
		    struct file_attrs *ret)
{
	_cleanup_(file_attrs_done) struct file_attrs a = { 0 };
	bool acl_access = false, acl_default = false;
	size_t n_sorted = 0;
	ssize_t len;
	int r;

	if (!(mask & (ATTR_ACL | ATTR_XATTRS | ATTR_CAPS))) {
		*ret = a;
		return 0;
	}
	len = list_names(s, x);
	if (len < 0)
		return (int)len;
	if (len == 0) {
		*ret = a;
		return 0;
	}
	/* The kernel NUL-terminates each name; do not rely on it. */
	if (s->names[len - 1] != '\0')
		return -EBADMSG;

	for (char *name = s->names; name < s->names + len; name += strlen(name) + 1) {
		if (!*name)
			continue;
		if (streq(name, XATTR_ACL_ACCESS))
			acl_access = true;
		else if (streq(name, XATTR_ACL_DEFAULT))
			acl_default = is_dir;
		else if (streq(name, XATTR_CAPS) && (mask & ATTR_CAPS) && !x->path) {
			ssize_t n = get_value(s, x, name);

			if (n == -ENODATA)
				continue;
			if (n < 0)
				return (int)n;
			strbuf_reset(&s->text);
			attrs_format_caps(s->value, (size_t)n, &s->text);
			if (strbuf_error(&s->text) < 0 || !(a.caps = strbuf_steal(&s->text)))
				return -ENOMEM;
		} else if ((mask & ATTR_XATTRS) && name_is_other(name)) {
			r = grow_array((void **)&s->sorted, &s->sorted_alloc, n_sorted + 1, sizeof(char *));
			if (r < 0)
				return r;
			s->sorted[n_sorted++] = name;
		}
	}

	if ((mask & ATTR_ACL) && !x->path && (acl_access || acl_default)) {
		r = read_acl(s, x->fd, acl_access, acl_default, &a.acl);
		if (r < 0)
			return r;
	}

	if (n_sorted > 0) {
		struct strbuf *sb = &s->text;

		qsort(s->sorted, n_sorted, sizeof(char *), cmp_name);
		strbuf_reset(sb);
		for (size_t i = 0; i < n_sorted; i++) {
			ssize_t n = get_value(s, x, s->sorted[i]);

			if (n == -ENODATA)
				continue;
			if (n < 0)
				return (int)n;
			if (sb->len + 4 * strlen(s->sorted[i]) + 2 * (size_t)n + 2 > ATTRS_TEXT_MAX)
				return -E2BIG;
			if (sb->len > 0)
				strbuf_putc(sb, '\n');
			append_name(sb, s->sorted[i]);
			strbuf_putc(sb, '=');
			append_hex(sb, s->value, (size_t)n);
		}
		if (strbuf_error(sb) < 0)
			return -ENOMEM;
		if (sb->len > 0 && !(a.xattrs = strbuf_steal(sb)))
			return -ENOMEM;
	}
	*ret = a;
	a = (struct file_attrs){ 0 };
	return 0;
}

int attrs_read_fd(struct attrs_scratch *s, int fd, bool is_dir, uint32_t mask, struct file_attrs *ret)
{
	const struct xsrc x = { .fd = fd };

	return read_all(s, &x, is_dir, mask, ret);
}

int attrs_read_at(struct attrs_scratch *s, int dirfd, const char *name, uint32_t mask, struct file_attrs *ret)
{
	char p[PATH_MAX];
	int k;

	/* The directory's /proc link pins the parent we walked; the l*xattr
	 * calls do not follow the final component. */
	k = snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dirfd, name);
	if (k < 0 || (size_t)k >= sizeof(p))
		return -ENAMETOOLONG;
	const struct xsrc x = { .fd = -EBADF, .path = p };
	return read_all(s, &x, false, mask & ATTR_XATTRS, ret);
}
