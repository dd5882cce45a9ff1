/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The mount tables the mount probe reads, exposed for tests and fuzzing. */

#include "util.h"

struct mount_entry {
	char *target;	/* unescaped mount point */
	char *fstype;
	char *options;	/* comma-separated: per-mount, then file system options */
	char *source;	/* device or "host:/export" (fstab: the spec) */
	char *fsroot;	/* mountinfo: the directory of the file system mounted here
			 * ("/" unless a bind mount of a subtree); fstab: "/" */
	unsigned dev_major, dev_minor;	/* mountinfo; 0 for fstab */
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

/* Whether the mount holds local files, as df --local and the CIS audit of
 * world-writable and unowned files see it: not a kernel pseudo file
 * system (proc, sysfs, devtmpfs, cgroup, ...), not a network one (nfs,
 * cifs, ...: by type, or a "host:path" or "//host/share" source), and not
 * FUSE (served by a process, often remote, and unreadable to root without
 * allow_other), except fuseblk (a local block device).  tmpfs counts. */
bool mount_is_local(const struct mount_entry *e);
