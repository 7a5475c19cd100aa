#!/usr/bin/env bash
# Starts or stops the forwarding group's own private Dovecot on 127.0.0.1, which trusts
# popbridge (login_trusted_networks = 127.0.0.1/32): it then takes the client's address from
# popbridge's POP3 XCLIENT (announced as "+OK [XCLIENT]" in its greeting), IMAP ID
# (x-originating-ip) and submission XCLIENT, and, on a POP3 listener of its own, from a PROXY
# header (haproxy_trusted_networks); it logs that address as rip= on its Login lines.
# The suite's main Dovecot (dovecot.sh) must not trust 127.0.0.1: a trusted peer gets
# another greeting and counts as secured, which its direct-against-popbridge checks would see.
#   POP3 21210 (POP3S 21211; 21216 takes a PROXY header first), IMAP 21212 (IMAPS 21213), submission 21214 (submissions
#   21215, with dovecot-submissiond) relaying to 127.0.0.1:21526; users alice, carol, dave and erin,
#   with the passwords of dovecot.sh; its files under WORKDIR/trusted (log:
#   WORKDIR/trusted/dovecot/dovecot.log), its certificates those of WORKDIR/tls.
# usage: dovecot-trusted.sh start|stop WORKDIR
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/dovecot-lib.sh"

action=${1:?usage: dovecot-trusted.sh start|stop WORKDIR}
parent=$(cd "${2:?usage: dovecot-trusted.sh start|stop WORKDIR}" && pwd)
workdir=$parent/trusted
ports=(21210 21211 21212 21213 21216)
submission=()
if [[ -x /usr/lib/dovecot/submission-login ]]; then
  ports+=(21214 21215)
  submission=(--submission 21214 --submissions 21215 --relay-port 21526)
fi

start() {
  mkdir -p "$workdir"
  # Dovecot's own processes must traverse WORKDIR to reach WORKDIR/trusted.
  chmod 755 "$parent"
  [[ -f $parent/tls/server.crt ]] || bash "$here/tls.sh" "$parent"
  cp -r "$parent/tls" "$workdir/"
  dovecot_prepare dovecot-trusted.sh "$workdir" "${ports[@]}"

  cat > "$workdir/dovecot/users" <<USERS
alice:{PLAIN}alice-secret
carol:{PLAIN}carol-secret
dave:{PLAIN}dave-secret
erin:{PLAIN}erin-secret
USERS
  chmod 644 "$workdir/dovecot/users"

  dovecot_conf --workdir "$workdir" --instance popbridge-interop-trusted \
    --about "popbridge interop tests (forwarding group)" --generated-by dovecot-trusted.sh \
    --pop3 "${ports[0]}" --pop3s "${ports[1]}" --imap "${ports[2]}" --imaps "${ports[3]}" \
    --userip-connections 20 "${submission[@]}" \
    --pop3-login-tuning "$(printf '  inet_listener pop3-haproxy {\n    port = %s\n    haproxy = yes\n  }' "${ports[4]}")" \
    --extra "$(printf 'login_trusted_networks = 127.0.0.1/32\nhaproxy_trusted_networks = 127.0.0.1/32')" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot-trusted.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot-trusted.sh "$workdir" ;;
  *) echo "usage: dovecot-trusted.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
