#!/bin/sh
# contrib/systemd/vigild.service: systemd-analyze verify passes, and the
# unit keeps the options that would hide paths from vigild or filter the
# fanotify syscalls out (vigild(8), SYSTEMD INTEGRATION).
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

command -v systemd-analyze >/dev/null || skip_all "systemd-analyze not installed"
UNIT=$VIGIL_SRCDIR/contrib/systemd/vigild.service
mkdir "$TMP/units"
# verify wants an executable ExecStart: point it at the build tree.
sed "s|^ExecStart=.*|ExecStart=$VIGILD|" "$UNIT" >"$TMP/units/vigild.service"
out=$(systemd-analyze verify --man=no "$TMP/units/vigild.service" 2>&1)
ok $? "systemd-analyze verify passes"
is "$out" "" "no warnings from systemd-analyze verify"
for opt in PrivateTmp ProtectSystem ProtectHome PrivateDevices ProtectKernelTunables \
	ProtectKernelModules ProtectControlGroups PrivateMounts ReadOnlyPaths InaccessiblePaths \
	TemporaryFileSystem SystemCallFilter ProtectProc ProcSubset; do
	! grep -q "^$opt=" "$UNIT"
	ok $? "unit does not set $opt"
done
grep -q '^Type=notify$' "$UNIT"
ok $? "Type=notify"
grep -q '^WatchdogSec=' "$UNIT"
ok $? "WatchdogSec set"
grep -q '^ExecReload=.*HUP' "$UNIT"
ok $? "reload sends SIGHUP"
grep -q '^CapabilityBoundingSet=.*CAP_SYS_ADMIN' "$UNIT"
ok $? "keeps CAP_SYS_ADMIN for fanotify"
done_testing
