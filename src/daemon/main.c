/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild: the event loop and the daemon's state.  Everything mutable lives
 * in one struct daemon owned by main(); the modules it drives (monitor,
 * debounce, verify, burst, log queue) own their own parts.
 *
 * Flow: kernel event -> monitor (path, selection filter) -> debounce ->
 * verify against the baseline -> posture correlation -> burst limiter ->
 * log queue -> writer thread -> journald/stderr.  Everything up to the
 * queue runs in this thread and never waits for logging.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "baseline.h"
#include "burst.h"
#include "change.h"
#include "conf.h"
#include "correlate.h"
#include "debounce.h"
#include "diag.h"
#include "event-journal.h"
#include "log.h"
#include "monitor.h"
#include "posture-audit.h"
#include "procinfo.h"
#include "queue.h"
#include "rootfs.h"
#include "scan.h"
#include "schedule.h"
#include "state.h"
#include "verify.h"

#define LOG_QUEUE_CAPACITY 8192
#define MAX_PENDING 65536
/* Paths verified per wakeup before the loop looks at the kernel again. */
#define VERIFY_BATCH 256
/* Entries of a new directory queued for verification before a rescan is
 * cheaper than walking. */
#define NEW_TREE_MAX 4096
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
	bool rescan_all;
	uint64_t watchdog_usec;		/* WATCHDOG_USEC, 0 if not supervised */
	uint64_t last_keepalive;	/* during a rescan, when WATCHDOG=1 was sent */
};

static void help(void)
{
	printf("Usage: vigild [OPTIONS]\n\n"
	       "Real-time integrity monitor: verifies changed files against the baseline\n"
	       "and reports deviations to journald.\n\n"
	       "  -f --foreground          log events to stderr (text) unless --log-target says otherwise\n"
	       "     --log-target=TARGET  journal, json (stderr) or stderr (text)\n"
	       "  -c --config=FILE        configuration (default " VIGIL_DEFAULT_CONFIG ")\n"
	       "     --db=FILE            baseline database (default: from the configuration)\n"
	       "  -w --watch=PATH         watch PATH instead of the configured paths (repeatable)\n"
	       "     --state-file=FILE    counters for 'vigil status' (default " STATE_FILE ")\n"
	       "     --checks-dir=DIR     hardening checks from DIR (repeatable; default " VIGIL_DATADIR
	       "/checks.d\n"
	       "                          then " VIGIL_CONFDIR "/checks.d)\n"
	       "  -h --help               this help\n"
	       "     --version            version\n\n"
	       "See vigild(8).\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { ARG_LOG_TARGET = 0x100, ARG_DB, ARG_STATE, ARG_CHECKS_DIR, ARG_VERSION };
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "log-target", required_argument, NULL, ARG_LOG_TARGET },
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, ARG_DB },
		{ "watch", required_argument, NULL, 'w' },
		{ "state-file", required_argument, NULL, ARG_STATE },
		{ "checks-dir", required_argument, NULL, ARG_CHECKS_DIR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, ARG_VERSION },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fc:w:h", longopts, NULL)) >= 0)
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case ARG_LOG_TARGET:
			if (log_target_from_string(optarg, &o->target) < 0)
				return log_error_errno(-EINVAL, "--log-target: '%s' is not journal, json or stderr",
						       optarg);
			o->target_set = true;
			break;
		case 'c':
			o->config = optarg;
			break;
		case ARG_DB:
			o->db = optarg;
			break;
		case 'w': {
			size_t alloc = o->n_watch;

			if (grow_array((void **)&o->watch, &alloc, o->n_watch + 1, sizeof(char *)) < 0)
				return log_error_errno(-ENOMEM, "out of memory");
			o->watch[o->n_watch++] = optarg;
			break;
		}
		case ARG_STATE:
			o->state_file = optarg;
			break;
		case ARG_CHECKS_DIR: {
			size_t alloc = o->n_checks_dirs;

			if (grow_array((void **)&o->checks_dirs, &alloc, o->n_checks_dirs + 1, sizeof(char *)) < 0)
				return log_error_errno(-ENOMEM, "out of memory");
			o->checks_dirs[o->n_checks_dirs++] = optarg;
			break;
		}
		case 'h':
			help();
			exit(EXIT_SUCCESS);
		case ARG_VERSION:
			printf("vigild %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		default:
			return -EINVAL;
		}
	if (optind < argc)
		return log_error_errno(-EINVAL, "unexpected argument '%s'; see vigild --help", argv[optind]);
	if (!o->target_set)
		o->target = o->foreground ? LOG_TARGET_TEXT : LOG_TARGET_JOURNAL;
	if (!o->state_file)
		o->state_file = STATE_FILE;
	return 0;
}

