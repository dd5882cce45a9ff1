/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <strings.h>

#include "dpkg-status.h"

static const char *const state_names[_DPKG_STATE_MAX] = {
	[DPKG_STATE_NOT_INSTALLED] = "not-installed",
	[DPKG_STATE_CONFIG_FILES] = "config-files",
	[DPKG_STATE_HALF_INSTALLED] = "half-installed",
	[DPKG_STATE_UNPACKED] = "unpacked",
	[DPKG_STATE_HALF_CONFIGURED] = "half-configured",
	[DPKG_STATE_TRIGGERS_AWAITED] = "triggers-awaited",
	[DPKG_STATE_TRIGGERS_PENDING] = "triggers-pending",
	[DPKG_STATE_INSTALLED] = "installed",
};

const char *dpkg_state_name(enum dpkg_state s)
{
	return (unsigned)s < _DPKG_STATE_MAX ? state_names[s] : "invalid";
}

bool dpkg_state_is_installed(enum dpkg_state s)
{
	return s == DPKG_STATE_INSTALLED || s == DPKG_STATE_TRIGGERS_PENDING || s == DPKG_STATE_TRIGGERS_AWAITED;
}

bool dpkg_state_is_absent(enum dpkg_state s)
{
	return s == DPKG_STATE_NOT_INSTALLED || s == DPKG_STATE_CONFIG_FILES;
}

bool dpkg_package_matches(const struct dpkg_package *p, const char *spec)
{
	const char *colon = strchr(spec, ':');

	if (!colon)
		return streq(p->name, spec);
	return strlen(p->name) == (size_t)(colon - spec) && strncmp(p->name, spec, (size_t)(colon - spec)) == 0 &&
	       p->arch && streq(p->arch, colon + 1);
}

static void package_done(struct dpkg_package *p)
{
	free(p->name);
	free(p->arch);
	free(p->version);
	free(p->status);
	*p = (struct dpkg_package){};
}

void dpkg_status_free(struct dpkg_status *s)
{
	for (size_t i = 0; i < s->n_pkgs; i++)
		package_done(&s->pkgs[i]);
	free(s->pkgs);
	*s = (struct dpkg_status){};
}

/* "want flag state" (dpkg(1) "INFORMATION ABOUT PACKAGES"); only the
 * third word matters here, but all three must be there. */
static int parse_state(const char *status, enum dpkg_state *ret)
{
	const char *p = status, *word = NULL;
	size_t n = 0, words = 0;

	while (*p) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		n = strcspn(p, " \t");
		word = p;
		words++;
		p += n;
	}
	if (words != 3)
		return -EINVAL;
	for (int i = 0; i < _DPKG_STATE_MAX; i++)
		if (strlen(state_names[i]) == n && strncmp(state_names[i], word, n) == 0) {
			*ret = (enum dpkg_state)i;
			return 0;
		}
	return -EINVAL;
}

struct parser {
	const char *fname;
	struct diag *d;
	struct dpkg_status st;
	struct dpkg_package cur;	/* stanza being read */
	bool in_stanza;
	size_t field_len;		/* current field, continuation lines included */
	unsigned seen;			/* bit per kept field, to reject duplicates */
};

enum { F_PACKAGE, F_ARCH, F_VERSION, F_STATUS, _F_MAX };
static const char *const kept_fields[_F_MAX] = { "Package", "Architecture", "Version", "Status" };

static int end_stanza(struct parser *ps)
{
	if (!ps->in_stanza)
		return 0;
	if (!ps->cur.name)
		return diag_set(ps->d, -EINVAL, "%s:%u: stanza without a Package field", ps->fname, ps->cur.line);
	if (ps->cur.status && parse_state(ps->cur.status, &ps->cur.state) < 0)
		return diag_set(ps->d, -EINVAL, "%s:%u: invalid Status \"%s\"", ps->fname, ps->cur.line,
				ps->cur.status);
	if (grow_array((void **)&ps->st.pkgs, &ps->st.alloc, ps->st.n_pkgs + 1, sizeof(*ps->st.pkgs)) < 0)
		return -ENOMEM;
	ps->st.pkgs[ps->st.n_pkgs++] = ps->cur;
	ps->cur = (struct dpkg_package){};
	ps->in_stanza = false;
	ps->seen = 0;
	return 0;
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static int field_line(struct parser *ps, const char *s, size_t n, unsigned line)
{
	const char *colon = memchr(s, ':', n), *v, *end = s + n;
	size_t name_len;

	/* deb822(5): a field name is printable US-ASCII but ':' and must not
	 * start with '#' or '-'. */
	if (!colon || colon == s || *s == '#' || *s == '-')
		return diag_set(ps->d, -EINVAL, "%s:%u: neither a field nor a continuation line", ps->fname, line);
	for (const char *p = s; p < colon; p++)
		if (*p < 0x21 || *p > 0x7e)
			return diag_set(ps->d, -EINVAL, "%s:%u: invalid character in field name", ps->fname, line);
	name_len = (size_t)(colon - s);
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;

	if (!ps->in_stanza) {
		ps->in_stanza = true;
		ps->cur.line = line;
	}
	ps->field_len = n;
	for (unsigned i = 0; i < _F_MAX; i++) {
		char **dst;

		/* Field names are case-insensitive (deb822(5)). */
		if (strlen(kept_fields[i]) != name_len || strncasecmp(kept_fields[i], s, name_len) != 0)
			continue;
		if (ps->seen & (1u << i))
			return diag_set(ps->d, -EINVAL, "%s:%u: duplicate field %s", ps->fname, line, kept_fields[i]);
		ps->seen |= 1u << i;
		dst = i == F_PACKAGE ? &ps->cur.name
		      : i == F_ARCH  ? &ps->cur.arch
		      : i == F_VERSION ? &ps->cur.version
				       : &ps->cur.status;
		if (v == end)
			return diag_set(ps->d, -EINVAL, "%s:%u: empty %s field", ps->fname, line, kept_fields[i]);
		*dst = strndup(v, (size_t)(end - v));
		if (!*dst)
			return -ENOMEM;
		break;
	}
	return 0;
}

int dpkg_status_parse(const char *data, size_t len, const char *fname, struct dpkg_status *ret, struct diag *d)
{
	struct parser ps = { .fname = fname, .d = d };
	unsigned line = 0;
	size_t pos = 0;
	int r = 0;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		line++;
		if (memchr(s, '\0', n)) {
			r = diag_set(d, -EINVAL, "%s:%u: embedded NUL byte", fname, line);
			goto fail;
		}
		if (n > DPKG_FIELD_MAX) {
			r = diag_set(d, -EINVAL, "%s:%u: line longer than %u bytes", fname, line, DPKG_FIELD_MAX);
			goto fail;
		}
		if (is_blank(s, n)) {
			r = end_stanza(&ps);
			if (r < 0)
				goto fail;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			if (!ps.in_stanza) {
				r = diag_set(d, -EINVAL, "%s:%u: continuation line outside a field", fname, line);
				goto fail;
			}
			ps.field_len += n + 1;
			if (ps.field_len > DPKG_FIELD_MAX) {
				r = diag_set(d, -EINVAL, "%s:%u: field longer than %u bytes", fname, line,
					     DPKG_FIELD_MAX);
				goto fail;
			}
			continue;
		}
		r = field_line(&ps, s, n, line);
		if (r < 0)
			goto fail;
	}
	r = end_stanza(&ps);
	if (r < 0)
		goto fail;
	*ret = ps.st;
	return 0;
fail:
	package_done(&ps.cur);
	dpkg_status_free(&ps.st);
	return r;
}
