# Baseline database: src/lib/baseline.c, its unit test and fuzz target.
libvigil_a_SOURCES += src/lib/baseline.c src/lib/baseline-write.c src/lib/baseline-format.h src/lib/baseline.h

check_PROGRAMS += tests/unit/test-baseline tests/fuzz/fuzz-baseline
TESTS += tests/unit/test-baseline tests/fuzz/fuzz-baseline

tests_unit_test_baseline_SOURCES = tests/unit/test-baseline.c tests/unit/tap.h
tests_unit_test_baseline_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_baseline_LDADD = libvigil.a $(VIGIL_LIBS)

tests_fuzz_fuzz_baseline_SOURCES = tests/fuzz/fuzz-baseline.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_baseline_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_fuzz_fuzz_baseline_LDADD = libvigil.a $(VIGIL_LIBS)

# The writer against output frozen from an earlier, known-good writer.
check_PROGRAMS += tests/unit/test-baseline-golden
TESTS += tests/unit/test-baseline-golden
EXTRA_DIST += tests/data/baseline-golden.db
tests_unit_test_baseline_golden_SOURCES = tests/unit/test-baseline-golden.c tests/unit/tap.h
tests_unit_test_baseline_golden_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_baseline_golden_LDADD = libvigil.a $(VIGIL_LIBS)
