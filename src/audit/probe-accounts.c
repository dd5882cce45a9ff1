/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Probe "accounts": rules over the local account databases of the
 * examined root (etc/passwd, etc/shadow, etc/group, read as files via
 * accounts-db, never through NSS) and etc/login.defs.  One argument
 * selects the rule:
 *
 *	rule = uid0_only_root | no_empty_passwords | shadowed_passwords |
 *	       system_shell_nologin | no_duplicate_uids | no_duplicate_gids |
 *	       no_duplicate_users | no_duplicate_groups | groups_exist |
 *	       root_gid0 | gid0_only_root | gid0_only_root_group |
 *	       pass_max_days | pass_min_days | pass_warn_age | inactive |
 *	       lastchg_in_past | nologin_locked | shadow_group_empty | root_path |
 *	       root_access
 *
 * The aging rules take a bound: pass_max_days and inactive "max" (CIS
 * default 365 and 45), pass_min_days and pass_warn_age "min" (1 and 7).
 * They apply to every shadow entry with a usable password (not empty,
 * not locked with '!' or '*'), as CIS 5.4.1.x does.  A malformed database
 * line is an error verdict naming file:line.
 */
#include <stdarg.h>
#include <sys/stat.h>

#include "accounts-db.h"
#include "expect.h"
#include "login-defs.h"
#include "probes.h"
#include "strbuf.h"

#define PASSWD_PATH "/etc/passwd"
#define SHADOW_PATH "/etc/shadow"
#define GROUP_PATH "/etc/group"
#define SHOW_MAX 5	/* offenders named in the observed text */

enum {
	NEED_PASSWD = 1 << 0,
	NEED_SHADOW = 1 << 1,
	NEED_GROUP = 1 << 2,
	NEED_DEFS = 1 << 3,
};

struct accounts_cache {
	unsigned loaded;	/* NEED_* bits tried */
	unsigned failed;	/* NEED_* bits that could not be read */
	struct diag diag[4];	/* reason per NEED_* bit */
	struct accounts_db db;
	struct login_defs defs;
};

struct rule;

struct rule_ctx {
	const struct check *check;
	const struct rule *rule;
	struct audit_ctx *actx;
	struct accounts_cache *ac;
	struct strbuf obs;	/* offenders */
	unsigned bad;		/* number of offenders */
};

struct rule {
	const char *name;
	unsigned needs;
	const char *bound_key;	/* "min"/"max" for the aging rules */
	long long bound_default;
	const char *expected;	/* text; aging rules build theirs */
	int (*run)(struct rule_ctx *rc);
};

static void accounts_cache_free(void *p)
{
	struct accounts_cache *ac = p;

	if (!ac)
		return;
	accounts_db_free(&ac->db);
	login_defs_free(&ac->defs);
	free(ac);
}

static void offender(struct rule_ctx *rc, const char *fmt, ...) _printf_(2, 3);
static void offender(struct rule_ctx *rc, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int n;

	rc->bad++;
	if (rc->bad > SHOW_MAX)
		return;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		rc->obs.oom = true;
		return;
	}
	if (rc->obs.len > 0)
		strbuf_puts(&rc->obs, ", ");
	strbuf_puts(&rc->obs, s);
}

static int rule_uid0_only_root(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_pw; i++)
		if (db->pw[i].uid == 0 && !streq(db->pw[i].name, "root"))
			offender(rc, "%s has UID 0", db->pw[i].name);
	return 0;
}

static int rule_no_empty_passwords(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_sp; i++)
		if (isempty(db->sp[i].hash))
			offender(rc, "%s has an empty password", db->sp[i].name);
	return 0;
}

static int rule_shadowed_passwords(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_pw; i++)
		if (!streq(db->pw[i].passwd, "x"))
			offender(rc, "%s has no 'x' in passwd", db->pw[i].name);
	return 0;
}

/* getdef_unum(): strtol() base 0 (octal, hex), out-of-range or garbage
 * falls back to the default. */
