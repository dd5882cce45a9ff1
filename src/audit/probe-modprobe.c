/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modprobe: a kernel module is disabled (CIS 1.1.1.x, 3.2.x): modprobe.d
 * has "install NAME /bin/false" (or /bin/true), so that an explicit or
 * automatic load runs that command instead.  A "blacklist NAME" alone
 * only stops alias-based autoloading and is reported but not enough.
 * A module the image does not ship cannot be loaded: that passes.  Live,
 * a module that is loaded right now fails.
 */
#include <dirent.h>
#include <fcntl.h>

#include "check.h"
#include "confdirs.h"
#include "probes.h"
#include "strbuf.h"

#define MODPROBE_MAX_FILE (1024 * 1024)
#define MODPROBE_MAX_DEP (64 * 1024 * 1024)
#define MODPROBE_MAX_NAME 64

static const char *const modprobe_dirs[] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d",
};

struct mod_rule {
	char *module;	/* normalised: '-' -> '_' */
	char *command;	/* install command, NULL for blacklist */
	char *file;
	unsigned line;
};

struct modprobe_cache {
	struct mod_rule *rules;
	size_t n, allocated;
	char **available;	/* module names shipped in /lib/modules/x/; sorted */
	size_t n_available, allocated_available;
	char **builtin;
	size_t n_builtin, allocated_builtin;
	bool have_modules;	/* the image has a /lib/modules/<version>/ */
	char **loaded;
	size_t n_loaded, allocated_loaded;
	int error;
	char *error_path;
};

/* kmod treats '-' and '_' in module names as the same character. */
static void normalize(char *s)
{
	for (; *s; s++)
		if (*s == '-')
			*s = '_';
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void cache_free(void *p)
{
	struct modprobe_cache *c = p;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->rules[i].module);
		free(c->rules[i].command);
		free(c->rules[i].file);
	}
	free(c->rules);
	strv_free(c->available, c->n_available);
	strv_free(c->builtin, c->n_builtin);
	strv_free(c->loaded, c->n_loaded);
	free(c->error_path);
	free(c);
}

static int strv_add(char ***v, size_t *n, size_t *allocated, const char *s, size_t len)
{
	if (grow_array((void **)v, allocated, *n + 1, sizeof(char *)) < 0)
		return -ENOMEM;
	(*v)[*n] = strndup(s, len);
	if (!(*v)[*n])
		return -ENOMEM;
	normalize((*v)[*n]);
	(*n)++;
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool strv_has(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(char *), cmp_strp) != NULL;
}

static int parse_conf(struct modprobe_cache *c, const char *file, char *text, size_t len)
{
	char *p = text, *line;
	unsigned lineno = 0;

	while ((line = confdirs_next_line(&p, text + len))) {
		char *s = confdirs_skip_ws(line), *cmd, *name;
		size_t l;
		struct mod_rule *rule;

		lineno++;
		/* modprobe.d(5): "install MODULE COMMAND...", "blacklist MODULE" */
		if (strncmp(s, "install", 7) == 0 && (s[7] == ' ' || s[7] == '\t'))
			cmd = "install";
		else if (strncmp(s, "blacklist", 9) == 0 && (s[9] == ' ' || s[9] == '\t'))
			cmd = "blacklist";
		else
			continue;
		name = confdirs_skip_ws(s + strlen(cmd));
		l = strcspn(name, " \t");
		if (l == 0 || l > MODPROBE_MAX_NAME)
			continue;
		if (grow_array((void **)&c->rules, &c->allocated, c->n + 1, sizeof(*c->rules)) < 0)
			return -ENOMEM;
		rule = &c->rules[c->n];
		*rule = (struct mod_rule){ .module = strndup(name, l), .file = strdup(file), .line = lineno };
		if (cmd[0] == 'i')
			rule->command = strdup(confdirs_skip_ws(name + l));
		if (!rule->module || !rule->file || (cmd[0] == 'i' && !rule->command)) {
			free(rule->module);
			free(rule->file);
			free(rule->command);
			return -ENOMEM;
		}
		normalize(rule->module);
		c->n++;
	}
	return 0;
}

