/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Configuration fragments in the systemd/kmod layout (sysctl.d(5),
 * modprobe.d(5)): *.conf files collected from several directories in
 * priority order; a file name found in an earlier directory shadows the
 * same name in later ones; the result is processed in lexical order of
 * the file names.  A fragment that is a symlink to /dev/null masks the
 * name.  Everything is read through the rootfs.
 */

#include "rootfs.h"

struct confdirs_file {
	char *name;	/* "50-foo.conf" */
	char *path;	/* image path of the winning file, NULL if masked */
};

/* List the fragments ending in suffix of dirs (image paths; missing
 * directories are skipped), into a malloc'ed array sorted by name.
 * Returns 0 or -errno (-E2BIG beyond 4096 files). */
int confdirs_list(const struct rootfs *root, const char *const *dirs, size_t n_dirs, const char *suffix,
		  struct confdirs_file **ret, size_t *ret_n);

void confdirs_free(struct confdirs_file *files, size_t n);

/* Split the next line off *p (in a NUL-terminated buffer ending at end),
 * returning it NUL-terminated in place (the '\n' is overwritten), or NULL
 * at the end.  Trailing '\r' and white space are removed. */
char *confdirs_next_line(char **p, char *end);

/* Skip leading spaces and tabs. */
char *confdirs_skip_ws(char *s);

/* Expand an image-absolute glob pattern whose wildcards are in the last
 * component only (as in sshd's "Include sshd_config.d/NAME.conf" with NAME a glob); names
 * starting with '.' need an explicit dot.  Matches are sorted by strcmp
 * (glob(3) order in the C locale).  A pattern without wildcards yields
 * itself if it exists.  No match is 0 results, not an error. */
int confdirs_glob(const struct rootfs *root, const char *pattern, char ***ret, size_t *ret_n);

void confdirs_strv_free(char **v, size_t n);