static unsigned defs_unum(const struct login_defs *defs, const char *key, unsigned dflt)
{
	const char *v = login_defs_get(defs, key);
	char *end;
	long n;

	if (isempty(v))
		return dflt;
	errno = 0;
	n = strtol(v, &end, 0);
	if (errno != 0 || *end != '\0' || n < 0 || n > 0x7fffffffL)
		return dflt;
	return (unsigned)n;
}

static bool shell_is_nologin(const char *shell)
{
	const char *base = strrchr(shell, '/');

	if (streq(shell, "/bin/false") || streq(shell, "/usr/bin/false"))
		return true;
	return base && streq(base + 1, "nologin");
}

/* CIS 5.4.2.7: accounts below UID_MIN (and nobody, 65534) but root, halt,
 * sync, shutdown and nfsnobody must not have a login shell.  An empty
 * shell field means /bin/sh (passwd(5)). */
static int rule_system_shell_nologin(struct rule_ctx *rc)
{
	static const char *const exempt[] = { "root", "sync", "shutdown", "halt", "nfsnobody" };
	const struct accounts_db *db = &rc->ac->db;
	unsigned uid_min = defs_unum(&rc->ac->defs, "UID_MIN", 1000);

	for (size_t i = 0; i < db->n_pw; i++) {
		const struct pw_entry *pw = &db->pw[i];
		bool skip = false;

		if (pw->uid >= uid_min && pw->uid != 65534)
			continue;
		for (size_t k = 0; k < ELEMENTSOF(exempt); k++)
			skip = skip || streq(pw->name, exempt[k]);
		if (!skip && !shell_is_nologin(pw->shell))
			offender(rc, "%s (UID %u) has shell %s", pw->name, pw->uid,
				 isempty(pw->shell) ? "(empty: /bin/sh)" : pw->shell);
	}
	return 0;
}

/* Duplicate detection in O(n log n): databases of tens of thousands of
 * entries (synchronised directories) must not take quadratic time. */
struct keyed {
	unsigned id;
	const char *name;
	size_t index;
};

static int cmp_id(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_name(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r != 0)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* *ret_first[i] = index of the first entry with the same key as entry i
 * (i itself if none earlier).  Returns 0 or -ENOMEM. */
static int find_duplicates(struct keyed *k, size_t n, bool by_name, size_t **ret_first)
{
	size_t *first = malloc(MAX(n, 1u) * sizeof(*first));

	if (!first)
		return -ENOMEM;
	qsort(k, n, sizeof(*k), by_name ? cmp_name : cmp_id);
	for (size_t i = 0, run = 0; i < n; i++) {
		if (i > 0 && (by_name ? strcmp(k[i].name, k[run].name) != 0 : k[i].id != k[run].id))
			run = i;
		first[k[i].index] = k[run].index;
	}
	*ret_first = first;
	return 0;
}

static int duplicates(struct rule_ctx *rc, bool users, bool by_name)
{
	const struct accounts_db *db = &rc->ac->db;
	size_t n = users ? db->n_pw : db->n_gr;
	_cleanup_free_ struct keyed *k = calloc(MAX(n, 1u), sizeof(*k));
	_cleanup_free_ size_t *first = NULL;
	int r;

	if (!k)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){
			.id = users ? db->pw[i].uid : db->gr[i].gid,
			.name = users ? db->pw[i].name : db->gr[i].name,
			.index = i,
		};
	r = find_duplicates(k, n, by_name, &first);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		size_t f = first[i];

		if (f == i)
			continue;
		if (users && by_name)
			offender(rc, "user %s (lines %u and %u)", db->pw[i].name, db->pw[f].line, db->pw[i].line);
		else if (users)
			offender(rc, "UID %u: %s and %s", db->pw[i].uid, db->pw[f].name, db->pw[i].name);
		else if (by_name)
			offender(rc, "group %s (lines %u and %u)", db->gr[i].name, db->gr[f].line, db->gr[i].line);
		else
			offender(rc, "GID %u: %s and %s", db->gr[i].gid, db->gr[f].name, db->gr[i].name);
	}
	return 0;
}

static int rule_no_duplicate_uids(struct rule_ctx *rc)
{
	return duplicates(rc, true, false);
}

static int rule_no_duplicate_gids(struct rule_ctx *rc)
{
	return duplicates(rc, false, false);
}

