/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fanotify backend: one FAN_CLASS_NOTIF group with FAN_REPORT_DFID_NAME
 * (Linux >= 5.9): every event carries the handle of the directory and the
 * entry's name, never an open fd, so the group holds nothing open and
 * sees creations, deletions and renames.  FAN_MARK_FILESYSTEM (>= 4.20)
 * marks whole filesystems, which also covers other mount namespaces and
 * bind mounts of the same filesystem; the selection filters the paths.
 *
 * A handle is turned into a path with open_by_handle_at() on an fd of the
 * same filesystem and readlink("/proc/self/fd/N").  A directory deleted
 * before we read its event cannot be resolved (ESTALE); that is counted
 * in the statistics and covered by the verifier, which checks a deleted
 * or moved directory's baseline children.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "diag.h"
#include "log.h"
#include "monitor.h"

#define FAN_EVENTS                                                                                         \
	(FAN_CREATE | FAN_DELETE | FAN_MODIFY | FAN_ATTRIB | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CLOSE_WRITE | \
	 FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR | FAN_EVENT_ON_CHILD)
/* Reads per dispatch before returning to the event loop (timers, signals). */
#define MAX_READS 64

struct fs_mark {
	__kernel_fsid_t fsid;
	int mount_fd;		/* any fd on the filesystem, for open_by_handle_at() */
};

struct fan_monitor {
	struct monitor m;	/* first: the generic part */
	struct fs_mark *marks;
	size_t n_marks, alloc_marks;
	/* One-entry cache: the events of a batch tend to share a directory. */
	unsigned char last_handle[MAX_HANDLE_SZ + sizeof(struct file_handle)];
	size_t last_handle_len;
	__kernel_fsid_t last_fsid;
	char last_dir[PATH_MAX];
};

static bool fsid_eq(const __kernel_fsid_t *a, const __kernel_fsid_t *b)
{
	return a->val[0] == b->val[0] && a->val[1] == b->val[1];
}

static int fan_mount_fd(struct fan_monitor *f, const __kernel_fsid_t *fsid)
{
	for (size_t i = 0; i < f->n_marks; i++)
		if (fsid_eq(&f->marks[i].fsid, fsid))
			return f->marks[i].mount_fd;
	return -ENOENT;
}

/* Path of a directory handle into buf; -errno (-ESTALE: it is gone). */
static int resolve_dir(struct fan_monitor *f, const __kernel_fsid_t *fsid, const struct file_handle *fh, char *buf,
		       size_t size)
{
	size_t hlen = sizeof(*fh) + fh->handle_bytes;
	_cleanup_close_ int fd = -EBADF;
	char proc[64];
	ssize_t n;
	int mfd;

	if (hlen <= sizeof(f->last_handle) && hlen == f->last_handle_len && fsid_eq(fsid, &f->last_fsid) &&
	    memcmp(f->last_handle, fh, hlen) == 0) {
		if (strlen(f->last_dir) >= size)
			return -ENAMETOOLONG;
		strcpy(buf, f->last_dir);
		return 0;
	}
	mfd = fan_mount_fd(f, fsid);
	if (mfd < 0)
		return mfd;
	fd = open_by_handle_at(mfd, (struct file_handle *)fh, O_PATH | O_CLOEXEC);	/* only read */
	if (fd < 0)
		return negative_errno();
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, size - 1);
	if (n < 0)
		return negative_errno();
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	/* An unlinked directory, or one outside our mount namespace. */
	if (buf[0] != '/' || (n > 10 && streq(buf + n - 10, " (deleted)")))
		return -ESTALE;
	if (hlen <= sizeof(f->last_handle)) {
		memcpy(f->last_handle, fh, hlen);
		f->last_handle_len = hlen;
		f->last_fsid = *fsid;
		strcpy(f->last_dir, buf);
	}
	return 0;
}

/* Validate the first info record of an event (the object's directory
 * handle and, for DFID_NAME, the entry name) into rec. */
