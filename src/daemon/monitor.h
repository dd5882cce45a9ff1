/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * File-change monitors: fanotify (one notification group reporting
 * directory handle + name, FAN_MARK_FILESYSTEM marks) or inotify
 * (recursive watches), behind one interface.  A monitor only says "look
 * at this path"; what changed is decided by verifying the path against
 * the baseline, so lost detail in the kernel event costs nothing.
 *
 * Each monitor has one fd for the event loop; monitor_dispatch() reads
 * what is there without blocking (at most a bounded number of reads, so
 * timers and signals get their turn) and calls fn for every path that the
 * selection covers and does not exclude.  It returns 0 when the queue was
 * read empty, 1 when the read budget ran out first (more may be waiting:
 * the fd stays readable), or -errno.
 */

#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "selection.h"

enum {
	MONITOR_EV_OVERFLOW = 1u << 0,	/* the kernel queue overflowed: path is NULL */
	MONITOR_EV_DIR = 1u << 1,	/* path is (or was) a directory */
	/* path is a new directory with more entries than are reported one by
	 * one: rescan to find them (nothing was lost, it is only cheaper). */
	MONITOR_EV_RESCAN = 1u << 2,
};

/* pid: the process behind the event (fanotify), 0 if unknown (inotify). */
typedef void (*monitor_fn)(void *userdata, const char *path, unsigned flags, pid_t pid);

struct monitor_stats {
	uint64_t events;	/* kernel events read */
	uint64_t selected;	/* paths passed to fn */
	uint64_t unresolved;	/* events whose path could not be found (gone) */
	uint64_t watches;	/* marks (fanotify: filesystems) or watches (inotify) */
};

struct monitor;

struct monitor_ops {
	const char *name;
	int (*dispatch)(struct monitor *m, monitor_fn fn, void *userdata);
	void (*free)(struct monitor *m);
};

struct monitor {
	const struct monitor_ops *ops;
	int fd;
	const struct selection *sel;	/* borrowed: must outlive the monitor */
	struct monitor_stats stats;
};

/* Place fanotify marks on the filesystems of sel's paths.  -EPERM without
 * CAP_SYS_ADMIN, -EINVAL/-ENOSYS/-EOPNOTSUPP when the kernel or a
 * filesystem cannot report file handles; d says which. */
int monitor_fanotify_new(const struct selection *sel, struct monitor **ret, struct diag *d);
/* Place inotify watches on every selected directory.  Warns (log.h) when
 * fs.inotify.max_user_watches is too low for the tree; fails only if no
 * watch at all could be placed. */
int monitor_inotify_new(const struct selection *sel, struct monitor **ret, struct diag *d);
/* By mode; MONITOR_AUTO tries fanotify, then inotify. */
int monitor_new(enum monitor_mode mode, const struct selection *sel, struct monitor **ret, struct diag *d);

static inline int monitor_dispatch(struct monitor *m, monitor_fn fn, void *userdata)
{
	return m->ops->dispatch(m, fn, userdata);
}
static inline const char *monitor_name(const struct monitor *m)
{
	return m->ops->name;
}
/* NULL-safe; returns NULL. */
struct monitor *monitor_free(struct monitor *m);

/* The parsers of the kernel's event records, apart from the backends so
 * that they can be fuzzed (tests/fuzz/fuzz-monitor.c). */
struct file_handle;
struct fanotify_record {
	uint64_t mask;			/* FAN_* */
	int32_t pid;
	const void *fsid;		/* __kernel_fsid_t, or NULL */
	const struct file_handle *fh;	/* the directory (or object) handle, or NULL */
	const char *name;		/* entry name (one component), or NULL */
};
typedef void (*fanotify_record_fn)(void *userdata, const struct fanotify_record *rec);
/* Walk the records of one read() of a FAN_REPORT_DFID_NAME group (buf
 * aligned like struct fanotify_event_metadata).  Returns the number of records, or -EPROTO for an unknown
 * metadata version.  Malformed records are skipped or end the walk. */
int fanotify_parse(const void *buf, size_t len, fanotify_record_fn fn, void *userdata);

/* True if sel covers path and neither path nor a directory between it and
 * its rule's root is excluded. */
bool monitor_path_selected(const struct selection *sel, const char *path);
