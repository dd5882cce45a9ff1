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

struct file_list {
	struct confdirs_file *files;
	size_t n, allocated;
};

static void file_list_done(struct file_list *l)
{
	confdirs_free(l->files, l->n);
}

static void closedirp(DIR **d)
{
	if (*d)
		(void)closedir(*d);
}

/* Add the matching names of one directory that no earlier one had. */
static int list_dir(const struct rootfs *root, const char *dir, const char *suffix, struct file_list *l)
{
	_cleanup_(closedirp) DIR *dp = NULL;
	size_t slen = strlen(suffix);
	struct dirent *de;
	int fd;

	fd = rootfs_openat(root, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
	dp = fdopendir(fd);
	if (!dp) {
		int r = negative_errno();
		close(fd);
		return r;
	}
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		struct confdirs_file *f;
		bool dup = false;

		if (de->d_name[0] == '.' || len <= slen || !streq(de->d_name + len - slen, suffix))
			continue;
		for (size_t i = 0; i < l->n && !dup; i++)
			dup = streq(l->files[i].name, de->d_name);
		if (dup)
			continue;	/* an earlier directory has this name */
		if (l->n >= CONFDIRS_MAX_FILES)
			return -E2BIG;
		if (grow_array((void **)&l->files, &l->allocated, l->n + 1, sizeof(*l->files)) < 0)
			return -ENOMEM;
		f = &l->files[l->n];
		*f = (struct confdirs_file){ .name = strdup(de->d_name) };
		l->n++;
		if (!f->name)
			return -ENOMEM;
		if (masked(dirfd(dp), de->d_name))
			continue;
		f->path = path_join(dir, de->d_name);
		if (!f->path)
			return -ENOMEM;
	}
	return 0;
}

int confdirs_list(const struct rootfs *root, const char *const *dirs, size_t n_dirs, const char *suffix,
		  struct confdirs_file **ret, size_t *ret_n)
{
	_cleanup_(file_list_done) struct file_list l = {};
	int r;

	for (size_t d = 0; d < n_dirs; d++) {
		r = list_dir(root, dirs[d], suffix, &l);
		if (r < 0)
			return r;
	}
	if (l.n)
		qsort(l.files, l.n, sizeof(*l.files), cmp_file);
	*ret = TAKE_PTR(l.files);
	*ret_n = l.n;
	l.n = 0;
	return 0;
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
