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
