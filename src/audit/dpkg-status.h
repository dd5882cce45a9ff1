/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The dpkg status database (var/lib/dpkg/status, deb822(5)): stanzas of
 * "Field: value" lines separated by empty lines, where a line starting
 * with a space or a tab continues the previous field.  Only the fields
 * vigil needs are kept (Package, Architecture, Version, Status); the
 * package probe uses it today, the integrity side (package ownership of
 * files) will reuse it.
 *
 * The file is hostile input: a line that is neither a field nor a
 * continuation, an embedded NUL, a field longer than DPKG_FIELD_MAX or a
 * continuation before any field is an error with "file:line: reason".
 */

#include "diag.h"
#include "util.h"

#define DPKG_FIELD_MAX (1024u * 1024u)	/* one field, continuation lines included */
#define DPKG_STATUS_MAX (256u * 1024u * 1024u)

/* The third word of Status: dpkg's package state (dpkg-query(1)). */
enum dpkg_state {
	DPKG_STATE_NOT_INSTALLED,
	DPKG_STATE_CONFIG_FILES,
	DPKG_STATE_HALF_INSTALLED,
	DPKG_STATE_UNPACKED,
	DPKG_STATE_HALF_CONFIGURED,
	DPKG_STATE_TRIGGERS_AWAITED,
	DPKG_STATE_TRIGGERS_PENDING,
	DPKG_STATE_INSTALLED,
	_DPKG_STATE_MAX,
};

struct dpkg_package {
	char *name;
	char *arch;		/* NULL if the stanza has no Architecture */
	char *version;		/* NULL if absent */
	char *status;		/* the Status field as written, NULL if absent */
	enum dpkg_state state;	/* DPKG_STATE_NOT_INSTALLED if Status is absent */
	unsigned line;		/* line of the stanza's first field */
};

struct dpkg_status {
	struct dpkg_package *pkgs;
	size_t n_pkgs;
	size_t alloc;
};

/* Parse a whole status file held in data[0..len) (need not be
 * NUL-terminated).  fname is used in diagnostics only.  On success *ret
 * owns the packages (free with dpkg_status_free()); on failure returns
 * -EINVAL ("fname:line: reason" in d) or -ENOMEM and *ret is untouched. */
int dpkg_status_parse(const char *data, size_t len, const char *fname, struct dpkg_status *ret, struct diag *d);

void dpkg_status_free(struct dpkg_status *s);

/* "installed", "config-files", ... (dpkg's spelling). */
const char *dpkg_state_name(enum dpkg_state s);

/* True if the package is configured: installed or with triggers pending
 * or awaited (dpkg-query's "ii" and "it"/"iW" rows). */
bool dpkg_state_is_installed(enum dpkg_state s);

/* True if nothing of the package but (perhaps) conffiles is on disk. */
bool dpkg_state_is_absent(enum dpkg_state s);

/* Does the stanza match "name" (any architecture) or "name:arch"? */
bool dpkg_package_matches(const struct dpkg_package *p, const char *spec);
