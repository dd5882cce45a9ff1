/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * auditrules: whether /etc/audit/audit.rules, the file auditd loads, is
 * what augenrules would generate from /etc/audit/rules.d now (CIS
 * 6.3.3.21, "augenrules --check" reports "No change").  augenrules (audit
 * 3.0.9, Debian 12) concatenates the rules.d/NAME.rules files that
 * "ls -1v rules.d | grep '\.rules$'" lists, in that order (ls leaves out
 * dot files), drops empty and comment lines, keeps only the last of each
 * control line (-D, -b, -f, --backlog_wait_time, --loginuid-immutable)
 * at the top and of -e at the end, and keeps every other line in order.
 * The comparison is on that merged form of both sides, so the generated
 * file's own header comment does not matter.
 *
 * Without /etc/audit/rules.d (auditd not installed): not_applicable.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>

#include "check.h"
#include "confdirs.h"
#include "probes.h"
#include "strbuf.h"

#define AR_DIR "/etc/audit/rules.d"
#define AR_FILE "/etc/audit/audit.rules"
#define AR_MAX_FILE (16u * 1024u * 1024u)
#define AR_MAX_FILES 1024u

static const char *const controls[] = { "-D", "-b", "-f", "--backlog_wait_time", "--loginuid-immutable", "-e" };

struct merged {
	char *control[ELEMENTSOF(controls)];
	struct strbuf rules;	/* the other lines, '\n'-terminated */
	unsigned n_rules;
};

static void merged_done(struct merged *m)
{
	for (size_t i = 0; i < ELEMENTSOF(controls); i++)
		free(m->control[i]);
	strbuf_free(&m->rules);
}

static int ar_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "compare", NULL };
	const char *v;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	v = check_arg_required(c, "compare", d);
	if (!v)
		return -EINVAL;
	if (!streq(v, "rules.d"))
		return diag_set(d, -EINVAL, "key 'compare': only 'rules.d' is supported");
	return 0;
}

static bool starts_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == ' ' || s[n] == '\t');
}

static int merge_text(struct merged *m, char *text, size_t len)
{
	char *p = text, *line;

	while ((line = confdirs_next_line(&p, text + len))) {
		char *s = confdirs_skip_ws(line);
		bool control = false;

		if (*s == '\0' || *s == '#')
			continue;
		for (size_t i = 0; i < ELEMENTSOF(controls) && !control; i++)
			if (starts_word(s, controls[i])) {
				free(m->control[i]);
				m->control[i] = strdup(s);
				if (!m->control[i])
					return -ENOMEM;
				control = true;
			}
		if (control)
			continue;
		strbuf_puts(&m->rules, s);
		strbuf_putc(&m->rules, '\n');
		m->n_rules++;
	}
	return strbuf_error(&m->rules);
}

static int merge_file(const struct rootfs *root, const char *path, struct merged *m)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = rootfs_read_file(root, path, AR_MAX_FILE, &text, &len);
	if (r < 0)
		return r;
	return merge_text(m, text, len);
}

/*
 * The order of "ls -v": GNU coreutils 9.1 (Debian 12) compares names with
 * gnulib's filevercmp() and, when it finds them equal, with strcmp().  It
 * is not glibc's strverscmp(): "09" is 9 and comes after "1", and letters
 * sort before other characters ("10a" before "10-a").
 *
 * filevercmp() first compares the names without their suffix, the
 * longest match of (\.[A-Za-z~][A-Za-z0-9~]*)*$, then, if equal, the whole
 * names, each time with Debian's version comparison: runs of non-digits
 * by the order below, then runs of digits by value.
 */

/* ASCII classes, as gnulib's c_is*(): the order does not follow the locale. */
static bool c_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool c_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t name_prefix_len(const char *s)
{
	size_t n = strlen(s), prefix = 0;

	for (size_t i = 0; i < n;) {
		prefix = ++i;
		while (i + 1 < n && s[i] == '.' && (c_alpha(s[i + 1]) || s[i + 1] == '~'))
			for (i += 2; i < n && (c_alpha(s[i]) || c_digit(s[i]) || s[i] == '~'); i++)
				;
	}
	return prefix;
}

/* The rank of s[pos] among non-digits: the end before anything but '~',
 * letters before other characters. */
