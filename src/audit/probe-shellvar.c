/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shellvar: a variable of a shell fragment that a tool sources, such as
 * /etc/default/grub, which grub-mkconfig sources and then every
 * /etc/default/grub.d/NAME.cfg in glob order.  The files are read, never
 * run, with the shell's meaning of simple assignments:
 *
 *  - a command made only of NAME=WORD assignments (optionally after
 *    "export" or "readonly") sets them; the last assignment wins;
 *  - WORD is unquoted text, '...' (literal), "..." (with \$ \" \\ \`
 *    and \<newline> escapes), spanning lines if quoted; \<newline>
 *    outside quotes joins lines; '#' at the start of a word is a comment;
 *  - $NAME and ${NAME} outside single quotes expand to the value so far
 *    ("$GRUB_CMDLINE_LINUX audit=1" appends), an unknown name to "";
 *  - a value that needs a command ($(...), `...`) or any other expansion
 *    cannot be known without running the file: a check of that variable
 *    is an error, not a guess; so is a value longer than
 *    SHELLVAR_MAX_VALUE.
 * Other commands (., functions) are not followed, and an assignment
 * inside if or case counts as if it were unconditional.
 *
 * Arguments:
 *	file = PATH ...		the fragments, in this order (a missing one
 *				is skipped): /etc/default/grub, or
 *				/etc/profile /etc/bash.bashrc for login shells
 *	dropins = GLOB		sourced after it, sorted (for grub: the
 *				directory /etc/default/grub.d, names "*.cfg")
 *	var = NAME [NAME ...]	the values joined by a space, in this order
 *				(GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT
 *				is the command line of the default entry)
 *	param = NAME=VALUE ...	kernel command-line mode: each NAME's last
 *				occurrence among the words is NAME=VALUE (the
 *				kernel lets a later parameter override)
 *	param = NAME + equals/one_of/min/max	the last NAME='s value
 *	equals/one_of/min/max	without param: the whole value
 * None of the files: not_applicable.
 */
#include <ctype.h>

#include "check.h"
#include "confdirs.h"
#include "expect.h"
#include "probes.h"
#include "strbuf.h"

#define SHELLVAR_MAX_FILE (1024 * 1024)
#define SHELLVAR_MAX_VARS 1024
#define SHELLVAR_MAX_NAME 64
#define SHELLVAR_MAX_VALUE 65536

struct shvar {
	char *name;
	char *value;		/* NULL: could not be evaluated */
	char *where;		/* "file:line" */
};

struct shvars {
	struct shvar *v;
	size_t n, allocated;
};

static void shvars_done(struct shvars *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].value);
		free(s->v[i].where);
	}
	free(s->v);
}

static struct shvar *shvars_find(const struct shvars *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i].name) == len && strncmp(s->v[i].name, name, len) == 0)
			return &s->v[i];
	return NULL;
}

static bool name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n > SHELLVAR_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i], i == 0))
			return false;
	return true;
}

static bool names_valid(const char *list)
{
	size_t count = 0;

	for (const char *p = list; *p;) {
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (l == 0)
			break;
		if (!valid_name(p, l) || ++count > 8)
			return false;
		p += l;
	}
	return count > 0;
}

static int shellvar_validate(const struct check *c, struct diag *d)
{
	static const char *const allowed[] = { "file", "dropins", "var", "param", NULL };
	const char *file, *v, *param;
	int r;

	r = check_args_allowed(c, allowed, true, d);
	if (r < 0)
		return r;
	file = check_arg_required(c, "file", d);
	if (!file)
		return -EINVAL;
	for (const char *p = file; *p;) {
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (l == 0)
			break;
		if (*p != '/' || memchr(p, '*', l) || memchr(p, '?', l) || memchr(p, '[', l))
			return diag_set(d, -EINVAL, "key 'file': '%.*s' is not an absolute path", (int)l, p);
		p += l;
	}
	if ((v = check_arg(c, "dropins"))) {
		const char *slash = strrchr(v, '/'), *wild = strpbrk(v, "*?[");

		if (*v != '/' || strpbrk(v, " \t") || (wild && wild < slash))
			return diag_set(d, -EINVAL, "key 'dropins': '%s' is not an absolute glob (wildcards in "
						    "the last component only)", v);
	}
	v = check_arg_required(c, "var", d);
	if (!v)
		return -EINVAL;
	if (!names_valid(v))
		return diag_set(d, -EINVAL, "key 'var': '%s' is not a list of up to 8 shell variable names", v);
	param = check_arg(c, "param");
	if (param && strchr(param, '=')) {
		if (expect_present(c) || check_arg(c, "absent_ok"))
			return diag_set(d, -EINVAL, "key 'param': NAME=VALUE cannot be combined with an expectation");
		return 0;
	}
	if (param && (strpbrk(param, " \t") || !*param))
		return diag_set(d, -EINVAL, "key 'param': '%s' is not one parameter name (or NAME=VALUE ...)", param);
	return expect_validate(c, true, d);
}

