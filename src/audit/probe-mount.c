/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount: whether a directory is a separate mount and has the given
 * options.  Live from the kernel's view (/proc/self/mountinfo); offline
 * from the image's /etc/fstab plus the mounts systemd makes without an
 * fstab line (tmp.mount when enabled, /dev/shm always).
 */
#include <fcntl.h>

#include "check.h"
#include "confdirs.h"
#include "probe-mount.h"
#include "probes.h"
#include "strbuf.h"

#define MOUNT_MAX_FILE (4 * 1024 * 1024)
#define MOUNT_MAX_ENTRIES 65536

struct mount_cache {
	struct mount_table table;
	int error;
	const char *source;
};

void mount_table_done(struct mount_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->entries[i].target);
		free(t->entries[i].fstype);
		free(t->entries[i].options);
		free(t->entries[i].source);
		free(t->entries[i].fsroot);
	}
	free(t->entries);
	*t = (struct mount_table)MOUNT_TABLE_INIT;
}

/* Octal escapes \040 \011 \012 \134 of fstab(5) and mountinfo, in place. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
		    r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 3;
		} else
			*w++ = *r;
	}
	*w = '\0';
}

/* "/tmp/" and "/tmp" are the same mount point. */
static void strip_slashes(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

struct mount_fields {
	const char *target, *fstype, *opts1, *opts2, *source, *fsroot;
	unsigned major, minor;
};

static int add(struct mount_table *t, const struct mount_fields *f)
{
	struct mount_entry *e;

	if (t->n >= MOUNT_MAX_ENTRIES)
		return 0;
	if (grow_array((void **)&t->entries, &t->allocated, t->n + 1, sizeof(*t->entries)) < 0)
		return -ENOMEM;
	e = &t->entries[t->n];
	*e = (struct mount_entry){
		.target = strdup(f->target),
		.fstype = strdup(f->fstype),
		.source = strdup(f->source),
		.fsroot = strdup(f->fsroot),
		.dev_major = f->major,
		.dev_minor = f->minor,
	};
	if (f->opts2 && *f->opts2) {
		if (asprintf(&e->options, "%s,%s", f->opts1, f->opts2) < 0)
			e->options = NULL;
	} else
		e->options = strdup(f->opts1);
	if (!e->target || !e->fstype || !e->options || !e->source || !e->fsroot) {
		free(e->target);
		free(e->fstype);
		free(e->options);
		free(e->source);
		free(e->fsroot);
		return -ENOMEM;
	}
	unescape(e->target);
	strip_slashes(e->target);
	unescape(e->source);
	unescape(e->fsroot);
	t->n++;
	return 0;
}

/* Split the next blank-separated field off *s, or NULL. */
static char *field(char **s)
{
	char *f = confdirs_skip_ws(*s), *e;

	if (!*f)
		return NULL;
	e = f + strcspn(f, " \t");
	if (*e)
		*e++ = '\0';
	*s = e;
	return f;
}

int mount_parse_mountinfo(struct mount_table *t, char *text, size_t len)
{
	char *p = text, *line;

	while ((line = confdirs_next_line(&p, text + len))) {
		char *s = line, *f[6], *x, *fstype, *src, *super;
		int r;

		bool short_line = false;

		for (size_t i = 0; i < ELEMENTSOF(f) && !short_line; i++)
			short_line = !(f[i] = field(&s));
		if (short_line)
			continue;
		/* optional fields up to the "-" separator */
		while ((x = field(&s)) && !streq(x, "-"))
			;
		if (!x)
			continue;
		fstype = field(&s);
		src = field(&s);
		super = field(&s);
		if (!fstype || !src)
			continue;
		/* f[2] is MAJOR:MINOR of the file system */
		unsigned major = 0, minor = 0;
		if (sscanf(f[2], "%u:%u", &major, &minor) != 2)
			continue;
		r = add(t, &(struct mount_fields){ .target = f[4], .fstype = fstype, .opts1 = f[5], .opts2 = super,
						   .source = src, .fsroot = f[3], .major = major, .minor = minor });
		if (r < 0)
			return r;
	}
	return 0;
}

int mount_parse_fstab(struct mount_table *t, char *text, size_t len)
{
	char *p = text, *line;

	while ((line = confdirs_next_line(&p, text + len))) {
		char *s = confdirs_skip_ws(line), *spec, *target, *fstype, *opts;
		int r;

		if (*s == '#')
			continue;
		spec = field(&s);
		target = field(&s);
		fstype = field(&s);
		opts = field(&s);
		if (!spec || !target || !fstype)
			continue;
		if (!opts)
			opts = "defaults";
		if (streq(fstype, "swap") || *target != '/' || mount_has_option(opts, "noauto"))
			continue;
		r = add(t, &(struct mount_fields){ .target = target, .fstype = fstype, .opts1 = opts, .source = spec,
						   .fsroot = "/" });
		if (r < 0)
			return r;
	}
	return 0;
}

const struct mount_entry *mount_table_find(const struct mount_table *t, const char *target)
{
	for (size_t i = t->n; i > 0; i--)
		if (streq(t->entries[i - 1].target, target))
			return &t->entries[i - 1];
	return NULL;
}

bool mount_has_option(const char *options, const char *opt)
{
	bool has = false, implied_by_user = streq(opt, "nodev") || streq(opt, "nosuid") || streq(opt, "noexec");
	const char *pos = strncmp(opt, "no", 2) == 0 ? opt + 2 : NULL;
	size_t ol = strlen(opt);

	for (const char *p = options; *p;) {
		size_t l = strcspn(p, ",");

		if (l == ol && strncmp(p, opt, l) == 0)
			has = true;
		else if (pos && l == strlen(pos) && strncmp(p, pos, l) == 0)
			has = false;
		else if (l == 8 && strncmp(p, "defaults", 8) == 0)
			has = false;
		else if (implied_by_user && ((l == 4 && strncmp(p, "user", 4) == 0) ||
					     (l == 5 && strncmp(p, "users", 5) == 0)))
			has = true;
		p += l;
		if (*p == ',')
			p++;
	}
	return has;
}

bool mount_is_local(const struct mount_entry *e)
{
	/* Kernel interfaces, not files anyone stored. */
	static const char *const pseudo[] = {
		"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
		"efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "proc", "pstore", "rpc_pipefs", "securityfs",
		"selinuxfs", "sysfs", "tracefs", "nfsd", NULL,
	};
	/* coreutils' ME_REMOTE list plus the common Linux network file systems. */
	static const char *const network[] = {
		"9p", "acfs", "afs", "auristorfs", "ceph", "cifs", "coda", "davfs", "fhgfs", "glusterfs", "gpfs",
		"lustre", "ncpfs", "nfs", "nfs4", "ocfs2", "smb3", "smbfs", "sshfs", "vxfs", NULL,
	};
	const char *t = e->fstype;

	for (size_t i = 0; pseudo[i]; i++)
		if (streq(t, pseudo[i]))
			return false;
	for (size_t i = 0; network[i]; i++)
		if (streq(t, network[i]))
			return false;
	if (strncmp(t, "fuse", 4) == 0 && !streq(t, "fuseblk"))
		return false;
	if (e->source && ((e->source[0] == '/' && e->source[1] == '/') ||
			  (e->source[0] != '/' && strchr(e->source, ':'))))
		return false;
	return true;
}

static void cache_free(void *p)
{
	struct mount_cache *c = p;

	if (!c)
		return;
	mount_table_done(&c->table);
	free(c);
}

static int mount_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "mountpoint", "separate", "options", NULL };
	const char *mp, *v;
	bool b;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	mp = check_arg_required(c, "mountpoint", d);
	if (!mp)
		return -EINVAL;
	if (*mp != '/' || strpbrk(mp, " \t"))
		return diag_set(d, -EINVAL, "key 'mountpoint': '%s' is not an absolute path", mp);
	if ((v = check_arg(c, "separate")) && (parse_bool(v, &b) < 0 || !b))
		return diag_set(d, -EINVAL, "key 'separate': only 'yes' is meaningful");
	if ((v = check_arg(c, "options"))) {
		if (strspn(v, "abcdefghijklmnopqrstuvwxyz_ ") != strlen(v) || strspn(v, " ") == strlen(v))
			return diag_set(d, -EINVAL, "key 'options': '%s' is not a list of option names", v);
	}
	if (!check_arg(c, "separate") && !check_arg(c, "options"))
		return diag_set(d, -EINVAL, "no condition: give 'separate = yes' and/or 'options'");
	return 0;
}

