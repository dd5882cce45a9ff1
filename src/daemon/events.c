/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reporting and the periodic work of vigild (daemon.h): the way every
 * event leaves (correlation, burst limiter, log queue), the state file,
 * rescans and the full check, the hardening audit.  The file pipeline is
 * in pipeline.c.  Nothing here blocks on logging: events leave through
 * the log queue; slow work (scans, the audit) runs on worker threads.
 */
#include <systemd/sd-daemon.h>

#include "change.h"
#include "daemon.h"
#include "log.h"
#include "rescan.h"
#include "scan.h"
#include "schedule.h"

void daemon_arm_timer(struct daemon *dm, sd_event_source *s, uint64_t when)
{
	if (when == UINT64_MAX) {
		(void)sd_event_source_set_enabled(s, SD_EVENT_OFF);
		return;
	}
	(void)sd_event_source_set_time(s, when);
	(void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	(void)dm;
}

void daemon_state_dirty(struct daemon *dm)
{
	int enabled = SD_EVENT_OFF;

	(void)sd_event_source_get_enabled(dm->state_timer, &enabled);
	if (enabled == SD_EVENT_OFF)
		daemon_arm_timer(dm, dm->state_timer, now_monotonic_usec() + STATE_DELAY_USEC);
}

static void push_event(struct daemon *dm, struct vevent *e)
{
	/* A drop is counted by the queue (st.dropped), not as reported. */
	if (logq_push(dm->logq, e) >= 0)
		dm->st.reported++;
	daemon_state_dirty(dm);
}

void daemon_push_summary(void *userdata, struct vevent *e)
{
	push_event(userdata, e);
}

void daemon_report(struct daemon *dm, struct vevent *e)
{
	uint64_t now = now_monotonic_usec();

	posture_enrich(&dm->posture, e);
	if (!burst_admit(dm->burst, e->cls, e->severity, vevent_get(e, "VIGIL_PATH"), now)) {
		vevent_free(e);
		dm->st.summarized++;
		daemon_arm_timer(dm, dm->burst_timer, burst_next_due(dm->burst));
		daemon_state_dirty(dm);
		return;
	}
	push_event(dm, e);
}

void daemon_report_lifecycle(struct daemon *dm, enum vevent_class cls, const char *what)
{
	struct vevent *e;

	if (vevent_new(cls, SEVERITY_INFO, &e) < 0)
		return;
	vevent_add(e, "VIGIL_MONITOR", dm->mon ? monitor_name(dm->mon) : "none");
	vevent_add(e, "VIGIL_DATABASE", dm->db_path);
	vevent_addf(e, "VIGIL_DAEMON_PID", "%d", (int)getpid());
	vevent_message(e, "vigild %s (%s, %zu watched paths, baseline %s with %zu records)", what,
		       dm->mon ? monitor_name(dm->mon) : "no monitor", dm->sel->n_rules, dm->db_path,
		       dm->base ? baseline_count(dm->base) : 0);
	push_event(dm, e);
}

/* ---- state and STATUS= ---- */

void daemon_update_state(struct daemon *dm)
{
	struct logq_stats ls;
	char status[256];
	int r;

	logq_get_stats(dm->logq, &ls);
	dm->st.dropped = ls.dropped;
	dm->st.pending = debounce_pending(dm->deb);
	if (dm->mon) {
		dm->st.kernel_events = dm->mon_events_before + dm->mon->stats.events;
		dm->st.unresolved = dm->mon_unresolved_before + dm->mon->stats.unresolved;
		dm->st.watches = dm->mon->stats.watches;
	}
	dm->st.updated_usec = now_realtime_usec();
	r = state_write(dm->opt.state_file, &dm->st);
	if (r < 0 && !dm->state_warned) {
		log_warning_errno(r, "%s: cannot write the state file (vigil status will not see vigild): %m",
				  dm->opt.state_file);
		dm->state_warned = true;
	} else if (r >= 0)
		dm->state_warned = false;
	snprintf(status, sizeof(status),
		 "STATUS=%s: %llu events reported, %llu summarized, %llu dropped, %llu overflows, %llu pending",
		 dm->st.monitor, (unsigned long long)dm->st.reported, (unsigned long long)dm->st.summarized,
		 (unsigned long long)dm->st.dropped, (unsigned long long)dm->st.overflows,
		 (unsigned long long)dm->st.pending);
	(void)sd_notify(0, status);
}

int daemon_on_state_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	daemon_update_state(userdata);
	return 0;
}

