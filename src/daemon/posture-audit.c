/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <search.h>

#include "audit/engine.h"
#include "audit/rules.h"
#include "posture-audit.h"

#define SUMMARY_INTERVAL_USEC (24ULL * 3600 * 1000000)

struct verdict_entry {
	char *id;
	enum verdict verdict;
};

struct posture_audit {
	char **dirs;
	size_t n_dirs;
	void *verdicts;		/* tsearch(3) of struct verdict_entry: the previous run */
	bool ran;
	uint64_t last_summary;
};

static int verdict_cmp(const void *a, const void *b)
{
	return strcmp(((const struct verdict_entry *)a)->id, ((const struct verdict_entry *)b)->id);
}

static void verdict_free(void *p)
{
	struct verdict_entry *v = p;

	free(v->id);
	free(v);
}

int posture_audit_new(char *const *dirs, size_t n_dirs, struct posture_audit **ret)
{
	struct posture_audit *pa = calloc(1, sizeof(*pa));

	if (!pa)
		return -ENOMEM;
	pa->dirs = calloc(n_dirs ? n_dirs : 1, sizeof(char *));
	if (!pa->dirs)
		goto oom;
	for (; pa->n_dirs < n_dirs; pa->n_dirs++) {
		pa->dirs[pa->n_dirs] = strdup(dirs[pa->n_dirs]);
		if (!pa->dirs[pa->n_dirs])
			goto oom;
	}
	*ret = pa;
	return 0;
oom:
	posture_audit_free(pa);
	return -ENOMEM;
}

struct posture_audit *posture_audit_free(struct posture_audit *pa)
{
	if (!pa)
		return NULL;
	for (size_t i = 0; i < pa->n_dirs; i++)
		free(pa->dirs[i]);
	free(pa->dirs);
	tdestroy(pa->verdicts, verdict_free);
	free(pa);
	return NULL;
}

static struct vevent *check_event(const struct check *c, const struct probe_result *res, bool recovered)
{
	struct vevent *e;

	if (vevent_new(recovered ? VEVENT_AUDIT_RECOVERED : VEVENT_AUDIT_FAILED,
		       recovered ? SEVERITY_INFO : c->severity, &e) < 0)
		return NULL;
	vevent_add(e, "VIGIL_CHECK_ID", c->id);
	vevent_add(e, "VIGIL_CHECK_SEVERITY", severity_name(c->severity));
	vevent_add(e, "VIGIL_CIS", c->cis);
	vevent_add(e, "VIGIL_TITLE", c->title);
	vevent_add(e, "VIGIL_OBSERVED", res->observed);
	vevent_add(e, "VIGIL_EXPECTED", res->expected);
	if (c->n_paths)
		vevent_add(e, "VIGIL_CHECK_PATHS", c->paths[0]);
	if (recovered)
		vevent_message(e, "hardening check %s passes again: %s", c->id, c->title ? c->title : "");
	else
		vevent_message(e, "hardening check %s fails: %s (observed %s, expected %s)", c->id,
			       c->title ? c->title : "", res->observed ? res->observed : "?",
			       res->expected ? res->expected : "?");
	if (vevent_error(e) < 0)
		return vevent_free(e);
	return e;
}

/* Record v as id's verdict; returns the previous one (or _VERDICT_MAX). */
static enum verdict swap_verdict(void **tree, const char *id, enum verdict v)
{
	struct verdict_entry key = { .id = (char *)id }, **found, *n;
	enum verdict prev;

	found = tfind(&key, tree, verdict_cmp);
	if (found) {
		prev = (*found)->verdict;
		(*found)->verdict = v;
		return prev;
	}
	n = calloc(1, sizeof(*n));
	if (n)
		n->id = strdup(id);
	if (!n || !n->id || !tsearch(n, tree, verdict_cmp)) {
		if (n)
			verdict_free(n);
		return _VERDICT_MAX;	/* unknown previous verdict: reported again next time */
	}
	n->verdict = v;
	return _VERDICT_MAX;
}

struct audit_report {
	struct check_set set;
	struct probe_result *results;	/* parallel to set.checks; disabled checks unset */
	size_t n;
};

void audit_report_free(struct audit_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++)
		probe_result_done(&rep->results[i]);
	free(rep->results);
	check_set_done(&rep->set);
	free(rep);
}

int posture_audit_collect(const struct posture_audit *pa, const struct rootfs *root, const atomic_bool *cancel,
			  struct audit_report **ret, struct diag *d)
{
	struct audit_report *rep;
	struct audit_ctx ctx;
	int r;