/* ---- reporting ---- */

static void arm_timer(struct daemon *dm, sd_event_source *s, uint64_t when)
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
		arm_timer(dm, dm->state_timer, now_monotonic_usec() + STATE_DELAY_USEC);
}

static void push_event(struct daemon *dm, struct vevent *e)
{
	(void)logq_push(dm->logq, e);	/* drops are counted and reported by the queue */
	dm->st.reported++;
	state_dirty(dm);
}

static void push_summary(void *userdata, struct vevent *e)
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
		arm_timer(dm, dm->burst_timer, burst_next_due(dm->burst));
		state_dirty(dm);
		return;
	}
	push_event(dm, e);
}

static void report_daemon_event(struct daemon *dm, enum vevent_class cls, const char *what)
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

static void update_state(struct daemon *dm)
{
	struct logq_stats ls;
	char status[256];
	int r;

	logq_get_stats(dm->logq, &ls);
	dm->st.dropped = ls.dropped;
	dm->st.pending = debounce_pending(dm->deb);
	if (dm->mon) {
		dm->st.kernel_events = dm->mon->stats.events;
		dm->st.unresolved = dm->mon->stats.unresolved;
		dm->st.watches = dm->mon->stats.watches;
	}
	dm->st.updated_usec = now_realtime_usec();
	r = state_write(dm->opt.state_file, &dm->st);
	if (r < 0)
		log_debug_errno(r, "%s: cannot write state: %m", dm->opt.state_file);
	snprintf(status, sizeof(status),
		 "STATUS=%s: %llu events reported, %llu summarized, %llu dropped, %llu overflows, %llu pending",
		 dm->st.monitor, (unsigned long long)dm->st.reported, (unsigned long long)dm->st.summarized,
		 (unsigned long long)dm->st.dropped, (unsigned long long)dm->st.overflows,
		 (unsigned long long)dm->st.pending);
	(void)sd_notify(0, status);
}

static int on_state_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	update_state(userdata);
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

/* A full rescan hashes every watched file and may outlast WatchdogSec; while
 * it makes progress, vouch for it (the event loop cannot, it is waiting). */
static void rescan_progress(void *userdata, const struct scan_progress *p)
{
	struct daemon *dm = userdata;
	uint64_t now = now_monotonic_usec();

	(void)p;
	if (dm->watchdog_usec && now - dm->last_keepalive >= dm->watchdog_usec / 4) {
		(void)sd_notify(0, "WATCHDOG=1");
		dm->last_keepalive = now;
	}
}

static void rescan_problem(void *userdata, const char *path, int err, const char *what)
{
	(void)userdata;
	log_debug_errno(err, "rescan: %s: %s: %m", path, what);
}

/* Scan the whole selection and diff it with the baseline.  Synchronous: the
 * kernel keeps queueing meanwhile (and may overflow again, which only
 * schedules another rescan).  Returns the number of deviations or -errno. */