/* ---- rescans (overflow, periodic full check) ---- */

struct rescan_ctx {
	struct daemon *dm;
	uint64_t changes;
};

static int on_rescan_change(const struct change *c, void *userdata)
{
	struct rescan_ctx *rc = userdata;
	struct vevent *e = NULL;
	int r;

	rc->changes++;
	r = verifier_check_change(rc->dm->ver, c, &e);
	if (r > 0)
		daemon_report(rc->dm, e);
	return 0;
}

static bool rescan_keep(const char *path, const void *userdata)
{
	return monitor_path_selected(userdata, path);
}

/* Diff a finished scan with the baseline and report what is new.  The
 * baseline is read in place, not copied. */
static int rescan_diff(struct daemon *dm, const struct scan_result *res)
{
	struct rescan_ctx rc = { .dm = dm };
	/* Only the baseline records this daemon watches (--watch may narrow). */
	struct baseline_iter it = { .b = dm->base, .keep = rescan_keep, .userdata = dm->sel };
	struct record_iter old = { baseline_iter_next, &it };
	int r;

	r = change_diff_iter(&old, res->recs, res->n, on_rescan_change, &rc);
	if (r < 0)
		return log_error_errno(r, "rescan: %m");
	return (int)MIN(rc.changes, (uint64_t)INT32_MAX);
}

static void start_rescan(struct daemon *dm, bool is_check);

static void check_done(struct daemon *dm, int changes)
{
	struct vevent *e;

	dm->st.last_check_usec = now_realtime_usec();
	dm->st.check_changes = (uint64_t)changes;
	if (vevent_new(VEVENT_CHECK_SUMMARY, changes > 0 ? SEVERITY_MEDIUM : SEVERITY_INFO, &e) == 0) {
		vevent_addf(e, "VIGIL_COUNT", "%d", changes);
		vevent_message(e, "periodic integrity check: %d deviations from the baseline", changes);
		push_event(dm, e);
	}
}

/* The loop's half of a scan: diff it with the baseline and report. */
static void rescan_finish(struct daemon *dm, struct rescan_job *job)
{
	struct scan_result res = { 0 };
	struct diag d = { "" };
	bool is_check = dm->job_is_check, stale = dm->job_reloads != dm->st.reloads;
	int r;

	r = rescan_job_finish(job, &res, &d);
	if (r < 0)
		log_error_errno(r, "rescan failed: %s", d.msg[0] ? d.msg : "scan error");
	else if (stale) {
		/* Scanned with the selection of before a reload: do it again. */
		scan_result_free(&res);
		dm->job_again = true;
		dm->job_again_check |= is_check;
	} else {
		r = rescan_diff(dm, &res);
		scan_result_free(&res);
		if (r >= 0 && is_check)
			check_done(dm, r);
	}
	if (dm->job_again) {
		bool check = dm->job_again_check;

		dm->job_again = dm->job_again_check = false;
		start_rescan(dm, check);
	}
	daemon_update_state(dm);
}

static int on_rescan_done(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)fd;
	(void)revents;
	daemon_join_job(&dm->job_worker, &dm->job_src, false);
	rescan_finish(dm, TAKE_PTR(dm->job));
	return 0;
}

/* One scan at a time; a request during a scan runs once it is done (lost
 * events must be looked for after they were lost). */
