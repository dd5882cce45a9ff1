/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "confdirs.h"

#define CONFDIRS_MAX_FILES 4096

void confdirs_free(struct confdirs_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].path);
	}
	free(files);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct confdirs_file *)a)->name, ((const struct confdirs_file *)b)->name);
}

static bool masked(int dfd, const char *name)
{
	char target[64];
	ssize_t n;

	n = readlinkat(dfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return streq(target, "/dev/null");
}

int confdirs_list(const struct rootfs *root, const char *const *dirs, size_t n_dirs, const char *suffix,
		  struct confdirs_file **ret, size_t *ret_n)
{
	struct confdirs_file *files = NULL;
	size_t n = 0, allocated = 0, slen = strlen(suffix);
	int r = 0;

	for (size_t d = 0; d < n_dirs; d++) {
		DIR *dp;
		struct dirent *de;
		int fd, dfd;

		fd = rootfs_openat(root, dirs[d], O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			if (fd == -ENOENT || fd == -ENOTDIR)
				continue;
			r = fd;
			goto fail;
		}
		dp = fdopendir(fd);
		if (!dp) {
			r = negative_errno();
			close(fd);
			goto fail;
		}
		dfd = dirfd(dp);
		while ((de = readdir(dp))) {
			size_t len = strlen(de->d_name);
			bool dup = false;

			if (de->d_name[0] == '.' || len <= slen || !streq(de->d_name + len - slen, suffix))
				continue;
			for (size_t i = 0; i < n && !dup; i++)
				dup = streq(files[i].name, de->d_name);
			if (dup)
				continue;	/* an earlier directory has this name */
			if (n >= CONFDIRS_MAX_FILES) {
				closedir(dp);
				r = -E2BIG;
				goto fail;
			}
			if (grow_array((void **)&files, &allocated, n + 1, sizeof(*files)) < 0) {
				closedir(dp);
				r = -ENOMEM;
				goto fail;
			}
			files[n] = (struct confdirs_file){ .name = strdup(de->d_name) };
			if (!masked(dfd, de->d_name))
				files[n].path = path_join(dirs[d], de->d_name);
			n++;
			if (!files[n - 1].name || (!files[n - 1].path && !masked(dfd, de->d_name))) {
				closedir(dp);
				r = -ENOMEM;
				goto fail;
			}
		}
		closedir(dp);
	}
	if (n)
		qsort(files, n, sizeof(*files), cmp_file);
	*ret = files;
	*ret_n = n;
	return 0;
fail:
	confdirs_free(files, n);
	return r;
}

char *confdirs_skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

char *confdirs_next_line(char **p, char *end)
{
	char *line = *p, *nl, *e;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
		e = nl;
	} else {
		*p = end;
		e = end;
	}
	/* An embedded NUL ends the line early: the rest is ignored. */
	e = line + strlen(line);
	while (e > line && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return line;
}

void confdirs_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int confdirs_glob(const struct rootfs *root, const char *pattern, char ***ret, size_t *ret_n)
{
	_cleanup_free_ char *dir = NULL;
	const char *slash = strrchr(pattern, '/'), *base;
	char **v = NULL;
	size_t n = 0, allocated = 0;
	struct stat st;
	DIR *dp;
	struct dirent *de;
	int fd, r = 0;

	if (!slash)
		return -EINVAL;
	base = slash + 1;
	if (!strpbrk(base, "*?[")) {
		if (rootfs_stat(root, pattern, true, &st) < 0) {
			*ret = NULL;
			*ret_n = 0;
			return 0;
		}
		v = malloc(sizeof(char *));
		if (!v || !(v[0] = strdup(pattern))) {
			free(v);
			return -ENOMEM;
		}
		*ret = v;
		*ret_n = 1;
		return 0;
	}
	dir = strndup(pattern, (size_t)(slash - pattern));
	if (!dir)
		return -ENOMEM;
	fd = rootfs_openat(root, *dir ? dir : "/", O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		*ret = NULL;
		*ret_n = 0;
		return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
	}
	dp = fdopendir(fd);
	if (!dp) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(dp))) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (fnmatch(base, de->d_name, FNM_PERIOD) != 0)
			continue;
		if (n >= CONFDIRS_MAX_FILES) {
			r = -E2BIG;
			break;
		}
		if (grow_array((void **)&v, &allocated, n + 1, sizeof(char *)) < 0 ||
		    !(v[n] = path_join(*dir ? dir : "/", de->d_name))) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(dp);
	if (r < 0) {
		confdirs_strv_free(v, n);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(char *), cmp_strp);
	*ret = v;
	*ret_n = n;
	return 0;
}
