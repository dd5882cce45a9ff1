# Probes of the "probes2" area: services, packages, accounts, PAM,
# login.defs, sudoers, and the parsers they share.
libvigil_a_SOURCES += \
	src/audit/dpkg-status.c src/audit/dpkg-status.h \
	src/audit/accounts-db.c src/audit/accounts-db.h \
	src/audit/login-defs.c src/audit/login-defs.h \
	src/audit/probe-package.c \
	src/audit/probe-accounts.c \
	src/audit/probe-logindefs.c \
	src/audit/probe-service.c \
	src/audit/probe-sudoers.c \
	src/audit/probe-pam.c

PROBES2_TEST_LDADD = libvigil.a $(VIGIL_LIBS)
PROBES2_TEST_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS) -I$(top_srcdir)/src/audit -I$(top_srcdir)/tests/unit

check_PROGRAMS += tests/unit/test-audit-package tests/unit/test-audit-accounts tests/unit/test-audit-logindefs \
	tests/unit/test-audit-service tests/unit/test-audit-sudoers tests/unit/test-audit-pam
TESTS += tests/unit/test-audit-package tests/unit/test-audit-accounts tests/unit/test-audit-logindefs \
	tests/unit/test-audit-service tests/unit/test-audit-sudoers tests/unit/test-audit-pam
tests_unit_test_audit_package_SOURCES = tests/unit/test-audit-package.c tests/unit/probe-test.h
tests_unit_test_audit_package_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_package_LDADD = $(PROBES2_TEST_LDADD)
tests_unit_test_audit_accounts_SOURCES = tests/unit/test-audit-accounts.c tests/unit/probe-test.h
tests_unit_test_audit_accounts_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_accounts_LDADD = $(PROBES2_TEST_LDADD)
tests_unit_test_audit_logindefs_SOURCES = tests/unit/test-audit-logindefs.c tests/unit/probe-test.h
tests_unit_test_audit_logindefs_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_logindefs_LDADD = $(PROBES2_TEST_LDADD)
tests_unit_test_audit_service_SOURCES = tests/unit/test-audit-service.c tests/unit/probe-test.h
tests_unit_test_audit_service_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_service_LDADD = $(PROBES2_TEST_LDADD)
tests_unit_test_audit_sudoers_SOURCES = tests/unit/test-audit-sudoers.c tests/unit/probe-test.h
tests_unit_test_audit_sudoers_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_sudoers_LDADD = $(PROBES2_TEST_LDADD)
tests_unit_test_audit_pam_SOURCES = tests/unit/test-audit-pam.c tests/unit/probe-test.h
tests_unit_test_audit_pam_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_unit_test_audit_pam_LDADD = $(PROBES2_TEST_LDADD)

check_PROGRAMS += tests/fuzz/fuzz-dpkg-status tests/fuzz/fuzz-passwd tests/fuzz/fuzz-pam tests/fuzz/fuzz-sudoers
TESTS += tests/fuzz/fuzz-dpkg-status tests/fuzz/fuzz-passwd tests/fuzz/fuzz-pam tests/fuzz/fuzz-sudoers
tests_fuzz_fuzz_dpkg_status_SOURCES = tests/fuzz/fuzz-dpkg-status.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_dpkg_status_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_fuzz_fuzz_dpkg_status_LDADD = $(PROBES2_TEST_LDADD)
tests_fuzz_fuzz_passwd_SOURCES = tests/fuzz/fuzz-passwd.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_passwd_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_fuzz_fuzz_passwd_LDADD = $(PROBES2_TEST_LDADD)
tests_fuzz_fuzz_pam_SOURCES = tests/fuzz/fuzz-pam.c tests/fuzz/fuzz-probe-tree.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_pam_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_fuzz_fuzz_pam_LDADD = $(PROBES2_TEST_LDADD)
tests_fuzz_fuzz_sudoers_SOURCES = tests/fuzz/fuzz-sudoers.c tests/fuzz/fuzz-probe-tree.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_sudoers_CFLAGS = $(PROBES2_TEST_CFLAGS)
tests_fuzz_fuzz_sudoers_LDADD = $(PROBES2_TEST_LDADD)

TESTS += tests/integration/audit-probes2.sh
EXTRA_DIST += tests/integration/audit-probes2.sh

dist_checks_DATA += \
	conf/checks.d/70-services.conf \
	conf/checks.d/75-packages.conf \
	conf/checks.d/80-accounts.conf \
	conf/checks.d/85-pam.conf \
	conf/checks.d/86-logindefs.conf \
	conf/checks.d/87-sudo.conf \
	conf/checks.d/90-logging.conf
