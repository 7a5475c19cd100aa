# shellcheck shell=bash
# Shared by the IMAP group's checks (checks/imap-*.sh, issue 5); source it after lib.sh with
# $workdir set. The group is popbridge serving POP3 from Dovecot's IMAP on PROXY_PLAIN
# (pop3, STLS offered) and PROXY_TLS (pop3s), which run.sh points at 22130/22131 (upstream
# imap://127.0.0.1:21143) and 22132/22133 (upstream imaps://localhost:21993, mark-seen off);
# with --direct, at Dovecot's own POP3. Its users are dave (the tricky corpus, imap-corpus.py;
# only its \Seen flags change) and erin (small messages, seeded afresh over IMAP by each
# check that changes them). The reference is what Dovecot's IMAP reports (imapcheck.py).
#   IMAP_UIDL       popbridge ("UIDVALIDITY.UID", the default) or dovecot (Dovecot's POP3
#                   UIDL format, for --direct)
#   IMAP_MARK_SEEN  yes (the default) or no: whether RETR must set \Seen
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
: "${workdir:?set workdir before sourcing imap-lib.sh}"
: "${DIRECT_IMAP:=21143}" "${IMAP_UIDL:=popbridge}" "${IMAP_MARK_SEEN:=yes}"
ihere=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# dave's corpus files as imap-corpus.py wrote them (LF line ends), in UID order.
# shellcheck disable=SC2034 # used by the checks that source this file
imap_originals=$workdir/imap/originals

# imapcheck USER plain|tls COMMAND ARGS...: interop/imapcheck.py as USER, its POP3 client
# on PROXY_PLAIN (plain POP3) or PROXY_TLS (implicit TLS, verified with PROXY_CA), its IMAP
# client on Dovecot's plain IMAP port; check names prefixed with TAG.
imapcheck() {
  local user=$1 transport=$2 port=$PROXY_PLAIN tls=none
  shift 2
  if [[ $transport == tls ]]; then
    port=$PROXY_TLS tls=implicit
  fi
  python3 "$ihere/imapcheck.py" --pop3-host "$PROXY_HOST" --pop3-port "$port" --pop3-tls "$tls" \
    --pop3-ca "$PROXY_CA" --imap-port "$DIRECT_IMAP" --user "$user" --workdir "$workdir" \
    --tag "${TAG:-}" --uidl "$IMAP_UIDL" "$@"
}

# icurl FILE ARGS...: curl as dave into FILE; on error prints why.
icurl() {
  local file=$1; shift
  if ! curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 --cacert "$PROXY_CA" \
      -u dave:dave-secret -o "$file" "$@" 2> "$file.err"; then
    echo "curl $* failed: $(first_line "$file.err")"
    return 1
  fi
}
