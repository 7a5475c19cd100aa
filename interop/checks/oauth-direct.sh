#!/usr/bin/env bash
# The OAuth group's own sanity (issue 14), no popbridge: the stand-in identity provider
# (idp.py) and the OAuth Dovecot (dovecot-oauth.sh, whose oauth2 passdb introspects every token
# at idp.py) work together with real clients, so the popbridge checks that join the group test
# popbridge and not the pair. Tokens come from idp.py's device flow (oauthclient.py playing the
# client, the control call playing the user), refresh and client_credentials grants.
#   device-flow                  /device gives device_code, a XXXX-XXXX user_code,
#                                verification_uri, interval, expires_in; polls before approval
#                                get authorization_pending, then slow_down when too fast; after
#                                /control/approve a Bearer access token and a refresh token; the
#                                used device code again: invalid_grant
#   idp-client-auth              HTTP Basic works as well as form fields; a wrong secret is 401
#                                invalid_client with WWW-Authenticate; Basic and a form secret at
#                                once is invalid_request; introspection without credentials 401;
#                                a public client may not use client_credentials
#   password-refused             USER/PASS over STLS gets "-ERR [AUTH] Unsupported authentication
#                                mechanism." (PLAIN is no mechanism here)
#   imap-xoauth2, pop3-xoauth2,  python imaplib (STARTTLS, AUTHENTICATE XOAUTH2), poplib (STLS,
#   submission-xoauth2           AUTH XOAUTH2 with an initial response), smtplib (STARTTLS, AUTH
#                                XOAUTH2) log in as alice with the device-flow token: IMAP and
#                                POP3 read her seeded message's Subject, submission's message
#                                reaches the sink; Dovecot logs the login with method=XOAUTH2
#   curl-imap-oauthbearer,       curl --oauth2-bearer (the token through -K -, never argv) over
#   curl-pop3-oauthbearer,       STARTTLS with --ssl-reqd: IMAP UID 1 and POP3 RETR 1 are the
#   curl-submission-oauthbearer  seeded file byte for byte, the upload reaches the sink; Dovecot
#                                logs method=OAUTHBEARER (curl 7.88 always picks OAUTHBEARER
#                                when both are offered, AUTH=XOAUTH2 notwithstanding)
#   introspected-per-login       each of those logins was one active introspection of alice at
#                                idp.py (Dovecot asked the provider every time, nothing cached)
#   wrong-token-refused          a token idp.py never issued: IMAP NO [AUTHENTICATIONFAILED],
#                                POP3 -ERR [AUTH], submission 535 5.7.8; Dovecot logs "Provided
#                                token is not valid" for each, idp.py counted them inactive
#   user-mismatch-refused        alice's valid token offered as bob: refused, Dovecot says the
#                                user name did not match
#   client-credentials           the service client's token (idp.py binds it to bob) logs in as
#                                bob over IMAP and reads bob's message
#   long-token                   a 2,000-character token (Microsoft's are JWTs of that size)
#                                logs in as bob over IMAP, POP3 and submission, the SASL
#                                response after the empty challenge (too long for the AUTH line)
#   refresh-rotates              refresh_token grant: a new access token that logs in and a new
#                                refresh token; the old refresh token is then invalid_grant
#                                (counted as a reuse)
#   expired-token-refused        with access_ttl=2 a fresh token logs in at once (the control)
#                                and is refused 3 s later; idp.py calls it inactive
#   revoked-token-refused        RFC 7009 /revoke of a live access token: Dovecot refuses it
#   refresh-token-not-bearer     a (live) refresh token presented as a bearer token is refused
#   revoke-user                  /control/revoke-user: the user's refresh token is then
#                                invalid_grant; an access token issued before still logs in
#                                until it expires (the provider's documented behaviour)
#   stats-counters               /control/stats counted exactly this script's grants, refreshes
#                                and introspections
#   no-secrets-in-logs           no token, refresh token, device code or client secret this
#                                script saw is in idp.py's log, Dovecot's log or its own output
# Every refusal is followed by a successful login (Dovecot slows logins from an address after
# consecutive failures and forgets them on a success), so each costs its 2 s failure delay.
# usage: oauth-direct.sh WORKDIR   (idp.py at OAUTH_IDP, default http://127.0.0.1:21390, its
#   log at OAUTH_IDP_LOG, default WORKDIR/idp.log; dovecot-oauth.sh's Dovecot: IMAP 21312,
#   POP3 21310, submission 21314; its sink's directory OAUTH_SINK, default WORKDIR/oauth-sink)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=$(cd "${1:?usage: oauth-direct.sh WORKDIR}" && pwd)
: "${OAUTH_IDP:=http://127.0.0.1:21390}" "${OAUTH_IDP_LOG:=$workdir/idp.log}"
: "${OAUTH_SINK:=$workdir/oauth-sink}"
: "${OAUTH_IMAP:=21312}" "${OAUTH_POP3:=21310}" "${OAUTH_SUBMISSION:=21314}"
dovecot_log=$workdir/oauth/dovecot/dovecot.log
ca=$workdir/tls/ca.crt
out=$workdir/out/${TAG}oauth-direct
rm -rf "$out"
mkdir -p "$out"
chmod 700 "$out"
failed=0
app=popbridge:popbridge-secret       # the OAuth client popbridge will be (idp.py's default)
introspector=dovecot:dovecot-secret  # the client Dovecot introspects as
service=service:service-secret       # client_credentials, bound to bob by idp.py
declare -A port=([imap]=$OAUTH_IMAP [pop3]=$OAUTH_POP3 [smtp]=$OAUTH_SUBMISSION)
declare -A service_name=([imap]=imap-login [pop3]=pop3-login [smtp]=submission-login)

