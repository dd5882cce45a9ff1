/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <limits.h>

#include "scan-record.h"

void recorder_done(struct recorder *rc)
{
	attrs_scratch_done(&rc->attrs);
	digest_ctx_free(rc->digest);
	rc->digest = NULL;
}

/* stat fields the mask asks for; the type is always kept. */
static void fill_stat(struct vrecord *r, const struct stat *st, uint32_t mask)
{
	r->type = file_type_from_mode(st->st_mode);
	r->mask = mask;
	r->mode = (uint32_t)(st->st_mode & S_IFMT);
	if (mask & ATTR_MODE)
		r->mode |= (uint32_t)(st->st_mode & 07777);
	if (mask & ATTR_UID)
		r->uid = (uint32_t)st->st_uid;
	if (mask & ATTR_GID)
		r->gid = (uint32_t)st->st_gid;
	if (mask & ATTR_SIZE)
		r->size = (uint64_t)st->st_size;
	if (mask & ATTR_INODE)
		r->ino = (uint64_t)st->st_ino;
	if (mask & ATTR_MTIME)
		r->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	if (mask & ATTR_CTIME)
		r->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

int make_record(struct vrecord *ret, char *path, const struct stat *st, uint32_t mask, const char *link,
		       const struct file_attrs *a, const uint8_t *sha256)
{
	struct vrecord r = { .path = path };
	int k;

	fill_stat(&r, st, mask);
	if (sha256) {
		memcpy(r.sha256, sha256, SHA256_LEN);
		r.has_sha256 = true;
	}
	if (!link && !a->acl && !a->xattrs && !a->caps) {
		/* The common case: the path allocation is the string block. */
		r.mem = path;
		*ret = r;
		return 0;
	}
	r.link = link;
	r.acl = a->acl;
	r.xattrs = a->xattrs;
	r.caps = a->caps;
	k = vrecord_copy(ret, &r);
	free(path);
	return k;
}

static int open_noatime(struct recorder *rc, int (*opener)(const void *, const char *, int), const void *at,
			const char *name, int flags)
{
	int fd;

	/* O_NOATIME needs ownership or CAP_FOWNER: try it once, then
	 * stop asking after the first EPERM. */
	if (!atomic_load_explicit(rc->noatime_denied, memory_order_relaxed)) {
		fd = opener(at, name, flags | O_NOATIME);
		if (fd != -EPERM)
			return fd;
		atomic_store_explicit(rc->noatime_denied, true, memory_order_relaxed);
	}
	return opener(at, name, flags);
}

static int opener_root(const void *at, const char *path, int flags)
{
	return rootfs_openat(at, path, flags);
}

static int opener_dirfd(const void *at, const char *name, int flags)
{
	int fd = openat(*(const int *)at, name, flags | O_CLOEXEC);

	return fd < 0 ? negative_errno() : fd;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool stat_content_changed(const struct stat *a, const struct stat *b)
{
	return a->st_size != b->st_size || a->st_mtim.tv_sec != b->st_mtim.tv_sec ||
	       a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

void recorder_report(struct recorder *rc, const char *path, int err, const char *what)
{
	if (rc->report)
		rc->report(rc, path, err, what);
}

/* Attribute read failures other than out-of-memory are problems, and the
 * record is kept without them. */
static int read_attrs_or_report(struct recorder *rc, const char *path, int k)
{
	if (k == -ENOMEM)
		return k;
	if (k < 0)
		recorder_report(rc, path, k,
				k == -E2BIG ? "extended attributes too large" : "cannot read extended attributes");
	return 0;
}

/* Open the regular file the walk stat'ed as wst below the root and check
 * it still is a regular file.  Returns the fd and its fstat in *ret_st, or
 * -errno after reporting the problem (-ENOENT: it vanished). */
static int open_regular(struct recorder *rc, const char *path, const struct stat *wst, struct stat *ret_st)
{
	_cleanup_close_ int fd = -EBADF;
	struct stat st;
	int k;

	fd = open_noatime(rc, opener_root, rc->root, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd == -ENOENT || fd == -ENOTDIR) {
		recorder_report(rc, path, -ENOENT, "vanished during scan");
		return -ENOENT;
	}
	if (fd < 0) {
		/* ELOOP: replaced by a symlink since the walk saw it. */
		recorder_report(rc, path, fd, fd == -ELOOP ? "changed during scan" : "cannot open");
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		k = negative_errno();
		recorder_report(rc, path, k, "cannot stat");
		return k;
	}
	if (!S_ISREG(st.st_mode)) {
		recorder_report(rc, path, -ESTALE, "changed during scan");
		return -ESTALE;
	}
	/* Replaced by another regular file (an upgrade's rename): record
	 * the file that is there now, but say so. */
	if (!same_file(&st, wst))
		recorder_report(rc, path, -ESTALE, "changed during scan");
	*ret_st = st;
	return TAKE_FD(fd);
}

int record_regular(struct recorder *rc, char *path, const struct stat *wst, uint32_t mask,
			  struct vrecord *ret)
{
	_cleanup_(file_attrs_done) struct file_attrs a = { 0 };
	_cleanup_close_ int fd = -EBADF;
	uint8_t sha[SHA256_LEN];
	bool hashed = false;
	struct stat st = *wst;
	int k;

	fd = open_regular(rc, path, wst, &st);
	if (fd == -ENOENT) {
		free(path);
		return 0;
	}
	if (fd >= 0 && (mask & ATTR_SHA256)) {
		struct stat after;
		uint64_t n = 0;

		k = digest_fd(rc->digest, fd, sha, &n);
		if (k == -ENOMEM || k == -ECANCELED) {	/* the whole scan ends */
			free(path);
			return k;
		}
		if (k < 0)
			recorder_report(rc, path, k, "cannot read");
		else {
			hashed = true;
			rc->bytes_hashed += n;
			/* Keep the digest with the newest stat, but say the
			 * two may not belong together. */
			if (fstat(fd, &after) < 0 || stat_content_changed(&st, &after) ||
			    n != (uint64_t)after.st_size) {
				recorder_report(rc, path, -ESTALE, "changed while being hashed");
				if (fstat(fd, &after) == 0)
					st = after;
			}
		}
	}
	if (fd >= 0) {
		k = read_attrs_or_report(rc, path, attrs_read_fd(&rc->attrs, fd, false, mask, &a));
		if (k < 0) {
			free(path);
			return k;
		}
	}
	k = make_record(ret, path, &st, mask, NULL, &a, hashed ? sha : NULL);
	return k < 0 ? k : 1;
}

int record_other(struct recorder *rc, int dirfd, const char *name, const char *path, struct stat *st,
		 uint32_t mask, bool may_open, int *ret_fd, struct vrecord *ret)
{
	_cleanup_(file_attrs_done) struct file_attrs a = { 0 };
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *copy = NULL;
	char link[PATH_MAX];
	const char *l = NULL;
	int k;

	if (ret_fd)
		*ret_fd = -EBADF;

	if (S_ISLNK(st->st_mode)) {
		if (mask & ATTR_LINK) {
			ssize_t n = readlinkat(dirfd, name, link, sizeof(link));

			if (n < 0)
				recorder_report(rc, path, negative_errno(), "cannot read symlink");
			else if ((size_t)n >= sizeof(link))
				recorder_report(rc, path, -ENAMETOOLONG, "symlink target too long");
			else {
				link[n] = '\0';
				l = link;
			}
		}
		k = read_attrs_or_report(rc, path, attrs_read_at(&rc->attrs, dirfd, name, mask, &a));
		if (k < 0)
			return k;
	} else if (S_ISDIR(st->st_mode) && may_open && (ret_fd || (mask & ATTR_NEEDS_FD))) {
		struct stat now;

		fd = open_noatime(rc, opener_dirfd, &dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NOCTTY);
		if (fd == -ENOENT) {
			recorder_report(rc, path, fd, "vanished during scan");
			return 0;
		}
		if (fd < 0)
			recorder_report(rc, path, fd, fd == -ENOTDIR || fd == -ELOOP ? "changed during scan" : "cannot open");
		else if (fstat(fd, &now) < 0) {
			recorder_report(rc, path, negative_errno(), "cannot stat");
			fd = safe_close(fd);
		} else {
			if (!same_file(&now, st))
				recorder_report(rc, path, -ESTALE, "changed during scan");
			*st = now;
			k = read_attrs_or_report(rc, path, attrs_read_fd(&rc->attrs, fd, true, mask, &a));
			if (k < 0)
				return k;
		}
	}
	/* FIFOs, sockets and devices are never opened: stat only. */

	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	k = make_record(ret, TAKE_PTR(copy), st, mask, l, &a, NULL);
	if (k < 0)
		return k;
	if (ret_fd)
		*ret_fd = TAKE_FD(fd);
	return 1;
}

int open_parent(const struct rootfs *root, const char *path, const char **ret_name)
{
	const char *slash = strrchr(path, '/');
	char parent[PATH_MAX];
	size_t l;
	int fd;

	if (!slash || streq(path, "/")) {
		fd = rootfs_openat(root, "/", O_PATH | O_DIRECTORY);
		*ret_name = ".";
		return fd;
	}
	l = slash == path ? 1 : (size_t)(slash - path);
	if (l >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, l);
	parent[l] = '\0';
	fd = rootfs_openat(root, parent, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	*ret_name = slash + 1;
	return fd;
}
