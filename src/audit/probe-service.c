/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "service": systemd unit state.  Arguments (vigil-checks(5)):
 *
 *	unit = NAME [NAME...]	a name without a type suffix is NAME.service;
 *				every unit must satisfy the expectation
 *	match = all | one	every unit must satisfy the expectation
 *				(default), or exactly one of them (one time
 *				daemon among several, CIS 2.3.1.1)
 *	expect = STATE [STATE...]	passes if any of the states holds:
 *		enabled		installed and enabled (see below), not masked
 *		disabled	not enabled: disabled, masked or not installed
 *		masked		masked
 *		not_installed	no unit file in the search path (and not masked)
 *		active		live only: ActiveState active or reloading
 *		inactive	live only: inactive, failed, or not loaded
 *
 * Enablement is read from the unit symlinks, offline and live alike, as
 * systemctl is-enabled does it, reduced to what matters for hardening:
 *  - the unit file search path is /etc/systemd/system, /run/systemd/system,
 *    /usr/local/lib/systemd/system, /usr/lib/systemd/system,
 *    /lib/systemd/system; the first directory holding the name decides
 *    (for an instance a@b.service, its template a@.service);
 *  - masked: that first entry is a symlink to /dev/null or an empty file
 *    (systemd's null_or_empty check);
 *  - enabled: a symlink named after the unit (or, for a template, any of
 *    its instances), or pointing to a file of that name, in a *.wants/,
 *    *.requires/ or *.upholds/ directory of any search path directory
 *    (the /usr/lib ones are the "static" wants of the distribution); or an
 *    alias: a symlink of another name in /etc/systemd/system or
 *    /run/systemd/system pointing to the unit.
 *
 * The active state needs the running manager: it is read over D-Bus
 * (org.freedesktop.systemd1 GetUnit + Unit.ActiveState via sd-bus), never
 * by running systemctl; with --root, or without a system bus, an
 * active/inactive expectation is not_applicable.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#include "probes.h"
#include "strbuf.h"

#define UNIT_NAME_MAX 256
#define INDEX_MAX 200000u	/* directory entries indexed, all directories */

static const char *const search_path[] = {
	"/etc/systemd/system",
	"/run/systemd/system",
	"/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system",
	"/lib/systemd/system",
};

static const char *const unit_suffixes[] = {
	".service", ".socket", ".timer", ".target", ".path", ".mount", ".automount", ".swap", ".slice",
};

enum want {
	WANT_ENABLED = 1 << 0,
	WANT_DISABLED = 1 << 1,
	WANT_MASKED = 1 << 2,
	WANT_NOT_INSTALLED = 1 << 3,
	WANT_ACTIVE = 1 << 4,
	WANT_INACTIVE = 1 << 5,
};

static const struct {
	const char *name;
	unsigned bit;
} want_names[] = {
	{ "enabled", WANT_ENABLED },	     { "disabled", WANT_DISABLED }, { "masked", WANT_MASKED },
	{ "not_installed", WANT_NOT_INSTALLED }, { "active", WANT_ACTIVE },	    { "inactive", WANT_INACTIVE },
};

/* One directory entry of the search path: at the top level (wants ==
 * NULL) or inside a .wants/.requires/.upholds directory. */
struct unit_ent {
	unsigned dir;		/* index into search_path */
	char *wants;		/* "multi-user.target.wants" or NULL */
	char *name;
	char *target;		/* symlink target, NULL if not a symlink */
	bool empty_file;	/* a regular file of size 0 */
};

struct service_cache {
	bool indexed;
	int error;
	struct diag diag;
	struct unit_ent *ents;
	size_t n_ents, alloc;
	sd_bus *bus;
	bool bus_tried;
	int bus_error;
};

static void service_cache_free(void *p)
{
	struct service_cache *sc = p;

	if (!sc)
		return;
	for (size_t i = 0; i < sc->n_ents; i++) {
		free(sc->ents[i].wants);
		free(sc->ents[i].name);
		free(sc->ents[i].target);
	}
	free(sc->ents);
	sd_bus_flush_close_unref(sc->bus);
	free(sc);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && streq(s + n - m, suffix);
}

static bool known_suffix(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(unit_suffixes); i++)
		if (has_suffix(name, unit_suffixes[i]) && strlen(name) > strlen(unit_suffixes[i]))
			return true;
	return false;
}

/* systemd unit names: [A-Za-z0-9:_.\\-] plus one '@' for templates. */
static bool valid_unit_chars(const char *s, size_t n)
{
	if (n == 0 || n >= UNIT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(":_.\\-@", c)))
			return false;
	}
	return true;
}

