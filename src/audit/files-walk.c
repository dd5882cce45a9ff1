/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Almost all of a live audit's time is this walk (hundreds of thousands
 * of entries on a server), and almost all of the walk's time is the
 * kernel answering one fstatat() per entry: mode, owner and group are
 * needed for every entry, so no entry can be skipped on its d_type.
 * What the code can do is not add work around that call (one getdents64
 * buffer per depth instead of a DIR per directory, one path buffer
 * instead of a malloc per entry) and let a second CPU make the same
 * calls on another part of the tree.
 *
 * Threads: each walks depth-first from an item (a directory by image
 * path) with fd-relative calls.  When a thread meets a subdirectory while
 * another thread waits for work, it queues the subdirectory instead of
 * descending; the waiting thread opens it again from its root with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so a directory renamed
 * or replaced by a symlink meanwhile cannot lead the walk out of its tree.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "files-walk.h"

#define DENTS_SIZE (32 * 1024)
/* FILES_WALK_MAX_DEPTH names of at most 255 bytes below a root path */
#define PATH_SIZE (FILES_WALK_MAX_DEPTH * 256 + 4096 + 2)
#define SEEN_BATCH 1024
/* A list of found paths keeps its `cap` smallest: it is trimmed to them
 * when it reaches twice as many, so memory stays bounded however many
 * there are.  After a trim, v[cap - 1] is the largest path kept and
 * stays in place (later paths are only appended) until the next trim, so
 * it is the threshold: a path above it can never be among the smallest.
 * The last path appended is not: it may be far below the threshold. */

/* Kernel and runtime trees, not part of the installed system. */
static const char *const skipped[] = { "/proc", "/sys", "/dev", "/run", NULL };

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct found_list {
	char **v;
	size_t n, allocated, cap;
	unsigned long long count;
	const char *threshold;	/* v[cap - 1] after a trim, or NULL: a path above it is not kept */
};

struct item {
	size_t root;
	unsigned depth;
	char *path;
};

struct root {
	int fd;
	dev_t dev;
	const char *path;	/* "" for "/" so that children are "/name" */
};

struct walk {
	const struct files_walk_opts *o;
	struct root *roots;
	size_t n_roots;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct item *queue;	/* a stack: the newest item is the deepest */
	size_t q_n, q_allocated;
	unsigned active;	/* threads walking an item */
	atomic_uint waiting;	/* threads waiting for an item */
	atomic_ullong seen;	/* flushed in batches: only for stopping early */
	atomic_bool stop;
	int error;
};

struct worker {
	struct walk *w;
	pthread_t thread;
	bool started;
	size_t root;
	size_t len;		/* of path */
	unsigned long long n_seen, unflushed, n_unreadable;
	bool too_deep;
	int error;
	struct found_list world_writable, unowned, setid;
	char *dents[FILES_WALK_MAX_DEPTH];
	char path[PATH_SIZE];
};

bool files_walk_is_skipped(const char *path)
{
	for (size_t i = 0; skipped[i]; i++)
		if (streq(path, skipped[i]))
			return true;
	return false;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void found_trim(struct found_list *l)
{
	qsort(l->v, l->n, sizeof(char *), cmp_path);
	for (size_t i = l->cap; i < l->n; i++)
		free(l->v[i]);
	l->n = MIN(l->n, l->cap);
	l->threshold = l->n == l->cap ? l->v[l->cap - 1] : NULL;
}

static int found_add(struct found_list *l, const char *path)
{
	l->count++;
	if (l->threshold && strcmp(path, l->threshold) > 0)
		return 0;
	if (grow_array((void **)&l->v, &l->allocated, l->n + 1, sizeof(char *)) < 0)
		return -ENOMEM;
	l->v[l->n] = strdup(path);
	if (!l->v[l->n])
		return -ENOMEM;
	if (++l->n >= 2 * l->cap)
		found_trim(l);
	return 0;
}

static void found_free(struct found_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct found_list){};
}

