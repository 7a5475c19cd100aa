#!/usr/bin/env bash
# Filter group, deletions through a renumbered maildrop (python3 poplib through popbridge
# over pop3s). The target is the first visible message after the hidden one, so its
# number for the client is one less than Dovecot's:
#   dele-drop-keeps-all          DELE, then the connection dropped without QUIT: Dovecot's
#                                UIDL listing afterwards is unchanged
#   dele-quit-removes-exactly-it DELE, QUIT: Dovecot's UIDL listing afterwards is the one
#                                before without that message's UID: the hidden message and
#                                every other one are still there
# Each is judged by a direct session once Dovecot has logged the proxy's session as ended.
# Changes carol's mailbox: run.sh re-seeds it after this check.
# usage: filters-dele.sh WORKDIR   (after reference.sh WORKDIR carol)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: filters-dele.sh WORKDIR}
. "$here/filters-lib.sh"
out=$workdir/out/${TAG:-filters/}dele
mkdir -p "$out"
failed=0

hidden=$(hidden_number)
read -r client upstream label < <(visible | awk -v h="$hidden" '$2 > h' | head -n 1)

# poplib_dele END: through popbridge, checks UIDL CLIENT (and that STAT counts one fewer
# than Dovecot), DELE CLIENT, then QUIT (END=quit) or closes the socket without QUIT
# (END=drop). Prints the UID popbridge gave for CLIENT.
poplib_dele() {
  python3 - "$PROXY_HOST" "$PROXY_TLS" "$PROXY_CA" "$client" "$1" <<'PY'
import poplib, ssl, sys
host, port, ca, n, end = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
p = poplib.POP3_SSL(host, port, context=ssl.create_default_context(cafile=ca), timeout=30)
p.user("carol")
p.pass_("carol-secret")
uid = p.uidl(n).split()[2].decode()
reply = p.dele(n)
if not reply.startswith(b"+OK"):
    sys.exit(f"DELE {n}: {reply!r}")
if end == "quit":
    p.quit()
else:
    p.close()
print(uid)
PY
}

# scenario NAME END: before/after direct UIDL listings in $out/NAME.{before,after}; prints
# the UID popbridge named, or why it could not run.
scenario() {
  local name=$1 end=$2 ended uid
  # Counted before the direct session, which ends too: the proxy's is the one after it.
  ended=$(sessions_ended "$workdir" carol)
  direct_pop3 session UIDL > "$out/$name.before"
  if ! uid=$(poplib_dele "$end" 2> "$out/$name.err"); then
    echo "poplib through popbridge failed: $(tail -n 1 "$out/$name.err")"
    return 1
  fi
  if ! wait_sessions_ended "$workdir" carol "$((ended + 1))"; then
    echo "the upstream session to Dovecot was still open 10 s after the client left"
    return 1
  fi
  direct_pop3 session UIDL > "$out/$name.after"
  echo "$uid"
}

# uid_of N FILE: the UID of Dovecot's message N in a saved UIDL reply.
uid_of() { tr -d '\r' < "$2" | awk -v n="$1" '$1 == n { print $2 }'; }
# uids FILE: the UIDs in a saved UIDL reply, one a line, in order.
uids() { tr -d '\r' < "$1" | awk 'NF == 2 { print $2 }'; }

name=dele-drop-keeps-all
if ! why=$(scenario "$name" drop); then
  fail "${TAG}$name" "$why"
  failed=1
elif ! why=$(same "$out/$name.before" "$out/$name.after"); then
  fail "${TAG}$name" "carol's mailbox changed after DELE $client and a drop: $why"
  failed=1
else
  pass "${TAG}$name"
fi

name=dele-quit-removes-exactly-it
if ! uid=$(scenario "$name" quit); then
  fail "${TAG}$name" "$uid"
  failed=1
else
  target=$(uid_of "$upstream" "$out/$name.before")
  hidden_uid=$(uid_of "$hidden" "$out/$name.before")
  uids "$out/$name.before" | grep -vxF "$target" > "$out/$name.expected" || true
  uids "$out/$name.after" > "$out/$name.got"
  if [[ $uid != "$target" ]]; then
    fail "${TAG}$name" "UIDL $client through popbridge gave $uid, but the message after the hidden one ($label, Dovecot's $upstream) is $target"
    failed=1
  elif ! why=$(same "$out/$name.expected" "$out/$name.got"); then
    fail "${TAG}$name" "after DELE $client and QUIT, Dovecot holds $(wc -l < "$out/$name.got") messages, expected every one but $target ($label): $why"
    failed=1
  elif ! grep -qxF "$hidden_uid" "$out/$name.got"; then
    fail "${TAG}$name" "the hidden message ($hidden_uid) is gone"
    failed=1
  else
    pass "${TAG}$name"
  fi
fi
exit "$failed"
