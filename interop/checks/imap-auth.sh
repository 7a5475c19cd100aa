#!/usr/bin/env bash
# IMAP group, logging in (erin, plain POP3):
#   auth-wrong-password-err-auth  USER/PASS and AUTH PLAIN with a wrong password:
#                                 "-ERR [AUTH] ..." (only two failures: Dovecot then delays
#                                 every login from 127.0.0.1 until one succeeds)
#   auth-plain-initial-response   AUTH PLAIN with the response on the command line logs in
#                                 (STAT counts what IMAP holds)
#   auth-plain-continuation       AUTH PLAIN, "+ ", then the response: logs in
#   capa-translation              CAPA lists TOP, UIDL, USER, PIPELINING, RESP-CODES and a
#                                 SASL line with PLAIN
# usage: imap-auth.sh WORKDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: imap-auth.sh WORKDIR}
. "$here/imap-lib.sh"

imapcheck erin plain auth
