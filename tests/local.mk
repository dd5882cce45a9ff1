# Test plumbing shared by every area.  Each area registers its own unit
# tests, integration tests and fuzz targets in its own local.mk fragment.
EXTRA_DIST += tests/unit/tap.h tests/integration/lib.sh

# Fuzz targets: tests/fuzz/fuzz-NAME.c defines LLVMFuzzerTestOneInput().
# In "make check" each is linked with the stand-alone driver and run over
# its seed corpus tests/fuzz/corpus/NAME/ plus deterministic mutations
# (fuzz_driver_SOURCES); with --enable-fuzzing (clang) "make fuzz" builds
# real libFuzzer binaries as well.
FUZZ_DRIVER = tests/fuzz/driver.c
EXTRA_DIST += tests/fuzz/corpus

# Unit tests of the shared library pieces (src/lib) owned by the core.
core_unit_tests = tests/unit/test-conf tests/unit/test-change tests/unit/test-escape tests/unit/test-selection \
	tests/unit/test-log
check_PROGRAMS += $(core_unit_tests)
TESTS += $(core_unit_tests)
tests_unit_test_conf_SOURCES = tests/unit/test-conf.c
tests_unit_test_change_SOURCES = tests/unit/test-change.c
tests_unit_test_escape_SOURCES = tests/unit/test-escape.c
tests_unit_test_selection_SOURCES = tests/unit/test-selection.c
tests_unit_test_log_SOURCES = tests/unit/test-log.c

core_fuzz = tests/fuzz/fuzz-conf tests/fuzz/fuzz-selection
check_PROGRAMS += $(core_fuzz)
TESTS += $(core_fuzz)
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz-conf.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_selection_SOURCES = tests/fuzz/fuzz-selection.c $(FUZZ_DRIVER)

# All of these link the library the same way.
CORE_TEST_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
CORE_TEST_LDADD = libvigil.a $(VIGIL_LIBS)
tests_unit_test_conf_CFLAGS = $(CORE_TEST_CFLAGS)
tests_unit_test_conf_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_change_CFLAGS = $(CORE_TEST_CFLAGS)
tests_unit_test_change_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_escape_CFLAGS = $(CORE_TEST_CFLAGS)
tests_unit_test_escape_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_selection_CFLAGS = $(CORE_TEST_CFLAGS)
tests_unit_test_selection_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_log_CFLAGS = $(CORE_TEST_CFLAGS)
tests_unit_test_log_LDADD = $(CORE_TEST_LDADD)
tests_fuzz_fuzz_conf_CFLAGS = $(CORE_TEST_CFLAGS)
tests_fuzz_fuzz_conf_LDADD = $(CORE_TEST_LDADD)
tests_fuzz_fuzz_selection_CFLAGS = $(CORE_TEST_CFLAGS)
tests_fuzz_fuzz_selection_LDADD = $(CORE_TEST_LDADD)

# Integration tests of the integrity commands.
TESTS += tests/integration/integrity.sh
EXTRA_DIST += tests/integration/integrity.sh
