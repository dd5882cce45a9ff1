#!/bin/sh
# vigil init/check/update/accept/db on temporary trees: every change class
# with the right "changed" list, ACLs, xattrs, symlinks, FIFOs and sockets,
# corrupt and signed baselines, --root, and configuration errors.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"
require_root
command -v python3 >/dev/null || skip_all "python3 missing (apt-get install python3)"
command -v setfacl >/dev/null || skip_all "setfacl missing (apt-get install acl)"
command -v setfattr >/dev/null || skip_all "setfattr missing (apt-get install attr)"

T=$TMP/tree
DB=$TMP/db
mkdir -p "$T/sub" "$T/other" "$T/grow"
printf 'hello\n' > "$T/file"
printf 'keep\n' > "$T/keep"
printf 'moving\n' > "$T/sub/before"
printf 'gone\n' > "$T/gone"
printf 'x\n' > "$T/typed"
printf 'x\n' > "$T/todir"
printf 'acl\n' > "$T/acl"
printf 'xattr\n' > "$T/xattr"
printf 'own\n' > "$T/own"
ln -s file "$T/link"
mkfifo "$T/fifo"
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$T/sock"

# JSON helper: print "action path changed..." per change line, sorted.
changes() {
	python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "change":
        print(o["action"], o["path"], ",".join(sorted(o["changed"])))
' | sort
}
# The same without the times and the inode, which differ or not depending
# on the filesystem and the clock (a freed inode number can come back).
core_changes() {
	python3 -c '
import json, sys
noise = {"mtime", "ctime", "inode"}
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "change":
        print(o["action"], o["path"], ",".join(sorted(set(o["changed"]) - noise)))
' | sort
}
has_line() {		# has_line TEXT LINE NAME  (LINE is one whole line of TEXT)
	if printf '%s\n' "$1" | grep -qxF -- "$2"; then ok 0 "$3"; else
		ok 1 "$3"; echo "#   no line '$2' in:"; printf '%s\n' "$1" | head -n 40 | sed 's/^/#     /'; fi
}
summary_field() {	# summary_field FIELD < json lines
	python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "summary":
        print(o[sys.argv[1]])
' "$1"
}

timeout 60 "$VIGIL" init --db "$DB" --quiet "$T"
ok $? "init on a tree with a FIFO and a socket finishes"
timeout 60 "$VIGIL" check --db "$DB" --quiet
ok $? "check right after init: exit 0"
"$VIGIL" init --db "$DB" --quiet "$T" 2>"$TMP/err"
is $? 2 "init refuses to overwrite without --force (exit 2)"
contains "$(cat "$TMP/err")" "--force" "the message says how"

# One change of each class.
printf 'hello world\n' > "$T/file"				# updated
chmod 0600 "$T/keep"						# attributes_modified: mode
chown 123:456 "$T/own"						# attributes_modified: uid gid
rm "$T/gone"							# deleted
printf 'new\n' > "$T/new"					# created
mv "$T/sub/before" "$T/other/after"				# moved
rm "$T/typed"; ln -s /etc/passwd "$T/typed"			# type_changed
rm "$T/todir"; mkdir "$T/todir"					# type_changed: file -> directory
long=$(printf '%0200d' 0 | tr 0 n)				# a directory that grows: attributes_modified
i=0; while [ $i -lt 20 ]; do : > "$T/grow/$long$i"; i=$((i + 1)); done
ln -sfn keep "$T/link"						# symlink retarget: updated
setfacl -m u:nobody:r "$T/acl"					# attributes_modified: acl (+ mode mask)
setfattr -n user.vigil -v test "$T/xattr"			# attributes_modified: xattrs

