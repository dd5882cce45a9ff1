/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "shellvar" probe: /etc/default/grub as grub-mkconfig sources it. */
#include <sys/resource.h>

#include "audit-tree.h"

#define GRUB "probe = shellvar\nfile = /etc/default/grub\ndropins = /etc/default/grub.d/*.cfg\n"
#define CMDLINE GRUB "var = GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT\n"

static void test_assignments(void)
{
	is_int(at_eval(CMDLINE "param = audit=1"), VERDICT_NOT_APPLICABLE, "no /etc/default/grub");
	at_write("/etc/default/grub",
		 "# Debian's default\n"
		 "GRUB_DEFAULT=0\n"
		 "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		 "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		 "GRUB_CMDLINE_LINUX=\"audit=1\"\n"
		 "GRUB_CMDLINE_LINUX=\"\"\n");
	is_int(at_eval(CMDLINE "param = audit=1"), VERDICT_FAIL, "the last assignment wins");
	ok(at_observed_has("missing audit=1"), "observed names what is missing: %s", at_observed());
	at_write("/etc/default/grub.d/50-cis.cfg",
		 "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX audit=1 audit_backlog_limit=8192\"\n");
	is_int(at_eval(CMDLINE "param = audit=1"), VERDICT_PASS, "grub.d appends with $VAR expansion");
	is_int(at_eval(CMDLINE "param = audit_backlog_limit\nmin = 8192"), VERDICT_PASS, "parameter value");
	at_write("/etc/default/grub.d/60-debug.cfg", "export GRUB_CMDLINE_LINUX_DEFAULT='quiet audit=0'\n");
	is_int(at_eval(CMDLINE "param = audit=1"), VERDICT_FAIL,
	       "GRUB_CMDLINE_LINUX_DEFAULT comes later on the command line: audit=0 wins");
	at_write("/etc/default/grub.d/60-debug.cfg", "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} \\\n"
						     "  apparmor=1 security=apparmor\"\n");
	is_int(at_eval(CMDLINE "param = apparmor=1 security=apparmor"), VERDICT_PASS,
	       "${VAR}, a quoted value over two lines, several parameters");
	at_write("/etc/default/grub.d/70-x.cfg.disabled", "GRUB_CMDLINE_LINUX=\"audit=0\"\n");
	is_int(at_eval(CMDLINE "param = audit=1"), VERDICT_PASS, "only *.cfg are sourced");
	is_int(at_eval(GRUB "var = GRUB_DISTRIBUTOR\nequals = Debian"), VERDICT_ERROR,
	       "command substitution cannot be evaluated without running it");
	is_int(at_eval(GRUB "var = GRUB_DEFAULT\nequals = 0"), VERDICT_PASS, "... other variables still can");
	at_write("/etc/default/grub.d/80-cmd.cfg", "GRUB_TIMEOUT=5 update-grub\nGRUB_DEFAULT=1; GRUB_X=1\n");
	is_int(at_eval(GRUB "var = GRUB_TIMEOUT\nabsent_ok = yes\nequals = 9"), VERDICT_PASS,
	       "an assignment before a command is not kept");
	is_int(at_eval(GRUB "var = GRUB_DEFAULT\nequals = 1"), VERDICT_PASS, "';' separates commands");
	at_remove("/etc/default");
}

/* TMOUT for login shells: /etc/profile, /etc/bash.bashrc, profile.d. */
static void test_tmout(void)
{
	const char *tmout = "probe = shellvar\nfile = /etc/profile /etc/bash.bashrc\ndropins = /etc/profile.d/*.sh\n"
			    "var = TMOUT\nmin = 1\nmax = 900\n";

	is_int(at_eval(tmout), VERDICT_NOT_APPLICABLE, "neither file");
	at_write("/etc/profile", "if [ \"${PS1-}\" ]; then\n  PS1='$ '\nfi\n");
	is_int(at_eval(tmout), VERDICT_FAIL, "unset");
	at_write("/etc/bash.bashrc", "readonly TMOUT=1800\n");
	is_int(at_eval(tmout), VERDICT_FAIL, "readonly assignment counts: 1800 is too long");
	at_write("/etc/profile.d/50-tmout.sh", "TMOUT=900; readonly TMOUT; export TMOUT\n");
	is_int(at_eval(tmout), VERDICT_PASS, "profile.d comes later and wins");
	at_remove("/etc/profile.d");
	at_remove("/etc/profile");
	at_remove("/etc/bash.bashrc");
}

static long max_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* A hostile image (--root) cannot make the reader build huge words: a
 * doubling chain takes A to the value limit (64 KiB), then one word names
 * it thousands of times.  The word is unknown as soon as it passes the
 * limit, instead of growing to 128 MiB first and being judged after. */
static void test_growth(void)
{
	enum { REFS = 2000 };
	char *text = malloc(64 + 16 * 16 + 2 * REFS + 64), *p = text;
	long before;

	if (!text)
		exit(99);
	p += sprintf(p, "A=x\n");
	for (int i = 0; i < 16; i++)
		p += sprintf(p, "A=\"$A$A\"\n");	/* 2^16 bytes: at the limit, still known */
	p += sprintf(p, "B=");
	for (int i = 0; i < REFS; i++)
		p += sprintf(p, "$A");
	p += sprintf(p, "\nC=\"$A$A\"\n");
	at_write("/etc/default/hostile", text);
	free(text);

	before = max_rss_kib();
	is_int(at_eval("probe = shellvar\nfile = /etc/default/hostile\nvar = B\nequals = x"), VERDICT_ERROR,
	       "a word past the value limit cannot be evaluated");
	ok(max_rss_kib() - before < 32 * 1024, "and is not built first (max RSS grew by %ld KiB)", max_rss_kib() - before);
	is_int(at_eval("probe = shellvar\nfile = /etc/default/hostile\nvar = A\nequals = x"), VERDICT_FAIL,
	       "the doubling chain up to the limit is still known");
	is_int(at_eval("probe = shellvar\nfile = /etc/default/hostile\nvar = C\nequals = x"), VERDICT_ERROR,
	       "one doubling more is not");
	at_remove("/etc/default/hostile");
}

static void test_validate(void)
{
	struct check_set set = CHECK_SET_INIT;

	ok(at_load(&set, CMDLINE "param = audit=1\nequals = 1") == -EINVAL, "NAME=VALUE with an expectation");
	check_set_done(&set);
	ok(at_load(&set, GRUB "var = 1X\nequals = 1") == -EINVAL, "bad variable name");
	check_set_done(&set);
	ok(at_load(&set, "probe = shellvar\nfile = /x\ndropins = /a/*/b.cfg\nvar = A\nequals = 1") == -EINVAL,
	   "wildcards only in the last component");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_growth();	/* first: it measures the peak memory */
	test_assignments();
	test_tmout();
	test_validate();
	return tap_done();
}
