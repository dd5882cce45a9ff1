/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "digest.h"
#include "scan-record.h"
#include "scan.h"

/*
 * Shape: the calling thread walks the selection (readdir + fstatat, never
 * following symlinks) and records everything that needs no file content
 * itself.  Regular files whose mask needs the content or the xattrs go
 * onto a bounded queue; worker threads open, re-check, hash and read the
 * attributes through that one fd.  Turning one entry into a record is
 * scan-record.c; this file is the walk and the threads.
 *
 * Ownership crosses threads at the queue: a queued item's path is
 * malloc'ed by the walker, owned by the queue until a worker dequeues it,
 * and then becomes the record's string block (or is freed).  Records go
 * into one array under the scan lock.  Problems found by workers are
 * queued under the same lock and delivered by the walking thread, so the
 * problem callback never runs concurrently and always on that thread.
 */

#define QUEUE_CAP 1024u
/* A waiting walker is woken only when the queue has fallen this low, so
 * it refills in bursts instead of context-switching once per file. */
#define QUEUE_LOW (QUEUE_CAP / 2)
#define PROGRESS_USEC 100000ull
#define MAX_THREADS 64u
/* visit(): no filesystem fixed yet, the entry's own fixes it */
#define DEV_UNSET ((dev_t)-1)

struct qitem {
	char *path;		/* malloc'ed; becomes the record's mem */
	struct stat st;		/* as the walk saw it */
	uint32_t mask;
};

struct problem {
	struct problem *next;
	int err;
	const char *what;	/* static string */
	char path[];
};

struct scan {
	const struct selection *sel;
	const struct scan_options *opt;

	pthread_mutex_t lock;	/* everything below up to "walker only" */
	pthread_cond_t more;	/* workers: an item was queued, or stop */
	pthread_cond_t space;	/* walker: an item was taken or finished */
	struct qitem *q;
	size_t q_head, q_len;
	unsigned busy;		/* items being processed by workers */
	bool walker_waiting;	/* for the queue to fall to QUEUE_LOW, or drain */
	bool stop;
	int fatal;		/* first fatal -errno, stops the scan */
	struct problem *problems, **problems_tail;
	struct vrecord *recs;
	size_t n_recs, alloc_recs;
	uint64_t bytes_hashed;

	/* walker only */
	uint64_t bytes_total;
	uint64_t n_problems;
	unsigned long long next_progress;
	struct recorder rc;
	atomic_bool noatime_denied;
	size_t len;		/* of path */
	char path[PATH_MAX];
};

/* ---- the scan: queue, workers, records ---- */

static int append_record_locked(struct scan *s, struct vrecord *r)
{
	int k = grow_array((void **)&s->recs, &s->alloc_recs, s->n_recs + 1, sizeof(*s->recs));

	if (k < 0) {
		vrecord_done(r);
		return k;
	}
	s->recs[s->n_recs++] = *r;
	*r = (struct vrecord){ 0 };
	return 0;
}

static void set_fatal_locked(struct scan *s, int err)
{
	if (s->fatal == 0)
		s->fatal = err;
	pthread_cond_broadcast(&s->space);
}

static void report_from_worker(struct recorder *rc, const char *path, int err, const char *what)
{
	struct scan *s = rc->userdata;
	size_t l = strlen(path);
	struct problem *p;

	p = malloc(sizeof(*p) + l + 1);
	pthread_mutex_lock(&s->lock);
	if (!p)
		set_fatal_locked(s, -ENOMEM);
	else {
		*p = (struct problem){ .err = err, .what = what };
		memcpy(p->path, path, l + 1);
		*s->problems_tail = p;
		s->problems_tail = &p->next;
	}
	pthread_mutex_unlock(&s->lock);
}

static void report_from_walker(struct recorder *rc, const char *path, int err, const char *what)
{
	struct scan *s = rc->userdata;

	s->n_problems++;
	if (s->opt->problem)
		s->opt->problem(s->opt->userdata, path, err, what);
}

