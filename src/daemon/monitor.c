/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <limits.h>

#include "diag.h"
#include "log.h"
#include "monitor.h"

bool monitor_path_selected(const struct selection *sel, const char *path)
{
	const struct watch_rule *rule = selection_rule_for(sel, path);
	char buf[PATH_MAX];
	size_t root_len, len = strlen(path);

	if (!rule || len >= sizeof(buf))
		return false;
	root_len = strlen(rule->path);
	memcpy(buf, path, len + 1);
	/* The walk of a scan never descends into an excluded directory, so an
	 * event below one is not selected either: test each component below
	 * the rule's root, the path itself first. */
	for (;;) {
		char *slash = strrchr(buf, '/');

		if (selection_excluded(sel, rule, buf, slash ? slash + 1 : buf))
			return false;
		if (!slash || (size_t)(slash - buf) < root_len || slash == buf)
			return true;
		*slash = '\0';
		if (strlen(buf) < root_len)
			return true;
	}
}

int monitor_new(enum monitor_mode mode, const struct selection *sel, struct monitor **ret, struct diag *d)
{
	int r;

	if (mode == MONITOR_INOTIFY)
		return monitor_inotify_new(sel, ret, d);
	r = monitor_fanotify_new(sel, ret, d);
	if (r >= 0 || mode == MONITOR_FANOTIFY)
		return r;
	log_notice("fanotify unavailable (%s), using inotify", d ? d->msg : "");
	diag_clear(d);
	return monitor_inotify_new(sel, ret, d);
}

struct monitor *monitor_free(struct monitor *m)
{
	if (m)
		m->ops->free(m);
	return NULL;
}
