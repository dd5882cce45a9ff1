/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files: world-writable files (and world-writable directories without
 * the sticky bit) and files whose owner or group has no name in the
 * image's passwd/group (CIS 7.1.11, 7.1.12), found by one bounded walk
 * (files-walk.c) that serves every check of the run with the same
 * arguments; a walk that exceeds max_files is an error, not a silent pass.
 *
 * CIS audits every local file system (df --local), so live, with xdev,
 * each local file system mounted below the walked directories is walked
 * too (probe-mount.h: mount_is_local), while network, FUSE and kernel
 * file systems are never entered.  An offline image has no mount table
 * of its own: its tree is walked as it is, staying on the file system of
 * each directory given.
 *
 * find = setid_unaudited (CIS 6.3.3.6) reports the setuid and setgid
 * files of the same walk that no "-a ... -F path=FILE -F perm=x" line of
 * the audit rules (default /etc/audit/audit.rules, the file augenrules
 * writes and auditd loads) watches.
 */
#include <sys/stat.h>

#include "check.h"
#include "confdirs.h"
#include "files-walk.h"
#include "idmap.h"
#include "probe-mount.h"
#include "probes.h"
#include "strbuf.h"

#define FILES_DEFAULT_MAX 5000000
#define FILES_MAX_SHOWN 5
#define FILES_MAX_ROOTS 16
#define FILES_MAX_MOUNTINFO (4 * 1024 * 1024)
#define FILES_MAX_WALK_ROOTS 4096
#define FILES_MAX_AUDITED 65536

struct files_walk_cached {
	char *key;		/* "under|xdev|max" this walk answers */
	int error;
	char *error_path;
	struct files_walk_result res;
	struct files_walk_cached *next;
};

struct files_cache {
	struct idmap *ids;
	struct files_walk_cached *walks;
};

struct strv {
	char **v;
	size_t n, allocated;
};

static void strv_done(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Append a copy of s[0..len); -E2BIG once the list holds max: a caller
 * says so rather than act on part of the list. */
static int strv_add(struct strv *l, const char *s, size_t len, size_t max)
{
	char *c;

	if (l->n >= max)
		return -E2BIG;
	c = strndup(s, len);
	if (!c || grow_array((void **)&l->v, &l->allocated, l->n + 1, sizeof(char *)) < 0) {
		free(c);
		return -ENOMEM;
	}
	l->v[l->n++] = c;
	return 0;
}

static void cache_free(void *p)
{
	struct files_cache *c = p;

	if (!c)
		return;
	idmap_free(c->ids);
	while (c->walks) {
		struct files_walk_cached *w = c->walks;

		c->walks = w->next;
		free(w->key);
		free(w->error_path);
		files_walk_result_done(&w->res);
		free(w);
	}
	free(c);
}

static int files_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "find", "under", "max_files", "xdev", "rules", NULL };
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
	if (!streq(find, "world_writable") && !streq(find, "unowned") && !streq(find, "setid_unaudited"))
		return diag_set(d, -EINVAL, "key 'find': '%s' is not world_writable, unowned or setid_unaudited", find);
	if ((v = check_arg(c, "rules")) && (!streq(find, "setid_unaudited") || *v != '/'))
		return diag_set(d, -EINVAL, "key 'rules': an absolute path, with find = setid_unaudited only");
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

/* True if path is dir or below it (both without a trailing slash, "/"
 * being the root). */
static bool path_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (streq(dir, "/"))
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* A bind mount of a subtree of a file system that is also mounted whole:
 * the whole one's walk covers it. */
static bool covered_bind_mount(const struct mount_table *t, const struct mount_entry *e)
{
	if (streq(e->fsroot, "/"))
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (t->entries[i].dev_major == e->dev_major && t->entries[i].dev_minor == e->dev_minor &&
		    streq(t->entries[i].fsroot, "/") && mount_is_local(&t->entries[i]))
			return true;
	return false;
}

/* The local file systems mounted below the directories in dirs (live):
 * kernel views (/proc, /sys) and per-user runtime directories
 * (/run/user/UID, which CIS leaves out) are not walked.  -E2BIG beyond
 * FILES_MAX_WALK_ROOTS: walking only some would pass files never seen. */
