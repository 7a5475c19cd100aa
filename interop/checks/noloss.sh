#!/usr/bin/env bash
# No mail is lost: deletions reach Dovecot only on QUIT. On bob's mailbox, through the
# proxy over pop3s:
#   (a) DELE 1 and drop the connection without QUIT -> still there;
#   (b) DELE 1, RSET, QUIT -> still there;
#   (c) DELE 1, QUIT -> one message fewer, and its UIDL is gone.
# Each is judged by a direct session to Dovecot after the proxy's upstream session
# has ended (seen in Dovecot's log).
# usage: noloss.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: noloss.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
out=$workdir/out/${TAG:-plain/}noloss
mkdir -p "$out"
failed=0

direct_bob() {
  python3 "$here/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" \
    --user bob --password bob-secret session "$@"
}
proxy_bob() {
  python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_TLS" --tls implicit \
    --ca "$PROXY_CA" --user bob --password bob-secret session "$@"
}
# scenario NAME EXPECTED_PROXY_REPLIES SESSION_ARGS...: runs the proxy session and
# leaves the before/after state of bob's mailbox in $out/NAME.{before,after}.
scenario() {
  local name=$1 expected=$2; shift 2
  direct_bob STAT "UIDL 1" UIDL > "$out/$name.before"
  local ended
  ended=$(sessions_ended "$workdir" bob)
  if ! proxy_bob "$@" > "$out/$name.proxy" 2> "$out/$name.err"; then
    echo "proxy session failed: $(first_line "$out/$name.err")"
    return 1
  fi
  if [[ $(tr -d '\r' < "$out/$name.proxy" | tr '\n' ' ') != "$expected" ]]; then
    echo "proxy replied \"$(tr -d '\r' < "$out/$name.proxy" | tr '\n' ' ')\", expected \"$expected\""
    return 1
  fi
  if ! wait_sessions_ended "$workdir" bob "$ended"; then
    echo "the upstream session to Dovecot was still open 10 s after the client left"
    return 1
  fi
  direct_bob STAT "UIDL 1" UIDL > "$out/$name.after"
}

# The first message's unique id in a saved "STAT, UIDL 1, UIDL" transcript.
uid_of_first() { sed -n 2p "$1" | tr -d '\r' | cut -d' ' -f3; }
count_of() { sed -n 1p "$1" | tr -d '\r' | cut -d' ' -f2; }

check_unchanged() {
  local name=$1; shift
  local why
  if ! why=$(scenario "$name" "$@"); then
    fail "${TAG}$name" "$why"
    failed=1
  elif ! why=$(same "$out/$name.before" "$out/$name.after"); then
    fail "${TAG}$name" "bob's mailbox changed: STAT $(count_of "$out/$name.before") -> $(count_of "$out/$name.after")"
    failed=1
  else
    pass "${TAG}$name"
  fi
}

check_unchanged noloss-drop-after-dele "+OK " --end drop "DELE 1"
check_unchanged noloss-dele-rset-quit "+OK +OK +OK " --end quit "DELE 1" RSET

name=noloss-dele-quit
if ! why=$(scenario "$name" "+OK +OK " --end quit "DELE 1"); then
  fail "${TAG}$name" "$why"
  failed=1
else
  before=$(count_of "$out/$name.before")
  after=$(count_of "$out/$name.after")
  uid=$(uid_of_first "$out/$name.before")
  if [[ $after -ne $((before - 1)) ]]; then
    fail "${TAG}$name" "STAT went from $before to $after messages, expected $((before - 1))"
    failed=1
  elif tr -d '\r' < "$out/$name.after" | sed '1,2d' | grep -q " $uid\$"; then
    fail "${TAG}$name" "the deleted message's UIDL $uid is still listed"
    failed=1
  else
    pass "${TAG}$name"
  fi
fi
exit "$failed"
