/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Access to the system being examined: the live host ("/") or an offline
 * image mounted at some directory (--root).  Paths are always written as
 * the image sees them ("/etc/ssh/sshd_config"); symlinks inside the image
 * are resolved relative to the image root (openat2 RESOLVE_IN_ROOT), so an
 * absolute symlink in the image can never reach the build host.
 */

#include <sys/stat.h>

#include "util.h"

struct rootfs {
	int fd;		/* O_PATH directory fd of the root */
	char *dir;	/* "/" for the live host */
	bool live;
};

/* Open dir (NULL or "/" means the live host).  -errno on failure. */
int rootfs_open(struct rootfs *ret, const char *dir);
void rootfs_close(struct rootfs *rf);

/* openat2 below the root; path is image-absolute.  Symlinks are followed
 * inside the root unless flags has O_NOFOLLOW (last component only).
 * Returns an fd or -errno. */
int rootfs_openat(const struct rootfs *rf, const char *path, int flags);

/* stat (follow: resolve last-component symlinks in-root) */
int rootfs_stat(const struct rootfs *rf, const char *path, bool follow, struct stat *ret);

/* Read a regular file (follows symlinks in-root, never blocks on FIFOs). */
int rootfs_read_file(const struct rootfs *rf, const char *path, size_t max, char **ret, size_t *ret_len);

/* Host path for messages: "DIR/path" or "path" when live; malloc'ed. */
char *rootfs_host_path(const struct rootfs *rf, const char *path);