/* Move src's paths into dst (the result), keeping the smallest. */
static int found_merge(struct files_found *dst, struct found_list *src, size_t cap)
{
	char **v;

	dst->count += src->count;
	if (src->n == 0)
		return 0;
	v = realloc(dst->paths, (dst->n + src->n) * sizeof(char *));
	if (!v)
		return -ENOMEM;
	memcpy(v + dst->n, src->v, src->n * sizeof(char *));
	dst->paths = v;
	dst->n += src->n;
	src->n = 0;
	qsort(dst->paths, dst->n, sizeof(char *), cmp_path);
	for (size_t i = cap; i < dst->n; i++)
		free(dst->paths[i]);
	dst->n = MIN(dst->n, cap);
	return 0;
}

static void stop_all(struct walk *w)
{
	atomic_store(&w->stop, true);
}

/* Count an entry; every SEEN_BATCH entries, stop everyone once the walk
 * as a whole is past max (the exact total is summed at the end). */
static void count_seen(struct worker *k)
{
	k->n_seen++;
	if (++k->unflushed < SEEN_BATCH)
		return;
	if (atomic_fetch_add(&k->w->seen, k->unflushed) + k->unflushed > k->w->o->max)
		stop_all(k->w);
	k->unflushed = 0;
}

/* Queue the directory at k->path for a waiting thread.  1 if queued, 0
 * if no thread wants it (after all), -ENOMEM. */
static int hand_over(struct worker *k, unsigned depth)
{
	struct walk *w = k->w;
	int r = 0;

	pthread_mutex_lock(&w->lock);
	if (atomic_load(&w->waiting) > w->q_n) {
		char *p = strdup(k->path);

		if (!p || grow_array((void **)&w->queue, &w->q_allocated, w->q_n + 1, sizeof(*w->queue)) < 0) {
			free(p);
			r = -ENOMEM;
		} else {
			w->queue[w->q_n++] = (struct item){ .root = k->root, .depth = depth, .path = p };
			pthread_cond_signal(&w->cond);
			r = 1;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return r;
}

static int note_entry(struct worker *k, const struct stat *st)
{
	const struct idmap *ids = k->w->o->ids;

	if ((st->st_mode & S_IWOTH) && (S_ISREG(st->st_mode) || (S_ISDIR(st->st_mode) && !(st->st_mode & S_ISVTX))) &&
	    found_add(&k->world_writable, k->path) < 0)
		return -ENOMEM;
	if ((!idmap_user_name(ids, st->st_uid) || !idmap_group_name(ids, st->st_gid)) &&
	    found_add(&k->unowned, k->path) < 0)
		return -ENOMEM;
	if (S_ISREG(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) && found_add(&k->setid, k->path) < 0)
		return -ENOMEM;
	return 0;
}

/* Walk the directory open at dfd, whose image path is k->path. */
static int walk_dir(struct worker *k, int dfd, unsigned depth)
{
	struct walk *w = k->w;
	const struct root *rt = &w->roots[k->root];
	size_t base = k->len;
	char *buf = k->dents[depth];
	int r;

	if (!buf) {
		buf = k->dents[depth] = malloc(DENTS_SIZE);
		if (!buf)
			return -ENOMEM;
	}
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, DENTS_SIZE);

		if (n < 0) {
			/* the directory went away or became unreadable midway */
			k->n_unreadable++;
			return 0;
		}
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);
			const char *name = de->d_name;
			size_t nl;
			struct stat st;

			off += de->d_reclen;
			if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
				continue;
			if (atomic_load_explicit(&w->stop, memory_order_relaxed))
				return 0;
			/* per entry (each costs one fstatat()): a cancelled walk
			 * stops at once, not at the end of a tree that takes
			 * minutes */
			if (w->o->cancel && atomic_load_explicit(w->o->cancel, memory_order_relaxed)) {
				stop_all(w);
				return 0;
			}
			count_seen(k);
			if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) < 0)
				continue;	/* vanished meanwhile */
			nl = strlen(name);
			if (base + 1 + nl >= sizeof(k->path)) {
				k->too_deep = true;
				stop_all(w);
				return 0;
			}
			k->path[base] = '/';
			memcpy(k->path + base + 1, name, nl + 1);
			k->len = base + 1 + nl;
			r = note_entry(k, &st);
			if (r < 0)
				return r;
			if (S_ISDIR(st.st_mode) && !(w->o->xdev && st.st_dev != rt->dev) &&
			    !files_walk_is_skipped(k->path)) {
				if (depth + 1 >= FILES_WALK_MAX_DEPTH) {
					k->too_deep = true;
					stop_all(w);
					return 0;
				}
				r = atomic_load_explicit(&w->waiting, memory_order_relaxed) ? hand_over(k, depth + 1) : 0;
				if (r < 0)
					return r;
				if (r == 0) {
					int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

					if (cfd < 0)
						k->n_unreadable++;	/* said in the result, not hidden */
					else {
						r = walk_dir(k, cfd, depth + 1);
						close(cfd);
						if (r < 0)
							return r;
					}
				}
			}
			k->len = base;
			k->path[base] = '\0';
		}
	}
}