out=$("$VIGIL" check --db "$DB" --json)
is $? 1 "check with changes: exit 1"
got=$(printf '%s\n' "$out" | changes)
echo "$got" | grep -v "^created $T/grow/" | sed 's/^/# /'
contains "$got" "updated $T/file ctime,mtime,sha256,size" "content change: updated sha256 size mtime ctime"
contains "$got" "attributes_modified $T/keep ctime,mode" "chmod: attributes_modified mode"
contains "$got" "attributes_modified $T/own ctime,gid,uid" "chown: attributes_modified uid gid"
contains "$got" "deleted $T/gone " "deleted"
contains "$got" "created $T/new " "created"
contains "$got" "moved $T/other/after" "rename across directories: moved"
contains "$(printf '%s\n' "$out" | grep '"moved"' | grep -c "\"moved_from\":\"$T/sub/before\"")" "1" "moved_from names the old path"
contains "$got" "type_changed $T/typed" "file replaced by symlink: type_changed"
contains "$got" "updated $T/link " "symlink retarget: updated"
contains "$(echo "$got" | grep " $T/link ")" "link" "symlink retarget lists link"
contains "$(echo "$got" | grep " $T/acl ")" "acl" "setfacl: acl changed"
contains "$(echo "$got" | grep " $T/xattr ")" "xattrs" "setfattr: xattrs changed"
is "$(printf '%s\n' "$out" | summary_field changes)" "$(printf '%s\n' "$got" | grep -c .)" "summary counts every change"
is "$(printf '%s\n' "$out" | tail -n 1 | summary_field type)" "summary" "summary is the last line"
contains "$(printf '%s\n' "$out" | grep "\"path\":\"$T/file\"")" '"old":{"type":"file","mode":"0644"' "old attributes in JSON"
# The exact "changed" list of each class (without times and inode).
core=$(printf '%s\n' "$out" | core_changes)
has_line "$core" "type_changed $T/typed link,mode,sha256,size,type" "file -> symlink: type_changed, changed lists type, link, mode, sha256, size"
has_line "$core" "type_changed $T/todir mode,sha256,size,type" "file -> directory: type_changed, changed lists type, mode, sha256, size"
has_line "$core" "moved $T/other/after " "moved: same inode and digest, nothing else changed"
has_line "$core" "created $T/new " "created: empty changed list"
has_line "$core" "deleted $T/gone " "deleted: empty changed list"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o.get("path") == sys.argv[1]: print(o["action"], o["old"] is None, o["new"]["type"])
    if o.get("path") == sys.argv[2]: print(o["action"], o["new"] is None, o["old"]["type"])
' "$T/new" "$T/gone" | sort | tr '\n' ' ')" "created True file deleted True file " "created has old null, deleted has new null"
# A directory's size follows its entries (which are reported themselves),
# not any content: $T/grow grew by 20 names of 200 bytes, more than one
# 4 KiB block, so its size changed on tmpfs and ext4 alike.
has_line "$core" "attributes_modified $T/grow size" "a directory that grew: attributes_modified, changed lists size"
is "$(printf '%s\n' "$out" | grep "\"path\":\"$T/grow\"" | python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["severity"])')" \
	"low" "a directory's size (and times) changing alone is low severity"
case $got in *"updated $T "*) ok 1 "the tree's top directory is not 'updated'" ;;
*) ok 0 "the tree's top directory is not 'updated'" ;; esac

# text output names the change and its attributes
text=$("$VIGIL" check --db "$DB")
contains "$text" "updated             $T/file [high]" "text output line"
contains "$text" "    sha256: " "text output shows old -> new"

# accept one path: only it stops being reported
"$VIGIL" accept --db "$DB" --quiet "$T/file"
ok $? "accept one path"
test -f "$DB.prev"; ok $? "accept keeps DB.prev"
got=$("$VIGIL" check --db "$DB" --json | changes)
case $got in *" $T/file "*) ok 1 "accepted path no longer reported" ;; *) ok 0 "accepted path no longer reported" ;; esac
contains "$got" "deleted $T/gone" "other changes still reported"
"$VIGIL" accept --db "$DB" --quiet /nonexistent/elsewhere 2>"$TMP/err"
is $? 2 "accept outside the selection: exit 2"

