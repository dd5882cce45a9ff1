#!/bin/sh
# vigil audit --root over an image built here with known good and bad
# settings: every verdict of interest, the JSON shape, the exit codes and
# that nothing is read from the host.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

command -v python3 >/dev/null || skip_all "python3 not installed"
IMG=$TMP/img
RULES=$VIGIL_SRCDIR/conf/checks.d

w() {			# w PATH CONTENT...  (write a file below the image)
	_p=$IMG$1; shift
	mkdir -p "$(dirname "$_p")"
	printf '%s\n' "$@" > "$_p"
}

w /etc/passwd 'root:x:0:0:root:/root:/bin/bash' 'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin'
w /etc/group 'root:x:0:' 'shadow:x:42:'
w /etc/shadow 'root:*:19000:0:99999:7:::'
w /etc/gshadow 'root:*::'
chmod 640 "$IMG/etc/shadow"
chmod 644 "$IMG/etc/gshadow"

w /etc/ssh/sshd_config 'Include /etc/ssh/sshd_config.d/*.conf' 'PermitRootLogin yes' 'MaxAuthTries 3' \
	'Match User backup' '  PermitEmptyPasswords yes'
w /etc/ssh/sshd_config.d/50-cis.conf 'permitrootlogin NO' 'LoginGraceTime 2m' 'Ciphers +aes128-cbc'
chmod 600 "$IMG/etc/ssh/sshd_config"

w /usr/lib/sysctl.d/50-vendor.conf 'kernel.randomize_va_space = 1' 'net.ipv4.ip_forward = 1'
w /etc/sysctl.d/50-vendor.conf 'kernel.randomize_va_space = 2'
w /etc/sysctl.d/90-local.conf 'net.ipv4.conf.all.rp_filter = 1' 'net.ipv4.conf.default.rp_filter = 2'

w /lib/modules/6.1.0-13-amd64/modules.dep 'kernel/fs/cramfs/cramfs.ko.xz:' 'kernel/fs/udf/udf.ko.xz:'
w /etc/modprobe.d/cramfs.conf 'install cramfs /bin/false' 'blacklist cramfs'
w /etc/modprobe.d/udf.conf 'blacklist udf'

w /etc/fstab 'UUID=1 / ext4 errors=remount-ro 0 1' 'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0' \
	'/dev/sdb1 /var/tmp ext4 defaults,nodev 0 2'

mkdir -p "$IMG/srv/drop" "$IMG/var/tmp"
chmod 777 "$IMG/srv/drop"
chmod 1777 "$IMG/var/tmp"

out=$("$VIGIL" audit --root "$IMG" --json --checks-dir "$RULES" 2>"$TMP/err")
rc=$?
is "$rc" 1 "exit code 1 when a check fails"
is "$(cat "$TMP/err")" "" "no diagnostics on stderr"
printf '%s\n' "$out" > "$TMP/out.json"

verdicts=$(python3 - "$TMP/out.json" <<'PY'
import json, sys
keys = ["type", "id", "cis", "category", "title", "severity", "result", "observed", "expected", "remediation"]
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "check":
        assert list(o.keys()) == keys, o.keys()
        n += 1
        print(o["id"], o["result"])
    else:
        assert o["type"] == "summary" and o["checks"] == n
        print("summary", o["pass"] + o["fail"] + o["not_applicable"] + o["error"] == n)
PY
)
ok $? "JSON lines parse, keys exactly as documented"

verdict() {		# verdict ID WANT
	got=$(printf '%s\n' "$verdicts" | awk -v id="$1" '$1 == id { print $2 }')
	is "$got" "$2" "$1: $2"
}

verdict summary True
verdict ssh.permit-root-login pass		# first value from the Include wins, case-insensitive
verdict ssh.max-auth-tries pass
verdict ssh.login-grace-time fail		# 2m = 120 s
verdict ssh.ciphers fail			# +aes128-cbc
verdict ssh.permit-empty-passwords pass		# only inside Match
verdict ssh.config-perms pass
verdict ssh.hostkey-private.rsa not_applicable	# no key in the image
verdict sysctl.aslr pass			# /etc shadows /usr/lib of the same name
verdict sysctl.ip-forward fail			# vendor file sets 1
verdict sysctl.rp-filter.all pass
verdict sysctl.rp-filter.default fail
verdict sysctl.tcp-syncookies fail		# unset offline
verdict kmod.cramfs pass
verdict kmod.udf fail				# blacklist only
verdict kmod.hfs pass				# not shipped by the image
verdict fs.tmp.separate pass
verdict fs.tmp.noexec pass
verdict fs.var-tmp.nodev pass
verdict fs.var-tmp.nosuid fail
verdict fs.home.separate fail
verdict fs.dev-shm.nodev pass			# systemd's own /dev/shm mount
verdict fs.dev-shm.noexec fail
verdict perm.shadow pass
verdict perm.gshadow fail
verdict perm.shadow-backup not_applicable
verdict files.world-writable fail		# /srv/drop
verdict files.unowned pass

