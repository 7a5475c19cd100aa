#!/usr/bin/env bash
# IMAP group, deletions (erin's mailbox seeded afresh with six messages before each; plain
# POP3), each judged over IMAP once Dovecot has ended the proxy's session:
#   dele-hidden-until-quit           after DELE 2 and 5: STAT, LIST, UIDL leave them out;
#                                    RETR/TOP/DELE/LIST/UIDL of them -ERR; QUIT removes
#                                    exactly those two
#   dele-quit-removes-exactly-those  DELE 1, 4, 6, QUIT: exactly those UIDs are gone, the
#                                    others unchanged and not flagged \Deleted
#   dele-rset-quit-keeps-all         DELE 1, 3, RSET, QUIT: nothing removed, nothing flagged
#   dele-drop-keeps-all-unflagged    DELE 1, 2, 6, connection closed without QUIT: nothing
#                                    removed, no \Deleted flag left
#   dele-quit-spares-others-deleted  another client flags the 2nd message \Deleted; DELE of
#                                    the 4th and QUIT remove only the 4th (no bare EXPUNGE)
# usage: imap-dele.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-dele.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck erin plain dele