static void set_error(struct modprobe_cache *c, int r, const char *path)
{
	if (c->error < 0)
		return;
	c->error = r;
	c->error_path = strdup(path);
}

/* modules.dep lines: "kernel/fs/cramfs/cramfs.ko.xz: deps..." ->
 * "cramfs".  modules.builtin lines: "kernel/fs/ext4/ext4.ko". */
static int add_module_paths(char ***v, size_t *n, size_t *allocated, char *text, size_t len, bool dep)
{
	char *p = text, *line;

	while ((line = confdirs_next_line(&p, text + len))) {
		char *end = dep ? strchr(line, ':') : line + strlen(line), *base, *ko;

		if (!end)
			continue;
		*end = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		ko = strstr(base, ".ko");
		if (!ko || ko == base)
			continue;
		if (strv_add(v, n, allocated, base, (size_t)(ko - base)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int load_kernel_modules(struct modprobe_cache *c, const struct rootfs *root)
{
	DIR *dp;
	struct dirent *de;
	int fd, r = 0;

	fd = rootfs_openat(root, "/lib/modules", O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (fd != -ENOENT && fd != -ENOTDIR)
			set_error(c, fd, "/lib/modules");
		return 0;
	}
	dp = fdopendir(fd);
	if (!dp) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(dp)) && r >= 0) {
		_cleanup_free_ char *dep = NULL, *builtin = NULL, *text = NULL;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&dep, "/lib/modules/%s/modules.dep", de->d_name) < 0 ||
		    asprintf(&builtin, "/lib/modules/%s/modules.builtin", de->d_name) < 0) {
			r = -ENOMEM;
			break;
		}
		r = rootfs_read_file(root, dep, MODPROBE_MAX_DEP, &text, &len);
		if (r == -ENOENT || r == -ENOTDIR) {
			r = 0;
			continue;
		}
		if (r < 0) {
			if (r != -ENOMEM) {
				set_error(c, r, dep);
				r = 0;
			}
			break;
		}
		c->have_modules = true;
		r = add_module_paths(&c->available, &c->n_available, &c->allocated_available, text, len, true);
		free(text);
		text = NULL;
		if (r < 0)
			break;
		r = rootfs_read_file(root, builtin, MODPROBE_MAX_DEP, &text, &len);
		if (r == -ENOENT) {
			r = 0;
			continue;
		}
		if (r < 0) {
			if (r != -ENOMEM) {
				set_error(c, r, builtin);
				r = 0;
			}
			break;
		}
		r = add_module_paths(&c->builtin, &c->n_builtin, &c->allocated_builtin, text, len, false);
	}
	closedir(dp);
	if (c->n_available)
		qsort(c->available, c->n_available, sizeof(char *), cmp_strp);
	if (c->n_builtin)
		qsort(c->builtin, c->n_builtin, sizeof(char *), cmp_strp);
	return r;
}

static int load_loaded(struct modprobe_cache *c, const struct rootfs *root)
{
	_cleanup_free_ char *text = NULL;
	char *p, *line;
	size_t len;
	int r;

	r = rootfs_read_file(root, "/proc/modules", MODPROBE_MAX_FILE, &text, &len);
	if (r == -ENOENT)
		return 0;	/* kernel without module support */
	if (r < 0) {
		if (r == -ENOMEM)
			return r;
		set_error(c, r, "/proc/modules");
		return 0;
	}
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		size_t l = strcspn(line, " \t");

		if (l && l <= MODPROBE_MAX_NAME && strv_add(&c->loaded, &c->n_loaded, &c->allocated_loaded, line, l) < 0)
			return -ENOMEM;
	}
	if (c->n_loaded)
		qsort(c->loaded, c->n_loaded, sizeof(char *), cmp_strp);
	return 0;
}