static int ver_order(const char *s, size_t pos, size_t len)
{
	char c;

	if (pos == len)
		return -1;
	c = s[pos];
	if (c_digit(c))
		return 0;
	if (c_alpha(c))
		return (unsigned char)c;
	if (c == '~')
		return -2;
	return (unsigned char)c + 256;
}

static int ver_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		int first_diff = 0;

		while ((i < alen && !c_digit(a[i])) || (j < blen && !c_digit(b[j]))) {
			int ca = ver_order(a, i, alen), cb = ver_order(b, j, blen);

			if (ca != cb)
				return ca - cb;
			i++;
			j++;
		}
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		while (i < alen && j < blen && c_digit(a[i]) && c_digit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < alen && c_digit(a[i]))
			return 1;
		if (j < blen && c_digit(b[j]))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/* Names here never start with '.' (skipped) nor are empty, so
 * filevercmp()'s special cases for those do not arise. */
static int cmp_ls_version(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	size_t alen = strlen(a), blen = strlen(b), ap = name_prefix_len(a), bp = name_prefix_len(b);
	int r = ver_cmp(a, ap, b, bp);

	if (r == 0 && (ap != alen || bp != blen))
		r = ver_cmp(a, alen, b, blen);
	return r ? r : strcmp(a, b);
}

static void closedirp(DIR **d)
{
	if (*d)
		(void)closedir(*d);
}

static int merge_dir(const struct rootfs *root, struct merged *m)
{
	_cleanup_(closedirp) DIR *dp = NULL;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	int fd, r = 0;

	fd = rootfs_openat(root, AR_DIR, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	dp = fdopendir(fd);
	if (!dp) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(dp)) && r >= 0) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= 6 || !streq(de->d_name + l - 6, ".rules"))
			continue;	/* ls without -a does not list dot files */
		if (n >= AR_MAX_FILES || grow_array((void **)&names, &alloc, n + 1, sizeof(char *)) < 0 ||
		    !(names[n] = strdup(de->d_name)))
			r = n >= AR_MAX_FILES ? -E2BIG : -ENOMEM;
		else
			n++;
	}
	if (n)
		qsort(names, n, sizeof(char *), cmp_ls_version);
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *p = path_join(AR_DIR, names[i]);

		r = p ? merge_file(root, p, m) : -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* The first line where a and b differ, 1-based, or 0. */
static unsigned first_difference(const char *a, const char *b)
{
	unsigned line = 1;

	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	return *a == *b ? 0 : line;
}

static int ar_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	_cleanup_(merged_done) struct merged want = { .rules = STRBUF_INIT }, have = { .rules = STRBUF_INIT };
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT;
	unsigned diff;
	bool differs;
	int r;

	(void)c;
	r = merge_dir(ctx->root, &want);
	if (r == -ENOENT || r == -ENOTDIR)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s (auditd not installed)", AR_DIR);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", AR_DIR, strerror(-r));
	r = merge_file(ctx->root, AR_FILE, &have);
	if (r == -ENOMEM)
		return r;
	if (r < 0 && r != -ENOENT)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", AR_FILE, strerror(-r));

	diff = first_difference(strbuf_str(&have.rules), strbuf_str(&want.rules));
	differs = diff || r == -ENOENT;
	for (size_t i = 0; i < ELEMENTSOF(controls); i++) {
		if (streq_ptr(want.control[i], have.control[i]) || (!want.control[i] && !have.control[i]))
			continue;
		differs = true;
		strbuf_printf(&obs, "%s%s: '%s' in %s, '%s' from rules.d", obs.len ? "; " : "", controls[i],
			      have.control[i] ? have.control[i] : "", AR_FILE, want.control[i] ? want.control[i] : "");
	}
	if (r == -ENOENT)
		strbuf_printf(&obs, "%sno %s", obs.len ? "; " : "", AR_FILE);
	else if (diff)
		strbuf_printf(&obs, "%srule %u differs (%u in %s, %u from rules.d)", obs.len ? "; " : "", diff,
			      have.n_rules, AR_FILE, want.n_rules);
	if (obs.len == 0)
		strbuf_printf(&obs, "%u rules, as generated", want.n_rules);
	if (strbuf_error(&obs) < 0 || (differs && probe_result_add_finding(ret, AR_FILE) < 0))
		return -ENOMEM;
	return probe_result_set(ret, differs ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&obs),
				"audit.rules as augenrules generates it from rules.d");
}

const struct probe probe_auditrules = {
	.name = "auditrules",
	.validate = ar_validate,
	.eval = ar_eval,
};
