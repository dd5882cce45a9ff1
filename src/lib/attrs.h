/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Extended attributes of a file in the text forms a record stores: the
 * POSIX ACL (libacl text, numeric ids, default entries prefixed
 * "default:"), security.capability decoded, and the other xattrs as
 * "name=hexvalue" lines.  Reads go through an fd already open on the file,
 * so the attributes belong to the file that was stat'ed and hashed.
 */

#include <stdint.h>

#include "strbuf.h"

/* Per-thread scratch buffers, reused from file to file.  Zero-initialise,
 * release with attrs_scratch_done(). */
struct attrs_scratch {
	char *names;		/* listxattr result */
	size_t names_size;
	unsigned char *value;	/* one xattr value, ATTRS_VALUE_MAX bytes */
	const char **sorted;	/* name pointers into names */
	size_t sorted_alloc;
	struct strbuf text;
};

void attrs_scratch_done(struct attrs_scratch *s);

/* Values longer than this are not read (the kernel's own limit, XATTR_SIZE_MAX). */
#define ATTRS_VALUE_MAX (64u * 1024u)
/* Text of all "other" xattrs of one file is capped here (hostile files). */
#define ATTRS_TEXT_MAX (1024u * 1024u)

struct file_attrs {
	char *acl;	/* malloc'ed or NULL when absent (ACL only mirrors the mode bits) */
	char *xattrs;	/* malloc'ed "name=hex" lines or NULL; a name's bytes that are
			 * unprintable, space, '=' or backslash are written \xHH */
	char *caps;	/* malloc'ed decoded security.capability or NULL */
};

void file_attrs_done(struct file_attrs *a);

/* Read the attributes asked for in mask (ATTR_ACL, ATTR_XATTRS, ATTR_CAPS;
 * other bits ignored) of the file or directory open as fd (not O_PATH).
 * One flistxattr(2); the values only when names exist.  is_dir adds the
 * default ACL.  Returns 0 and fills *ret (all NULL if nothing), or -errno:
 * -E2BIG when the xattr text would pass ATTRS_TEXT_MAX, -ENOMEM. */
int attrs_read_fd(struct attrs_scratch *s, int fd, bool is_dir, uint32_t mask, struct file_attrs *ret);

/* Same for an entry that must not be opened (a symlink), named by name
 * relative to the directory fd dirfd, never following it.  Symlinks carry
 * no ACL or capabilities, so only ATTR_XATTRS is read.  Needs /proc. */
int attrs_read_at(struct attrs_scratch *s, int dirfd, const char *name, uint32_t mask, struct file_attrs *ret);

/* Decode a security.capability value (struct vfs_cap_data, revisions 1-3)
 * into text: "v3 effective permitted=0x0000000000003000 inheritable=0x0
 * rootid=0".  An undecodable value becomes "invalid len=N hex=...".
 * Appends to sb; the caller checks strbuf_error(). */
void attrs_format_caps(const void *value, size_t len, struct strbuf *sb);
