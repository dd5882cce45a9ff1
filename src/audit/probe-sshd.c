/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sshd: one sshd_config keyword as sshd would use it for the default
 * connection (sshd-config.h: the first value of a matching "Match all"
 * block, else the first global one), or the compiled-in default of
 * OpenSSH 9.2 (Debian 12).  The same parser serves
 * live and offline audits, so both agree on what the files say.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <strings.h>

#include "check.h"
#include "expect.h"
#include "probes.h"
#include "sshd-config.h"
#include "strbuf.h"

#define SSHD_MAX_KEYWORDS 8

static const char *const default_ciphers =
	"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";
static const char *const default_macs =
	"umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
	"hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,"
	"hmac-sha2-256,hmac-sha2-512,hmac-sha1";
static const char *const default_kex =
	"sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,"
	"ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
	"diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";

/* Compiled-in defaults of OpenSSH 9.2p1 (servconf.c fill_default_server_options)
 * for the keywords the CIS benchmark asks about. */
static const struct {
	const char *keyword;
	const char *value;
} sshd_defaults[] = {
	{ "allowagentforwarding", "yes" },
	{ "allowstreamlocalforwarding", "yes" },
	{ "allowtcpforwarding", "yes" },
	{ "banner", "none" },
	{ "ciphers", NULL },	/* default_ciphers */
	{ "clientalivecountmax", "3" },
	{ "clientaliveinterval", "0" },
	{ "compression", "yes" },
	{ "disableforwarding", "no" },
	{ "gatewayports", "no" },
	{ "gssapiauthentication", "no" },
	{ "hostbasedauthentication", "no" },
	{ "ignorerhosts", "yes" },
	{ "kbdinteractiveauthentication", "yes" },
	{ "kexalgorithms", NULL },
	{ "loglevel", "INFO" },
	{ "logingracetime", "120" },
	{ "macs", NULL },
	{ "maxauthtries", "6" },
	{ "maxsessions", "10" },
	{ "maxstartups", "10:30:100" },
	{ "passwordauthentication", "yes" },
	{ "permitemptypasswords", "no" },
	{ "permitrootlogin", "prohibit-password" },
	{ "permittunnel", "no" },
	{ "permituserenvironment", "no" },
	{ "printlastlog", "yes" },
	{ "printmotd", "yes" },
	{ "pubkeyauthentication", "yes" },
	{ "strictmodes", "yes" },
	{ "syslogfacility", "AUTH" },
	{ "tcpkeepalive", "yes" },
	{ "usedns", "no" },
	{ "usepam", "no" },
	{ "x11forwarding", "no" },
	{ "x11uselocalhost", "yes" },
};

/* Keywords whose every occurrence adds to the setting (servconf.c keeps
 * appending instead of first-wins). */
static const char *const accumulating[] = {
	"allowusers", "denyusers", "allowgroups", "denygroups", "acceptenv", "hostkey", "listenaddress", "port",
	"subsystem", NULL,
};

/* Values sshd compares case-sensitively (names, algorithms, paths). */
static const char *const case_sensitive[] = {
	"allowusers", "denyusers", "allowgroups", "denygroups", "banner", "ciphers", "macs", "kexalgorithms",
	"hostkeyalgorithms", "pubkeyacceptedalgorithms", "authorizedkeysfile", "subsystem", NULL,
};

/* Keywords whose value is a time (convtime). */
static const char *const time_keywords[] = { "logingracetime", "clientaliveinterval", NULL };

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (streq(list[i], s))
			return true;
	return false;
}

static const char *alias(const char *kw)
{
	return sshd_keyword_canonical(kw);
}

static const char *default_for(const char *kw)
{
	if (streq(kw, "ciphers"))
		return default_ciphers;
	if (streq(kw, "macs"))
		return default_macs;
	if (streq(kw, "kexalgorithms"))
		return default_kex;
	for (size_t i = 0; i < ELEMENTSOF(sshd_defaults); i++)
		if (streq(sshd_defaults[i].keyword, kw))
			return sshd_defaults[i].value;
	return NULL;
}

