#!/usr/bin/env bash
# IMAP group, real clients download dave's tricky corpus through popbridge from the IMAP
# upstream; the reference is Dovecot's IMAP (imapcheck.py reference: BODY.PEEK[] of each UID
# in UID order, a missing final CRLF added; RFC822.SIZE; "UIDVALIDITY.UID"):
#   curl-list         curl pop3:// LIST: "N RFC822.SIZE" for each message, in UID order
#   curl-uidl         curl pop3:// UIDL: "N UIDVALIDITY.UID"
#   curl-retr-corpus  curl pop3://.../N for every message: byte for byte the reference
#   fetchmail-corpus  fetchmail over pop3s (sslcertck, "set invisible", "no stripcr", as
#                     fetchmail.sh runs it) delivers every message in order: the reference,
#                     plus the header terminator fetchmail adds to a message without one
# usage: imap-clients.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-clients.sh WORKDIR}
. "$here/imap-lib.sh"
out=$workdir/out/${TAG:-imap/}clients
ref=$out/reference
rm -rf "$out"
mkdir -p "$out"
failed=0
url=pop3://$PROXY_HOST:$PROXY_PLAIN

if ! why=$(imapcheck dave plain reference "$ref" 2>&1); then
  fail "${TAG}clients-reference" "reading dave's mailbox over IMAP failed: $(echo "$why" | tail -n 1)"
  exit 1
fi
count=$(cat "$ref/count")


problems=()
why=$(icurl "$out/list" "$url/") && why=$(same "$ref/list" "$out/list") || problems+=("$why")
verdict curl-list "${problems[@]}"
problems=()
why=$(icurl "$out/uidl" "$url/" -X UIDL) && why=$(same "$ref/uidl" "$out/uidl") || problems+=("$why")
verdict curl-uidl "${problems[@]}"

problems=()
while read -r n label; do
  why=$(icurl "$out/retr.$n" "$url/$n") && why=$(same "$ref/retr.$n" "$out/retr.$n") \
    || problems+=("message $n ($label): $why")
done < "$ref/labels"
verdict curl-retr-corpus "${problems[@]}"

dir=$out/fetchmail
mkdir -p "$dir/expected"
rc=0
fetch_with_fetchmail "$dir" "$PROXY_TLS" dave dave-secret 'ssl sslproto "tls1.2+"' || rc=$?
problems=()
if [[ $rc -ne 0 ]]; then
  problems+=("$(fetchmail_failure "$dir" "$rc")")
elif [[ $(find "$dir/mail" -name '*.eml' | wc -l) -ne $count ]]; then
  problems+=("delivered $(find "$dir/mail" -name '*.eml' | wc -l) messages, expected $count")
else
  # What fetchmail should deliver: the reference, plus the header terminator if it has none.
  python3 - "$ref" "$dir/expected" "$count" <<'PY'
import sys
ref, expected, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(1, count + 1):
    data = open(f"{ref}/retr.{n}", "rb").read()
    if b"\r\n\r\n" not in data and not data.startswith(b"\r\n"):
        data += b"\r\n"
    open(f"{expected}/{n:03d}.eml", "wb").write(data)
PY
  while read -r n label; do
    f=$(printf %03d "$n").eml
    why=$(same "$dir/expected/$f" "$dir/mail/$f") || problems+=("message $n ($label): $why")
  done < "$ref/labels"
fi
verdict fetchmail-corpus "${problems[@]}"
exit "$failed"
