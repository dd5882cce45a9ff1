#!/bin/sh
# vigild end to end: a real journald (in a private mount namespace), a
# baseline made by 'vigil init', vigild watching a temporary tree, and the
# journal entries it writes, read back with journalctl -o json.
# VIGIL_TEST_MONITOR=inotify runs the same test with the inotify backend.
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"
daemon_enter_namespace "$@"
. "$VIGIL_SRCDIR/tests/integration/lib.sh"
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"

MONITOR=${VIGIL_TEST_MONITOR:-fanotify}
MID_CREATED=a2db976cd570424bb5055e7fafddde21
MID_DELETED=ad33c02a7049489aa3c197e09da570a6
MID_UPDATED=3abc4dafc3ab4306a54ffcc0e8199a23
MID_ATTRS=dea60c3869e84ba89c12c3124fc7f000
MID_BURST=a2efc0bb86c64f60960fa4aebebb6bc2
MID_STARTED=b851393a900046858f12b14cc6dc302a
MID_RELOADED=452aa11344e74ecd85a3697c320f6cb6
MID_STOPPED=fb2f32017d1548b99f2511abfb56d878

check "journald started in a private namespace" -- start_journald
W=$TMP/w
mkdir -p "$W/d"
echo one >"$W/a"
echo two >"$W/b"
echo three >"$W/d/x"
echo orig >"$W/e"
echo "in the baseline" >"$W/doomed"
echo "to be renamed" >"$W/tomove"
echo secret >"$W/secret"
chmod 644 "$W/secret"
# A failing hardening check that concerns $W/secret (correlation).
mkdir "$TMP/checks.d"
cat >"$TMP/checks.d/50-test.conf" <<EOC
[test.secret-perms]
title = $W/secret is not readable by others
category = test
severity = medium
remediation = chmod 600 $W/secret
paths = $W/secret
probe = file
path = $W/secret
mode_max = 0600
EOC
cat >"$TMP/vigil.conf" <<EOC
[vigil]
database = $TMP/db
[daemon]
monitor = $MONITOR
debounce = 50ms
burst_limit = 100
EOC
chmod 600 "$TMP/vigil.conf"
check "baseline created" -- "$VIGIL" init --config "$TMP/vigil.conf" --db "$TMP/db" --force --quiet "$W"

start_vigild --foreground --log-target=journal --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" \
	--state-file "$TMP/state" --checks-dir "$TMP/checks.d"
started=$(wait_journal 10 "$(field MESSAGE_ID $MID_STARTED)")
ok $? "vigild started and said so in the journal"
contains "$started" "$(field VIGIL_MONITOR "$MONITOR")" "monitor is $MONITOR"
if ! vigild_alive; then
	sed 's/^/# vigild: /' "$TMP/vigild.err"
	ok 1 "vigild keeps running"
	done_testing
fi

echo more >>"$W/a"
chmod 600 "$W/b"
rm "$W/d/x"
echo new >"$W/c"
# An editor's save: write a temporary file, rename it over the original.
echo edited >"$W/.e.tmp"
mv "$W/.e.tmp" "$W/e"

mv "$W/tomove" "$W/moved"