static void cache_free(void *p)
{
	sshd_config_free(p);
}

static int sshd_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "keyword", "forbid", "field", "set", NULL };
	const char *kw, *field = check_arg(c, "field"), *set = check_arg(c, "set");
	size_t n = 0;
	unsigned u;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	kw = check_arg_required(c, "keyword", d);
	if (!kw)
		return -EINVAL;
	for (const char *p = kw; *p;) {
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (l == 0)
			break;
		for (size_t i = 0; i < l; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
				return diag_set(d, -EINVAL, "key 'keyword': '%.*s' is not an sshd keyword", (int)l, p);
		if (l > 64 || ++n > SSHD_MAX_KEYWORDS)
			return diag_set(d, -EINVAL, "key 'keyword': too many or too long keywords");
		p += l;
	}
	if (field && (parse_uint(field, 3, &u) < 0 || u < 1))
		return diag_set(d, -EINVAL, "key 'field': '%s' is not 1, 2 or 3", field);
	if (set) {
		if (parse_bool(set, &b) < 0 || !b)
			return diag_set(d, -EINVAL, "key 'set': only 'yes' is meaningful");
		if (check_arg(c, "forbid") || expect_present(c))
			return diag_set(d, -EINVAL, "key 'set': cannot be combined with an expectation");
		return 0;
	}
	if (n > 1)
		return diag_set(d, -EINVAL, "key 'keyword': several keywords need 'set = yes'");
	if (check_arg(c, "forbid")) {
		if (strcasecmp(kw, "ciphers") != 0 && strcasecmp(kw, "macs") != 0 && strcasecmp(kw, "kexalgorithms") != 0)
			return diag_set(d, -EINVAL, "key 'forbid': only for Ciphers, MACs and KexAlgorithms");
		if (expect_present(c))
			return diag_set(d, -EINVAL, "key 'forbid': cannot be combined with an expectation");
		return 0;
	}
	return expect_validate(c, true, d);
}

static bool list_has(const char *list, const char *name, size_t len)
{
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ",");
		if (l == len && strncmp(p, name, len) == 0)
			return true;
		p += l;
		if (*p == ',')
			p++;
	}
	return false;
}

/* The algorithms sshd enables for a Ciphers/MACs/KexAlgorithms value:
 * "+list" appends to the default, "-list" removes (wildcards allowed),
 * "^list" puts in front of the default, else the list itself. */
static int enabled_algorithms(const char *value, const char *def, struct strbuf *out)
{
	char op = *value;
	const char *list = (op == '+' || op == '-' || op == '^') ? value + 1 : value;

	if (op != '+' && op != '-' && op != '^') {
		strbuf_puts(out, list);
		return strbuf_error(out);
	}
	if (op == '^') {
		strbuf_puts(out, list);
		strbuf_putc(out, ',');
	}
	for (const char *p = def; *p;) {
		size_t l = strcspn(p, ",");
		char name[128];

		if (l < sizeof(name)) {
			bool removed = false;

			memcpy(name, p, l);
			name[l] = '\0';
			if (op == '-') {
				_cleanup_free_ char *pats = strdup(list);
				char *save = NULL;

				if (!pats)
					return -ENOMEM;
				for (char *t = strtok_r(pats, ",", &save); t && !removed; t = strtok_r(NULL, ",", &save))
					removed = fnmatch(t, name, 0) == 0;
			}
			if (!removed && !(op == '^' && list_has(list, name, l))) {
				strbuf_puts(out, name);
				strbuf_putc(out, ',');
			}
		}
		p += l;
		if (*p == ',')
			p++;
	}
	if (op == '+')
		strbuf_puts(out, list);
	if (out->len > 0 && out->buf[out->len - 1] == ',')
		out->buf[--out->len] = '\0';
	return strbuf_error(out);
}

