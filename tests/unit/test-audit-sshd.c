/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "audit-tree.h"
#include "sshd-config.h"

#define CFG "/etc/ssh/sshd_config"

static void test_first_wins_case_include(void)
{
	at_write(CFG, "# Debian layout\n"
		      "Include /etc/ssh/sshd_config.d/*.conf\n"
		      "permitrootlogin yes\n"
		      "MaxAuthTries=3\n"
		      "LoginGraceTime 1m\n"
		      "Banner \"/etc/issue net\"\n"
		      "UsePAM yes # trailing comment\n"
		      "AllowUsers alice\n"
		      "AllowUsers bob\n"
		      "Match User backup\n"
		      "  PasswordAuthentication yes\n"
		      "  X11Forwarding yes\n");
	at_write("/etc/ssh/sshd_config.d/50-cis.conf", "PermitRootLogin no\nMaxAuthTries 4\n");
	at_write("/etc/ssh/sshd_config.d/10-early.conf", "MAXAUTHTRIES 2\n");
	at_write("/etc/ssh/sshd_config.d/x.conf.disabled", "PermitRootLogin yes\n");

	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_PASS,
	       "Include first: its value wins over the later main-file line");
	is_int(at_eval("probe = sshd\nkeyword = maxauthtries\nmax = 4"), VERDICT_PASS,
	       "keyword case-insensitive; included files in glob order (10- before 50-)");
	is_str(at_observed(), "2", "first obtained value");
	is_int(at_eval("probe = sshd\nkeyword = LoginGraceTime\nmax = 60"), VERDICT_PASS, "1m converts to 60 s");
	ok(at_observed_has("1m (60 seconds)"), "time shown with seconds");
	is_int(at_eval("probe = sshd\nkeyword = Banner\nequals = /etc/issue net"), VERDICT_PASS,
	       "quoted value with a blank");
	is_int(at_eval("probe = sshd\nkeyword = UsePAM\nequals = YES"), VERDICT_PASS,
	       "value compared case-insensitively; '#' comment ends the arguments");
	is_int(at_eval("probe = sshd\nkeyword = AllowUsers\nequals = alice bob"), VERDICT_PASS,
	       "AllowUsers accumulates");
	is_int(at_eval("probe = sshd\nkeyword = PasswordAuthentication\nequals = yes"), VERDICT_PASS,
	       "Match block ignored: the default applies");
	ok(at_observed_has("(default)") && at_observed_has("Match block sets 'yes' at /etc/ssh/sshd_config:11"),
	   "observed notes the default and the Match override");
	is_int(at_eval("probe = sshd\nkeyword = X11Forwarding\nequals = no"), VERDICT_PASS,
	       "X11Forwarding default no despite Match");
	is_int(at_eval("probe = sshd\nkeyword = ClientAliveInterval\nmin = 1\nmax = 900"), VERDICT_FAIL,
	       "default ClientAliveInterval 0 fails min 1");
	is_int(at_eval("probe = sshd\nkeyword = MaxStartups\nfield = 3\nmax = 60"), VERDICT_FAIL,
	       "default MaxStartups 10:30:100, field 3 = 100");
	is_int(at_eval("probe = sshd\nkeyword = AllowGroups DenyUsers AllowUsers\nset = yes"), VERDICT_PASS,
	       "set = yes: any of several keywords");
	is_int(at_eval("probe = sshd\nkeyword = AllowGroups DenyUsers\nset = yes"), VERDICT_FAIL,
	       "set = yes: none set");
	is_int(at_eval("probe = sshd\nkeyword = ChallengeResponseAuthentication\nequals = no"), VERDICT_FAIL,
	       "alias of KbdInteractiveAuthentication, default yes");
}