static int load(struct modprobe_cache *c, const struct rootfs *root)
{
	struct confdirs_file *files = NULL;
	size_t n = 0;
	int r;

	r = confdirs_list(root, modprobe_dirs, ELEMENTSOF(modprobe_dirs), ".conf", &files, &n);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		set_error(c, r, "modprobe.d");
		return 0;
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *text = NULL;
		size_t len;

		if (!files[i].path)
			continue;
		r = rootfs_read_file(root, files[i].path, MODPROBE_MAX_FILE, &text, &len);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			set_error(c, r, files[i].path);
			r = 0;
			continue;
		}
		r = parse_conf(c, files[i].path, text, len);
	}
	confdirs_free(files, n);
	if (r < 0)
		return r;
	r = load_kernel_modules(c, root);
	if (r < 0)
		return r;
	if (root->live)
		r = load_loaded(c, root);
	return r;
}

static int modprobe_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "module", "disabled", NULL };
	const char *m, *v;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	m = check_arg_required(c, "module", d);
	if (!m)
		return -EINVAL;
	if (strlen(m) > MODPROBE_MAX_NAME ||
	    strspn(m, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(m))
		return diag_set(d, -EINVAL, "key 'module': '%s' is not a module name", m);
	v = check_arg_required(c, "disabled", d);
	if (!v)
		return -EINVAL;
	if (parse_bool(v, &b) < 0 || !b)
		return diag_set(d, -EINVAL, "key 'disabled': only 'yes' is meaningful");
	return 0;
}

/* "install NAME /bin/false" and friends: the command's program. */
static bool command_disables(const char *cmd)
{
	static const char *const progs[] = { "/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true", NULL };
	size_t l = strcspn(cmd, " \t;");

	for (size_t i = 0; progs[i]; i++)
		if (l == strlen(progs[i]) && strncmp(cmd, progs[i], l) == 0)
			return true;
	return false;
}

static int modprobe_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	_cleanup_free_ char *m = strdup(check_arg(c, "module"));
	const struct mod_rule *install = NULL, *blacklist = NULL;
	void **slot = audit_ctx_cache(ctx, &probe_modprobe);
	struct modprobe_cache *cache;
	bool disabled, loaded, available;
	int r;

	if (!m)
		return -ENOMEM;
	if (!slot)
		return -EINVAL;
	normalize(m);
	if (!*slot) {
		cache = calloc(1, sizeof(*cache));
		if (!cache)
			return -ENOMEM;
		r = load(cache, ctx->root);
		if (r < 0) {
			cache_free(cache);
			return r;
		}
		*slot = cache;
	}
	cache = *slot;
	if (cache->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s",
						cache->error_path ? cache->error_path : "modprobe.d",
						strerror(-cache->error));

	/* kmod uses the first install command for a module. */
	for (size_t i = 0; i < cache->n; i++) {
		const struct mod_rule *rule = &cache->rules[i];

		if (!streq(rule->module, m))
			continue;
		if (rule->command && !install)
			install = rule;
		if (!rule->command && !blacklist)
			blacklist = rule;
	}
	disabled = install && command_disables(install->command);
	loaded = strv_has(cache->loaded, cache->n_loaded, m);
	available = strv_has(cache->available, cache->n_available, m);

	if (strv_has(cache->builtin, cache->n_builtin, m))
		strbuf_puts(&obs, "built into the kernel (cannot be disabled)");
	else if (install)
		strbuf_printf(&obs, "install %s (%s:%u)", install->command, install->file, install->line);
	else
		strbuf_puts(&obs, "no install command");
	if (blacklist)
		strbuf_puts(&obs, ", blacklisted");
	else
		strbuf_puts(&obs, ", not blacklisted");
	if (loaded)
		strbuf_puts(&obs, ", loaded now");
	if (!available && !strv_has(cache->builtin, cache->n_builtin, m) && !loaded) {
		strbuf_reset(&obs);
		strbuf_puts(&obs, cache->have_modules ? "not available (no such module in /lib/modules)"
						      : "not available (no kernel modules installed)");
		disabled = true;
	}
	if (strv_has(cache->builtin, cache->n_builtin, m))
		disabled = false;
	if (strbuf_error(&obs) < 0)
		return -ENOMEM;
	return probe_result_set(ret, disabled && !loaded ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&obs),
				"install /bin/false (or /bin/true), not loaded");
}

const struct probe probe_modprobe = {
	.name = "modprobe",
	.validate = modprobe_validate,
	.eval = modprobe_eval,
	.cache_free = cache_free,
};