static void *worker_main(void *arg)
{
	struct recorder *rc = arg;
	struct scan *s = rc->userdata;
	struct vrecord rec = { 0 };
	bool have = false;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		struct qitem it;
		int k;

		if (have) {
			k = append_record_locked(s, &rec);
			if (k < 0)
				set_fatal_locked(s, k);
			have = false;
		}
		s->bytes_hashed += rc->bytes_hashed;
		rc->bytes_hashed = 0;

		while (s->q_len == 0 && !s->stop)
			pthread_cond_wait(&s->more, &s->lock);
		if (s->q_len == 0)
			break;
		it = s->q[s->q_head];
		s->q_head = (s->q_head + 1) % QUEUE_CAP;
		s->q_len--;
		if (!s->fatal && s->opt->cancel && atomic_load(s->opt->cancel))
			set_fatal_locked(s, -ECANCELED);
		if (s->fatal) {
			free(it.path);
			continue;
		}
		s->busy++;
		if (s->walker_waiting && s->q_len == QUEUE_LOW)
			pthread_cond_signal(&s->space);
		pthread_mutex_unlock(&s->lock);

		k = record_regular(rc, it.path, &it.st, it.mask, &rec);

		pthread_mutex_lock(&s->lock);
		s->busy--;
		if (k < 0)
			set_fatal_locked(s, k);
		have = k > 0;
		if (s->walker_waiting && s->q_len == 0 && s->busy == 0)
			pthread_cond_signal(&s->space);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void deliver_problems(struct scan *s, struct problem *p)
{
	while (p) {
		struct problem *next = p->next;

		s->n_problems++;
		if (s->opt->problem)
			s->opt->problem(s->opt->userdata, p->path, p->err, p->what);
		free(p);
		p = next;
	}
}

/* Deliver queued problems and, when due (or forced), progress.  Called by
 * the walker without the lock held. */
static void tick(struct scan *s, bool force, bool walk_done)
{
	unsigned long long now = now_monotonic_usec();
	struct scan_progress p;
	struct problem *list;

	if (!force && now < s->next_progress)
		return;
	s->next_progress = now + PROGRESS_USEC;
	pthread_mutex_lock(&s->lock);
	list = s->problems;
	s->problems = NULL;
	s->problems_tail = &s->problems;
	p = (struct scan_progress){
		.files = s->n_recs,
		.bytes_hashed = s->bytes_hashed,
		.bytes_total = s->bytes_total,
		.walk_done = walk_done,
	};
	pthread_mutex_unlock(&s->lock);
	deliver_problems(s, list);
	if (s->opt->progress)
		s->opt->progress(s->opt->userdata, &p);
}

/* Wait on s->space (lock held) until woken or the next progress tick is
 * due, and tick then (with the lock dropped). */
static void wait_space_locked(struct scan *s, bool walk_done)
{
	unsigned long long due = s->next_progress;
	struct timespec ts = { .tv_sec = (time_t)(due / 1000000), .tv_nsec = (long)(due % 1000000) * 1000 };

	s->walker_waiting = true;
	(void)pthread_cond_timedwait(&s->space, &s->lock, &ts);
	s->walker_waiting = false;
	if (now_monotonic_usec() >= s->next_progress) {
		pthread_mutex_unlock(&s->lock);
		tick(s, false, walk_done);
		pthread_mutex_lock(&s->lock);
	}
}

/* Hand a regular file to the workers; waits (ticking progress) while the
 * queue is full.  it->path is consumed.  0 or the scan's fatal error. */
static int enqueue(struct scan *s, struct qitem *it)
{
	int k;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (s->fatal) {
			k = s->fatal;
			free(it->path);
			break;
		}
		if (s->q_len < QUEUE_CAP) {
			s->q[(s->q_head + s->q_len) % QUEUE_CAP] = *it;
			s->q_len++;
			pthread_cond_signal(&s->more);
			k = 0;
			break;
		}
		wait_space_locked(s, false);
	}
	pthread_mutex_unlock(&s->lock);
	return k;
}

static int add_record(struct scan *s, struct vrecord *r)
{
	int k;

	pthread_mutex_lock(&s->lock);
	k = append_record_locked(s, r);
	pthread_mutex_unlock(&s->lock);
	return k;
}

static int walk_dir(struct scan *s, const struct watch_rule *rule, int fd, dev_t dev);