static bool parse_info(const char *p, const char *end, struct fanotify_record *rec)
{
	const struct fanotify_event_info_fid *info = (const void *)p;
	struct file_handle *fh;
	size_t info_len, hdr = sizeof(*info) + sizeof(*fh);

	if (end - p < (ptrdiff_t)hdr)
		return false;
	info_len = info->hdr.len;
	if (info_len < hdr || info_len > (size_t)(end - p))
		return false;
	fh = (struct file_handle *)info->handle;
	if (fh->handle_bytes > info_len - hdr || fh->handle_bytes > MAX_HANDLE_SZ)
		return false;
	if (info->hdr.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
		size_t name_max = info_len - hdr - fh->handle_bytes;
		const char *name = (const char *)fh->f_handle + fh->handle_bytes;

		if (name_max == 0 || strnlen(name, name_max) >= name_max || name[0] == '\0' || strchr(name, '/'))
			return false;	/* unterminated, empty, or not one path component */
		rec->name = name;
	} else if (info->hdr.info_type != FAN_EVENT_INFO_TYPE_DFID &&
		   info->hdr.info_type != FAN_EVENT_INFO_TYPE_FID)
		return false;
	rec->fsid = &info->fsid;
	rec->fh = fh;
	return true;
}

int fanotify_parse(const void *data, size_t len, fanotify_record_fn fn, void *userdata)
{
	const char *buf = data;
	size_t off = 0;
	int n = 0;

	/* Records are 4-byte aligned (FANOTIFY_EVENT_ALIGN) but the metadata
	 * holds a u64: copy it out rather than cast (the FAN_EVENT_* macros
	 * are misaligned accesses).  A record that breaks the alignment or
	 * the bounds ends the buffer. */
	while (len - off >= sizeof(struct fanotify_event_metadata)) {
		struct fanotify_event_metadata md;
		struct fanotify_record rec = { 0 };
		const char *p, *end;

		memcpy(&md, buf + off, sizeof(md));
		if (md.event_len < sizeof(md) || md.event_len > len - off || md.event_len % 4)
			break;
		if (md.vers != FANOTIFY_METADATA_VERSION)
			return -EPROTO;
		p = buf + off + md.metadata_len;
		end = buf + off + md.event_len;
		off += md.event_len;
		/* A FID group never passes an fd (fanotify(7): FAN_NOFD), so fd is
		 * not ours to close: a parser that closed what the buffer names
		 * would close arbitrary descriptors on bad input. */
		if (md.metadata_len < sizeof(md) || md.metadata_len > md.event_len || md.metadata_len % 4)
			continue;
		n++;
		rec.mask = md.mask;
		rec.pid = md.pid;
		/* Only the first fid record names the object (DFID_NAME). */
		if (!(md.mask & FAN_Q_OVERFLOW) && !parse_info(p, end, &rec))
			rec.fh = NULL, rec.fsid = NULL, rec.name = NULL;
		fn(userdata, &rec);
	}
	return n;
}

struct dispatch_ctx {
	struct fan_monitor *f;
	monitor_fn fn;
	void *userdata;
};

static void on_record(void *userdata, const struct fanotify_record *rec)
{
	struct dispatch_ctx *dc = userdata;
	struct fan_monitor *f = dc->f;
	char path[PATH_MAX];
	int r;

	f->m.stats.events++;
	if (rec->mask & FAN_Q_OVERFLOW) {
		dc->fn(dc->userdata, NULL, MONITOR_EV_OVERFLOW, 0);
		return;
	}
	if (!rec->fh)
		return;
	r = resolve_dir(f, rec->fsid, rec->fh, path, sizeof(path));
	if (r < 0) {
		f->m.stats.unresolved++;
		return;
	}
	if (rec->name && !streq(rec->name, ".")) {
		size_t l = strlen(path);

		if (l + 1 + strlen(rec->name) >= sizeof(path))
			return;
		if (l > 1)
			path[l++] = '/';
		strcpy(path + l, rec->name);
	}
	if (!monitor_path_selected(f->m.sel, path))
		return;
	f->m.stats.selected++;
	dc->fn(dc->userdata, path, rec->mask & FAN_ONDIR ? MONITOR_EV_DIR : 0, rec->pid > 0 ? rec->pid : 0);
}

