#!/usr/bin/env bash
# Filter group, listings. Run it first after popbridge starts, so its first session numbers
# the maildrop with nothing cached.
#   filters-hidden-*: STAT, LIST and UIDL through popbridge show one message fewer than
#     Dovecot; UIDL is Dovecot's UIDL without the hidden message's, renumbered; the numbers
#     past the end (where the hidden one would count) answer -ERR.
#   filters-list-exact-sizes: LIST gives, for every visible message, the octets curl
#     receives for it (RETR, unstuffed, CRLF counted): tagged and edited messages included.
#     Where Dovecot's own LIST differs from what it sends (a message without a final
#     newline gets a CRLF added, which Dovecot's size leaves out), popbridge keeps that
#     same difference and no other.
#   filters-stat-total: STAT is the number of visible messages and the sum of their LIST sizes.
#   filters-listing-stable: a later session, with the outcomes cached, lists the same.
# usage: filters-listing.sh WORKDIR   (after reference.sh WORKDIR carol)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: filters-listing.sh WORKDIR}
. "$here/filters-lib.sh"
out=$workdir/out/${TAG:-filters/}listing
mkdir -p "$out"
failed=0

# The first session: nothing of carol's is in the verdict cache yet.
if ! proxy_pop3 session STAT LIST UIDL > "$out/proxy.1" 2> "$out/proxy.1.err"; then
  fail "${TAG}listing" "STAT LIST UIDL through popbridge failed: $(first_line "$out/proxy.1.err")"
  exit 1
fi
direct_pop3 session STAT LIST UIDL > "$out/direct"
filtercheck listing "$out/proxy.1" > "$out/proxy.1.txt"
filtercheck listing "$out/direct" > "$out/direct.txt"
visible > "$out/visible"
hidden=$(hidden_number)
if [[ -z $hidden ]]; then
  fail "${TAG}hidden-stat-list-uidl" "the reference has no $hidden_label message: the corpus is wrong"
  exit 1
fi

# --- the hidden message ---------------------------------------------------------------
count() { grep -c "^$1 " "$2" || true; }
dstat=$(sed -n 's/^stat \([0-9]*\) .*/\1/p' "$out/direct.txt")
pstat=$(sed -n 's/^stat \([0-9]*\) .*/\1/p' "$out/proxy.1.txt")
problems=()
[[ $pstat -eq $((dstat - 1)) ]] || problems+=("STAT says $pstat messages, Dovecot $dstat")
[[ $(count list "$out/proxy.1.txt") -eq $((dstat - 1)) ]] \
  || problems+=("LIST has $(count list "$out/proxy.1.txt") lines, Dovecot $dstat")
[[ $(count uidl "$out/proxy.1.txt") -eq $((dstat - 1)) ]] \
  || problems+=("UIDL has $(count uidl "$out/proxy.1.txt") lines, Dovecot $dstat")
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}hidden-stat-list-uidl"
else
  fail "${TAG}hidden-stat-list-uidl" "$(IFS=';'; echo "${problems[*]}")"
  failed=1
fi

# Dovecot's UIDL without the hidden message's line, renumbered 1..n.
grep '^uidl ' "$out/direct.txt" | awk -v h="$hidden" '$2 != h { n++; print "uidl", n, $3 }' > "$out/uidl.expected"
grep '^uidl ' "$out/proxy.1.txt" > "$out/uidl.got"
if why=$(same "$out/uidl.expected" "$out/uidl.got"); then
  pass "${TAG}hidden-uidl-renumbered"
else
  fail "${TAG}hidden-uidl-renumbered" "UIDL through popbridge is not Dovecot's without message $hidden, renumbered ($why; see $out/uidl.*)"
  failed=1
fi

# Past the end: the numbers the client has not got answer -ERR, like any unknown number.
# The session ends without QUIT, so a DELE that wrongly succeeded deletes nothing.
last=$((dstat - 1))
proxy_pop3 session --end drop "LIST $dstat" "UIDL $dstat" "RETR $dstat" "TOP $dstat 0" "DELE $dstat" "LIST $last" \
  > "$out/past-end" 2> "$out/past-end.err" || true
expected=$(printf '%s\r\n' -ERR -ERR -ERR -ERR -ERR "+OK $last $(awk -v n="$last" '$1 == "list" && $2 == n { print $3 }' "$out/proxy.1.txt")")
if [[ $(cat "$out/past-end") == "$expected" ]]; then
  pass "${TAG}hidden-not-addressable"
else
  fail "${TAG}hidden-not-addressable" "LIST/UIDL/RETR/TOP/DELE $dstat, LIST $last got \"$(tr -d '\r' < "$out/past-end" | tr '\n' ' ' | cut -c1-200)\""
  failed=1
fi

# --- sizes ------------------------------------------------------------------------------
problems=()
sum=0
while read -r c u label; do
  why=$(pcurl "$out/retr.$c" "pop3s://$PROXY_HOST:$PROXY_TLS/$c") || { problems+=("$why"); continue; }
  got=$(stat -c %s "$out/retr.$c")
  listed=$(awk -v n="$c" '$1 == "list" && $2 == n { print $3 }' "$out/proxy.1.txt")
  dlisted=$(awk -v n="$u" '$1 == "list" && $2 == n { print $3 }' "$out/direct.txt")
  dgot=$(stat -c %s "$fdirect/retr.$u")
  # Dovecot's own difference between its LIST and what it sends (0 but for a missing final newline).
  offset=$((dgot - dlisted))
  if [[ $listed != $((got - offset)) ]]; then
    problems+=("message $c ($label): LIST says $listed, RETR gave $got octets (Dovecot: LIST $dlisted, RETR $dgot)")
  fi
  sum=$((sum + ${listed:-0}))
done < "$out/visible"
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}list-exact-sizes"
else
  fail "${TAG}list-exact-sizes" "$(IFS=';'; echo "${problems[*]}" | cut -c1-600)"
  failed=1
fi

stat_line=$(grep '^stat ' "$out/proxy.1.txt")
if [[ $stat_line == "stat $(wc -l < "$out/visible") $sum" ]]; then
  pass "${TAG}stat-total"
else
  fail "${TAG}stat-total" "STAT says \"${stat_line#stat }\", expected $(wc -l < "$out/visible") messages and $sum octets (the sum of LIST)"
  failed=1
fi

# --- again, with every outcome cached ------------------------------------------------------
if proxy_pop3 session STAT LIST UIDL > "$out/proxy.2" 2> "$out/proxy.2.err" \
    && why=$(same "$out/proxy.1" "$out/proxy.2"); then
  pass "${TAG}listing-stable"
else
  fail "${TAG}listing-stable" "a second session's STAT/LIST/UIDL differ from the first's: ${why:-$(first_line "$out/proxy.2.err")}"
  failed=1
fi
exit "$failed"
