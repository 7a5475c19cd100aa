#!/usr/bin/env bash
# No command injection across STLS (DESIGN invariant 7): "STLS\r\nCAPA\r\n" sent in one
# write on the plain port; after the TLS handshake the client must see only the reply
# to the CAPA it sends inside TLS, never one to the CAPA sent in the clear.
# Dovecot itself answers this by failing the handshake (safe, but not what popbridge
# documents), so run.sh runs this check against popbridge only.
# usage: stls-injection.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
: "${1:?usage: stls-injection.sh WORKDIR}"
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
name=${TAG}stls-injection

outcome=$(python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_PLAIN" --ca "$PROXY_CA" \
  --timeout 20 stls-injection)
case $outcome in
  clean*) pass "$name" ;;
  *) fail "$name" "$outcome"; exit 1 ;;
esac
