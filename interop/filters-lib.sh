# shellcheck shell=bash
# Shared by the filter group's checks (checks/filters-*.sh); source it after lib.sh with
# $workdir set. The group is carol's mailbox (filter-corpus.py) through a popbridge run
# with interop/filters.yaml on PROXY_PLAIN/PROXY_TLS (run.sh points them at 22120/22121);
# the reference is what Dovecot serves carol directly (reference.sh WORKDIR carol).
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
: "${workdir:?set workdir before sourcing filters-lib.sh}"
fdirect=$workdir/direct-carol
fhere=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The message filters.yaml hides, by its X-Corpus label.
hidden_label=filter-quarantine

# expected_tag LABEL: "SCORE RULES" for a message spam-tag must tag, nothing otherwise.
expected_tag() {
  case $1 in
    filter-blocked-sender) echo "6 blocked-sender" ;;
    filter-spam-flag) echo "10 upstream-says-spam" ;;
    filter-flag-and-sender) echo "16 upstream-says-spam,blocked-sender" ;;
  esac
}

# visible: "CLIENT_NUMBER UPSTREAM_NUMBER LABEL" for each message the client should see,
# in order: Dovecot's messages without the hidden one, renumbered.
visible() {
  awk -v hidden="$hidden_label" '$2 != hidden { n++; print n, $1, $2 }' "$fdirect/labels"
}

# hidden_number: Dovecot's number of the hidden message.
hidden_number() {
  awk -v hidden="$hidden_label" '$2 == hidden { print $1 }' "$fdirect/labels"
}

# pcurl FILE ARGS...: curl as carol through popbridge into FILE; on error prints why.
pcurl() {
  local file=$1; shift
  if ! curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 --cacert "$PROXY_CA" \
      -u carol:carol-secret -o "$file" "$@" 2> "$file.err"; then
    echo "curl $* failed: $(first_line "$file.err")"
    return 1
  fi
}

# proxy_pop3 ARGS...: pop3.py as carol through popbridge over pop3s.
proxy_pop3() {
  python3 "$fhere/pop3.py" --host "$PROXY_HOST" --port "$PROXY_TLS" --tls implicit \
    --ca "$PROXY_CA" --user carol --password carol-secret "$@"
}

# direct_pop3 ARGS...: pop3.py as carol straight to Dovecot.
direct_pop3() {
  python3 "$fhere/pop3.py" --host "$DIRECT_HOST" --port "$DIRECT_PLAIN" \
    --user carol --password carol-secret "$@"
}

# filtercheck ARGS...: interop/filtercheck.py.
filtercheck() {
  python3 "$fhere/filtercheck.py" "$@"
}
