#!/usr/bin/env bash
# Issue 3 end to end: a certificate from popbridge's own local CA (certs init/issue/show)
# served on two implicit-TLS listeners, one with the legacy profile. openssl s_client
# must complete TLS 1.0 and 1.1 handshakes, verified against the local CA, on the legacy
# listener only; the modern listener must refuse them and accept TLS 1.2; curl through
# the modern listener, trusting only the local CA, gets Dovecot's bytes.
# usage: legacy-tls.sh WORKDIR   (after reference.sh; starts and stops its own popbridge)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: legacy-tls.sh WORKDIR}
jar=${POPBRIDGE_JAR:-$here/../proxy/target/popbridge.jar}
out=$workdir/out/${TAG:-}legacy
state=$workdir/local-ca-state
legacy_port=22996
modern_port=22997
mkdir -p "$out"
failed=0
pid=

cleanup() {
  [[ -n $pid ]] && stop_pid "$pid" 20 >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the local CA ---------------------------------------------------------------------
if java -jar "$jar" certs init --state-dir "$state" > "$out/init.log" 2>&1 \
    && java -jar "$jar" certs issue --state-dir "$state" --name localhost --ip 127.0.0.1 > "$out/issue.log" 2>&1 \
    && java -jar "$jar" certs show "$state/localhost.crt" > "$out/show.log" 2>&1 \
    && grep -q 'IP addresses: 127.0.0.1' "$out/show.log" \
    && [[ $(stat -c %a "$state/ca/ca.key") == 600 ]]; then
  pass "${TAG}certs-init-issue-show"
else
  fail "${TAG}certs-init-issue-show" "$(cat "$out"/*.log | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
  exit 1
fi
if [[ $(java -jar "$jar" certs init --state-dir "$state" > /dev/null 2>&1; echo $?) -ne 0 ]]; then
  pass "${TAG}certs-init-refuses-overwrite"
else
  fail "${TAG}certs-init-refuses-overwrite" "a second certs init succeeded"
  failed=1
fi
ca=$state/ca/ca.crt

# --- popbridge with a legacy and a modern listener --------------------------------------
cat > "$out/popbridge.yaml" <<YAML
listen:
  - url: pop3s://127.0.0.1:$legacy_port
    tls:
      profile: legacy
  - pop3s://127.0.0.1:$modern_port
upstream:
  url: pop3s://localhost:$DIRECT_TLS
  ca: $workdir/tls/ca.crt
tls:
  cert: $state/localhost.crt
  key: $state/localhost.key
state-dir: $state
shutdown-grace: 2s
YAML
java -jar "$jar" --config "$out/popbridge.yaml" > "$workdir/legacy-tls.log" 2>&1 < /dev/null &
pid=$!
if ! wait_port 127.0.0.1 "$legacy_port" 30 "$pid" || ! wait_port 127.0.0.1 "$modern_port" 30 "$pid"; then
  fail "${TAG}start" "popbridge --config $out/popbridge.yaml did not listen: $(tail -n 5 "$workdir/legacy-tls.log" | tr '\n' ' ' | cut -c1-300)"
  exit 1
fi
pass "${TAG}start"

# handshake NAME PORT EXPECT(ok|refused) PROTOCOL-FLAG [EXPECTED-VERSION]
handshake() {
  local name=$1 port=$2 expect=$3 flag=$4 version=${5:-} log=$out/$1.log rc=0
  { sleep 1; printf 'USER alice\r\nPASS alice-secret\r\nSTAT\r\nQUIT\r\n'; sleep 2; } \
    | timeout 30 openssl s_client -connect "127.0.0.1:$port" "$flag" -cipher 'DEFAULT@SECLEVEL=0' \
      -CAfile "$ca" -verify_return_error -verify_ip 127.0.0.1 -brief -ign_eof > "$log" 2>&1 || rc=$?
  tr -d '\r\000' < "$log" > "$log.txt"
  if [[ $expect == ok ]]; then
    if [[ $rc -eq 0 ]] && grep -q "^Protocol version: $version\$" "$log.txt" \
        && grep -q '^Verification: OK' "$log.txt" && [[ $(grep -cE '^ *\+OK' "$log.txt") -ge 4 ]]; then
      pass "${TAG}$name"
    else
      fail "${TAG}$name" "expected a verified $version session with 4 +OK: rc=$rc $(grep -E 'Protocol|Verification|error|ERR' "$log.txt" | head -n 3 | tr '\n' ' ' | cut -c1-300)"
      failed=1
    fi
  else
    if [[ $rc -ne 0 ]] && ! grep -q '^Protocol version:' "$log.txt"; then
      pass "${TAG}$name"
    else
      fail "${TAG}$name" "expected the handshake to be refused: rc=$rc $(grep -E 'Protocol|Cipher' "$log.txt" | head -n 2 | tr '\n' ' ')"
      failed=1
    fi
  fi
}

handshake legacy-tls1 "$legacy_port" ok -tls1 TLSv1
handshake legacy-tls1_1 "$legacy_port" ok -tls1_1 TLSv1.1
handshake legacy-tls1_2 "$legacy_port" ok -tls1_2 TLSv1.2
handshake legacy-tls1_3 "$legacy_port" ok -tls1_3 TLSv1.3
handshake modern-refuses-tls1 "$modern_port" refused -tls1
handshake modern-refuses-tls1_1 "$modern_port" refused -tls1_1
handshake modern-tls1_2 "$modern_port" ok -tls1_2 TLSv1.2

# curl through the modern listener, trusting only the local CA, gets Dovecot's bytes.
if curl -s --max-time 30 --cacert "$ca" -u alice:alice-secret "pop3s://127.0.0.1:$modern_port/1" -o "$out/retr1" \
    && reason=$(same "$workdir/direct/retr.1" "$out/retr1"); then
  pass "${TAG}curl-local-ca"
else
  fail "${TAG}curl-local-ca" "${reason:-curl failed}"
  failed=1
fi

if grep -qE 'alice-secret' "$workdir/legacy-tls.log"; then
  fail "${TAG}log-no-passwords" "a password appears in popbridge's log"
  failed=1
else
  pass "${TAG}log-no-passwords"
fi
exit "$failed"