/* NAME -> NAME.service unless it has a unit type suffix; malloc'ed. */
static char *unit_full_name(const char *s, size_t n)
{
	_cleanup_free_ char *u = strndup(s, n);
	char *full = NULL;

	if (!u)
		return NULL;
	if (known_suffix(u))
		return TAKE_PTR(u);
	if (asprintf(&full, "%s.service", u) < 0)
		return NULL;
	return full;
}

/* "a@b.service" -> "a@.service"; NULL (and *ret untouched) if not an
 * instance.  Returns -ENOMEM on allocation failure. */
static int unit_template(const char *u, char **ret)
{
	const char *at = strchr(u, '@'), *dot = strrchr(u, '.');
	char *t;

	if (!at || !dot || dot <= at + 1)
		return 0;
	if (asprintf(&t, "%.*s%s", (int)(at + 1 - u), u, dot) < 0)
		return -ENOMEM;
	*ret = t;
	return 1;
}

static int parse_expect(const char *s, unsigned *ret)
{
	unsigned bits = 0;

	for (const char *p = s; *p;) {
		size_t n;
		bool found = false;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		for (size_t i = 0; i < ELEMENTSOF(want_names); i++)
			if (strlen(want_names[i].name) == n && strncmp(want_names[i].name, p, n) == 0) {
				bits |= want_names[i].bit;
				found = true;
			}
		if (!found)
			return -EINVAL;
		p += n;
	}
	if (!bits)
		return -EINVAL;
	*ret = bits;
	return 0;
}

static int service_validate(const struct check *c, struct diag *d)
{
	const char *units = check_arg(c, "unit"), *expect = check_arg(c, "expect");
	unsigned bits, count = 0;

	for (size_t i = 0; i < c->n_args; i++)
		if (!streq(c->args[i].key, "unit") && !streq(c->args[i].key, "expect") && !streq(c->args[i].key, "match"))
			return diag_set(d, -EINVAL, "key '%s': unknown argument of probe service", c->args[i].key);
	if (!units)
		return diag_set(d, -EINVAL, "key 'unit': required");
	for (const char *p = units; *p;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (!valid_unit_chars(p, n) || *p == '.' || *p == '@')
			return diag_set(d, -EINVAL, "key 'unit': '%.*s' is not a unit name", (int)MIN(n, 64u), p);
		count++;
		p += n;
	}
	if (count == 0)
		return diag_set(d, -EINVAL, "key 'unit': empty");
	if (!expect)
		return diag_set(d, -EINVAL, "key 'expect': required");
	if (parse_expect(expect, &bits) < 0)
		return diag_set(d, -EINVAL,
				"key 'expect': '%s' is not a list of enabled, disabled, masked, not_installed, active, inactive",
				expect);
	if (check_arg(c, "match") && !streq(check_arg(c, "match"), "all") && !streq(check_arg(c, "match"), "one"))
		return diag_set(d, -EINVAL, "key 'match': '%s' is not all or one", check_arg(c, "match"));
	return 0;
}

static int index_add(struct service_cache *sc, unsigned dir, const char *wants, int dfd, const char *name)
{
	struct unit_ent e = { .dir = dir };
	struct stat st;

	if (sc->n_ents >= INDEX_MAX)
		return -E2BIG;
	/* Never follows: a symlink's target is read as text and resolved
	 * inside the root later (an absolute target in an image must not
	 * reach the host). */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;	/* vanished */
	if (S_ISLNK(st.st_mode)) {
		char buf[4096];
		ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);

		if (n < 0)
			return 0;
		buf[n] = '\0';
		e.target = strdup(buf);
		if (!e.target)
			return -ENOMEM;
	} else if (S_ISREG(st.st_mode))
		e.empty_file = st.st_size == 0;
	else if (!wants && S_ISDIR(st.st_mode))
		return 0;	/* directories are walked by the caller */
	e.name = strdup(name);
	if (wants)
		e.wants = strdup(wants);
	if (!e.name || (wants && !e.wants) ||
	    grow_array((void **)&sc->ents, &sc->alloc, sc->n_ents + 1, sizeof(*sc->ents)) < 0) {
		free(e.name);
		free(e.wants);
		free(e.target);
		return -ENOMEM;
	}
	sc->ents[sc->n_ents++] = e;
	return 0;
}

static bool is_dep_dir(const char *name)
{
	return has_suffix(name, ".wants") || has_suffix(name, ".requires") || has_suffix(name, ".upholds");
}

