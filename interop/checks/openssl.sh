#!/usr/bin/env bash
# openssl s_client completes a verified TLS handshake with the proxy, via STLS on the
# plain port and implicitly on the pop3s port, and a typed USER/PASS/STAT/QUIT gets
# +OK answers with Dovecot's STAT figures; the plain port's CAPA lists STLS.
# usage: openssl.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: openssl.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
out=$workdir/out/${TAG:-plain/}openssl
mkdir -p "$out"
failed=0

expected_stat=$(python3 "$here/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" session STAT \
  | sed -n 1p | tr -d "\r")

# Types the commands a little apart, as a person at s_client would.
typed_session() {
  sleep 1
  for line in "USER alice" "PASS alice-secret" "STAT" "QUIT"; do
    printf '%s\r\n' "$line"
    sleep 0.3
  done
  sleep 2
}

s_client() {
  local name=$1; shift
  local log=$out/$name.log rc=0
  typed_session | timeout 30 openssl s_client "$@" -CAfile "$PROXY_CA" \
    -verify_return_error -verify_ip "$PROXY_HOST" -brief -ign_eof > "$log" 2>&1 || rc=$?
  # s_client's own lines mixed with the server's; NULs it prints are dropped.
  tr -d '\r\000' < "$log" > "$log.txt"
  local oks
  oks=$(grep -cE '^ *\+OK' "$log.txt" || true)
  if [[ $rc -ne 0 ]]; then
    fail "${TAG}$name" "openssl s_client exited $rc: $(grep -vE '^ *\+OK' "$log.txt" | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
  elif ! grep -q '^Verification: OK' "$log.txt"; then
    fail "${TAG}$name" "certificate not verified: $(grep -i verif "$log.txt" | head -n 2 | tr '\n' ' ')"
  elif grep -q -- '-ERR' "$log.txt"; then
    fail "${TAG}$name" "got $(grep -- '-ERR' "$log.txt" | head -n 1)"
  elif ! grep -qxF "$expected_stat" <(sed 's/^ *//' "$log.txt"); then
    fail "${TAG}$name" "no STAT reply equal to Dovecot's \"$expected_stat\""
  elif [[ $oks -lt 4 ]]; then
    fail "${TAG}$name" "only $oks +OK replies to USER/PASS/STAT/QUIT"
  else
    pass "${TAG}$name"
    return 0
  fi
  failed=1
}

s_client openssl-starttls -starttls pop3 -connect "$PROXY_HOST:$PROXY_PLAIN"
s_client openssl-pop3s -connect "$PROXY_HOST:$PROXY_TLS"

if ! python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_PLAIN" \
    session --no-login CAPA > "$out/capa" 2> "$out/capa.err"; then
  fail "${TAG}capa-stls" "CAPA on port $PROXY_PLAIN failed: $(first_line "$out/capa.err")"
  failed=1
elif tr -d '\r' < "$out/capa" | grep -qx 'STLS'; then
  pass "${TAG}capa-stls"
else
  fail "${TAG}capa-stls" "CAPA on port $PROXY_PLAIN does not list STLS: $(tr -d '\r' < "$out/capa" | tr '\n' ' ')"
  failed=1
fi
exit "$failed"
