#!/usr/bin/env bash
# Filter group, what curl gets through popbridge (pop3s, and STLS with --ssl-reqd),
# compared with what Dovecot serves carol directly for the same message:
#   retr-clean-identical       the message no filter matches: byte for byte Dovecot's
#   retr-corpus-identical      alice's tricky corpus (dot lines, 8-bit, no final newline,
#                              headers only, 200 kB header block, 10 MB...): Dovecot's bytes
#   retr-tagged-LABEL          "Subject: [SPAM] ", X-Spam-Score and X-Spam-Rules with the
#                              expected score and rules, and nothing else changed
#   retr-internal-trace-removed  Dovecot's message minus both X-Internal-Trace fields
#   stls-retr-tagged           the same tagged bytes over STLS (--ssl-reqd)
#   top0-tagged-same-headers   TOP n 0 of each tagged message is RETR's header block
#   top0-untagged-identical    TOP n 0 of every other visible message is Dovecot's
# usage: filters-content.sh WORKDIR   (after reference.sh WORKDIR carol)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: filters-content.sh WORKDIR}
. "$here/filters-lib.sh"
out=$workdir/out/${TAG:-filters/}content
mkdir -p "$out"
failed=0
tls_url=pop3s://$PROXY_HOST:$PROXY_TLS
stls_url=pop3://$PROXY_HOST:$PROXY_PLAIN


corpus_problems=()
top_tagged=()
top_untagged=()
tagged_seen=0
first_tagged=
while read -r c u label; do
  ref=$fdirect/retr.$u
  got=$out/retr.$c
  if ! why=$(pcurl "$got" "$tls_url/$c"); then
    [[ $label == filter-* ]] && verdict "retr-${label#filter-}" "$why" || corpus_problems+=("$why")
    continue
  fi
  tag=$(expected_tag "$label")
  case $label in
    filter-clean)
      problems=()
      why=$(same "$ref" "$got") || problems+=("message $c: $why")
      verdict retr-clean-identical "${problems[@]}"
      ;;
    filter-internal-trace)
      problems=()
      why=$(filtercheck removed "$ref" "$got" X-Internal-Trace) || problems+=("message $c: $why")
      verdict retr-internal-trace-removed "${problems[@]}"
      ;;
    filter-*)
      problems=()
      if [[ -z $tag ]]; then
        problems+=("the check knows no tag for $label")
      else
        tagged_seen=$((tagged_seen + 1))
        [[ -n $first_tagged ]] || first_tagged=$c
        read -r score rules <<< "$tag"
        why=$(filtercheck tagged "$ref" "$got" "$score" "$rules") || problems+=("message $c: $why")
      fi
      verdict "retr-tagged-${label#filter-}" "${problems[@]}"
      ;;
    *)
      why=$(same "$ref" "$got") || corpus_problems+=("message $c ($label): $why")
      ;;
  esac
  # TOP n 0: a tagged message's header block as RETR has it; any other, Dovecot's.
  if why=$(pcurl "$out/top0.$c" "$tls_url/" -X "TOP $c 0"); then
    if [[ -n $tag ]]; then
      why=$(filtercheck same-head "$got" "$out/top0.$c") || top_tagged+=("message $c ($label): $why")
    elif [[ $label == filter-internal-trace ]]; then
      why=$(filtercheck same-head "$got" "$out/top0.$c") || top_untagged+=("message $c ($label): $why")
    else
      why=$(same "$fdirect/top0.$u" "$out/top0.$c") || top_untagged+=("message $c ($label): $why")
    fi
  else
    [[ -n $tag ]] && top_tagged+=("$why") || top_untagged+=("$why")
  fi
done < <(visible)

verdict retr-corpus-identical "${corpus_problems[@]}"
if [[ $tagged_seen -ne 3 ]]; then
  top_tagged+=("expected 3 tagged messages in the corpus, saw $tagged_seen")
fi
verdict top0-tagged-same-headers "${top_tagged[@]}"
verdict top0-untagged-identical "${top_untagged[@]}"

problems=()
if [[ -n $first_tagged ]]; then
  why=$(pcurl "$out/stls-retr.$first_tagged" --ssl-reqd "$stls_url/$first_tagged") \
    && why=$(same "$out/retr.$first_tagged" "$out/stls-retr.$first_tagged") \
    || problems+=("message $first_tagged: $why")
else
  problems+=("no tagged message was retrieved over pop3s")
fi
verdict stls-retr-tagged "${problems[@]}"
exit "$failed"