static int rule_no_duplicate_users(struct rule_ctx *rc)
{
	return duplicates(rc, true, true);
}

static int rule_no_duplicate_groups(struct rule_ctx *rc)
{
	return duplicates(rc, false, true);
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

static int rule_groups_exist(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;
	_cleanup_free_ unsigned *gids = calloc(MAX(db->n_gr, 1u), sizeof(*gids));

	if (!gids)
		return -ENOMEM;
	for (size_t i = 0; i < db->n_gr; i++)
		gids[i] = db->gr[i].gid;
	qsort(gids, db->n_gr, sizeof(*gids), cmp_unsigned);
	for (size_t i = 0; i < db->n_pw; i++)
		if (!bsearch(&db->pw[i].gid, gids, db->n_gr, sizeof(*gids), cmp_unsigned))
			offender(rc, "%s has GID %u, not in group", db->pw[i].name, db->pw[i].gid);
	return 0;
}

/* CIS 5.4.2.2: no account but root (and the traditional sync, shutdown,
 * halt, operator) has primary GID 0. */
static int rule_gid0_only_root(struct rule_ctx *rc)
{
	static const char *const exempt[] = { "root", "sync", "shutdown", "halt", "operator" };
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_pw; i++) {
		bool skip = false;

		for (size_t k = 0; k < ELEMENTSOF(exempt); k++)
			skip = skip || streq(db->pw[i].name, exempt[k]);
		if (!skip && db->pw[i].gid == 0)
			offender(rc, "%s has primary GID 0", db->pw[i].name);
	}
	return 0;
}

/* CIS 5.4.2.3: no group but root has GID 0. */
static int rule_gid0_only_root_group(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_gr; i++)
		if (db->gr[i].gid == 0 && !streq(db->gr[i].name, "root"))
			offender(rc, "group %s has GID 0", db->gr[i].name);
	return 0;
}

/* CIS 5.4.1.6: no last password change in the future (which would defeat
 * the aging rules).  "Today" is the audit's clock, offline as well. */
static int rule_lastchg_in_past(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;
	long long today = (long long)(now_realtime_usec() / (86400ULL * 1000000ULL));

	for (size_t i = 0; i < db->n_sp; i++)
		if (db->sp[i].lastchg > today)
			offender(rc, "%s changed its password on day %lld, after today (%lld)", db->sp[i].name,
				 db->sp[i].lastchg, today);
	return 0;
}

/* CIS 5.4.2.8: an account without a login shell (but root) has a locked
 * password, so that it cannot be used through other PAM services (ftp,
 * su -s).  An account without a shadow entry has no usable password. */
static int rule_nologin_locked(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;

	for (size_t i = 0; i < db->n_pw; i++) {
		const struct pw_entry *pw = &db->pw[i];
		const struct sp_entry *sp;

		if (streq(pw->name, "root") || !shell_is_nologin(pw->shell))
			continue;
		sp = accounts_db_shadow(db, pw->name);
		if (sp && !accounts_hash_is_locked(sp->hash))
			offender(rc, "%s (shell %s) is not locked", pw->name, pw->shell);
	}
	return 0;
}

static int rule_root_gid0(struct rule_ctx *rc)
{
	const struct pw_entry *root = accounts_db_user(&rc->ac->db, "root");

	if (!root)
		offender(rc, "no root account");
	else if (root->gid != 0)
		offender(rc, "root has GID %u", root->gid);
	return 0;
}

static long long bound(const struct rule_ctx *rc, const struct rule *ru)
{
	long long v;

	if (expect_parse_ll(check_arg(rc->check, ru->bound_key), &v) < 0)
		return ru->bound_default;
	return v;
}

/* The shadow entries the aging rules apply to: a password that can be
 * used to log in. */
static bool has_password(const struct sp_entry *sp)
{
	return !isempty(sp->hash) && !accounts_hash_is_locked(sp->hash);
}

