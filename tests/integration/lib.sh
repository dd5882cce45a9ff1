# Shared helpers for vigil's integration tests (sourced; POSIX sh + bash).
# Each test prints TAP: ok/not ok lines, then "1..N" at the end (done_testing).
# Tests run the binaries from the build tree ($VIGIL, $VIGILD).

set -u
: "${VIGIL:?run through make check}"
_tap_n=0
_tap_failed=0

ok() {			# ok COND-EXIT-STATUS NAME
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

check() {		# check NAME -- COMMAND...   (ok if COMMAND succeeds)
	_name=$1; shift; [ "$1" = "--" ] && shift
	if "$@" >/dev/null 2>&1; then ok 0 "$_name"; else ok 1 "$_name"; echo "#   failed: $*"; fi
}

is() {			# is GOT WANT NAME
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}

contains() {		# contains HAYSTACK NEEDLE NAME
	case $1 in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; echo "#   '$2' not found in:"; printf '%s\n' "$1" | sed 's/^/#     /' ;;
	esac
}

skip_all() {		# skip_all REASON  (exit 77: "skipped", with a reason)
	echo "1..0 # SKIP $1"
	exit 77
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root"
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
	exit $?
}

# A private scratch directory, removed on exit.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

skip() {		# skip REASON  (one skipped test, counted as passing)
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $1"
}
