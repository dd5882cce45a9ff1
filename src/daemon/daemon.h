/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * vigild's state: one struct daemon, owned by main() and passed to every
 * handler; no other mutable globals.  main.c parses options, loads and
 * reloads the configuration, sets up the sd-event loop and tears it down;
 * pipeline.c is the file pipeline the loop drives (kernel events ->
 * debounce -> verification); events.c is the way out (correlation ->
 * burst limiter -> log queue) and the periodic work (audit, full check,
 * state file).  Everything here runs in the event loop's thread, except
 * the log writer (queue.h) and the workers (worker.h) that record flagged
 * paths, rescan and audit: each owns its job's data until it is joined.
 */

#include <systemd/sd-event.h>

#include "baseline.h"
#include "burst.h"
#include "conf.h"
#include "correlate.h"
#include "debounce.h"
#include "monitor.h"
#include "posture-audit.h"
#include "procinfo.h"
#include "queue.h"
#include "rescan.h"
#include "rootfs.h"
#include "state.h"
#include "verify.h"
#include "worker.h"

#define LOG_QUEUE_CAPACITY 8192
#define MAX_PENDING 65536
/* Paths verified per wakeup before the loop looks at the kernel again. */
#define VERIFY_BATCH 256
/* Entries of a new directory queued for verification before a rescan is
 * cheaper than walking. */
#define NEW_TREE_MAX 4096
/* Dispatches of the replaced monitor at a reload (each up to 64 reads of
 * 64 KiB) before what is left counts as lost. */
#define RELOAD_DRAIN_ROUNDS 16
#define STATE_DELAY_USEC (1000 * 1000ULL)
#define RESCAN_DELAY_USEC (100 * 1000ULL)

struct options {
	const char *config;
	const char *db;
	const char *state_file;
	char **watch;
	size_t n_watch;
	char **checks_dirs;
	size_t n_checks_dirs;
	enum log_target target;
	bool target_set;
	bool foreground;
};

struct daemon {
	struct options opt;
	struct vigil_conf conf;
	struct selection cmdline_sel;	/* --watch, owned; else conf.sel is used */
	const struct selection *sel;
	char *db_path;
	struct baseline *base;
	struct rootfs root;
	struct monitor *mon;
	struct debounce *deb;
	struct burst *burst;
	struct verifier *ver;
	struct logq *logq;
	struct posture posture;		/* failing checks (filled by the audit) */
	struct posture_audit *audit;
	struct procinfo_cache procs;
	struct daemon_state st;

	sd_event *loop;
	sd_event_source *mon_src, *verify_timer, *burst_timer, *state_timer, *rescan_timer, *check_timer,
		*audit_timer;
	uint64_t mon_events_before;	/* counters of monitors replaced by reloads */
	uint64_t mon_unresolved_before;
	bool state_warned;		/* the state file could not be written */
	bool rescan_all;		/* an overflow rescan is scheduled */
	uint64_t overflow_alert_usec;	/* when the last overflow alert was sent */
	uint64_t overflows_unalerted;	/* overflows since then */
	struct worker *job_worker;	/* running a rescan or full check, or NULL */
	struct rescan_job *job;		/* ... that scan */
	sd_event_source *job_src;
	bool job_is_check;		/* ... for the periodic check (it gets a summary) */
	uint64_t job_reloads;		/* st.reloads when it started: stale after a reload */
	bool job_again, job_again_check;	/* requested while a scan was running */
	struct worker *verify_worker;	/* recording a batch of flagged paths, or NULL */
	struct verify_batch *verify_batch;
	sd_event_source *verify_src;
	struct worker *audit_worker;	/* running the hardening audit, or NULL */
	struct audit_job *audit_job;
	sd_event_source *audit_src;
	bool audit_again;		/* asked for while one was running */
};

/* Arm a one-shot timer source for when (CLOCK_MONOTONIC), or disable it
 * for UINT64_MAX. */
void daemon_arm_timer(struct daemon *dm, sd_event_source *s, uint64_t when);
/* Re-arm the verification timer for the next debounced path. */
void daemon_arm_verify(struct daemon *dm);
/* Queue a burst summary (a burst_flush() callback; userdata is dm). */
void daemon_push_summary(void *userdata, struct vevent *e);
/* Report started/reloaded/stopped. */
void daemon_report_lifecycle(struct daemon *dm, enum vevent_class cls, const char *what);
/* Write the state file and STATUS= now. */
void daemon_update_state(struct daemon *dm);
/* Correlate, rate-limit and queue e (takes ownership). */
void daemon_report(struct daemon *dm, struct vevent *e);
/* Events were lost: alert (at most once a second) and schedule a rescan.
 * kernel: the kernel said so (each counts); else vigild could not keep a
 * path (counted once until the rescan). */
void daemon_report_overflow(struct daemon *dm, const char *why, bool kernel);
void daemon_schedule_rescan(struct daemon *dm);
/* Something the state file shows changed: write it within a second. */
void daemon_state_dirty(struct daemon *dm);
/* Run fn(arg) on a worker thread; done (userdata dm) runs in the loop
 * when it has returned.  1: running, *ret_worker and *ret_src set.  0: it
 * could not be started that way and fn already ran here (slower, not
 * lost): the caller finishes the job at once. */
int daemon_start_job(struct daemon *dm, worker_fn fn, void *arg, sd_event_io_handler_t done,
		     struct worker **ret_worker, sd_event_source **ret_src);
/* Join a job's worker (after asking it to stop, with cancel) and drop its
 * event source; nothing if *worker is NULL. */
void daemon_join_job(struct worker **worker, sd_event_source **src, bool cancel);
/* Cancel and join every worker (verification, audit, rescan); at exit. */
void daemon_stop_workers(struct daemon *dm);
/* Cancel and join the verification worker, dropping its batch. */
void daemon_stop_verify(struct daemon *dm);
/* A monitor_fn: userdata is dm. */
void daemon_on_monitor_path(void *userdata, const char *path, unsigned flags, pid_t pid);

/* sd-event handlers; userdata is dm. */
int daemon_on_monitor_io(sd_event_source *s, int fd, uint32_t revents, void *userdata);
int daemon_on_verify_timer(sd_event_source *s, uint64_t usec, void *userdata);
int daemon_on_burst_timer(sd_event_source *s, uint64_t usec, void *userdata);
int daemon_on_state_timer(sd_event_source *s, uint64_t usec, void *userdata);
int daemon_on_rescan_timer(sd_event_source *s, uint64_t usec, void *userdata);
int daemon_on_check_timer(sd_event_source *s, uint64_t usec, void *userdata);
int daemon_on_audit_timer(sd_event_source *s, uint64_t usec, void *userdata);
