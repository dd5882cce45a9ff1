/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Small helpers shared by every vigil module: ownership via the cleanup
 * attribute, checked string comparisons and bounds.  Kept deliberately
 * small; anything bigger earns a module of its own.
 *
 * __attribute__((cleanup)) is a GCC/Clang extension (both build vigil):
 * the variable's cleanup function runs when it leaves scope, so every
 * early return frees exactly what was acquired so far.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_ __attribute__((noreturn))

/* Hand ownership of a pointer (or fd) out of a cleanup-owned variable. */
#define TAKE_PTR(p)                        \
	({                                 \
		__typeof__(p) _tp_ = (p);  \
		(p) = NULL;                \
		_tp_;                      \
	})
#define TAKE_FD(fd)                        \
	({                                 \
		int _tf_ = (fd);           \
		(fd) = -EBADF;             \
		_tf_;                      \
	})

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		(void)close(*fd);
		errno = saved;
	}
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
	if (*f)
		(void)fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Close an fd and return -EBADF so "fd = safe_close(fd);" leaves it invalid. */
static inline int safe_close(int fd)
{
	if (fd >= 0)
		closep(&fd);
	return -EBADF;
}

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static inline bool streq_ptr(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return streq(a, b);
}

static inline bool isempty(const char *s)
{
	return !s || !*s;
}

/* -errno of the last libc failure, never 0 (so callers can return it). */
static inline int negative_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

/* Checked parsers: whole string must be consumed, no sign surprises. */
int parse_bool(const char *s, bool *ret);
int parse_uint(const char *s, unsigned max, unsigned *ret);
int parse_u64(const char *s, unsigned long long *ret);
/* Durations: "30", "30s", "200ms", "5min", "6h", "1d"; result in microseconds. */
int parse_duration_usec(const char *s, unsigned long long *ret);

/* strdup that returns -ENOMEM through ret; ret untouched on failure. */
int strdup_to(char **ret, const char *s);

/* Grow *array (of *allocated elements of size elsize) to hold at least need. */
int grow_array(void **array, size_t *allocated, size_t need, size_t elsize);

/* Join dir and name with exactly one '/', result malloc'ed.  NULL on OOM. */
char *path_join(const char *dir, const char *name);

/* path made absolute, lexically: a relative path is taken relative to
 * cwd (absolute, as from getcwd(3): no ".", "..", or symlinks), "."
 * components are dropped, and ".." components before the first name of
 * path remove a component of what precedes them (never going above "/").
 * ".." after a name of path is -EINVAL: "a/.." is "." only if a is not a
 * symlink, and nothing is looked up here.  Nothing is resolved either:
 * symlinks in path stay.  0 and a malloc'ed string in *ret; -EINVAL also
 * for a relative path without an absolute cwd, -ENAMETOOLONG past
 * PATH_MAX, -ENOMEM. */
int path_absolute(const char *path, const char *cwd, char **ret);

/* Monotonic and wall clocks in microseconds. */
unsigned long long now_monotonic_usec(void);
unsigned long long now_realtime_usec(void);
