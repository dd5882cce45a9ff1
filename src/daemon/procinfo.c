/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stdio.h>

#include "fileio.h"
#include "procinfo.h"
#include "util.h"

int procinfo_read(const char *proc, pid_t pid, struct procinfo *ret)
{
	struct procinfo pi = { .pid = pid };
	_cleanup_free_ char *status = NULL;
	char path[64];
	ssize_t n;
	int r;

	if (pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%d/exe", proc, (int)pid);
	n = readlink(path, pi.exe, sizeof(pi.exe) - 1);
	if (n < 0 && errno == ENOENT)
		return -ESRCH;
	/* Kernel threads have no exe; a truncated name is still useful. */
	pi.exe[n > 0 ? n : 0] = '\0';
	snprintf(path, sizeof(path), "%s/%d/status", proc, (int)pid);
	r = read_file_at(AT_FDCWD, path, false, 64 * 1024, &status, NULL);
	if (r == -ENOENT)
		return -ESRCH;
	if (r >= 0) {
		const char *u = strstr(status, "\nUid:\t");
		unsigned ruid;

		/* "Uid:\treal\teffective\tsaved\tfs": the real uid is the user. */
		if (u && sscanf(u + 6, "%u", &ruid) == 1) {
			pi.uid = ruid;
			pi.have_uid = true;
		}
	}
	*ret = pi;
	return 0;
}

static struct procinfo *find(struct procinfo_cache *c, pid_t pid, uint64_t now)
{
	for (unsigned i = 0; i < PROCINFO_SLOTS; i++) {
		struct procinfo *p = &c->slot[i];

		if (p->pid == pid && pid > 0 && now - p->seen_usec < PROCINFO_TTL_USEC)
			return p;
	}
	return NULL;
}

void procinfo_note(struct procinfo_cache *c, pid_t pid, uint64_t now)
{
	struct procinfo *p = find(c, pid, now), pi;

	if (p) {
		p->seen_usec = now;
		return;
	}
	if (procinfo_read("/proc", pid, &pi) < 0)
		return;	/* already gone: the event carries the pid alone */
	pi.seen_usec = now;
	c->slot[c->next] = pi;
	c->next = (c->next + 1) % PROCINFO_SLOTS;
}

const struct procinfo *procinfo_get(const struct procinfo_cache *c, pid_t pid, uint64_t now)
{
	return find((struct procinfo_cache *)c, pid, now);
}