static void start_rescan(struct daemon *dm, bool is_check)
{
	struct rescan_job *job;
	int r;

	if (dm->job) {
		dm->job_again = true;
		dm->job_again_check |= is_check;
		return;
	}
	r = rescan_job_new(dm->sel, &dm->root, dm->conf.threads, &job);
	if (r < 0) {
		log_error_errno(r, "cannot start a rescan: %m");
		return;
	}
	dm->job_is_check = is_check;
	dm->job_reloads = dm->st.reloads;
	if (daemon_start_job(dm, rescan_job_main, job, on_rescan_done, &dm->job_worker, &dm->job_src) > 0)
		dm->job = job;
	else
		rescan_finish(dm, job);
}

int daemon_on_rescan_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)usec;
	if (!dm->rescan_all)
		return 0;
	dm->rescan_all = false;
	log_info("rescanning the watched paths after lost events");
	start_rescan(dm, false);
	return 0;
}

void daemon_schedule_rescan(struct daemon *dm)
{
	if (dm->rescan_all)
		return;
	dm->rescan_all = true;
	daemon_arm_timer(dm, dm->rescan_timer, now_monotonic_usec() + RESCAN_DELAY_USEC);
}

/* One alert per second at most: every overflow in that second is covered
 * by the same rescan, and the next alert counts the ones in between. */
#define OVERFLOW_ALERT_INTERVAL_USEC (1000 * 1000ULL)

void daemon_report_overflow(struct daemon *dm, const char *why, bool kernel)
{
	uint64_t now = now_monotonic_usec();
	struct vevent *e;

	/* Each kernel overflow counts; a full debounce set fails every path
	 * touched until the rescan, but that is one loss, not one per path. */
	if (!kernel && dm->rescan_all)
		return;
	dm->st.overflows++;
	dm->overflows_unalerted++;
	daemon_schedule_rescan(dm);
	if (dm->overflow_alert_usec && now - dm->overflow_alert_usec < OVERFLOW_ALERT_INTERVAL_USEC)
		return;
	if (vevent_new(VEVENT_QUEUE_OVERFLOW, SEVERITY_HIGH, &e) < 0)
		return;	/* retried at the next overflow; the count is in the state file */
	vevent_add(e, "VIGIL_MONITOR", dm->mon ? monitor_name(dm->mon) : "none");
	vevent_add(e, "VIGIL_REASON", why);
	vevent_addf(e, "VIGIL_COUNT", "%llu", (unsigned long long)dm->overflows_unalerted);
	vevent_message(e, "events lost (%s); rescanning the watched paths against the baseline", why);
	push_event(dm, e);	/* never summarised away */
	dm->overflow_alert_usec = now;
	dm->overflows_unalerted = 0;
}

int daemon_on_check_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)usec;
	start_rescan(dm, true);
	daemon_arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	daemon_update_state(dm);
	return 0;
}

/* ---- the hardening audit ---- */

struct audit_job {
	const struct posture_audit *pa;	/* only its immutable directory list is read */
	const struct rootfs *root;
	/* Written by the worker, read after worker_join(). */
	struct audit_report *rep;
	struct diag d;
	int r;
};

static void audit_job_main(void *arg, const atomic_bool *cancel)
{
	struct audit_job *j = arg;

	j->r = posture_audit_collect(j->pa, j->root, cancel, &j->rep, &j->d);
}

static void emit_audit_event(void *userdata, struct vevent *e)
{
	/* Verdict changes are bounded by the number of checks and are what
	 * the operator must see: never folded into a burst summary. */
	struct daemon *dm = userdata;

	posture_enrich(&dm->posture, e);
	push_event(dm, e);
}

