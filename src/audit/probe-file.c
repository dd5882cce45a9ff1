/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file: existence, type, permission bits (at most), owner, group and
 * per-line content of one path of the examined system.  Owner and group
 * names are those of the image's own passwd and group files.
 */
#include <regex.h>
#include <sys/stat.h>

#include "check.h"
#include "confdirs.h"
#include "idmap.h"
#include "probes.h"
#include "strbuf.h"

#define FILE_MAX_CONTENT (8 * 1024 * 1024)
#define FILE_MAX_SHOWN 120

static const char *const file_keys[] = {
	"path", "exists", "type", "mode_max", "owner", "group", "content_present", "content_absent", NULL,
};

static int parse_mode(const char *s, unsigned *ret)
{
	unsigned long v;
	char *end;

	if (isempty(s) || strspn(s, "01234567") != strlen(s) || strlen(s) > 5)
		return -EINVAL;
	v = strtoul(s, &end, 8);
	if (v > 07777)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

static int check_regex(const char *key, const char *re, struct diag *d)
{
	regex_t rx;
	int r;

	r = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (r != 0) {
		char buf[128];

		regerror(r, &rx, buf, sizeof(buf));
		return diag_set(d, -EINVAL, "key '%s': bad regular expression: %s", key, buf);
	}
	regfree(&rx);
	return 0;
}

static int check_idlist(const char *key, const char *v, struct diag *d)
{
	/* "root|0|shadow": names or ids separated by '|'. */
	if (isempty(v) || *v == '|' || v[strlen(v) - 1] == '|' || strstr(v, "||") || strpbrk(v, " \t:"))
		return diag_set(d, -EINVAL, "key '%s': '%s' is not NAME[|NAME...]", key, v);
	return 0;
}

static int file_validate(const struct check *c, struct diag *d)
{
	const char *path, *v;
	unsigned mode;
	bool b, any = false;
	int r;

	r = check_args_allowed(c, file_keys, false, d);
	if (r < 0)
		return r;
	path = check_arg_required(c, "path", d);
	if (!path)
		return -EINVAL;
	if (*path != '/' || strlen(path) > 4096)
		return diag_set(d, -EINVAL, "key 'path': '%s' is not an absolute path", path);
	if ((v = check_arg(c, "exists"))) {
		if (parse_bool(v, &b) < 0)
			return diag_set(d, -EINVAL, "key 'exists': '%s' is not yes or no", v);
		any = true;
		if (!b && c->n_args > 2)
			return diag_set(d, -EINVAL, "key 'exists': 'no' cannot be combined with other conditions");
	}
	if ((v = check_arg(c, "type"))) {
		if (!streq(v, "file") && !streq(v, "directory") && !streq(v, "symlink"))
			return diag_set(d, -EINVAL, "key 'type': '%s' is not file, directory or symlink", v);
		any = true;
	}
	if ((v = check_arg(c, "mode_max"))) {
		if (parse_mode(v, &mode) < 0)
			return diag_set(d, -EINVAL, "key 'mode_max': '%s' is not an octal mode", v);
		any = true;
	}
	if ((v = check_arg(c, "owner"))) {
		if (check_idlist("owner", v, d) < 0)
			return -EINVAL;
		any = true;
	}
	if ((v = check_arg(c, "group"))) {
		if (check_idlist("group", v, d) < 0)
			return -EINVAL;
		any = true;
	}
	if ((v = check_arg(c, "content_present"))) {
		if (check_regex("content_present", v, d) < 0)
			return -EINVAL;
		any = true;
	}
	if ((v = check_arg(c, "content_absent"))) {
		if (check_regex("content_absent", v, d) < 0)
			return -EINVAL;
		any = true;
	}
	if (!any)
		return diag_set(d, -EINVAL, "no condition: give exists, type, mode_max, owner, group, "
					    "content_present or content_absent");
	return 0;
}

static void cache_free(void *p)
{
	idmap_free(p);
}

static int get_idmap(struct audit_ctx *ctx, const struct idmap **ret)
{
	void **slot = audit_ctx_cache(ctx, &probe_file);
	struct idmap *m;
	int r;

	if (!slot)
		return -EINVAL;
	if (!*slot) {
		r = idmap_load(ctx->root, &m);
		if (r < 0)
			return r;
		*slot = m;
	}
	*ret = *slot;
	return 0;
}

static bool id_matches(const char *list, unsigned id, bool user, const struct idmap *m)
{
	_cleanup_free_ char *copy = strdup(list);
	char *save = NULL;

	if (!copy)
		return false;
	for (char *t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		unsigned want;

		if ((user ? idmap_user_id(m, t, &want) : idmap_group_id(m, t, &want)) >= 0 && want == id)
			return true;
	}
	return false;
}

static void put_id(struct strbuf *sb, const char *what, unsigned id, const char *name)
{
	if (name)
		strbuf_printf(sb, "%s %s", what, name);
	else
		strbuf_printf(sb, "%s %u (no such name)", what, id);
}

static const char *type_name(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "directory";
	if (S_ISLNK(m))
		return "symlink";
	return "special file";
}

static void sep(struct strbuf *sb)
{
	if (sb->len)
		strbuf_puts(sb, ", ");
}

/* Scan the lines of the file for the content conditions; appends to obs
 * and returns whether they hold.  -errno if the file cannot be read. */
static int check_content(const struct check *c, struct audit_ctx *ctx, const char *path, struct strbuf *obs,
			 bool *ret_ok)
{
	const char *present = check_arg(c, "content_present"), *absent = check_arg(c, "content_absent");
	_cleanup_free_ char *text = NULL;
	regex_t rp, ra;
	bool has_p = false, found_p = false, ok = true;
	char *p, *line;
	size_t len;
	unsigned lineno = 0;
	int r;

	if (!present && !absent) {
		*ret_ok = true;
		return 0;
	}
	r = rootfs_read_file(ctx->root, path, FILE_MAX_CONTENT, &text, &len);
	if (r < 0)
		return r;
	if (present && regcomp(&rp, present, REG_EXTENDED | REG_NOSUB) == 0)
		has_p = true;
	if (absent && regcomp(&ra, absent, REG_EXTENDED | REG_NOSUB) != 0)
		absent = NULL;
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		lineno++;
		if (has_p && !found_p && regexec(&rp, line, 0, NULL, 0) == 0)
			found_p = true;
		if (absent && ok && regexec(&ra, line, 0, NULL, 0) == 0) {
			ok = false;
			sep(obs);
			strbuf_printf(obs, "line %u matches: %.*s", lineno, FILE_MAX_SHOWN, line);
		}
	}
	if (present) {
		if (!found_p) {
			ok = false;
			sep(obs);
			strbuf_puts(obs, "no line matches the required pattern");
		}
	}
	if (has_p)
		regfree(&rp);
	if (absent)
		regfree(&ra);
	*ret_ok = ok;
	return 0;
}