e=$(wait_journal 10 "$(field VIGIL_PATH "$W/a")" "$(field VIGIL_ACTION updated)")
ok $? "content change: updated"
contains "$e" "$(field MESSAGE_ID $MID_UPDATED)" "updated has its MESSAGE_ID"
contains "$e" "$(field VIGIL_EVENT file)" "VIGIL_EVENT says it is a file event"
contains "$e" "$(field VIGIL_SEVERITY high)" "a content change is high severity"
contains "$e" '"VIGIL_SHA256_OLD":"' "updated carries the old digest"
contains "$e" '"VIGIL_SHA256_NEW":"' "updated carries the new digest"
contains "$e" '"VIGIL_CHANGED":"sha256 size' "VIGIL_CHANGED names the attributes"
e=$(wait_journal 10 "$(field VIGIL_PATH "$W/b")" "$(field MESSAGE_ID $MID_ATTRS)")
ok $? "chmod: attributes_modified"
contains "$e" '"VIGIL_CHANGED":"mode' "chmod changed the mode"
e=$(wait_journal 10 "$(field VIGIL_PATH "$W/d/x")" "$(field MESSAGE_ID $MID_DELETED)")
ok $? "rm: deleted"
contains "$e" "$(field VIGIL_ACTION deleted)" "deleted: VIGIL_ACTION"
contains "$e" "$(field VIGIL_EVENT file)" "deleted: VIGIL_EVENT"
contains "$e" '"VIGIL_SHA256_OLD":"' "deleted carries the digest it had"
e=$(wait_journal 10 "$(field VIGIL_PATH "$W/c")" "$(field MESSAGE_ID $MID_CREATED)")
ok $? "new file: created"
contains "$e" "$(field VIGIL_ACTION created)" "created: VIGIL_ACTION"
contains "$e" "$(field VIGIL_EVENT file)" "created: VIGIL_EVENT"
contains "$e" '"VIGIL_SHA256_NEW":"' "created carries its digest"
contains "$e" '"PRIORITY":"' "PRIORITY set"
wait_journal 10 "$(field VIGIL_PATH "$W/e")" >/dev/null
ok $? "editor save reported"
e=$(wait_journal 10 "$(field VIGIL_PATH "$W/moved")")
ok $? "rename reported"
contains "$e" "$(field VIGIL_ACTION moved)" "a rename is one 'moved' event"
contains "$e" "$(field VIGIL_MOVED_FROM "$W/tomove")" "VIGIL_MOVED_FROM names the old path"
contains "$e" '"MESSAGE_ID":"5cd7a51251cd49848a4e73f00a260a60"' "moved MESSAGE_ID"

# Attribution: fanotify reports the pid; exe and uid are read while the
# writer still exists (a writer that exits at once gets VIGIL_PID only).
if [ "$MONITOR" = fanotify ]; then
	sh -c 'echo copy >"$1"; sleep 2' sh "$W/copied" &
	e=$(wait_journal 10 "$(field VIGIL_PATH "$W/copied")")
	ok $? "copy reported"
	contains "$e" "$(field VIGIL_EXE "$(readlink -f /bin/sh)")" "VIGIL_EXE names the writer"
	contains "$e" "$(field VIGIL_UID 0)" "VIGIL_UID"
	contains "$e" '"VIGIL_PID":"' "VIGIL_PID"
fi

# Same deviations again (touch, same mode, same content), then a marker:
# events are verified in order, so once the marker is in, the repeats
# would be too.
touch "$W/a"
chmod 600 "$W/b"
echo marker >"$W/m1"
wait_journal 10 "$(field VIGIL_PATH "$W/m1")" >/dev/null
ok $? "marker 1 seen"
is "$(count_journal "$(field VIGIL_PATH "$W/e")")" 1 "editor save is exactly one event"
is "$(count_journal "$(field VIGIL_PATH "$W/e")" "$(field VIGIL_ACTION updated)")" 1 "... and it is 'updated'"
is "$(count_journal "$W/.e.tmp")" 0 "no event for the editor's temporary file"
is "$(count_journal "$(field VIGIL_PATH "$W/tomove")")" 0 "no separate deletion for the renamed file"
is "$(count_journal "$(field VIGIL_PATH "$W/a")")" 1 "the same deviation is not reported twice"
is "$(count_journal "$(field VIGIL_PATH "$W/b")")" 1 "same mode again: not reported twice"

# A file name that tries to forge a journal field.
nl='
'
touch "$W/evil${nl}MESSAGE_ID=$MID_STOPPED"
e=$(wait_journal 10 '"VIGIL_PATH":"'"$W"'/evil\\x0aMESSAGE_ID=')
ok $? "hostile file name escaped in VIGIL_PATH"
is "$(count_journal "$(field MESSAGE_ID $MID_STOPPED)")" 0 "hostile name did not forge a MESSAGE_ID"

# Correlation: the first audit finds the failing check, then a change to
# the path it concerns carries VIGIL_POSTURE and a raised severity.
e=$(wait_journal 10 "$(field MESSAGE_ID 87ac40a034b243b8979679b2e06e457e)")
ok $? "audit summary after the first audit"
contains "$e" "$(field VIGIL_FAIL 1)" "one failing check"
e=$(wait_journal 10 "$(field VIGIL_CHECK_ID test.secret-perms)" "$(field VIGIL_ACTION failed)")
ok $? "failing check reported"
echo leaked >>"$W/secret"
e=$(wait_journal 10 "$(field VIGIL_PATH "$W/secret")")
ok $? "change to the check's path reported"
contains "$e" "$(field VIGIL_POSTURE test.secret-perms)" "event carries VIGIL_POSTURE"
contains "$e" "$(field VIGIL_SEVERITY critical)" "severity raised one step (high -> critical)"
contains "$e" "is not readable by others fails" "MESSAGE says why"

