/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Severity of integrity events, audit checks and runtime events.  The
 * journald PRIORITY is derived from it (see severity_priority()). */

#include <syslog.h>

#include "util.h"

enum severity {
	SEVERITY_INFO,
	SEVERITY_LOW,
	SEVERITY_MEDIUM,
	SEVERITY_HIGH,
	SEVERITY_CRITICAL,
	_SEVERITY_MAX,
};

static inline const char *severity_name(enum severity s)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };

	return (unsigned)s < ELEMENTSOF(names) ? names[s] : "unknown";
}

/* -EINVAL for anything but the five names above. */
static inline int severity_from_name(const char *s, enum severity *ret)
{
	for (int i = 0; i < _SEVERITY_MAX; i++)
		if (streq(s, severity_name((enum severity)i))) {
			*ret = (enum severity)i;
			return 0;
		}
	return -EINVAL;
}

/* One step up, saturating at critical (posture correlation raises). */
static inline enum severity severity_raise(enum severity s)
{
	return s + 1 < _SEVERITY_MAX ? s + 1 : SEVERITY_CRITICAL;
}

static inline int severity_priority(enum severity s)
{
	switch (s) {
	case SEVERITY_CRITICAL: return LOG_CRIT;
	case SEVERITY_HIGH: return LOG_ERR;
	case SEVERITY_MEDIUM: return LOG_WARNING;
	case SEVERITY_LOW: return LOG_NOTICE;
	default: return LOG_INFO;
	}
}
