# Scan engine: walk, hash, attributes.
libvigil_a_SOURCES += \
	src/lib/digest.c src/lib/digest.h \
	src/lib/attrs.c src/lib/attrs.h \
	src/lib/scan-record.c src/lib/scan-record.h \
	src/lib/scan.c src/lib/scan.h

check_PROGRAMS += tests/unit/test-digest tests/unit/test-scan
TESTS += tests/unit/test-digest tests/unit/test-scan
tests_unit_test_digest_SOURCES = tests/unit/test-digest.c tests/unit/tap.h
tests_unit_test_digest_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_digest_LDADD = libvigil.a $(VIGIL_LIBS)
tests_unit_test_scan_SOURCES = tests/unit/test-scan.c tests/unit/tap.h
tests_unit_test_scan_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_scan_LDADD = libvigil.a $(VIGIL_LIBS)

# A benchmark, not a test: run by hand (see the script's header).
EXTRA_DIST += tests/bench/bench-init.sh

# security.capability decoder (hostile bytes from disk).
check_PROGRAMS += tests/fuzz/fuzz-caps
TESTS += tests/fuzz/fuzz-caps
tests_fuzz_fuzz_caps_SOURCES = tests/fuzz/fuzz-caps.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_caps_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_fuzz_fuzz_caps_LDADD = libvigil.a $(VIGIL_LIBS)
