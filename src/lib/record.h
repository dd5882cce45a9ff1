/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * One file's recorded state: the unit of the baseline, of a scan and of a
 * comparison.  Strings are image-absolute paths and text forms; they point
 * either into one malloc'ed block owned by the record (mem != NULL, from a
 * scan) or into a mapped baseline (mem == NULL, a view).
 */

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Attributes that can be recorded and compared.  The type of a file is
 * always recorded and compared. */
enum {
	ATTR_SHA256 = 1u << 0,
	ATTR_MODE = 1u << 1,	/* permission bits incl. setuid/setgid/sticky */
	ATTR_UID = 1u << 2,
	ATTR_GID = 1u << 3,
	ATTR_SIZE = 1u << 4,
	ATTR_MTIME = 1u << 5,
	ATTR_CTIME = 1u << 6,
	ATTR_INODE = 1u << 7,
	ATTR_ACL = 1u << 8,	/* POSIX ACL, libacl text form */
	ATTR_XATTRS = 1u << 9,	/* other xattrs (security.*, trusted.*, user.*) */
	ATTR_CAPS = 1u << 10,	/* security.capability */
	ATTR_LINK = 1u << 11,	/* symlink target */
	_ATTR_COUNT = 12,
	ATTR_ALL = (1u << 12) - 1,
	ATTR_DEFAULT = ATTR_ALL,
};

/* Name of one attribute bit as used in config files and output ("sha256",
 * "mode", ..., "link"); NULL for an unknown bit. */
const char *attr_name(uint32_t bit);
/* Parse a space-separated attribute list: names, groups ("all", "owner" =
 * uid gid, "perms" = mode uid gid acl xattrs caps, "times" = mtime ctime,
 * "content" = sha256 size) and "-name" to remove.  -EINVAL with the bad
 * word in *ret_bad (points into s) on error. */
int attr_parse(const char *s, uint32_t *ret, const char **ret_bad, size_t *ret_bad_len);
/* Space-separated names of the bits in mask, appended to buf (size n). */
void attr_format(uint32_t mask, char *buf, size_t n);

enum file_type {
	FT_REG = 'f',
	FT_DIR = 'd',
	FT_LNK = 'l',
	FT_CHR = 'c',
	FT_BLK = 'b',
	FT_FIFO = 'p',
	FT_SOCK = 's',
};

const char *file_type_name(char type);	/* "file", "directory", ... */
char file_type_from_mode(mode_t mode);

#define SHA256_LEN 32

struct vrecord {
	const char *path;	/* never NULL */
	const char *link;	/* symlink target, or NULL */
	const char *acl;	/* extended ACL text (access + "default:" entries), or NULL */
	const char *xattrs;	/* "name=hexvalue" lines sorted by name, '\n'-separated, or NULL */
	const char *caps;	/* security.capability in text form, or NULL */
	const char *pkg;	/* owning dpkg package, or NULL (not yet recorded) */
	uint32_t mask;		/* ATTR_* recorded for this path */
	uint32_t mode;		/* st_mode: type and permission bits */
	uint32_t uid, gid;
	uint64_t size;
	uint64_t ino;
	int64_t mtime_ns, ctime_ns;
	uint8_t sha256[SHA256_LEN];
	bool has_sha256;	/* regular file whose content was hashed */
	char type;		/* enum file_type */
	void *mem;		/* owned storage of the strings, or NULL for a view */
};

/* Free the record's owned storage and reset it; views are just reset. */
void vrecord_done(struct vrecord *r);
void vrecord_array_free(struct vrecord *r, size_t n);

/* Build an owned record's string block: copies path/link/acl/xattrs/caps/
 * pkg of src (any may be NULL but path) into one allocation and points
 * dst's strings at it; other fields copied.  0 or -ENOMEM. */
int vrecord_copy(struct vrecord *dst, const struct vrecord *src);

/* ATTR_* bits that differ between old and new, limited to the attributes
 * both recorded.  Type differences are reported separately by the caller. */
uint32_t vrecord_diff(const struct vrecord *old, const struct vrecord *new);

/* Path order used everywhere (baseline, scans, output): bytewise strcmp,
 * except that '/' sorts before every other byte, so a directory's
 * entries follow it directly ("/a", "/a/b", "/a-b"). */
int path_compare(const char *a, const char *b);

/* Lower-case hex of a digest into buf (65 bytes). */
void sha256_to_hex(const uint8_t d[SHA256_LEN], char buf[2 * SHA256_LEN + 1]);
