/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>

#include "fileio.h"

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return negative_errno();
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode)
{
	_cleanup_free_ char *tmp = NULL, *target = NULL;
	int fd;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return -ENOMEM;
	target = strdup(path);
	if (!target)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	if (fchmod(fd, mode) < 0) {
		int r = negative_errno();

		(void)unlink(tmp);
		(void)close(fd);
		return r;
	}
	af->fd = fd;
	af->path = TAKE_PTR(target);
	af->tmp = TAKE_PTR(tmp);
	return 0;
}

int atomic_file_write(struct atomic_file *af, const void *data, size_t len)
{
	return write_all(af->fd, data, len);
}

static int fsync_parent_dir(const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	_cleanup_close_ int dfd = -EBADF;

	if (!copy)
		return -ENOMEM;
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return negative_errno();
	if (fsync(dfd) < 0)
		return negative_errno();
	return 0;
}

int atomic_file_commit(struct atomic_file *af)
{
	int r = 0;

	if (fsync(af->fd) < 0)
		r = negative_errno();
	if (close(af->fd) < 0 && r == 0)
		r = negative_errno();
	af->fd = -EBADF;
	if (r == 0 && rename(af->tmp, af->path) < 0)
		r = negative_errno();
	if (r < 0) {
		atomic_file_abort(af);
		return r;
	}
	free(af->tmp);
	af->tmp = NULL;
	r = fsync_parent_dir(af->path);
	free(af->path);
	af->path = NULL;
	return r;
}

void atomic_file_abort(struct atomic_file *af)
{
	af->fd = safe_close(af->fd);
	if (af->tmp)
		(void)unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	struct atomic_file af = ATOMIC_FILE_INIT;
	int r;

	r = atomic_file_open(&af, path, mode);
	if (r < 0)
		return r;
	r = atomic_file_write(&af, data, len);
	if (r < 0) {
		atomic_file_abort(&af);
		return r;
	}
	return atomic_file_commit(&af);
}

int read_fd_full(int fd, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, alloc = 0;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	for (;;) {
		ssize_t n;
		int r;

		r = grow_array((void **)&buf, &alloc, len + 65536 + 1, 1);
		if (r < 0)
			return r;
		n = read(fd, buf + len, alloc - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return negative_errno();
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return -EFBIG;
	}
	if (!buf && !(buf = malloc(1)))
		return -ENOMEM;
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

int read_file_at(int dirfd, const char *path, bool follow, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -EBADF;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return negative_errno();
	return read_fd_full(fd, max, ret, ret_len);
}