/* Visit s->path, the entry name of directory dirfd.  A start (rule root
 * or limit path) that does not exist is not a problem.  dev is the
 * filesystem of the walk, or DEV_UNSET at a rule root, which then fixes
 * it.  0 or fatal -errno. */
static int visit(struct scan *s, const struct watch_rule *rule, int dirfd, const char *name, bool is_start,
		 dev_t dev)
{
	struct vrecord rec;
	struct stat st;
	int k, fd = -EBADF;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) < 0) {
		k = negative_errno();
		if (k == -ENOENT && is_start)
			return 0;
		recorder_report(&s->rc, s->path, k, k == -ENOENT ? "vanished during scan" : "cannot stat");
		return 0;
	}

	if (S_ISREG(st.st_mode) && (rule->mask & ATTR_NEEDS_FD)) {
		struct qitem it = { .path = strndup(s->path, s->len), .st = st, .mask = rule->mask };

		if (!it.path)
			return -ENOMEM;
		if (rule->mask & ATTR_SHA256)
			s->bytes_total += (uint64_t)st.st_size;
		return enqueue(s, &it);
	}

	if (S_ISREG(st.st_mode)) {
		char *p = strndup(s->path, s->len);
		struct file_attrs none = { 0 };

		if (!p)
			return -ENOMEM;
		k = make_record(&rec, p, &st, rule->mask, NULL, &none, NULL);
		return k < 0 ? k : add_record(s, &rec);
	}

	bool other_fs = s->sel->one_filesystem && dev != DEV_UNSET && st.st_dev != dev;
	bool descend = S_ISDIR(st.st_mode) && rule->recurse && !other_fs;
	/* A mount point of another filesystem is recorded but never opened:
	 * opening an automount trigger would mount it (and may hang). */
	k = record_other(&s->rc, dirfd, name, s->path, &st, rule->mask, !other_fs, descend ? &fd : NULL, &rec);
	if (k <= 0)
		return k;
	k = add_record(s, &rec);
	if (k < 0) {
		safe_close(fd);
		return k;
	}
	if (!descend || fd < 0)
		return 0;
	return walk_dir(s, rule, fd, dev == DEV_UNSET ? st.st_dev : dev);
}

/* Walk the entries of the directory open as fd (consumed), s->path. */
static int walk_dir(struct scan *s, const struct watch_rule *rule, int fd, dev_t dev)
{
	size_t base = s->len;
	struct dirent *de;
	DIR *d;
	int k = 0;

	d = fdopendir(fd);
	if (!d) {
		k = negative_errno();
		safe_close(fd);
		if (k == -ENOMEM)
			return k;
		recorder_report(&s->rc, s->path, k, "cannot read directory");
		return 0;
	}
	for (;;) {
		size_t nl;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno != 0)
				recorder_report(&s->rc, s->path, negative_errno(), "cannot read directory");
			break;
		}
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		nl = strlen(de->d_name);
		size_t sep = base > 1 ? 1 : 0;	/* no "//" below "/" */
		if (base + sep + nl >= sizeof(s->path)) {
			recorder_report(&s->rc, s->path, -ENAMETOOLONG, "path too long, not scanned");
			continue;
		}
		if (sep)
			s->path[base] = '/';
		memcpy(s->path + base + sep, de->d_name, nl + 1);
		s->len = base + sep + nl;

		if (!selection_is_other_root(s->sel, rule, s->path) &&
		    !selection_excluded(s->sel, rule, s->path, de->d_name))
			k = visit(s, rule, dirfd(d), de->d_name, false, dev);
		s->len = base;
		s->path[base] = '\0';
		if (k < 0)
			break;
		if (s->opt->cancel && atomic_load(s->opt->cancel)) {
			k = -ECANCELED;
			break;
		}
		tick(s, false, false);
	}
	closedir(d);
	return k;
}

static bool path_is_below(const char *path, const char *parent)
{
	size_t l = strlen(parent);

	if (streq(parent, "/"))
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, parent, l) == 0 && path[l] == '/';
}