static const struct sshd_config *get_config(struct audit_ctx *ctx, int *ret_err)
{
	void **slot = audit_ctx_cache(ctx, &probe_sshd);
	struct sshd_config *cfg;
	int r;

	if (!slot) {
		*ret_err = -EINVAL;
		return NULL;
	}
	if (!*slot) {
		r = sshd_config_load(ctx->root, SSHD_CONFIG_PATH, &cfg);
		if (r < 0) {
			*ret_err = r;
			return NULL;
		}
		*slot = cfg;
	}
	return *slot;
}

/* The value sshd uses, or NULL; *ret_src is the entry it came from
 * (NULL for a default).  Accumulating keywords join every occurrence. */
static int lookup(const struct sshd_config *cfg, const char *kw, char **ret, const struct sshd_entry **ret_src)
{
	const struct sshd_entry *e = sshd_config_first(cfg, kw);
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	*ret_src = e;
	if (!e) {
		const char *def = default_for(kw);
		*ret = def ? strdup(def) : NULL;
		return def && !*ret ? -ENOMEM : 0;
	}
	if (!in_list(accumulating, kw)) {
		*ret = strdup(e->value);
		return *ret ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n; i++)
		if (sshd_config_counts(cfg, kw, &cfg->entries[i])) {
			if (sb.len)
				strbuf_putc(&sb, ' ');
			strbuf_puts(&sb, cfg->entries[i].value);
		}
	if (strbuf_error(&sb) < 0)
		return -ENOMEM;
	*ret = strbuf_steal(&sb);
	return 0;
}

static void note_source(struct strbuf *sb, const struct sshd_config *cfg, const char *kw,
			const struct sshd_entry *src)
{
	const struct sshd_entry *m = sshd_config_first_match(cfg, kw);

	if (!src)
		strbuf_puts(sb, " (default)");
	else if (src->scope == SSHD_SCOPE_MATCH)
		strbuf_printf(sb, " (Match all block at %s:%u)", src->file, src->line);
	if (m)
		strbuf_printf(sb, " (a Match block sets '%s' at %s:%u)", m->value, m->file, m->line);
}

