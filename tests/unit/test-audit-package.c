/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dpkg status parser and the "package" probe on crafted databases. */
#include "dpkg-status.h"
#include "probe-test.h"
#include "probes.h"

static const char status_db[] =
	"Package: openssh-server\n"
	"Status: install ok installed\n"
	"Priority: optional\n"
	"Architecture: amd64\n"
	"Version: 1:9.2p1-2+deb12u3\n"
	"Description: secure shell (SSH) server\n"
	" This is the portable version of OpenSSH.\n"
	" .\n"
	" More text.\n"
	"\n"
	"Package: telnet\n"
	"Status: deinstall ok config-files\n"
	"Architecture: amd64\n"
	"Version: 0.17+2.4-2\n"
	"\n"
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Version: 2.36-9\n"
	"\n"
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: i386\n"
	"Version: 2.36-9\n"
	"\n"
	"Package: nis\n"
	"Status: install reinstreq half-installed\n"
	"Architecture: amd64\n"
	"\n"
	"Package: rsync\n"
	"Status: purge ok not-installed\n"
	"\n"
	"Package: auditd\n"
	"Status: install ok triggers-pending\n"
	"Version: 1:3.0.9-1\n";

static void test_parser(void)
{
	struct dpkg_status st;
	struct diag d = {};
	int r;

	r = dpkg_status_parse(status_db, strlen(status_db), "status", &st, &d);
	is_int(r, 0, "well-formed database parses (%s)", d.msg);
	if (r < 0)
		return;
	is_int(st.n_pkgs, 7, "seven stanzas");
	is_str(st.pkgs[0].name, "openssh-server", "first package");
	is_int(st.pkgs[0].state, DPKG_STATE_INSTALLED, "installed");
	is_str(st.pkgs[0].version, "1:9.2p1-2+deb12u3", "version");
	is_int(st.pkgs[1].line, 11, "stanza line after continuation lines");
	is_int(st.pkgs[1].state, DPKG_STATE_CONFIG_FILES, "deinstall -> config-files");
	ok(dpkg_package_matches(&st.pkgs[3], "libc6:i386"), "arch-qualified name matches");
	ok(!dpkg_package_matches(&st.pkgs[2], "libc6:i386"), "other arch does not");
	ok(dpkg_package_matches(&st.pkgs[2], "libc6"), "bare name matches any arch");
	ok(!dpkg_package_matches(&st.pkgs[2], "libc"), "prefix does not match");
	dpkg_status_free(&st);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "Package: a\nStatus: install ok installed\ngarbage line\n", "status:3: neither a field nor a continuation line" },
		{ " continuation first\n", "status:1: continuation line outside a field" },
		{ "Package: a\nStatus: install ok bogus\n", "status:1: invalid Status \"install ok bogus\"" },
		{ "Package: a\nStatus: installed\n", "status:1: invalid Status \"installed\"" },
		{ "Status: install ok installed\n\n", "status:1: stanza without a Package field" },
		{ "Package: a\npackage: b\n", "status:2: duplicate field Package" },
		{ "Package: a\n#comment\n", "status:2: neither a field nor a continuation line" },
		{ "Package:\n", "status:1: empty Package field" },
	};
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		diag_clear(&d);
		r = dpkg_status_parse(bad[i].text, strlen(bad[i].text), "status", &st, &d);
		is_int(r, -EINVAL, "malformed %zu rejected", i);
		is_str(d.msg, bad[i].msg, "malformed %zu reason", i);
	}

	{
		static const char nul[] = "Package: a\nStatus: install\0 ok installed\n";

		diag_clear(&d);
		r = dpkg_status_parse(nul, sizeof(nul) - 1, "status", &st, &d);
		is_str(d.msg, "status:2: embedded NUL byte", "embedded NUL rejected");
	}
	{
		/* A Description of more than 1 MiB through continuation lines. */
		size_t n = DPKG_FIELD_MAX + 4096, len = 0;
		char *big = malloc(n + 64);

		len += (size_t)sprintf(big, "Package: a\nDescription: x\n");
		while (len < n) {
			memcpy(big + len, " yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n", 32);
			len += 32;
		}
		diag_clear(&d);
		r = dpkg_status_parse(big, len, "status", &st, &d);
		is_int(r, -EINVAL, "over-long field rejected");
		ok(strstr(d.msg, "field longer than") != NULL, "reason names the cap: %s", d.msg);
		free(big);
	}
	{
		static const char crlf_blank[] = "Package: a\nStatus: install ok installed\n \t\nPackage: b\n";

		r = dpkg_status_parse(crlf_blank, strlen(crlf_blank), "status", &st, &d);
		is_int(r, 0, "whitespace-only line separates stanzas");
		if (r == 0) {
			is_int(st.n_pkgs, 2, "two stanzas");
			is_int(st.pkgs[1].state, DPKG_STATE_NOT_INSTALLED, "no Status: not installed");
			dpkg_status_free(&st);
		}
	}
}

