#!/bin/sh
# The shipped rule set's metadata: every check in conf/checks.d has a
# title, a severity, a rationale, a remediation, the paths it concerns and
# a CIS reference (or "cis = -" for one that is not from the benchmark),
# and the set loads.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

command -v python3 >/dev/null || skip_all "python3 not installed"
RULES=$VIGIL_SRCDIR/conf/checks.d

missing=$(python3 - "$RULES" <<'PY'
import glob, os, re, sys
need = ["title", "cis", "category", "severity", "rationale", "remediation", "paths", "probe"]
n = 0
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.conf"))):
    for sec in re.split(r"\n(?=\[)", open(f).read()):
        m = re.match(r"\[([^\]]*)\]", sec)
        if not m:
            continue
        n += 1
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{0,40}", m.group(1)):
            print(os.path.basename(f), m.group(1), "bad id")
        keys = {k: v for k, v in re.findall(r"^([a-z_]+)[ \t]*=[ \t]*(.*)$", sec, re.M)}
        for k in need:
            if not keys.get(k, "").strip():
                print(os.path.basename(f), m.group(1), "no", k)
        cis = keys.get("cis", "")
        if cis and cis != "-" and not re.fullmatch(r"[1-7](\.[0-9]+)+", cis):
            print(os.path.basename(f), m.group(1), "bad cis", cis)
print("checks", n)
PY
)
n=$(printf '%s\n' "$missing" | sed -n 's/^checks //p')
ok $([ "${n:-0}" -ge 150 ] && echo 0 || echo 1) "at least 150 shipped checks ($n)"
is "$(printf '%s\n' "$missing" | grep -v '^checks ')" "" \
	"every shipped check has title, cis, category, severity, rationale, remediation, paths and probe"

"$VIGIL" audit --root "$TMP" --checks-dir "$RULES" --json > "$TMP/out" 2> "$TMP/err"
rc=$?
ok $([ $rc -ne 2 ] && echo 0 || echo 1) "the shipped rule set loads (exit $rc)"
is "$(cat "$TMP/err")" "" "no diagnostics"
n_json=$(grep -c '"type":"check"' "$TMP/out")
n_enabled=$(grep -c '^\[' "$RULES"/*.conf | awk -F: '{ s += $2 } END { print s }')
n_disabled=$(grep -c '^enabled = no' "$RULES"/*.conf | awk -F: '{ s += $2 } END { print s }')
is "$n_json" "$((n_enabled - n_disabled))" "every enabled check is evaluated"
contains "$(grep '"id":"sysctl.dmesg-restrict"' "$TMP/out")" '"cis":null' "cis = - is reported as no reference"

done_testing