static int load_table(struct audit_ctx *ctx, struct mount_cache *c)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	c->source = ctx->root->live ? "/proc/self/mountinfo" : "/etc/fstab";
	r = rootfs_read_file(ctx->root, c->source, MOUNT_MAX_FILE, &text, &len);
	if (r == -ENOENT && !ctx->root->live)
		return 0;	/* no fstab: nothing is mounted separately */
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		c->error = r;
		return 0;
	}
	return ctx->root->live ? mount_parse_mountinfo(&c->table, text, len)
			       : mount_parse_fstab(&c->table, text, len);
}

/* systemd's tmp.mount, when enabled in the image (WantedBy=local-fs.target),
 * mounts a tmpfs on /tmp with its Options=. */
static int tmp_mount_unit(struct audit_ctx *ctx, char **ret_options)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int fd = -EBADF;
	char *p, *line, target[32];
	size_t len;
	ssize_t n;
	int r;

	/* masked: "systemctl mask tmp.mount" links the unit to /dev/null */
	fd = rootfs_openat(ctx->root, "/etc/systemd/system/tmp.mount", O_PATH | O_NOFOLLOW);
	if (fd >= 0 && (n = readlinkat(fd, "", target, sizeof(target) - 1)) > 0) {
		target[n] = '\0';
		if (streq(target, "/dev/null"))
			return -ENOENT;
	}
	r = rootfs_read_file(ctx->root, "/etc/systemd/system/local-fs.target.wants/tmp.mount", 64 * 1024, &text,
			     &len);
	if (r < 0)
		return r;
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		char *s = confdirs_skip_ws(line);

		if (strncmp(s, "Options=", 8) == 0) {
			free(*ret_options);
			*ret_options = strdup(s + 8);
			if (!*ret_options)
				return -ENOMEM;
		}
	}
	if (!*ret_options && !(*ret_options = strdup("defaults")))
		return -ENOMEM;
	return 0;
}

