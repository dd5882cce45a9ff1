#!/bin/sh
# The journald catalog documents every MESSAGE_ID of src/lib/message-ids.h
# and journalctl accepts it (compiled into a private root, not the host's).
. "$VIGIL_SRCDIR/tests/integration/lib.sh"

command -v journalctl >/dev/null || skip_all "journalctl not installed"
R=$TMP/root
mkdir -p "$R/usr/lib/systemd/catalog" "$R/var/lib/systemd/catalog"
cp "$VIGIL_SRCDIR/contrib/vigil.catalog" "$R/usr/lib/systemd/catalog/"
check "journalctl --update-catalog accepts vigil.catalog" -- journalctl --root="$R" --update-catalog
list=$(journalctl --root="$R" --list-catalog 2>&1)
ids=$(sed -n 's/^#define VIGIL_MID_[A-Z_]*[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$VIGIL_SRCDIR/src/lib/message-ids.h")
n=0
for id in $ids; do
	n=$((n + 1))
	contains "$list" "$id " "catalog documents $id"
done
ok $([ "$n" -ge 18 ] && echo 0 || echo 1) "message-ids.h lists every class ($n)"
entries=$(grep -c '^-- [0-9a-f]\{32\}$' "$VIGIL_SRCDIR/contrib/vigil.catalog")
is "$entries" "$n" "no catalog entry without a MESSAGE_ID in message-ids.h"
done_testing
