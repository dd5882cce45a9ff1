/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's file pipeline (daemon.h): kernel events -> debounce ->
 * verification -> report().  Recording a flagged path (stat, read, hash)
 * can take seconds for a big file, so a batch of due paths is recorded on
 * a worker thread (worker.h) while the loop keeps reading the kernel
 * queue; the batch comes back to the loop to be judged against the
 * baseline, where the verifier's memory lives.  One batch at a time:
 * paths that fall due meanwhile wait in the (bounded) debounce set.
 */
#include <dirent.h>

#include "daemon.h"
#include "log.h"

struct verify_batch {
	const struct rootfs *root;	/* immutable while vigild runs */
	size_t n;
	struct observation obs[VERIFY_BATCH];
};

static void verify_batch_free(struct verify_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		observation_done(&b->obs[i]);
	free(b);
}

/* Worker thread: record every path of the batch. */
static void verify_batch_main(void *arg, const atomic_bool *cancel)
{
	struct verify_batch *b = arg;

	/* Once cancelled, every path left gets -ECANCELED: not judged. */
	for (size_t i = 0; i < b->n; i++)
		verify_observe(b->root, &b->obs[i], cancel);
}

static void touch(struct daemon *dm, const char *path, pid_t pid)
{
	int r = debounce_touch(dm->deb, path, now_monotonic_usec(), (uint32_t)pid);

	if (r == -ENOSPC)
		daemon_report_overflow(dm, "too many paths pending verification", false);
	else if (r < 0)
		daemon_report_overflow(dm, "out of memory queueing a path", false);
	else
		daemon_state_dirty(dm);
}

void daemon_on_monitor_path(void *userdata, const char *path, unsigned flags, pid_t pid)
{
	struct daemon *dm = userdata;

	if (flags & MONITOR_EV_OVERFLOW) {
		daemon_report_overflow(dm, "kernel event queue overflow", true);
		return;
	}
	if (flags & MONITOR_EV_RESCAN) {
		log_info("%s: a new tree with more than %d entries, rescanning the watched paths", path,
			 NEW_TREE_MAX);
		daemon_schedule_rescan(dm);
		return;
	}
	if (pid > 0)
		procinfo_note(&dm->procs, pid, now_monotonic_usec());
	touch(dm, path, pid);
}

void daemon_arm_verify(struct daemon *dm)
{
	/* While a batch is out, its return re-arms the timer. */
	daemon_arm_timer(dm, dm->verify_timer, dm->verify_worker ? UINT64_MAX : debounce_next_due(dm->deb));
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
	/* Events outside the selection (most of a FAN_MARK_FILESYSTEM
	 * mark's) change nothing worth writing the state file for: that
	 * would wake vigild for its own writes when /run is marked. */
	daemon_arm_verify(dm);
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

/* One judged path of a batch, kept until renames are paired. */
struct verdict_slot {
	struct vevent *e;	/* NULL: nothing to report */
	struct verify_info info;
};

static void judge(struct daemon *dm, const struct observation *o, struct verdict_slot *v)
{
	int r;

	v->e = NULL;
	/* A reload since the batch left may have narrowed the selection. */
	if (o->r == -ECANCELED || !selection_rule_for(dm->sel, o->path) || !monitor_path_selected(dm->sel, o->path))
		return;
	dm->st.verified++;
	r = verifier_judge(dm->ver, dm->base, o, &v->e, &v->info);
	if (r < 0) {
		log_debug_errno(r, "%s: cannot verify: %m", o->path);
		v->e = NULL;
		return;
	}
	if (r == 0)
		v->e = NULL;
	if (v->info.was_dir && !v->info.is_dir)
		touch_baseline_children(dm, o->path);
	else if (v->info.is_dir && !v->info.was_dir) {
		size_t budget = NEW_TREE_MAX;

		if (touch_tree(dm, o->path, 0, &budget) == -E2BIG) {
			log_info("%s: a new tree with more than %d entries, rescanning the watched paths", o->path,
				 NEW_TREE_MAX);
			daemon_schedule_rescan(dm);
		}
	}
}

static bool same_file(const struct verify_info *a, const struct verify_info *b)
{
	return a->ino == b->ino && a->has_sha256 && b->has_sha256 && memcmp(a->sha256, b->sha256, SHA256_LEN) == 0;
}

/* A rename is a deletion and a creation of the same inode with the same
 * content, verified in the same batch: report one "moved" event. */
static void pair_moves(const struct observation *o, struct verdict_slot *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i].e || v[i].info.action != CHANGE_DELETED)
			continue;
		for (size_t k = 0; k < n; k++)
			if (v[k].e && v[k].info.action == CHANGE_CREATED && same_file(&v[i].info, &v[k].info)) {
				verifier_make_moved(v[k].e, o[i].path);
				v[i].e = vevent_free(v[i].e);
				break;
			}
	}
}

/* The loop's half: judge, pair, attribute and report a recorded batch. */
static void judge_batch(struct daemon *dm, struct verify_batch *b)
{
	struct verdict_slot v[VERIFY_BATCH];

	for (size_t i = 0; i < b->n; i++)
		judge(dm, &b->obs[i], &v[i]);
	pair_moves(b->obs, v, b->n);
	for (size_t i = 0; i < b->n; i++)
		if (v[i].e) {
			attribute(dm, v[i].e, b->obs[i].pid);
			daemon_report(dm, v[i].e);
		}
	verify_batch_free(b);
	daemon_state_dirty(dm);
}

static int on_verify_done(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct daemon *dm = userdata;

	(void)s;
	(void)fd;
	(void)revents;
	daemon_join_job(&dm->verify_worker, &dm->verify_src, false);
	judge_batch(dm, TAKE_PTR(dm->verify_batch));
	daemon_arm_verify(dm);
	return 0;
}

/* Slack when taking due paths: the two halves of a rename are touched
 * microseconds apart and should land in one batch. */
#define VERIFY_SLACK_USEC (20 * 1000ULL)

int daemon_on_verify_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct daemon *dm = userdata;
	uint64_t now = now_monotonic_usec();
	struct verify_batch *b;
	char *path;
	uint32_t pid;

	(void)s;
	(void)usec;
	if (dm->verify_worker)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b) {
		daemon_report_overflow(dm, "out of memory verifying paths", false);
		return 0;
	}
	b->root = &dm->root;
	while (b->n < VERIFY_BATCH && debounce_pop_due(dm->deb, now + VERIFY_SLACK_USEC, &path, &pid) > 0) {
		const struct watch_rule *rule = selection_rule_for(dm->sel, path);

		if (!rule || !monitor_path_selected(dm->sel, path)) {
			free(path);
			continue;
		}
		b->obs[b->n++] = (struct observation){ .path = path, .mask = rule->mask, .pid = (pid_t)pid };
	}
	if (b->n == 0) {
		verify_batch_free(b);
		daemon_arm_verify(dm);
		return 0;
	}
	if (daemon_start_job(dm, verify_batch_main, b, on_verify_done, &dm->verify_worker, &dm->verify_src) > 0)
		dm->verify_batch = b;
	else
		judge_batch(dm, b);
	daemon_arm_verify(dm);
	return 0;
}

void daemon_stop_verify(struct daemon *dm)
{
	if (!dm->verify_worker)
		return;
	daemon_join_job(&dm->verify_worker, &dm->verify_src, true);
	verify_batch_free(TAKE_PTR(dm->verify_batch));
}
