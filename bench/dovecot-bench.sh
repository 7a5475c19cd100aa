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
many_port=${BENCH_MANY_PORT:-}
many_sessions=${BENCH_MANY_SESSIONS:-10000}

# many_services: the services behind BENCH_MANY_PORT. One pop3 process per session, as on the
# other ports, would mean 10,000 processes for 10,000 sessions (memory and process-table room
# this shared machine does not have), so these login processes hand logged-in clients (pop3-login
# -l) to pop3-many, a pop3 service whose processes serve 50 clients each (client_limit; all mail
# belongs to one uid, which that needs). The other ports keep one process per session, so the
# 1,000-session and RETR comparisons measure Dovecot as before.
many_services() {
  cat <<CONF
service pop3-login-many {
  type = login
  protocol = pop3
  executable = pop3-login -l pop3-many
  user = \$default_login_user
  chroot = login
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 2500
  inet_listener pop3-many {
    port = $many_port
  }
}
service pop3-many {
  protocol = pop3
  executable = pop3
  extra_groups = \$default_internal_group
  # Processes live on and serve 50 sessions at a time (pop3's default service_count = 1
  # would cap client_limit at 1); all of them are forked when Dovecot starts, so the
  # phase's first side does not pay for forking them and the second find them ready.
  service_count = 0
  client_limit = 50
  process_min_avail = $((many_sessions / 50))
  process_limit = $((many_sessions / 50 + 50))
  unix_listener login/pop3-many {
    mode = 0666
  }
}
CONF
}

start() {
  local ports=("$pop3_port" "$pop3s_port") imap=() imap_extra="" submission=() extra_services=""
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
  if [[ -n $many_port ]]; then
    ports+=("$many_port")
    extra_services+=$'\n'$(many_services)
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
}$imap_extra$extra_services" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot-bench.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot-bench.sh "$workdir" ;;
  *) echo "usage: dovecot-bench.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
