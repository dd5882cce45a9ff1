#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark (not a test): how fast "vigil init" and "vigil check" are on a
# real tree, against the hardware limit with stock tools and against AIDE.
#
#   tests/bench/bench-init.sh [TREE]        (default TREE: /usr)
#
# Environment: VIGIL (binary; default ./build/vigil, built first),
# RUNS (timed runs per row, default 3, at least 3), AIDE_WORKERS (AIDE's
# num_workers; unset = AIDE's default), BENCH_NO_AIDE=1 to skip AIDE.
#
# Every row runs RUNS times, the rows alternating (round-robin), after one
# untimed warm-up round, so all rows see the same warm page cache and the
# same background load.  AIDE reads with POSIX_FADV_NOREUSE, which lets
# the kernel (6.3+) evict what it read first, so the tree is re-read
# (untimed) after each AIDE row.  Wall time and max RSS come from /usr/bin/time.
#
# Rows: vigil init and vigil check (on the unchanged tree) with a
# temporary vigil.conf that watches TREE recording only sha256, so vigil
# does the same work as the AIDE rows; find | xargs -P$(nproc) -n 256
# openssl dgst -sha256 (the hardware limit with stock tools); the same
# with sha256sum; aide --init and aide --check with a sha256-only config.
#
# Targets (issue text): vigil init <= 1.1x openssl, >= 5x faster than aide
# --init; vigil check <= 1.2x vigil init, >= 8x faster than aide --check;
# vigil peak RSS < 64 MB for a 130,000-file tree.

set -u

TREE=${1:-/usr}
RUNS=${RUNS:-3}
[ "$RUNS" -ge 3 ] 2>/dev/null || RUNS=3
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
NPROC=$(nproc)

die() {
	echo "bench-init: $*" >&2
	exit 1
}

[ -d "$TREE" ] || die "$TREE: not a directory"
TREE=$(cd "$TREE" && pwd -P)

