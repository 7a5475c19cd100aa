#!/usr/bin/env bash
# IMAP group, a message expunged by another IMAP client in the middle of a POP3 session
# (erin's mailbox seeded afresh with six messages; pop3s): the session RETRs message 1, then
# another client expunges the 3rd message (UID STORE \Deleted, UID EXPUNGE):
#   expunged-retr-err                RETR 3 and TOP 3 0 get -ERR
#   expunged-others-still-exact      RETR 1, 2, 4, 5, 6 and TOP 6 1 still byte for byte
#   expunged-dele-quit-still-commit  DELE 5 and QUIT get +OK; afterwards IMAP holds exactly
#                                    the other four, none flagged \Deleted
# usage: imap-expunged.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-expunged.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck erin tls expunged