static int walk_start(struct scan *s, const struct watch_rule *rule, const char *path)
{
	_cleanup_close_ int pfd = -EBADF;
	const char *name;
	size_t l = strlen(path);

	if (l >= sizeof(s->path))
		return 0;
	pfd = open_parent(s->opt->root, path, &name);
	if (pfd == -ENOENT || pfd == -ENOTDIR)
		return 0;
	if (pfd < 0) {
		if (pfd == -ENOMEM)
			return pfd;
		recorder_report(&s->rc, path, pfd, "cannot open parent directory");
		return 0;
	}
	memcpy(s->path, path, l + 1);
	s->len = l;
	return visit(s, rule, pfd, name, true, DEV_UNSET);
}

/* Open the parent of path, which lies below rule's root, the way the walk
 * reaches it: through no symlink and, under one_filesystem, no mount
 * point (openat2 RESOLVE_NO_SYMLINKS, RESOLVE_NO_XDEV).  Returns the fd
 * with the root's device in *ret_dev and the last component in *ret_name;
 * -ENOENT when the walk could not reach path, other -errno. */
static int open_limit_parent(struct scan *s, const struct watch_rule *rule, const char *path, dev_t *ret_dev,
			     const char **ret_name)
{
	_cleanup_close_ int rfd = -EBADF;
	_cleanup_free_ char *parent = NULL;
	const char *rel = path + (streq(rule->path, "/") ? 1 : strlen(rule->path) + 1);
	const char *slash = strrchr(rel, '/');
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   (s->sel->one_filesystem ? RESOLVE_NO_XDEV : 0),
	};
	struct stat st;
	long fd;

	/* A rule root that is a symlink is recorded as one and not entered. */
	rfd = rootfs_openat(s->opt->root, rule->path, O_PATH | O_DIRECTORY | O_NOFOLLOW);
	if (rfd < 0)
		return rfd == -ENOTDIR || rfd == -ELOOP ? -ENOENT : rfd;
	if (fstat(rfd, &st) < 0)
		return negative_errno();
	if (!slash) {
		*ret_dev = st.st_dev;
		*ret_name = rel;
		return TAKE_FD(rfd);
	}
	parent = strndup(rel, (size_t)(slash - rel));
	if (!parent)
		return -ENOMEM;
	fd = syscall(SYS_openat2, rfd, parent, &how, sizeof(how));
	if (fd < 0) {
		int k = negative_errno();

		return k == -ENOTDIR || k == -ELOOP || k == -EXDEV ? -ENOENT : k;
	}
	*ret_dev = st.st_dev;
	*ret_name = slash + 1;
	return (int)fd;
}

/* A limit path below its rule's root. */
static int walk_below(struct scan *s, const struct watch_rule *rule, const char *path)
{
	_cleanup_close_ int pfd = -EBADF;
	const char *name;
	size_t l = strlen(path);
	dev_t dev;

	if (l >= sizeof(s->path))
		return 0;
	pfd = open_limit_parent(s, rule, path, &dev, &name);
	if (pfd == -ENOENT)
		return 0;
	if (pfd < 0) {
		if (pfd == -ENOMEM)
			return pfd;
		recorder_report(&s->rc, path, pfd, "cannot open parent directory");
		return 0;
	}
	memcpy(s->path, path, l + 1);
	s->len = l;
	return visit(s, rule, pfd, name, true, dev);
}

/* A limit path below its rule's root is scanned only if the walk of the
 * rule would reach it: neither it nor a directory on the way is excluded
 * or the root of another rule (which covers only itself if it does not
 * recurse). */
static bool limit_unreachable(const struct selection *sel, const struct watch_rule *rule, const char *path)
{
	char buf[PATH_MAX];
	size_t start = streq(rule->path, "/") ? 0 : strlen(rule->path);

	if (strlen(path) >= sizeof(buf))
		return true;
	strcpy(buf, path);
	for (size_t i = start + 1; ; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];
			const char *name;

			buf[i] = '\0';
			name = strrchr(buf, '/') + 1;
			if (selection_excluded(sel, rule, buf, name) || selection_is_other_root(sel, rule, buf))
				return true;
			buf[i] = c;
			if (!c)
				break;
		}
	}
	return false;
}

