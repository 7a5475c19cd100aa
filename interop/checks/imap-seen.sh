#!/usr/bin/env bash
# IMAP group, \Seen (erin's mailbox seeded afresh; plain POP3): RETR 1, TOP 2 0, TOP 3 5,
# TOP 4 1000000, RETR 5, QUIT; then over IMAP:
#   seen-retr-marks          (IMAP_MARK_SEEN=yes, the default) both RETRed messages are \Seen
#   seen-retr-leaves-unseen  (IMAP_MARK_SEEN=no, mark-seen: false) neither is
#   seen-top-never-marks     no message read only by TOP, nor the one not read, is \Seen
# usage: imap-seen.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-seen.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck erin plain seen --mark-seen "$IMAP_MARK_SEEN"
