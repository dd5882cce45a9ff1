/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * User and group names of the examined system, from its own /etc/passwd
 * and /etc/group read through the rootfs (never NSS, which would answer
 * for the build host).  Only name and numeric id are kept.
 */

#include <sys/types.h>

#include "rootfs.h"

struct idmap_ent {
	char *name;
	unsigned id;
};

struct idmap {
	struct idmap_ent *users, *groups;	/* sorted by id */
	size_t n_users, n_groups;
};

/* Load both files; a missing file gives an empty table.  Malformed lines
 * are skipped.  Returns 0, -ENOMEM, or -errno of an unreadable file. */
int idmap_load(const struct rootfs *root, struct idmap **ret);
void idmap_free(struct idmap *m);

/* Name of the id, or NULL if the image has none. */
const char *idmap_user_name(const struct idmap *m, unsigned uid);
const char *idmap_group_name(const struct idmap *m, unsigned gid);

/* Resolve a name, or a decimal id, to an id: 0 or -ENOENT. */
int idmap_user_id(const struct idmap *m, const char *name, unsigned *ret);
int idmap_group_id(const struct idmap *m, const char *name, unsigned *ret);
