/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"
#include "check.h"
#include "probes.h"

const struct probe *const probe_table[] = {
	&probe_sysctl,
	&probe_sshd,
	&probe_file,
	&probe_files,
	&probe_mount,
	&probe_modprobe,
	&probe_service,
	&probe_package,
	&probe_accounts,
	&probe_logindefs,
	&probe_sudoers,
	&probe_pam,
	&probe_systemd_conf,
	&probe_shellvar,
	&probe_rsyslog,
	&probe_homes,
	&probe_apparmor,
	&probe_auditrules,
	&probe_logfiles,
	&probe_chrony,
	NULL,
};

_Static_assert(ELEMENTSOF(probe_table) <= AUDIT_MAX_PROBES, "one cache slot per probe");

const struct probe *probe_find(const char *name)
{
	for (size_t i = 0; probe_table[i]; i++)
		if (streq(probe_table[i]->name, name))
			return probe_table[i];
	return NULL;
}

void **audit_ctx_cache(struct audit_ctx *ctx, const struct probe *p)
{
	for (size_t i = 0; probe_table[i]; i++)
		if (probe_table[i] == p)
			return &ctx->cache[i];
	return NULL;
}

void audit_ctx_init(struct audit_ctx *ctx, const struct rootfs *root)
{
	*ctx = (struct audit_ctx){ .root = root };
}

void audit_ctx_done(struct audit_ctx *ctx)
{
	for (size_t i = 0; probe_table[i]; i++)
		if (ctx->cache[i]) {
			if (probe_table[i]->cache_free)
				probe_table[i]->cache_free(ctx->cache[i]);
			ctx->cache[i] = NULL;
		}
}

/* if_installed: 1 if one of the packages is installed, 0 if none is
 * (reason set in ret), or -ENOMEM; a package database that cannot be
 * read leaves ret an error. */
static int gate_installed(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_free_ char *names = strdup(c->if_installed);
	char *save = NULL;
	int r;

	if (!names)
		return -ENOMEM;
	for (char *t = strtok_r(names, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		struct check_arg a[] = { { (char *)"package", t, 0 }, { (char *)"installed", (char *)"yes", 0 } };
		struct check gate = { .id = c->id, .probe = (char *)"package", .args = a, .n_args = 2 };
		struct probe_result pr = { .verdict = VERDICT_ERROR };

		r = probe_package.eval(&gate, ctx, &pr);
		if (r < 0 || pr.verdict == VERDICT_ERROR) {
			r = r < 0 ? r : probe_result_setf_reason(ret, VERDICT_ERROR, "%s", pr.reason ? pr.reason : "");
			probe_result_done(&pr);
			return r < 0 ? r : 0;
		}
		r = pr.verdict == VERDICT_PASS;
		probe_result_done(&pr);
		if (r)
			return 1;
	}
	r = strpbrk(c->if_installed, " \t")
		    ? probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "none of %s is installed", c->if_installed)
		    : probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "%s is not installed", c->if_installed);
	return r < 0 ? r : 0;
}

int audit_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const struct probe *p = probe_find(c->probe);
	int r;

	*ret = (struct probe_result){ .verdict = VERDICT_ERROR };
	if (!p)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "unknown probe '%s'", c->probe);
	if (c->if_installed) {
		r = gate_installed(c, ctx, ret);
		if (r <= 0)
			return r;
	}
	r = p->eval(c, ctx, ret);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "probe %s: %s", p->name, strerror(-r));
	return 0;
}