static int rescan(struct daemon *dm)
{
	struct scan_options so = {
		.root = &dm->root, .threads = dm->conf.threads, .problem = rescan_problem,
		.progress = rescan_progress, .userdata = dm,
	};
	struct scan_result res = { 0 };
	struct rescan_ctx rc = { .dm = dm };
	struct vrecord *old = NULL;
	size_t n_old = 0, n = baseline_count(dm->base);
	struct diag d = { "" };
	int r;

	r = scan_run(dm->sel, &so, &res, &d);
	if (r < 0)
		return log_error_errno(r, "rescan failed: %s", d.msg[0] ? d.msg : "scan error");
	old = calloc(n ? n : 1, sizeof(*old));
	if (!old) {
		scan_result_free(&res);
		return log_error_errno(-ENOMEM, "rescan: out of memory");
	}
	/* Only the baseline records this daemon watches (--watch may narrow). */
	for (size_t i = 0; i < n; i++) {
		baseline_record(dm->base, i, &old[n_old]);
		if (monitor_path_selected(dm->sel, old[n_old].path))
			n_old++;
	}
	r = change_diff(old, n_old, res.recs, res.n, on_rescan_change, &rc);
	free(old);
	scan_result_free(&res);
	if (r < 0)
		return log_error_errno(r, "rescan: %m");
	return (int)MIN(rc.changes, (uint64_t)INT32_MAX);
}

static int on_rescan_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)usec;
	if (!dm->rescan_all)
		return 0;
	dm->rescan_all = false;
	log_info("rescanning the watched paths after lost events");
	(void)rescan(dm);
	update_state(dm);
	return 0;
}

static void schedule_rescan(struct daemon *dm)
{
	if (dm->rescan_all)
		return;
	dm->rescan_all = true;
	arm_timer(dm, dm->rescan_timer, now_monotonic_usec() + RESCAN_DELAY_USEC);
}

static void report_overflow(struct daemon *dm, const char *why)
{
	struct vevent *e;

	dm->st.overflows++;
	if (vevent_new(VEVENT_QUEUE_OVERFLOW, SEVERITY_HIGH, &e) == 0) {
		vevent_add(e, "VIGIL_MONITOR", dm->mon ? monitor_name(dm->mon) : "none");
		vevent_add(e, "VIGIL_REASON", why);
		vevent_message(e, "events lost (%s); rescanning the watched paths against the baseline", why);
		push_event(dm, e);	/* never summarised away */
	}
	schedule_rescan(dm);
}

static int on_check_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;
	struct vevent *e;
	int r;

	(void)s;
	(void)usec;
	r = rescan(dm);
	if (r >= 0) {
		dm->st.last_check_usec = now_realtime_usec();
		dm->st.check_changes = (uint64_t)r;
		if (vevent_new(VEVENT_CHECK_SUMMARY, r > 0 ? SEVERITY_MEDIUM : SEVERITY_INFO, &e) == 0) {
			vevent_addf(e, "VIGIL_COUNT", "%d", r);
			vevent_message(e, "periodic integrity check: %d deviations from the baseline", r);
			push_event(dm, e);
		}
	}
	arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	update_state(dm);
	return 0;
}

static void emit_audit_event(void *userdata, struct vevent *e)
{
	report(userdata, e);
}

static int on_audit_timer(sd_event_source *s, uint64_t usec, void *userdata)
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
	arm_timer(dm, dm->audit_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.audit_interval_usec, schedule_random()));
	update_state(dm);
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

static void on_monitor_path(void *userdata, const char *path, unsigned flags, pid_t pid)
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

static void arm_verify(struct daemon *dm)
{
	arm_timer(dm, dm->verify_timer, debounce_next_due(dm->deb));
}

static int on_monitor_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;
	int r;

	(void)s;
	(void)fd;
	(void)revents;
	r = monitor_dispatch(dm->mon, on_monitor_path, dm);
	if (r < 0)
		log_error_errno(r, "reading %s events: %m", monitor_name(dm->mon));
	arm_verify(dm);
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

static int on_verify_timer(sd_event_source *s, uint64_t usec, void *userdata)
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
	arm_verify(dm);
	state_dirty(dm);
	return 0;
}

static int on_burst_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)usec;
	(void)burst_flush(dm->burst, now_monotonic_usec(), false, push_summary, dm);
	arm_timer(dm, dm->burst_timer, burst_next_due(dm->burst));
	return 0;
}

/* ---- configuration ---- */

/* Load configuration, selection and baseline into a fresh daemon-shaped
 * set of fields; on failure nothing of the running daemon is touched. */
