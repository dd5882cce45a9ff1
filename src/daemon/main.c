/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild: options, configuration (load and SIGHUP reload), setup of the
 * sd-event loop, signals and teardown.  The loop's handlers are in
 * events.c; the daemon's whole state is the struct daemon of main().
 */
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "daemon.h"
#include "diag.h"
#include "log.h"
#include "schedule.h"

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
	char *own;
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
	/* Never watch our own state file ("state", "state.tmpXXXXXX"): a
	 * watched /run would feed its writes back once a second.  A pattern
	 * with '/' matches the whole path (selection.h). */
	if (asprintf(&own, "%s*", o->state_file) < 0)
		return log_error_errno(-ENOMEM, "out of memory");
	r = selection_add_exclude(o->n_watch ? &l->cmdline_sel : &l->conf.sel, SIZE_MAX, own);
	free(own);
	if (r < 0)
		return log_error_errno(r, "out of memory");
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

static int start_monitor(struct daemon *dm, enum monitor_mode mode, const struct selection *sel,
			 struct monitor **ret, sd_event_source **ret_src)
{
	struct diag d = { "" };
	struct monitor *m = NULL;
	int r;

	r = monitor_new(mode, sel, &m, &d);
	if (r < 0)
		return log_error_errno(r, "cannot monitor: %s", d.msg[0] ? d.msg : "error");
	r = sd_event_add_io(dm->loop, ret_src, m->fd, EPOLLIN, daemon_on_monitor_io, dm);
	if (r < 0) {
		monitor_free(m);
		return log_error_errno(r, "sd_event_add_io: %m");
	}
	*ret = m;
	return 0;
}

static bool same_baseline_file(const struct baseline *a, const struct baseline *b)
{
	const struct baseline_meta *ma = baseline_get_meta(a), *mb = baseline_get_meta(b);

	return ma->created_usec == mb->created_usec && baseline_count(a) == baseline_count(b) &&
	       memcmp(ma->selection_hash, mb->selection_hash, sizeof(ma->selection_hash)) == 0;
}

static int reload(struct daemon *dm)
{
	bool same_baseline;
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
	r = start_monitor(dm, l.conf.daemon.monitor, new_sel, &m, &src);
	if (r < 0) {
		loaded_done(&l);
		log_warning("reload failed, keeping the running configuration");
		goto out;
	}
	/* Whatever the old monitor cannot hand over in a bounded time was
	 * lost to us: say so and rescan, as for a kernel overflow. */
	for (int i = 0; i < RELOAD_DRAIN_ROUNDS && (r = monitor_dispatch(dm->mon, daemon_on_monitor_path, dm)) > 0;
	     i++)
		;
	if (r != 0)
		daemon_report_overflow(dm, "events of the replaced monitor not read during the reload", true);
	old_mon = dm->mon;
	dm->mon_events_before += old_mon->stats.events;
	dm->mon_unresolved_before += old_mon->stats.unresolved;
	sd_event_source_unref(dm->mon_src);
	dm->mon = m;
	dm->mon_src = src;
	monitor_free(old_mon);
	same_baseline = same_baseline_file(dm->base, l.base);
	swap_loaded(dm, &l);
	loaded_done(&l);
	dm->mon->sel = dm->sel;	/* the selection moved from l into dm */
	/* What was reported is relative to the baseline: keep the memory
	 * unless the baseline itself changed (vigil update/accept). */
	if (!same_baseline)
		verifier_forget_all(dm->ver);
	snprintf(dm->st.monitor, sizeof(dm->st.monitor), "%s", monitor_name(dm->mon));
	dm->st.reloads++;
	daemon_report_lifecycle(dm, VEVENT_DAEMON_RELOADED, "reloaded");
	daemon_arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	/* Re-evaluate the checks now: the reload may have been for them. */
	daemon_arm_timer(dm, dm->audit_timer,
			 dm->conf.daemon.audit_interval_usec ? now_monotonic_usec() : UINT64_MAX);
	daemon_arm_verify(dm);
out:
	(void)sd_notify(0, "READY=1");
	daemon_update_state(dm);
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
	/* Under systemd, RuntimeDirectory= made it; by hand, make it. */
	if (streq(dm->opt.state_file, STATE_FILE) && mkdir(VIGIL_RUNDIR, 0755) < 0 && errno != EEXIST)
		log_warning_errno(negative_errno(), "cannot create " VIGIL_RUNDIR ": %m");
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
	if ((r = add_timer(dm, &dm->verify_timer, 1000, daemon_on_verify_timer)) < 0 ||
	    (r = add_timer(dm, &dm->burst_timer, 10000, daemon_on_burst_timer)) < 0 ||
	    (r = add_timer(dm, &dm->state_timer, 100000, daemon_on_state_timer)) < 0 ||
	    (r = add_timer(dm, &dm->rescan_timer, 10000, daemon_on_rescan_timer)) < 0 ||
	    (r = add_timer(dm, &dm->check_timer, 60 * 1000000ULL, daemon_on_check_timer)) < 0 ||
	    (r = add_timer(dm, &dm->audit_timer, 1000000ULL, daemon_on_audit_timer)) < 0)
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
	r = start_monitor(dm, dm->conf.daemon.monitor, dm->sel, &dm->mon, &dm->mon_src);
	if (r < 0)
		return r;
	/* The writer thread is running; sd_event sends WATCHDOG=1 itself at
	 * half of WATCHDOG_USEC while the loop turns. */
	r = sd_event_set_watchdog(dm->loop, true);
	if (r < 0)
		log_warning_errno(r, "sd_event_set_watchdog: %m");
	daemon_arm_timer(dm, dm->check_timer,
		  schedule_next(now_monotonic_usec(), dm->conf.daemon.check_interval_usec, schedule_random()));
	/* The first audit right away: correlation needs a posture. */
	if (dm->conf.daemon.audit_interval_usec)
		daemon_arm_timer(dm, dm->audit_timer, now_monotonic_usec());
	snprintf(dm->st.monitor, sizeof(dm->st.monitor), "%s", monitor_name(dm->mon));
	dm->st.pid = (uint64_t)getpid();
	dm->st.started_usec = now_realtime_usec();
	return 0;
}

static void teardown(struct daemon *dm)
{
	/* Before anything they could still report to is freed.  A scan stops
	 * at its next file; a file being hashed is finished first. */
	daemon_stop_workers(dm);
	if (dm->logq) {
		(void)burst_flush(dm->burst, now_monotonic_usec(), true, daemon_push_summary, dm);
		if (dm->mon)
			daemon_report_lifecycle(dm, VEVENT_DAEMON_STOPPED, "stopped");
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
	daemon_report_lifecycle(&dm, VEVENT_DAEMON_STARTED, "started");
	daemon_update_state(&dm);
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
