#!/bin/sh
# vigild's slow work stays off the event loop and out of the way:
#  - correlation follows what a failing walk check found (its findings),
#    not its catch-all "paths = /";
#  - an idle vigild does not rewrite its state file for its own writes
#    when the state file lies on a watched filesystem;
#  - SIGTERM stops vigild within a second or two while a huge file is
#    being hashed, for a flagged path or by the periodic full check.
# Events go to stderr as JSON lines (--log-target=json): no journald needed.
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"
daemon_enter_namespace "$@"
. "$VIGIL_SRCDIR/tests/integration/lib.sh"
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"

mount -t tmpfs tmpfs /run/systemd	# no journald, no host socket
trap daemon_cleanup EXIT
W=$TMP/w
mkdir -p "$W/run"
echo plain >"$W/plain"
echo open >"$W/ww"
chmod 666 "$W/ww"
mkdir "$TMP/checks.d"
cat >"$TMP/checks.d/50-test.conf" <<EOC
[test.ww]
title = no world-writable files under the test tree
category = test
severity = medium
remediation = chmod o-w FILE
paths = /
probe = files
find = world_writable
under = $W
EOC
conf() {	# conf CHECK-INTERVAL
	printf '[vigil]\ndatabase = %s/db\n[daemon]\ndebounce = 50ms\naudit_interval = 1h\ncheck_interval = %s\n' \
		"$TMP" "$1" >"$TMP/vigil.conf"
	chmod 600 "$TMP/vigil.conf"
}
conf 1h
check "baseline created" -- "$VIGIL" init --config "$TMP/vigil.conf" --db "$TMP/db" --force --quiet "$W"

wait_err() {		# wait_err SECONDS PATTERN [PATTERN2]: matching stderr lines
	_end=$(($(date +%s) + $1))
	while :; do
		_m=$(grep -F -- "$2" "$TMP/vigild.err" | grep -F -- "${3:-$2}")
		if [ -n "$_m" ]; then printf '%s\n' "$_m"; return 0; fi
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
stop_timed() {		# stop_timed WHEN: SIGTERM, then a clean, prompt, announced exit
	_t0=$(now_ms)
	kill -TERM "$(vigild_pid)"
	wait "$VIGILD_PID"
	_rc=$?
	_t=$(($(now_ms) - _t0))
	VIGILD_PID=
	is "$_rc" 0 "stopped cleanly $1"
	ok $([ "$_t" -lt 3000 ] && echo 0 || echo 1) "... within 3 s of SIGTERM (took $_t ms)"
	grep -q '"VIGIL_ACTION":"stopped"' "$TMP/vigild.err"
	ok $? "... and said so"
}

start_vigild --foreground --log-target=json --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" \
	--state-file "$W/run/state" --checks-dir "$TMP/checks.d"
wait_err 10 '"VIGIL_CHECK_ID":"test.ww"' '"VIGIL_ACTION":"failed"' >/dev/null
ok $? "the walk check fails (a world-writable file)"

# Correlation by findings.
echo more >>"$W/ww"
echo more >>"$W/plain"
e=$(wait_err 10 "\"VIGIL_PATH\":\"$W/ww\"")
ok $? "change to the world-writable file reported"
contains "$e" '"VIGIL_POSTURE":"test.ww"' "... correlated with the check that found it"
e=$(wait_err 10 "\"VIGIL_PATH\":\"$W/plain\"")
ok $? "change to another file reported"
case $e in
*VIGIL_POSTURE*) ok 1 "... not correlated: 'paths = /' is no catch-all"; echo "# $e" ;;
*) ok 0 "... not correlated: 'paths = /' is no catch-all" ;;
esac

# Idle: the state file settles.  Its own writes are events on a watched
# filesystem; they must not make vigild write it again.
sleep 2
s1=$(grep '^updated_usec=' "$W/run/state")
sleep 3
s2=$(grep '^updated_usec=' "$W/run/state")
ok $([ -n "$s1" ] && [ "$s1" = "$s2" ] && echo 0 || echo 1) "an idle vigild leaves its state file alone"
[ "$s1" = "$s2" ] || echo "#   $s1 -> $s2"

# SIGTERM while a flagged huge file is being hashed (a sparse file: the
# hash of its 8 GiB of zeros takes seconds, the disk is not touched).
truncate -s 8G "$W/huge"
sleep 0.5
stop_timed "while verifying a huge file"
grep -q "\"VIGIL_PATH\":\"$W/huge\"" "$TMP/vigild.err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "... without reporting the half-hashed file"

# SIGTERM while the periodic full check hashes it.
conf 1s
: >"$TMP/vigild.err"
start_vigild --foreground --log-target=json --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" \
	--state-file "$W/run/state" --checks-dir "$TMP/checks.d"
wait_err 10 '"VIGIL_ACTION":"started"' >/dev/null
ok $? "vigild started again, full check every second"
sleep 2.5	# the check starts after 1 s (plus up to 10% jitter)
ok $(vigild_alive && echo 0 || echo 1) "vigild runs while the full check hashes"
stop_timed "during the full check"
grep -q '"VIGIL_EVENT":"check"' "$TMP/vigild.err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "... without a summary of the unfinished check"
rm -f "$W/huge"

# A tree moved in whole with more entries than are verified one by one:
# a rescan finds them instead (both backends), nothing is lost.
for mon in fanotify inotify; do
	printf '[vigil]\ndatabase = %s/db\n[daemon]\nmonitor = %s\ndebounce = 50ms\naudit_interval = 0\n' \
		"$TMP" "$mon" >"$TMP/vigil.conf"
	"$VIGIL" update --config "$TMP/vigil.conf" --db "$TMP/db" --quiet "$W" >/dev/null 2>&1
	rm -rf "$TMP/big"
	mkdir "$TMP/big"
	(cd "$TMP/big" && seq 1 4200 | sed 's/^/f/' | xargs touch)
	: >"$TMP/vigild.err"
	start_vigild --foreground --log-target=json --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" \
		--state-file "$TMP/state"
	wait_err 10 '"VIGIL_ACTION":"started"' >/dev/null
	mv "$TMP/big" "$W/big"
	wait_err 20 "$W/big: a new tree with more than 4096 entries" >/dev/null
	ok $? "$mon: a big new tree is left to a rescan"
	wait_err 20 "\"VIGIL_PATH\":\"$W/big\"" '"VIGIL_ACTION":"created"' >/dev/null
	ok $? "$mon: the new directory is reported"
	e=$(wait_err 30 '"VIGIL_EVENT":"burst"')
	ok $? "$mon: its entries are found and summarised"
	kill -TERM "$(vigild_pid)"
	wait "$VIGILD_PID"
	VIGILD_PID=
	rm -rf "$W/big"
done
done_testing