static int aging(struct rule_ctx *rc, size_t field_off, const char *what)
{
	const struct rule *ru = rc->rule;
	const struct accounts_db *db = &rc->ac->db;
	long long b = bound(rc, ru);
	bool is_max = streq(ru->bound_key, "max");

	for (size_t i = 0; i < db->n_sp; i++) {
		const struct sp_entry *sp = &db->sp[i];
		long long v = *(const long long *)((const char *)sp + field_off);

		if (!has_password(sp))
			continue;
		if (v < 0)
			offender(rc, "%s: %s unset", sp->name, what);
		else if (is_max ? v > b : v < b)
			offender(rc, "%s: %s %lld", sp->name, what, v);
	}
	return 0;
}

static int rule_pass_max_days(struct rule_ctx *rc)
{
	return aging(rc, offsetof(struct sp_entry, max), "maximum age");
}

static int rule_pass_min_days(struct rule_ctx *rc)
{
	return aging(rc, offsetof(struct sp_entry, min), "minimum age");
}

static int rule_pass_warn_age(struct rule_ctx *rc)
{
	return aging(rc, offsetof(struct sp_entry, warn), "warning period");
}

static int rule_inactive(struct rule_ctx *rc)
{
	return aging(rc, offsetof(struct sp_entry, inactive), "inactivity period");
}

/* CIS 7.2.x: the shadow group (which may read /etc/shadow) has no
 * members, and no account has it as its primary group. */
static int rule_shadow_group_empty(struct rule_ctx *rc)
{
	const struct accounts_db *db = &rc->ac->db;
	const struct gr_entry *g = accounts_db_group(db, "shadow");

	if (!g)
		return 0;
	for (size_t i = 0; i < g->n_members; i++)
		offender(rc, "%s is a member of shadow", g->members[i]);
	for (size_t i = 0; i < db->n_pw; i++)
		if (db->pw[i].gid == g->gid)
			offender(rc, "%s has shadow as primary group", db->pw[i].name);
	return 0;
}

/* CIS 5.4.2.5 (root path integrity) applied to the PATH su(1) and login(1)
 * give root: ENV_SUPATH of login.defs ("PATH=..." or a bare list), or
 * shadow-utils' built-in default when unset. */
