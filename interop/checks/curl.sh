#!/usr/bin/env bash
# curl through the proxy gets exactly what curl gets from Dovecot directly:
# RETR, TOP n 5 and TOP n 0 of every corpus message over pop3s, RETR over pop3 with
# STLS (--ssl-reqd), and the LIST and UIDL listings.
# usage: curl.sh WORKDIR   (after reference.sh; PROXY_* and PROXY_CA from the environment)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: curl.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
direct=$workdir/direct
out=$workdir/out/${TAG:-plain/}curl
mkdir -p "$out"
failed=0

tls_url=pop3s://$PROXY_HOST:$PROXY_TLS
stls_url=pop3://$PROXY_HOST:$PROXY_PLAIN

# fetch FILE ARGS...: curl through the proxy into FILE; on error prints why.
fetch() {
  local file=$1; shift
  if ! curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 --cacert "$PROXY_CA" \
      -u alice:alice-secret -o "$file" "$@" 2> "$file.err"; then
    echo "curl $* failed: $(first_line "$file.err")"
    return 1
  fi
}

# compare NAME DIRECT_FILE ARGS...: fetch through the proxy and cmp with the direct copy.
compare() {
  local name=$1 ref=$2; shift 2
  local got=$out/$name why
  why=$(fetch "$got" "$@") && why=$(same "$ref" "$got") && return 0
  echo "$name ($*): $why"
  return 1
}

check_listing() {
  local name=$1 ref=$2; shift 2
  if why=$(compare "$name" "$ref" "$@"); then
    pass "${TAG}curl-$name"
  else
    fail "${TAG}curl-$name" "$why"
    failed=1
  fi
}

check_listing list "$direct/list" "$tls_url/"
check_listing uidl "$direct/uidl" "$tls_url/" -X UIDL
check_listing stls-list "$direct/list" --ssl-reqd "$stls_url/"

while read -r n label; do
  problems=()
  why=$(compare "retr.$n" "$direct/retr.$n" "$tls_url/$n") || problems+=("$why")
  why=$(compare "top5.$n" "$direct/top5.$n" "$tls_url/" -X "TOP $n 5") || problems+=("$why")
  why=$(compare "top0.$n" "$direct/top0.$n" "$tls_url/" -X "TOP $n 0") || problems+=("$why")
  why=$(compare "stls-retr.$n" "$direct/retr.$n" --ssl-reqd "$stls_url/$n") || problems+=("$why")
  if [[ ${#problems[@]} -eq 0 ]]; then
    pass "${TAG}curl-msg-$n-$label"
  else
    fail "${TAG}curl-msg-$n-$label" "$(IFS=';'; echo "${problems[*]}")"
    failed=1
  fi
done < "$direct/labels"
exit "$failed"
