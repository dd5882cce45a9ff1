# Helpers for the audit integration tests that build an image and check
# every verdict of a group of rule files against it (sourced after
# lib.sh).  The caller sets IMG (the image root), RULES (the checks.d
# directory), AUDIT_FILES (a Python regular expression for the rule file
# names, from their start) and AUDIT_OK (the results that count as not
# failing, space-separated) before it calls them.

w() {			# w PATH LINE...  (write a file below the image)
	_p=$IMG$1; shift
	mkdir -p "$(dirname "$_p")"
	printf '%s\n' "$@" > "$_p"
}

lnk() {			# lnk PATH TARGET
	mkdir -p "$(dirname "$IMG$1")"
	ln -sfn "$2" "$IMG$1"
}

# verdicts: "id result observed" for every enabled check of AUDIT_FILES,
# "id missing" for one the audit did not report.
verdicts() {
	"$VIGIL" audit --root "$IMG" --json --checks-dir "$RULES" 2>"$TMP/err" >"$TMP/out.json"
	python3 - "$TMP/out.json" "$RULES" "$AUDIT_FILES" <<'PY'
import json, re, sys, glob, os
mine = set()
for f in sorted(glob.glob(os.path.join(sys.argv[2], "*.conf"))):
    if re.match(sys.argv[3], os.path.basename(f)):
        for sec in re.split(r"\n(?=\[)", open(f).read()):
            m = re.match(r"\[([a-z0-9.-]+)\]", sec)
            if m and "\nenabled = no" not in sec:
                mine.add(m.group(1))
seen = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "check" and o["id"] in mine:
        seen.add(o["id"])
        print(o["id"], o["result"], (o.get("observed") or o.get("reason") or "").replace("\n", " ")[:150])
for m in sorted(mine - seen):
    print(m, "missing")
PY
}

result() {		# result ID  (from the last verdicts run, in $v)
	printf '%s\n' "$v" | awk -v id="$1" '$1 == id { print $2 }'
}

expect_fail() {		# expect_fail ID...: those and no others fail now
	v=$(verdicts)
	got=$(printf '%s\n' "$v" | awk -v ok=" $AUDIT_OK " 'index(ok, " " $2 " ") == 0 { print $1 }' |
		sort | tr '\n' ' ')
	want=$(if [ $# -gt 0 ]; then printf '%s\n' "$@" | sort | tr '\n' ' '; fi)
	is "$got" "$want" "fails exactly: ${*:-nothing}"
}
