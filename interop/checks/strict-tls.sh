#!/usr/bin/env bash
# Strict TLS by default: popbridge started WITHOUT --upstream-ca in front of Dovecot's
# test-CA certificate must refuse the upstream. A client's PASS never gets +OK (it gets
# -ERR or the connection closes), no exception text reaches the client, and Dovecot
# never sees alice log in.
# usage: strict-tls.sh WORKDIR   (popbridge running with an unverifiable upstream)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: strict-tls.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
failed=0

check() {
  local name=${TAG}$1 port=$2 tls=$3 before outcome
  before=$(logins "$workdir" alice)
  outcome=$(python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$port" --tls "$tls" \
    --ca "$PROXY_CA" --timeout 20 login-outcome)
  sleep 0.5
  case $outcome in
    ok*)
      fail "$name" "PASS got +OK through an upstream whose certificate cannot be verified"
      failed=1 ;;
    timeout*)
      fail "$name" "no answer within 20 s ($outcome): neither -ERR nor a closed connection"
      failed=1 ;;
    tls-error*)
      fail "$name" "the client's own TLS handshake with popbridge failed: $outcome"
      failed=1 ;;
    *Exception*|*java.*|*javax.*|*sun.security*|*netty*)
      fail "$name" "exception text reached the client: $outcome"
      failed=1 ;;
    *)
      if [[ $(logins "$workdir" alice) -ne $before ]]; then
        fail "$name" "client got \"$outcome\", but Dovecot logged alice in: the password went to an unverified server"
        failed=1
      else
        pass "$name"
      fi ;;
  esac
}

check strict-tls-pop3s "$PROXY_TLS" implicit
check strict-tls-plain "$PROXY_PLAIN" none
exit "$failed"
