#!/usr/bin/env bash
# Starts or stops the TLS-resumption group's own private Dovecot on 127.0.0.1: POP3 21410,
# POP3S 21411, user alice (alice-secret, an empty maildir), certificates those of WORKDIR/tls.
# Its pop3-login is one long-lived process (high-performance mode, one process): Dovecot
# issues TLS 1.3 tickets by default (OpenSSL's default; ssl_options = no_ticket would stop
# them), but each login process seals them with a key of its own, so only the process that
# issued a ticket resumes it. The suite's main Dovecot runs a process per connection (the
# default, high-security mode), where no ticket is ever resumed.
#   files under WORKDIR/resume (log: WORKDIR/resume/dovecot/dovecot.log)
# usage: dovecot-resume.sh start|stop WORKDIR
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/dovecot-lib.sh"

action=${1:?usage: dovecot-resume.sh start|stop WORKDIR}
parent=$(cd "${2:?usage: dovecot-resume.sh start|stop WORKDIR}" && pwd)
workdir=$parent/resume
ports=(21410 21411)

start() {
  mkdir -p "$workdir"
  # Dovecot's own processes must traverse WORKDIR to reach WORKDIR/resume.
  chmod 755 "$parent"
  [[ -f $parent/tls/server.crt ]] || bash "$here/tls.sh" "$parent"
  cp -r "$parent/tls" "$workdir/"
  dovecot_prepare dovecot-resume.sh "$workdir" "${ports[@]}"
  echo 'alice:{PLAIN}alice-secret' > "$workdir/dovecot/users"
  chmod 644 "$workdir/dovecot/users"
  dovecot_conf --workdir "$workdir" --instance popbridge-interop-resume \
    --about "popbridge interop tests (TLS resumption group)" --generated-by dovecot-resume.sh \
    --pop3 "${ports[0]}" --pop3s "${ports[1]}" --userip-connections 20 \
    --pop3-login-tuning "  # One login process for every connection: it resumes the tickets it issued.
  service_count = 0
  process_min_avail = 1
  process_limit = 1" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot-resume.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot-resume.sh "$workdir" ;;
  *) echo "usage: dovecot-resume.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