struct loaded {
	struct vigil_conf conf;
	struct selection cmdline_sel;
	char *db_path;
	struct baseline *base;
};

static void loaded_done(struct loaded *l)
{
	conf_free(&l->conf);
	selection_free(&l->cmdline_sel);
	free(l->db_path);
	baseline_close(l->base);
	*l = (struct loaded){ 0 };
}

static int load(const struct options *o, struct loaded *l)
{
	struct diag d = { "" };
	int r;

	r = conf_load(o->config, &l->conf, &d);
	if (r < 0)
		return log_error_errno(r, "%s", d.msg[0] ? d.msg : "cannot load the configuration");
	for (size_t i = 0; i < o->n_watch; i++) {
		r = selection_add(&l->cmdline_sel, o->watch[i], ATTR_DEFAULT, true);
		if (r < 0)
			return log_error_errno(r, "--watch %s: %m", o->watch[i]);
	}
	for (size_t i = 0; o->n_watch && i < l->conf.sel.n_excludes; i++) {
		r = selection_add_exclude(&l->cmdline_sel, SIZE_MAX, l->conf.sel.excludes[i]);
		if (r < 0)
			return log_error_errno(r, "out of memory");
	}
	if (o->n_watch) {
		l->cmdline_sel.one_filesystem = l->conf.sel.one_filesystem;
		selection_finish(&l->cmdline_sel);
	}
	r = strdup_to(&l->db_path, o->db ? o->db : l->conf.database);
	if (r < 0)
		return log_error_errno(r, "out of memory");
	r = baseline_open(l->db_path, &l->base, &d);
	if (r == -ENOENT)
		return log_error_errno(r, "%s: no baseline; create it with 'vigil init'", l->db_path);
	if (r < 0)
		return log_error_errno(r, "%s", d.msg[0] ? d.msg : "cannot open the baseline");
	return 0;
}

/* Move l into dm (old values into l, for the caller to free). */
static void swap_loaded(struct daemon *dm, struct loaded *l)
{
	struct vigil_conf c = dm->conf;
	struct selection s = dm->cmdline_sel;
	char *p = dm->db_path;
	struct baseline *b = dm->base;

	dm->conf = l->conf;
	dm->cmdline_sel = l->cmdline_sel;
	dm->db_path = l->db_path;
	dm->base = l->base;
	l->conf = c;
	l->cmdline_sel = s;
	l->db_path = p;
	l->base = b;
	dm->sel = dm->opt.n_watch ? &dm->cmdline_sel : &dm->conf.sel;
	debounce_set_delay(dm->deb, dm->conf.daemon.debounce_usec);
	burst_set_limit(dm->burst, dm->conf.daemon.burst_limit);
	snprintf(dm->st.baseline, sizeof(dm->st.baseline), "%s", dm->db_path);
	dm->st.baseline_records = baseline_count(dm->base);
}

static int start_monitor(struct daemon *dm, const struct selection *sel, struct monitor **ret,
			 sd_event_source **ret_src)
{
	struct diag d = { "" };
	struct monitor *m = NULL;
	int r;

	r = monitor_new(dm->conf.daemon.monitor, sel, &m, &d);
	if (r < 0)
		return log_error_errno(r, "cannot monitor: %s", d.msg[0] ? d.msg : "error");
	r = sd_event_add_io(dm->loop, ret_src, m->fd, EPOLLIN, on_monitor_io, dm);
	if (r < 0) {
		monitor_free(m);
		return log_error_errno(r, "sd_event_add_io: %m");
	}
	*ret = m;
	return 0;
}