static int add_local_mounts(const struct rootfs *root, struct strv *dirs)
{
	_cleanup_(mount_table_done) struct mount_table t = MOUNT_TABLE_INIT;
	_cleanup_free_ char *text = NULL;
	size_t len, n_dirs = dirs->n;
	int r;

	r = rootfs_read_file(root, "/proc/self/mountinfo", FILES_MAX_MOUNTINFO, &text, &len);
	if (r < 0)
		return r;
	r = mount_parse_mountinfo(&t, text, len);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t.n; i++) {
		const struct mount_entry *e = &t.entries[i];
		bool wanted = false;

		if (!mount_is_local(e) || covered_bind_mount(&t, e) || path_below(e->target, "/proc") ||
		    path_below(e->target, "/sys") || path_below(e->target, "/run/user"))
			continue;
		for (size_t j = 0; j < n_dirs && !wanted; j++)
			wanted = path_below(e->target, dirs->v[j]);
		if (wanted && (r = strv_add(dirs, e->target, strlen(e->target), FILES_MAX_WALK_ROOTS)) < 0)
			return r;
	}
	return 0;
}

static int run_walk(struct audit_ctx *ctx, const struct idmap *ids, const char *under, bool xdev,
		    unsigned long long max, struct files_walk_cached *w)
{
	_cleanup_(strv_done) struct strv dirs = {};
	int r;

	for (const char *p = under; *p;) {
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (l == 0)
			break;
		/* "/srv/" and "/srv" are the same directory */
		while (l > 1 && p[l - 1] == '/')
			l--;
		if (strv_add(&dirs, p, l, FILES_MAX_WALK_ROOTS) < 0)
			return -ENOMEM;	/* at most FILES_MAX_ROOTS (validated): only out of memory */
		if (files_walk_is_skipped(dirs.v[dirs.n - 1]))
			free(dirs.v[--dirs.n]);
		p += strcspn(p, " \t");
	}
	if (ctx->root->live && xdev) {
		r = add_local_mounts(ctx->root, &dirs);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			w->error = r;
			w->error_path = strdup("/proc/self/mountinfo");
			return 0;
		}
	}
	struct files_walk_opts o = {
		.root = ctx->root,
		.roots = (const char *const *)dirs.v,
		.n_roots = dirs.n,
		.xdev = xdev,
		.max = max,
		.ids = ids,
		.cancel = ctx->cancel,
	};
	r = files_walk(&o, &w->res, &w->error_path);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		w->error = r;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths "-a" rules of an audit.rules file watch for execution
 * (auditctl(8): -F path=FILE with -F perm= including x), sorted.  -E2BIG
 * beyond FILES_MAX_AUDITED: the files they watch would fail unseen. */
static int audited_paths(const struct rootfs *root, const char *rules, struct strv *ret)
{
	_cleanup_free_ char *text = NULL;
	char *p, *line;
	size_t len;
	int r;

	r = rootfs_read_file(root, rules, 16 * 1024 * 1024, &text, &len);
	if (r < 0)
		return r;
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		char *save = NULL, *path = NULL, *prev = NULL;
		bool exec = false, rule;

		line = confdirs_skip_ws(line);
		rule = strncmp(line, "-a", 2) == 0 || strncmp(line, "-A", 2) == 0;
		for (char *t = strtok_r(line, " \t", &save); rule && t; prev = t, t = strtok_r(NULL, " \t", &save)) {
			if (!prev || !streq(prev, "-F"))
				continue;
			if (strncmp(t, "path=", 5) == 0)
				path = t + 5;
			else if (strncmp(t, "perm=", 5) == 0)
				exec = strchr(t + 5, 'x') != NULL;
		}
		if (path && exec && (r = strv_add(ret, path, strlen(path), FILES_MAX_AUDITED)) < 0)
			return r;
	}
	if (ret->n)
		qsort(ret->v, ret->n, sizeof(char *), cmp_str);
	return 0;
}

static int eval_setid(const struct check *c, struct audit_ctx *ctx, const struct files_walk_cached *w,
		      struct probe_result *ret)
{
	const char *rules = check_arg(c, "rules") ? check_arg(c, "rules") : "/etc/audit/audit.rules";
	const char *under = check_arg(c, "under") ? check_arg(c, "under") : "/";
	_cleanup_(strv_done) struct strv audited = {};
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	/* the walk keeps FILES_WALK_MAX_SETID paths but counts them all */
	unsigned long long total = w->res.setid.count;
	bool partial = total > w->res.setid.n;
	unsigned missing = 0;
	int r;