static int eval_set(const struct check *c, const struct sshd_config *cfg, struct probe_result *ret)
{
	_cleanup_free_ char *kws = strdup(check_arg(c, "keyword"));
	_cleanup_strbuf_ struct strbuf exp = STRBUF_INIT;
	char *save = NULL;

	if (!kws)
		return -ENOMEM;
	strbuf_puts(&exp, "any of: ");
	strbuf_puts(&exp, check_arg(c, "keyword"));
	if (strbuf_error(&exp) < 0)
		return -ENOMEM;
	for (char *t = strtok_r(kws, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
		const struct sshd_entry *e;

		for (char *p = t; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		e = sshd_config_first(cfg, alias(t));
		if (!e)
			continue;
		strbuf_printf(&obs, "%s %s (%s:%u)", t, e->value, e->file, e->line);
		if (strbuf_error(&obs) < 0)
			return -ENOMEM;
		return probe_result_set(ret, VERDICT_PASS, strbuf_str(&obs), strbuf_str(&exp));
	}
	return probe_result_set(ret, VERDICT_FAIL, "none set", strbuf_str(&exp));
}

static int eval_forbid(const struct check *c, const struct sshd_config *cfg, const char *kw, const char *value,
		       const struct sshd_entry *src, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf enabled = STRBUF_INIT, bad = STRBUF_INIT, obs = STRBUF_INIT,
				       exp = STRBUF_INIT;
	_cleanup_free_ char *forbid = strdup(check_arg(c, "forbid"));
	const char *list;
	char *save = NULL;
	int r;

	if (!forbid)
		return -ENOMEM;
	r = enabled_algorithms(value ? value : "", default_for(kw) ? default_for(kw) : "", &enabled);
	if (r < 0)
		return r;
	list = strbuf_str(&enabled);
	for (char *t = strtok_r(forbid, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
		for (const char *p = list; *p;) {
			size_t l = strcspn(p, ",");
			char name[128];

			if (l < sizeof(name)) {
				memcpy(name, p, l);
				name[l] = '\0';
				if (fnmatch(t, name, 0) == 0 && !list_has(strbuf_str(&bad), name, l)) {
					if (bad.len)
						strbuf_putc(&bad, ',');
					strbuf_puts(&bad, name);
				}
			}
			p += l;
			if (*p == ',')
				p++;
		}
	if (bad.len)
		strbuf_printf(&obs, "enabled: %s", strbuf_str(&bad));
	else
		strbuf_puts(&obs, value ? value : "(unset)");
	note_source(&obs, cfg, kw, src);
	strbuf_printf(&exp, "none of: %s", check_arg(c, "forbid"));
	if (strbuf_error(&obs) < 0 || strbuf_error(&exp) < 0 || strbuf_error(&bad) < 0)
		return -ENOMEM;
	return probe_result_set(ret, bad.len ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs), strbuf_str(&exp));
}

/* Field n (1-based) of a colon-separated value such as MaxStartups
 * "10:30:100"; a single number N means N:30:N as in servconf.c. */
static char *field_of(const char *value, unsigned n)
{
	const char *p = value;

	if (!strchr(value, ':'))
		return strdup(n == 2 ? "30" : value);
	for (unsigned i = 1; i < n && p; i++) {
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (!p)
		return strdup("");
	return strndup(p, strcspn(p, ":"));
}

static int sshd_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_free_ char *kw = NULL, *value = NULL, *cmp = NULL;
	_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT;
	const struct sshd_config *cfg;
	const struct sshd_entry *src = NULL;
	const char *field = check_arg(c, "field");
	int r = 0;

	cfg = get_config(ctx, &r);
	if (!cfg) {
		if (r == -ENOENT)
			return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE,
							"no %s (openssh-server not installed)", SSHD_CONFIG_PATH);
		if (r == -ENOMEM)
			return r;
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", SSHD_CONFIG_PATH,
						strerror(-r));
	}
	if (cfg->error)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "sshd would reject its configuration: %s",
						cfg->error);
	if (check_arg(c, "set"))
		return eval_set(c, cfg, ret);

	kw = strdup(check_arg(c, "keyword"));
	if (!kw)
		return -ENOMEM;
	for (char *p = kw; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r = lookup(cfg, alias(kw), &value, &src);
	if (r < 0)
		return r;
	if (check_arg(c, "forbid"))
		return eval_forbid(c, cfg, alias(kw), value, src, ret);

	/* servconf.c: "without-password" is the old name of prohibit-password */
	if (value && streq(alias(kw), "permitrootlogin") && strcasecmp(value, "without-password") == 0) {
		cmp = strdup("prohibit-password");
		if (!cmp)
			return -ENOMEM;
	}
	if (value) {
		strbuf_puts(&shown, value);
		if (field) {
			unsigned n = 1;

			(void)parse_uint(field, 3, &n);
			cmp = field_of(value, n);
			if (!cmp)
				return -ENOMEM;
			strbuf_printf(&shown, " (field %u: %s)", n, cmp);
		} else if (in_list(time_keywords, alias(kw))) {
			long long secs;

			if (sshd_convtime(value, &secs) >= 0 && asprintf(&cmp, "%lld", secs) < 0)
				return -ENOMEM;
			if (cmp && !streq(cmp, value))
				strbuf_printf(&shown, " (%s seconds)", cmp);
		}
	} else
		strbuf_puts(&shown, "(unset)");
	note_source(&shown, cfg, alias(kw), src);
	if (strbuf_error(&shown) < 0)
		return -ENOMEM;
	return expect_eval_shown(c, cmp ? cmp : value, strbuf_str(&shown), !in_list(case_sensitive, alias(kw)),
				 ret);
}

const struct probe probe_sshd = {
	.name = "sshd",
	.validate = sshd_validate,
	.eval = sshd_eval,
	.cache_free = cache_free,
};
