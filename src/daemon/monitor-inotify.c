/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inotify backend, for kernels or filesystems without fanotify file
 * handles and for unprivileged testing.  inotify is not recursive: every
 * selected directory gets a watch, new directories get one as they
 * appear (and their entries are reported, since files may have been
 * created before the watch was in place), and the parent of each rule's
 * root is watched so that the root itself being replaced is seen.
 *
 * Watches are counted against fs.inotify.max_user_watches up front; when
 * the tree needs more, vigild says so once, naming the sysctl, and
 * watches what it can.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "diag.h"
#include "fileio.h"
#include "log.h"
#include "monitor.h"

#define IN_EVENTS                                                                                      \
	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
#define MAX_READS 64
#define MAX_DEPTH 128

struct in_monitor {
	struct monitor m;
	char **paths;		/* indexed by watch descriptor */
	size_t alloc;
	uint64_t limit;		/* fs.inotify.max_user_watches */
	bool warned;
};

static uint64_t read_limit(const char *path)
{
	_cleanup_free_ char *s = NULL;
	unsigned long long v;

	if (read_file_at(AT_FDCWD, path, true, 64, &s, NULL) < 0)
		return UINT64_MAX;
	s[strcspn(s, "\n")] = '\0';
	return parse_u64(s, &v) < 0 ? UINT64_MAX : v;
}

/* The watches this user may place: fs.inotify.max_user_watches, and the
 * per-user-namespace limit (user.max_inotify_watches, Linux >= 5.11),
 * which a container may have set lower. */
static uint64_t max_user_watches(void)
{
	return MIN(read_limit("/proc/sys/fs/inotify/max_user_watches"),
		   read_limit("/proc/sys/user/max_inotify_watches"));
}

static void warn_limit(struct in_monitor *im, uint64_t needed)
{
	if (im->warned)
		return;
	im->warned = true;
	log_warning("inotify needs about %llu watches for the watched trees but fs.inotify.max_user_watches is "
		    "%llu: changes in the directories beyond the limit are NOT seen until the next full check. "
		    "Raise it (sysctl -w fs.inotify.max_user_watches=%llu, and in /etc/sysctl.d) or use fanotify.",
		    (unsigned long long)needed, (unsigned long long)im->limit,
		    (unsigned long long)(needed + needed / 4 + 1024));
}

static int add_watch(struct in_monitor *im, const char *path)
{
	int wd, r;

	wd = inotify_add_watch(im->m.fd, path, IN_EVENTS);
	if (wd < 0) {
		r = negative_errno();
		if (r == -ENOSPC)
			warn_limit(im, im->m.stats.watches + 1);
		return r;
	}
	if ((size_t)wd >= im->alloc) {
		size_t old = im->alloc;

		r = grow_array((void **)&im->paths, &im->alloc, (size_t)wd + 1, sizeof(char *));
		if (r < 0)
			return r;
		memset(im->paths + old, 0, (im->alloc - old) * sizeof(char *));	/* grow_array does not */
	}
	if (im->paths[wd]) {	/* same directory watched twice: same wd */
		if (streq(im->paths[wd], path))
			return 0;
		free(im->paths[wd]);
		im->m.stats.watches--;
	}
	im->paths[wd] = strdup(path);
	if (!im->paths[wd])
		return -ENOMEM;
	im->m.stats.watches++;
	return 0;
}

/* Entries of a new directory reported one by one; beyond that the walk
 * only places watches and asks for a rescan, as vigild does for a tree
 * that fanotify saw moved in whole. */
#define NEW_TREE_REPORT_MAX 4096	/* NEW_TREE_MAX of daemon.h */

struct reporter {
	monitor_fn fn;		/* NULL: report nothing (the initial walk) */
	void *userdata;
	size_t budget;
	bool truncated;		/* entries went unreported */
};

/*
 * Walk dir (a selected directory), watching it and the selected
 * directories below it.  count_only: just count them.  rep->fn: pass the
 * entries to it, up to its budget (a directory that appeared after the
 * initial walk).
 */
