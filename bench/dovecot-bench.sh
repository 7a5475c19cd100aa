#!/usr/bin/env bash
# Starts or stops the benchmark's private Dovecot on 127.0.0.1: POP3, and IMAP when
# BENCH_IMAP_PORT is set (bench/run-imap.sh), on its own ports (so it can run next to the
# interop suite's Dovecot), sized for 1,000 concurrent sessions. Same layout and
# configuration as interop/dovecot.sh (both from interop/dovecot-lib.sh: mail user
# popbridge-test, WORKDIR/tls from interop/tls.sh, maildirs under WORKDIR/mail/%u); the
# passwd-file is WORKDIR/dovecot/users, written by the fill script (bench/fill_mail.py ...).
#   dovecot-bench.sh start|stop WORKDIR
# BENCH_POP3_PORT (31110, plain POP3) and BENCH_POP3S_PORT (31995, implicit TLS) move it;
# BENCH_IMAP_PORT (plain IMAP, unset: no IMAP) with BENCH_IMAPS_PORT (implicit TLS) adds IMAP,
# its login processes in the same high-performance mode as POP3's. BENCH_SUBMISSION_PORT
# (plain SMTP submission, STARTTLS offered; unset: no submission) with BENCH_SUBMISSIONS_PORT
# (implicit TLS) and BENCH_RELAY_PORT (where every message is relayed, plain SMTP on
# 127.0.0.1) adds Dovecot's submission service (bench/run-smtp.sh).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../interop/lib.sh"
. "$here/../interop/dovecot-lib.sh"

action=${1:?usage: dovecot-bench.sh start|stop WORKDIR}
workdir=$(cd "${2:?usage: dovecot-bench.sh start|stop WORKDIR}" && pwd)
pop3_port=${BENCH_POP3_PORT:-31110}
pop3s_port=${BENCH_POP3S_PORT:-31995}
imap_port=${BENCH_IMAP_PORT:-}
imaps_port=${BENCH_IMAPS_PORT:-}
submission_port=${BENCH_SUBMISSION_PORT:-}

start() {
  local ports=("$pop3_port" "$pop3s_port") imap=() imap_extra="" submission=()
  # IMAP (bench/run-imap.sh) gets the same high-performance login mode and room as POP3.
  if [[ -n $imap_port ]]; then
    ports+=("$imap_port" "${imaps_port:?dovecot-bench.sh: BENCH_IMAP_PORT without BENCH_IMAPS_PORT}")
    imap=(--imap "$imap_port" --imaps "$imaps_port"
      --imap-login-tuning "  # As pop3-login: a login process per core serves many connections.
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 2500")
    imap_extra="
service imap {
  process_limit = 1500
}"
  fi
  if [[ -n $submission_port ]]; then
    submission=(--submission "$submission_port"
      --submissions "${BENCH_SUBMISSIONS_PORT:?dovecot-bench.sh: BENCH_SUBMISSION_PORT without BENCH_SUBMISSIONS_PORT}"
      --relay-port "${BENCH_RELAY_PORT:?dovecot-bench.sh: BENCH_SUBMISSION_PORT without BENCH_RELAY_PORT}")
    ports+=("$submission_port" "$BENCH_SUBMISSIONS_PORT")
  fi
  dovecot_prepare dovecot-bench.sh "$workdir" "${ports[@]}"
  [[ -f $workdir/dovecot/users ]] || { echo "dovecot-bench.sh: no $workdir/dovecot/users (run fill_mail.py)" >&2; exit 1; }

  # Sized for 1,000 concurrent sessions: 2,000 connections per user and address, the
  # limits in --extra, and pop3-login in high-performance mode (comments in the config).
  dovecot_conf --workdir "$workdir" --instance popbridge-bench \
    --about "the popbridge benchmark" --generated-by bench/dovecot-bench.sh \
    --pop3 "$pop3_port" --pop3s "$pop3s_port" "${imap[@]}" "${submission[@]}" \
    --userip-connections 2000 \
    --pop3-login-tuning "  # High-performance mode: a login process per core serves many connections (and keeps
  # proxying their TLS) instead of one process per connection.
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 2500" \
    --extra "# Room for 1,000 concurrent sessions (and the parallel RETR sessions on one mailbox),
# with mail_max_userip_connections above.
default_process_limit = 1500
default_client_limit = 5000
default_vsz_limit = 1G
service pop3 {
  process_limit = 1500
}$imap_extra" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot-bench.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot-bench.sh "$workdir" ;;
  *) echo "usage: dovecot-bench.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
