/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysctl: a kernel parameter.  Live, the value in /proc/sys; offline, the
 * value systemd-sysctl would apply at boot, merged from the sysctl.d
 * fragments with the precedence of sysctl.d(5).
 *
 * systemd-sysctl never reads /etc/sysctl.conf by that name (procps'
 * "sysctl --system" does, last, but Debian 12 runs only systemd-sysctl
 * at boot); Debian's systemd package ships the link
 * /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf, so the file counts
 * where that name sorts among the fragments.  An /etc/sysctl.conf that
 * no fragment links to is not applied: its value is not used, and the
 * observed text says what it would have set.
 */
#include <fnmatch.h>
#include <sys/stat.h>

#include "check.h"
#include "confdirs.h"
#include "expect.h"
#include "probes.h"

#define SYSCTL_MAX_FILE (1024 * 1024)
#define SYSCTL_MAX_ENTRIES 65536
#define SYSCTL_MAX_KEY 256
#define SYSCTL_CONF "/etc/sysctl.conf"

struct sysctl_entry {
	char *key;	/* slash form: "net/ipv4/ip_forward" */
	char *value;
	bool glob;
	bool exclude;	/* "-key" without value: globs do not apply to it */
};

struct sysctl_cache {
	struct sysctl_entry *entries;	/* in assignment order */
	size_t n, allocated;
	int error;			/* reading the files failed */
	char *error_path;
	struct sysctl_cache *unlinked;	/* /etc/sysctl.conf when no fragment links to it */
};

static const char *const sysctl_dirs[] = {
	"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d",
};

/* sysctl.d(5): if the first separator is a '/', the key is in slash form
 * already; otherwise dots and slashes swap roles ("net.ipv4.conf.eth0/1"
 * names the interface "eth0.1"). */
static void sysctl_normalize(char *key)
{
	char *sep = strpbrk(key, "./");

	if (!sep || *sep == '/')
		return;
	for (char *p = sep; *p; p++)
		if (*p == '.')
			*p = '/';
		else if (*p == '/')
			*p = '.';
}

static void sysctl_cache_free(void *p)
{
	struct sysctl_cache *c = p;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->entries[i].key);
		free(c->entries[i].value);
	}
	free(c->entries);
	free(c->error_path);
	sysctl_cache_free(c->unlinked);
	free(c);
}

/* Collapse runs of white space to one space, as procfs prints tabs
 * between the fields of multi-value settings. */
static void squeeze_ws(char *s)
{
	char *w = s;
	bool space = false;

	for (char *r = confdirs_skip_ws(s); *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n') {
			space = true;
			continue;
		}
		if (space && w > s)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

static int sysctl_assign(struct sysctl_cache *c, char *key, char *value, bool exclude)
{
	struct sysctl_entry *e;

	sysctl_normalize(key);
	squeeze_ws(value);
	/* Later assignment wins, and moves to the end of the order so that
	 * "last matching glob" stays right. */
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].exclude == exclude && streq(c->entries[i].key, key)) {
			free(c->entries[i].key);
			free(c->entries[i].value);
			memmove(&c->entries[i], &c->entries[i + 1], (c->n - i - 1) * sizeof(*c->entries));
			c->n--;
			break;
		}
	if (c->n >= SYSCTL_MAX_ENTRIES)
		return -E2BIG;
	if (grow_array((void **)&c->entries, &c->allocated, c->n + 1, sizeof(*c->entries)) < 0)
		return -ENOMEM;
	e = &c->entries[c->n];
	*e = (struct sysctl_entry){
		.key = strdup(key),
		.value = strdup(value),
		.glob = strpbrk(key, "*?[") != NULL,
		.exclude = exclude,
	};
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

/* Parse one file in sysctl.d(5) syntax; malformed lines are ignored, as
 * systemd-sysctl ignores them (with a warning). */
static int sysctl_parse_text(struct sysctl_cache *c, char *text, size_t len)
{
	char *p = text, *end = text + len, *line;

	while ((line = confdirs_next_line(&p, end))) {
		char *key = confdirs_skip_ws(line), *eq, *k_end;
		bool dash;
		int r;

		if (*key == '#' || *key == ';' || *key == '\0')
			continue;
		/* "-key = value": ignore errors when setting; "-key" alone:
		 * exclude the key from glob assignments (sysctl.d(5)). */
		dash = *key == '-';
		if (dash)
			key = confdirs_skip_ws(key + 1);
		eq = strchr(key, '=');
		if (!eq) {
			if (dash && *key && strlen(key) <= SYSCTL_MAX_KEY) {
				r = sysctl_assign(c, key, key + strlen(key), true);
				if (r < 0)
					return r;
			}
			continue;
		}
		k_end = eq;
		while (k_end > key && (k_end[-1] == ' ' || k_end[-1] == '\t'))
			k_end--;
		*k_end = '\0';
		if (*key == '\0' || strlen(key) > SYSCTL_MAX_KEY)
			continue;
		r = sysctl_assign(c, key, confdirs_skip_ws(eq + 1), false);
		if (r < 0)
			return r;
	}
	return 0;
}

