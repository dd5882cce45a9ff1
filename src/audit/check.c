/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The small shared parts of the probe contract (probe.h): verdict names,
 * argument lookup and result filling. */
#include <stdarg.h>

#include "check.h"
#include "expect.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[_VERDICT_MAX] = {
		[VERDICT_PASS] = "pass",
		[VERDICT_FAIL] = "fail",
		[VERDICT_NOT_APPLICABLE] = "not_applicable",
		[VERDICT_ERROR] = "error",
	};

	return (unsigned)v < _VERDICT_MAX ? names[v] : "unknown";
}

const char *check_arg(const struct check *c, const char *key)
{
	/* The last assignment wins, as for the engine keys. */
	for (size_t i = c->n_args; i > 0; i--)
		if (streq(c->args[i - 1].key, key))
			return c->args[i - 1].value;
	return NULL;
}

const struct check_arg *check_arg_full(const struct check *c, const char *key)
{
	for (size_t i = c->n_args; i > 0; i--)
		if (streq(c->args[i - 1].key, key))
			return &c->args[i - 1];
	return NULL;
}

void probe_result_done(struct probe_result *r)
{
	free(r->observed);
	free(r->expected);
	free(r->reason);
	for (size_t i = 0; i < r->n_findings; i++)
		free(r->findings[i]);
	free(r->findings);
	*r = (struct probe_result){ .verdict = VERDICT_ERROR };
}

int probe_result_add_finding(struct probe_result *r, const char *path)
{
	_cleanup_free_ char *copy = NULL;

	if (r->n_findings >= PROBE_MAX_FINDINGS)
		return 0;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	if (!r->findings) {
		/* One allocation of the cap: findings are few and short-lived. */
		r->findings = calloc(PROBE_MAX_FINDINGS, sizeof(char *));
		if (!r->findings)
			return -ENOMEM;
	}
	r->findings[r->n_findings++] = TAKE_PTR(copy);
	return 0;
}

static int replace_str(char **dst, const char *s)
{
	char *copy = NULL;

	if (s) {
		copy = strdup(s);
		if (!copy)
			return -ENOMEM;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

int probe_result_set(struct probe_result *r, enum verdict v, const char *observed, const char *expected)
{
	int r1, r2;

	r1 = replace_str(&r->observed, observed);
	r2 = replace_str(&r->expected, expected);
	r->verdict = v;
	return r1 < 0 || r2 < 0 ? -ENOMEM : 0;
}

int probe_result_setf_reason(struct probe_result *r, enum verdict v, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	free(r->reason);
	r->reason = s;
	r->verdict = v;
	return 0;
}

void check_free(struct check *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->title);
	free(c->cis);
	free(c->category);
	free(c->rationale);
	free(c->remediation);
	free(c->probe);
	for (size_t i = 0; i < c->n_paths; i++)
		free(c->paths[i]);
	free(c->paths);
	for (size_t i = 0; i < c->n_args; i++) {
		free(c->args[i].key);
		free(c->args[i].value);
	}
	free(c->args);
	free(c->file);
	free(c->if_installed);
	free(c);
}

int check_args_allowed(const struct check *c, const char *const *allowed, bool with_expect, struct diag *d)
{
	for (size_t i = 0; i < c->n_args; i++) {
		const char *k = c->args[i].key;
		bool found = with_expect && expect_is_key(k);

		for (size_t j = 0; !found && allowed[j]; j++)
			found = streq(k, allowed[j]);
		if (!found)
			return diag_set(d, -EINVAL, "key '%s': unknown for probe %s", k, c->probe);
	}
	return 0;
}

const char *check_arg_required(const struct check *c, const char *key, struct diag *d)
{
	const char *v = check_arg(c, key);

	if (isempty(v)) {
		diag_set(d, -EINVAL, "missing key '%s' for probe %s", key, c->probe);
		return NULL;
	}
	return v;
}