contains "$out" '"observed":"1: /srv/drop"' "world-writable directory named"
contains "$out" "Match block sets 'yes' at /etc/ssh/sshd_config:5" "Match override noted"

# A hostile file name cannot forge a line in either output format.
mkdir -p "$IMG/srv/evil"
printf x > "$IMG/srv/evil/$(printf 'a\nb\033[31mc')"
chmod 666 "$IMG/srv/evil/"*
out=$("$VIGIL" audit --root "$IMG" --json --checks-dir "$RULES" --check files.world-writable)
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "JSON: one line per check despite a newline in a file name"
contains "$out" 'a\\x0ab\\x1b[31mc' "JSON: control characters escaped"
out=$("$VIGIL" audit --root "$IMG" --checks-dir "$RULES" --check files.world-writable)
contains "$out" 'a\x0ab\x1b[31mc' "text: control characters escaped"
rm -rf "$IMG/srv/evil"

# Rule-file text is shown as written: a remediation command keeps its
# backslashes in text and decodes from JSON to exactly the rule's text.
out=$("$VIGIL" audit --root "$IMG" --checks-dir "$RULES" --check kmod.udf)
contains "$out" "remediation: printf 'install udf /bin/false\\nblacklist udf\\n' >" "text: remediation as written"
rem=$("$VIGIL" audit --root "$IMG" --json --checks-dir "$RULES" --check kmod.udf |
	python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["remediation"])')
want=$(sed -n '/^\[kmod.udf\]/,/^$/s/^remediation = //p' "$RULES/20-kernel.conf")
is "$rem" "$want" "JSON: remediation decodes to the rule file's text"

# A rule directory of passing checks only: exit 0.
mkdir -p "$TMP/pass.d"
cat > "$TMP/pass.d/10-pass.conf" <<'CONF'
[p.aslr]
title = ASLR
category = kernel
severity = high
remediation = sysctl -w kernel.randomize_va_space=2
probe = sysctl
key = kernel.randomize_va_space
equals = 2

[p.root]
title = root login
category = ssh
severity = high
remediation = PermitRootLogin no
probe = sshd
keyword = PermitRootLogin
equals = no
CONF
"$VIGIL" audit --root "$IMG" --checks-dir "$TMP/pass.d" > "$TMP/text" 2>&1
is $? 0 "exit code 0 when every check passes"
contains "$(cat "$TMP/text")" "Score: 2/2 applicable checks pass (100.0%)" "text report has a score line"

# Local override: disable one, replace another.
mkdir -p "$TMP/local.d"
printf '[p.aslr]\nenabled = no\n' > "$TMP/local.d/10-local.conf"
out=$("$VIGIL" audit --root "$IMG" --json --checks-dir "$TMP/pass.d" --checks-dir "$TMP/local.d")
contains "$out" '"checks":1,' "a later directory disables a check"

# Text report: grouped by category, rule-file order kept within a group.
ids=$("$VIGIL" audit --root "$IMG" --checks-dir "$RULES" --category ssh | awk 'NR > 1 && /^  [A-Z]/ { print $2 }' | head -4 | tr '\n' ' ')
is "$ids" "ssh.config-perms ssh.hostkey-private.rsa ssh.hostkey-public.rsa ssh.hostkey-private.ecdsa " "text report keeps rule order"

# Filters.
out=$("$VIGIL" audit --root "$IMG" --json --checks-dir "$RULES" --category ssh --severity critical)
is "$(printf '%s\n' "$out" | grep -c '"type":"check"')" 1 "--category and --severity filter"
"$VIGIL" audit --root "$IMG" --checks-dir "$RULES" --check no.such.check >/dev/null 2>&1
is $? 2 "unknown --check is a usage error"

# Malformed rule file: exit 2 with file:line.
mkdir -p "$TMP/bad.d"
printf '[b]\ntitle = x\ncategory = c\nseverity = severe\n' > "$TMP/bad.d/10-bad.conf"
"$VIGIL" audit --root "$IMG" --checks-dir "$TMP/bad.d" > /dev/null 2> "$TMP/err"
is $? 2 "malformed rule file: exit 2"
contains "$(cat "$TMP/err")" "10-bad.conf:4: key 'severity'" "error names file:line"

done_testing
