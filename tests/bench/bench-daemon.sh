#!/bin/bash
# vigild benchmark (not part of "make check"; run as root from a build tree):
#   VIGIL=./vigil VIGILD=./vigild VIGIL_SRCDIR=/path/to/src tests/bench/bench-daemon.sh
# Measures, with a real journald in a private mount namespace:
#   - latency from a file write to its journal entry (p50, p99) at
#     10, 1,000 and 10,000 changes per second (new files; burst summaries
#     disabled so every event is an entry; the 200 ms default debounce is
#     part of the latency);
#   - events lost: writes with neither an entry of their own nor a place
#     in a burst summary or an overflow rescan;
#   - vigild's RSS and CPU while idle and under load, with a 100,000-file
#     baseline.
# Prints a Markdown table (the one in README.md).
set -u
: "${VIGIL:?}" "${VIGILD:?}" "${VIGIL_SRCDIR:?}"
. "$VIGIL_SRCDIR/tests/integration/daemon-lib.sh"
if [ -z "${VIGIL_IN_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 77; }
	VIGIL_IN_NS=1 exec unshare -m --propagation private timeout -s KILL 900 "$0" "$@"
fi
TMP=$(mktemp -d /tmp/vigil-bench.XXXXXX)
start_journald || { echo "journald did not start" >&2; exit 1; }
DEBOUNCE=${DEBOUNCE:-200ms}
W=$TMP/w
mkdir -p "$W/tree" "$W/new"
echo "building a 100,000-file tree..." >&2
for d in $(seq 100); do
	mkdir "$W/tree/d$d"
	(cd "$W/tree/d$d" && seq -f 'f%g' 1000 | xargs touch)
done
cat >"$TMP/vigil.conf" <<EOC
[vigil]
database = $TMP/db
[daemon]
debounce = $DEBOUNCE
burst_limit = 1000000
audit_interval = 0
check_interval = 0
EOC
chmod 600 "$TMP/vigil.conf"
"$VIGIL" init --config "$TMP/vigil.conf" --db "$TMP/db" --force --quiet "$W" || exit 1
start_vigild --log-target=journal --config "$TMP/vigil.conf" --db "$TMP/db" --watch "$W" --state-file "$TMP/state"
wait_journal 20 '"VIGIL_ACTION":"started"' >/dev/null || { echo "vigild did not start" >&2; cat "$TMP/vigild.err"; exit 1; }
PID=$(vigild_pid)
HZ=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
# "total (anonymous)" in MB: the baseline is a read-only file mapping,
# counted in RSS but shared with the page cache and reclaimable.
rss_mb() {
	awk '/^VmRSS:/ { t = $2 } /^RssAnon:/ { a = $2 } END { printf "%.1f (%.1f)", t / 1024, a / 1024 }' \
		"/proc/$PID/status"
}

sleep 2
t0=$(cpu_ticks); sleep 10; t1=$(cpu_ticks)
idle_cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" 'BEGIN { printf "%.2f", 100 * t / hz / 10 }')
idle_rss=$(rss_mb)

# run RATE SECONDS: create RATE*SECONDS new files at RATE per second,
# stamping each with $EPOCHREALTIME (no fork per write).
run() {
	local rate=$1 secs=$2 n=$(($1 * $2)) tag=r$1 i=0 batch start now next
	local dir=$W/new/$tag
	mkdir "$dir"
	sleep 1	# let the new directory's own event settle
	: >"$TMP/$tag.sent"
	batch=$((rate / 20)); [ "$batch" -lt 1 ] && batch=1
	start=${EPOCHREALTIME/./}
	local c0; c0=$(cpu_ticks)
	while [ $i -lt $n ]; do
		for ((k = 0; k < batch && i < n; k++, i++)); do
			echo "$i" >"$dir/f$i"
			printf '%s %s\n' "$dir/f$i" "${EPOCHREALTIME/./}" >>"$TMP/$tag.sent"
		done
		next=$((start + i * 1000000 / rate))
		now=${EPOCHREALTIME/./}
		[ "$next" -gt "$now" ] && sleep "$(awk -v d=$((next - now)) 'BEGIN { printf "%.6f", d / 1e6 }')"
	done
	local elapsed=$(( ${EPOCHREALTIME/./} - start ))
	# Wait for the entries (bounded), then collect.
	local end=$(($(date +%s) + 30)) got=0
	while [ "$(date +%s)" -lt "$end" ]; do
		got=$(journal | grep -cF "\"VIGIL_PATH\":\"$dir/")
		[ "$got" -ge "$n" ] && break
		sleep 0.5
	done
	local c1; c1=$(cpu_ticks)
	local load_rss; load_rss=$(rss_mb)
	journal | grep -F "\"VIGIL_PATH\":\"$dir/" |
		sed -n 's/.*"VIGIL_PATH":"\([^"]*\)".*"__REALTIME_TIMESTAMP":"\([0-9]*\)".*/\1 \2/p;
			s/.*"__REALTIME_TIMESTAMP":"\([0-9]*\)".*"VIGIL_PATH":"\([^"]*\)".*/\2 \1/p' |
		sort -u -k1,1 >"$TMP/$tag.recv"
	local summarized; summarized=$(journal | grep -F '"VIGIL_ACTION":"summary"' |
		sed -n 's/.*"VIGIL_COUNT":"\([0-9]*\)".*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	local overflows; overflows=$(journal | grep -cF '"VIGIL_EVENT":"overflow"')
	sort -k1,1 "$TMP/$tag.sent" | join - "$TMP/$tag.recv" |
		awk '{ print ($3 - $2) / 1000 }' | sort -n >"$TMP/$tag.lat"
	local m; m=$(wc -l <"$TMP/$tag.lat")
	local p50 p99
	p50=$(awk -v m="$m" 'NR == int(m * 0.50 + 0.5) { printf "%.0f", $1 }' "$TMP/$tag.lat")
	p99=$(awk -v m="$m" 'NR == int(m * 0.99 + 0.5) { printf "%.0f", $1 }' "$TMP/$tag.lat")
	local achieved; achieved=$(awk -v n="$n" -v e="$elapsed" 'BEGIN { printf "%.0f", n / (e / 1e6) }')
	local cpu; cpu=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v e="$elapsed" 'BEGIN { printf "%.1f", 100 * t / hz / (e / 1e6) }')
	local lost=$((n - m))
	[ "$overflows" -gt 0 ] && lost="$lost (overflow alerts: $overflows, rescanned)"
	printf '| %s/s (achieved %s/s) | %s | %s ms | %s ms | %s | %s%% | %s MB |\n' "$rate" "$achieved" "$n" \
		"${p50:-?}" "${p99:-?}" "$lost" "$cpu" "$load_rss"
}

echo
echo "vigild $("$VIGILD" --version | cut -d' ' -f2), $(uname -r), $(nproc) CPUs, debounce $DEBOUNCE, baseline $(awk -F= '$1 == "baseline_records" { print $2 }' "$TMP/state") records"
echo
echo "| load | changes | p50 latency | p99 latency | lost | vigild CPU | vigild RSS (anon) |"
echo "|---|---|---|---|---|---|---|"
printf '| idle (10 s) | 0 | - | - | - | %s%% | %s MB |\n' "$idle_cpu" "$idle_rss"
run 10 5
run 1000 5
run 10000 2
kill -TERM "$PID"
wait "$VIGILD_PID"
VIGILD_PID=