	rep = calloc(1, sizeof(*rep));
	if (!rep)
		return diag_set(d, -ENOMEM, "out of memory");
	rep->set = (struct check_set)CHECK_SET_INIT;
	r = rules_load_dirs(&rep->set, pa->dirs, pa->n_dirs, false, d);
	if (r >= 0 && rep->set.n) {
		rep->results = calloc(rep->set.n, sizeof(*rep->results));
		if (!rep->results)
			r = diag_set(d, -ENOMEM, "out of memory");
	}
	if (r < 0) {
		audit_report_free(rep);
		return r;
	}
	audit_ctx_init(&ctx, root);
	ctx.cancel = cancel;
	for (; rep->n < rep->set.n; rep->n++) {
		struct probe_result *pr = &rep->results[rep->n];

		if (cancel && atomic_load(cancel)) {
			r = diag_set(d, -ECANCELED, "audit cancelled");
			break;
		}
		if (!rep->set.checks[rep->n]->enabled) {
			*pr = (struct probe_result){ .verdict = _VERDICT_MAX };
			continue;
		}
		r = audit_eval(rep->set.checks[rep->n], &ctx, pr);
		if (r < 0) {
			probe_result_done(pr);
			r = diag_set(d, r, "out of memory");
			break;
		}
	}
	audit_ctx_done(&ctx);
	/* A check cut short by the flag is an error verdict, not a result:
	 * the run is incomplete even when that check was the last one. */
	if (r >= 0 && cancel && atomic_load(cancel))
		r = diag_set(d, -ECANCELED, "audit cancelled");
	if (r < 0) {
		audit_report_free(rep);
		return r;
	}
	*ret = rep;
	return 0;
}

/* The paths a failing check concerns, for correlation: what it found if it
 * says (every world-writable file), else its `paths`.  A `paths` entry "/"
 * would make every event on the host "correlated", which says nothing: it
 * is left out (such checks correlate through their findings). */
static int add_to_posture(struct posture *next, const struct check *c, const struct probe_result *pr)
{
	_cleanup_free_ char **paths = NULL;
	size_t n = 0;

	if (pr->n_findings)
		return posture_add(next, c->id, c->title, pr->findings, pr->n_findings);
	if (!c->n_paths)
		return 0;
	paths = calloc(c->n_paths, sizeof(char *));
	if (!paths)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_paths; i++)
		if (!streq(c->paths[i], "/"))
			paths[n++] = c->paths[i];
	return n ? posture_add(next, c->id, c->title, paths, n) : 0;
}

int posture_audit_apply(struct posture_audit *pa, const struct audit_report *rep, uint64_t now_realtime,
			struct posture *posture, void (*emit)(void *userdata, struct vevent *e), void *userdata,
			struct posture_audit_result *ret)
{
	struct posture next = { 0 };
	struct posture_audit_result res = { 0 };
	int r;

	/* Build the new posture first: out of memory leaves everything as it
	 * was (verdicts, posture), and the next run reports what this one
	 * would have. */
	for (size_t i = 0; i < rep->n; i++)
		if (rep->results[i].verdict == VERDICT_FAIL) {
			r = add_to_posture(&next, rep->set.checks[i], &rep->results[i]);
			if (r < 0) {
				posture_free(&next);
				return r;
			}
		}
	for (size_t i = 0; i < rep->n; i++) {
		const struct check *c = rep->set.checks[i];
		const struct probe_result *pr = &rep->results[i];
		enum verdict prev;
		struct vevent *e = NULL;

		if (!c->enabled)
			continue;
		switch (pr->verdict) {
		case VERDICT_PASS: res.pass++; break;
		case VERDICT_FAIL: res.fail++; break;
		case VERDICT_NOT_APPLICABLE: res.not_applicable++; break;
		default: res.error++; break;
		}
		prev = swap_verdict(&pa->verdicts, c->id, pr->verdict);
		if (pr->verdict == VERDICT_FAIL && (prev != VERDICT_FAIL || !pa->ran))
			e = check_event(c, pr, false);
		else if (pr->verdict == VERDICT_PASS && prev == VERDICT_FAIL)
			e = check_event(c, pr, true);
		if (e)
			emit(userdata, e);
	}
	if (!pa->ran || now_realtime >= pa->last_summary + SUMMARY_INTERVAL_USEC) {
		struct vevent *e;

		if (vevent_new(VEVENT_AUDIT_SUMMARY, res.fail ? SEVERITY_LOW : SEVERITY_INFO, &e) == 0) {
			vevent_addf(e, "VIGIL_PASS", "%u", res.pass);
			vevent_addf(e, "VIGIL_FAIL", "%u", res.fail);
			vevent_addf(e, "VIGIL_NOT_APPLICABLE", "%u", res.not_applicable);
			vevent_addf(e, "VIGIL_ERROR", "%u", res.error);
			vevent_message(e, "hardening audit: %u pass, %u fail, %u not applicable, %u errors", res.pass,
				       res.fail, res.not_applicable, res.error);
			emit(userdata, e);
		}
		pa->last_summary = now_realtime;
	}
	pa->ran = true;
	posture_free(posture);
	*posture = next;
	if (ret)
		*ret = res;
	return 0;
}

int posture_audit_run(struct posture_audit *pa, const struct rootfs *root, uint64_t now_realtime,
		      struct posture *posture, void (*emit)(void *userdata, struct vevent *e), void *userdata,
		      struct posture_audit_result *ret, struct diag *d)
{
	struct audit_report *rep = NULL;
	int r;

	r = posture_audit_collect(pa, root, NULL, &rep, d);
	if (r < 0)
		return r;
	r = posture_audit_apply(pa, rep, now_realtime, posture, emit, userdata, ret);
	audit_report_free(rep);
	return r < 0 ? diag_set(d, r, "out of memory") : 0;
}
