#!/usr/bin/env bash
# Upstream TLS session resumption against a real Dovecot (dovecot-resume.sh: one pop3-login
# process, so its tickets are always its own): LOGINS sessions through popbridge, one after
# another, must cost one full handshake and LOGINS-1 resumed ones, as popbridge's
# popbridge_upstream_tls_handshakes_total counts them; every session must still log in.
# usage: tls-resumption.sh WORKDIR NAME PORT METRICS_PORT UPSTREAM_URL
#   (popbridge NAME listening on pop3://PROXY_HOST:PORT, metrics on 127.0.0.1:METRICS_PORT)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
usage="usage: tls-resumption.sh WORKDIR NAME PORT METRICS_PORT UPSTREAM_URL"
workdir=${1:?$usage}
name=${2:?$usage}
port=${3:?$usage}
metrics=${4:?$usage}
upstream=${5:?$usage}
logins=4
failed=0

for ((i = 1; i <= logins; i++)); do
  if ! out=$(python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$port" --timeout 20 session STAT 2>&1); then
    fail "${TAG}${name}-login-$i" "the session through popbridge failed: $(head -c 300 <<< "$out")"
    failed=1
  fi
done

count() { # count new|resumed: the counter's value for the upstream, 0 if absent
  curl -s --max-time 10 "http://127.0.0.1:$metrics/metrics" \
    | awk -v want="popbridge_upstream_tls_handshakes_total{route=\"$upstream\",session=\"$1\"}" \
      '$1 == want {printf "%d", $2; found = 1} END {if (!found) printf "0"}'
}
new=$(count new)
resumed=$(count resumed)
if [[ $new -eq 1 && $resumed -eq $((logins - 1)) ]]; then
  pass "${TAG}${name}-resumed"
else
  fail "${TAG}${name}-resumed" "$logins logins made $new new and $resumed resumed TLS sessions with $upstream (want 1 and $((logins - 1)))"
  failed=1
fi
exit "$failed"
