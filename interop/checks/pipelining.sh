#!/usr/bin/env bash
# Pipelining (RFC 2449): commands sent in one write after login get complete replies,
# in order, equal to Dovecot's replies to the same commands sent one at a time.
# usage: pipelining.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: pipelining.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
out=$workdir/out/${TAG:-plain/}pipelining
mkdir -p "$out"
failed=0

# check NAME PORT TLS CMD...
check() {
  local name=$1 port=$2 tls=$3; shift 3
  python3 "$here/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" \
    session "$@" > "$out/$name.direct"
  local why
  if ! python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$port" --tls "$tls" --ca "$PROXY_CA" \
      session --pipeline "$@" > "$out/$name.proxy" 2> "$out/$name.err"; then
    fail "${TAG}$name" "pipelined session on port $port failed: $(first_line "$out/$name.err")"
    failed=1
  elif ! why=$(same "$out/$name.direct" "$out/$name.proxy"); then
    fail "${TAG}$name" "pipelined replies differ from Dovecot's one at a time: $why; $(python3 "$here/replydiff.py" "$out/$name.direct" "$out/$name.proxy" "$@")"
    failed=1
  else
    pass "${TAG}$name"
  fi
}

check pipelining-pop3s "$PROXY_TLS" implicit STAT LIST UIDL NOOP
check pipelining-plain "$PROXY_PLAIN" none STAT LIST UIDL NOOP
# Message bodies between short replies: dot lines, no final newline, a large message,
# an error in the middle.
check pipelining-retr "$PROXY_TLS" implicit \
  "RETR 2" NOOP "TOP 7 0" "RETR 7" "LIST 3" "RETR 11" "UIDL 5" "RETR 9999" "TOP 12 2" STAT "RETR 12" NOOP
# A client may pipeline from the start, login included, when CAPA lists PIPELINING.
if python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_PLAIN" session --no-login CAPA \
    2>/dev/null | tr -d '\r' | grep -qx PIPELINING; then
  check pipelining-login "$PROXY_TLS" implicit --no-login "USER alice" "PASS alice-secret" STAT "UIDL 1" NOOP
fi
exit "$failed"
