#!/usr/bin/env bash
# fetchmail through the proxy, over implicit TLS (pop3s) and over STLS, with strict
# certificate checks, delivers every message exactly as Dovecot serves it.
# fetchmail runs with "set invisible" (no Received: header of its own) and
# "no stripcr" (CRLF kept), so its MDA gets the message octets as sent. The one thing
# it still adds is the empty line that ends a header block when a message has no body
# separator at all; the expected copy gets that same line, and nothing else changes.
# usage: fetchmail.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: fetchmail.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
direct=$workdir/direct
base=$workdir/out/${TAG:-plain/}fetchmail
mkdir -p "$base"
failed=0
count=$(cat "$direct/count")

# What fetchmail should deliver for message N: the direct RETR, plus the header
# terminator if the message has none.
mkdir -p "$direct/fetchmail"
for ((n = 1; n <= count; n++)); do
  python3 - "$direct/retr.$n" "$direct/fetchmail/$(printf %03d "$n").eml" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
if b"\r\n\r\n" not in data and not data.startswith(b"\r\n"):
    data += b"\r\n"
open(sys.argv[2], "wb").write(data)
PY
done

run_fetchmail() {
  local mode=$1 port=$2 tlsopts=$3
  local dir=$base/$mode name=${TAG}fetchmail-$mode
  rm -rf "$dir"
  local rc=0
  fetch_with_fetchmail "$dir" "$port" alice alice-secret "$tlsopts" || rc=$?
  if [[ $rc -ne 0 ]]; then
    fail "$name" "$(fetchmail_failure "$dir" "$rc")"
    failed=1
    return
  fi
  local got
  got=$(find "$dir/mail" -name '*.eml' | wc -l)
  if [[ $got -ne $count ]]; then
    fail "$name" "delivered $got messages, expected $count"
    failed=1
    return
  fi
  local problems=() n f why
  for ((n = 1; n <= count; n++)); do
    f=$(printf %03d "$n").eml
    why=$(same "$direct/fetchmail/$f" "$dir/mail/$f") || problems+=("message $n: $why")
  done
  if [[ ${#problems[@]} -eq 0 ]]; then
    pass "$name"
  else
    fail "$name" "$(IFS=';'; echo "${problems[*]}")"
    failed=1
  fi
}

run_fetchmail pop3s "$PROXY_TLS" 'ssl sslproto "tls1.2+"'
# Without "ssl", sslproto makes STLS mandatory.
run_fetchmail stls "$PROXY_PLAIN" 'sslproto "tls1.2+"'
exit "$failed"
