#!/usr/bin/env bash
# Records what Dovecot itself serves to alice, directly, into WORKDIR/direct: the
# reference that every check compares the proxy against. With USER (carol, for the
# filter group), that user's mailbox goes to WORKDIR/direct-USER.
# usage: reference.sh WORKDIR [USER]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
workdir=${1:?usage: reference.sh WORKDIR}
user=${2:-alice}
out=$workdir/direct
[[ $user == alice ]] || out=$workdir/direct-$user
rm -rf "$out"
mkdir -p "$out"

url=pop3://$DIRECT_HOST:$DIRECT_PLAIN
c() { curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 -u "$user:$user-secret" "$@"; }

c "$url/" -o "$out/list"
c "$url/" -X UIDL -o "$out/uidl"
count=$(grep -c . "$out/list")
: > "$out/labels"
wire_cmds=(STAT LIST UIDL)
for ((n = 1; n <= count; n++)); do
  c "$url/$n" -o "$out/retr.$n"
  c "$url/" -X "TOP $n 5" -o "$out/top5.$n"
  c "$url/" -X "TOP $n 0" -o "$out/top0.$n"
  label=$(tr -d '\r' < "$out/top0.$n" | sed -n 's/^X-Corpus: //p' | head -n 1)
  echo "$n ${label:-unlabelled}" >> "$out/labels"
  wire_cmds+=("RETR $n" "TOP $n 0" "TOP $n 5" "LIST $n" "UIDL $n")
done
# Errors and odd arguments too: replies compare as "-ERR" whatever their text.
wire_cmds+=("RETR 0" "RETR $((count + 1))" "TOP 2" "TOP 2 x" "TOP 2 -1" "LIST $((count + 1))"
  "UIDL 0" "LIST 99999999999999999999" "XYZZY" "NOOP" "RSET" "STAT")
printf '%s\n' "${wire_cmds[@]}" > "$out/wire.cmds"
python3 "$here/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" \
  --user "$user" --password "$user-secret" session "${wire_cmds[@]}" > "$out/wire"
echo "$count" > "$out/count"