static int reload(struct daemon *dm)
{
	struct loaded l = { 0 };
	struct monitor *m = NULL, *old_mon;
	sd_event_source *src = NULL;
	const struct selection *new_sel;
	int r;

	(void)sd_notify(0, "RELOADING=1\nSTATUS=Reloading configuration and baseline");
	r = load(&dm->opt, &l);
	if (r < 0) {
		loaded_done(&l);
		log_warning("reload failed, keeping the running configuration");
		goto out;
	}
	/* New marks first, then the old monitor's last events, so that no
	 * change falls between the two. */
	new_sel = dm->opt.n_watch ? &l.cmdline_sel : &l.conf.sel;
	{
		enum monitor_mode saved = dm->conf.daemon.monitor;

		dm->conf.daemon.monitor = l.conf.daemon.monitor;
		r = start_monitor(dm, new_sel, &m, &src);
		dm->conf.daemon.monitor = saved;
	}
	if (r < 0) {
		loaded_done(&l);
		log_warning("reload failed, keeping the running configuration");
		goto out;
	}
	(void)monitor_dispatch(dm->mon, on_monitor_path, dm);
	old_mon = dm->mon;
	sd_event_source_unref(dm->mon_src);
	dm->mon = m;
	dm->mon_src = src;
	monitor_free(old_mon);
	swap_loaded(dm, &l);
	loaded_done(&l);
	dm->mon->sel = dm->sel;	/* the selection moved from l into dm */
	verifier_forget_all(dm->ver);
	snprintf(dm->st.monitor, sizeof(dm->st.monitor), "%s", monitor_name(dm->mon));
	dm->st.reloads++;
	report_daemon_event(dm, VEVENT_DAEMON_RELOADED, "reloaded");
	arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	/* Re-evaluate the checks now: the reload may have been for them. */
	arm_timer(dm, dm->audit_timer, dm->conf.daemon.audit_interval_usec ? now_monotonic_usec() : UINT64_MAX);
	arm_verify(dm);
out:
	(void)sd_notify(0, "READY=1");
	update_state(dm);
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct daemon *dm = userdata;

	if (si->ssi_signo == SIGHUP)
		return reload(dm);
	(void)sd_notify(0, "STOPPING=1");
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

/* ---- setup and teardown ---- */

static int add_timer(struct daemon *dm, sd_event_source **ret, uint64_t accuracy,
		     sd_event_time_handler_t handler)
{
	int r;

	r = sd_event_add_time(dm->loop, ret, CLOCK_MONOTONIC, UINT64_MAX, accuracy, handler, dm);
	if (r < 0)
		return log_error_errno(r, "sd_event_add_time: %m");
	(void)sd_event_source_set_enabled(*ret, SD_EVENT_OFF);
	return 0;
}

static int setup(struct daemon *dm)
{
	struct loaded l = { 0 };
	sigset_t mask;
	int r;

	/* Before any thread exists: threads inherit the mask, and a signal
	 * not blocked in the writer thread would be delivered there. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return log_error_errno(negative_errno(), "sigprocmask: %m");

	r = load(&dm->opt, &l);
	if (r < 0) {
		loaded_done(&l);
		return r;
	}
	r = rootfs_open(&dm->root, "/");
	if (r < 0) {
		loaded_done(&l);
		return log_error_errno(r, "cannot open /: %m");
	}
	if (debounce_new(l.conf.daemon.debounce_usec, MAX_PENDING, &dm->deb) < 0 ||
	    burst_new(l.conf.daemon.burst_limit, &dm->burst) < 0 || verifier_new(&dm->ver) < 0) {
		loaded_done(&l);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	swap_loaded(dm, &l);
	loaded_done(&l);
	r = logq_new(LOG_QUEUE_CAPACITY, dm->opt.target, STDERR_FILENO, NULL, NULL, &dm->logq);
	if (r < 0)
		return log_error_errno(r, "cannot start the logging thread: %m");

	r = sd_event_default(&dm->loop);
	if (r < 0)
		return log_error_errno(r, "sd_event_default: %m");
	if ((r = sd_event_add_signal(dm->loop, NULL, SIGTERM, on_signal, dm)) < 0 ||
	    (r = sd_event_add_signal(dm->loop, NULL, SIGINT, on_signal, dm)) < 0 ||
	    (r = sd_event_add_signal(dm->loop, NULL, SIGHUP, on_signal, dm)) < 0)
		return log_error_errno(r, "sd_event_add_signal: %m");
	if ((r = add_timer(dm, &dm->verify_timer, 1000, on_verify_timer)) < 0 ||
	    (r = add_timer(dm, &dm->burst_timer, 10000, on_burst_timer)) < 0 ||
	    (r = add_timer(dm, &dm->state_timer, 100000, on_state_timer)) < 0 ||
	    (r = add_timer(dm, &dm->rescan_timer, 10000, on_rescan_timer)) < 0 ||
	    (r = add_timer(dm, &dm->check_timer, 60 * 1000000ULL, on_check_timer)) < 0 ||
	    (r = add_timer(dm, &dm->audit_timer, 1000000ULL, on_audit_timer)) < 0)
		return r;
	{
		char *defaults[] = { VIGIL_DATADIR "/checks.d", VIGIL_CONFDIR "/checks.d" };

		if (dm->opt.n_checks_dirs)
			r = posture_audit_new(dm->opt.checks_dirs, dm->opt.n_checks_dirs, &dm->audit);
		else
			r = posture_audit_new(defaults, ELEMENTSOF(defaults), &dm->audit);
		if (r < 0)
			return log_error_errno(r, "out of memory");
	}
	r = start_monitor(dm, dm->sel, &dm->mon, &dm->mon_src);
	if (r < 0)
		return r;
	/* The writer thread is running; sd_event sends WATCHDOG=1 itself at
	 * half of WATCHDOG_USEC while the loop turns. */
	r = sd_event_set_watchdog(dm->loop, true);
	if (r < 0)
		log_warning_errno(r, "sd_event_set_watchdog: %m");
	if (sd_watchdog_enabled(false, &dm->watchdog_usec) <= 0)
		dm->watchdog_usec = 0;
	arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	/* The first audit right away: correlation needs a posture. */
	if (dm->conf.daemon.audit_interval_usec)
		arm_timer(dm, dm->audit_timer, now_monotonic_usec());
	snprintf(dm->st.monitor, sizeof(dm->st.monitor), "%s", monitor_name(dm->mon));
	dm->st.pid = (uint64_t)getpid();
	dm->st.started_usec = now_realtime_usec();
	return 0;
}

static void teardown(struct daemon *dm)
{
	if (dm->logq) {
		(void)burst_flush(dm->burst, now_monotonic_usec(), true, push_summary, dm);
		if (dm->mon)
			report_daemon_event(dm, VEVENT_DAEMON_STOPPED, "stopped");
		dm->logq = logq_free(dm->logq);
	}
	if (dm->st.pid)
		(void)unlink(dm->opt.state_file);
	sd_event_source_unref(dm->mon_src);
	sd_event_source_unref(dm->verify_timer);
	sd_event_source_unref(dm->burst_timer);
	sd_event_source_unref(dm->state_timer);
	sd_event_source_unref(dm->rescan_timer);
	sd_event_source_unref(dm->check_timer);
	sd_event_source_unref(dm->audit_timer);
	sd_event_unref(dm->loop);
	monitor_free(dm->mon);
	debounce_free(dm->deb);
	burst_free(dm->burst);
	verifier_free(dm->ver);
	posture_free(&dm->posture);
	posture_audit_free(dm->audit);
	baseline_close(dm->base);
	rootfs_close(&dm->root);
	selection_free(&dm->cmdline_sel);
	conf_free(&dm->conf);
	free(dm->db_path);
	free(dm->opt.watch);
	free(dm->opt.checks_dirs);
}

int main(int argc, char **argv)
{
	struct daemon dm = { .root = { .fd = -EBADF } };
	int r;

	log_set_program("vigild");
	r = parse_args(argc, argv, &dm.opt);
	if (r < 0) {
		free(dm.opt.watch);
		free(dm.opt.checks_dirs);
		return 2;
	}
	r = setup(&dm);
	if (r < 0)
		goto out;
	report_daemon_event(&dm, VEVENT_DAEMON_STARTED, "started");
	update_state(&dm);
	(void)sd_notify(0, "READY=1");
	r = sd_event_loop(dm.loop);
	if (r < 0)
		log_error_errno(r, "event loop: %m");
out:
	if (r < 0)
		(void)sd_notifyf(0, "ERRNO=%d", -r);
	teardown(&dm);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