# update accepts everything, prints each change it accepted, and keeps
# the baseline it replaced as DB.prev
cp "$DB" "$TMP/before-update.db"
out=$("$VIGIL" update --db "$DB")
ok $? "update"
contains "$out" "deleted             $T/gone [medium]" "update prints an accepted deletion"
contains "$out" "updated             $T/link [high]" "update prints an accepted content change"
contains "$out" "update: " "update prints its summary"
cmp -s "$TMP/before-update.db" "$DB.prev"; ok $? "update keeps the previous baseline as DB.prev, byte for byte"
"$VIGIL" check --db "$DB.prev" --quiet
is $? 1 "DB.prev still reports the changes the update accepted"
"$VIGIL" check --db "$DB" --quiet
is $? 0 "check after update: clean"

# db show / verify
"$VIGIL" db show --db "$DB" --json "$T/file" | grep -q "\"path\":\"$T/file\""
ok $? "db show PATH --json"
"$VIGIL" db verify --db "$DB" >/dev/null
ok $? "db verify on a good database"

# corruption: flipped byte, truncation, wrong magic -> exit 3, naming the file
size=$(stat -c %s "$DB")
for case in flip trunc magic empty; do
	cp "$DB" "$TMP/bad.db"
	case $case in
	flip) printf '\001' | dd of="$TMP/bad.db" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	      # make sure the byte really changed
	      cmp -s "$DB" "$TMP/bad.db" && printf '\002' | dd of="$TMP/bad.db" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null ;;
	trunc) truncate -s $((size - 7)) "$TMP/bad.db" ;;
	magic) printf 'XIGIL' | dd of="$TMP/bad.db" bs=1 seek=0 conv=notrunc 2>/dev/null ;;
	empty) : > "$TMP/bad.db" ;;
	esac
	"$VIGIL" check --db "$TMP/bad.db" --quiet 2>"$TMP/err"
	is $? 3 "corrupt baseline ($case): exit 3"
	contains "$(cat "$TMP/err")" "$TMP/bad.db" "corrupt baseline ($case): message names the file"
done
"$VIGIL" check --db "$TMP/missing.db" --quiet 2>/dev/null
is $? 3 "missing baseline: exit 3"

# signatures
openssl genpkey -algorithm ed25519 -out "$TMP/k1" 2>/dev/null && openssl pkey -in "$TMP/k1" -pubout -out "$TMP/k1.pub"
openssl genpkey -algorithm ed25519 -out "$TMP/k2" 2>/dev/null && openssl pkey -in "$TMP/k2" -pubout -out "$TMP/k2.pub"
"$VIGIL" check --db "$DB" --pubkey "$TMP/k1.pub" --quiet 2>"$TMP/err"
is $? 3 "unsigned baseline with --pubkey: exit 3"
"$VIGIL" db sign --db "$DB" --key "$TMP/k1" --quiet
ok $? "db sign"
"$VIGIL" check --db "$DB" --pubkey "$TMP/k1.pub" --quiet
is $? 0 "signed baseline verifies with its key"
"$VIGIL" check --db "$DB" --pubkey "$TMP/k2.pub" --quiet 2>"$TMP/err"
is $? 3 "signature mismatch (other key): exit 3"
"$VIGIL" db verify --db "$DB" --pubkey "$TMP/k1.pub" >/dev/null
ok $? "db verify --pubkey"

# --root: image-relative paths, in-image symlink resolution
IMG=$TMP/img
mkdir -p "$IMG/usr/bin" "$IMG/etc"
printf 'bin\n' > "$IMG/usr/bin/tool"
ln -s /etc "$IMG/usr/bin/etc-link"
"$VIGIL" init --db "$TMP/img.db" --root "$IMG" --quiet /usr/bin
ok $? "init --root"
"$VIGIL" db show --db "$TMP/img.db" > "$TMP/show"
contains "$(cat "$TMP/show")" " /usr/bin/tool" "stored path is image-relative"
grep -q "$IMG" "$TMP/show"; is $? 1 "no host prefix stored"
"$VIGIL" check --db "$TMP/img.db" --root "$IMG" --quiet
is $? 0 "check --root on the same image: clean"