static int fan_dispatch(struct monitor *m, monitor_fn fn, void *userdata)
{
	struct fan_monitor *f = (struct fan_monitor *)m;
	struct dispatch_ctx dc = { .f = f, .fn = fn, .userdata = userdata };
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	int r = 0;

	r = 1;	/* unless a read finds the queue empty: more may be waiting */
	for (int i = 0; i < MAX_READS; i++) {
		ssize_t len = read(m->fd, buf, sizeof(buf));

		if (len < 0) {
			r = errno == EAGAIN || errno == EINTR ? 0 : negative_errno();
			break;
		}
		r = fanotify_parse(buf, (size_t)len, on_record, &dc);
		if (r < 0)
			break;
		r = 1;
	}
	f->last_handle_len = 0;	/* directories may be renamed between batches */
	return r;
}

static void fan_free(struct monitor *m)
{
	struct fan_monitor *f = (struct fan_monitor *)m;

	for (size_t i = 0; i < f->n_marks; i++)
		safe_close(f->marks[i].mount_fd);
	free(f->marks);
	safe_close(m->fd);
	free(f);
}

static const struct monitor_ops fan_ops = {
	.name = "fanotify",
	.dispatch = fan_dispatch,
	.free = fan_free,
};

/* Mark the filesystem of path (once per filesystem). */
static int fan_mark_path(struct fan_monitor *f, const char *path, struct diag *d)
{
	_cleanup_close_ int fd = -EBADF;
	struct statfs sfs;
	__kernel_fsid_t fsid;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && (errno == ELOOP || errno == ENXIO || errno == EACCES))
		fd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return negative_errno();
	if (fstatfs(fd, &sfs) < 0)
		return negative_errno();
	memcpy(&fsid, &sfs.f_fsid, sizeof(fsid));
	if (fan_mount_fd(f, &fsid) >= 0)
		return 0;
	if (fsid.val[0] == 0 && fsid.val[1] == 0)
		return diag_set(d, -EOPNOTSUPP, "%s: filesystem has no fsid, fanotify cannot report it", path);
	if (fanotify_mark(f->m.fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_EVENTS, fd, NULL) < 0) {
		r = negative_errno();
		return diag_set(d, r, "%s: fanotify_mark(FAN_MARK_FILESYSTEM): %s", path, strerror(-r));
	}
	r = grow_array((void **)&f->marks, &f->alloc_marks, f->n_marks + 1, sizeof(*f->marks));
	if (r < 0)
		return r;
	f->marks[f->n_marks++] = (struct fs_mark){ .fsid = fsid, .mount_fd = TAKE_FD(fd) };
	f->m.stats.watches++;
	return 0;
}

int monitor_fanotify_new(const struct selection *sel, struct monitor **ret, struct diag *d)
{
	struct fan_monitor *f;
	int r = 0;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->m.ops = &fan_ops;
	f->m.sel = sel;
	f->m.fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME,
				O_RDONLY | O_CLOEXEC | O_LARGEFILE);
	if (f->m.fd < 0) {
		r = negative_errno();
		free(f);
		return diag_set(d, r, "fanotify_init(FAN_REPORT_DFID_NAME): %s", strerror(-r));
	}
	for (size_t i = 0; i < sel->n_rules; i++) {
		int k = fan_mark_path(f, sel->rules[i].path, d);

		if (k == -ENOENT) {
			log_warning("%s: does not exist, not monitored until it does and vigild reloads",
				    sel->rules[i].path);
			continue;
		}
		if (k < 0) {
			fan_free(&f->m);
			return k;
		}
	}
	if (f->n_marks == 0) {
		fan_free(&f->m);
		return diag_set(d, -ENOENT, "none of the watched paths exists");
	}
	*ret = &f->m;
	return 0;
}