static int mount_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT, exp = STRBUF_INIT, missing = STRBUF_INIT;
	_cleanup_free_ char *mp = strdup(check_arg(c, "mountpoint")), *unit_opts = NULL;
	const char *opts = check_arg(c, "options"), *options = NULL, *fstype = NULL, *how = NULL;
	void **slot = audit_ctx_cache(ctx, &probe_mount);
	const struct mount_entry *e;
	struct mount_cache *cache;
	int r;

	if (!mp)
		return -ENOMEM;
	if (!slot)
		return -EINVAL;
	strip_slashes(mp);
	if (!*slot) {
		cache = calloc(1, sizeof(*cache));
		if (!cache)
			return -ENOMEM;
		r = load_table(ctx, cache);
		if (r < 0) {
			cache_free(cache);
			return r;
		}
		*slot = cache;
	}
	cache = *slot;
	if (cache->error < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", cache->source,
						strerror(-cache->error));

	e = mount_table_find(&cache->table, mp);
	if (e) {
		options = e->options;
		fstype = e->fstype;
	} else if (!ctx->root->live && streq(mp, "/tmp")) {
		r = tmp_mount_unit(ctx, &unit_opts);
		if (r == -ENOMEM)
			return r;
		if (r >= 0) {
			options = unit_opts;
			fstype = "tmpfs";
			how = "systemd tmp.mount enabled";
		}
	} else if (!ctx->root->live && streq(mp, "/dev/shm")) {
		/* systemd mounts /dev/shm itself (mount-setup.c) */
		options = "nosuid,nodev,strictatime";
		fstype = "tmpfs";
		how = "systemd built-in mount";
	}

	if (check_arg(c, "separate"))
		strbuf_puts(&exp, "separate mount");
	if (opts) {
		if (exp.len)
			strbuf_puts(&exp, ", ");
		strbuf_printf(&exp, "options %s", opts);
	}
	if (!options) {
		strbuf_puts(&obs, "not a separate mount");
		if (strbuf_error(&exp) < 0 || strbuf_error(&obs) < 0)
			return -ENOMEM;
		return probe_result_set(ret, VERDICT_FAIL, strbuf_str(&obs), strbuf_str(&exp));
	}
	strbuf_printf(&obs, "%s mount, options %s", fstype, options);
	if (how)
		strbuf_printf(&obs, " (%s)", how);
	if (opts) {
		_cleanup_free_ char *copy = strdup(opts);
		char *save = NULL;

		if (!copy)
			return -ENOMEM;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			if (!mount_has_option(options, t)) {
				if (missing.len)
					strbuf_putc(&missing, ' ');
				strbuf_puts(&missing, t);
			}
		if (missing.len)
			strbuf_printf(&obs, "; missing %s", strbuf_str(&missing));
	}
	if (strbuf_error(&exp) < 0 || strbuf_error(&obs) < 0 || strbuf_error(&missing) < 0)
		return -ENOMEM;
	return probe_result_set(ret, missing.len ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs), strbuf_str(&exp));
}

const struct probe probe_mount = {
	.name = "mount",
	.validate = mount_validate,
	.eval = mount_eval,
	.cache_free = cache_free,
};
