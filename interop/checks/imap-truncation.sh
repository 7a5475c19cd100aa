#!/usr/bin/env bash
# IMAP group, no truncated message looks complete (invariant 2) with an IMAP upstream: while
# a client reads dave's largest message (10 MB) over pop3s, Dovecot's process serving the
# session's IMAP connection (the mpid of dave's newest login) is killed after 256 KiB:
#   truncation-upstream-dies  the client gets a prefix of the message, dot-stuffed as Dovecot's
#                             bytes would be, and a closed connection, never the terminating
#                             "." after a short body (the whole exact message is accepted
#                             only if all of it had arrived)
# usage: imap-truncation.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-truncation.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck dave tls truncation