static int rule_root_path(struct rule_ctx *rc)
{
	const char *v = login_defs_get(&rc->ac->defs, "ENV_SUPATH");
	_cleanup_free_ char *path = NULL;
	char *p, *entry;

	if (isempty(v))
		v = "/sbin:/bin:/usr/sbin:/usr/bin";
	if (strncmp(v, "PATH=", 5) == 0)
		v += 5;
	path = strdup(v);
	if (!path)
		return -ENOMEM;
	p = path;
	if (*p == '\0')
		offender(rc, "empty PATH");
	while ((entry = strsep(&p, ":"))) {
		struct stat st;
		int r;

		if (*entry == '\0') {
			offender(rc, "empty entry (current directory)");
			continue;
		}
		if (streq(entry, ".") || entry[0] != '/') {
			offender(rc, "relative entry %s", entry);
			continue;
		}
		r = rootfs_stat(rc->actx->root, entry, true, &st);
		if (r < 0) {
			offender(rc, "%s: %s", entry, strerror(-r));
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			offender(rc, "%s is not a directory", entry);
		else if (st.st_uid != 0)
			offender(rc, "%s is owned by UID %u", entry, (unsigned)st.st_uid);
		else if (st.st_mode & (S_IWGRP | S_IWOTH))
			offender(rc, "%s is %s-writable (%04o)", entry, st.st_mode & S_IWOTH ? "world" : "group",
				 (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

/* CIS 5.4.2.4: root has a password or is locked ("passwd -S root" shows
 * P or L), never an empty password field (NP) nor no shadow entry. */
static int rule_root_access(struct rule_ctx *rc)
{
	const struct sp_entry *sp = accounts_db_shadow(&rc->ac->db, "root");

	if (!sp)
		offender(rc, "root has no shadow entry");
	else if (isempty(sp->hash))
		offender(rc, "root has an empty password field");
	return 0;
}

static const struct rule rules[] = {
	{ "uid0_only_root", NEED_PASSWD, NULL, 0, "only root has UID 0", rule_uid0_only_root },
	{ "no_empty_passwords", NEED_SHADOW, NULL, 0, "no empty password field", rule_no_empty_passwords },
	{ "shadowed_passwords", NEED_PASSWD, NULL, 0, "every passwd password field is x", rule_shadowed_passwords },
	{ "system_shell_nologin", NEED_PASSWD | NEED_DEFS, NULL, 0, "system accounts have a nologin shell",
	  rule_system_shell_nologin },
	{ "no_duplicate_uids", NEED_PASSWD, NULL, 0, "unique UIDs", rule_no_duplicate_uids },
	{ "no_duplicate_gids", NEED_GROUP, NULL, 0, "unique GIDs", rule_no_duplicate_gids },
	{ "no_duplicate_users", NEED_PASSWD, NULL, 0, "unique user names", rule_no_duplicate_users },
	{ "no_duplicate_groups", NEED_GROUP, NULL, 0, "unique group names", rule_no_duplicate_groups },
	{ "groups_exist", NEED_PASSWD | NEED_GROUP, NULL, 0, "every primary GID exists in group",
	  rule_groups_exist },
	{ "root_gid0", NEED_PASSWD, NULL, 0, "root has GID 0", rule_root_gid0 },
	{ "gid0_only_root", NEED_PASSWD, NULL, 0, "only root has primary GID 0", rule_gid0_only_root },
	{ "gid0_only_root_group", NEED_GROUP, NULL, 0, "only group root has GID 0", rule_gid0_only_root_group },
	{ "lastchg_in_past", NEED_SHADOW, NULL, 0, "no password change date in the future", rule_lastchg_in_past },
	{ "nologin_locked", NEED_PASSWD | NEED_SHADOW, NULL, 0, "accounts without a login shell are locked",
	  rule_nologin_locked },
	{ "pass_max_days", NEED_SHADOW, "max", 365, NULL, rule_pass_max_days },
	{ "pass_min_days", NEED_SHADOW, "min", 1, NULL, rule_pass_min_days },
	{ "pass_warn_age", NEED_SHADOW, "min", 7, NULL, rule_pass_warn_age },
	{ "inactive", NEED_SHADOW, "max", 45, NULL, rule_inactive },
	{ "shadow_group_empty", NEED_PASSWD | NEED_GROUP, NULL, 0, "group shadow has no members",
	  rule_shadow_group_empty },
	{ "root_path", NEED_DEFS, NULL, 0, "root's PATH has only root-owned, non-writable directories",
	  rule_root_path },
	{ "root_access", NEED_SHADOW, NULL, 0, "root has a password or is locked", rule_root_access },
};

static void rule_ctx_done(struct rule_ctx *rc)
{
	strbuf_free(&rc->obs);
}

/* The shadow field an aging rule bounds, for the expected text. */
static const char *aging_what(const struct rule *ru)
{
	return streq(ru->name, "pass_max_days")	  ? "maximum age"
	       : streq(ru->name, "inactive")	  ? "inactivity period"
	       : streq(ru->name, "pass_min_days") ? "minimum age"
						  : "warning period";
}

static const struct rule *rule_find(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(rules); i++)
		if (streq(rules[i].name, name))
			return &rules[i];
	return NULL;
}

static int accounts_validate(const struct check *c, struct diag *d)
{
	const char *name = check_arg(c, "rule");
	const struct rule *ru;

	if (!name)
		return diag_set(d, -EINVAL, "key 'rule': required");
	ru = rule_find(name);
	if (!ru)
		return diag_set(d, -EINVAL, "key 'rule': unknown rule '%s'", name);
	for (size_t i = 0; i < c->n_args; i++) {
		const char *k = c->args[i].key;
		long long v;

		if (streq(k, "rule"))
			continue;
		if (!ru->bound_key || !streq(k, ru->bound_key))
			return diag_set(d, -EINVAL, "key '%s': not an argument of rule %s", k, name);
		if (expect_parse_ll(c->args[i].value, &v) < 0 || v < 0)
			return diag_set(d, -EINVAL, "key '%s': '%s' is not a number of days", k, c->args[i].value);
	}
	return 0;
}

typedef int (*parse_fn)(struct accounts_db *, const char *, size_t, const char *, struct diag *);

static int load_one(struct audit_ctx *ctx, struct accounts_cache *ac, unsigned bit, const char *path)
{
	_cleanup_free_ char *data = NULL, *where = NULL;
	struct diag *d = &ac->diag[__builtin_ctz(bit)];
	size_t len = 0;
	int r;

	ac->loaded |= bit;
	where = rootfs_host_path(ctx->root, path);
	if (!where)
		return -ENOMEM;
	r = rootfs_read_file(ctx->root, path, bit == NEED_DEFS ? LOGIN_DEFS_MAX : ACCOUNTS_DB_MAX, &data, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT && bit == NEED_DEFS)
		return 0;	/* getdef.c: a missing login.defs means the defaults */
	if (r < 0) {
		ac->failed |= bit;
		diag_set(d, r, "%s: %s", where, strerror(-r));
		return 0;
	}
	switch (bit) {
	case NEED_PASSWD:
		r = accounts_db_parse_passwd(&ac->db, data, len, where, d);
		break;
	case NEED_SHADOW:
		r = accounts_db_parse_shadow(&ac->db, data, len, where, d);
		break;
	case NEED_GROUP:
		r = accounts_db_parse_group(&ac->db, data, len, where, d);
		break;
	default:
		r = login_defs_parse(data, len, &ac->defs);
		break;
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		ac->failed |= bit;
	return 0;
}

static int eval_cached(const struct check *c, struct audit_ctx *ctx, void **slot, struct probe_result *ret)
{
	static const struct {
		unsigned bit;
		const char *path;
	} files[] = {
		{ NEED_PASSWD, PASSWD_PATH },
		{ NEED_SHADOW, SHADOW_PATH },
		{ NEED_GROUP, GROUP_PATH },
		{ NEED_DEFS, LOGIN_DEFS_PATH },
	};
	const struct rule *ru = rule_find(check_arg(c, "rule") ?: "");
	_cleanup_(rule_ctx_done) struct rule_ctx rc = { .check = c, .rule = ru, .actx = ctx, .obs = STRBUF_INIT };
	_cleanup_free_ char *expected = NULL;
	int r;

	if (!ru)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "invalid arguments");
	if (!*slot) {
		*slot = calloc(1, sizeof(struct accounts_cache));
		if (!*slot)
			return -ENOMEM;
	}
	rc.ac = *slot;
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		if (!(ru->needs & files[i].bit))
			continue;
		if (!(rc.ac->loaded & files[i].bit)) {
			r = load_one(ctx, rc.ac, files[i].bit, files[i].path);
			if (r < 0)
				return r;
		}
		if (rc.ac->failed & files[i].bit)
			return probe_result_setf_reason(ret, VERDICT_ERROR, "%s",
							rc.ac->diag[__builtin_ctz(files[i].bit)].msg);
	}

	r = ru->run(&rc);
	if (r < 0)
		return r;
	if (rc.bad > SHOW_MAX)
		strbuf_printf(&rc.obs, " and %u more", rc.bad - SHOW_MAX);
	if (strbuf_error(&rc.obs) < 0)
		return -ENOMEM;
	if (ru->expected)
		expected = strdup(ru->expected);
	else if (asprintf(&expected, "%s %s %lld days for every account with a password", aging_what(ru),
			  streq(ru->bound_key, "max") ? "<=" : ">=", bound(&rc, ru)) < 0)
		expected = NULL;
	if (!expected)
		return -ENOMEM;
	return probe_result_set(ret, rc.bad ? VERDICT_FAIL : VERDICT_PASS, rc.bad ? strbuf_str(&rc.obs) : "none",
				expected);
}

static int accounts_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	void *tmp = NULL, **slot = audit_ctx_cache(ctx, &probe_accounts);
	int r;

	/* Not in the engine's table (a test, or not registered yet): no cache. */
	if (!slot)
		slot = &tmp;
	r = eval_cached(c, ctx, slot, ret);
	accounts_cache_free(tmp);
	return r;
}

const struct probe probe_accounts = {
	.name = "accounts",
	.validate = accounts_validate,
	.eval = accounts_eval,
	.cache_free = accounts_cache_free,
};
