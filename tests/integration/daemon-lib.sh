# Helpers for the vigild integration tests (sourced after lib.sh).
#
# Each test runs in its own mount namespace (unshare -m) with tmpfs over
# /run/systemd, /run/log and /var/log/journal, and starts a real
# systemd-journald there: the host's journal is never touched, and the
# entries vigild sends are read back with journalctl -o json.

# Re-exec the calling test inside a private mount namespace (call first).
daemon_enter_namespace() {
	if [ -z "${VIGIL_IN_NS:-}" ]; then
		[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 77; }
		command -v unshare >/dev/null || { echo "1..0 # SKIP unshare not installed"; exit 77; }
		[ -x /lib/systemd/systemd-journald ] || { echo "1..0 # SKIP systemd-journald not installed"; exit 77; }
		VIGIL_IN_NS=1 exec unshare -m --propagation private timeout -s KILL 300 "$0" "$@"
	fi
}

JOURNALD_PID=
VIGILD_PID=

daemon_cleanup() {
	[ -n "$VIGILD_PID" ] && kill -KILL "$VIGILD_PID" 2>/dev/null
	[ -n "$JOURNALD_PID" ] && kill -KILL "$JOURNALD_PID" 2>/dev/null
	rm -rf "$TMP"
}

start_journald() {
	mount -t tmpfs tmpfs /run/systemd || return 1
	mount -t tmpfs tmpfs /run/log || return 1
	if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal || return 1; fi
	mkdir -p /run/systemd/journal
	# Our own rate limits are under test, not journald's.
	mkdir -p /run/systemd/journald.conf.d
	printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\n' >/run/systemd/journald.conf.d/test.conf
	/lib/systemd/systemd-journald >"$TMP/journald.log" 2>&1 &
	JOURNALD_PID=$!
	trap daemon_cleanup EXIT
	_i=0
	while [ ! -S /run/systemd/journal/socket ] && [ $_i -lt 200 ]; do sleep 0.02; _i=$((_i + 1)); done
	[ -S /run/systemd/journal/socket ]
}

# All vigild entries, one JSON object per line.
journal() {
	journalctl --directory=/run/log/journal -o json SYSLOG_IDENTIFIER=vigild 2>/dev/null
}

# wait_journal SECONDS PATTERN [PATTERN2]: wait until an entry contains both
# fixed strings; prints the matching entries.  Fails after the deadline.
wait_journal() {
	_end=$(($(date +%s) + $1))
	while :; do
		_m=$(journal | grep -F -- "$2" | grep -F -- "${3:-$2}")
		if [ -n "$_m" ]; then printf '%s\n' "$_m"; return 0; fi
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}

# count_journal PATTERN [PATTERN2]
count_journal() {
	journal | grep -F -- "$1" | grep -cF -- "${2:-$1}"
}

field() {		# field NAME VALUE -> the JSON member text
	printf '"%s":"%s"' "$1" "$2"
}

# start_vigild ARGS...: in the background, under a hard timeout.
start_vigild() {
	timeout -s KILL 240 "$VIGILD" "$@" 2>>"$TMP/vigild.err" &
	VIGILD_PID=$!
}

vigild_alive() {
	kill -0 "$VIGILD_PID" 2>/dev/null
}

vigild_rss_kb() {	# of vigild itself, not of timeout(1)
	_p=$(pgrep -P "$VIGILD_PID" -x vigild || echo "$VIGILD_PID")
	awk '/^VmRSS:/ { print $2 }' "/proc/$_p/status"
}

vigild_pid() {
	pgrep -P "$VIGILD_PID" -x vigild || echo "$VIGILD_PID"
}