/* Entries of path (in-root), or 0 if it does not exist. */
static int index_dir(struct service_cache *sc, const struct rootfs *root, unsigned dir, const char *path,
		     const char *wants)
{
	DIR *d;
	struct dirent *de;
	int fd, r = 0;

	fd = rootfs_openat(root, path, O_RDONLY | O_DIRECTORY);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		r = negative_errno();
		close(fd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!wants && is_dep_dir(de->d_name)) {
			_cleanup_free_ char *sub = path_join(path, de->d_name);

			if (!sub) {
				r = -ENOMEM;
				break;
			}
			r = index_dir(sc, root, dir, sub, de->d_name);
		} else
			r = index_add(sc, dir, wants, dirfd(d), de->d_name);
		if (r < 0)
			break;
	}
	if (r == 0 && errno != 0)
		r = negative_errno();
	closedir(d);
	return r;
}

static int build_index(struct service_cache *sc, const struct rootfs *root)
{
	for (unsigned i = 0; i < ELEMENTSOF(search_path); i++) {
		int r = index_dir(sc, root, i, search_path[i], NULL);

		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			_cleanup_free_ char *where = rootfs_host_path(root, search_path[i]);

			sc->error = r;
			diag_set(&sc->diag, r, "%s: %s", where ?: search_path[i], strerror(-r));
			break;
		}
	}
	sc->indexed = true;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The first top-level entry named name, in search path order. */
static const struct unit_ent *first_top(const struct service_cache *sc, const char *name)
{
	const struct unit_ent *best = NULL;

	for (size_t i = 0; i < sc->n_ents; i++) {
		const struct unit_ent *e = &sc->ents[i];

		if (!e->wants && streq(e->name, name) && (!best || e->dir < best->dir))
			best = e;
	}
	return best;
}

/* Does name, or an instance of it when it is a template, match the
 * dependency link e (by link name or by target file name)? */
static bool link_matches(const struct unit_ent *e, const char *name)
{
	const char *tb = e->target ? base_name(e->target) : NULL;
	size_t n = strlen(name);

	if (streq(e->name, name) || (tb && streq(tb, name)))
		return true;
	/* template "a@.service" matches "a@x.service" */
	if (n >= 2 && name[n - 1] != '@') {
		const char *at = strchr(name, '@');

		if (at && at[1] == '.') {
			size_t pre = (size_t)(at + 1 - name);
			const char *suffix = at + 1;

			if (strncmp(e->name, name, pre) == 0 && has_suffix(e->name, suffix) &&
			    strlen(e->name) > pre + strlen(suffix))
				return true;
		}
	}
	return false;
}

enum unit_state { UNIT_NOT_INSTALLED, UNIT_DISABLED, UNIT_ENABLED, UNIT_MASKED };

static const char *const unit_state_names[] = { "not_installed", "disabled", "enabled", "masked" };

/* The fragment decides installed/masked: the first entry of the name, or
 * of its template. */
static int unit_state(const struct service_cache *sc, const struct rootfs *root, const char *u,
		      enum unit_state *ret)
{
	_cleanup_free_ char *tmpl = NULL, *alias_of = NULL;
	const struct unit_ent *frag;
	bool installed = false, enabled = false;
	int r;

	r = unit_template(u, &tmpl);
	if (r < 0)
		return r;
	frag = first_top(sc, u);
	if (!frag && tmpl)
		frag = first_top(sc, tmpl);
	if (frag) {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if ((frag->target && streq(frag->target, "/dev/null")) || frag->empty_file) {
			*ret = UNIT_MASKED;
			return 0;
		}
		path = path_join(search_path[frag->dir], frag->name);
		if (!path)
			return -ENOMEM;
		/* A dangling link is no unit file. */
		installed = rootfs_stat(root, path, true, &st) >= 0 && S_ISREG(st.st_mode);
		/* u itself may be an alias of a unit of another name: its
		 * enablement is that of the unit it points to. */
		if (installed && frag->target && !streq(base_name(frag->target), frag->name)) {
			alias_of = strdup(base_name(frag->target));
			if (!alias_of)
				return -ENOMEM;
		}
	}
	for (size_t i = 0; installed && !enabled && i < sc->n_ents; i++) {
		const struct unit_ent *e = &sc->ents[i];

		if (e->wants) {
			/* An instance is enabled by its own link only; the
			 * template's name matches any instance (link_matches). */
			enabled = link_matches(e, u) || (alias_of && link_matches(e, alias_of));
		} else if (e->dir <= 1 && e->target && !streq(e->target, "/dev/null") && !streq(e->name, u) &&
			   streq(base_name(e->target), u)) {
			enabled = true;	/* an alias in /etc or /run points to u */
		}
	}
	*ret = !installed ? UNIT_NOT_INSTALLED : enabled ? UNIT_ENABLED : UNIT_DISABLED;
	return 0;
}