# relative PATHs, without --root, are relative to the current directory
(cd "$TMP" && "$VIGIL" init --db rel.db --quiet tree)
ok $? "init with a relative PATH"
"$VIGIL" db show --db "$TMP/rel.db" "$T/file" | grep -q " $T/file\$"
ok $? "the relative PATH is stored as an absolute path"
(cd "$T/sub" && "$VIGIL" init --db "$TMP/rel2.db" --quiet ../other/./)
ok $? "init with leading '..' components"
is "$("$VIGIL" db show --db "$TMP/rel2.db" --json | head -n 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["path"])')" \
	"$T/other" "leading '..' is resolved against the current directory"
(cd "$T" && "$VIGIL" init --db "$TMP/rel3.db" --quiet .)
ok $? "init ."
"$VIGIL" db show --db "$TMP/rel3.db" "$T" >/dev/null
ok $? "'.' is stored as the current directory"
(cd "$TMP" && "$VIGIL" init --db rel4.db --quiet tree/sub/../other) 2>"$TMP/err"
is $? 2 "'..' after a name is refused (exit 2)"
contains "$(cat "$TMP/err")" "tree/sub/../other: '..' after a name" "and the message says why"
test -e "$TMP/rel4.db"; is $? 1 "no baseline written"
(cd "$T" && "$VIGIL" db show --db "$TMP/rel.db" file) | grep -q " $T/file\$"
ok $? "db show with a relative PATH"
printf 'changed\n' > "$T/file"
(cd "$T" && "$VIGIL" accept --db "$TMP/rel.db" --quiet file)
ok $? "accept with a relative PATH"
"$VIGIL" check --db "$TMP/rel.db" --quiet
is $? 0 "the relative PATH accepted the right file"
"$VIGIL" init --root "$IMG" --db "$TMP/img2.db" --quiet usr/bin 2>"$TMP/err"
is $? 2 "with --root, a relative PATH is refused (exit 2)"
contains "$(cat "$TMP/err")" "usr/bin: with --root, PATHs are paths inside the image and must be absolute" "and the message says so"

# A file deleted during the scan does not abort it.  Only the contents go
# (the PATH itself must exist when vigil starts, or init rightly refuses
# it), and since rm can finish before the walk starts or start after it
# ended, repeat until one run saw a file vanish.
mkdir -p "$TMP/churn"
runs=0 vanished=0 bad=0
while [ $runs -lt 20 ] && [ $vanished -eq 0 ]; do
	runs=$((runs + 1))
	i=0; while [ $i -lt 3000 ]; do : > "$TMP/churn/f$i"; i=$((i + 1)); done
	"$VIGIL" init --db "$TMP/churn.db" --force --json --threads 1 "$TMP/churn" \
		>"$TMP/churn.out" 2>"$TMP/churn.err" &
	pid=$!
	find "$TMP/churn" -mindepth 1 -delete
	wait $pid
	rc=$?
	if [ $rc -ne 0 ]; then
		bad=$((bad + 1))
		echo "# run $runs: exit $rc"
		sed 's/^/#   /' "$TMP/churn.err" | head -n 5
	fi
	problems=$(summary_field problems < "$TMP/churn.out")
	grep -q ": vanished during scan: " "$TMP/churn.err" && [ "${problems:-0}" -gt 0 ] && vanished=1
done
is "$bad" 0 "files vanishing during the scan: init exits 0 every time ($runs runs)"
is "$vanished" 1 "a vanished file is a warning and counts as a problem in the summary"

