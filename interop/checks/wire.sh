#!/usr/bin/env bash
# On the wire, the proxy's multi-line replies are octet for octet Dovecot's: the same
# dot-stuffing, CRLFs and 8-bit data for STAT, LIST, UIDL and RETR/TOP/LIST n/UIDL n of
# every message in one session, and the same errors for bad commands, over pop3s and
# over plain pop3 with STLS.
# usage: wire.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: wire.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
direct=$workdir/direct
out=$workdir/out/${TAG:-plain/}wire
mkdir -p "$out"
failed=0

# The commands reference.sh sent to Dovecot for $direct/wire.
mapfile -t cmds < "$direct/wire.cmds"

for mode in implicit stls; do
  port=$PROXY_TLS
  [[ $mode == stls ]] && port=$PROXY_PLAIN
  name=${TAG}wire-$mode
  if ! python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$port" --tls "$mode" --ca "$PROXY_CA" \
      session "${cmds[@]}" > "$out/$mode" 2> "$out/$mode.err"; then
    fail "$name" "pop3.py session on port $port failed: $(first_line "$out/$mode.err")"
    failed=1
  elif same "$direct/wire" "$out/$mode" > /dev/null; then
    pass "$name"
  else
    fail "$name" "$(python3 "$here/replydiff.py" "$direct/wire" "$out/$mode" "${cmds[@]}")"
    failed=1
  fi
done
exit "$failed"
