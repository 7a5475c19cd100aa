#!/usr/bin/env bash
# IMAP group, message content over pop3s (dave's tricky corpus: dot lines, 8-bit octets,
# 998-octet lines, no final newline, headers only, a 200 kB header block, 1.5 MB of dot
# lines, a 10 MB attachment), one session:
#   retr-NN-LABEL           RETR NN, unstuffed, is byte for byte Dovecot's BODY.PEEK[] of the
#                           NN-th UID (a missing final CRLF added, as RFC 1939 requires), and
#                           that is the original file with CRLF line ends
#   top-NN-LABEL            TOP NN k for k = 0, 1, 5, 1000000 (IMAP_TOP_LINES, comma-separated,
#                           overrides them): the header block, its empty line and the first k
#                           body lines of BODY.PEEK[], byte for byte (a message without an empty
#                           line is all header block: TOP gives it whole, adding nothing, as
#                           Dovecot's POP3 does)
#   out-of-range-err        RETR/TOP/LIST/DELE past the end and RETR 0 get -ERR
#   pipelined-same-replies  STAT, LIST, UIDL, TOP, RETR, LIST n, UIDL n, NOOP in one write
#                           get the same replies, in order, as one at a time
# usage: imap-content.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-content.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck dave tls content --originals "$imap_originals" --top-lines "${IMAP_TOP_LINES:-0,1,5,1000000}"