/* Each case below was compared with "sshd -T" of OpenSSH 9.2p1. */
static void test_match_all(void)
{
	at_remove("/etc/ssh");
	at_write(CFG, "PermitRootLogin no\nMatch all\nPermitRootLogin yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_FAIL,
	       "a Match all block overrides the global value (sshd -T: yes)");
	ok(at_observed_has("yes (Match all block at /etc/ssh/sshd_config:3)"), "observed names the block");

	at_write(CFG, "MaxAuthTries 4\nMatch Address 10.0.0.0/8\nMaxAuthTries 9\n"
		      "Match all\nMaxAuthTries 3\nMatch all\nMaxAuthTries 2\n");
	is_int(at_eval("probe = sshd\nkeyword = MaxAuthTries\nequals = 3"), VERDICT_PASS,
	       "first value among matching blocks; Match Address does not match");

	at_write(CFG, "LoginGraceTime 30\nMatch all\nLoginGraceTime 90\n");
	is_int(at_eval("probe = sshd\nkeyword = LoginGraceTime\nequals = 30"), VERDICT_PASS,
	       "a global-only keyword after Match all is read at startup: first wins");
	at_write(CFG, "Match all\nLoginGraceTime 90\n");
	is_int(at_eval("probe = sshd\nkeyword = LoginGraceTime\nequals = 90"), VERDICT_PASS,
	       "... and applies when it is the only one");

	at_write(CFG, "AllowUsers alice\nMatch all\nAllowUsers bob\nMatch all\nAllowUsers carol\n");
	is_int(at_eval("probe = sshd\nkeyword = AllowUsers\nequals = bob carol"), VERDICT_PASS,
	       "matching blocks replace an accumulating list whole");

	at_write(CFG, "Include /etc/ssh/x.conf\nPermitRootLogin yes\n");
	at_write("/etc/ssh/x.conf", "Match User bob\nX11Forwarding yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = yes"), VERDICT_PASS,
	       "a Match block ends with the included file that opened it");
	is_int(at_eval("probe = sshd\nkeyword = X11Forwarding\nequals = no"), VERDICT_PASS, "Match User not applied");

	at_write(CFG, "Match User x\nInclude /etc/ssh/x.conf\n");
	at_write("/etc/ssh/x.conf", "Match all\nPermitRootLogin yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = prohibit-password"), VERDICT_PASS,
	       "Match all inside a file included from a non-matching block never matches");

	at_write(CFG, "Match all\nInclude /etc/ssh/x.conf\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = yes"), VERDICT_PASS,
	       "... but does from a matching one");

	at_write(CFG, "Match User x\nCiphers aes128-ctr\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR,
	       "a global-only keyword in a Match block: sshd refuses to start");
	ok(at_res.reason && strstr(at_res.reason, "sshd_config:2: directive 'Ciphers' is not allowed"), "reason: %s",
	   at_res.reason ? at_res.reason : "");
	at_write(CFG, "Match all\nCiphers aes128-ctr\n");
	is_int(at_eval("probe = sshd\nkeyword = Ciphers\nforbid = aes256-ctr"), VERDICT_PASS,
	       "... but not in Match all, where it is applied");
	at_write(CFG, "Match all User x\nPermitRootLogin yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR,
	       "'all' combined with a criterion is a bad Match condition");
	at_write(CFG, "Match Colour red\nPermitRootLogin yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR, "unknown criterion");
	at_write(CFG, "Match User\nPermitRootLogin yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR, "criterion without argument");
	at_write(CFG, "match ALL # everyone\nPermitEmptyPasswords yes\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitEmptyPasswords\nequals = no"), VERDICT_FAIL,
	       "'all' case-insensitive, comment after it");
	at_remove("/etc/ssh/x.conf");
}

static void test_algorithms(void)
{
	at_write(CFG, "Match Address 10.0.0.0/8\nIgnoreRhosts no\n"
		      "Match all\nCiphers +3des-cbc\nMACs -hmac-sha1*,umac-64*\n");
	is_int(at_eval("probe = sshd\nkeyword = IgnoreRhosts\nequals = yes"), VERDICT_PASS,
	       "Match Address not applied");
	is_int(at_eval("probe = sshd\nkeyword = Ciphers\nforbid = 3des-cbc aes128-cbc"), VERDICT_FAIL,
	       "'+' appends a weak cipher to the default");
	ok(at_observed_has("enabled: 3des-cbc"), "forbidden cipher named");
	is_int(at_eval("probe = sshd\nkeyword = MACs\nforbid = hmac-sha1 hmac-sha1-etm@openssh.com umac-64@openssh.com"),
	       VERDICT_PASS, "'-' with wildcards removes from the default");
	is_int(at_eval("probe = sshd\nkeyword = KexAlgorithms\nforbid = diffie-hellman-group1-sha1"), VERDICT_PASS,
	       "default kex has no group1");
	at_write(CFG, "KexAlgorithms ^diffie-hellman-group14-sha1\n");
	is_int(at_eval("probe = sshd\nkeyword = KexAlgorithms\nforbid = diffie-hellman-group14-sha1"), VERDICT_FAIL,
	       "'^' prepends");
}