/* ActiveState of u from the running manager: 0 with *ret malloc'ed
 * ("inactive" for a unit that is not loaded), or -errno. */
static int unit_active_state(sd_bus *bus, const char *u, char **ret)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *path;
	char *state = NULL;
	int r;

	r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", "GetUnit", &err, &reply, "s", u);
	if (r < 0) {
		if (sd_bus_error_has_name(&err, "org.freedesktop.systemd1.NoSuchUnit")) {
			state = strdup("inactive");
			if (!state)
				return -ENOMEM;
			*ret = state;
			return 0;
		}
		return r;
	}
	r = sd_bus_message_read(reply, "o", &path);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit",
					       "ActiveState", &err, &state);
	sd_bus_message_unref(reply);
	if (r < 0)
		return r;
	*ret = state;
	return 0;
}

static int eval_cached(const struct check *c, struct audit_ctx *ctx, void **slot, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT, exp = STRBUF_INIT;
	const char *units = check_arg(c, "unit"), *expect = check_arg(c, "expect");
	struct service_cache *sc = *slot;
	unsigned want = 0, n_ok = 0;
	bool pass = true, one = streq_ptr(check_arg(c, "match"), "one");
	int r;

	if (!units || !expect || parse_expect(expect, &want) < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	if (!sc) {
		sc = calloc(1, sizeof(*sc));
		if (!sc)
			return -ENOMEM;
		*slot = sc;
	}
	if ((want & (WANT_ACTIVE | WANT_INACTIVE))) {
		if (!ctx->root->live)
			return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE,
							"the active state needs the running system (--root given)");
		if (!sc->bus_tried) {
			sc->bus_tried = true;
			sc->bus_error = sd_bus_open_system(&sc->bus);
		}
		if (sc->bus_error < 0)
			return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no system bus: %s",
							strerror(-sc->bus_error));
	}
	if (!sc->indexed) {
		r = build_index(sc, ctx->root);
		if (r < 0)
			return r;
	}
	if (sc->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", sc->diag.msg);

	for (const char *p = units; *p;) {
		_cleanup_free_ char *u = NULL, *active = NULL;
		enum unit_state st;
		bool ok = false;
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		u = unit_full_name(p, n);
		if (!u)
			return -ENOMEM;
		p += n;
		r = unit_state(sc, ctx->root, u, &st);
		if (r < 0)
			return r;
		if (want & (WANT_ACTIVE | WANT_INACTIVE)) {
			r = unit_active_state(sc->bus, u, &active);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				return probe_result_setf_reason(ret, VERDICT_ERROR, "%s: cannot read the active state: %s",
								u, strerror(-r));
		}
		ok = ((want & WANT_ENABLED) && st == UNIT_ENABLED) || ((want & WANT_DISABLED) && st != UNIT_ENABLED) ||
		     ((want & WANT_MASKED) && st == UNIT_MASKED) ||
		     ((want & WANT_NOT_INSTALLED) && st == UNIT_NOT_INSTALLED) ||
		     ((want & WANT_ACTIVE) && active && (streq(active, "active") || streq(active, "reloading"))) ||
		     ((want & WANT_INACTIVE) && active && (streq(active, "inactive") || streq(active, "failed")));
		pass = pass && ok;
		n_ok += ok;
		if (obs.len > 0)
			strbuf_puts(&obs, ", ");
		strbuf_printf(&obs, "%s: %s", u, unit_state_names[st]);
		if (active)
			strbuf_printf(&obs, " (%s)", active);
	}
	for (size_t i = 0; i < ELEMENTSOF(want_names); i++)
		if (want & want_names[i].bit) {
			strbuf_puts(&exp, exp.len ? " or " : one ? "exactly one " : "");
			strbuf_puts(&exp, want_names[i].name);
		}
	if (one)
		pass = n_ok == 1;
	if (strbuf_error(&obs) < 0 || strbuf_error(&exp) < 0)
		return -ENOMEM;
	return probe_result_set(ret, pass ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&obs), strbuf_str(&exp));
}

static int service_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	void *tmp = NULL, **slot = audit_ctx_cache(ctx, &probe_service);
	int r;

	/* Not in the engine's table (a test, or not registered yet): no cache. */
	if (!slot)
		slot = &tmp;
	r = eval_cached(c, ctx, slot, ret);
	service_cache_free(tmp);
	return r;
}

const struct probe probe_service = {
	.name = "service",
	.validate = service_validate,
	.eval = service_eval,
	.cache_free = service_cache_free,
};