oc() { python3 "$here/oauthclient.py" "$@"; }

# jget JSON PATH: the member at PATH (dots between keys) of JSON, "" if missing; "true"/"false"
# for booleans, JSON for objects.
jget() {
  python3 -c '
import json, sys
value = json.loads(sys.argv[1])
for key in sys.argv[2].split(".") if sys.argv[2] else []:
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else json.dumps(value) if isinstance(value, (dict, list, bool)) else value)' "$1" "$2"
}

stats() { oc call "$OAUTH_IDP" GET /control/stats; }
# stat_delta BEFORE AFTER PATH: how much the counter at PATH (in /control/stats' body) grew.
stat_delta() {
  local a b
  a=$(jget "$1" "body.$3"); b=$(jget "$2" "body.$3")
  echo $((${b:-0} - ${a:-0}))
}
count() { grep -c -- "$1" "$dovecot_log" || true; }

# login NAME PROTO MECH USER TOKEN_FILE [--send FROM TO SUBJECT]: oauthclient.py's login; its
# JSON line in $out/NAME.json and on stdout.
login() {
  local name=$1 proto=$2 mech=$3 user=$4 token=$5
  shift 5
  oc login "$proto" "$mech" 127.0.0.1 "${port[$proto]}" "$ca" "$user" "$token" "$@" \
    > "$out/$name.json" 2> "$out/$name.err" || true
  cat "$out/$name.json"
}

# reset_penalty USER TOKEN_FILE: one successful POP3 login, after a refusal; a problem if not.
reset_penalty() {
  local outcome
  resets=$((resets + 1))
  outcome=$(login "reset-$resets" pop3 xoauth2 "$1" "$2")
  [[ $(jget "$outcome" result) == ok ]] || problems+=("the successful login after the refusal failed: $outcome")
}
resets=0

