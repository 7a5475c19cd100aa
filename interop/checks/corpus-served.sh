#!/usr/bin/env bash
# Checks that Dovecot serves the corpus as generated (LF made CRLF, a missing final
# line end added), so the tricky octets really reach the clients in the other checks.
# usage: corpus-served.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: corpus-served.sh WORKDIR}
direct=$workdir/direct
failed=0

# Message N is the Nth file by name; Dovecot numbers new mail in file-name order.
mapfile -t files < <(find "$workdir/mail/alice/new" "$workdir/mail/alice/cur" -type f -name '17*' \
  -printf '%f %p\n' | sort | cut -d' ' -f2-)
count=$(cat "$direct/count")
if [[ ${#files[@]} -ne $count ]]; then
  fail "${TAG}corpus-served" "alice has ${#files[@]} files but Dovecot lists $count messages"
  exit 1
fi

while read -r n label; do
  expected=$workdir/direct/expected.$n
  python3 - "${files[n - 1]}" "$expected" <<'PY'
import sys
data = open(sys.argv[1], "rb").read().replace(b"\n", b"\r\n")
if not data.endswith(b"\r\n"):
    data += b"\r\n"
open(sys.argv[2], "wb").write(data)
PY
  if ! why=$(same "$expected" "$direct/retr.$n"); then
    fail "${TAG}corpus-served" "curl RETR $n ($label) from Dovecot differs from the corpus file: $why"
    failed=1
  fi
done < "$direct/labels"
if [[ $failed -eq 0 ]]; then
  pass "${TAG}corpus-served"
fi
exit "$failed"
