/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * homes: the home directories of the interactive users of the examined
 * system (CIS 7.2.9, 7.2.10).  Interactive users are the passwd entries
 * whose shell is listed in /etc/shells and is not nologin, as the CIS
 * audit scripts select them (root included).
 *
 *	rule = home_dirs	each home exists, is a directory owned by its
 *				user and has no permission outside mode_max
 *				(default 0750)
 *	rule = dot_files	directly in each existing home: no .forward
 *				or .rhosts file, .netrc and .bash_history at
 *				most 0600, every other dot file owned by the
 *				user and not writable by group or others
 *
 * The dot files directly in a home are the ones login shells, mail and
 * the r-commands read; the CIS script also descends into every
 * subdirectory, which on a developer's home means millions of entries for
 * files nothing runs on login, so vigil stays at the top level.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "accounts-db.h"
#include "check.h"
#include "dir-each.h"
#include "probes.h"
#include "strbuf.h"

#define HOMES_MAX_FILE (64u * 1024u * 1024u)
#define HOMES_MAX_ENTRIES 200000u
#define HOMES_SHOWN 5

struct homes_ctx {
	const struct rootfs *root;
	struct strbuf obs;
	unsigned bad;
	struct dir_budget budget;	/* dot files read, over every home */
	struct probe_result *ret;
};

static int homes_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "rule", "mode_max", NULL };
	const char *rule, *v;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	rule = check_arg_required(c, "rule", d);
	if (!rule)
		return -EINVAL;
	if (!streq(rule, "home_dirs") && !streq(rule, "dot_files"))
		return diag_set(d, -EINVAL, "key 'rule': '%s' is not home_dirs or dot_files", rule);
	if ((v = check_arg(c, "mode_max"))) {
		if (!streq(rule, "home_dirs"))
			return diag_set(d, -EINVAL, "key 'mode_max': only for rule home_dirs");
		if (strspn(v, "01234567") != strlen(v) || strlen(v) < 3 || strlen(v) > 4)
			return diag_set(d, -EINVAL, "key 'mode_max': '%s' is not an octal mode", v);
	}
	return 0;
}

static void offender(struct homes_ctx *h, const char *path, const char *fmt, ...) _printf_(3, 4);
static void offender(struct homes_ctx *h, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (path && probe_result_add_finding(h->ret, path) < 0)
		h->obs.oom = true;
	if (++h->bad > HOMES_SHOWN)
		return;
	if (h->obs.len)
		strbuf_puts(&h->obs, ", ");
	va_start(ap, fmt);
	{
		_cleanup_free_ char *s = NULL;

		if (vasprintf(&s, fmt, ap) < 0)
			h->obs.oom = true;
		else
			strbuf_puts(&h->obs, s);
	}
	va_end(ap);
}

