#!/usr/bin/env bash
# Starts or stops the OAuth group's own private Dovecot on 127.0.0.1 (issue 14): its only
# passdb is Dovecot's oauth2 driver, which asks the stand-in identity provider (idp.py) about
# every token with an RFC 7662 introspection request; logins are SASL XOAUTH2 and OAUTHBEARER
# only (no PLAIN, no LOGIN: USER/PASS and a password never log in here).
#   POP3 21310 (STLS offered; POP3S 21311), IMAP 21312 (STARTTLS; IMAPS 21313), submission
#   21314 (STARTTLS; submissions 21315, with dovecot-submissiond) relaying every message to
#   127.0.0.1:21320, where the group runs smtpsink.py. Users alice and bob (any name the
#   identity provider vouches for would do: the userdb is static), each with one message
#   ("Subject: oauth seed for USER"; a copy of its file in WORKDIR/oauth/seed-USER.eml, the
#   reference for what a client reads). Files under WORKDIR/oauth (log:
#   WORKDIR/oauth/dovecot/dovecot.log), certificates those of WORKDIR/tls.
# The identity provider: OAUTH_INTROSPECTION_URL (default http://127.0.0.1:21390/introspect,
# idp.py's), as client OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET (default dovecot /
# dovecot-secret, one of idp.py's default clients). Dovecot 2.3 takes plain http there.
# usage: dovecot-oauth.sh start|stop WORKDIR
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/dovecot-lib.sh"

action=${1:?usage: dovecot-oauth.sh start|stop WORKDIR}
parent=$(cd "${2:?usage: dovecot-oauth.sh start|stop WORKDIR}" && pwd)
workdir=$parent/oauth
ports=(21310 21311 21312 21313)
submission=()
if [[ -x /usr/lib/dovecot/submission-login ]]; then
  ports+=(21314 21315)
  submission=(--submission 21314 --submissions 21315 --relay-port 21320)
fi
: "${OAUTH_INTROSPECTION_URL:=http://127.0.0.1:21390/introspect}"
: "${OAUTH_CLIENT_ID:=dovecot}" "${OAUTH_CLIENT_SECRET:=dovecot-secret}"

# seed USER: one message in USER's maildir, which the checks read back.
seed() {
  local user=$1 dir=$workdir/mail/$1
  mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
  printf 'From: idp@example.test\r\nTo: %s@example.test\r\nSubject: oauth seed for %s\r\nMessage-ID: <seed-%s@oauth.popbridge.test>\r\n\r\nThis mailbox is reached with a bearer token only.\r\n' \
    "$user" "$user" "$user" > "$workdir/seed-$user.eml"
  cp "$workdir/seed-$user.eml" "$dir/new/1000000000.seed-$user.oauth"
  chown -R "$dovecot_uid:$dovecot_gid" "$dir"
}

start() {
  mkdir -p "$workdir"
  # Dovecot's own processes must traverse WORKDIR to reach WORKDIR/oauth.
  chmod 755 "$parent"
  [[ -f $parent/tls/server.crt ]] || bash "$here/tls.sh" "$parent"
  cp -r "$parent/tls" "$workdir/"
  dovecot_prepare dovecot-oauth.sh "$workdir" "${ports[@]}"
  seed alice
  seed bob

  # Read by Dovecot's auth process (db-oauth2.c, settings_read_nosection). Settings 2.3.19
  # knows: introspection_mode post sends token=, client_id= and client_secret= as a form;
  # username_attribute names the reply's member that must equal the SASL user (after
  # username_format %Lu on both sides); active_attribute/active_value refuse a reply whose
  # "active" is anything but true (a reply without the member would pass). No tokeninfo_url:
  # then every login is one introspection request.
  cat > "$workdir/dovecot/dovecot-oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = $OAUTH_INTROSPECTION_URL
client_id = $OAUTH_CLIENT_ID
client_secret = $OAUTH_CLIENT_SECRET
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 10000
CONF
  chmod 644 "$workdir/dovecot/dovecot-oauth2.conf.ext"

  # auth_cache_size stays 0 (the default): with a cache, a revoked or expired token would
  # still log in until the cache entry's TTL ran out, and the checks say it must not.
  dovecot_conf --workdir "$workdir" --instance popbridge-interop-oauth \
    --about "popbridge interop tests (OAuth group)" --generated-by dovecot-oauth.sh \
    --pop3 "${ports[0]}" --pop3s "${ports[1]}" --imap "${ports[2]}" --imaps "${ports[3]}" \
    --userip-connections 100 "${submission[@]}" \
    --auth-mechanisms "xoauth2 oauthbearer" \
    --passdb "$(printf '  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = %s' \
      "$workdir/dovecot/dovecot-oauth2.conf.ext")" \
    --extra "$(printf 'auth_verbose = yes\nauth_cache_size = 0')" \
    > "$workdir/dovecot.conf"
  dovecot_launch dovecot-oauth.sh "$workdir" "${ports[@]}"
}

case $action in
  start) start ;;
  stop) dovecot_stop dovecot-oauth.sh "$workdir" ;;
  *) echo "usage: dovecot-oauth.sh start|stop WORKDIR" >&2; exit 2 ;;
esac
