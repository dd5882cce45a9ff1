/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Scanning: walk the selection below a root, record each file's state.
 * The walk never follows symlinks, stays on one filesystem unless the
 * selection says otherwise, never opens FIFOs, sockets or devices, and
 * survives files that vanish or change mid-walk (reported as problems,
 * not fatal).  Content is hashed (SHA-256, libcrypto EVP) on a pool of
 * worker threads.
 */

#include <stdatomic.h>
#include <stdint.h>

#include "diag.h"
#include "record.h"
#include "rootfs.h"
#include "selection.h"

struct scan_progress {
	uint64_t files;		/* entries recorded so far */
	uint64_t bytes_hashed;
	uint64_t bytes_total;	/* bytes of regular files queued for hashing so far */
	bool walk_done;		/* bytes_total is final */
};

struct scan_stats {
	uint64_t files;		/* records produced */
	uint64_t bytes_hashed;
	uint64_t problems;	/* non-fatal problems reported */
	uint64_t usec;		/* wall-clock duration */
};

struct scan_options {
	const struct rootfs *root;
	unsigned threads;	/* hashing threads; 0 = number of online CPUs */
	/* Limit the scan to these image-absolute subtrees (each must be covered
	 * by the selection, else -ENOENT with d naming it); NULL = everything. */
	char *const *limit;
	size_t n_limit;
	/* Called from the scanning thread about ten times a second; may be NULL. */
	void (*progress)(void *userdata, const struct scan_progress *p);
	/* A non-fatal problem (vanished file, permission denied, file changed
	 * while hashed, ...); err is -errno.  Called from the scanning thread,
	 * never concurrently; may be NULL. */
	void (*problem)(void *userdata, const char *path, int err, const char *what);
	void *userdata;
	/* When this becomes true the scan stops at the next directory entry,
	 * queued file or block of a file being hashed, and scan_run() fails
	 * with -ECANCELED.  NULL: the scan runs to its end. */
	const atomic_bool *cancel;
};

struct scan_result {
	struct vrecord *recs;	/* owned records, sorted by path_compare(), unique */
	size_t n;
	struct scan_stats stats;
};

/* Run a scan.  Returns 0 (problems are reported, not fatal) or -errno for a
 * failure that invalidates the whole scan (out of memory, root unusable). */
int scan_run(const struct selection *sel, const struct scan_options *opt, struct scan_result *ret,
	     struct diag *d);
void scan_result_free(struct scan_result *r);

/* Record one path (no recursion) with the given attribute mask, the way a
 * scan would; for the daemon's verification of a single event.  -ENOENT if
 * it does not exist. */
int scan_one(const struct rootfs *root, const char *path, uint32_t mask, struct vrecord *ret);
/* The same, stopping with -ECANCELED between two blocks of the hash once
 * *cancel (may be NULL) is true. */
int scan_one_cancellable(const struct rootfs *root, const char *path, uint32_t mask, const atomic_bool *cancel,
			 struct vrecord *ret);
