/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apparmor: the mode of every AppArmor profile (CIS 1.3.1.3, 1.3.1.4).
 *
 * Live, the kernel's list, /sys/kernel/security/apparmor/profiles, one
 * "NAME (MODE)" line per loaded profile; without it AppArmor is not
 * enabled in the running kernel (or securityfs is not mounted, as in a
 * container) and the check is not_applicable.
 *
 * Offline, what the boot would load from /etc/apparmor.d: every regular
 * file directly in it, skipping the names apparmor's own loader skips
 * (dot files, README, *.dpkg-*, *.rpmnew, *.rpmsave, *.pacnew,
 * *.pacsave, *.orig, *.rej, *~) and the profiles linked from
 * /etc/apparmor.d/disable (not loaded at all); a link in
 * /etc/apparmor.d/force-complain makes a profile complain, otherwise its
 * flags=(...) decide (complain, kill), and enforce is the default.
 * Without /etc/apparmor.d (apparmor not installed): not_applicable.
 *
 *	modes = enforce complain	the modes allowed (default: enforce
 *					complain kill, kill being stricter
 *					than enforce)
 * No profile at all fails: nothing is confined.  Offline, beyond
 * AA_MAX_PROFILES files the rest are not read, and that is said: an
 * error if none of those read fails.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check.h"
#include "confdirs.h"
#include "probes.h"
#include "strbuf.h"

#define AA_PROFILES "/sys/kernel/security/apparmor/profiles"
#define AA_DIR "/etc/apparmor.d"
#define AA_MAX_FILE (4u * 1024u * 1024u)
#define AA_MAX_PROFILES 8192u
#define AA_SHOWN 5

static const char *const aa_modes[] = { "enforce", "complain", "kill", "unconfined", "prompt", NULL };

struct aa_count {
	unsigned total, bad, disabled;
	bool truncated;		/* more than AA_MAX_PROFILES: the rest not read */
	struct strbuf obs;	/* the first offenders */
	const char *allowed;
};

static bool word_in(const char *list, const char *w, size_t n)
{
	for (const char *p = list; *p;) {
		size_t l;

		p += strspn(p, " \t,");
		l = strcspn(p, " \t,");
		if (l == 0)
			break;
		if (l == n && strncmp(p, w, n) == 0)
			return true;
		p += l;
	}
	return false;
}

static int aa_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "modes", NULL };
	const char *v;
	int r;

	r = check_args_allowed(c, allowed, false, d);
	if (r < 0)
		return r;
	if ((v = check_arg(c, "modes")))
		for (const char *p = v; *p;) {
			size_t l;
			bool known = false;

			p += strspn(p, " \t");
			l = strcspn(p, " \t");
			if (l == 0)
				break;
			for (size_t i = 0; aa_modes[i]; i++)
				known = known || (strlen(aa_modes[i]) == l && strncmp(aa_modes[i], p, l) == 0);
			if (!known)
				return diag_set(d, -EINVAL, "key 'modes': '%.*s' is not an AppArmor profile mode", (int)l, p);
			p += l;
		}
	return 0;
}

/* Count a profile; false if its mode is not allowed. */
static bool note(struct aa_count *n, const char *name, size_t name_len, const char *mode, size_t mode_len)
{
	n->total++;
	if (word_in(n->allowed, mode, mode_len))
		return true;
	if (++n->bad > AA_SHOWN)
		return false;
	if (n->obs.len)
		strbuf_puts(&n->obs, ", ");
	strbuf_printf(&n->obs, "%.*s (%.*s)", (int)MIN(name_len, 200u), name, (int)mode_len, mode);
	return false;
}

/* Kernel list: "NAME (MODE)"; NAME may contain blanks, MODE is the last
 * parenthesised word.  The kernel does not say which file a profile came
 * from, so an offender's finding is its name: for a profile attached by
 * path (most of them), the path of the program it confines. */
static int count_live(struct audit_ctx *ctx, struct aa_count *n, struct probe_result *ret, bool *ret_done)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	char *p, *line;
	int r;

	*ret_done = true;
	r = rootfs_read_file(ctx->root, AA_PROFILES, AA_MAX_FILE, &text, &len);
	if (r == -ENOENT || r == -ENOTDIR)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE,
						"AppArmor is not enabled in the running kernel (no %s)", AA_PROFILES);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", AA_PROFILES, strerror(-r));
	p = text;
	while ((line = confdirs_next_line(&p, text + len))) {
		char *open = strrchr(line, '(');
		size_t l = strlen(line);

		if (!open || l < 3 || line[l - 1] != ')' || open == line)
			continue;
		if (note(n, line, (size_t)(open - line - 1), open + 1, (size_t)(line + l - 1 - open - 1)))
			continue;
		open[-1] = '\0';	/* the blank before "(MODE)" */
		if (probe_result_add_finding(ret, line) < 0)
			return -ENOMEM;
	}
	*ret_done = false;
	return 0;
}

