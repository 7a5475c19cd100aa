#!/usr/bin/env bash
# No truncated message looks complete: while a client reads the 10 MB message through
# the proxy, Dovecot's POP3 process for that session is killed. The client must get a
# prefix of the message and a closed connection, never the terminating "." after a
# short body (a complete, exact message is acceptable only if all of it had arrived).
# usage: truncation.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: truncation.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
direct=$workdir/direct
out=$workdir/out/${TAG:-plain/}truncation
mkdir -p "$out"
name=${TAG}truncation-upstream-dies
log=$workdir/dovecot/dovecot.log

# The largest message.
msg=$(sort -k2 -n "$direct/list" | tail -n 1 | cut -d' ' -f1)
rm -f "$out/go"
logins_before=$(logins "$workdir" alice)
python3 "$here/slowretr.py" --host "$PROXY_HOST" --port "$PROXY_TLS" --ca "$PROXY_CA" \
  --msg "$msg" --pause-after 262144 --go-file "$out/go" --out "$out/got" > "$out/reader" 2>&1 &
reader=$!
trap 'kill "$reader" 2>/dev/null || true' EXIT
for ((i = 0; i < 150; i++)); do
  grep -q . "$out/reader" && break
  alive "$reader" || break
  sleep 0.2
done
first=$(sed -n 1p "$out/reader")
if [[ $first != paused ]]; then
  fail "$name" "the reader did not get 256 kB of RETR $msg: ${first:-no answer in 30 s}"
  exit 1
fi
if [[ $(logins "$workdir" alice) -le $logins_before ]]; then
  fail "$name" "no upstream login for alice seen in Dovecot's log"
  exit 1
fi
# The session's mail process is the mpid of alice's newest login.
mpid=$(grep 'Login: user=<alice>' "$log" | tail -n 1 | sed -n 's/.*mpid=\([0-9]*\).*/\1/p')
if [[ -z $mpid ]] || ! kill -KILL "$mpid" 2>/dev/null; then
  fail "$name" "could not kill Dovecot's pop3 process (mpid ${mpid:-unknown})"
  exit 1
fi
touch "$out/go"
# The reader ends by itself: connection closed, or its own 30 s timeout.
for ((i = 0; i < 200; i++)); do
  alive "$reader" || break
  sleep 0.2
done
wait "$reader" 2>/dev/null || true
how=$(sed -n 2p "$out/reader")

[[ -f $out/got ]] || : > "$out/got"
verdict=$(python3 - "$direct/wire" "$out/got" <<'PY' || true
import sys
wire, got = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
nl = got.find(b"\r\n")
if nl < 0 or not got.startswith(b"+OK"):
    print(f"bad: the reply does not start with +OK: {got[:60]!r}")
    sys.exit()
body = got[nl + 2:]
# The direct transcript holds "+OK\r\n" + the dot-stuffed body of every RETR: the
# expected body is the one that starts like the body received.
start = wire.find(b"+OK\r\n" + body[:4096])
if start < 0:
    print("bad: the first octets of the body are not the message's")
    sys.exit()
end = wire.find(b"\r\n.\r\n", start) + 5
expected = wire[start + 5:end]
if body == expected:
    print("complete: the whole message arrived, exact")
elif body.endswith(b"\r\n.\r\n"):
    print(f"bad: a truncated body ({len(body)} of {len(expected)} octets) ends with the terminating '.'")
elif not expected.startswith(body):
    print(f"bad: the {len(body)} octets received are not a prefix of the message")
else:
    print(f"ok: {len(body)} of {len(expected)} octets, no terminator")
PY
)
case $how:$verdict in
  closed*:ok*) pass "$name" ;;
  closed*:complete*) pass "$name" ;;
  timeout*:*) fail "$name" "the client connection was still open 30 s after the upstream died ($verdict)" ;;
  *) fail "$name" "reader: ${how:-no answer}; $verdict" ;;
esac
[[ $verdict != bad* && $how == closed* ]]