static int walk(struct in_monitor *im, const char *dir, dev_t dev, unsigned depth, bool count_only,
		uint64_t *count, struct reporter *rep)
{
	const struct selection *sel = im->m.sel;
	_cleanup_close_ int fd = -EBADF;
	DIR *dp;
	struct dirent *de;
	int r = 0;

	if (depth > MAX_DEPTH)
		return 0;
	(*count)++;
	if (!count_only) {
		r = add_watch(im, dir);
		if (r == -ENOSPC || r == -ENOMEM)
			return r;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* vanished or unreadable: the verifier reports what matters */
	dp = fdopendir(fd);
	if (!dp)
		return 0;
	TAKE_FD(fd);
	while ((de = readdir(dp))) {
		_cleanup_free_ char *p = NULL;
		struct stat st;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		p = path_join(dir, de->d_name);
		if (!p) {
			r = -ENOMEM;
			break;
		}
		if (!monitor_path_selected(sel, p))
			continue;
		if (rep->fn && rep->budget == 0)
			rep->truncated = true;
		else if (rep->fn) {
			rep->budget--;
			rep->fn(rep->userdata, p, de->d_type == DT_DIR ? MONITOR_EV_DIR : 0, 0);
		}
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (sel->one_filesystem && st.st_dev != dev)
			continue;
		r = walk(im, p, dev, depth + 1, count_only, count, rep);
		if (r < 0)
			break;
	}
	closedir(dp);
	return r;
}

/* Watch a rule's root: the directory tree, or for a non-recursive rule or a
 * non-directory only the parent (whose events are filtered). */
static int watch_rule(struct in_monitor *im, const struct watch_rule *rule, bool count_only, uint64_t *count)
{
	_cleanup_free_ char *parent = NULL;
	struct stat st;
	char *slash;
	int r;

	if (strdup_to(&parent, rule->path) < 0)
		return -ENOMEM;
	slash = strrchr(parent, '/');
	if (slash)
		slash[slash == parent ? 1 : 0] = '\0';
	(*count)++;
	if (!count_only) {
		r = add_watch(im, parent);
		if (r == -ENOSPC || r == -ENOMEM)
			return r;
	}
	if (!rule->recurse || lstat(rule->path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	return walk(im, rule->path, st.st_dev, 0, count_only, count, &(struct reporter){ 0 });
}

static void forget_subtree(struct in_monitor *im, const char *dir)
{
	size_t l = strlen(dir);

	for (size_t wd = 0; wd < im->alloc; wd++) {
		char *p = im->paths[wd];

		if (p && strncmp(p, dir, l) == 0 && (p[l] == '\0' || p[l] == '/')) {
			(void)inotify_rm_watch(im->m.fd, (int)wd);
			free(p);
			im->paths[wd] = NULL;
			im->m.stats.watches--;
		}
	}
}

static void handle_event(struct in_monitor *im, const struct inotify_event *ev, monitor_fn fn, void *userdata)
{
	char path[PATH_MAX];
	const char *dir;
	unsigned flags = ev->mask & IN_ISDIR ? MONITOR_EV_DIR : 0;

	if (ev->mask & IN_Q_OVERFLOW) {
		fn(userdata, NULL, MONITOR_EV_OVERFLOW, 0);
		return;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= im->alloc || !im->paths[ev->wd]) {
		im->m.stats.unresolved++;
		return;
	}
	dir = im->paths[ev->wd];
	if (ev->mask & IN_IGNORED) {
		free(im->paths[ev->wd]);
		im->paths[ev->wd] = NULL;
		im->m.stats.watches--;
		return;
	}
	/* The kernel NUL-pads names to len; check rather than trust it. */
	if (ev->len > 0 && (strnlen(ev->name, ev->len) >= ev->len || strchr(ev->name, '/')))
		return;
	if (ev->len > 0 && ev->name[0]) {
		if (snprintf(path, sizeof(path), "%s/%s", streq(dir, "/") ? "" : dir, ev->name) >= (int)sizeof(path))
			return;
	} else if (strlen(dir) < sizeof(path))
		strcpy(path, dir);
	else
		return;

	if (!monitor_path_selected(im->m.sel, path))
		return;
	if ((ev->mask & IN_MOVED_FROM) && (ev->mask & IN_ISDIR))
		forget_subtree(im, path);
	im->m.stats.selected++;
	fn(userdata, path, flags, 0);
	if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) && (ev->mask & IN_ISDIR)) {
		struct stat st;
		uint64_t count = 0;
		int r;

		if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			return;
		struct reporter rep = { .fn = fn, .userdata = userdata, .budget = NEW_TREE_REPORT_MAX };

		r = walk(im, path, st.st_dev, 0, false, &count, &rep);
		if (r < 0 && r != -ENOSPC)
			log_warning_errno(r, "%s: cannot watch new directory: %m", path);
		if (rep.truncated)	/* what was not reported is found by a rescan */
			fn(userdata, path, MONITOR_EV_RESCAN | MONITOR_EV_DIR, 0);
	}
}

static int in_dispatch(struct monitor *m, monitor_fn fn, void *userdata)
{
	struct in_monitor *im = (struct in_monitor *)m;
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (int i = 0; i < MAX_READS; i++) {
		ssize_t len = read(m->fd, buf, sizeof(buf));

		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return negative_errno();
		}
		for (char *p = buf; p + sizeof(struct inotify_event) <= buf + len;) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->len > (size_t)(buf + len - p) - sizeof(*ev))
				break;	/* truncated: the kernel never does this */
			m->stats.events++;
			handle_event(im, ev, fn, userdata);
			p += sizeof(*ev) + ev->len;
		}
	}
	return 1;	/* the read budget ran out: more may be waiting */
}

static void in_free(struct monitor *m)
{
	struct in_monitor *im = (struct in_monitor *)m;

	for (size_t i = 0; i < im->alloc; i++)
		free(im->paths[i]);
	free(im->paths);
	safe_close(m->fd);
	free(im);
}

static const struct monitor_ops in_ops = {
	.name = "inotify",
	.dispatch = in_dispatch,
	.free = in_free,
};

int monitor_inotify_new(const struct selection *sel, struct monitor **ret, struct diag *d)
{
	struct in_monitor *im;
	uint64_t needed = 0, placed = 0;
	int r;

	im = calloc(1, sizeof(*im));
	if (!im)
		return -ENOMEM;
	im->m.ops = &in_ops;
	im->m.sel = sel;
	im->limit = max_user_watches();
	im->m.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (im->m.fd < 0) {
		r = negative_errno();
		free(im);
		return diag_set(d, r, "inotify_init1: %s", strerror(-r));
	}
	for (size_t i = 0; i < sel->n_rules; i++)
		(void)watch_rule(im, &sel->rules[i], true, &needed);
	if (needed > im->limit)
		warn_limit(im, needed);
	for (size_t i = 0; i < sel->n_rules; i++) {
		r = watch_rule(im, &sel->rules[i], false, &placed);
		if (r == -ENOMEM) {
			in_free(&im->m);
			return r;
		}
	}
	if (im->m.stats.watches == 0) {
		in_free(&im->m);
		return diag_set(d, -ENOENT, "no inotify watch could be placed");
	}
	*ret = &im->m;
	return 0;
}