# configuration errors: file:line, exit 2; unsafe permissions refused
printf '[vigil]\nthreads = many\n' > "$TMP/bad.conf"
"$VIGIL" check --config "$TMP/bad.conf" --db "$DB" 2>"$TMP/err"
is $? 2 "malformed config: exit 2"
contains "$(cat "$TMP/err")" "$TMP/bad.conf:2: threads" "malformed config: file:line"
printf '[watch a]\npath = /x\n[watch a]\npath = /y\n' > "$TMP/dup.conf"
"$VIGIL" init --config "$TMP/dup.conf" --db "$TMP/x.db" 2>"$TMP/err"
is $? 2 "duplicate section: exit 2"
contains "$(cat "$TMP/err")" "$TMP/dup.conf:3: duplicate section" "duplicate section: file:line"
printf '[watch t]\npath = %s\n' "$T" > "$TMP/ok.conf"
chmod 0664 "$TMP/ok.conf"
"$VIGIL" init --config "$TMP/ok.conf" --db "$TMP/c.db" --quiet 2>"$TMP/err"
is $? 2 "group-writable config refused as root"
contains "$(cat "$TMP/err")" "writable by group or others" "refusal says why"
chmod 0644 "$TMP/ok.conf"
chown nobody "$TMP/ok.conf"
"$VIGIL" init --config "$TMP/ok.conf" --db "$TMP/c.db" --quiet 2>"$TMP/err"
is $? 2 "config not owned by root refused as root (exit 2)"
contains "$(cat "$TMP/err")" "$TMP/ok.conf: refusing a configuration not owned by root" "refusal names the file and says why"
test -e "$TMP/c.db"; is $? 1 "no baseline written"
chown root "$TMP/ok.conf"
"$VIGIL" init --config "$TMP/ok.conf" --db "$TMP/c.db" --quiet
ok $? "init from a configuration file"
"$VIGIL" check --config "$TMP/ok.conf" --db "$TMP/c.db" --quiet
is $? 0 "check from a configuration file"
mkdir -p "$TMP/confdir"
chmod 0755 "$TMP/confdir"
"$VIGIL" check --config "$TMP/confdir" --db "$TMP/c.db" --quiet 2>"$TMP/err"
is $? 2 "--config DIR: exit 2"
contains "$(cat "$TMP/err")" "$TMP/confdir: is a directory" "--config DIR: the message names it"
"$VIGIL" check --config "$TMP/missing.conf" --db "$TMP/c.db" --quiet 2>"$TMP/err"
is $? 2 "missing --config FILE: exit 2 (a configuration error)"
contains "$(cat "$TMP/err")" "$TMP/missing.conf: No such file or directory" "missing --config FILE: the message names it"

# short options, as every --help and vigil(8) list them
mkdir -p "$TMP/short"
printf 's\n' > "$TMP/short/f"
"$VIGIL" init -d "$TMP/short.db" -q -t 1 "$TMP/short"
ok $? "init -d -q -t"
is "$("$VIGIL" init -fjd "$TMP/short.db" "$TMP/short" | summary_field command)" "init" "init -f -j -d, bundled"
"$VIGIL" check -qd "$TMP/short.db"
is $? 0 "check -q -d, bundled"
"$VIGIL" db sign -d "$TMP/short.db" -k "$TMP/k1" -q
ok $? "db sign -d -k -q"
"$VIGIL" check -d "$TMP/short.db" -p "$TMP/k1.pub" -q
is $? 0 "check -p with the right key"
"$VIGIL" check -d "$TMP/short.db" -p "$TMP/k2.pub" -q 2>/dev/null
is $? 3 "check -p with another key: exit 3"
"$VIGIL" db show -d "$TMP/short.db" -j "$TMP/short/f" | grep -q "\"path\":\"$TMP/short/f\""
ok $? "db show -d -j"
"$VIGIL" check -c "$TMP/ok.conf" -d "$TMP/c.db" -q
is $? 0 "check -c"
"$VIGIL" check -r "$IMG" -d "$TMP/img.db" -q
is $? 0 "check -r"
printf 's2\n' > "$TMP/short/f"
"$VIGIL" accept -d "$TMP/short.db" -q "$TMP/short/f" && "$VIGIL" update -d "$TMP/short.db" -q
ok $? "accept -d -q, update -d -q"
"$VIGIL" accept -h | grep -q "^Usage: vigil accept"
ok $? "accept -h"
"$VIGIL" db -h | grep -q "^Usage: vigil db"
ok $? "db -h"
"$VIGIL" check -k "$TMP/k1" -d "$TMP/short.db" 2>"$TMP/err"
is $? 2 "a short option the subcommand does not take: exit 2"
contains "$(cat "$TMP/err")" "vigil check --help" "and points at --help"

