#!/usr/bin/env bash
# Sessions do not mix: six curl clients at once (pop3s and STLS) each RETR a different
# large or tricky message through the proxy and each gets exactly Dovecot's octets.
# usage: concurrent.sh WORKDIR   (after reference.sh)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: concurrent.sh WORKDIR}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
direct=$workdir/direct
out=$workdir/out/${TAG:-plain/}concurrent
mkdir -p "$out"
name=${TAG}concurrent-retr

# The three largest messages and three tricky small ones, by label.
mapfile -t big < <(sort -k2 -n -r "$direct/list" | head -n 3 | cut -d' ' -f1)
mapfile -t small < <(awk '$2 ~ /^(dot-lines|eight-bit|no-final-newline-dot)$/ {print $1}' "$direct/labels")
msgs=("${big[@]}" "${small[@]}")

pids=()
for i in "${!msgs[@]}"; do
  n=${msgs[i]}
  if ((i % 2)); then
    url=(--ssl-reqd "pop3://$PROXY_HOST:$PROXY_PLAIN/$n")
  else
    url=("pop3s://$PROXY_HOST:$PROXY_TLS/$n")
  fi
  curl -q -sS --noproxy "*" --max-time 90 --connect-timeout 10 --cacert "$PROXY_CA" -u alice:alice-secret \
    -o "$out/$i.$n" "${url[@]}" 2> "$out/$i.$n.err" &
  pids+=($!)
done

problems=()
for i in "${!msgs[@]}"; do
  n=${msgs[i]}
  if ! wait "${pids[i]}"; then
    problems+=("RETR $n: curl failed: $(first_line "$out/$i.$n.err")")
  elif ! why=$(same "$direct/retr.$n" "$out/$i.$n"); then
    problems+=("RETR $n: $why")
  fi
done
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "$name"
else
  fail "$name" "$(IFS=';'; echo "${problems[*]}")"
  exit 1
fi
