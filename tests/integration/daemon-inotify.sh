#!/bin/sh
# daemon-journal.sh with the inotify backend (monitor = inotify).
VIGIL_TEST_MONITOR=inotify exec "$VIGIL_SRCDIR/tests/integration/daemon-journal.sh" "$@"
