/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "logindefs": one setting of etc/login.defs (semantics in
 * login-defs.h: last occurrence wins, as shadow-utils' getdef.c), compared
 * with the shared expectation keys (expect.h):
 *
 *	key = PASS_MAX_DAYS	the name, case-sensitive
 *	min = 1 / max = 365 / equals = SHA512 / one_of = SHA512 YESCRYPT
 *	bits_set = 027		(octal) every one of these bits is set in the
 *				value, for UMASK ("027 or more restrictive")
 *
 * Numbers are read as getdef_num() reads them (strtol base 0: "027" is
 * octal, "0x1f" hex) and compared in decimal; the report shows both.
 * A missing file is the same as an empty one (every key unset).
 */
#include <ctype.h>

#include "expect.h"
#include "login-defs.h"
#include "probes.h"

struct logindefs_cache {
	bool loaded;
	int error;
	struct diag diag;
	struct login_defs defs;
};

static void logindefs_cache_free(void *p)
{
	struct logindefs_cache *lc = p;

	if (!lc)
		return;
	login_defs_free(&lc->defs);
	free(lc);
}

static int parse_octal(const char *s, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (isempty(s) || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || v > 07777)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int logindefs_validate(const struct check *c, struct diag *d)
{
	const char *key = check_arg(c, "key"), *bits = check_arg(c, "bits_set");
	unsigned long m;

	for (size_t i = 0; i < c->n_args; i++) {
		const char *k = c->args[i].key;

		if (!streq(k, "key") && !streq(k, "bits_set") && !expect_is_key(k))
			return diag_set(d, -EINVAL, "key '%s': unknown argument of probe logindefs", k);
	}
	if (!key)
		return diag_set(d, -EINVAL, "key 'key': required");
	for (const char *p = key; *p; p++)
		if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
			return diag_set(d, -EINVAL, "key 'key': '%s' is not a login.defs name", key);
	if (bits && parse_octal(bits, &m) < 0)
		return diag_set(d, -EINVAL, "key 'bits_set': '%s' is not an octal mode", bits);
	if (bits && !expect_present(c))
		return 0;
	return expect_validate(c, true, d);
}

static int load(struct audit_ctx *ctx, void **slot, struct logindefs_cache **ret)
{
	struct logindefs_cache *lc = *slot;
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r;

	if (!lc) {
		lc = calloc(1, sizeof(*lc));
		if (!lc)
			return -ENOMEM;
		*slot = lc;
	}
	if (!lc->loaded) {
		r = rootfs_read_file(ctx->root, LOGIN_DEFS_PATH, LOGIN_DEFS_MAX, &data, &len);
		if (r == -ENOMEM)
			return r;
		if (r >= 0)
			r = login_defs_parse(data, len, &lc->defs);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && r != -ENOENT) {
			_cleanup_free_ char *where = rootfs_host_path(ctx->root, LOGIN_DEFS_PATH);

			lc->error = r;
			diag_set(&lc->diag, r, "%s: %s", where ?: LOGIN_DEFS_PATH, strerror(-r));
		}
		lc->loaded = true;
	}
	*ret = lc;
	return 0;
}

/* getdef_num()/getdef_long(): strtol() with base 0, whole string. */
static bool getdef_number(const char *v, long long *ret)
{
	char *end;
	long long n;

	if (isempty(v))
		return false;
	errno = 0;
	n = strtoll(v, &end, 0);
	if (errno != 0 || *end != '\0')
		return false;
	*ret = n;
	return true;
}

static int eval_cached(const struct check *c, struct audit_ctx *ctx, void **slot, struct probe_result *ret)
{
	const char *key = check_arg(c, "key"), *bits = check_arg(c, "bits_set"), *v;
	_cleanup_free_ char *shown = NULL, *dec = NULL, *exp_bits = NULL;
	struct logindefs_cache *lc;
	unsigned long want = 0;
	long long n;
	int r;

	if (!key)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	r = load(ctx, slot, &lc);
	if (r < 0)
		return r;
	if (lc->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", lc->diag.msg);
	v = login_defs_get(&lc->defs, key);

	if (bits && parse_octal(bits, &want) >= 0) {
		bool ok = v && getdef_number(v, &n) && n >= 0 && ((unsigned long)n & want) == want;

		if (asprintf(&exp_bits, "bits %04lo set", want) < 0) {
			exp_bits = NULL;
			return -ENOMEM;
		}
		if (!ok || !expect_present(c))
			return probe_result_set(ret, ok ? VERDICT_PASS : VERDICT_FAIL, v ?: "(unset)", exp_bits);
	}
	/* Only the integer bounds compare numbers; equals/one_of compare the
	 * text as written. */
	if (v && (check_arg(c, "min") || check_arg(c, "max")) && getdef_number(v, &n)) {
		if (asprintf(&dec, "%lld", n) < 0) {
			dec = NULL;
			return -ENOMEM;
		}
		if (!streq(dec, v) && asprintf(&shown, "%s (%s)", v, dec) < 0) {
			shown = NULL;
			return -ENOMEM;
		}
	}
	return expect_eval_shown(c, dec ?: v, shown, false, ret);
}

static int logindefs_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	void *tmp = NULL, **slot = audit_ctx_cache(ctx, &probe_logindefs);
	int r;

	/* Not in the engine's table (a test, or not registered yet): no cache. */
	if (!slot)
		slot = &tmp;
	r = eval_cached(c, ctx, slot, ret);
	logindefs_cache_free(tmp);
	return r;
}

const struct probe probe_logindefs = {
	.name = "logindefs",
	.validate = logindefs_validate,
	.eval = logindefs_eval,
	.cache_free = logindefs_cache_free,
};
