/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logfiles: the permissions and owners of the files below /var/log (CIS
 * 6.2.2.1), with the benchmark's own per-name rules:
 *
 *	lastlog*, wtmp*, btmp*, README	at most 0664, root, group root|utmp
 *	cloud-init.log*, localmessages*, waagent.log*
 *					at most 0644, root|syslog, root|adm
 *	secure, auth.log, syslog, messages
 *					at most 0640, root|syslog, root|adm
 *	SSSD, sssd			at most 0660, root|SSSD, root|SSSD
 *	gdm, gdm3			at most 0660, root, root|gdm|gdm3
 *	*.journal, *.journal~		at most 0640, root, root|systemd-journal
 *	anything else			at most 0640, root|syslog, root|adm;
 *		and, as CIS allows, a system account (UID below UID_MIN) may
 *		own its service's log if that account's group has no members
 *		and no interactive user has it as primary group
 *
 * Names are the image's (passwd, group); regular files only, symbolic
 * links are not followed, the walk stays on one file system and is
 * bounded; directories that cannot be opened or are nested deeper than
 * LOG_MAX_DEPTH are counted in the observed value.  Without /var/log:
 * not_applicable.
 */
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include "accounts-db.h"
#include "check.h"
#include "dir-each.h"
#include "login-defs.h"
#include "probes.h"
#include "strbuf.h"

#define LOG_DIR "/var/log"
#define LOG_MAX_ENTRIES 500000u
#define LOG_MAX_DEPTH 16
#define LOG_SHOWN 5

struct log_rule {
	const char *patterns;	/* fnmatch patterns, '|'-separated */
	unsigned max;		/* mode */
	const char *users, *groups;	/* '|'-separated names */
};

static const struct log_rule log_rules[] = {
	{ "lastlog|lastlog.*|wtmp|wtmp.*|wtmp-*|btmp|btmp.*|btmp-*|README", 0664, "root", "root|utmp" },
	{ "cloud-init.log*|localmessages*|waagent.log*", 0644, "root|syslog", "root|adm" },
	{ "secure|auth.log|syslog|messages", 0640, "root|syslog", "root|adm" },
	{ "SSSD|sssd", 0660, "root|SSSD", "root|SSSD" },
	{ "gdm|gdm3", 0660, "root", "root|gdm|gdm3" },
	{ "*.journal|*.journal~", 0640, "root", "root|systemd-journal" },
	{ "*", 0640, "root|syslog", "root|adm" },
};

struct log_ctx {
	struct accounts_db db;
	unsigned uid_min;
	struct dir_budget budget;	/* entries below LOG_DIR */
	unsigned long long n_unreadable, n_too_deep;	/* directories not read */
	unsigned bad;
	struct strbuf obs;
	struct probe_result *ret;
};

static int logfiles_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { NULL };

	return check_args_allowed(c, allowed, false, d);
}

static bool in_bar_list(const char *list, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	for (const char *p = list; s && *p;) {
		size_t l = strcspn(p, "|");

		if (l == n && strncmp(p, s, n) == 0)
			return true;
		p += l + (p[l] == '|');
	}
	return false;
}

static const struct log_rule *rule_for(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(log_rules); i++) {
		_cleanup_free_ char *pats = strdup(log_rules[i].patterns);
		char *save = NULL;

		if (!pats)
			return &log_rules[ELEMENTSOF(log_rules) - 1];
		for (char *t = strtok_r(pats, "|", &save); t; t = strtok_r(NULL, "|", &save))
			if (fnmatch(t, name, 0) == 0)
				return &log_rules[i];
	}
	return &log_rules[ELEMENTSOF(log_rules) - 1];
}

static const char *user_name(const struct accounts_db *db, unsigned uid)
{
	for (size_t i = 0; i < db->n_pw; i++)
		if (db->pw[i].uid == uid)
			return db->pw[i].name;
	return NULL;
}

/* The CIS allowance of the default rule: a system account's own log. */
static bool service_owned(const struct log_ctx *lc, const struct stat *st, bool *ret_group_ok)
{
	const struct gr_entry *g = accounts_db_group_by_gid(&lc->db, st->st_gid);

	*ret_group_ok = false;
	if (st->st_uid >= lc->uid_min || (g && g->n_members > 0))
		return false;
	*ret_group_ok = true;
	for (size_t i = 0; i < lc->db.n_pw; i++)
		if (lc->db.pw[i].gid == st->st_gid && lc->db.pw[i].uid >= lc->uid_min)
			*ret_group_ok = false;
	return true;
}

static void check_file(struct log_ctx *lc, const char *path, const char *name, const struct stat *st)
{
	const struct log_rule *ru = rule_for(name);
	const char *user = user_name(&lc->db, st->st_uid);
	const struct gr_entry *g = accounts_db_group_by_gid(&lc->db, st->st_gid);
	bool user_ok = in_bar_list(ru->users, user), group_ok = g && in_bar_list(ru->groups, g->name);
	unsigned mode = st->st_mode & 07777;

	if (ru == &log_rules[ELEMENTSOF(log_rules) - 1] && (!user_ok || !group_ok)) {
		bool service_group;

		if (service_owned(lc, st, &service_group)) {
			user_ok = true;
			group_ok = group_ok || service_group;
		}
	}
	if (!(mode & ~ru->max) && user_ok && group_ok)
		return;
	if (probe_result_add_finding(lc->ret, path) < 0)
		lc->obs.oom = true;
	if (++lc->bad > LOG_SHOWN)
		return;
	strbuf_printf(&lc->obs, "%s%s %04o %s:%s", lc->obs.len ? ", " : "", path, mode, user ? user : "?",
		      g ? g->name : "?");
}

