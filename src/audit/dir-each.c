/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>

#include "dir-each.h"

int dir_each(struct dir_budget *b, int dfd, const char *path, bool (*want)(const char *name), dir_entry_fn fn,
	     void *userdata)
{
	DIR *dp = fdopendir(dfd);
	struct dirent *de;
	int r = 0;

	if (!dp) {
		r = negative_errno();
		close(dfd);
		return r;
	}
	while (r >= 0 && (de = readdir(dp))) {
		_cleanup_free_ char *child = NULL;
		struct stat st;

		if (streq(de->d_name, ".") || streq(de->d_name, "..") || (want && !want(de->d_name)))
			continue;
		if (++b->seen > b->max) {
			b->overflow = true;
			break;
		}
		if (audit_cancelled(b->actx)) {
			b->cancelled = true;
			break;
		}
		if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) < 0)
			continue;
		child = path_join(path, de->d_name);
		if (!child) {
			r = -ENOMEM;
			break;
		}
		r = fn(userdata, dirfd(dp), child, de->d_name, &st);
	}
	closedir(dp);
	return r;
}