	r = audited_paths(ctx->root, rules, &audited);
	if (r == -ENOMEM)
		return r;
	if (r == -E2BIG)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "more than %d execution rules in %s", FILES_MAX_AUDITED,
						rules);
	if (r < 0 && r != -ENOENT)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", rules, strerror(-r));
	for (size_t i = 0; i < w->res.setid.n; i++) {
		const char *f = w->res.setid.paths[i];

		if (audited.n && bsearch(&f, audited.v, audited.n, sizeof(char *), cmp_str))
			continue;
		if (++missing <= FILES_MAX_SHOWN)
			strbuf_printf(&obs, "%s%s", missing > 1 ? ", " : "", f);
		if (probe_result_add_finding(ret, f) < 0)
			return -ENOMEM;
	}
	/* Unchecked files could lack a rule: no pass, but the ones found
	 * without one are a fail whatever the others are. */
	if (missing == 0 && partial)
		return probe_result_setf_reason(ret, VERDICT_ERROR,
						"%llu setuid/setgid files under %s: only the first %zu could be checked",
						total, under, w->res.setid.n);
	if (missing == 0)
		strbuf_printf(&obs, "all %llu setuid/setgid files have an audit rule", total);
	else {
		_cleanup_free_ char *head = strdup(strbuf_str(&obs));

		if (!head)
			return -ENOMEM;
		strbuf_reset(&obs);
		strbuf_printf(&obs, "%u of %llu setuid/setgid files without an execution rule in %s%s: %s%s", missing,
			      total, rules, r == -ENOENT ? " (missing)" : "", head,
			      missing > FILES_MAX_SHOWN ? ", ..." : "");
		if (partial)
			strbuf_printf(&obs, " (only the first %zu checked)", w->res.setid.n);
	}
	if (strbuf_error(&obs) < 0)
		return -ENOMEM;
	return probe_result_set(ret, missing ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs),
				"an '-a always,exit -F path=FILE -F perm=x' rule for each");
}

static int files_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_free_ char *key = NULL;
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	const char *under = check_arg(c, "under") ? check_arg(c, "under") : "/";
	const char *find = check_arg(c, "find");
	unsigned long long max = FILES_DEFAULT_MAX;
	bool xdev = true;
	void **slot = audit_ctx_cache(ctx, &probe_files);
	struct files_cache *cache;
	struct files_walk_cached *w;
	const struct files_found *found;
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
		r = idmap_load(ctx->root, &cache->ids);
		if (r < 0) {
			cache_free(cache);
			if (r == -ENOMEM)
				return r;
			return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read passwd/group: %s",
							strerror(-r));
		}
		*slot = cache;
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
		r = run_walk(ctx, cache->ids, under, xdev, max, w);
		if (r < 0)
			return r;
	}
	if (w->error == -ECANCELED)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "audit cancelled during the walk of %s", under);
	if (w->error == -E2BIG)
		return probe_result_setf_reason(ret, VERDICT_ERROR,
						"more than %d local file systems to walk under %s (%s): not all could be walked",
						FILES_MAX_WALK_ROOTS, under, w->error_path ? w->error_path : "mountinfo");
	if (w->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot walk %s: %s",
						w->error_path ? w->error_path : under, strerror(-w->error));
	if (w->res.overflow)
		return probe_result_setf_reason(ret, VERDICT_ERROR,
						"more than %llu files under %s; raise max_files or narrow 'under'",
						max, under);
	if (w->res.too_deep)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "directories nested deeper than %d levels under %s",
						FILES_WALK_MAX_DEPTH, under);
	if (streq(find, "setid_unaudited"))
		return eval_setid(c, ctx, w, ret);
	found = streq(find, "world_writable") ? &w->res.world_writable : &w->res.unowned;
	if (found->count == 0)
		strbuf_printf(&obs, "none in %llu entries", w->res.n_seen);
	else {
		strbuf_printf(&obs, "%llu: ", found->count);
		for (size_t i = 0; i < MIN(found->n, (size_t)FILES_MAX_SHOWN); i++)
			strbuf_printf(&obs, "%s%s", i ? ", " : "", found->paths[i]);
		if (found->count > FILES_MAX_SHOWN)
			strbuf_puts(&obs, ", ...");
	}
	if (w->res.n_unreadable)
		strbuf_printf(&obs, " (%llu directories could not be read)", w->res.n_unreadable);
	if (strbuf_error(&obs) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < found->n; i++)
		if (probe_result_add_finding(ret, found->paths[i]) < 0)
			return -ENOMEM;
	return probe_result_set(ret, found->count ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs), "none");
}

const struct probe probe_files = {
	.name = "files",
	.validate = files_validate,
	.eval = files_eval,
	.cache_free = cache_free,
};
