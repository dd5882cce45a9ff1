#!/bin/sh
# Benchmark (not a test): wall time and maximum RSS of a full live
# "vigil audit" against "lynis audit system --quick", median of 3 runs
# each, as a Markdown table for README.md.
#
#   tests/bench/bench-audit.sh [VIGIL] [CHECKS_DIR]
#
# Installs lynis with apt-get when it is missing and we are root; the
# lynis row is skipped when it cannot be had.  Run as root: both tools
# read files that only root may read.
set -u

VIGIL=${1:-${VIGIL:-vigil}}
CHECKS=${2:-}
RUNS=3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

# run NAME COMMAND...: prints "NAME seconds kilobytes" (medians)
run() {
	name=$1; shift
	: > "$TMP/$name"
	i=0
	while [ $i -lt $RUNS ]; do
		/usr/bin/time -f '%e %M' -o "$TMP/t" "$@" > /dev/null 2>&1
		cat "$TMP/t" | tail -1 >> "$TMP/$name"
		i=$((i + 1))
	done
	sec=$(cut -d' ' -f1 "$TMP/$name" | sort -n | sed -n 2p)
	kb=$(cut -d' ' -f2 "$TMP/$name" | sort -n | sed -n 2p)
	echo "$name $sec $kb"
}

if [ -n "$CHECKS" ]; then
	vig=$(run vigil "$VIGIL" audit --checks-dir "$CHECKS")
else
	vig=$(run vigil "$VIGIL" audit)
fi
n=$( { if [ -n "$CHECKS" ]; then "$VIGIL" audit --json --checks-dir "$CHECKS"; else "$VIGIL" audit --json; fi; } |
	grep -c '"type":"check"')

if ! command -v lynis >/dev/null && [ "$(id -u)" -eq 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lynis > /dev/null 2>&1
fi
lyn=
if command -v lynis >/dev/null; then
	lyn=$(run lynis lynis audit system --quick --no-colors)
fi

echo "| tool | checks | wall time (median of $RUNS) | max RSS |"
echo "|---|---|---|---|"
set -- $vig
vsec=$2
printf '| vigil audit | %s | %s s | %s MB |\n' "$n" "$2" "$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')"
if [ -n "$lyn" ]; then
	set -- $lyn
	printf '| lynis audit system --quick | - | %s s | %s MB |\n' "$2" "$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')"
	awk -v a="$2" -v b="$vsec" 'BEGIN { if (b > 0) printf "\nvigil is %.0fx faster than lynis.\n", a / b }'
else
	echo "| lynis audit system --quick | (not available) | - | - |"
fi
