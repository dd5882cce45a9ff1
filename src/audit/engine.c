/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"
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

int audit_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const struct probe *p = probe_find(c->probe);
	int r;

	*ret = (struct probe_result){ .verdict = VERDICT_ERROR };
	if (!p)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "unknown probe '%s'", c->probe);
	r = p->eval(c, ctx, ret);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "probe %s: %s", p->name, strerror(-r));
	return 0;
}
