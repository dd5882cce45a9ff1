/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files: a bounded walk of the examined file systems for world-writable
 * files (and world-writable directories without the sticky bit) and for
 * files whose owner or group has no name in the image's passwd/group
 * (CIS 7.1.11, 7.1.12).  One walk per set of roots serves every check of
 * the run; a walk that exceeds max_files is an error, not a silent pass.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check.h"
#include "idmap.h"
#include "probes.h"
#include "strbuf.h"

#define FILES_DEFAULT_MAX 5000000
#define FILES_MAX_DEPTH 64
#define FILES_MAX_SHOWN 5
#define FILES_MAX_ROOTS 16

/* Kernel and runtime file systems, not part of the installed system. */
static const char *const skipped[] = { "/proc", "/sys", "/dev", "/run", NULL };

struct files_walk {
	char *key;		/* "under|xdev|max" this walk answers */
	unsigned long long n_seen;
	unsigned long long n_unreadable;	/* directories that could not be opened */
	bool overflow;
	bool too_deep;
	int error;
	char *error_path;
	/* the first PROBE_MAX_FINDINGS paths of each kind, in walk order */
	char *world_writable[PROBE_MAX_FINDINGS], *unowned[PROBE_MAX_FINDINGS];
	unsigned long long n_world_writable, n_unowned;
	struct files_walk *next;
};

struct files_cache {
	struct idmap *ids;
	struct files_walk *walks;
};

struct walker {
	struct files_walk *w;
	const struct idmap *ids;
	unsigned long long max;
	bool xdev;
	dev_t dev;
};

static void cache_free(void *p)
{
	struct files_cache *c = p;

	if (!c)
		return;
	idmap_free(c->ids);
	while (c->walks) {
		struct files_walk *w = c->walks;

		c->walks = w->next;
		free(w->key);
		free(w->error_path);
		for (size_t i = 0; i < MIN(w->n_world_writable, (unsigned long long)PROBE_MAX_FINDINGS); i++)
			free(w->world_writable[i]);
		for (size_t i = 0; i < MIN(w->n_unowned, (unsigned long long)PROBE_MAX_FINDINGS); i++)
			free(w->unowned[i]);
		free(w);
	}
	free(c);
}

static int files_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "find", "under", "max_files", "xdev", NULL };
	const char *find, *v;
	unsigned long long n;
	size_t roots = 0;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	find = check_arg_required(c, "find", d);
	if (!find)
		return -EINVAL;
	if (!streq(find, "world_writable") && !streq(find, "unowned"))
		return diag_set(d, -EINVAL, "key 'find': '%s' is not world_writable or unowned", find);
	if ((v = check_arg(c, "under")))
		for (const char *p = v; *p;) {
			size_t l;

			p += strspn(p, " \t");
			l = strcspn(p, " \t");
			if (l == 0)
				break;
			if (*p != '/' || ++roots > FILES_MAX_ROOTS)
				return diag_set(d, -EINVAL, "key 'under': '%.*s' is not an absolute path (at most %d)",
						(int)l, p, FILES_MAX_ROOTS);
			p += l;
		}
	if ((v = check_arg(c, "max_files")) && (parse_u64(v, &n) < 0 || n == 0 || n > 100000000ULL))
		return diag_set(d, -EINVAL, "key 'max_files': '%s' is not a count between 1 and 100000000", v);
	if ((v = check_arg(c, "xdev")) && parse_bool(v, &b) < 0)
		return diag_set(d, -EINVAL, "key 'xdev': '%s' is not yes or no", v);
	return 0;
}

static int note(char **list, unsigned long long *count, const char *path)
{
	if (*count < PROBE_MAX_FINDINGS) {
		list[*count] = strdup(path);
		if (!list[*count])
			return -ENOMEM;
	}
	++*count;
	return 0;
}

static bool is_skipped(const char *path)
{
	for (size_t i = 0; skipped[i]; i++)
		if (streq(path, skipped[i]))
			return true;
	return false;
}

/* Walk the directory open at dfd (image path `path`); takes dfd. */
static int walk_dir(struct walker *wk, int dfd, const char *path, unsigned depth)
{
	DIR *dp;
	struct dirent *de;
	int r = 0;

	dp = fdopendir(dfd);
	if (!dp) {
		r = negative_errno();
		close(dfd);
		return r;
	}
	while ((de = readdir(dp))) {
		_cleanup_free_ char *child = NULL;
		struct stat st;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (++wk->w->n_seen > wk->max) {
			wk->w->overflow = true;
			break;
		}
		if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* vanished meanwhile */
		child = path_join(path, de->d_name);
		if (!child) {
			r = -ENOMEM;
			break;
		}
		if ((st.st_mode & S_IWOTH) &&
		    (S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && !(st.st_mode & S_ISVTX))) &&
		    note(wk->w->world_writable, &wk->w->n_world_writable, child) < 0) {
			r = -ENOMEM;
			break;
		}
		if ((!idmap_user_name(wk->ids, st.st_uid) || !idmap_group_name(wk->ids, st.st_gid)) &&
		    note(wk->w->unowned, &wk->w->n_unowned, child) < 0) {
			r = -ENOMEM;
			break;
		}
		if (!S_ISDIR(st.st_mode) || is_skipped(child) || (wk->xdev && st.st_dev != wk->dev))
			continue;
		if (depth + 1 >= FILES_MAX_DEPTH) {
			wk->w->too_deep = true;
			break;
		}
		int cfd = openat(dirfd(dp), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0) {
			/* vanished or unreadable: said in the result, not hidden */
			wk->w->n_unreadable++;
			continue;
		}
		r = walk_dir(wk, cfd, child, depth + 1);
		if (r < 0 || wk->w->overflow || wk->w->too_deep)
			break;
	}
	closedir(dp);
	return r;
}

