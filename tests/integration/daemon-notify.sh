#!/bin/sh
# vigild's systemd protocol (READY=1, STATUS=, WATCHDOG=1, RELOADING=1,
# STOPPING=1) read from a NOTIFY_SOCKET, and the fallback when journald is
# absent: --log-target=journal with no journald writes JSON lines to stderr.
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"
daemon_enter_namespace "$@"
. "$VIGIL_SRCDIR/tests/integration/lib.sh"
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"

# No journald here: an empty /run/systemd hides the host's socket.
mount -t tmpfs tmpfs /run/systemd
trap daemon_cleanup EXIT
W=$TMP/w
mkdir "$W"
echo one >"$W/a"
printf '[vigil]\ndatabase = %s/db\n[daemon]\ndebounce = 50ms\naudit_interval = 0\ncheck_interval = 2s\n' \
	"$TMP" >"$TMP/vigil.conf"
chmod 600 "$TMP/vigil.conf"
check "baseline created" -- "$VIGIL" init --config "$TMP/vigil.conf" --db "$TMP/db" --force --quiet "$W"

# Usage and configuration errors: exit 2 for usage, non-zero and a hint
# for a missing baseline, never a half-started daemon.
"$VIGILD" --bogus >/dev/null 2>&1
is "$?" 2 "unknown option: exit 2"
out=$("$VIGILD" --foreground --config "$TMP/vigil.conf" --db "$TMP/nonexistent.db" --watch "$W" \
	--state-file "$TMP/state" 2>&1)
ok $([ $? -ne 0 ] && echo 0 || echo 1) "missing baseline: vigild refuses to start"
contains "$out" "vigil init" "... and says how to create one"
[ ! -e "$TMP/state" ]
ok $? "no state file left behind"
"$VIGILD" --version | grep -q '^vigild '
ok $? "--version"

"$VIGIL_BUILDDIR/tests/helpers/notify-recv" "$TMP/notify" 30 >"$TMP/notify.log" &
RECV=$!
i=0; while [ ! -S "$TMP/notify" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
NOTIFY_SOCKET=$TMP/notify WATCHDOG_USEC=400000 start_vigild --log-target=journal --config "$TMP/vigil.conf" \
	--db "$TMP/db" --watch "$W" --state-file "$TMP/state"

wait_notify() {		# wait_notify SECONDS PATTERN [MIN-COUNT]
	_end=$(($(date +%s) + $1))
	while [ "$(grep -c -- "$2" "$TMP/notify.log")" -lt "${3:-1}" ]; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}
wait_notify 10 '^READY=1'
ok $? "READY=1"
wait_notify 5 '^STATUS=.*events reported'
ok $? "STATUS= with counters"
wait_notify 5 '^WATCHDOG=1' 3
ok $? "WATCHDOG=1 keeps coming with WATCHDOG_USEC set"

echo more >>"$W/a"
end=$(($(date +%s) + 10))
while ! grep -q '"VIGIL_PATH":"'"$W"'/a"' "$TMP/vigild.err" && [ "$(date +%s)" -lt $end ]; do sleep 0.05; done
e=$(grep '"VIGIL_PATH":"'"$W"'/a"' "$TMP/vigild.err")
contains "$e" '"VIGIL_ACTION":"updated"' "without journald the event goes to stderr"
contains "$e" '"MESSAGE_ID":"3abc4dafc3ab4306a54ffcc0e8199a23"' "... in the same form (JSON, journald field names)"

# The periodic full check (check_interval = 2s, plus up to 10% jitter)
# finds the deviation again and summarises.
end=$(($(date +%s) + 10))
while ! grep -q '"MESSAGE_ID":"54fee6e4c8ce4741a351160c45ae1efb"' "$TMP/vigild.err" && [ "$(date +%s)" -lt $end ]; do
	sleep 0.1
done
e=$(grep '"MESSAGE_ID":"54fee6e4c8ce4741a351160c45ae1efb"' "$TMP/vigild.err" | head -1)
contains "$e" '"VIGIL_COUNT":"1"' "periodic full check ran and counted the deviation"
is "$(grep -c '"VIGIL_PATH":"'"$W"'/a"' "$TMP/vigild.err")" 1 "the check did not re-report the known deviation"
# (The state file is written just after the summary is queued.)
end=$(($(date +%s) + 5))
until "$VIGIL" status --state-file "$TMP/state" | grep -q '^last check: [0-9]' || [ "$(date +%s)" -ge $end ]; do
	sleep 0.1
done
"$VIGIL" status --state-file "$TMP/state" | grep -q '^last check: [0-9]'
ok $? "vigil status shows the last check"

# Accept the change into the baseline, reload: the new baseline applies.
"$VIGIL" update --config "$TMP/vigil.conf" --db "$TMP/db" --quiet
kill -HUP "$(vigild_pid)"
wait_notify 5 '^RELOADING=1'
ok $? "RELOADING=1 on SIGHUP"
wait_notify 5 '^READY=1' 2
ok $? "READY=1 again after the reload"
touch "$W/a"
echo fresh >"$W/marker"
end=$(($(date +%s) + 10))
while ! grep -q '"VIGIL_PATH":"'"$W"'/marker"' "$TMP/vigild.err" && [ "$(date +%s)" -lt $end ]; do sleep 0.05; done
grep -q '"VIGIL_PATH":"'"$W"'/marker"' "$TMP/vigild.err"
ok $? "events flow after the reload"
is "$(grep '"VIGIL_PATH":"'"$W"'/a"' "$TMP/vigild.err" | grep -c '"VIGIL_ACTION":"updated"')" 1 \
	"after the reload the accepted content is no deviation (only the earlier event)"
# Against the new baseline the touch is a fresh, metadata-only deviation.
grep '"VIGIL_PATH":"'"$W"'/a"' "$TMP/vigild.err" | grep -q '"VIGIL_ACTION":"attributes_modified"'
ok $? "the reloaded baseline is the one compared against"
kill -TERM "$(vigild_pid)"
wait "$VIGILD_PID"
is "$?" 0 "clean exit"
VIGILD_PID=
wait_notify 5 '^STOPPING=1'
ok $? "STOPPING=1 on SIGTERM"
kill "$RECV" 2>/dev/null

# The state file inside the watched tree (as with a watched /run): vigild
# must not report its own writes (a feedback loop once a second), neither
# live nor in a full check (whose findings are events too).  The
# directory's own timestamps do change: that one is real.
mkdir -p "$W/run"
"$VIGIL" update --config "$TMP/vigil.conf" --db "$TMP/db" --quiet
start_vigild --foreground --log-target=json --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" \
	--state-file "$W/run/state"
end=$(($(date +%s) + 10))
while ! grep -q '"VIGIL_ACTION":"summary"' "$TMP/vigild.err" && [ "$(date +%s)" -lt $end ]; do sleep 0.1; done
sleep 1.5
is "$(grep -c '"VIGIL_PATH":"'"$W"'/run/state' "$TMP/vigild.err")" 0 "no event about vigild's own state file"
grep -q '"MESSAGE_ID":"54fee6e4c8ce4741a351160c45ae1efb"' "$TMP/vigild.err"
ok $? "a full check ran meanwhile"
kill -TERM "$(vigild_pid)"
wait "$VIGILD_PID"
VIGILD_PID=
done_testing
