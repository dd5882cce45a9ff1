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

int posture_audit_run(struct posture_audit *pa, const struct rootfs *root, uint64_t now_realtime,
		      struct posture *posture, void (*emit)(void *userdata, struct vevent *e), void *userdata,
		      struct posture_audit_result *ret, struct diag *d)
{
	struct check_set set = CHECK_SET_INIT;
	struct posture next = { 0 };
	struct posture_audit_result res = { 0 };
	struct audit_ctx ctx;
	int r;

	r = rules_load_dirs(&set, pa->dirs, pa->n_dirs, false, d);
	if (r < 0) {
		check_set_done(&set);
		return r;
	}
	audit_ctx_init(&ctx, root);
	for (size_t i = 0; i < set.n; i++) {
		const struct check *c = set.checks[i];
		struct probe_result pr;
		enum verdict prev;
		struct vevent *e = NULL;

		if (!c->enabled)
			continue;
		r = audit_eval(c, &ctx, &pr);
		if (r < 0) {
			probe_result_done(&pr);
			break;
		}
		switch (pr.verdict) {
		case VERDICT_PASS: res.pass++; break;
		case VERDICT_FAIL: res.fail++; break;
		case VERDICT_NOT_APPLICABLE: res.not_applicable++; break;
		default: res.error++; break;
		}
		prev = swap_verdict(&pa->verdicts, c->id, pr.verdict);
		if (pr.verdict == VERDICT_FAIL && (prev != VERDICT_FAIL || !pa->ran))
			e = check_event(c, &pr, false);
		else if (pr.verdict == VERDICT_PASS && prev == VERDICT_FAIL)
			e = check_event(c, &pr, true);
		if (e)
			emit(userdata, e);
		if (pr.verdict == VERDICT_FAIL && c->n_paths)
			r = posture_add(&next, c->id, c->title, c->paths, c->n_paths);
		probe_result_done(&pr);
		if (r < 0)
			break;
	}
	audit_ctx_done(&ctx);
	check_set_done(&set);
	if (r < 0) {
		posture_free(&next);
		return r;
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