static bool skipped_name(const char *s)
{
	static const char *const suffixes[] = { ".rpmnew", ".rpmsave", ".pacnew", ".pacsave", ".orig", ".rej", "~" };
	size_t n = strlen(s);

	if (s[0] == '.' || streq(s, "README") || strstr(s, ".dpkg-"))
		return true;
	for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
		size_t m = strlen(suffixes[i]);

		if (n >= m && streq(s + n - m, suffixes[i]))
			return true;
	}
	return false;
}

static bool exists_in(const struct rootfs *root, const char *dir, const char *name)
{
	_cleanup_free_ char *p = path_join(dir, name);
	struct stat st;

	return p && rootfs_stat(root, p, false, &st) >= 0;
}

/* The mode a profile file asks for in its flags=(...). */
static const char *file_mode(const struct rootfs *root, const char *path)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	const char *f;

	if (rootfs_read_file(root, path, AA_MAX_FILE, &text, &len) < 0)
		return "enforce";
	for (f = text; (f = strstr(f, "flags")); f += 5) {
		const char *q = f + 5 + strspn(f + 5, " \t"), *end;

		if (*q != '=')
			continue;
		q += 1 + strspn(q + 1, " \t");
		if (*q != '(' || !(end = strchr(q, ')')))
			continue;
		if (memmem(q, (size_t)(end - q), "complain", 8))
			return "complain";
		if (memmem(q, (size_t)(end - q), "kill", 4))
			return "kill";
	}
	return "enforce";
}

static void closedirp(DIR **d)
{
	if (*d)
		(void)closedir(*d);
}

static int count_offline(struct audit_ctx *ctx, struct aa_count *n, struct probe_result *ret, bool *ret_done)
{
	_cleanup_(closedirp) DIR *dp = NULL;
	struct dirent *de;
	int fd;

	*ret_done = true;
	fd = rootfs_openat(ctx->root, AA_DIR, O_RDONLY | O_DIRECTORY);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s (apparmor not installed)", AA_DIR);
	if (fd < 0)
		return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot open %s: %s", AA_DIR, strerror(-fd));
	dp = fdopendir(fd);
	if (!dp) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(dp))) {
		_cleanup_free_ char *path = NULL;
		const char *mode;
		struct stat st;

		if (skipped_name(de->d_name))
			continue;
		path = path_join(AA_DIR, de->d_name);
		if (!path)
			return -ENOMEM;
		/* a link is resolved inside the image, never on the host */
		if (rootfs_stat(ctx->root, path, true, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n->total + n->disabled >= AA_MAX_PROFILES) {
			n->truncated = true;
			break;
		}
		if (exists_in(ctx->root, AA_DIR "/disable", de->d_name)) {
			n->disabled++;
			continue;
		}
		mode = exists_in(ctx->root, AA_DIR "/force-complain", de->d_name) ? "complain"
										 : file_mode(ctx->root, path);
		if (!note(n, de->d_name, strlen(de->d_name), mode, strlen(mode)) && probe_result_add_finding(ret, path) < 0)
			return -ENOMEM;
	}
	*ret_done = false;
	return 0;
}

static int aa_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	struct aa_count n = { .obs = STRBUF_INIT };
	_cleanup_strbuf_ struct strbuf obs = STRBUF_INIT, exp = STRBUF_INIT;
	bool done;
	int r;

	n.allowed = check_arg(c, "modes") ? check_arg(c, "modes") : "enforce complain kill";
	r = ctx->root->live ? count_live(ctx, &n, ret, &done) : count_offline(ctx, &n, ret, &done);
	if (r < 0 || done) {
		strbuf_free(&n.obs);
		return r;
	}
	/* profiles not read may be in any mode: no pass, but an offender
	 * among those read is a fail whatever the others are */
	if (n.truncated && !n.bad) {
		strbuf_free(&n.obs);
		return probe_result_setf_reason(ret, VERDICT_ERROR, "more than %u profiles in %s: only the first %u read",
						AA_MAX_PROFILES, AA_DIR, AA_MAX_PROFILES);
	}
	if (n.total == 0)
		strbuf_puts(&obs, "no profile loaded");
	else if (n.bad)
		strbuf_printf(&obs, "%u of %u profiles: %s%s", n.bad, n.total, strbuf_str(&n.obs),
			      n.bad > AA_SHOWN ? ", ..." : "");
	else
		strbuf_printf(&obs, "%u profiles, all %s", n.total, n.allowed);
	if (n.disabled)
		strbuf_printf(&obs, " (%u disabled in %s/disable)", n.disabled, AA_DIR);
	if (n.truncated)
		strbuf_printf(&obs, " (more than %u profiles: only the first %u read)", AA_MAX_PROFILES, AA_MAX_PROFILES);
	strbuf_printf(&exp, "at least one profile, each one of: %s", n.allowed);
	r = strbuf_error(&obs) < 0 || strbuf_error(&exp) < 0 || strbuf_error(&n.obs) < 0 ? -ENOMEM : 0;
	strbuf_free(&n.obs);
	if (r < 0)
		return r;
	return probe_result_set(ret, n.total && !n.bad ? VERDICT_PASS : VERDICT_FAIL, strbuf_str(&obs),
				strbuf_str(&exp));
}

const struct probe probe_apparmor = {
	.name = "apparmor",
	.validate = aa_validate,
	.eval = aa_eval,
};
