/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Internal to the scan engine (scan.c): turning one directory entry into
 * a record, the same way for the walk, the hashing workers and
 * scan_one().  Not for other modules: they call scan.h.
 */

#include <stdatomic.h>
#include <sys/stat.h>

#include "attrs.h"
#include "digest.h"
#include "record.h"
#include "rootfs.h"

/* Attributes that need the file opened. */
#define ATTR_NEEDS_FD (ATTR_SHA256 | ATTR_ACL | ATTR_XATTRS | ATTR_CAPS)

/* What one thread needs to turn a path into a record; one per thread. */
struct recorder {
	const struct rootfs *root;
	struct attrs_scratch attrs;
	struct digest_ctx *digest;	/* needed for regular files with ATTR_SHA256 */
	atomic_bool *noatime_denied;	/* shared by a scan's threads */
	uint64_t bytes_hashed;		/* record_regular() adds to it */
	/* A non-fatal problem with path; NULL ignores problems. */
	void (*report)(struct recorder *rc, const char *path, int err, const char *what);
	void *userdata;			/* for report */
};

/* Free the scratch buffers and the digest context. */
void recorder_done(struct recorder *rc);
void recorder_report(struct recorder *rc, const char *path, int err, const char *what);

/* Assemble an owned record from a stat, the mask and the optional strings
 * (borrowed).  path (malloc'ed) is consumed in every case.  0 or -ENOMEM. */
int make_record(struct vrecord *ret, char *path, const struct stat *st, uint32_t mask, const char *link,
		const struct file_attrs *a, const uint8_t *sha256);

/* A regular file the walk stat'ed as wst, opened below the root by path:
 * checked to still be that file, hashed, attributes read through the one
 * fd.  If it cannot be opened the walk's stat is recorded.  path is
 * consumed.  1 with *ret filled, 0 when there is nothing to record
 * (vanished), -ENOMEM. */
int record_regular(struct recorder *rc, char *path, const struct stat *wst, uint32_t mask, struct vrecord *ret);

/* Anything but a regular file with content or xattrs to read, at
 * dirfd/name (already fstatat'ed into *st, which a directory's fstat may
 * refresh).  A directory is opened (for its attributes) only if may_open;
 * when ret_fd is not NULL its fd is handed back for descending (-EBADF if
 * it was not opened).  path is borrowed.  1 with *ret, 0 nothing
 * recorded, -ENOMEM. */
int record_other(struct recorder *rc, int dirfd, const char *name, const char *path, struct stat *st,
		 uint32_t mask, bool may_open, int *ret_fd, struct vrecord *ret);

/* Open the parent of the image-absolute path in-root (following the
 * image's own symlinks) and point *ret_name at the last component ("."
 * for "/").  An O_PATH fd or -errno. */
int open_parent(const struct rootfs *root, const char *path, const char **ret_name);
