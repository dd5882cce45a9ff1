#!/bin/sh
# inotify with too few watches allowed: vigild says so, naming
# fs.inotify.max_user_watches, and still watches what it can.  The limit
# is lowered in a private user namespace (user.max_inotify_watches), so
# the host's setting is untouched.
. "$VIGIL_SRCDIR/tests/integration/lib.sh"
require_root
unshare -U -r true 2>/dev/null || skip_all "cannot create a user namespace"
[ -e /proc/sys/user/max_inotify_watches ] || skip_all "no per-namespace inotify limit (Linux < 5.11)"

W=$TMP/w
for d in 1 2 3 4 5 6 7 8 9 10; do mkdir -p "$W/d$d"; echo x >"$W/d$d/f"; done
echo top >"$W/top"
printf '[vigil]\ndatabase = %s/db\n[daemon]\nmonitor = inotify\ndebounce = 50ms\naudit_interval = 0\n' \
	"$TMP" >"$TMP/vigil.conf"
chmod 600 "$TMP/vigil.conf"
check "baseline created" -- "$VIGIL" init --config "$TMP/vigil.conf" --db "$TMP/db" --force --quiet "$W"
chown -R 0:0 "$TMP"

cat >"$TMP/inner.sh" <<'EOS'
echo 4 >/proc/sys/user/max_inotify_watches || exit 1
timeout -s KILL 20 "$VIGILD" --foreground --log-target=json --config "$TMP/vigil.conf" --db "$TMP/db" \
	--watch "$TMP/w" --state-file "$TMP/state" 2>"$TMP/err" &
pid=$!
i=0
while ! grep -q '"VIGIL_ACTION":"started"' "$TMP/err" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
echo changed >>"$TMP/w/top"
i=0
while ! grep -q '"VIGIL_PATH":"'"$TMP"'/w/top"' "$TMP/err" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
EOS
TMP=$TMP VIGILD=$VIGILD unshare -U -r sh "$TMP/inner.sh"
ok $? "vigild ran and stopped cleanly with 4 watches allowed"
err=$(cat "$TMP/err")
contains "$err" "fs.inotify.max_user_watches" "the warning names fs.inotify.max_user_watches"
contains "$err" "needs about 12 watches" "the warning says how many are needed"
contains "$err" '"VIGIL_PATH":"'"$TMP"'/w/top"' "a watched directory still reports changes"
done_testing