if [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get install -y -q time >/dev/null 2>&1 || die "cannot install time(1)"
	else
		die "/usr/bin/time missing: apt-get install time"
	fi
fi

# The vigil binary: $VIGIL as given, else ./build/vigil, (re)built out of
# tree so the numbers are for the current source.
if [ -z "${VIGIL:-}" ]; then
	VIGIL=$PWD/build/vigil
	echo "building vigil in $PWD/build ..." >&2
	mkdir -p build || die "cannot create build/"
	(
		cd build &&
			{ [ -f Makefile ] || "$SRCDIR/configure" -q --prefix=/usr --sysconfdir=/etc \
				--localstatedir=/var --runstatedir=/run; } &&
			make -j"$NPROC" vigil >/dev/null
	) || die "build failed"
fi
[ -x "$VIGIL" ] || die "$VIGIL: not executable"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX") || die "mktemp"
trap 'rm -rf "$WORK"' EXIT

# vigil's selection: TREE, sha256 only, no excludes (the built-in
# configuration's would skip files the other rows hash), not crossing
# filesystems (like find -xdev).  vigil.conf(5): lines are at most 199
# bytes, and inih would take " ;" in a value for a comment.
case $TREE in
*';'* | *'#'* | *' ') die "$TREE: a path with ';', '#' or a trailing blank cannot go in vigil.conf" ;;
esac
[ ${#TREE} -le 190 ] || die "$TREE: too long for a vigil.conf line"
cat >"$WORK/vigil.conf" <<CONF || die "cannot write $WORK/vigil.conf"
[vigil]
database = $WORK/vigil.db
one_filesystem = yes

[watch bench]
path = $TREE
attributes = sha256
CONF
# Run as root, vigil refuses a configuration that is not root's or that
# group or others can write; mktemp's files are the caller's already.
chmod 0644 "$WORK/vigil.conf" || die "chmod $WORK/vigil.conf"

# AIDE: install if missing (root only), skip its rows if unavailable.
HAVE_AIDE=0
if [ -z "${BENCH_NO_AIDE:-}" ]; then
	if ! command -v aide >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
		echo "installing aide ..." >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends aide \
			>/dev/null 2>&1 || echo "bench-init: aide could not be installed, skipping its rows" >&2
	fi
	command -v aide >/dev/null 2>&1 && HAVE_AIDE=1
fi
if [ "$HAVE_AIDE" = 1 ]; then
	{
		echo "database_in=file:$WORK/aide.db"
		echo "database_out=file:$WORK/aide.db.new"
		echo "gzip_dbout=no"
		echo "report_url=stdout"
		[ -n "${AIDE_WORKERS:-}" ] && echo "num_workers=$AIDE_WORKERS"
		echo "VigilSha = sha256"
		# AIDE selection lines are regular expressions.
		printf '%s VigilSha\n' "$(printf '%s' "$TREE" | sed 's/[.[\*^$()+?{|]/\\&/g')"
	} >"$WORK/aide.conf"
	aide --config="$WORK/aide.conf" --config-check >/dev/null 2>&1 || {
		echo "bench-init: aide rejects the config, skipping its rows" >&2
		HAVE_AIDE=0
	}
fi

# Size of the job, for files/s and MB/s.
NFILES=$(find "$TREE" -xdev -type f | wc -l)
NBYTES=$(find "$TREE" -xdev -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')

# Row commands.  Each is run by "sh -c"; exit codes other than those
# listed as fine in ok_status mean the row failed.
ROWS="vigil_init vigil_check openssl sha256sum"
[ "$HAVE_AIDE" = 1 ] && ROWS="$ROWS aide_init aide_check"

row_cmd() {
	case $1 in
	vigil_init) echo "\"$VIGIL\" init --config \"$WORK/vigil.conf\" --db \"$WORK/vigil.db\" --force --quiet" ;;
	vigil_check) echo "\"$VIGIL\" check --config \"$WORK/vigil.conf\" --db \"$WORK/vigil.db\" --quiet" ;;
	openssl) echo "find \"$TREE\" -xdev -type f -print0 | xargs -0 -P$NPROC -n 256 openssl dgst -sha256 >/dev/null" ;;
	sha256sum) echo "find \"$TREE\" -xdev -type f -print0 | xargs -0 -P$NPROC -n 256 sha256sum >/dev/null" ;;
	aide_init) echo "aide --config=\"$WORK/aide.conf\" --init >/dev/null && mv -f \"$WORK/aide.db.new\" \"$WORK/aide.db\"" ;;
	aide_check) echo "aide --config=\"$WORK/aide.conf\" --check >/dev/null" ;;
	esac
}

row_label() {
	case $1 in
	vigil_init) echo "vigil init (sha256)" ;;
	vigil_check) echo "vigil check (sha256)" ;;
	openssl) echo "openssl dgst -P$NPROC" ;;
	sha256sum) echo "sha256sum -P$NPROC" ;;
	aide_init) echo "aide --init" ;;
	aide_check) echo "aide --check" ;;
	esac
}

# "vigil check" exits 1 when something changed (a live /usr can change
# under us); "aide --check" uses 1-7 for "differences found".
ok_status() {
	case $1 in
	vigil_check) [ "$2" -le 1 ] ;;
	aide_check) [ "$2" -le 7 ] ;;
	*) [ "$2" -eq 0 ] ;;
	esac
}

run_row() {		# run_row ROW TIMED(0/1)
	local cmd st
	cmd=$(row_cmd "$1")
	/usr/bin/time -f '%e %M' -o "$WORK/time.out" sh -c "$cmd" 2>"$WORK/err.out"
	st=$?
	if ! ok_status "$1" "$st"; then
		echo "bench-init: $(row_label "$1") failed (exit $st):" >&2
		sed 's/^/  /' "$WORK/err.out" | head -5 >&2
		echo "FAILED" >>"$WORK/$1.failed"
		return
	fi
	[ "$2" = 1 ] && tail -n 1 "$WORK/time.out" >>"$WORK/$1.times"
}