static void test_aliases(void)
{
	at_write(CFG, "ChallengeResponseAuthentication no\nPermitRootLogin without-password\n");
	is_int(at_eval("probe = sshd\nkeyword = KbdInteractiveAuthentication\nequals = no"), VERDICT_PASS,
	       "old keyword name sets the new option");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\none_of = no prohibit-password"), VERDICT_PASS,
	       "without-password is prohibit-password");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_FAIL, "and not 'no'");
}

static void test_errors(void)
{
	at_write(CFG, "Banner \"/etc/issue\n");
	is_int(at_eval("probe = sshd\nkeyword = Banner\nequals = none"), VERDICT_ERROR,
	       "unterminated quote: sshd would refuse");
	at_write(CFG, "PermitRootLogin\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR,
	       "keyword without argument");
	at_write(CFG, "Include loop.conf\n");
	at_write("/etc/ssh/loop.conf", "Include loop.conf\n");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR,
	       "recursive Include stops at the depth limit");
	at_write(CFG, "Include fan/*.conf\n");
	for (int i = 0; i < 300; i++) {
		char name[64];

		snprintf(name, sizeof(name), "/etc/ssh/fan/%03d.conf", i);
		at_write(name, "MaxSessions 4\n");
	}
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_ERROR,
	       "more than 256 included files is an error");
	ok(strstr(at_res.reason, "more than 256") != NULL, "reason: %s", at_res.reason);
	at_remove("/etc/ssh");
	is_int(at_eval("probe = sshd\nkeyword = PermitRootLogin\nequals = no"), VERDICT_NOT_APPLICABLE,
	       "no sshd_config: not applicable");
}

static void test_parser_direct(void)
{
	struct sshd_config cfg = {};
	const char *text = "  Port 22\nPort=2222\nSubsystem sftp internal-sftp\nKey = \"a b\" 'c' d\\ e\n";
	const struct sshd_entry *e;
	long long t;

	is_int(sshd_config_parse(&cfg, NULL, "x", text, strlen(text), 0, SSHD_SCOPE_GLOBAL), 0, "parse");
	e = sshd_config_first(&cfg, "key");
	is_str(e ? e->value : NULL, "a b c d e", "OpenSSH quoting and escapes");
	e = sshd_config_first(&cfg, "port");
	ok(e && e->line == 1, "leading blanks ignored");
	ok(cfg.error == NULL, "no error");
	is_int(sshd_convtime("1h30m", &t), 0, "convtime");
	is_int(t, 5400, "1h30m = 5400");
	ok(sshd_convtime("5x", &t) < 0, "bad unit");
	for (size_t i = 0; i < cfg.n; i++) {
		free(cfg.entries[i].keyword);
		free(cfg.entries[i].value);
		free(cfg.entries[i].file);
	}
	free(cfg.entries);
	free(cfg.error);
}

static void test_validate(void)
{
	struct check_set set = CHECK_SET_INIT;

	ok(at_load(&set, "probe = sshd\nkeyword = PermitRootLogin\nforbid = x") == -EINVAL &&
		   strstr(at_diag.msg, "test.conf:8:"),
	   "forbid only for algorithm lists: %s", at_diag.msg);
	check_set_done(&set);
	ok(at_load(&set, "probe = sshd\nkeyword = Permit-Root\nequals = no") == -EINVAL, "bad keyword");
	check_set_done(&set);
	ok(at_load(&set, "probe = sshd\nkeyword = A B\nequals = no") == -EINVAL, "several keywords need set");
	check_set_done(&set);
}

int main(void)
{
	at_init();
	test_first_wins_case_include();
	test_match_all();
	test_algorithms();
	test_aliases();
	test_errors();
	test_parser_direct();
	test_validate();
	return tap_done();
}