# expect_refused NAME PROTO USER TOKEN_FILE REPLY-PATTERN REASON-PATTERN: the login is refused
# with REPLY-PATTERN, and Dovecot's auth log line for it matches REASON-PATTERN.
expect_refused() {
  local name=$1 proto=$2 user=$3 token=$4 reply=$5 reason=$6 outcome before
  before=$(count "oauth2($user,127.0.0.1,.*): oauth2 failed: .*$reason")
  outcome=$(login "$name" "$proto" xoauth2 "$user" "$token")
  # shellcheck disable=SC2053
  if [[ $(jget "$outcome" result) != refused || $(jget "$outcome" reply) != $reply ]]; then
    problems+=("$proto as $user: expected a refusal like '$reply': $outcome $(tail -n 1 "$out/$name.err" | cut -c1-200)")
  elif [[ $(count "oauth2($user,127.0.0.1,.*): oauth2 failed: .*$reason") -le $before ]]; then
    problems+=("$proto as $user refused, but Dovecot logged no 'oauth2 failed: ...$reason' ($(grep 'oauth2 failed' "$dovecot_log" | tail -n 1 | cut -c1-200))")
  fi
}

# --- device-flow -------------------------------------------------------------------------
stats0=$(stats)
logins0=$(count "Login: user=<")
fails0=$(count "oauth2 failed:")
mkdir -p "$out/alice"
flow=$(oc device "$OAUTH_IDP" "$app" alice "$out/alice" 2> "$out/device.err" || true)
echo "$flow" > "$out/device.json"
problems=()
[[ $(jget "$flow" device_status) == 200 ]] || problems+=("POST /device: $flow $(tail -n 1 "$out/device.err")")
[[ $(jget "$flow" fields) == '["expires_in", "interval", "user_code", "verification_uri", "verification_uri_complete", "device_code"]' ]] \
  || problems+=("the device authorization reply's members: $(jget "$flow" fields)")
[[ $(jget "$flow" user_code_form) == true ]] || problems+=("user_code is not XXXX-XXXX")
[[ $(jget "$flow" verification_uri) == "$OAUTH_IDP/verify" ]] || problems+=("verification_uri $(jget "$flow" verification_uri)")
[[ $(jget "$flow" before_approval) == authorization_pending ]] || problems+=("the poll before approval got '$(jget "$flow" before_approval)', not authorization_pending")
[[ $(jget "$flow" polled_too_fast) == slow_down ]] || problems+=("a poll at once after it got '$(jget "$flow" polled_too_fast)', not slow_down")
[[ $(jget "$flow" approve_status) == 200 ]] || problems+=("/control/approve answered $(jget "$flow" approve_status)")
[[ $(jget "$flow" token.status) == 200 && $(jget "$flow" token.token_type) == Bearer && \
   $(jget "$flow" token.access_token) == true && $(jget "$flow" token.refresh_token) == true && \
   $(jget "$flow" token.expires_in) == 3600 ]] || problems+=("the token reply after approval: $(jget "$flow" token)")
[[ $(jget "$flow" code_reused) == invalid_grant ]] || problems+=("the used device code again got '$(jget "$flow" code_reused)', not invalid_grant")
[[ -s $out/alice/access && -s $out/alice/refresh ]] || problems+=("no tokens written")
verdict device-flow "${problems[@]}"
if [[ ! -s $out/alice/access ]]; then
  echo "oauth-direct: no token from the device flow, nothing else can be checked" >&2
  exit 1
fi
cp "$out/alice/access" "$out/alice-access-1"
cp "$out/alice/refresh" "$out/alice-refresh-1"

# --- idp-client-auth ---------------------------------------------------------------------
printf 'never-issued-%s' "$RANDOM$RANDOM" > "$out/bogus"
problems=()
r=$(oc call "$OAUTH_IDP" POST /introspect "token=$(cat "$out/bogus")" basic=$introspector --form)
[[ $(jget "$r" status) == 200 && $(jget "$r" body) == '{"active": false}' ]] || problems+=("introspection with HTTP Basic: $r")
r=$(oc call "$OAUTH_IDP" POST /introspect "token=$(cat "$out/bogus")" client_id=dovecot client_secret=wrong --form)
[[ $(jget "$r" status) == 401 && $(jget "$r" body.error) == invalid_client && $(jget "$r" www_authenticate) == Basic* ]] \
  || problems+=("a wrong form secret: $r")
