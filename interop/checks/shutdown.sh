#!/usr/bin/env bash
# Stopping popbridge loses no mail and is graceful: with a client session holding
# DELE 1 (no QUIT), SIGTERM makes popbridge close the client when its grace period
# ends, close its upstream session without QUIT (bob's mailbox is unchanged) and exit.
# Start popbridge with a short --shutdown-grace (run.sh uses 5s): popbridge.sh stop
# allows 20 s after SIGTERM. With --idle, no session is open and popbridge must
# simply exit in time.
# usage: shutdown.sh WORKDIR NAME [--idle]   (NAME as given to popbridge.sh start)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: shutdown.sh WORKDIR NAME}
name=${2:?usage: shutdown.sh WORKDIR NAME}
idle=${3:-}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
out=$workdir/out/${TAG:-plain/}shutdown
mkdir -p "$out"
failed=0

direct_bob() {
  python3 "$here/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" \
    --user bob --password bob-secret session "$@"
}

if [[ $idle == --idle ]]; then
  if bash "$here/popbridge.sh" stop "$workdir" "$name"; then
    pass "${TAG}sigterm-stop-idle"
    exit 0
  fi
  fail "${TAG}sigterm-stop-idle" "popbridge, with no session open, was still running 20 s after SIGTERM; killed"
  exit 1
fi

direct_bob STAT UIDL > "$out/before"
ended=$(sessions_ended "$workdir" bob)

python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_TLS" --tls implicit --ca "$PROXY_CA" \
  --user bob --password bob-secret --timeout 40 session --end hold "DELE 1" \
  > "$out/held" 2> "$out/held.err" &
held=$!
trap 'kill "$held" 2>/dev/null || true' EXIT
for ((i = 0; i < 50; i++)); do
  [[ -s $out/held ]] && break
  alive "$held" || break
  sleep 0.2
done
held_reply=$(sed -n 1p "$out/held" | tr -d '\r')

stopped=0
bash "$here/popbridge.sh" stop "$workdir" "$name" || stopped=$?
if [[ $stopped -eq 0 ]]; then
  pass "${TAG}sigterm-stop"
else
  fail "${TAG}sigterm-stop" "popbridge was still running 20 s after SIGTERM (one session open, short grace period); killed"
  failed=1
fi

# The held client must see its connection closed (bounded by its own 40 s timeout).
held_open=0
for ((i = 0; i < 100; i++)); do
  alive "$held" || break
  sleep 0.2
done
if alive "$held"; then
  kill "$held" 2>/dev/null || true
  held_open=1
fi
wait "$held" 2>/dev/null || true

name2=${TAG}noloss-proxy-shutdown
if [[ $held_reply != "+OK" ]]; then
  fail "$name2" "DELE 1 through the proxy got \"$held_reply\" $(first_line "$out/held.err")"
  failed=1
elif [[ $held_open -eq 1 ]]; then
  fail "$name2" "the client connection was still open 20 s after popbridge got SIGTERM"
  failed=1
elif ! wait_sessions_ended "$workdir" bob "$ended"; then
  fail "$name2" "the upstream session to Dovecot was still open after popbridge stopped"
  failed=1
else
  direct_bob STAT UIDL > "$out/after"
  if same "$out/before" "$out/after" > /dev/null; then
    pass "$name2"
  else
    fail "$name2" "bob's mailbox changed: $(sed -n 1p "$out/before" | tr -d '\r') -> $(sed -n 1p "$out/after" | tr -d '\r')"
    failed=1
  fi
fi
exit "$failed"