static int sysctl_load_file(struct sysctl_cache *c, const struct rootfs *root, const char *path, bool missing_ok)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = rootfs_read_file(root, path, SYSCTL_MAX_FILE, &text, &len);
	if (r == -ENOENT && missing_ok)
		return 0;
	if (r < 0) {
		c->error = r;
		free(c->error_path);
		c->error_path = strdup(path);
		return r == -ENOMEM ? r : 0;
	}
	return sysctl_parse_text(c, text, len);
}

/* Whether one of the fragments read is /etc/sysctl.conf (Debian's
 * 99-sysctl.conf link, or any other name for it); true if there is no
 * /etc/sysctl.conf at all. */
static bool sysctl_conf_linked(const struct rootfs *root, const struct confdirs_file *files, size_t n)
{
	struct stat conf, st;

	if (rootfs_stat(root, SYSCTL_CONF, true, &conf) < 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (files[i].path && rootfs_stat(root, files[i].path, true, &st) >= 0 && st.st_dev == conf.st_dev &&
		    st.st_ino == conf.st_ino)
			return true;
	return false;
}

static int sysctl_load(const struct rootfs *root, struct sysctl_cache **ret)
{
	struct confdirs_file *files = NULL;
	struct sysctl_cache *c;
	size_t n = 0;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	r = confdirs_list(root, sysctl_dirs, ELEMENTSOF(sysctl_dirs), ".conf", &files, &n);
	if (r < 0 && r != -ENOMEM) {
		/* Remembered, so that every sysctl check reports it. */
		c->error = r;
		c->error_path = strdup("sysctl.d");
		r = 0;
	}
	for (size_t i = 0; i < n && r >= 0; i++)
		if (files[i].path)
			r = sysctl_load_file(c, root, files[i].path, false);
	if (r >= 0 && !sysctl_conf_linked(root, files, n)) {
		c->unlinked = calloc(1, sizeof(*c->unlinked));
		r = c->unlinked ? sysctl_load_file(c->unlinked, root, SYSCTL_CONF, true) : -ENOMEM;
	}
	confdirs_free(files, n);
	if (r < 0) {
		sysctl_cache_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

/* The value systemd-sysctl would set: an explicit assignment beats any
 * glob (sysctl.d(5)); among globs the last matching one wins. */
static const char *sysctl_lookup(const struct sysctl_cache *c, const char *key)
{
	const char *glob_value = NULL;

	for (size_t i = 0; i < c->n; i++)
		if (!c->entries[i].glob && !c->entries[i].exclude && streq(c->entries[i].key, key))
			return c->entries[i].value;
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].exclude && fnmatch(c->entries[i].key, key, FNM_PATHNAME) == 0)
			return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].glob && !c->entries[i].exclude && fnmatch(c->entries[i].key, key, FNM_PATHNAME) == 0)
			glob_value = c->entries[i].value;
	return glob_value;
}

static int sysctl_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "key", NULL };
	const char *key;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	key = check_arg_required(c, "key", d);
	if (!key)
		return -EINVAL;
	if (strlen(key) > SYSCTL_MAX_KEY || strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/") !=
								strlen(key) || strstr(key, "..") || *key == '.' || *key == '/')
		return diag_set(d, -EINVAL, "key 'key': '%s' is not a sysctl name", key);
	return expect_validate(c, true, d);
}

static int sysctl_eval_live(const struct check *c, struct audit_ctx *ctx, const char *key,
			    struct probe_result *ret)
{
	_cleanup_free_ char *path = NULL, *value = NULL;
	size_t len;
	int r;

	path = path_join("/proc/sys", key);
	if (!path)
		return -ENOMEM;
	r = rootfs_read_file(ctx->root, path, 64 * 1024, &value, &len);
	if (r == -ENOENT)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE,
						"%s does not exist (feature not in this kernel)", path);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", path, strerror(-r));
	if (memchr(value, '\0', len))
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s: unexpected NUL byte", path);
	squeeze_ws(value);
	return expect_eval(c, value, false, ret);
}

static int sysctl_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_free_ char *key = NULL;
	void **slot;
	struct sysctl_cache *cache;
	int r;

	key = strdup(check_arg(c, "key"));
	if (!key)
		return -ENOMEM;
	sysctl_normalize(key);
	if (ctx->root->live)
		return sysctl_eval_live(c, ctx, key, ret);

	slot = audit_ctx_cache(ctx, &probe_sysctl);
	if (!slot)
		return -EINVAL;
	if (!*slot) {
		r = sysctl_load(ctx->root, &cache);
		if (r < 0)
			return r;
		*slot = cache;
	}
	cache = *slot;
	if (cache->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s",
						cache->error_path ? cache->error_path : "sysctl.d",
						strerror(-cache->error));
	r = expect_eval(c, sysctl_lookup(cache, key), false, ret);
	if (r >= 0 && cache->unlinked && sysctl_lookup(cache->unlinked, key)) {
		char *obs;

		if (asprintf(&obs, "%s (" SYSCTL_CONF " sets %s, but no sysctl.d file links to it, so "
			     "systemd-sysctl does not apply it)", ret->observed ? ret->observed : "(unset)",
			     sysctl_lookup(cache->unlinked, key)) < 0)
			return -ENOMEM;
		free(ret->observed);
		ret->observed = obs;
	}
	return r;
}

const struct probe probe_sysctl = {
	.name = "sysctl",
	.validate = sysctl_validate,
	.eval = sysctl_eval,
	.cache_free = sysctl_cache_free,
};
