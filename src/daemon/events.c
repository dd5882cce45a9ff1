/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event pipeline and the periodic work of vigild (daemon.h): what the
 * sd-event loop calls.  Nothing here blocks on logging: events leave
 * through the log queue.
 */
#include <dirent.h>
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

static void state_dirty(struct daemon *dm)
{
	int enabled = SD_EVENT_OFF;

	(void)sd_event_source_get_enabled(dm->state_timer, &enabled);
	if (enabled == SD_EVENT_OFF)
		daemon_arm_timer(dm, dm->state_timer, now_monotonic_usec() + STATE_DELAY_USEC);
}

static void push_event(struct daemon *dm, struct vevent *e)
{
	(void)logq_push(dm->logq, e);	/* drops are counted and reported by the queue */
	dm->st.reported++;
	state_dirty(dm);
}

void daemon_push_summary(void *userdata, struct vevent *e)
{
	push_event(userdata, e);
}

/* Correlate, rate-limit, queue.  Takes ownership of e. */
static void report(struct daemon *dm, struct vevent *e)
{
	uint64_t now = now_monotonic_usec();

	posture_enrich(&dm->posture, e);
	if (!burst_admit(dm->burst, e->cls, e->severity, vevent_get(e, "VIGIL_PATH"), now)) {
		vevent_free(e);
		dm->st.summarized++;
		daemon_arm_timer(dm, dm->burst_timer, burst_next_due(dm->burst));
		state_dirty(dm);
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
		report(rc->dm, e);
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

static int on_rescan_done(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;
	struct scan_result res = { 0 };
	struct diag d = { "" };
	bool is_check = dm->job_is_check, stale = dm->job_reloads != dm->st.reloads;
	int r;

	(void)s;
	(void)fd;
	(void)revents;
	dm->job_src = sd_event_source_unref(dm->job_src);
	r = rescan_job_finish(TAKE_PTR(dm->job), &res, &d);
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
	return 0;
}

/* One scan at a time; a request during a scan runs once it is done (lost
 * events must be looked for after they were lost). */
static void start_rescan(struct daemon *dm, bool is_check)
{
	int r;

	if (dm->job) {
		dm->job_again = true;
		dm->job_again_check |= is_check;
		return;
	}
	r = rescan_job_start(dm->sel, &dm->root, dm->conf.threads, &dm->job);
	if (r < 0) {
		log_error_errno(r, "cannot start a rescan: %m");
		return;
	}
	dm->job_is_check = is_check;
	dm->job_reloads = dm->st.reloads;
	r = sd_event_add_io(dm->loop, &dm->job_src, rescan_job_fd(dm->job), EPOLLIN, on_rescan_done, dm);
	if (r < 0) {
		/* Without a completion event, wait for it here: slower, not lost. */
		log_warning_errno(r, "sd_event_add_io: %m; rescanning synchronously");
		dm->job_src = NULL;
		(void)on_rescan_done(NULL, -1, 0, dm);
	}
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

static void schedule_rescan(struct daemon *dm)
{
	if (dm->rescan_all)
		return;
	dm->rescan_all = true;
	daemon_arm_timer(dm, dm->rescan_timer, now_monotonic_usec() + RESCAN_DELAY_USEC);
}

/* One alert per second at most: every overflow in that second is covered
 * by the same rescan, and the next alert counts the ones in between. */
#define OVERFLOW_ALERT_INTERVAL_USEC (1000 * 1000ULL)

static void report_overflow(struct daemon *dm, const char *why)
{
	uint64_t now = now_monotonic_usec();
	struct vevent *e;

	dm->st.overflows++;
	dm->overflows_unalerted++;
	schedule_rescan(dm);
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

static void emit_audit_event(void *userdata, struct vevent *e)
{
	report(userdata, e);
}

int daemon_on_audit_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;
	struct posture_audit_result res;
	struct diag d = { "" };
	int r;

	(void)s;
	(void)usec;
	r = posture_audit_run(dm->audit, &dm->root, now_realtime_usec(), &dm->posture, emit_audit_event, dm, &res,
			      &d);
	if (r < 0)
		log_error_errno(r, "hardening audit failed, keeping the previous posture: %s",
				d.msg[0] ? d.msg : "error");
	else {
		dm->st.last_audit_usec = now_realtime_usec();
		dm->st.audit_failed = res.fail;
	}
	daemon_arm_timer(dm, dm->audit_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.audit_interval_usec, schedule_random()));
	daemon_update_state(dm);
	return 0;
}

/* ---- monitor -> debounce -> verify ---- */

static void touch(struct daemon *dm, const char *path, pid_t pid)
{
	int r = debounce_touch(dm->deb, path, now_monotonic_usec(), (uint32_t)pid);

	if (r == -ENOSPC)
		report_overflow(dm, "too many paths pending verification");
	else if (r < 0)
		report_overflow(dm, "out of memory queueing a path");
}

void daemon_on_monitor_path(void *userdata, const char *path, unsigned flags, pid_t pid)
{
	struct daemon *dm = userdata;

	if (flags & MONITOR_EV_OVERFLOW) {
		report_overflow(dm, "kernel event queue overflow");
		return;
	}
	if (pid > 0)
		procinfo_note(&dm->procs, pid, now_monotonic_usec());
	touch(dm, path, pid);
}

void daemon_arm_verify(struct daemon *dm)
{
	daemon_arm_timer(dm, dm->verify_timer, debounce_next_due(dm->deb));
}

int daemon_on_monitor_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;
	int r;

	(void)s;
	(void)fd;
	(void)revents;
	r = monitor_dispatch(dm->mon, daemon_on_monitor_path, dm);
	if (r < 0) {
		/* The fd stays readable: going on would spin.  A monitor that
		 * cannot be read is no monitor; exit and let systemd restart us
		 * (Restart=on-failure) rather than pretend to watch. */
		log_error_errno(r, "reading %s events failed, stopping: %m", monitor_name(dm->mon));
		return sd_event_exit(dm->loop, r);
	}
	daemon_arm_verify(dm);
	state_dirty(dm);
	return 0;
}

/* A new directory: its entries are new too, and (fanotify) no event says
 * so if it was moved in whole.  Bounded; a huge tree means a rescan. */
static int touch_tree(struct daemon *dm, const char *dir, unsigned depth, size_t *budget)
{
	DIR *dp;
	struct dirent *de;
	int r = 0;

	if (depth > 64)
		return 0;
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((de = readdir(dp))) {
		_cleanup_free_ char *p = NULL;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if ((*budget)-- == 0) {
			r = -E2BIG;
			break;
		}
		p = path_join(dir, de->d_name);
		if (!p || !monitor_path_selected(dm->sel, p))
			continue;
		touch(dm, p, 0);
		if (de->d_type == DT_DIR) {
			r = touch_tree(dm, p, depth + 1, budget);
			if (r < 0)
				break;
		}
	}
	closedir(dp);
	return r;
}

/* A directory of the baseline is gone: so are its recorded children, whose
 * own events may have been unresolvable (their directory was gone). */
static void touch_baseline_children(struct daemon *dm, const char *dir)
{
	size_t idx, l = strlen(dir);
	struct vrecord r;

	if (baseline_lookup_path(dm->base, dir, &idx) < 0)
		return;
	for (size_t i = idx + 1; i < baseline_count(dm->base); i++) {
		baseline_record(dm->base, i, &r);
		/* path_compare() puts a directory's entries right after it. */
		if (strncmp(r.path, dir, l) != 0 || r.path[l] != '/')
			break;
		touch(dm, r.path, 0);
	}
}

/* Who changed it, as far as the kernel told us (procinfo.h). */
static void attribute(struct daemon *dm, struct vevent *e, pid_t pid)
{
	const struct procinfo *pi;

	if (pid <= 0)
		return;
	vevent_addf(e, "VIGIL_PID", "%d", (int)pid);
	pi = procinfo_get(&dm->procs, pid, now_monotonic_usec());
	if (!pi)
		return;
	if (pi->exe[0])
		vevent_add(e, "VIGIL_EXE", pi->exe);
	if (pi->have_uid)
		vevent_addf(e, "VIGIL_UID", "%u", (unsigned)pi->uid);
	if (pi->exe[0])
		vevent_message(e, " by %s[%d]", pi->exe, (int)pid);
}

/* One verified path of a batch, kept until renames are paired. */
struct verified {
	char *path;
	struct vevent *e;	/* NULL: nothing to report */
	struct verify_info info;
	pid_t pid;
};

static void verify_path(struct daemon *dm, struct verified *v)
{
	const struct watch_rule *rule = selection_rule_for(dm->sel, v->path);
	int r;

	if (!rule || !monitor_path_selected(dm->sel, v->path))
		return;
	dm->st.verified++;
	r = verifier_check_path(dm->ver, &dm->root, dm->base, rule, v->path, &v->e, &v->info);
	if (r < 0) {
		log_debug_errno(r, "%s: cannot verify: %m", v->path);
		v->e = NULL;
		return;
	}
	if (r == 0)
		v->e = NULL;
	if (v->info.was_dir && !v->info.is_dir)
		touch_baseline_children(dm, v->path);
	else if (v->info.is_dir && !v->info.was_dir) {
		size_t budget = NEW_TREE_MAX;

		if (touch_tree(dm, v->path, 0, &budget) == -E2BIG)
			schedule_rescan(dm);
	}
}

static bool same_file(const struct verify_info *a, const struct verify_info *b)
{
	return a->ino == b->ino && a->has_sha256 && b->has_sha256 && memcmp(a->sha256, b->sha256, SHA256_LEN) == 0;
}

/* A rename is a deletion and a creation of the same inode with the same
 * content, verified in the same batch: report one "moved" event. */
static void pair_moves(struct verified *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i].e || v[i].info.action != CHANGE_DELETED)
			continue;
		for (size_t k = 0; k < n; k++)
			if (v[k].e && v[k].info.action == CHANGE_CREATED && same_file(&v[i].info, &v[k].info)) {
				verifier_make_moved(v[k].e, v[i].path);
				v[i].e = vevent_free(v[i].e);
				break;
			}
	}
}

/* Slack when taking due paths: the two halves of a rename are touched
 * microseconds apart and should land in one batch. */
#define VERIFY_SLACK_USEC (20 * 1000ULL)

int daemon_on_verify_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;
	uint64_t now = now_monotonic_usec();
	struct verified batch[VERIFY_BATCH];
	size_t n = 0;
	uint32_t pid;

	(void)s;
	(void)usec;
	while (n < VERIFY_BATCH && debounce_pop_due(dm->deb, now + VERIFY_SLACK_USEC, &batch[n].path, &pid) > 0) {
		batch[n].e = NULL;
		batch[n].pid = (pid_t)pid;
		memset(&batch[n].info, 0, sizeof(batch[n].info));
		verify_path(dm, &batch[n]);
		n++;
	}
	pair_moves(batch, n);
	for (size_t i = 0; i < n; i++) {
		if (batch[i].e) {
			attribute(dm, batch[i].e, batch[i].pid);
			report(dm, batch[i].e);
		}
		free(batch[i].path);
	}
	daemon_arm_verify(dm);
	state_dirty(dm);
	return 0;
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
