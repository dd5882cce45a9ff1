/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "fileio.h"
#include "rootfs.h"

int rootfs_open(struct rootfs *ret, const char *dir)
{
	_cleanup_free_ char *d = NULL;
	int fd;

	if (isempty(dir))
		dir = "/";
	d = strdup(dir);
	if (!d)
		return -ENOMEM;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	*ret = (struct rootfs){ .fd = fd, .dir = TAKE_PTR(d), .live = streq(dir, "/") };
	return 0;
}

void rootfs_close(struct rootfs *rf)
{
	rf->fd = safe_close(rf->fd);
	free(rf->dir);
	rf->dir = NULL;
}

int rootfs_openat(const struct rootfs *rf, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = syscall(SYS_openat2, rf->fd, path, &how, sizeof(how));
	if (fd < 0)
		return negative_errno();
	return (int)fd;
}

int rootfs_stat(const struct rootfs *rf, const char *path, bool follow, struct stat *ret)
{
	_cleanup_close_ int fd = -EBADF;

	fd = rootfs_openat(rf, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return fd;
	if (fstat(fd, ret) < 0)
		return negative_errno();
	return 0;
}

int rootfs_read_file(const struct rootfs *rf, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -EBADF;

	fd = rootfs_openat(rf, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd;
	return read_fd_full(fd, max, ret, ret_len);
}

char *rootfs_host_path(const struct rootfs *rf, const char *path)
{
	if (rf->live)
		return strdup(path);
	return path_join(rf->dir, path);
}