static void describe_expected(const struct check *c, struct strbuf *exp)
{
	const char *v;
	bool b;

	if ((v = check_arg(c, "exists")) && parse_bool(v, &b) >= 0) {
		sep(exp);
		strbuf_puts(exp, b ? "exists" : "does not exist");
	}
	if ((v = check_arg(c, "type"))) {
		sep(exp);
		strbuf_printf(exp, "type %s", v);
	}
	if ((v = check_arg(c, "mode_max"))) {
		sep(exp);
		strbuf_printf(exp, "mode <= %s", v);
	}
	if ((v = check_arg(c, "owner"))) {
		sep(exp);
		strbuf_printf(exp, "owner %s", v);
	}
	if ((v = check_arg(c, "group"))) {
		sep(exp);
		strbuf_printf(exp, "group %s", v);
	}
	if ((v = check_arg(c, "content_present"))) {
		sep(exp);
		strbuf_printf(exp, "a line matching /%s/", v);
	}
	if ((v = check_arg(c, "content_absent"))) {
		sep(exp);
		strbuf_printf(exp, "no line matching /%s/", v);
	}
}

static int file_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT, exp = STRBUF_INIT;
	const char *path = check_arg(c, "path"), *v;
	const struct idmap *m = NULL;
	bool follow = !streq_ptr(check_arg(c, "type"), "symlink"), want_exists = true, has_exists = false;
	bool ok = true, content_ok = true;
	unsigned max;
	struct stat st;
	int r;

	describe_expected(c, &exp);
	if ((v = check_arg(c, "exists"))) {
		has_exists = true;
		(void)parse_bool(v, &want_exists);
	}
	r = rootfs_stat(ctx->root, path, follow, &st);
	if (r == -ENOENT || r == -ENOTDIR) {
		if (has_exists) {
			if (want_exists && probe_result_add_finding(ret, path) < 0)
				return -ENOMEM;
			return probe_result_set(ret, want_exists ? VERDICT_FAIL : VERDICT_PASS, "does not exist",
						strbuf_error(&exp) < 0 ? NULL : strbuf_str(&exp));
		}
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "%s does not exist", path);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot stat %s: %s", path, strerror(-r));
	if (has_exists) {
		strbuf_puts(&obs, "exists");
		ok = want_exists;
	}
	if ((v = check_arg(c, "type"))) {
		sep(&obs);
		strbuf_printf(&obs, "type %s", type_name(st.st_mode));
		ok = ok && streq(v, type_name(st.st_mode));
	}
	if ((v = check_arg(c, "mode_max")) && parse_mode(v, &max) >= 0) {
		sep(&obs);
		strbuf_printf(&obs, "mode %04o", (unsigned)(st.st_mode & 07777));
		ok = ok && ((st.st_mode & 07777) & ~max) == 0;
	}
	if (check_arg(c, "owner") || check_arg(c, "group")) {
		r = get_idmap(ctx, &m);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read passwd/group: %s",
							strerror(-r));
	}
	if ((v = check_arg(c, "owner"))) {
		sep(&obs);
		put_id(&obs, "owner", st.st_uid, idmap_user_name(m, st.st_uid));
		ok = ok && id_matches(v, st.st_uid, true, m);
	}
	if ((v = check_arg(c, "group"))) {
		sep(&obs);
		put_id(&obs, "group", st.st_gid, idmap_group_name(m, st.st_gid));
		ok = ok && id_matches(v, st.st_gid, false, m);
	}
	if (check_arg(c, "content_present") || check_arg(c, "content_absent")) {
		if (!S_ISREG(st.st_mode)) {
			sep(&obs);
			strbuf_printf(&obs, "not a regular file (%s)", type_name(st.st_mode));
			ok = false;
		} else {
			r = check_content(c, ctx, path, &obs, &content_ok);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", path,
								strerror(-r));
			if (content_ok) {
				sep(&obs);
				strbuf_puts(&obs, "content as expected");
			}
			ok = ok && content_ok;
		}
	}
	if (strbuf_error(&obs) < 0 || strbuf_error(&exp) < 0)
		return -ENOMEM;
	if (!ok && probe_result_add_finding(ret, path) < 0)
		return -ENOMEM;
	return probe_result_set(ret, ok ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&obs), strbuf_str(&exp));
}

const struct probe probe_file = {
	.name = "file",
	.validate = file_validate,
	.eval = file_eval,
	.cache_free = cache_free,
};