r=$(oc call "$OAUTH_IDP" POST /introspect "token=$(cat "$out/bogus")" basic=dovecot:wrong --form)
[[ $(jget "$r" status) == 401 && $(jget "$r" body.error) == invalid_client ]] || problems+=("a wrong Basic secret: $r")
r=$(oc call "$OAUTH_IDP" POST /introspect "token=$(cat "$out/bogus")" basic=$introspector client_secret=dovecot-secret --form)
[[ $(jget "$r" status) == 400 && $(jget "$r" body.error) == invalid_request ]] || problems+=("Basic and a form secret at once: $r")
r=$(oc call "$OAUTH_IDP" POST /introspect "token=$(cat "$out/bogus")" --form)
[[ $(jget "$r" status) == 401 ]] || problems+=("introspection without client credentials: $r")
r=$(oc call "$OAUTH_IDP" POST /token grant_type=client_credentials client_id=cli --form)
[[ $(jget "$r" status) == 401 && $(jget "$r" body.error) == invalid_client ]] || problems+=("client_credentials by the public client cli: $r")
verdict idp-client-auth "${problems[@]}"

# --- password-refused --------------------------------------------------------------------
# No password logs in here, whatever it is: USER/PASS (PLAIN inside Dovecot) is not a mechanism
# this Dovecot has, so it never reaches the passdb (nor idp.py, nor the failure penalty).
problems=()
outcome=$(python3 - "${port[pop3]}" "$ca" <<'PY' 2> "$out/password.err" || true
import poplib, ssl, sys
pop = poplib.POP3("127.0.0.1", int(sys.argv[1]), timeout=30)
pop.stls(context=ssl.create_default_context(cafile=sys.argv[2]))
pop.user("alice")
try:
    print("accepted", pop.pass_("alice-secret").decode())
except poplib.error_proto as e:
    print("refused", e.args[0].decode())
PY
)
echo "$outcome" > "$out/password.log"
[[ $outcome == "refused -ERR [AUTH] Unsupported authentication mechanism." ]] \
  || problems+=("USER/PASS of alice: ${outcome:-nothing} $(tail -n 1 "$out/password.err" | cut -c1-200)")
verdict password-refused "${problems[@]}"

