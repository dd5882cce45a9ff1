/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <limits.h>
#include <strings.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

int parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ELEMENTSOF(yes); i++)
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
	for (size_t i = 0; i < ELEMENTSOF(no); i++)
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	return -EINVAL;
}

int parse_u64(const char *s, unsigned long long *ret)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int parse_uint(const char *s, unsigned max, unsigned *ret)
{
	unsigned long long v;
	int r;

	r = parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v > max)
		return -ERANGE;
	*ret = (unsigned)v;
	return 0;
}

int parse_duration_usec(const char *s, unsigned long long *ret)
{
	static const struct {
		const char *suffix;
		unsigned long long usec;
	} units[] = {
		{ "", 1000000ULL },	   { "s", 1000000ULL },	       { "ms", 1000ULL },
		{ "us", 1ULL },		   { "min", 60000000ULL },     { "m", 60000000ULL },
		{ "h", 3600000000ULL },	   { "d", 86400000000ULL },
	};
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	for (size_t i = 0; i < ELEMENTSOF(units); i++) {
		if (!streq(end, units[i].suffix))
			continue;
		if (v > UINT64_MAX / units[i].usec)
			return -ERANGE;
		*ret = v * units[i].usec;
		return 0;
	}
	return -EINVAL;
}

int strdup_to(char **ret, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	*ret = c;
	return 0;
}

int grow_array(void **array, size_t *allocated, size_t need, size_t elsize)
{
	size_t n;
	void *p;

	if (need <= *allocated)
		return 0;
	n = MAX(need, *allocated * 2);
	n = MAX(n, (size_t)16);
	if (n > SIZE_MAX / elsize)
		return -ENOMEM;
	p = realloc(*array, n * elsize);
	if (!p)
		return -ENOMEM;
	*array = p;
	*allocated = n;
	return 0;
}

char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl;
	char *p;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	while (*name == '/')
		name++;
	nl = strlen(name);
	p = malloc(dl + 1 + nl + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (dl == 0 || dir[dl - 1] != '/')
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

int path_absolute(const char *path, const char *cwd, char **ret)
{
	_cleanup_free_ char *out = NULL;
	size_t o = 0, cap;
	bool named = false;	/* a name of path itself has been appended */

	if (path[0] != '/' && (!cwd || cwd[0] != '/'))
		return -EINVAL;
	if (path[0] == '/')
		cwd = "";
	cap = strlen(cwd) + 1 + strlen(path) + 1;
	out = malloc(cap);
	if (!out)
		return -ENOMEM;
	/* cwd's components first (getcwd() gives no "." or ".."), then path's. */
	for (int pass = 0; pass < 2; pass++)
		for (const char *p = pass == 0 ? cwd : path; *p;) {
			size_t n;

			while (*p == '/')
				p++;
			n = strcspn(p, "/");
			if (n == 0)
				break;
			if (n == 1 && p[0] == '.') {
				/* nothing: the directory itself */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				/* A leading ".." is the parent of a directory
				 * the kernel already resolved (cwd, or "/"), so
				 * dropping a component is exact.  After a name of
				 * path it is not: "link/.." is not "." when link
				 * is a symlink. */
				if (pass == 0 || named)
					return -EINVAL;
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			} else {
				out[o++] = '/';
				memcpy(out + o, p, n);
				o += n;
				named = pass == 1;
			}
			p += n;
		}
	if (o == 0)
		out[o++] = '/';
	if (o >= PATH_MAX)
		return -ENAMETOOLONG;
	out[o] = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}

static unsigned long long clock_usec(clockid_t id)
{
	struct timespec ts;

	(void)clock_gettime(id, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL;
}

unsigned long long now_monotonic_usec(void)
{
	return clock_usec(CLOCK_MONOTONIC);
}

unsigned long long now_realtime_usec(void)
{
	return clock_usec(CLOCK_REALTIME);
}
