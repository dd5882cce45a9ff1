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

# Daemon modules that do not need the monitor, in a convenience library so
# the unit tests link exactly what vigild runs.
noinst_LIBRARIES += libvigild.a
libvigild_a_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
libvigild_a_SOURCES = \
	src/daemon/debounce.c src/daemon/debounce.h \
	src/daemon/burst.c src/daemon/burst.h \
	src/daemon/queue.c src/daemon/queue.h \
	src/daemon/monitor.c src/daemon/monitor.h \
	src/daemon/monitor-fanotify.c src/daemon/monitor-inotify.c \
	src/daemon/verify.c src/daemon/verify.h \
	src/daemon/correlate.c src/daemon/correlate.h \
	src/daemon/schedule.c src/daemon/schedule.h \
	src/daemon/state.c src/daemon/state.h \
	src/daemon/posture-audit.c src/daemon/posture-audit.h \
	src/daemon/procinfo.c src/daemon/procinfo.h \
	src/daemon/rescan.c src/daemon/rescan.h \
	src/daemon/worker.c src/daemon/worker.h

sbin_PROGRAMS += vigild
vigild_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
vigild_SOURCES = src/daemon/main.c src/daemon/daemon.h src/daemon/events.c src/daemon/pipeline.c
vigild_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)

check_PROGRAMS += tests/unit/test-debounce tests/unit/test-burst tests/unit/test-logq
TESTS += tests/unit/test-debounce tests/unit/test-burst tests/unit/test-logq
tests_unit_test_debounce_SOURCES = tests/unit/test-debounce.c
tests_unit_test_debounce_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_debounce_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)
tests_unit_test_burst_SOURCES = tests/unit/test-burst.c
tests_unit_test_burst_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_burst_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)
tests_unit_test_logq_SOURCES = tests/unit/test-logq.c
tests_unit_test_logq_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_logq_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)

# End to end, as root, with a real journald in a private mount namespace.
TESTS += tests/integration/daemon-journal.sh tests/integration/daemon-inotify.sh
EXTRA_DIST += tests/integration/daemon-journal.sh tests/integration/daemon-inotify.sh \
	tests/integration/daemon-lib.sh

check_PROGRAMS += tests/unit/test-daemon-state tests/fuzz/fuzz-state
TESTS += tests/unit/test-daemon-state tests/fuzz/fuzz-state
tests_unit_test_daemon_state_SOURCES = tests/unit/test-daemon-state.c
tests_unit_test_daemon_state_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_daemon_state_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)
tests_fuzz_fuzz_state_SOURCES = tests/fuzz/fuzz-state.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_state_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_fuzz_fuzz_state_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)

dist_man_MANS += man/vigild.8
TESTS += tests/integration/daemon-unit.sh
EXTRA_DIST += tests/integration/daemon-unit.sh
EXTRA_DIST += tests/bench/bench-daemon.sh

# sd_notify protocol and the journald fallback.
check_PROGRAMS += tests/helpers/notify-recv
tests_helpers_notify_recv_SOURCES = tests/helpers/notify-recv.c
TESTS += tests/integration/daemon-notify.sh
EXTRA_DIST += tests/integration/daemon-notify.sh

check_PROGRAMS += tests/unit/test-verify
TESTS += tests/unit/test-verify
tests_unit_test_verify_SOURCES = tests/unit/test-verify.c
tests_unit_test_verify_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_verify_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)
TESTS += tests/integration/daemon-inotify-limit.sh
EXTRA_DIST += tests/integration/daemon-inotify-limit.sh

check_PROGRAMS += tests/fuzz/fuzz-monitor
TESTS += tests/fuzz/fuzz-monitor
tests_fuzz_fuzz_monitor_SOURCES = tests/fuzz/fuzz-monitor.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_monitor_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_fuzz_fuzz_monitor_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)

check_PROGRAMS += tests/unit/test-posture-audit
TESTS += tests/unit/test-posture-audit
tests_unit_test_posture_audit_SOURCES = tests/unit/test-posture-audit.c
tests_unit_test_posture_audit_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/audit
tests_unit_test_posture_audit_CFLAGS = $(AM_CFLAGS) $(VIGIL_CFLAGS)
tests_unit_test_posture_audit_LDADD = libvigild.a libvigil.a $(VIGIL_LIBS)

TESTS += tests/integration/daemon-workers.sh
EXTRA_DIST += tests/integration/daemon-workers.sh