static int walk_limits(struct scan *s, struct diag *d)
{
	const struct scan_options *opt = s->opt;
	int k;

	for (size_t i = 0; i < opt->n_limit; i++) {
		_cleanup_free_ char *norm = NULL;
		const struct watch_rule *rule;

		k = path_normalize(opt->limit[i], &norm);
		if (k < 0)
			return diag_set(d, k, "%s: not an absolute path", opt->limit[i]);
		rule = selection_rule_for(s->sel, norm);
		if (!rule)
			return diag_set(d, -ENOENT, "%s is not in the baseline's selection", norm);
	}
	for (size_t i = 0; i < opt->n_limit; i++) {
		_cleanup_free_ char *norm = NULL;
		const struct watch_rule *rule;

		k = path_normalize(opt->limit[i], &norm);
		if (k < 0)
			return k;
		rule = selection_rule_for(s->sel, norm);
		if (streq(rule->path, norm))
			k = walk_start(s, rule, norm);
		else if (!limit_unreachable(s->sel, rule, norm))
			k = walk_below(s, rule, norm);
		if (k < 0)
			return k;
		/* Deeper rules are roots of their own walks. */
		for (size_t j = 0; j < s->sel->n_rules; j++) {
			const struct watch_rule *sub = &s->sel->rules[j];

			if (sub != rule && path_is_below(sub->path, norm)) {
				k = walk_start(s, sub, sub->path);
				if (k < 0)
					return k;
			}
		}
	}
	return 0;
}

static int rec_cmp(const void *a, const void *b)
{
	return path_compare(((const struct vrecord *)a)->path, ((const struct vrecord *)b)->path);
}

static void sort_unique(struct scan_result *res)
{
	size_t o = 0;

	if (res->n > 1)
		qsort(res->recs, res->n, sizeof(*res->recs), rec_cmp);
	for (size_t i = 0; i < res->n; i++) {
		if (o > 0 && streq(res->recs[o - 1].path, res->recs[i].path)) {
			vrecord_done(&res->recs[i]);
			continue;
		}
		if (o != i)
			res->recs[o] = res->recs[i];
		o++;
	}
	res->n = o;
}

static unsigned thread_count(const struct scan_options *opt)
{
	long n = opt->threads;

	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return (unsigned)MIN(n, (long)MAX_THREADS);
}

static int start_workers(struct scan *s, struct recorder *w, pthread_t *tids, unsigned n, unsigned *ret_started)
{
	sigset_t all, old;
	unsigned i;
	int k = 0;

	/* Workers inherit a full signal mask: signals are the caller's
	 * business and land on the walking thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < n; i++) {
		w[i] = (struct recorder){ .root = s->opt->root, .userdata = s, .noatime_denied = &s->noatime_denied,
					  .report = report_from_worker };
		k = digest_ctx_new(&w[i].digest);
		if (k < 0)
			break;
		digest_ctx_set_cancel(w[i].digest, s->opt->cancel);
		k = -pthread_create(&tids[i], NULL, worker_main, &w[i]);
		if (k < 0) {
			recorder_done(&w[i]);
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*ret_started = i;
	return i > 0 ? 0 : k;
}

/* Wait for the queue to drain (ticking progress), then stop and join. */
static void stop_workers(struct scan *s, struct recorder *w, pthread_t *tids, unsigned n)
{
	pthread_mutex_lock(&s->lock);
	while ((s->q_len > 0 || s->busy > 0) && !s->fatal)
		wait_space_locked(s, true);
	s->stop = true;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < n; i++) {
		pthread_join(tids[i], NULL);
		recorder_done(&w[i]);
	}
}

/* Allocate and initialise the shared state; the walker's PATH_MAX buffer
 * lives here, off the stack. */
static int scan_new(const struct selection *sel, const struct scan_options *opt, struct scan **ret)
{
	pthread_condattr_t ca;
	struct scan *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->q = calloc(QUEUE_CAP, sizeof(*s->q));
	if (!s->q) {
		free(s);
		return -ENOMEM;
	}
	s->sel = sel;
	s->opt = opt;
	s->rc = (struct recorder){ .root = opt->root, .userdata = s, .noatime_denied = &s->noatime_denied,
				   .report = report_from_walker };
	s->problems_tail = &s->problems;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->space, &ca);
	pthread_condattr_destroy(&ca);
	*ret = s;
	return 0;
}

