/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vigil.conf parsing: values, defaults and every kind of error with file:line. */
#include "conf.h"
#include "record.h"
#include "tap.h"

static int load(const char *text, struct vigil_conf *c, struct diag *d)
{
	diag_clear(d);
	return conf_load_string(text, "t.conf", c, d);
}

static void expect_error(const char *text, const char *want, const char *name)
{
	struct vigil_conf c;
	struct diag d;
	int r = load(text, &c, &d);

	is_int(r, -EINVAL, "%s: rejected", name);
	if (r == 0)
		conf_free(&c);
	ok(strstr(d.msg, want) != NULL, "%s: message '%s' contains '%s'", name, d.msg, want);
}

int main(void)
{
	struct vigil_conf c;
	struct diag d;
	char longline[400];

	is_int(load("[vigil]\ndatabase = /srv/db\nthreads = 3\none_filesystem = no\nexclude = *.tmp\n"
		    "[watch bin]\npath = /usr/bin\npath = /usr//sbin/\nattributes = all -mtime\nexclude = /usr/bin/x*\n"
		    "[watch etc]\npath = /etc\nrecurse = no\nattributes = perms\n"
		    "[daemon]\nmonitor = inotify\ndebounce = 50ms\nburst_limit = 7\naudit_interval = 1h\ncheck_interval = 0\n",
		    &c, &d),
	       0, "valid configuration loads (%s)", d.msg);
	is_str(c.database, "/srv/db", "database");
	is_int(c.threads, 3, "threads");
	is_int(c.sel.one_filesystem, 0, "one_filesystem");
	is_int(c.sel.n_excludes, 1, "global exclude");
	is_int(c.sel.n_rules, 3, "three watched paths");
	is_str(c.sel.rules[0].path, "/etc", "rules sorted: /etc first");
	is_int(c.sel.rules[0].recurse, 0, "/etc not recursive");
	is_int(c.sel.rules[0].mask, ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_ACL | ATTR_XATTRS | ATTR_CAPS, "perms group");
	is_str(c.sel.rules[2].path, "/usr/sbin", "path normalised");
	is_int(c.sel.rules[1].mask, ATTR_ALL & ~ATTR_MTIME, "all -mtime");
	is_int(c.sel.rules[1].n_excludes, 1, "rule exclude");
	is_int(c.daemon.monitor, MONITOR_INOTIFY, "monitor");
	is_int(c.daemon.debounce_usec, 50000, "debounce 50ms");
	is_int(c.daemon.burst_limit, 7, "burst_limit");
	is_int(c.daemon.audit_interval_usec, 3600000000ULL, "audit_interval");
	is_int(c.daemon.check_interval_usec, 0, "check_interval 0 = never");
	conf_free(&c);

	is_int(load("; only comments\n# here\n", &c, &d), 0, "empty configuration loads");
	is_str(c.database, VIGIL_DEFAULT_DATABASE, "default database");
	is_int(c.sel.one_filesystem, 1, "one_filesystem defaults to yes");
	is_int(c.daemon.debounce_usec, 200000, "debounce defaults to 200ms");
	conf_free(&c);

	is_int(conf_load_string(vigil_default_config, "(built-in)", &c, &d), 0, "built-in default parses (%s)", d.msg);
	ok(c.sel.n_rules > 5, "built-in default watches paths");
	conf_free(&c);

	expect_error("[vigil]\nfoo = 1\n", "t.conf:2: unknown key 'foo' in [vigil]", "unknown key");
	expect_error("[vigil]\n\n[nope]\nx = 1\n", "t.conf:3: unknown section [nope]", "unknown section");
	expect_error("[watch a]\npath = /a\n[watch a]\npath = /b\n", "t.conf:3: duplicate section [watch a] (first at line 1)",
		     "duplicate section");
	expect_error("[vigil]\nthreads = lots\n", "t.conf:2: threads", "bad number");
	expect_error("[vigil]\nthreads = 1\nthreads = 2\n", "t.conf:3: duplicate key 'threads'", "duplicate key");
	expect_error("[watch a]\npath = relative/x\n", "t.conf:2: path: 'relative/x' is not an absolute path", "relative path");
	expect_error("[watch a]\npath = /a/../b\n", "t.conf:2:", "dot-dot path");
	expect_error("[watch a]\npath = /a\nattributes = sha256 colour\n", "t.conf:3: attributes: unknown attribute 'colour'",
		     "bad attribute");
	expect_error("[watch a]\nrecurse = no\n", "t.conf:1: [watch a] has no 'path'", "watch without path");
	expect_error("[vigil]\n[watch empty]\n", "t.conf:2: [watch empty] has no 'path'", "watch section without keys");
	expect_error("[watch a]\npath = /x\n[watch b]\npath = /x\n", "t.conf:4: path /x is already watched", "path twice");
	expect_error("[vigil]\njust words\n", "t.conf:2: syntax error", "syntax error");
	expect_error("x = 1\n", "t.conf:1: key 'x' outside of any section", "key outside section");
	expect_error("[daemon]\nmonitor = magic\n", "t.conf:2: monitor", "bad monitor");
	expect_error("[daemon]\ndebounce = soon\n", "t.conf:2: debounce: invalid duration", "bad duration");
	expect_error("[vigil]\ndatabase =\n", "t.conf:2: key 'database' has an empty value", "empty value");

	memset(longline, 'a', sizeof(longline));
	memcpy(longline, "[vigil]\nexclude = ", 18);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	expect_error(longline, "t.conf:2: line longer than 199 bytes", "over-long line");
	expect_error("[watch aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\npath = /a\n",
		     "t.conf:1: section name longer than 49", "over-long section name");
	/* the error is the first one, not a later one */
	expect_error("[vigil]\nbad = 1\nworse = 2\n", "t.conf:2:", "first error reported");

	/* Files that cannot be read are errors naming the file, never an
	 * empty configuration.  (Strict mode is exercised by the integration
	 * test: it needs a file owned by someone else.) */
	{
		char dir[] = "/tmp/test-conf.XXXXXX";
		char missing[sizeof(dir) + 16];

		if (!mkdtemp(dir))
			return perror("mkdtemp"), 99;
		diag_clear(&d);
		is_int(conf_load(dir, &c, &d), -EISDIR, "a directory is refused");
		ok(strstr(d.msg, dir) && strstr(d.msg, "is a directory"), "... naming it: %s", d.msg);
		snprintf(missing, sizeof(missing), "%s/missing.conf", dir);
		diag_clear(&d);
		is_int(conf_load(missing, &c, &d), -ENOENT, "an explicit file that does not exist is -ENOENT");
		ok(strstr(d.msg, missing) != NULL, "... naming it: %s", d.msg);
		(void)rmdir(dir);
	}
	/* A regular file whose read(2) fails: /proc/self/mem at offset 0 is
	 * unmapped, so the first read is EIO (proc(5)).  getc() says EOF
	 * either way; only ferror() tells them apart. */
	diag_clear(&d);
	is_int(conf_load("/proc/self/mem", &c, &d), -EIO, "a read error is an error, not the end of the file");
	ok(strstr(d.msg, "/proc/self/mem: read error") != NULL, "... naming the file: %s", d.msg);
	return tap_done();
}
