#!/usr/bin/env bash
# IMAP group, the maildrop as POP3 lists it, against what Dovecot's IMAP reports
# (FETCH 1:* (UID RFC822.SIZE), UIDVALIDITY), over plain POP3:
#   stat-matches-imap               STAT: the message count and the sum of RFC822.SIZE (dave)
#   list-is-rfc822-size             LIST: 1..n in UID order, each with its RFC822.SIZE
#   uidl-is-uidvalidity-uid         UIDL: "UIDVALIDITY.UID" for each, in UID order
#   list-uidl-single                LIST n and UIDL n of the first and last; past the end -ERR
#   listing-stable-across-sessions  a second session lists the same
#   listing-uid-gap                 erin, a message expunged in the middle (a hole in the
#                                   UIDs): numbers stay 1..n, everything as above
# usage: imap-listing.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-listing.sh WORKDIR}
. "$here/imap-lib.sh"
failed=0

imapcheck dave plain listing || failed=1
if ! why=$(imapcheck erin plain seed 5 --gap 2 2>&1); then
  fail "${TAG}listing-uid-gap" "seeding erin's mailbox failed: $(echo "$why" | tail -n 1)"
  exit 1
fi
imapcheck erin plain listing --aggregate listing-uid-gap || failed=1
exit "$failed"
