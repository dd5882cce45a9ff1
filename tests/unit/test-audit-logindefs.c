/* SPDX-License-Identifier: GPL-2.0-or-later */
/* login.defs with shadow-utils' getdef.c semantics, and the probe. */
#include "login-defs.h"
#include "probe-test.h"
#include "probes.h"

static void test_parser(void)
{
	static const char text[] =
		"# comment\n"
		"   # indented comment\n"
		"PASS_MAX_DAYS\t99999\n"
		"PASS_MAX_DAYS 365   \n"
		"ENCRYPT_METHOD \"SHA512\" trailing\n"
		"NAMEONLY\n"
		"UMASK\t\t027\n"
		"pass_max_days 1\n"
		"  INDENTED  value with spaces\n";
	struct login_defs ld;

	is_int(login_defs_parse(text, strlen(text), &ld), 0, "parses");
	is_str(login_defs_get(&ld, "PASS_MAX_DAYS"), "365", "last occurrence wins, trailing blanks dropped");
	is_int(login_defs_get_entry(&ld, "PASS_MAX_DAYS")->line, 4, "line of the winning value");
	is_str(login_defs_get(&ld, "ENCRYPT_METHOD"), "SHA512", "value ends at a double quote");
	ok(login_defs_get(&ld, "NAMEONLY") == NULL, "name without value ignored");
	is_str(login_defs_get(&ld, "pass_max_days"), "1", "names are case-sensitive");
	is_str(login_defs_get(&ld, "INDENTED"), "value with spaces", "value runs to the end of the line");
	login_defs_free(&ld);

	{
		/* A 1030-byte line is two fgets() reads: the tail is a line. */
		char buf[2048];
		size_t n = 0;

		n += (size_t)sprintf(buf, "COMMENT ");
		while (n < 1023)
			buf[n++] = 'x';
		n += (size_t)sprintf(buf + n, "TAIL_KEY tv\n");
		is_int(login_defs_parse(buf, n, &ld), 0, "long line parses");
		is_str(login_defs_get(&ld, "TAIL_KEY"), "tv", "the part after 1023 bytes is a line of its own");
		login_defs_free(&ld);
	}
}

static void test_probe(void)
{
	struct pt_result res;

	pt_write("/etc/login.defs", "PASS_MAX_DAYS 99999\nPASS_MAX_DAYS 365\nPASS_MIN_DAYS 0\n"
				    "ENCRYPT_METHOD YESCRYPT\nUMASK 027\nPASS_WARN_AGE 0x7\n");
	is_int(pt_verdict(&probe_logindefs, pt_check("logindefs", "key", "PASS_MAX_DAYS", "max", "365", NULL)),
	       VERDICT_PASS, "last value 365 <= 365");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "PASS_MIN_DAYS", "min", "1", NULL));
	is_int(res.verdict, VERDICT_FAIL, "0 < 1");
	is_str(res.observed, "0", "observed");
	is_str(res.expected, ">= 1", "expected");
	is_int(pt_verdict(&probe_logindefs,
			  pt_check("logindefs", "key", "ENCRYPT_METHOD", "one_of", "SHA512 YESCRYPT", NULL)),
	       VERDICT_PASS, "one_of");
	is_int(pt_verdict(&probe_logindefs, pt_check("logindefs", "key", "ENCRYPT_METHOD", "equals", "yescrypt", NULL)),
	       VERDICT_FAIL, "values are case-sensitive");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "PASS_WARN_AGE", "min", "7", NULL));
	is_int(res.verdict, VERDICT_PASS, "hex number as getdef_num reads it");
	is_str(res.observed, "0x7 (7)", "observed shows both");
	is_int(pt_verdict(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "bits_set", "027", NULL)),
	       VERDICT_PASS, "UMASK 027 has 027");
	pt_write("/etc/login.defs", "UMASK 022\n");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "bits_set", "027", NULL));
	is_int(res.verdict, VERDICT_FAIL, "UMASK 022 lacks 005");
	is_str(res.expected, "bits 0027 set", "expected");
	pt_write("/etc/login.defs", "UMASK 077\n");
	is_int(pt_verdict(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "bits_set", "027", NULL)),
	       VERDICT_PASS, "UMASK 077 is more restrictive");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "PASS_MAX_DAYS", "max", "365", NULL));
	is_int(res.verdict, VERDICT_FAIL, "unset key fails");
	is_str(res.observed, "(unset)", "observed unset");
	is_int(pt_verdict(&probe_logindefs,
			  pt_check("logindefs", "key", "PASS_MAX_DAYS", "max", "365", "absent_ok", "yes", NULL)),
	       VERDICT_PASS, "absent_ok");
	pt_unlink("/etc/login.defs");
	is_int(pt_verdict(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "bits_set", "027", NULL)),
	       VERDICT_FAIL, "missing file: every key unset");

	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "pass max", "max", "1", NULL));
	is_int(res.validate, -EINVAL, "bad key name");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "UMASK", NULL));
	is_int(res.validate, -EINVAL, "no expectation");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "bits_set", "9", NULL));
	is_int(res.validate, -EINVAL, "bits_set must be octal");
	res = pt_run(&probe_logindefs, pt_check("logindefs", "key", "UMASK", "equals", "1", "foo", "1", NULL));
	is_str(res.vmsg, "key 'foo': unknown argument of probe logindefs", "unknown key");
}

int main(void)
{
	pt_init();
	test_parser();
	test_probe();
	return tap_done();
}
