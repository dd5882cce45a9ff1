/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * State files are replaced atomically: written to a temporary file in the
 * same directory, fsync'ed, renamed over the target, and the directory
 * fsync'ed, so a crash leaves the old file or the new one, never a mix.
 */

#include <sys/types.h>

#include "util.h"

struct atomic_file {
	int fd;
	char *path;	/* target */
	char *tmp;	/* temporary, removed on abort */
};

#define ATOMIC_FILE_INIT { -EBADF, NULL, NULL }

/* Create a temporary file next to path with the given mode.  Returns 0 or
 * -errno.  Write to af->fd, then call atomic_file_commit() or
 * atomic_file_abort(). */
int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode);
/* Write all of data to af->fd (handles short writes and EINTR). */
int atomic_file_write(struct atomic_file *af, const void *data, size_t len);
/* fsync, close, rename over the target, fsync the directory. */
int atomic_file_commit(struct atomic_file *af);
/* Remove the temporary file and free everything; safe to call twice. */
void atomic_file_abort(struct atomic_file *af);

/* One-shot: replace path with data atomically. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Write all of buf to fd; -errno on failure. */
int write_all(int fd, const void *buf, size_t len);

/* Read a whole regular file opened at dirfd/path (O_NOFOLLOW unless
 * follow is true; never blocks on a FIFO) into a NUL-terminated malloc'ed
 * buffer.  Files larger than max give -EFBIG; non-regular files -EINVAL
 * (-EISDIR for directories). */
int read_file_at(int dirfd, const char *path, bool follow, size_t max, char **ret, size_t *ret_len);

/* Same, from an open fd (which must be a regular file). */
int read_fd_full(int fd, size_t max, char **ret, size_t *ret_len);
