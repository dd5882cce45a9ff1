# The audit engine, the rule loader and the probes of the "audit" area
# (probes.mk lists the other probes).
libvigil_a_SOURCES += \
	src/audit/probe.h src/audit/probes.h \
	src/audit/check.c src/audit/check.h \
	src/audit/expect.c src/audit/expect.h \
	src/audit/rules.c src/audit/rules.h \
	src/audit/engine.c src/audit/engine.h \
	src/audit/confdirs.c src/audit/confdirs.h \
	src/audit/idmap.c src/audit/idmap.h \
	src/audit/sshd-config.c src/audit/sshd-config.h \
	src/audit/probe-sysctl.c \
	src/audit/probe-sshd.c \
	src/audit/probe-file.c \
	src/audit/files-walk.c src/audit/files-walk.h \
	src/audit/dir-each.c src/audit/dir-each.h \
	src/audit/probe-files.c \
	src/audit/probe-mount.c src/audit/probe-mount.h \
	src/audit/probe-modprobe.c \
	src/audit/probe-systemd-conf.c \
	src/audit/probe-shellvar.c \
	src/audit/probe-rsyslog.c \
	src/audit/probe-homes.c \
	src/audit/probe-apparmor.c \
	src/audit/probe-auditrules.c \
	src/audit/probe-logfiles.c \
	src/audit/probe-chrony.c

AUDIT_TEST_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS) -I$(top_srcdir)/src/audit -I$(top_srcdir)/tests/unit
AUDIT_TEST_LDADD = libvigil.a $(VIGIL_LIBS)
AUDIT_TESTS = tests/unit/test-audit-rules tests/unit/test-audit-sysctl tests/unit/test-audit-sshd \
	tests/unit/test-audit-file tests/unit/test-audit-mount tests/unit/test-audit-modprobe \
	tests/unit/test-audit-systemd-conf tests/unit/test-audit-shellvar tests/unit/test-audit-rsyslog \
	tests/unit/test-audit-homes tests/unit/test-audit-apparmor tests/unit/test-audit-auditrules \
	tests/unit/test-audit-logfiles tests/unit/test-audit-chrony
check_PROGRAMS += $(AUDIT_TESTS)
TESTS += $(AUDIT_TESTS)
tests_unit_test_audit_rules_SOURCES = tests/unit/test-audit-rules.c tests/unit/audit-tree.h
tests_unit_test_audit_rules_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_rules_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_sysctl_SOURCES = tests/unit/test-audit-sysctl.c tests/unit/audit-tree.h
tests_unit_test_audit_sysctl_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_sysctl_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_sshd_SOURCES = tests/unit/test-audit-sshd.c tests/unit/audit-tree.h
tests_unit_test_audit_sshd_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_sshd_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_file_SOURCES = tests/unit/test-audit-file.c tests/unit/audit-tree.h
tests_unit_test_audit_file_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_file_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_mount_SOURCES = tests/unit/test-audit-mount.c tests/unit/audit-tree.h
tests_unit_test_audit_mount_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_mount_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_modprobe_SOURCES = tests/unit/test-audit-modprobe.c tests/unit/audit-tree.h
tests_unit_test_audit_modprobe_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_modprobe_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_systemd_conf_SOURCES = tests/unit/test-audit-systemd-conf.c tests/unit/audit-tree.h
tests_unit_test_audit_systemd_conf_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_systemd_conf_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_shellvar_SOURCES = tests/unit/test-audit-shellvar.c tests/unit/audit-tree.h
tests_unit_test_audit_shellvar_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_shellvar_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_rsyslog_SOURCES = tests/unit/test-audit-rsyslog.c tests/unit/audit-tree.h
tests_unit_test_audit_rsyslog_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_rsyslog_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_homes_SOURCES = tests/unit/test-audit-homes.c tests/unit/audit-tree.h
tests_unit_test_audit_homes_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_homes_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_apparmor_SOURCES = tests/unit/test-audit-apparmor.c tests/unit/audit-tree.h
tests_unit_test_audit_apparmor_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_apparmor_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_auditrules_SOURCES = tests/unit/test-audit-auditrules.c tests/unit/audit-tree.h
tests_unit_test_audit_auditrules_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_auditrules_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_logfiles_SOURCES = tests/unit/test-audit-logfiles.c tests/unit/audit-tree.h
tests_unit_test_audit_logfiles_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_logfiles_LDADD = $(AUDIT_TEST_LDADD)
tests_unit_test_audit_chrony_SOURCES = tests/unit/test-audit-chrony.c tests/unit/audit-tree.h
tests_unit_test_audit_chrony_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_unit_test_audit_chrony_LDADD = $(AUDIT_TEST_LDADD)

check_PROGRAMS += tests/fuzz/fuzz-checks tests/fuzz/fuzz-sshd tests/fuzz/fuzz-confprobes
TESTS += tests/fuzz/fuzz-checks tests/fuzz/fuzz-sshd tests/fuzz/fuzz-confprobes
tests_fuzz_fuzz_checks_SOURCES = tests/fuzz/fuzz-checks.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_checks_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_fuzz_fuzz_checks_LDADD = $(AUDIT_TEST_LDADD)
tests_fuzz_fuzz_sshd_SOURCES = tests/fuzz/fuzz-sshd.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_sshd_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_fuzz_fuzz_sshd_LDADD = $(AUDIT_TEST_LDADD)
tests_fuzz_fuzz_confprobes_SOURCES = tests/fuzz/fuzz-confprobes.c tests/fuzz/fuzz-probe-tree.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_confprobes_CFLAGS = $(AUDIT_TEST_CFLAGS)
tests_fuzz_fuzz_confprobes_LDADD = $(AUDIT_TEST_LDADD)

TESTS += tests/integration/audit-root.sh tests/integration/audit-rules.sh tests/integration/audit-probes1.sh
EXTRA_DIST += tests/integration/audit-root.sh tests/integration/audit-rules.sh tests/integration/audit-probes1.sh tests/integration/audit-lib.sh \
	tests/bench/bench-audit.sh

# The shipped rule set.  Other areas add their rule files with
# "dist_checks_DATA += conf/checks.d/NN-name.conf" in their fragment.
checksdir = $(datadir)/vigil/checks.d
dist_checks_DATA = \
	conf/checks.d/10-filesystem.conf \
	conf/checks.d/20-kernel.conf \
	conf/checks.d/30-sysctl.conf \
	conf/checks.d/40-ssh.conf \
	conf/checks.d/50-permissions.conf \
	conf/checks.d/55-logging.conf \
	conf/checks.d/60-files.conf
