/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The mount tables the mount probe reads, exposed for tests and fuzzing. */

#include "util.h"

struct mount_entry {
	char *target;	/* unescaped mount point */
	char *fstype;
	char *options;	/* comma-separated: per-mount, then file system options */
};

struct mount_table {
	struct mount_entry *entries;
	size_t n, allocated;
};

#define MOUNT_TABLE_INIT { NULL, 0, 0 }

void mount_table_done(struct mount_table *t);

/* proc(5) /proc/PID/mountinfo; malformed lines are skipped.  text is
 * modified.  Returns 0 or -ENOMEM. */
int mount_parse_mountinfo(struct mount_table *t, char *text, size_t len);

/* fstab(5); swap entries and "noauto" entries (not mounted at boot) are
 * skipped.  text is modified.  Returns 0 or -ENOMEM. */
int mount_parse_fstab(struct mount_table *t, char *text, size_t len);

/* The last (topmost) entry for a mount point, or NULL. */
const struct mount_entry *mount_table_find(const struct mount_table *t, const char *target);

/* Whether a mount with these options has option opt (nodev, nosuid,
 * noexec, ...), following mount(8): the last of "opt" and its opposite
 * wins, "defaults" resets it, "user"/"users" imply noexec,nosuid,nodev. */
bool mount_has_option(const char *options, const char *opt);
