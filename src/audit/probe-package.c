/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "package": is a Debian package installed, from the dpkg status
 * database of the examined root (var/lib/dpkg/status), offline and live
 * alike.  Arguments (vigil-checks(5)):
 *
 *	package = NAME [NAME...]	names, optionally NAME:ARCH
 *	installed = yes|no
 *
 * installed = yes: every package is configured (dpkg state installed, or
 * triggers pending/awaited).  installed = no: no package has files on
 * disk (absent, not-installed or config-files, which dpkg -l shows as
 * "rc").  A half-installed, unpacked or half-configured package fails
 * both: it is neither in service nor gone.
 */
#include <ctype.h>

#include "dpkg-status.h"
#include "probes.h"
#include "strbuf.h"

#define STATUS_PATH "/var/lib/dpkg/status"

struct package_cache {
	bool loaded;
	int error;		/* -errno if the database could not be read */
	struct diag diag;	/* reason if error != 0 */
	struct dpkg_status st;
};

static void package_cache_free(void *p)
{
	struct package_cache *pc = p;

	if (!pc)
		return;
	dpkg_status_free(&pc->st);
	free(pc);
}

/* Debian policy 5.6.1: package names are [a-z0-9][a-z0-9.+-]+; the
 * architecture qualifier is [a-z0-9-]+. */
static bool valid_spec(const char *s, size_t n)
{
	size_t i = 0;

	if (n < 2 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (; i < n && s[i] != ':'; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || strchr(".+-", s[i])))
			return false;
	if (i == n)
		return true;
	if (++i == n)
		return false;
	for (; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

static int package_validate(const struct check *c, struct diag *d)
{
	const char *names = check_arg(c, "package"), *installed = check_arg(c, "installed");
	bool b;
	size_t count = 0;

	for (size_t i = 0; i < c->n_args; i++)
		if (!streq(c->args[i].key, "package") && !streq(c->args[i].key, "installed"))
			return diag_set(d, -EINVAL, "key '%s': unknown argument of probe package", c->args[i].key);
	if (!names)
		return diag_set(d, -EINVAL, "key 'package': required");
	for (const char *p = names; *p;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (!valid_spec(p, n))
			return diag_set(d, -EINVAL, "key 'package': '%.*s' is not a package name", (int)n, p);
		count++;
		p += n;
	}
	if (count == 0)
		return diag_set(d, -EINVAL, "key 'package': empty");
	if (!installed)
		return diag_set(d, -EINVAL, "key 'installed': required (yes or no)");
	if (parse_bool(installed, &b) < 0)
		return diag_set(d, -EINVAL, "key 'installed': '%s' is not yes or no", installed);
	return 0;
}

static int load(struct audit_ctx *ctx, void **slot, struct package_cache **ret)
{
	struct package_cache *pc = *slot;
	_cleanup_free_ char *data = NULL, *where = NULL;
	size_t len = 0;
	int r;

	if (pc && pc->loaded) {
		*ret = pc;
		return 0;
	}
	if (!pc) {
		pc = calloc(1, sizeof(*pc));
		if (!pc)
			return -ENOMEM;
		*slot = pc;
	}
	where = rootfs_host_path(ctx->root, STATUS_PATH);
	if (!where)
		return -ENOMEM;
	r = rootfs_read_file(ctx->root, STATUS_PATH, DPKG_STATUS_MAX, &data, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		pc->error = r;
		diag_set(&pc->diag, r, "%s: %s", where, strerror(-r));
	} else {
		r = dpkg_status_parse(data, len, where, &pc->st, &pc->diag);
		if (r == -ENOMEM)
			return r;
		pc->error = r < 0 ? r : 0;
	}
	pc->loaded = true;
	*ret = pc;
	return 0;
}

/* The most complete state among the stanzas matching spec (one per
 * architecture for Multi-Arch packages); NULL if none matches. */
static const struct dpkg_package *lookup(const struct dpkg_status *st, const char *spec)
{
	const struct dpkg_package *best = NULL;

	for (size_t i = 0; i < st->n_pkgs; i++) {
		const struct dpkg_package *p = &st->pkgs[i];

		if (!dpkg_package_matches(p, spec))
			continue;
		if (!best || p->state > best->state)
			best = p;
	}
	return best;
}

static int eval_cached(const struct check *c, struct audit_ctx *ctx, void **slot, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	const char *names = check_arg(c, "package");
	struct package_cache *pc;
	bool want = false, pass = true;
	int r;

	if (!names || parse_bool(check_arg(c, "installed") ?: "", &want) < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	r = load(ctx, slot, &pc);
	if (r < 0)
		return r;
	if (pc->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", pc->diag.msg);

	for (const char *p = names; *p;) {
		_cleanup_free_ char *spec = NULL;
		const struct dpkg_package *pkg;
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		spec = strndup(p, n);
		if (!spec)
			return -ENOMEM;
		p += n;

		pkg = lookup(&pc->st, spec);
		if (obs.len > 0)
			strbuf_puts(&obs, ", ");
		if (!pkg || dpkg_state_is_absent(pkg->state)) {
			strbuf_printf(&obs, "%s: %s", spec,
				      pkg && pkg->state == DPKG_STATE_CONFIG_FILES ? "config-files only" : "not installed");
			if (want)
				pass = false;
		} else {
			strbuf_printf(&obs, "%s: %s", spec, dpkg_state_name(pkg->state));
			if (pkg->version)
				strbuf_printf(&obs, " (%s)", pkg->version);
			if (!want || !dpkg_state_is_installed(pkg->state))
				pass = false;
		}
	}
	if (strbuf_error(&obs) < 0)
		return -ENOMEM;
	return probe_result_set(ret, pass ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&obs),
				want ? "installed" : "not installed");
}

static int package_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	void *tmp = NULL, **slot = audit_ctx_cache(ctx, &probe_package);
	int r;

	/* Not in the engine's table (a test, or not registered yet): no cache. */
	if (!slot)
		slot = &tmp;
	r = eval_cached(c, ctx, slot, ret);
	package_cache_free(tmp);
	return r;
}

const struct probe probe_package = {
	.name = "package",
	.validate = package_validate,
	.eval = package_eval,
	.cache_free = package_cache_free,
};