/* The parser state over one file. */
struct lexer {
	const char *p, *end;
	unsigned line;
	const struct shvars *vars;
};

/* Append to the word being read while it is known.  A word that would
 * grow past SHELLVAR_MAX_VALUE is unknown at once and nothing more is
 * appended: the limit is checked as the word grows, not once it is
 * complete, since "A=$A$A$A..." in a hostile image would otherwise build
 * 64 KiB per '$A' of a 1 MiB file before the check. */
static void word_put(struct strbuf *out, const char *s, size_t n, bool *known)
{
	if (!*known)
		return;
	if (n > SHELLVAR_MAX_VALUE - MIN(out->len, (size_t)SHELLVAR_MAX_VALUE)) {
		*known = false;
		return;
	}
	strbuf_append(out, s, n);
}

/* Append the expansion of $... at l->p (just after the '$'); *known
 * becomes false if it needs the shell. */
static void expand(struct lexer *l, struct strbuf *out, bool *known)
{
	const char *name;
	size_t n = 0;
	bool braced = l->p < l->end && *l->p == '{';

	if (braced)
		l->p++;
	name = l->p;
	while (l->p + n < l->end && name_char(name[n], n == 0))
		n++;
	if (n == 0 || (braced && (l->p + n >= l->end || name[n] != '}'))) {
		*known = false;	/* $(, $?, ${x:-y}, ...: needs the shell */
		return;
	}
	l->p += n + (braced ? 1 : 0);
	const struct shvar *v = shvars_find(l->vars, name, n);
	if (v && !v->value)
		*known = false;
	else if (v)
		word_put(out, v->value, strlen(v->value), known);
}

/* Skip a command substitution up to its closing ')' (nested ones
 * counted) or '`', so that its blanks do not split the word. */
static void skip_command(struct lexer *l, char close)
{
	unsigned depth = 0;

	while (l->p < l->end) {
		char ch = *l->p++;

		if (ch == '\n')
			l->line++;
		if (ch == '\\' && l->p < l->end)
			l->p++;
		else if (close == ')' && ch == '(')
			depth++;
		else if (ch == close && (close == '`' || depth-- <= 1))
			return;
	}
}

/* Read one word at l->p into out; *ret_known is false if it needs the
 * shell or is longer than SHELLVAR_MAX_VALUE (out then holds at most
 * that much).  Stops at an unquoted blank, newline or ';'. */