static int run_walk(struct walker *wk, const struct rootfs *root, const char *under)
{
	_cleanup_free_ char *roots = strdup(under);
	char *save = NULL;
	int r;

	if (!roots)
		return -ENOMEM;
	for (char *t = strtok_r(roots, " \t", &save); t && !wk->w->overflow && !wk->w->too_deep;
	     t = strtok_r(NULL, " \t", &save)) {
		struct stat st;
		int fd;

		if (is_skipped(t))
			continue;
		fd = rootfs_openat(root, t, O_RDONLY | O_DIRECTORY);
		if (fd == -ENOENT)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0) {
			r = fd < 0 ? fd : negative_errno();
			safe_close(fd);
			wk->w->error = r;
			wk->w->error_path = strdup(t);
			return 0;
		}
		wk->dev = st.st_dev;
		r = walk_dir(wk, fd, streq(t, "/") ? "" : t, 0);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			wk->w->error = r;
			wk->w->error_path = strdup(t);
			return 0;
		}
	}
	return 0;
}

static int files_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_free_ char *key = NULL;
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	const char *under = check_arg(c, "under") ? check_arg(c, "under") : "/";
	const char *find = check_arg(c, "find");
	unsigned long long max = FILES_DEFAULT_MAX, count;
	bool xdev = true;
	void **slot = audit_ctx_cache(ctx, &probe_files);
	struct files_cache *cache;
	struct files_walk *w;
	int r;

	if (!slot)
		return -EINVAL;
	if (check_arg(c, "max_files"))
		(void)parse_u64(check_arg(c, "max_files"), &max);
	if (check_arg(c, "xdev"))
		(void)parse_bool(check_arg(c, "xdev"), &xdev);
	if (asprintf(&key, "%s|%d|%llu", under, xdev, max) < 0)
		return -ENOMEM;

	if (!*slot) {
		cache = calloc(1, sizeof(*cache));
		if (!cache)
			return -ENOMEM;
		*slot = cache;
		r = idmap_load(ctx->root, &cache->ids);
		if (r < 0) {
			*slot = NULL;
			cache_free(cache);
			if (r == -ENOMEM)
				return r;
			return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read passwd/group: %s",
							strerror(-r));
		}
	}
	cache = *slot;
	for (w = cache->walks; w && !streq(w->key, key); w = w->next)
		;
	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w)
			return -ENOMEM;
		w->key = TAKE_PTR(key);
		w->next = cache->walks;
		cache->walks = w;
		struct walker wk = { .w = w, .ids = cache->ids, .max = max, .xdev = xdev };
		r = run_walk(&wk, ctx->root, under);
		if (r < 0)
			return r;
	}
	if (w->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot walk %s: %s",
						w->error_path ? w->error_path : under, strerror(-w->error));
	if (w->overflow)
		return probe_result_setf_reason(ret, VERDICT_ERROR,
						"more than %llu files under %s; raise max_files or narrow 'under'",
						max, under);
	if (w->too_deep)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "directories nested deeper than %d levels under %s",
						FILES_MAX_DEPTH, under);
	bool ww = streq(find, "world_writable");
	char **found = ww ? w->world_writable : w->unowned;
	count = ww ? w->n_world_writable : w->n_unowned;
	if (count == 0)
		strbuf_printf(&obs, "none in %llu entries", w->n_seen);
	else {
		strbuf_printf(&obs, "%llu: ", count);
		for (size_t i = 0; i < MIN(count, (unsigned long long)FILES_MAX_SHOWN); i++)
			strbuf_printf(&obs, "%s%s", i ? ", " : "", found[i]);
		if (count > FILES_MAX_SHOWN)
			strbuf_puts(&obs, ", ...");
	}
	if (w->n_unreadable)
		strbuf_printf(&obs, " (%llu directories could not be read)", w->n_unreadable);
	if (strbuf_error(&obs) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < MIN(count, (unsigned long long)PROBE_MAX_FINDINGS); i++)
		if (probe_result_add_finding(ret, found[i]) < 0)
			return -ENOMEM;
	return probe_result_set(ret, count ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs), "none");
}

const struct probe probe_files = {
	.name = "files",
	.validate = files_validate,
	.eval = files_eval,
	.cache_free = cache_free,
};
