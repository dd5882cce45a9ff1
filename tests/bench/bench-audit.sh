#!/bin/sh
# Benchmark (not a test): wall time and maximum RSS of a full live
# "vigil audit" against "lynis audit system --quick", median of 3 runs
# each (BENCH_RUNS to change it), as a Markdown table for README.md, then
# the targets of the issue with ok or MISSED:
#
#	the full rule set in under 1 second, under 20 MB RSS, and at least
#	100 times faster than lynis
#
#   tests/bench/bench-audit.sh [VIGIL] [CHECKS_DIR]
#
# A vigil run that exits 2 (rule error) or 3 (runtime error) or runs no
# check measures nothing: the script says so and exits 2.  It exits 1 if
# a target is missed, 0 otherwise.  Installs lynis with apt-get when it
# is missing and we are root; the lynis row is skipped when it cannot be
# had.  Run as root: both tools read files that only root may read.
set -u

VIGIL=${1:-${VIGIL:-vigil}}
CHECKS=${2:-}
RUNS=${BENCH_RUNS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

die() {
	echo "bench-audit: $*" >&2
	exit 2
}

vigil_audit() {		# vigil_audit ARGS...: the audit this benchmark measures
	if [ -n "$CHECKS" ]; then
		"$VIGIL" audit --checks-dir "$CHECKS" "$@"
	else
		"$VIGIL" audit "$@"
	fi
}

# run NAME ALLOWED_STATUSES COMMAND...: prints "NAME seconds kilobytes"
# (medians); a run that exits with a status outside ALLOWED_STATUSES
# ("0 1") stops the benchmark.
run() {
	name=$1 allowed=$2; shift 2
	: > "$TMP/$name"
	i=0
	while [ $i -lt "$RUNS" ]; do
		/usr/bin/time -f '%e %M %x' -o "$TMP/t" "$@" > /dev/null 2> "$TMP/err"
		line=$(tail -1 "$TMP/t")
		rc=${line##* }
		case " $allowed " in
		*" $rc "*) ;;
		*) sed 's/^/  /' "$TMP/err" >&2; die "$name exited with status $rc: nothing measured" ;;
		esac
		echo "$line" >> "$TMP/$name"
		i=$((i + 1))
	done
	mid=$(( (RUNS + 1) / 2 ))
	sec=$(cut -d' ' -f1 "$TMP/$name" | sort -n | sed -n "${mid}p")
	kb=$(cut -d' ' -f2 "$TMP/$name" | sort -n | sed -n "${mid}p")
	echo "$name $sec $kb"
}

# What the audit does, before timing it: exit 0 (all pass) or 1 (some
# fail) only, and a non-empty rule set.
vigil_audit --json > "$TMP/json" 2> "$TMP/err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
	sed 's/^/  /' "$TMP/err" >&2
	die "vigil audit exited with status $rc (2: usage or rule error, 3: runtime error)"
fi
n=$(grep -c '"type":"check"' "$TMP/json")
[ "$n" -gt 0 ] || die "vigil audit ran no check"
n_err=$(grep -c '"result":"error"' "$TMP/json")

if [ -n "$CHECKS" ]; then
	vig=$(run vigil "0 1" "$VIGIL" audit --checks-dir "$CHECKS") || exit 2
else
	vig=$(run vigil "0 1" "$VIGIL" audit) || exit 2
fi

if ! command -v lynis >/dev/null && [ "$(id -u)" -eq 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lynis > /dev/null 2>&1
fi
lyn=
if command -v lynis >/dev/null; then
	lyn=$(run lynis "0 1" lynis audit system --quick --no-colors) || exit 2
fi

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "| tool | checks | wall time (median of $RUNS) | max RSS |"
echo "|---|---|---|---|"
set -- $vig
vsec=$2 vkb=$3
printf '| vigil audit | %s | %s s | %s MB |\n' "$n" "$vsec" "$(mb "$vkb")"
lsec=
if [ -n "$lyn" ]; then
	set -- $lyn
	lsec=$2
	printf '| lynis audit system --quick | - | %s s | %s MB |\n' "$2" "$(mb "$3")"
else
	echo "| lynis audit system --quick | (not available) | - | - |"
fi
[ "$n_err" -eq 0 ] || echo "
note: $n_err checks answered error (run 'vigil audit' to see why)"

missed=0
target() {		# target DESCRIPTION MEASURED OK(0/1)
	if [ "$3" -eq 1 ]; then
		printf '%-40s %-24s ok\n' "$1" "$2"
	else
		printf '%-40s %-24s MISSED\n' "$1" "$2"
		missed=1
	fi
}
echo
echo "targets:"
target "full rule set in under 1 s" "$vsec s" "$(awk -v s="$vsec" 'BEGIN { print (s < 1) }')"
target "under 20 MB RSS" "$(mb "$vkb") MB" "$(awk -v k="$vkb" 'BEGIN { print (k < 20 * 1024) }')"
if [ -n "$lsec" ]; then
	ratio=$(awk -v a="$lsec" -v b="$vsec" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "inf" }')
	target "at least 100x faster than lynis" "${ratio}x" \
		"$(awk -v a="$lsec" -v b="$vsec" 'BEGIN { print (b == 0 || a / b >= 100) }')"
else
	printf '%-40s %-24s not measured\n' "at least 100x faster than lynis" "(no lynis)"
fi
exit $missed
