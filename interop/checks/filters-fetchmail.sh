#!/usr/bin/env bash
# Filter group, fetchmail through popbridge over pop3s (sslcertck), as fetchmail.sh runs it
# ("set invisible", "no stripcr", an MDA that stores each message as it comes):
#   fetchmail-visible-only  it delivers the visible messages, in order, and never the hidden one
#   fetchmail-tagged        every message is what curl RETR gets through popbridge (so the
#                           three spam-tagged ones carry "Subject: [SPAM] " and X-Spam-Score),
#                           plus the header terminator fetchmail adds to a message without one
# usage: filters-fetchmail.sh WORKDIR   (after reference.sh WORKDIR carol)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: filters-fetchmail.sh WORKDIR}
. "$here/filters-lib.sh"
dir=$workdir/out/${TAG:-filters/}fetchmail
rm -rf "$dir"
mkdir -p "$dir/home" "$dir/mail" "$dir/expected"
failed=0
visible > "$dir/visible"
count=$(wc -l < "$dir/visible")

rc=0
fetch_with_fetchmail "$dir" "$PROXY_TLS" carol carol-secret 'ssl sslproto "tls1.2+"' || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "${TAG}fetchmail-visible-only" "$(fetchmail_failure "$dir" "$rc")"
  exit 1
fi

# The labels delivered, in order, against the visible ones.
for f in "$dir"/mail/*.eml; do
  tr -d '\r' < "$f" | sed -n 's/^X-Corpus: //p' | head -n 1
done > "$dir/labels.got"
awk '{ print $3 }' "$dir/visible" > "$dir/labels.expected"
if why=$(same "$dir/labels.expected" "$dir/labels.got"); then
  pass "${TAG}fetchmail-visible-only"
else
  fail "${TAG}fetchmail-visible-only" "delivered $(find "$dir/mail" -name '*.eml' | wc -l) messages, expected the $count visible ones ($(tr '\n' ' ' < "$dir/labels.got" | cut -c1-300)) $why"
  failed=1
fi

# What fetchmail should deliver: curl's RETR through popbridge, plus the header terminator
# if the message has none; and the tagged ones must be tagged.
problems=()
tagged=0
while read -r c _ label; do
  f=$(printf %03d "$c").eml
  if ! why=$(pcurl "$dir/expected/retr.$c" "pop3s://$PROXY_HOST:$PROXY_TLS/$c"); then
    problems+=("$why")
    continue
  fi
  python3 - "$dir/expected/retr.$c" "$dir/expected/$f" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
if b"\r\n\r\n" not in data and not data.startswith(b"\r\n"):
    data += b"\r\n"
open(sys.argv[2], "wb").write(data)
PY
  why=$(same "$dir/expected/$f" "$dir/mail/$f") || problems+=("message $c ($label): $why")
  if [[ -n $(expected_tag "$label") ]]; then
    tagged=$((tagged + 1))
    if ! grep -q $'^Subject: \[SPAM\] ' "$dir/mail/$f" || ! grep -q '^X-Spam-Score: ' "$dir/mail/$f"; then
      problems+=("message $c ($label) was delivered without the spam tag")
    fi
  elif grep -q $'^Subject: \[SPAM\]' "$dir/mail/$f" 2>/dev/null; then
    problems+=("message $c ($label) was delivered tagged")
  fi
done < "$dir/visible"
[[ $tagged -eq 3 ]] || problems+=("expected 3 tagged messages, the corpus has $tagged")
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}fetchmail-tagged"
else
  fail "${TAG}fetchmail-tagged" "$(IFS=';'; echo "${problems[*]}" | cut -c1-600)"
  failed=1
fi
exit "$failed"