# --- XOAUTH2 with python's clients -------------------------------------------------------
stats1=$(stats)
logins_before=$(count "Login: user=<alice>")
for proto in imap pop3 smtp; do
  check=$proto-xoauth2
  [[ $proto == smtp ]] && check=submission-xoauth2
  problems=()
  before=$(count "${service_name[$proto]}: Info: Login: user=<alice>, method=XOAUTH2,")
  subject="oauth-direct $check $RANDOM$RANDOM"
  if [[ $proto == smtp ]]; then
    outcome=$(login "$check" smtp xoauth2 alice "$out/alice/access" --send alice@example.test bob@example.test "$subject")
    [[ $(jget "$outcome" result) == ok && $(jget "$outcome" refused_rcpts) == 0 ]] || problems+=("smtplib: $outcome $(tail -n 1 "$out/$check.err" | cut -c1-200)")
  else
    outcome=$(login "$check" "$proto" xoauth2 alice "$out/alice/access")
    [[ $(jget "$outcome" result) == ok && $(jget "$outcome" subject) == "Subject: oauth seed for alice" ]] \
      || problems+=("$proto: $outcome $(tail -n 1 "$out/$check.err" | cut -c1-200)")
  fi
  [[ $(count "${service_name[$proto]}: Info: Login: user=<alice>, method=XOAUTH2,") -gt $before ]] \
    || problems+=("Dovecot logged no ${service_name[$proto]} Login of alice with method=XOAUTH2")
  if [[ $proto == smtp ]]; then
    for ((i = 0; i < 50; i++)); do
      grep -qsF "Subject: $subject" "$OAUTH_SINK"/*.eml && break
      sleep 0.2
    done
    grep -qsF "Subject: $subject" "$OAUTH_SINK"/*.eml || problems+=("the message did not reach the sink ($OAUTH_SINK)")
  fi
  verdict "$check" "${problems[@]}"
done

# --- OAUTHBEARER with curl ---------------------------------------------------------------
# curl_bearer TOKEN_FILE ARGS...: curl with the token from a config on stdin (not argv).
curl_bearer() {
  local token=$1
  shift
  printf 'oauth2-bearer = "%s"\n' "$(cat "$token")" |
    timeout 60 curl -sS -K - --ssl-reqd --cacert "$ca" --user alice "$@"
}
seed=$workdir/oauth/seed-alice.eml
for proto in imap pop3 smtp; do
  check=curl-$proto-oauthbearer
  [[ $proto == smtp ]] && check=curl-submission-oauthbearer
  problems=()
  before=$(count "${service_name[$proto]}: Info: Login: user=<alice>, method=OAUTHBEARER,")
  rc=0
  case $proto in
    imap) curl_bearer "$out/alice/access" "imap://localhost:${port[imap]}/INBOX;UID=1" \
            -o "$out/$check.eml" 2> "$out/$check.err" || rc=$? ;;
    pop3) curl_bearer "$out/alice/access" "pop3://localhost:${port[pop3]}/1" \
            -o "$out/$check.eml" 2> "$out/$check.err" || rc=$? ;;
    smtp) subject="oauth-direct $check $RANDOM$RANDOM"
          printf 'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: %s\r\n\r\nuploaded by curl with a bearer token\r\n' \
            "$subject" > "$out/$check.eml"
          curl_bearer "$out/alice/access" "smtp://localhost:${port[smtp]}" --mail-from alice@example.test \
            --mail-rcpt bob@example.test --upload-file "$out/$check.eml" 2> "$out/$check.err" || rc=$? ;;
  esac
  if [[ $rc -ne 0 ]]; then
    problems+=("curl exited $rc: $(head -c 200 "$out/$check.err")")
  elif [[ $proto != smtp ]] && ! diff_out=$(same "$out/$check.eml" "$seed"); then
    problems+=("what curl read is not the seeded file: $diff_out")
  fi
  [[ $(count "${service_name[$proto]}: Info: Login: user=<alice>, method=OAUTHBEARER,") -gt $before ]] \
    || problems+=("Dovecot logged no ${service_name[$proto]} Login of alice with method=OAUTHBEARER")
  if [[ $proto == smtp && $rc -eq 0 ]]; then
    for ((i = 0; i < 50; i++)); do
      grep -qsF "Subject: $subject" "$OAUTH_SINK"/*.eml && break
      sleep 0.2
    done
    grep -qsF "Subject: $subject" "$OAUTH_SINK"/*.eml || problems+=("the upload did not reach the sink ($OAUTH_SINK)")
  fi
  verdict "$check" "${problems[@]}"
done

# --- introspected-per-login --------------------------------------------------------------
stats2=$(stats)
logins=$(( $(count "Login: user=<alice>") - logins_before ))
introspected=$(stat_delta "$stats1" "$stats2" introspections.by_user.alice)
problems=()
[[ $logins -eq 6 ]] || problems+=("Dovecot logged $logins logins of alice, the six clients above make 6")
[[ $introspected -eq $logins ]] || problems+=("idp.py answered $introspected active introspections of alice for $logins logins")
[[ $(stat_delta "$stats1" "$stats2" introspections.inactive) -eq 0 ]] || problems+=("an inactive introspection among successful logins")
verdict introspected-per-login "${problems[@]}"

# --- wrong-token-refused -----------------------------------------------------------------
problems=()
expect_refused wrong-imap imap alice "$out/bogus" '*AUTHENTICATIONFAILED*' 'Provided token is not valid'
reset_penalty alice "$out/alice/access"
expect_refused wrong-pop3 pop3 alice "$out/bogus" '-ERR \[AUTH\]*' 'Provided token is not valid'
reset_penalty alice "$out/alice/access"
expect_refused wrong-smtp smtp alice "$out/bogus" '535 5.7.8*' 'Provided token is not valid'
reset_penalty alice "$out/alice/access"
stats3=$(stats)
[[ $(stat_delta "$stats2" "$stats3" introspections.inactive) -eq 3 ]] \
  || problems+=("idp.py answered $(stat_delta "$stats2" "$stats3" introspections.inactive) inactive introspections for the 3 wrong tokens")
verdict wrong-token-refused "${problems[@]}"

# --- user-mismatch-refused ---------------------------------------------------------------
problems=()
expect_refused mismatch-pop3 pop3 bob "$out/alice/access" '-ERR \[AUTH\]*' "Username 'bob' did not match 'alice'"
reset_penalty alice "$out/alice/access"
verdict user-mismatch-refused "${problems[@]}"

# --- client-credentials ------------------------------------------------------------------
problems=()
mkdir -p "$out/bob"
r=$(oc client-credentials "$OAUTH_IDP" "$service" "$out/bob")
[[ $(jget "$r" status) == 200 && $(jget "$r" refresh_token) == false ]] || problems+=("client_credentials grant: $r")
if [[ -s $out/bob/access ]]; then
  cp "$out/bob/access" "$out/bob-access-1"
  outcome=$(login cc-imap imap xoauth2 bob "$out/bob/access")
  [[ $(jget "$outcome" result) == ok && $(jget "$outcome" subject) == "Subject: oauth seed for bob" ]] \
    || problems+=("IMAP as bob with the service token: $outcome")
fi
verdict client-credentials "${problems[@]}"

# --- long-token --------------------------------------------------------------------------
# Microsoft's access tokens are JWTs of 1,500-2,500 characters: a 2,000-character token (1,500
# random octets) logs in on all three protocols, so a failure with long tokens through
# popbridge is popbridge's. Its SASL response (2,700 base64 characters) cannot go on the AUTH
# line (POP3: 255 octets at most, RFC 5034; SMTP: 512, RFC 4954, and Dovecot's submission
# answers "500 5.5.2 Line too long"), so oauthclient.py sends it after the empty challenge.
problems=()
r=$(oc call "$OAUTH_IDP" POST /control/config token_bytes=1500)
[[ $(jget "$r" body.token_bytes) == 1500 ]] || problems+=("/control/config token_bytes=1500: $r")
mkdir -p "$out/bob-long"
r=$(oc client-credentials "$OAUTH_IDP" "$service" "$out/bob-long")
[[ $(jget "$r" status) == 200 ]] || problems+=("client_credentials grant: $r")
if [[ -s $out/bob-long/access ]]; then
  cp "$out/bob-long/access" "$out/bob-access-long"
  length=$(wc -c < "$out/bob-long/access")
  [[ $length -eq 2000 ]] || problems+=("the long token has $length characters, not 2000")
  for proto in imap pop3 smtp; do
    outcome=$(login "long-$proto" "$proto" xoauth2 bob "$out/bob-long/access")
    [[ $(jget "$outcome" result) == ok ]] || problems+=("$proto with the $length-character token: $outcome")
    # Sent after the empty challenge, as RFC 5034 and RFC 4954 require of so long a response.
    [[ $proto == imap || $(jget "$outcome" initial_response) == false ]] \
      || problems+=("$proto: the client sent the long token as an initial response: $outcome")
  done
fi
r=$(oc call "$OAUTH_IDP" POST /control/config token_bytes=32)
[[ $(jget "$r" body.token_bytes) == 32 ]] || problems+=("/control/config token_bytes=32: $r")
verdict long-token "${problems[@]}"

# --- refresh-rotates ---------------------------------------------------------------------
problems=()
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-1" "$out/alice")
[[ $(jget "$r" status) == 200 && $(jget "$r" refresh_token) == true ]] || problems+=("refresh grant: $r")
cp "$out/alice/access" "$out/alice-access-2"
cp "$out/alice/refresh" "$out/alice-refresh-2"
cmp -s "$out/alice-access-1" "$out/alice-access-2" && problems+=("the refreshed access token is the old one")
cmp -s "$out/alice-refresh-1" "$out/alice-refresh-2" && problems+=("the refresh token was not rotated")
outcome=$(login refreshed-pop3 pop3 xoauth2 alice "$out/alice-access-2")
[[ $(jget "$outcome" result) == ok ]] || problems+=("the refreshed token does not log in: $outcome")
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-1" "$out/rotated-out")
[[ $(jget "$r" status) == 400 && $(jget "$r" error) == invalid_grant ]] || problems+=("the rotated-out refresh token: $r")
verdict refresh-rotates "${problems[@]}"

# --- expired-token-refused ---------------------------------------------------------------
problems=()
r=$(oc call "$OAUTH_IDP" POST /control/config access_ttl=2)
[[ $(jget "$r" body.access_ttl) == 2 ]] || problems+=("/control/config access_ttl=2: $r")
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-2" "$out/alice")
[[ $(jget "$r" status) == 200 && $(jget "$r" expires_in) == 2 ]] || problems+=("refresh with access_ttl=2: $r")
cp "$out/alice/access" "$out/alice-access-3"
cp "$out/alice/refresh" "$out/alice-refresh-3"
issued=$SECONDS
outcome=$(login fresh-imap imap xoauth2 alice "$out/alice-access-3")
# The control: the short-lived token works while fresh (if this took 2 s, the check says so).
if [[ $(jget "$outcome" result) != ok ]]; then
  problems+=("the 2-second token did not log in at once ($((SECONDS - issued)) s): $outcome")
fi
sleep 3
expect_refused expired-imap imap alice "$out/alice-access-3" '*AUTHENTICATIONFAILED*' 'Provided token is not valid'
r=$(oc introspect "$OAUTH_IDP" "$introspector" "$out/alice-access-3")
[[ $(jget "$r" body) == '{"active": false}' ]] || problems+=("idp.py's introspection of the expired token: $r")
r=$(oc call "$OAUTH_IDP" POST /control/config access_ttl=3600)
[[ $(jget "$r" body.access_ttl) == 3600 ]] || problems+=("/control/config access_ttl=3600: $r")
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-3" "$out/alice")
cp "$out/alice/access" "$out/alice-access-4"
cp "$out/alice/refresh" "$out/alice-refresh-4"
reset_penalty alice "$out/alice-access-4"
verdict expired-token-refused "${problems[@]}"

# --- revoked-token-refused ---------------------------------------------------------------
problems=()
r=$(oc revoke "$OAUTH_IDP" "$app" "$out/alice-access-4")
[[ $(jget "$r" status) == 200 ]] || problems+=("POST /revoke: $r")
expect_refused revoked-imap imap alice "$out/alice-access-4" '*AUTHENTICATIONFAILED*' 'Provided token is not valid'
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-4" "$out/alice")
[[ $(jget "$r" status) == 200 ]] || problems+=("revoking an access token also stopped its refresh token: $r")
cp "$out/alice/access" "$out/alice-access-5"
cp "$out/alice/refresh" "$out/alice-refresh-5"
reset_penalty alice "$out/alice-access-5"
verdict revoked-token-refused "${problems[@]}"

# --- refresh-token-not-bearer ------------------------------------------------------------
problems=()
expect_refused refresh-as-bearer smtp alice "$out/alice-refresh-5" '535 5.7.8*' 'Provided token is not valid'
reset_penalty alice "$out/alice-access-5"
verdict refresh-token-not-bearer "${problems[@]}"

# --- revoke-user -------------------------------------------------------------------------
problems=()
r=$(oc call "$OAUTH_IDP" POST /control/revoke-user username=alice)
[[ $(jget "$r" body.revoked_refresh) -ge 1 && $(jget "$r" body.revoked_access) == 0 ]] || problems+=("/control/revoke-user: $r")
r=$(oc refresh "$OAUTH_IDP" "$app" "$out/alice-refresh-5" "$out/after-revoke")
[[ $(jget "$r" status) == 400 && $(jget "$r" error) == invalid_grant ]] || problems+=("refresh after revoke-user: $r")
outcome=$(login after-revoke-user pop3 xoauth2 alice "$out/alice-access-5")
[[ $(jget "$outcome" result) == ok ]] || problems+=("the access token issued before revoke-user: $outcome")
verdict revoke-user "${problems[@]}"

# --- stats-counters ----------------------------------------------------------------------
stats4=$(stats)
problems=()
d() { stat_delta "$stats0" "$stats4" "$1"; }
[[ $(d grants.device_code.alice) -eq 1 ]] || problems+=("device_code grants of alice: $(d grants.device_code.alice), expected 1")
[[ $(d grants.client_credentials.bob) -eq 2 ]] || problems+=("client_credentials grants of bob: $(d grants.client_credentials.bob), expected 2")
[[ $(d refreshes.alice) -eq 4 ]] || problems+=("refreshes of alice: $(d refreshes.alice), expected 4")
[[ $(d refresh_reuse.alice) -eq 1 ]] || problems+=("refresh-token reuses of alice: $(d refresh_reuse.alice), expected 1")
[[ $(d refresh_failures.alice) -eq 2 ]] || problems+=("refused refreshes of alice: $(d refresh_failures.alice), expected 2 (reuse, revoked)")
[[ $(d device_authorizations) -eq 1 ]] || problems+=("device authorizations: $(d device_authorizations), expected 1")
[[ $(d revocations) -eq 1 ]] || problems+=("revocations: $(d revocations), expected 1")
# Introspections: one per login attempt Dovecot logged (a Login line or an "oauth2 failed"
# line) and this script's own two (the Basic probe, the expired token), nothing else.
attempts=$(( $(count "Login: user=<") - logins0 + $(count "oauth2 failed:") - fails0 ))
[[ $(d introspections.total) -eq $((attempts + 2)) ]] \
  || problems+=("idp.py answered $(d introspections.total) introspections; Dovecot logged $attempts token logins, plus this script's 2")
verdict stats-counters "${problems[@]}"

# --- no-secrets-in-logs ------------------------------------------------------------------
problems=()
while IFS= read -r -d '' file; do
  cat "$file"
  echo
done < <(find "$out" -type f \( -name 'access' -o -name 'refresh' -o -name 'device_code' \
  -o -name 'alice-*' -o -name 'bob-*' \) -print0) | grep -v '^$' | sort -u > "$out/secrets"
printf '%s\n' popbridge-secret dovecot-secret service-secret >> "$out/secrets"
# alice's five access and five refresh tokens, her device code, bob's two tokens, three secrets
[[ $(wc -l < "$out/secrets") -ge 16 ]] || problems+=("only $(wc -l < "$out/secrets") secrets collected; the script lost its tokens")
for file in "$OAUTH_IDP_LOG" "$dovecot_log" "$out"/*.json; do
  if grep -qF -f "$out/secrets" "$file"; then
    problems+=("$(basename "$file") holds a token or secret ($(grep -cF -f "$out/secrets" "$file") lines)")
  fi
done
[[ -s $OAUTH_IDP_LOG ]] || problems+=("idp.py's log $OAUTH_IDP_LOG is empty or missing")
verdict no-secrets-in-logs "${problems[@]}"

exit "$failed"
