#!/usr/bin/env bash
# The forwarding group (issue 12): popbridge behind a load balancer that speaks the PROXY
# protocol, in front of a Dovecot that trusts it (dovecot-trusted.sh). Each client sends a
# PROXY v1 header naming 203.0.113.7 as the client, then logs in; the Login line of Dovecot's
# log must name that address as rip=, because popbridge told Dovecot.
#   pop3-xclient          POP3 relay, forward-client-address: Dovecot's pop3-login logs
#                         user=<alice> with rip=203.0.113.7 (XCLIENT, offered in its greeting)
#   imap-id               POP3 over IMAP (the route for erin), forward-client-address:
#                         imap-login logs user=<erin> with rip=203.0.113.7 (ID x-originating-ip)
#   submission-xclient    SMTP, forward-client-address: submission-login logs user=<alice>
#                         with rip=203.0.113.7 (XCLIENT), and the message reaches the sink
#   pop3-proxy-v2         the route for dave: proxy-protocol: v2 to Dovecot's haproxy listener;
#                         pop3-login logs user=<dave> with rip=203.0.113.7
#   unforwarded-control   the route for carol has no forward-client-address: her Login line
#                         says rip=127.0.0.1, popbridge's own address (the check can fail)
#   no-forwarding-warning popbridge's log has no "forward-client-address ... offers no" warning
# usage: forwarding.sh WORKDIR NAME   (popbridge NAME logs to WORKDIR/NAME.log; its pop3://
#   listener on FORWARD_POP3 and smtp:// on FORWARD_SMTP, both trusting PROXY headers from
#   127.0.0.1; Dovecot's log at WORKDIR/trusted/dovecot/dovecot.log; the sink's directory
#   WORKDIR/forward-sink)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: forwarding.sh WORKDIR NAME}
name=${2:?usage: forwarding.sh WORKDIR NAME}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
: "${FORWARD_POP3:=22170}" "${FORWARD_SMTP:=22171}"
log=$workdir/$name.log
dovecot_log=$workdir/trusted/dovecot/dovecot.log
out=$workdir/out/${TAG}forwarding
mkdir -p "$out"
failed=0

# session pop3|smtp USER PASSWORD: one session through popbridge behind a PROXY v1 header
# naming 203.0.113.7:40001; prints its outcome.
session() {
  python3 - "$PROXY_HOST" "$FORWARD_POP3" "$FORWARD_SMTP" "$PROXY_CA" "$@" <<'PY'
import poplib, smtplib, socket, ssl, sys
host, pop3_port, smtp_port, ca, kind, user, password = sys.argv[1:8]
port = int(pop3_port if kind == "pop3" else smtp_port)
header = f"PROXY TCP4 203.0.113.7 127.0.0.1 40001 {port}\r\n".encode()

def behind_the_balancer(timeout):
    sock = socket.create_connection((host, port), timeout)
    sock.sendall(header)
    return sock

class Pop3(poplib.POP3):
    def _create_socket(self, timeout):
        return behind_the_balancer(timeout)

class Smtp(smtplib.SMTP):
    def _get_socket(self, host, port, timeout):
        return behind_the_balancer(timeout)

if kind == "pop3":
    pop = Pop3(host, port, timeout=30)
    pop.user(user)
    pop.pass_(password)
    count, octets = pop.stat()
    pop.quit()
    print(f"stat={count}")
else:
    with Smtp(host, port, timeout=30) as smtp:
        smtp.starttls(context=ssl.create_default_context(cafile=ca))
        smtp.login(user, password)
        refused = smtp.sendmail(f"{user}@example.test", ["bob@example.test"],
                                b"From: alice@example.test\r\nTo: bob@example.test\r\n"
                                b"Subject: forwarded\r\n\r\nsent from behind a balancer\r\n")
    print(f"sent refused={len(refused)}")
PY
}

# login_line SERVICE USER: Dovecot's Login line for USER from SERVICE (pop3-login,
# imap-login, submission-login), the last one.
login_line() {
  grep -E "$1: Info: Login: user=<$2>" "$dovecot_log" | tail -n 1 || true
}

# expect_rip CHECK SERVICE USER ADDRESS OUTCOME-PATTERN KIND PASSWORD
expect_rip() {
  local check=$1 service=$2 user=$3 address=$4 pattern=$5 kind=$6 password=$7 outcome line
  local problems=()
  outcome=$(session "$kind" "$user" "$password" 2> "$out/$check.err" || true)
  echo "$outcome" > "$out/$check.log"
  # shellcheck disable=SC2053
  [[ $outcome == $pattern ]] || problems+=("the session: ${outcome:-nothing} $(tail -n 1 "$out/$check.err" | cut -c1-200)")
  line=$(login_line "$service" "$user")
  echo "$line" >> "$out/$check.log"
  if [[ -z $line ]]; then
    problems+=("Dovecot logged no $service Login for $user")
  elif [[ $line != *"rip=$address,"* ]]; then
    problems+=("Dovecot's Login line names another address than $address: $line")
  fi
  verdict "$check" "${problems[@]}"
}

expect_rip pop3-xclient pop3-login alice 203.0.113.7 'stat=*' pop3 alice-secret
expect_rip imap-id imap-login erin 203.0.113.7 'stat=*' pop3 erin-secret
expect_rip submission-xclient submission-login alice 203.0.113.7 'sent refused=0' smtp alice-secret
expect_rip pop3-proxy-v2 pop3-login dave 203.0.113.7 'stat=*' pop3 dave-secret
expect_rip unforwarded-control pop3-login carol 127.0.0.1 'stat=*' pop3 carol-secret

problems=()
if grep -E 'forward-client-address.*offers no' "$log" > "$out/warnings.log"; then
  problems+=("$(head -n 1 "$out/warnings.log" | cut -c1-300)")
fi
verdict no-forwarding-warning "${problems[@]}"

exit "$failed"