# progress: on standard error, only when it is a terminal, never with --quiet
if command -v script >/dev/null; then
	script -qec "'$VIGIL' init -d '$TMP/tty.db' -f '$T'" /dev/null </dev/null >"$TMP/tty.out" 2>&1
	grep -aq "$(printf '\033')\[K[0-9][0-9]* files  " "$TMP/tty.out"
	ok $? "on a terminal, a progress frame is drawn"
	script -qec "'$VIGIL' init -d '$TMP/tty.db' -f -q '$T'" /dev/null </dev/null >"$TMP/tty.out" 2>&1
	grep -aq " files  " "$TMP/tty.out"
	is $? 1 "on a terminal with --quiet, no progress"
else
	skip "script(1) missing (apt-get install bsdutils)"
	skip "script(1) missing (apt-get install bsdutils)"
fi
"$VIGIL" init -d "$TMP/tty.db" -f "$T" >/dev/null 2>"$TMP/err"
is "$(grep -c "$(printf '\033')\| files  " "$TMP/err")" 0 "without a terminal, no progress on stderr"

# usage errors
"$VIGIL" init --db "$TMP/none.db" --quiet "$TMP/does-not-exist" 2>"$TMP/err"
is $? 2 "init of a path that does not exist: exit 2"
contains "$(cat "$TMP/err")" "$TMP/does-not-exist: No such file or directory" "and says so"
test -e "$TMP/none.db"; is $? 1 "no baseline written"
"$VIGIL" frobnicate 2>/dev/null; is $? 2 "unknown command: exit 2"
"$VIGIL" check --bogus 2>/dev/null; is $? 2 "unknown option: exit 2"
# The option named in a usage error is the one at fault.
err=$("$VIGIL" check --bogus 2>&1)
contains "$err" "unknown option '--bogus'" "an unknown long option is named"
err=$("$VIGIL" check --json -xq 2>&1)
contains "$err" "unknown option '-x'" "an unknown letter in a bundle is named, not the option before it"
err=$("$VIGIL" check --json=yes 2>&1)
contains "$err" "option '--json=yes' takes no argument" "an argument to a flag is named"
err=$("$VIGIL" check --js=yes 2>&1)
contains "$err" "option '--js=yes' takes no argument" "... also for an abbreviated flag"
err=$("$VIGIL" check --json --db 2>&1)
contains "$err" "option '--db' needs an argument" "a missing argument names its option"
err=$("$VIGIL" check --json -qd 2>&1)
contains "$err" "option '-d' needs an argument" "... also in a bundle"
"$VIGIL" check --help | grep -q "Exit status"; ok $? "check --help"

# hostile file names cannot forge output lines
"$VIGIL" init --db "$DB" --force --quiet "$T"
: > "$T/$(printf 'evil\nFORGED')"
n=$("$VIGIL" check --db "$DB" --json | grep -c 'FORGED')
is "$n" 1 "a name with a newline is one JSON line"
"$VIGIL" check --db "$DB" --json | grep -q 'evil\\\\x0aFORGED'; ok $? "the newline is escaped as \\x0a"
"$VIGIL" check --db "$DB" | grep -q '^FORGED'; is $? 1 "no forged text line"

done_testing
