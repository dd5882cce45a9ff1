/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <strings.h>

#include "expect.h"
#include "strbuf.h"

static const char *const expect_keys[] = { "equals", "one_of", "min", "max", "absent_ok" };

bool expect_is_key(const char *key)
{
	for (size_t i = 0; i < ELEMENTSOF(expect_keys); i++)
		if (streq(key, expect_keys[i]))
			return true;
	return false;
}

bool expect_present(const struct check *c)
{
	return check_arg(c, "equals") || check_arg(c, "one_of") || check_arg(c, "min") || check_arg(c, "max");
}

int expect_parse_ll(const char *s, long long *ret)
{
	const char *p = s;
	long long v;
	char *end;

	if (!s)
		return -EINVAL;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int expect_validate(const struct check *c, bool numeric_allowed, struct diag *d)
{
	const char *min = check_arg(c, "min"), *max = check_arg(c, "max");
	const char *one_of = check_arg(c, "one_of"), *absent_ok = check_arg(c, "absent_ok");
	long long lo = 0, hi = 0;
	bool b;

	if (!expect_present(c))
		return diag_set(d, -EINVAL, "no expectation: one of 'equals', 'one_of', 'min', 'max' is required");
	if (check_arg(c, "equals") && one_of)
		return diag_set(d, -EINVAL, "key 'one_of': cannot be combined with 'equals'");
	if (one_of && strspn(one_of, " \t") == strlen(one_of))
		return diag_set(d, -EINVAL, "key 'one_of': empty list");
	if ((min || max) && !numeric_allowed)
		return diag_set(d, -EINVAL, "key '%s': this probe compares no integers", min ? "min" : "max");
	if (min && expect_parse_ll(min, &lo) < 0)
		return diag_set(d, -EINVAL, "key 'min': '%s' is not an integer", min);
	if (max && expect_parse_ll(max, &hi) < 0)
		return diag_set(d, -EINVAL, "key 'max': '%s' is not an integer", max);
	if (min && max && lo > hi)
		return diag_set(d, -EINVAL, "key 'max': %lld is below min %lld", hi, lo);
	if (absent_ok && parse_bool(absent_ok, &b) < 0)
		return diag_set(d, -EINVAL, "key 'absent_ok': '%s' is not yes or no", absent_ok);
	return 0;
}

static bool absent_ok(const struct check *c)
{
	const char *v = check_arg(c, "absent_ok");
	bool b = false;

	return v && parse_bool(v, &b) >= 0 && b;
}

static void describe(struct strbuf *sb, const struct check *c)
{
	const char *equals = check_arg(c, "equals"), *one_of = check_arg(c, "one_of");
	const char *min = check_arg(c, "min"), *max = check_arg(c, "max");
	bool sep = false;

	if (equals) {
		strbuf_puts(sb, equals);
		sep = true;
	} else if (one_of) {
		strbuf_puts(sb, "one of: ");
		strbuf_puts(sb, one_of);
		sep = true;
	}
	if (sep && (min || max))
		strbuf_puts(sb, ", ");
	if (min && max)
		strbuf_printf(sb, "between %s and %s", min, max);
	else if (min)
		strbuf_printf(sb, ">= %s", min);
	else if (max)
		strbuf_printf(sb, "<= %s", max);
	if (absent_ok(c))
		strbuf_puts(sb, " or unset");
}

char *expect_describe(const struct check *c)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	describe(&sb, c);
	if (strbuf_error(&sb) < 0)
		return NULL;
	return strbuf_steal(&sb);
}

static bool word_in_list(const char *list, const char *word, bool casefold)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n > 0 && n == wl && (casefold ? strncasecmp(p, word, n) : strncmp(p, word, n)) == 0)
			return true;
		p += n;
	}
	return false;
}

static bool matches(const struct check *c, const char *v, bool casefold)
{
	const char *equals = check_arg(c, "equals"), *one_of = check_arg(c, "one_of");
	const char *min = check_arg(c, "min"), *max = check_arg(c, "max");
	long long x, bound;

	if (equals && !(casefold ? strcasecmp(v, equals) == 0 : streq(v, equals)))
		return false;
	if (one_of && !word_in_list(one_of, v, casefold))
		return false;
	if (min || max) {
		if (expect_parse_ll(v, &x) < 0)
			return false;
		if (min && expect_parse_ll(min, &bound) >= 0 && x < bound)
			return false;
		if (max && expect_parse_ll(max, &bound) >= 0 && x > bound)
			return false;
	}
	return true;
}

int expect_eval_shown(const struct check *c, const char *value, const char *shown, bool casefold,
		      struct probe_result *ret)
{
	_cleanup_free_ char *expected = NULL;
	enum verdict v;

	expected = expect_describe(c);
	if (!expected)
		return -ENOMEM;
	if (!value)
		v = absent_ok(c) ? VERDICT_PASS : VERDICT_FAIL;
	else
		v = matches(c, value, casefold) ? VERDICT_PASS : VERDICT_FAIL;
	return probe_result_set(ret, v, shown ? shown : value ? value : "(unset)", expected);
}

int expect_eval(const struct check *c, const char *observed, bool casefold, struct probe_result *ret)
{
	return expect_eval_shown(c, observed, NULL, casefold, ret);
}