static void read_word(struct lexer *l, struct strbuf *out, bool *ret_known)
{
	char q = 0;

	*ret_known = true;
	while (l->p < l->end) {
		char ch = *l->p;

		if (q == 0 && (ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' || ch == '&' || ch == '|'))
			return;
		l->p++;
		if (ch == '\n')
			l->line++;
		if (q == '\'') {
			if (ch == '\'')
				q = 0;
			else
				word_put(out, &ch, 1, ret_known);
		} else if (ch == '\\' && l->p < l->end) {
			char nx = *l->p++;

			if (nx == '\n')
				l->line++;	/* line continuation: nothing */
			else if (q == '"' && !strchr("$\"\\`", nx))
				word_put(out, l->p - 2, 2, ret_known);	/* the backslash stays */
			else
				word_put(out, &nx, 1, ret_known);
		} else if (ch == '$' && l->p < l->end && *l->p == '(') {
			skip_command(l, ')');
			*ret_known = false;
		} else if (ch == '$')
			expand(l, out, ret_known);
		else if (ch == '`') {
			skip_command(l, '`');
			*ret_known = false;
		} else if (q == 0 && (ch == '\'' || ch == '"'))
			q = ch;
		else if (q == '"' && ch == '"')
			q = 0;
		else
			word_put(out, &ch, 1, ret_known);
	}
	if (q != 0)
		*ret_known = false;	/* unterminated quote: the shell fails */
}

static int assign(struct shvars *vars, const char *name, size_t n, const char *value, const char *path,
		  unsigned line)
{
	struct shvar *v = shvars_find(vars, name, n);
	char *val = NULL, *where = NULL;

	if (value && !(val = strdup(value)))
		return -ENOMEM;
	if (asprintf(&where, "%s:%u", path, line) < 0) {
		free(val);
		return -ENOMEM;
	}
	if (!v) {
		if (vars->n >= SHELLVAR_MAX_VARS ||
		    grow_array((void **)&vars->v, &vars->allocated, vars->n + 1, sizeof(*vars->v)) < 0) {
			free(val);
			free(where);
			return vars->n >= SHELLVAR_MAX_VARS ? 0 : -ENOMEM;
		}
		v = &vars->v[vars->n];
		*v = (struct shvar){ .name = strndup(name, n) };
		if (!v->name) {
			free(val);
			free(where);
			return -ENOMEM;
		}
		vars->n++;
	}
	free(v->value);
	free(v->where);
	v->value = val;
	v->where = where;
	return 0;
}

/* One command: its words up to a newline or ';'.  Applied only if every
 * word is an assignment (after an optional "export"). */
static int parse_command(struct lexer *l, struct shvars *vars, const char *path)
{
	struct pending {
		const char *name;
		size_t n;
		char *value;	/* NULL: not known */
		unsigned line;
	} pend[16];
	size_t n_pend = 0;
	bool only_assignments = true, first = true;
	int r = 0;

	for (;;) {
		_cleanup_strbuf_ struct strbuf w = STRBUF_INIT;
		const char *start, *eq;
		unsigned line;
		bool known;

		while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
			l->p++;
		if (l->p < l->end && *l->p == '\\' && l->p + 1 < l->end && l->p[1] == '\n') {
			l->p += 2;
			l->line++;
			continue;
		}
		if (l->p >= l->end || *l->p == '\n' || *l->p == ';' || *l->p == '&' || *l->p == '|')
			break;
		if (*l->p == '#') {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
			break;
		}
		start = l->p;
		line = l->line;
		for (eq = start; eq < l->end && name_char(*eq, eq == start); eq++)
			;
		if (eq < l->end && *eq == '=' && eq > start && only_assignments) {
			l->p = eq + 1;
			read_word(l, &w, &known);
			if (strbuf_error(&w) < 0 || w.len > SHELLVAR_MAX_VALUE)
				known = false;
			if (n_pend < ELEMENTSOF(pend)) {
				pend[n_pend] = (struct pending){ .name = start, .n = (size_t)(eq - start), .line = line };
				pend[n_pend].value = known ? strbuf_steal(&w) : NULL;
				if (known && !pend[n_pend].value)
					r = -ENOMEM;
				n_pend++;
			}
		} else {
			read_word(l, &w, &known);
			if (!(first && known && (streq(strbuf_str(&w), "export") || streq(strbuf_str(&w), "readonly"))))
				only_assignments = false;
		}
		first = false;
	}
	if (l->p < l->end) {
		if (*l->p == '\n')
			l->line++;
		l->p++;
	}
	for (size_t i = 0; i < n_pend; i++) {
		if (r >= 0 && only_assignments)
			r = assign(vars, pend[i].name, pend[i].n, pend[i].value, path, pend[i].line);
		free(pend[i].value);
	}
	return r;
}

static int parse_file(const struct rootfs *root, const char *path, struct shvars *vars)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = rootfs_read_file(root, path, SHELLVAR_MAX_FILE, &text, &len);
	if (r < 0)
		return r;
	if (memchr(text, '\0', len))
		return -EINVAL;
	struct lexer l = { .p = text, .end = text + len, .line = 1, .vars = vars };
	while (l.p < l.end) {
		r = parse_command(&l, vars, path);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The last NAME=... among the blank-separated words of s, or NULL. */
static char *last_param(const char *s, const char *name, size_t n)
{
	const char *found = NULL;
	size_t found_len = 0;

	for (const char *p = s; *p;) {
		size_t l;

		p += strspn(p, " \t\n");
		l = strcspn(p, " \t\n");
		if (l == 0)
			break;
		if (l > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			found = p + n + 1;
			found_len = l - n - 1;
		}
		p += l;
	}
	return found ? strndup(found, found_len) : NULL;
}

static int eval_params(const char *value, const char *params, struct strbuf *missing)
{
	for (const char *p = params; *p;) {
		_cleanup_free_ char *got = NULL;
		const char *eq;
		size_t l;

		p += strspn(p, " \t");
		l = strcspn(p, " \t");
		if (l == 0)
			break;
		eq = memchr(p, '=', l);
		if (!eq)
			return -EINVAL;
		got = last_param(value, p, (size_t)(eq - p));
		if (!got || strlen(got) != l - (size_t)(eq - p) - 1 || strncmp(got, eq + 1, strlen(got)) != 0) {
			if (missing->len)
				strbuf_putc(missing, ' ');
			strbuf_append(missing, p, l);
		}
		p += l;
	}
	return strbuf_error(missing);
}

static int shellvar_eval(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret)
{
	const char *dropins = check_arg(c, "dropins"), *param = check_arg(c, "param");
	_cleanup_(shvars_done) struct shvars vars = {};
	_cleanup_strbuf_ struct strbuf value = STRBUF_INIT, shown = STRBUF_INIT, missing = STRBUF_INIT;
	_cleanup_free_ char *names = strdup(check_arg(c, "var")), *mains = strdup(check_arg(c, "file")), *pv = NULL;
	char **files = NULL, *save = NULL;
	size_t n_files = 0;
	bool any = false, found = false;
	int r;

	if (!names || !mains)
		return -ENOMEM;
	for (char *f = strtok_r(mains, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
		r = parse_file(ctx->root, f, &vars);
		if (r == -ENOENT)
			continue;
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", f, strerror(-r));
		found = true;
	}
	if (!found)
		return probe_result_setf_reason(ret, VERDICT_NOT_APPLICABLE, "no %s", check_arg(c, "file"));
	save = NULL;
	if (dropins) {
		r = confdirs_glob(ctx->root, dropins, &files, &n_files);
		for (size_t i = 0; r >= 0 && i < n_files; i++) {
			r = parse_file(ctx->root, files[i], &vars);
			if (r == -ENOENT)
				r = 0;	/* grub-mkconfig: [ -e "$x" ] */
			else if (r < 0 && r != -ENOMEM) {
				r = probe_result_setf_reason(ret, VERDICT_ERROR, "cannot read %s: %s", files[i],
							     strerror(-r));
				confdirs_strv_free(files, n_files);
				return r;
			}
		}
		confdirs_strv_free(files, n_files);
		if (r < 0)
			return r;
	}

	for (char *t = strtok_r(names, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		const struct shvar *v = shvars_find(&vars, t, strlen(t));

		if (v && !v->value)
			return probe_result_setf_reason(ret, VERDICT_ERROR,
							"%s at %s needs the shell to evaluate (command substitution "
							"or parameter expansion) or is longer than %d bytes",
							t, v->where, SHELLVAR_MAX_VALUE);
		if (!v)
			continue;
		any = true;
		if (value.len && v->value[0])
			strbuf_putc(&value, ' ');
		strbuf_puts(&value, v->value);
		if (shown.len)
			strbuf_puts(&shown, "; ");
		strbuf_printf(&shown, "%s=\"%s\" (%s)", t, v->value, v->where);
	}
	if (!any)
		strbuf_puts(&shown, "unset");
	if (strbuf_error(&value) < 0 || strbuf_error(&shown) < 0)
		return -ENOMEM;

	if (param && strchr(param, '=')) {
		_cleanup_free_ char *exp = NULL;

		r = eval_params(strbuf_str(&value), param, &missing);
		if (r < 0)
			return r;
		if (missing.len)
			strbuf_printf(&shown, "; missing %s", strbuf_str(&missing));
		if (strbuf_error(&shown) < 0 || asprintf(&exp, "kernel parameters %s", param) < 0)
			return -ENOMEM;
		return probe_result_set(ret, missing.len ? VERDICT_FAIL : VERDICT_PASS, strbuf_str(&shown), exp);
	}
	if (param) {
		pv = last_param(strbuf_str(&value), param, strlen(param));
		strbuf_printf(&shown, "; %s%s%s", param, pv ? "=" : " not given", pv ? pv : "");
		if (strbuf_error(&shown) < 0)
			return -ENOMEM;
		return expect_eval_shown(c, pv, strbuf_str(&shown), false, ret);
	}
	return expect_eval_shown(c, any ? strbuf_str(&value) : NULL, strbuf_str(&shown), false, ret);
}

const struct probe probe_shellvar = {
	.name = "shellvar",
	.validate = shellvar_validate,
	.eval = shellvar_eval,
};