/* Only once no worker runs. */
static void scan_free(struct scan *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->q_len; i++)
		free(s->q[(s->q_head + i) % QUEUE_CAP].path);
	free(s->q);
	while (s->problems) {
		struct problem *p = s->problems;

		s->problems = p->next;
		free(p);
	}
	vrecord_array_free(s->recs, s->n_recs);
	recorder_done(&s->rc);
	pthread_cond_destroy(&s->more);
	pthread_cond_destroy(&s->space);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static void scan_freep(struct scan **s)
{
	scan_free(*s);
}

int scan_run(const struct selection *sel, const struct scan_options *opt, struct scan_result *ret, struct diag *d)
{
	unsigned long long t0 = now_monotonic_usec();
	_cleanup_(scan_freep) struct scan *s = NULL;
	_cleanup_free_ struct recorder *w = NULL;
	_cleanup_free_ pthread_t *tids = NULL;
	unsigned n = thread_count(opt), started = 0;
	struct scan_result res;
	int k;

	if (!opt->root)
		return diag_set(d, -EINVAL, "no root to scan");
	k = scan_new(sel, opt, &s);
	if (k < 0)
		return diag_set(d, k, "out of memory");
	w = calloc(n, sizeof(*w));
	tids = calloc(n, sizeof(*tids));
	if (!w || !tids)
		return diag_set(d, -ENOMEM, "out of memory");

	k = start_workers(s, w, tids, n, &started);
	if (k < 0)
		return diag_set(d, k, "cannot start scan threads: %s", strerror(-k));
	s->next_progress = t0 + PROGRESS_USEC;
	if (opt->limit)
		k = walk_limits(s, d);
	else
		for (size_t i = 0; i < sel->n_rules && k >= 0; i++)
			k = walk_start(s, &sel->rules[i], sel->rules[i].path);
	stop_workers(s, w, tids, started);
	if (k >= 0 && s->fatal)
		k = s->fatal;
	if (k < 0)
		return diag_empty(d) ? diag_set(d, k, "scan failed: %s", strerror(-k)) : k;
	tick(s, true, true);

	res = (struct scan_result){ .recs = TAKE_PTR(s->recs), .n = s->n_recs };
	s->n_recs = 0;
	sort_unique(&res);
	res.stats = (struct scan_stats){
		.files = res.n,
		.bytes_hashed = s->bytes_hashed,
		.problems = s->n_problems,
		.usec = now_monotonic_usec() - t0,
	};
	*ret = res;
	return 0;
}

void scan_result_free(struct scan_result *r)
{
	if (!r)
		return;
	vrecord_array_free(r->recs, r->n);
	*r = (struct scan_result){ 0 };
}

int scan_one(const struct rootfs *root, const char *path, uint32_t mask, struct vrecord *ret)
{
	return scan_one_cancellable(root, path, mask, NULL, ret);
}

int scan_one_cancellable(const struct rootfs *root, const char *path, uint32_t mask, const atomic_bool *cancel,
			 struct vrecord *ret)
{
	_cleanup_free_ char *norm = NULL;
	_cleanup_close_ int pfd = -EBADF;
	atomic_bool noatime_denied = false;
	struct recorder rc = { .root = root, .noatime_denied = &noatime_denied };
	struct vrecord rec;
	const char *name;
	struct stat st;
	int k;

	k = path_normalize(path, &norm);
	if (k < 0)
		return k;
	pfd = open_parent(root, norm, &name);
	if (pfd < 0)
		return pfd == -ENOTDIR ? -ENOENT : pfd;
	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) < 0)
		return negative_errno();

	if (S_ISREG(st.st_mode) && (mask & ATTR_NEEDS_FD)) {
		if (mask & ATTR_SHA256) {
			k = digest_ctx_new(&rc.digest);
			if (k < 0)
				return k;
			digest_ctx_set_cancel(rc.digest, cancel);
		}
		k = record_regular(&rc, TAKE_PTR(norm), &st, mask, &rec);
	} else
		k = record_other(&rc, pfd, name, norm, &st, mask, true, NULL, &rec);
	recorder_done(&rc);
	if (k < 0)
		return k;
	if (k == 0)
		return -ENOENT;
	*ret = rec;
	return 0;
}