/* The shells of /etc/shells that are not nologin, one per line. */
static bool shell_is_interactive(const char *shells, const char *shell)
{
	size_t n = strlen(shell);
	const char *base = strrchr(shell, '/');

	if (n == 0 || (base && streq(base + 1, "nologin")))
		return false;
	for (const char *p = shells; (p = strstr(p, shell)); p += n)
		if ((p == shells || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void check_home_dir(struct homes_ctx *h, const struct pw_entry *pw, unsigned max)
{
	struct stat st;
	int r;

	if (isempty(pw->home) || pw->home[0] != '/') {
		offender(h, NULL, "%s: home '%s' is not an absolute path", pw->name, pw->home);
		return;
	}
	r = rootfs_stat(h->root, pw->home, false, &st);
	if (r < 0)
		offender(h, pw->home, "%s: %s %s", pw->name, pw->home, r == -ENOENT ? "does not exist" : strerror(-r));
	else if (!S_ISDIR(st.st_mode))
		offender(h, pw->home, "%s: %s is not a directory", pw->name, pw->home);
	else if (st.st_uid != pw->uid)
		offender(h, pw->home, "%s: %s is owned by UID %u", pw->name, pw->home, (unsigned)st.st_uid);
	else if ((st.st_mode & 07777) & ~max)
		offender(h, pw->home, "%s: %s is %04o", pw->name, pw->home, (unsigned)(st.st_mode & 07777));
}

/* CIS 7.2.10's rules for one dot file. */
static void check_dot_file(struct homes_ctx *h, const struct pw_entry *pw, const char *path, const char *name,
			   const struct stat *st)
{
	mode_t m = st->st_mode & 07777;

	if (streq(name, ".forward") || streq(name, ".rhosts"))
		offender(h, path, "%s exists", path);
	else if ((streq(name, ".netrc") || streq(name, ".bash_history")) && (m & 0177))
		offender(h, path, "%s is %04o", path, (unsigned)m);
	else if (m & (S_IWGRP | S_IWOTH))
		offender(h, path, "%s is %04o", path, (unsigned)m);
	else if (st->st_uid != pw->uid)
		offender(h, path, "%s is owned by UID %u", path, (unsigned)st->st_uid);
}

static bool is_dot_name(const char *name)
{
	return name[0] == '.';
}

struct dot_ctx {
	struct homes_ctx *h;
	const struct pw_entry *pw;
};

static int on_dot_entry(void *userdata, int dirfd, const char *path, const char *name, const struct stat *st)
{
	struct dot_ctx *dc = userdata;

	(void)dirfd;
	if (S_ISREG(st->st_mode))
		check_dot_file(dc->h, dc->pw, path, name, st);
	return 0;
}

static int check_dot_files(struct homes_ctx *h, const struct pw_entry *pw)
{
	int fd;

	if (isempty(pw->home) || pw->home[0] != '/' || streq(pw->home, "/"))
		return 0;	/* "/" as a home is not a directory of the user's */
	fd = rootfs_openat(h->root, pw->home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return fd == -ENOMEM ? fd : 0;	/* missing homes are home_dirs' business */
	return dir_each(&h->budget, fd, pw->home, is_dot_name, on_dot_entry, &(struct dot_ctx){ h, pw });
}

static int read_db(const struct rootfs *root, const char *path, struct accounts_db *db, struct diag *d)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r;

	r = rootfs_read_file(root, path, HOMES_MAX_FILE, &data, &len);
	if (r < 0)
		return diag_set(d, r, "%s: %s", path, strerror(-r));
	return accounts_db_parse_passwd(db, data, len, path, d);
}

static int homes_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_(accounts_db_free) struct accounts_db db = {};
	_cleanup_free_ char *shells = NULL;
	struct homes_ctx h = { .root = ctx->root, .obs = STRBUF_INIT, .ret = ret,
				.budget = { .actx = ctx, .max = HOMES_MAX_ENTRIES } };
	char expected[96];
	const char *rule = check_arg(c, "rule"), *v = check_arg(c, "mode_max");
	unsigned max = v ? (unsigned)strtoul(v, NULL, 8) : 0750, n_users = 0;
	bool dots = streq(rule, "dot_files");
	struct diag d = {};
	size_t len;
	int r;

	r = read_db(ctx->root, "/etc/passwd", &db, &d);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "%s", d.msg);
	r = rootfs_read_file(ctx->root, "/etc/shells", 1024 * 1024, &shells, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read /etc/shells: %s", strerror(-r));

	for (size_t i = 0; i < db.n_pw && r >= 0 && !h.budget.cancelled; i++) {
		if (!shell_is_interactive(shells, db.pw[i].shell))
			continue;
		if (audit_cancelled(ctx)) {
			h.budget.cancelled = true;
			break;
		}
		n_users++;
		if (dots)
			r = check_dot_files(&h, &db.pw[i]);
		else
			check_home_dir(&h, &db.pw[i], max);
	}
	if (r >= 0 && h.bad > HOMES_SHOWN)
		strbuf_printf(&h.obs, " and %u more", h.bad - HOMES_SHOWN);
	if (r >= 0 && !h.bad)
		strbuf_printf(&h.obs, "%u interactive users, none", n_users);
	if (r >= 0 && strbuf_error(&h.obs) < 0)
		r = -ENOMEM;
	if (dots)
		snprintf(expected, sizeof(expected), "no .forward/.rhosts; .netrc, .bash_history <= 0600; "
						     "other dot files owned, not g/o-writable");
	else
		snprintf(expected, sizeof(expected), "each home a directory owned by its user, mode <= %04o", max);
	if (r >= 0) {
		if (h.budget.cancelled)
			r = probe_result_setf_reason(ret, VERDICT_ERROR, "audit cancelled while reading the home directories");
		else if (h.budget.overflow)
			r = probe_result_setf_reason(ret, VERDICT_ERROR, "more than %u dot files in the home directories",
						     HOMES_MAX_ENTRIES);
		else
			r = probe_result_set(ret, h.bad ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&h.obs), expected);
	} else if (r != -ENOMEM)
		r = probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read the home directories: %s", strerror(-r));
	strbuf_free(&h.obs);
	return r;
}

const struct probe probe_homes = {
	.name = "homes",
	.validate = homes_validate,
	.eval = homes_eval,
};