static int walk_logs(struct log_ctx *lc, int dfd, const char *path, dev_t dev, unsigned depth);

struct walk_pos {
	struct log_ctx *lc;
	dev_t dev;
	unsigned depth;
};

static int on_log_entry(void *userdata, int dirfd, const char *path, const char *name, const struct stat *st)
{
	struct walk_pos *wp = userdata;
	int cfd;

	if (S_ISREG(st->st_mode)) {
		check_file(wp->lc, path, name, st);
		return 0;
	}
	if (!S_ISDIR(st->st_mode) || st->st_dev != wp->dev)
		return 0;
	/* said in the observed value, as the files probe does: the logs
	 * below were not judged */
	if (wp->depth + 1 >= LOG_MAX_DEPTH) {
		wp->lc->n_too_deep++;
		return 0;
	}
	cfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0) {
		wp->lc->n_unreadable++;
		return 0;
	}
	return walk_logs(wp->lc, cfd, path, wp->dev, wp->depth + 1);
}

/* Walk the directory open at dfd (image path `path`); takes dfd. */
static int walk_logs(struct log_ctx *lc, int dfd, const char *path, dev_t dev, unsigned depth)
{
	return dir_each(&lc->budget, dfd, path, NULL, on_log_entry, &(struct walk_pos){ lc, dev, depth });
}

static int load_db(struct audit_ctx *ctx, struct log_ctx *lc, struct diag *d)
{
	static const char *const files[] = { "/etc/passwd", "/etc/group" };
	_cleanup_free_ char *defs = NULL;
	struct login_defs ld = {};
	size_t len;
	int r;

	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		_cleanup_free_ char *data = NULL;

		r = rootfs_read_file(ctx->root, files[i], ACCOUNTS_DB_MAX, &data, &len);
		if (r < 0)
			return r == -ENOMEM ? r : diag_set(d, r, "%s: %s", files[i], strerror(-r));
		r = i == 0 ? accounts_db_parse_passwd(&lc->db, data, len, files[i], d)
			   : accounts_db_parse_group(&lc->db, data, len, files[i], d);
		if (r < 0)
			return r;
	}
	lc->uid_min = 1000;
	if (rootfs_read_file(ctx->root, LOGIN_DEFS_PATH, LOGIN_DEFS_MAX, &defs, &len) >= 0 &&
	    login_defs_parse(defs, len, &ld) >= 0) {
		const char *v = login_defs_get(&ld, "UID_MIN");

		if (v && strspn(v, "0123456789") == strlen(v) && *v)
			lc->uid_min = (unsigned)strtoul(v, NULL, 10);
		login_defs_free(&ld);
	}
	return 0;
}

static int logfiles_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	struct log_ctx lc = { .obs = STRBUF_INIT, .ret = ret, .budget = { .actx = ctx, .max = LOG_MAX_ENTRIES } };
	struct diag d = {};
	struct stat st;
	int fd, r;

	(void)c;
	fd = rootfs_openat(ctx->root, LOG_DIR, O_RDONLY | O_DIRECTORY);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s", LOG_DIR);
	if (fd < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot open %s: %s", LOG_DIR, strerror(-fd));
	r = load_db(ctx, &lc, &d);
	if (r >= 0 && fstat(fd, &st) < 0)
		r = negative_errno();
	if (r >= 0)
		r = walk_logs(&lc, fd, LOG_DIR, st.st_dev, 0);
	else
		close(fd);
	if (r >= 0) {
		if (lc.bad > LOG_SHOWN)
			strbuf_printf(&lc.obs, " and %u more", lc.bad - LOG_SHOWN);
		if (!lc.bad)
			strbuf_printf(&lc.obs, "none in %llu entries", lc.budget.seen);
		if (lc.n_unreadable)
			strbuf_printf(&lc.obs, " (%llu directories could not be read)", lc.n_unreadable);
		if (lc.n_too_deep)
			strbuf_printf(&lc.obs, " (%llu directories deeper than %d levels not read)", lc.n_too_deep,
				      LOG_MAX_DEPTH);
		if (strbuf_error(&lc.obs) < 0)
			r = -ENOMEM;
		else if (lc.budget.cancelled)
			r = probe_result_setf_reason(ret, VERDICT_ERROR, "audit cancelled during the walk of %s", LOG_DIR);
		else if (lc.budget.overflow)
			r = probe_result_setf_reason(ret, VERDICT_ERROR, "more than %u entries below %s",
						     LOG_MAX_ENTRIES, LOG_DIR);
		else
			r = probe_result_set(ret, lc.bad ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&lc.obs),
					     "each log file within its CIS mode, owner and group");
	} else if (r != -ENOMEM)
		r = probe_result_setf_reason(ret, VERDICT_ERROR, "%s", diag_empty(&d) ? strerror(-r) : d.msg);
	strbuf_free(&lc.obs);
	accounts_db_free(&lc.db);
	return r;
}

const struct probe probe_logfiles = {
	.name = "logfiles",
	.validate = logfiles_validate,
	.eval = logfiles_eval,
};