warm_cache() {
	find "$TREE" -xdev -type f -print0 | xargs -0 -P"$NPROC" -n 256 cat >/dev/null 2>&1
}

run_and_rewarm() {	# run_and_rewarm ROW TIMED
	run_row "$1" "$2"
	case $1 in aide_*) warm_cache ;; esac
}

echo "tree $TREE: $NFILES files, $((NBYTES / 1048576)) MiB; $NPROC CPUs; $RUNS runs per row" >&2
echo "warm-up round ..." >&2
warm_cache
for r in $ROWS; do run_and_rewarm "$r" 0; done
for i in $(seq 1 "$RUNS"); do
	echo "round $i/$RUNS ..." >&2
	for r in $ROWS; do run_and_rewarm "$r" 1; done
done

median() {		# median FILE COLUMN
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

maxcol() {
	awk -v c="$2" 'BEGIN { m = 0 } { if ($c > m) m = $c } END { print m }' "$1"
}

declare -A MED RSS
printf '\n%-20s %9s %9s %10s %9s %6s\n' "row" "median s" "max RSS" "files/s" "MB/s" "runs"
for r in $ROWS; do
	if [ ! -s "$WORK/$r.times" ]; then
		printf '%-20s %9s\n' "$(row_label "$r")" "failed"
		continue
	fi
	MED[$r]=$(median "$WORK/$r.times" 1)
	RSS[$r]=$(maxcol "$WORK/$r.times" 2)
	printf '%-20s %9s %7d MB %10.0f %9.1f %6d\n' "$(row_label "$r")" "${MED[$r]}" \
		$(((${RSS[$r]} + 1023) / 1024)) \
		"$(awk -v n="$NFILES" -v t="${MED[$r]}" 'BEGIN { print (t > 0 ? n / t : 0) }')" \
		"$(awk -v b="$NBYTES" -v t="${MED[$r]}" 'BEGIN { print (t > 0 ? b / 1048576 / t : 0) }')" \
		"$(wc -l <"$WORK/$r.times")"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# target LABEL VALUE OP LIMIT
target() {
	local verdict
	verdict=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {
		ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "ok" : "MISSED" }')
	printf '  %-44s %8s  (target %s %s)  %s\n' "$1" "$2" "$3" "$4" "$verdict"
}

echo
echo "ratios:"
have() { [ -n "${MED[$1]:-}" ]; }
if have vigil_init && have openssl; then
	target "vigil init / openssl dgst" "$(ratio "${MED[vigil_init]}" "${MED[openssl]}")" "<=" 1.1
fi
if have vigil_init && have sha256sum; then
	printf '  %-44s %8s\n' "vigil init / sha256sum" "$(ratio "${MED[vigil_init]}" "${MED[sha256sum]}")"
fi
if have vigil_check && have vigil_init; then
	target "vigil check / vigil init" "$(ratio "${MED[vigil_check]}" "${MED[vigil_init]}")" "<=" 1.2
fi
if have aide_init && have vigil_init; then
	target "aide --init / vigil init (speed-up)" "$(ratio "${MED[aide_init]}" "${MED[vigil_init]}")" ">=" 5
fi
if have aide_check && have vigil_check; then
	target "aide --check / vigil check (speed-up)" "$(ratio "${MED[aide_check]}" "${MED[vigil_check]}")" ">=" 8
fi
if have vigil_init; then
	mb=$(((${RSS[vigil_init]} + 1023) / 1024))
	target "vigil init max RSS, MB ($NFILES files)" "$mb" "<=" 64
fi
if have vigil_check; then
	mb=$(((${RSS[vigil_check]} + 1023) / 1024))
	target "vigil check max RSS, MB ($NFILES files)" "$mb" "<=" 64
fi
[ "$HAVE_AIDE" = 1 ] || echo "  (aide rows skipped: BENCH_NO_AIDE set or aide unavailable)"
[ "$HAVE_AIDE" = 1 ] && echo "  (aide num_workers: ${AIDE_WORKERS:-aide default})"
exit 0