# Reload with a changed configuration: an exclude takes effect.
printf 'exclude = *.log\n' >"$TMP/excl"
sed -i "/^database/r $TMP/excl" "$TMP/vigil.conf"
kill -HUP "$(vigild_pid)"
wait_journal 10 "$(field MESSAGE_ID $MID_RELOADED)" >/dev/null
ok $? "SIGHUP: reloaded event"
echo x >"$W/ignored.log"
touch "$W/a"
echo marker >"$W/m2"
wait_journal 10 "$(field VIGIL_PATH "$W/m2")" >/dev/null
ok $? "marker 2 seen after reload"
is "$(count_journal "$W/ignored.log")" 0 "reloaded exclude is in effect"
is "$(count_journal "$(field VIGIL_PATH "$W/a")")" 1 "a reload with the same baseline does not re-report"
vigild_alive
ok $? "vigild alive after reload"

# A burst: 20,000 creations are summarised, vigild stays up and small.
mkdir "$W/burst"
(cd "$W/burst" && seq -f 'f%g' 20000 | xargs touch)
e=$(wait_journal 60 "$(field MESSAGE_ID $MID_BURST)")
ok $? "burst summarised"
contains "$e" '"VIGIL_COUNT":"' "summary has a count"
contains "$e" '"VIGIL_SAMPLE":"'"$W/burst/f" "summary has a sample of paths"
sleep 1
vigild_alive
ok $? "vigild alive after the burst"
rss=$(vigild_rss_kb)
# The daemon's RSS target (README, Performance) is 20 MB.  ASan's shadow
# memory and quarantine dwarf vigild's own use.
limit=20480
ldd "$VIGILD" 2>/dev/null | grep -q libasan && limit=262144
ok $([ "${rss:-999999}" -lt $limit ] && echo 0 || echo 1) "RSS bounded after the burst (${rss} kB < $limit kB)"
created=$(count_journal "$(field MESSAGE_ID $MID_CREATED)" "$W/burst/")
ok $([ "$created" -le 2000 ] && echo 0 || echo 1) "the burst did not flood the journal ($created single events)"

# Overflow: with vigild stopped, more events than the kernel queues
# (fanotify 16384, inotify max_queued_events) are lost; vigild must say so
# and rescan, which finds a change made while it was stopped.
# (In $W itself: inotify could not watch a new directory while stopped.)
kill -STOP "$(vigild_pid)"
(cd "$W" && seq -f 'flood%g' 12000 | xargs touch && seq -f 'flood%g' 12000 | xargs rm)
rm "$W/doomed"
kill -CONT "$(vigild_pid)"
e=$(wait_journal 30 "$(field MESSAGE_ID 2eb15c89921c4cadb2c8924ce6369186)")
ok $? "kernel queue overflow reported"
contains "$e" '"PRIORITY":"3"' "overflow is an error-level alert"
n=$(count_journal "$(field MESSAGE_ID 2eb15c89921c4cadb2c8924ce6369186)")
ok $([ "$n" -le 3 ] && echo 0 || echo 1) "overflow alerts are not a flood themselves ($n)"
wait_journal 30 "$(field VIGIL_PATH "$W/doomed")" "$(field VIGIL_ACTION deleted)" >/dev/null
ok $? "rescan after the overflow finds the deletion"
vigild_alive
ok $? "vigild alive after the overflow"

# vigil status reads the state file.
s=$("$VIGIL" status --state-file "$TMP/state" --json)
contains "$s" '"running":true' "vigil status --json: running"
contains "$s" "\"monitor\":\"$MONITOR\"" "vigil status --json shows the monitor"
s=$("$VIGIL" status --state-file "$TMP/state")
contains "$s" "events:" "vigil status prints counters"

kill -TERM "$(vigild_pid)"
wait "$VIGILD_PID"
is "$?" 0 "clean exit on SIGTERM"
wait_journal 5 "$(field MESSAGE_ID $MID_STOPPED)" >/dev/null
ok $? "stopped event"
VIGILD_PID=
! grep -q 'Sanitizer\|runtime error' "$TMP/vigild.err"
ok $? "no sanitizer report from vigild"
[ -s "$TMP/vigild.err" ] && sed 's/^/# vigild: /' "$TMP/vigild.err" | head -20
done_testing
