#!/usr/bin/env bash
# Starts or stops a private Dovecot on 127.0.0.1 (not the system service):
#   POP3+STLS 21110, POP3S 21995, IMAP 21143, IMAPS 21993; users alice, bob and carol
#   (carol's mailbox is the filter group's, seeded by filter-corpus.py), dave and erin
#   (the IMAP group's: dave's tricky corpus from imap-corpus.py, erin's small mailbox
#   seeded over IMAP by imapcheck.py), and frank@pop.test (the routes group's: a name with a
#   domain, for add-domain; a copy of alice's corpus from corpus.py).
#   With dovecot-submissiond installed, also SMTP submission on 21587 (STARTTLS) and 21465
#   (implicit TLS) for the SMTP group, relaying every message to 127.0.0.1:21525, where that
#   group runs its sink (smtpsink.py) while it needs it.
# usage: dovecot.sh start|stop WORKDIR
# The layout and the configuration are dovecot-lib.sh's, shared with bench/dovecot-bench.sh.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/dovecot-lib.sh"

action=${1:?usage: dovecot.sh start|stop WORKDIR}
workdir=$(cd "${2:?usage: dovecot.sh start|stop WORKDIR}" && pwd)
ports=(21110 21995 21143 21993)
submission=()
if [[ -x /usr/lib/dovecot/submission-login ]]; then
  ports+=(21587 21465)
  submission=(--submission 21587 --submissions 21465 --relay-port 21525)
fi

start() {
  dovecot_prepare dovecot.sh "$workdir" "${ports[@]}"

  cat > "$workdir/dovecot/users" <<USERS
alice:{PLAIN}alice-secret
bob:{PLAIN}bob-secret
carol:{PLAIN}carol-secret
dave:{PLAIN}dave-secret
erin:{PLAIN}erin-secret
frank@pop.test:{PLAIN}frank-secret
USERS
  chmod 644 "$workdir/dovecot/users"

  dovecot_conf --workdir "$workdir" --instance popbridge-interop \
    --about "popbridge interop tests" --generated-by dovecot.sh \
    --pop3 "${ports[0]}" --pop3s "${ports[1]}" --imap "${ports[2]}" --imaps "${ports[3]}" \
    --userip-connections 100 "${submission[@]}" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot.sh "$workdir" ;;
  *) echo "usage: dovecot.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