static int walk_item(struct worker *k, const struct item *it)
{
	const struct root *rt = &k->w->roots[it->root];
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	size_t plen = strlen(rt->path), len = strlen(it->path);
	const char *rel;
	int fd, r;

	if (len >= sizeof(k->path))
		return 0;
	rel = len > plen ? it->path + plen + 1 : ".";
	fd = (int)syscall(SYS_openat2, rt->fd, rel, &how, sizeof(how));
	if (fd < 0) {
		k->n_unreadable++;
		return 0;
	}
	memcpy(k->path, it->path, len + 1);
	k->len = len;
	k->root = it->root;
	r = walk_dir(k, fd, it->depth);
	close(fd);
	return r;
}

static void *worker_main(void *arg)
{
	struct worker *k = arg;
	struct walk *w = k->w;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct item it;
		int r;

		while (w->q_n == 0 && w->active > 0 && !atomic_load(&w->stop)) {
			atomic_fetch_add(&w->waiting, 1);
			pthread_cond_wait(&w->cond, &w->lock);
			atomic_fetch_sub(&w->waiting, 1);
		}
		if (atomic_load(&w->stop) || w->q_n == 0)
			break;
		it = w->queue[--w->q_n];
		w->active++;
		pthread_mutex_unlock(&w->lock);
		r = walk_item(k, &it);
		free(it.path);
		pthread_mutex_lock(&w->lock);
		w->active--;
		if (r < 0) {
			w->error = r;
			stop_all(w);
		}
		if (w->active == 0 || atomic_load(&w->stop))
			pthread_cond_broadcast(&w->cond);
	}
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static unsigned thread_count(const struct files_walk_opts *o)
{
	long n = o->threads ? (long)o->threads : sysconf(_SC_NPROCESSORS_ONLN);

	return (unsigned)MAX(1, MIN(n, FILES_WALK_MAX_THREADS));
}

/* Open each root; a root that is missing or not a directory (a bind
 * mount of one file) is skipped, and so is one that is the same
 * directory as an earlier root. */
static int open_roots(struct walk *w, char **ret_path)
{
	const struct files_walk_opts *o = w->o;

	w->roots = calloc(MAX(o->n_roots, 1), sizeof(*w->roots));
	if (!w->roots)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_roots; i++) {
		struct stat st;
		bool dup = false;
		int fd = rootfs_openat(o->root, o->roots[i], O_RDONLY | O_DIRECTORY);

		if (fd == -ENOENT || fd == -ENOTDIR)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0) {
			int r = fd < 0 ? fd : negative_errno();

			safe_close(fd);
			*ret_path = strdup(o->roots[i]);
			return r;
		}
		for (size_t j = 0; j < w->n_roots && !dup; j++) {
			struct stat o2;

			dup = fstat(w->roots[j].fd, &o2) == 0 && o2.st_dev == st.st_dev && o2.st_ino == st.st_ino;
		}
		if (dup) {
			close(fd);
			continue;
		}
		w->roots[w->n_roots++] = (struct root){
			.fd = fd,
			.dev = st.st_dev,
			.path = streq(o->roots[i], "/") ? "" : o->roots[i],
		};
	}
	return 0;
}

