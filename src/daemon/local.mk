# vigild, the monitoring daemon, and the event renderers it shares with
# the CLI (src/lib/event-journal.c lives in libvigil so both can use it).
libvigil_a_SOURCES += \
	src/lib/event-journal.c src/lib/event-journal.h \
	src/lib/message-ids.h

check_PROGRAMS += tests/unit/test-event-journal
TESTS += tests/unit/test-event-journal
tests_unit_test_event_journal_SOURCES = tests/unit/test-event-journal.c
tests_unit_test_event_journal_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_event_journal_LDADD = libvigil.a $(VIGIL_LIBS)

TESTS += tests/integration/daemon-catalog.sh
EXTRA_DIST += tests/integration/daemon-catalog.sh