static void audit_finish(struct daemon *dm, struct audit_job *j)
{
	struct posture_audit_result res;
	int r = j->r;

	if (r >= 0)
		r = posture_audit_apply(dm->audit, j->rep, now_realtime_usec(), &dm->posture, emit_audit_event, dm,
					&res);
	if (r < 0)
		log_error("hardening audit failed, keeping the previous posture: %s",
			  !diag_empty(&j->d) ? j->d.msg : strerror(-r));
	else {
		dm->st.last_audit_usec = now_realtime_usec();
		dm->st.audit_failed = res.fail;
	}
	audit_report_free(j->rep);
	free(j);
	if (dm->audit_again && dm->conf.daemon.audit_interval_usec) {
		/* A reload during the run: its checks or configuration may be new. */
		dm->audit_again = false;
		daemon_arm_timer(dm, dm->audit_timer, now_monotonic_usec());
	} else
		daemon_arm_timer(dm, dm->audit_timer,
			  schedule_next(now_monotonic_usec(), dm->conf.daemon.audit_interval_usec, schedule_random()));
	daemon_update_state(dm);
}

static int on_audit_done(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)fd;
	(void)revents;
	daemon_join_job(&dm->audit_worker, &dm->audit_src, false);
	audit_finish(dm, TAKE_PTR(dm->audit_job));
	return 0;
}

int daemon_on_audit_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;
	struct audit_job *j;

	(void)s;
	(void)usec;
	if (dm->audit_worker) {	/* still running (a reload asked again): it re-arms when done */
		dm->audit_again = true;
		return 0;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		log_error("hardening audit: out of memory, retrying at the next interval");
		daemon_arm_timer(dm, dm->audit_timer,
			  schedule_next(now_monotonic_usec(), dm->conf.daemon.audit_interval_usec, schedule_random()));
		return 0;
	}
	j->pa = dm->audit;
	j->root = &dm->root;
	if (daemon_start_job(dm, audit_job_main, j, on_audit_done, &dm->audit_worker, &dm->audit_src) > 0)
		dm->audit_job = j;
	else
		audit_finish(dm, j);
	return 0;
}

int daemon_start_job(struct daemon *dm, worker_fn fn, void *arg, sd_event_io_handler_t done,
		     struct worker **ret_worker, sd_event_source **ret_src)
{
	atomic_bool no = false;
	int r;

	r = worker_start(fn, arg, ret_worker);
	if (r >= 0) {
		r = sd_event_add_io(dm->loop, ret_src, worker_fd(*ret_worker), EPOLLIN, done, dm);
		if (r >= 0)
			return 1;
		log_warning_errno(r, "sd_event_add_io: %m; waiting for the worker");
		*ret_worker = worker_join(*ret_worker);
		return 0;
	}
	log_warning_errno(r, "cannot start a worker thread, working in the loop: %m");
	fn(arg, &no);
	return 0;
}

void daemon_join_job(struct worker **worker, sd_event_source **src, bool cancel)
{
	if (!*worker)
		return;
	if (cancel)
		worker_cancel(*worker);
	*src = sd_event_source_unref(*src);
	*worker = worker_join(*worker);
}

void daemon_stop_workers(struct daemon *dm)
{
	/* Ask every worker first, then wait: stopping takes as long as the
	 * slowest one needs to notice, not the sum of them. */
	if (dm->verify_worker)
		worker_cancel(dm->verify_worker);
	if (dm->audit_worker)
		worker_cancel(dm->audit_worker);
	if (dm->job_worker)
		worker_cancel(dm->job_worker);
	daemon_stop_verify(dm);
	if (dm->audit_worker) {
		daemon_join_job(&dm->audit_worker, &dm->audit_src, true);
		audit_report_free(dm->audit_job->rep);
		free(TAKE_PTR(dm->audit_job));
	}
	if (dm->job_worker) {
		struct scan_result res = { 0 };

		daemon_join_job(&dm->job_worker, &dm->job_src, true);
		if (rescan_job_finish(TAKE_PTR(dm->job), &res, NULL) >= 0)
			scan_result_free(&res);
	}
}

int daemon_on_burst_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)usec;
	(void)burst_flush(dm->burst, now_monotonic_usec(), false, daemon_push_summary, dm);
	daemon_arm_timer(dm, dm->burst_timer, burst_next_due(dm->burst));
	return 0;
}