static int collect(struct worker *k, struct files_walk_result *res)
{
	res->n_seen += k->n_seen;
	res->n_unreadable += k->n_unreadable;
	res->too_deep = res->too_deep || k->too_deep;
	if (found_merge(&res->world_writable, &k->world_writable, PROBE_MAX_FINDINGS) < 0 ||
	    found_merge(&res->unowned, &k->unowned, PROBE_MAX_FINDINGS) < 0 ||
	    found_merge(&res->setid, &k->setid, FILES_WALK_MAX_SETID) < 0)
		return -ENOMEM;
	return 0;
}

int files_walk(const struct files_walk_opts *o, struct files_walk_result *ret, char **ret_path)
{
	struct walk w = { .o = o };
	struct files_walk_result res = {};
	struct worker *workers = NULL;
	unsigned n_threads = thread_count(o);
	int r;

	*ret_path = NULL;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	r = open_roots(&w, ret_path);
	if (r < 0)
		goto out;
	/* Stack order: the first root is taken first. */
	for (size_t i = w.n_roots; i > 0; i--) {
		char *p = strdup(w.roots[i - 1].path);

		if (!p || grow_array((void **)&w.queue, &w.q_allocated, w.q_n + 1, sizeof(*w.queue)) < 0) {
			free(p);
			r = -ENOMEM;
			goto out;
		}
		w.queue[w.q_n++] = (struct item){ .root = i - 1, .path = p };
	}
	workers = calloc(n_threads, sizeof(*workers));
	if (!workers) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < n_threads; i++) {
		workers[i].w = &w;
		workers[i].world_writable.cap = workers[i].unowned.cap = PROBE_MAX_FINDINGS;
		workers[i].setid.cap = FILES_WALK_MAX_SETID;
	}
	/* The calling thread is worker 0; a thread that cannot be created
	 * only makes the walk slower. */
	for (unsigned i = 1; i < n_threads; i++)
		workers[i].started = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0;
	(void)worker_main(&workers[0]);
	for (unsigned i = 1; i < n_threads; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
	r = w.error;
	/* a walk stopped early has partial counts: not a result */
	if (r >= 0 && o->cancel && atomic_load(o->cancel))
		r = -ECANCELED;
	for (unsigned i = 0; i < n_threads && r >= 0; i++)
		r = collect(&workers[i], &res);
	res.overflow = res.n_seen > o->max;
out:
	for (unsigned i = 0; workers && i < n_threads; i++) {
		found_free(&workers[i].world_writable);
		found_free(&workers[i].unowned);
		found_free(&workers[i].setid);
		for (size_t d = 0; d < FILES_WALK_MAX_DEPTH; d++)
			free(workers[i].dents[d]);
	}
	free(workers);
	for (size_t i = 0; i < w.q_n; i++)
		free(w.queue[i].path);
	free(w.queue);
	for (size_t i = 0; i < w.n_roots; i++)
		close(w.roots[i].fd);
	free(w.roots);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	if (r < 0) {
		files_walk_result_done(&res);
		return r;
	}
	*ret = res;
	return 0;
}

void files_walk_result_done(struct files_walk_result *r)
{
	for (size_t i = 0; i < r->world_writable.n; i++)
		free(r->world_writable.paths[i]);
	free(r->world_writable.paths);
	for (size_t i = 0; i < r->unowned.n; i++)
		free(r->unowned.paths[i]);
	free(r->unowned.paths);
	for (size_t i = 0; i < r->setid.n; i++)
		free(r->setid.paths[i]);
	free(r->setid.paths);
	*r = (struct files_walk_result){};
}
