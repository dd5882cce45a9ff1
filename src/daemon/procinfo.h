/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Attribution of a change to a process (VIGIL_PID, VIGIL_EXE, VIGIL_UID):
 * fanotify reports the pid behind each event, but a path is verified only
 * after its debounce delay, when a short-lived writer (touch, cp) is long
 * gone.  So the executable and uid are read from /proc when the event
 * arrives and kept in a small cache for a few seconds; entries expire
 * quickly because pids are reused.  The attribution is the last process
 * that touched the path before it was verified.
 */

#include <stdint.h>
#include <sys/types.h>

#define PROCINFO_SLOTS 64
#define PROCINFO_TTL_USEC (5 * 1000000ULL)

struct procinfo {
	pid_t pid;
	uid_t uid;
	bool have_uid;
	uint64_t seen_usec;	/* CLOCK_MONOTONIC */
	char exe[256];		/* "" if unknown; "(deleted)" suffix kept */
};

struct procinfo_cache {
	struct procinfo slot[PROCINFO_SLOTS];
	unsigned next;
};

/* Note that pid caused an event at now: read /proc/pid if not cached. */
void procinfo_note(struct procinfo_cache *c, pid_t pid, uint64_t now);
/* The cached information of pid, or NULL (never seen, or expired). */
const struct procinfo *procinfo_get(const struct procinfo_cache *c, pid_t pid, uint64_t now);
/* Read exe and uid of pid from proc (a directory like "/proc"). */
int procinfo_read(const char *proc, pid_t pid, struct procinfo *ret);