static void test_probe(void)
{
	struct pt_result res;

	pt_write("/var/lib/dpkg/status", status_db);
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "openssh-server", "installed", "yes", NULL)),
	       VERDICT_PASS, "installed=yes on installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "openssh-server", "installed", "no", NULL)),
	       VERDICT_FAIL, "installed=no on installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "telnet", "installed", "no", NULL)),
	       VERDICT_PASS, "config-files counts as not installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "telnet", "installed", "yes", NULL)),
	       VERDICT_FAIL, "config-files is not installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "rsync xinetd", "installed", "no", NULL)),
	       VERDICT_PASS, "not-installed and absent");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "nis", "installed", "no", NULL)),
	       VERDICT_FAIL, "half-installed is not absent");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "nis", "installed", "yes", NULL)),
	       VERDICT_FAIL, "half-installed is not installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "auditd", "installed", "yes", NULL)),
	       VERDICT_PASS, "triggers-pending is installed");
	is_int(pt_verdict(&probe_package, pt_check("package", "package", "libc6:i386", "installed", "yes", NULL)),
	       VERDICT_PASS, "arch-qualified");
	res = pt_run(&probe_package, pt_check("package", "package", "telnet openssh-server", "installed", "no", NULL));
	is_int(res.verdict, VERDICT_FAIL, "one of two installed fails installed=no");
	is_str(res.observed, "telnet: config-files only, openssh-server: installed (1:9.2p1-2+deb12u3)",
	       "observed names each package");
	is_str(res.expected, "not installed", "expected text");

	res = pt_run(&probe_package, pt_check("package", "package", "Bad_Name", "installed", "no", NULL));
	is_int(res.validate, -EINVAL, "bad package name rejected at load");
	res = pt_run(&probe_package, pt_check("package", "package", "a1", "installed", "maybe", NULL));
	is_int(res.validate, -EINVAL, "installed must be a boolean");
	res = pt_run(&probe_package, pt_check("package", "package", "a1", NULL));
	is_int(res.validate, -EINVAL, "installed required");
	res = pt_run(&probe_package, pt_check("package", "package", "a1", "installed", "no", "equals", "x", NULL));
	is_str(res.vmsg, "key 'equals': unknown argument of probe package", "unknown key rejected");

	pt_write("/var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nbroken\n");
	res = pt_run(&probe_package, pt_check("package", "package", "a1", "installed", "no", NULL));
	is_int(res.verdict, VERDICT_ERROR, "malformed database: error verdict");
	ok(strstr(res.reason, "/var/lib/dpkg/status:3: neither a field") != NULL, "reason has file:line: %s",
	   res.reason);

	pt_unlink("/var/lib/dpkg/status");
	res = pt_run(&probe_package, pt_check("package", "package", "a1", "installed", "no", NULL));
	is_int(res.verdict, VERDICT_ERROR, "missing database: error verdict");
}

int main(void)
{
	pt_init();
	test_parser();
	test_probe();
	return tap_done();
}
