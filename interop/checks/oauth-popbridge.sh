#!/usr/bin/env bash
# popbridge's OAuth2 upstream login (issue 14) end to end: a popbridge whose upstream (the OAuth
# Dovecot's POP3, pop3+stls://localhost:21310), route for bob (its IMAP,
# imap+starttls://localhost:21312) and submission server (smtp+starttls://localhost:21314) are all
# `auth: oauth2` with a generic provider at idp.py (client popbridge, its secret from
# POPBRIDGE_OAUTH_SECRET, scope mail). Legacy clients log in to popbridge with a LOCAL password
# chosen at enrolment (random per run, never Dovecot's, which takes no password at all);
# popbridge unlocks the user's stored refresh token with it and logs in upstream with a token.
#   enrol-device-flow          `popbridge oauth login alice --config FILE --password-env VAR` in
#                              the background prints "To sign in, open URI and enter the code
#                              CODE" (URI idp.py's /verify); the check approves CODE as alice at
#                              /control/approve, the command exits 0; idp.py counted one
#                              device_code grant for alice; STATE/oauth gained a file, mode 0600,
#                              holding no token idp.py issued (the refresh token is encrypted).
#                              bob is enrolled the same way (for imap-route)
#   oauth-list                 `popbridge oauth list --config FILE` exits 0, names alice and bob
#                              and prints no token idp.py issued (nor anything token-shaped)
#   fetch-with-local-password  curl pop3:// LIST and RETR 1 as alice with her local password:
#                              RETR is the seeded file byte for byte, LIST its size; fetchmail
#                              over pop3s (sslcertck, the test CA) delivers the same message;
#                              Dovecot logged alice's logins with a token mechanism
#   imap-route                 curl pop3:// LIST and RETR 1 as bob (route to the IMAP side):
#                              bob's seeded file byte for byte; Dovecot's imap-login logged bob
#   send-with-local-password   swaks, STARTTLS to popbridge's smtp:// listener (the certificate
#                              verified), AUTH PLAIN with alice's local password: the message
#                              reaches the sink behind Dovecot's submission, Dovecot's
#                              submission-login logged alice
#   wrong-local-password       alice with another password: -ERR [AUTH] to USER/PASS, and
#                              nothing reached Dovecot (no new pop3-login line) nor idp.py (no
#                              token request, no introspection)
#   refresh-transparent        access_ttl is 3 s from enrolment on; 4 s after alice's last
#                              login a fetch still reads her message, and idp.py counted exactly
#                              one refresh of alice for it; popbridge_token_refreshes_total (the
#                              metrics listener) counts every refresh idp.py counted for this run
#   fifty-sessions-one-refresh after alice's access token expired, with /token answering after
#                              token_delay_ms=1000, 50 concurrent POP3 logins (python threads)
#                              all get STAT; idp.py counted exactly one refresh of alice and 50
#                              active introspections of her tokens
#   revoked-needs-reenrol      /control/revoke-user alice (access tokens too), her cached token
#                              past expiry: the next login gets -ERR [AUTH], popbridge's log has
#                              exactly one WARN naming `popbridge oauth login alice --config
#                              FILE`, idp.py saw one refused refresh and Dovecot no login; a
#                              second login is refused without asking idp.py again
#   no-token-in-logs           none of the tokens and device codes idp.py issued during the run
#                              (idp.py --secrets-file), no base64 XOAUTH2 response, no local
#                              password (plain or in AUTH PLAIN/LOGIN base64) and not the client
#                              secret is in popbridge's log, the oauth commands' output or this
#                              check's own files
# usage: oauth-popbridge.sh WORKDIR NAME CONFIG
#   popbridge NAME (started by run.sh, log WORKDIR/NAME.log) runs with --config CONFIG, whose
#   state-dir the oauth commands share; its pop3:// listener on OAUTH_PB_POP3 (default 22190),
#   pop3s:// on OAUTH_PB_POP3S (22191), smtp:// on OAUTH_PB_SMTP (22192), metrics on
#   OAUTH_PB_METRICS (22199), its certificate verified by PROXY_CA. idp.py at OAUTH_IDP, the
#   file of everything it issued at OAUTH_IDP_SECRETS; the sink's directory OAUTH_SINK.
#   POPBRIDGE_OAUTH_SECRET must hold the client secret (the config's client-secret-env).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
usage="usage: oauth-popbridge.sh WORKDIR NAME CONFIG"
workdir=$(cd "${1:?$usage}" && pwd)
name=${2:?$usage}
conf=${3:?$usage}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies popbridge}"
: "${POPBRIDGE_OAUTH_SECRET:?POPBRIDGE_OAUTH_SECRET must hold the client secret}"
: "${OAUTH_IDP:=http://127.0.0.1:21390}" "${OAUTH_IDP_SECRETS:=$workdir/idp-secrets}"
: "${OAUTH_SINK:=$workdir/oauth-sink}"
: "${OAUTH_PB_POP3:=22190}" "${OAUTH_PB_POP3S:=22191}" "${OAUTH_PB_SMTP:=22192}" "${OAUTH_PB_METRICS:=22199}"
jar=${POPBRIDGE_JAR:-$root/proxy/target/popbridge.jar}
log=$workdir/$name.log
dovecot_log=$workdir/oauth/dovecot/dovecot.log
seed=$workdir/oauth
state=$(sed -n 's/^state-dir: *//p' "$conf")
out=$workdir/out/${TAG}oauth-popbridge
rm -rf "$out"
mkdir -p "$out"
chmod 700 "$out"
failed=0

oc() { python3 "$here/oauthclient.py" "$@"; }
jget() {
  python3 -c '
import json, sys
try:
    value = json.loads(sys.argv[1])
except ValueError:
    value = None
for key in sys.argv[2].split(".") if sys.argv[2] else []:
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else json.dumps(value) if isinstance(value, (dict, list, bool)) else value)' "$1" "$2"
}
stats() { oc call "$OAUTH_IDP" GET /control/stats; }
stat_delta() {
  local a b
  a=$(jget "$1" "body.$3"); b=$(jget "$2" "body.$3")
  echo $((${b:-0} - ${a:-0}))
}
config_idp() { oc call "$OAUTH_IDP" POST /control/config "$@" > /dev/null; }
count() { grep -c -- "$1" "$2" 2>/dev/null || true; }
# matching REGEX FILE: the last two lines of FILE matching REGEX, on one line, for a reason.
matching() { { grep -E -- "$1" "$2" 2>/dev/null || true; } | tail -n 2 | tr '\n' ' ' | cut -c1-300; }

# The local passwords: random per run, in 0600 files; they travel in environment variables.
secret_word() { python3 -c 'import secrets; print("local-" + secrets.token_hex(10))'; }
umask 077
secret_word > "$out/alice.pw"
secret_word > "$out/bob.pw"
secret_word > "$out/wrong.pw"
pw() { cat "$out/$1.pw"; }

# enrol USER: the device flow through `popbridge oauth login`, approved as USER. Sets
# enrol_problems.
enrol() {
  local user=$1 pid code uri i rc
  enrol_problems=()
  : > "$out/enrol-$user.out"
  OAUTH_LOCAL_PASSWORD=$(pw "$user") timeout 120 java -jar "$jar" oauth login "$user" --config "$conf" \
    --password-env OAUTH_LOCAL_PASSWORD > "$out/enrol-$user.out" 2>&1 < /dev/null &
  pid=$!
  code=
  for ((i = 0; i < 150; i++)); do
    code=$(sed -n 's/.*enter the code \([A-Z0-9-]*\).*/\1/p' "$out/enrol-$user.out" | head -n 1)
    [[ -n $code ]] && break
    alive "$pid" || break
    sleep 0.2
  done
  if [[ -z $code ]]; then
    enrol_problems+=("no 'enter the code' line within 30 s: $(tail -n 3 "$out/enrol-$user.out" | tr '\n' ' ' | cut -c1-300)")
    stop_pid "$pid" 5 || true
    wait "$pid" 2>/dev/null || true
    return
  fi
  uri=$(sed -n 's/.*To sign in, open \([^ ]*\) and enter the code.*/\1/p' "$out/enrol-$user.out" | head -n 1)
  [[ $uri == "$OAUTH_IDP/verify" ]] || enrol_problems+=("the printed verification URI is '$uri', not $OAUTH_IDP/verify")
  r=$(oc call "$OAUTH_IDP" POST /control/approve "user_code=$code" "username=$user")
  [[ $(jget "$r" status) == 200 ]] || enrol_problems+=("/control/approve of the printed code: $r")
  rc=0
  for ((i = 0; i < 300; i++)); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    enrol_problems+=("oauth login $user still running 60 s after the approval")
    stop_pid "$pid" 5 || true
  fi
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || enrol_problems+=("oauth login $user exited $rc: $(tail -n 3 "$out/enrol-$user.out" | tr '\n' ' ' | cut -c1-300)")
}

# curl_fetch NAME USER PASSWORD-FILE: curl pop3:// LIST, then RETR 1, through popbridge's
# plain listener; the credentials through -K -, never argv. Outputs in $out/NAME.{list,retr,err}.
curl_fetch() {
  local fetch=$1 user=$2 pwfile=$3 rc=0
  printf 'user = "%s:%s"\n' "$user" "$(cat "$pwfile")" \
    | curl -sS --max-time 30 -K - "pop3://127.0.0.1:$OAUTH_PB_POP3/" -o "$out/$fetch.list" 2> "$out/$fetch.err" || rc=$?
  [[ $rc -eq 0 ]] || { echo "curl LIST exited $rc: $(head -c 200 "$out/$fetch.err")"; return 1; }
  printf 'user = "%s:%s"\n' "$user" "$(cat "$pwfile")" \
    | curl -sS --max-time 30 -K - "pop3://127.0.0.1:$OAUTH_PB_POP3/1" -o "$out/$fetch.retr" 2>> "$out/$fetch.err" || rc=$?
  [[ $rc -eq 0 ]] || { echo "curl RETR 1 exited $rc: $(head -c 200 "$out/$fetch.err")"; return 1; }
}

# pop_login USER PASSWORD-FILE [SESSIONS]: SESSIONS (default 1) concurrent poplib sessions
# (USER/PASS, STAT, QUIT) on the plain listener, all released at once; prints JSON
# {ok, refused: [first replies], errors: [...]}.
pop_login() {
  LOCAL_PASSWORD=$(cat "$2") python3 - "$OAUTH_PB_POP3" "$1" "${3:-1}" <<'PY'
import json, os, poplib, sys, threading
port, user, sessions = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
password = os.environ["LOCAL_PASSWORD"]
barrier = threading.Barrier(sessions)
lock = threading.Lock()
result = {"ok": 0, "refused": [], "errors": []}

def one():
    try:
        pop = poplib.POP3("127.0.0.1", port, timeout=60)
        try:
            barrier.wait(timeout=60)
            pop.user(user)
            pop.pass_(password)
            pop.stat()
            pop.quit()
            with lock:
                result["ok"] += 1
        finally:
            pop.close()
    except poplib.error_proto as e:
        reply = e.args[0] if e.args else b""
        reply = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        with lock:
            result["refused"].append(reply[:120])
    except Exception as e:  # noqa: BLE001 - reported, judged by the check
        with lock:
            result["errors"].append(f"{type(e).__name__}: {e}"[:120])

threads = [threading.Thread(target=one) for _ in range(sessions)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
print(json.dumps(result))
PY
}

stats_start=$(stats)
dovecot_pop3_logins() { count "pop3-login: Info: Login: user=<$1>" "$dovecot_log"; }
oauth_files() { find "$state/oauth" -type f 2>/dev/null | sort; }

# --- enrol-device-flow -------------------------------------------------------------------
# From here on access tokens live 3 s, so the fetches below already run on refreshed tokens.
config_idp access_ttl=3 token_delay_ms=0
files_before=$(oauth_files)
s0=$(stats)
problems=()
enrol alice
problems+=("${enrol_problems[@]}")
s1=$(stats)
[[ $(stat_delta "$s0" "$s1" grants.device_code.alice) -eq 1 ]] \
  || problems+=("idp.py counted $(stat_delta "$s0" "$s1" grants.device_code.alice) device_code grants for alice, expected 1")
new_files=$(comm -13 <(echo "$files_before") <(oauth_files) | grep -v '^$' || true)
if [[ -z $new_files ]]; then
  problems+=("no new file under $state/oauth")
else
  while IFS= read -r f; do
    [[ $(stat -c %a "$f") == 600 ]] || problems+=("$(basename "$f") has mode $(stat -c %a "$f"), not 600")
    if [[ -s $OAUTH_IDP_SECRETS ]] && grep -qF -f "$OAUTH_IDP_SECRETS" "$f"; then
      problems+=("$(basename "$f") holds a token idp.py issued in the clear")
    fi
  done <<< "$new_files"
fi
[[ -s $OAUTH_IDP_SECRETS ]] || problems+=("idp.py's secrets file $OAUTH_IDP_SECRETS is empty: the token file could not be judged")
enrol bob
[[ ${#enrol_problems[@]} -eq 0 ]] || problems+=("bob: ${enrol_problems[*]}")
verdict enrol-device-flow "${problems[@]}"

# --- oauth-list --------------------------------------------------------------------------
problems=()
rc=0
timeout 60 java -jar "$jar" oauth list --config "$conf" > "$out/list.out" 2>&1 < /dev/null || rc=$?
[[ $rc -eq 0 ]] || problems+=("oauth list exited $rc: $(tail -n 3 "$out/list.out" | tr '\n' ' ' | cut -c1-300)")
grep -qw alice "$out/list.out" || problems+=("oauth list does not name alice: $(head -c 300 "$out/list.out")")
grep -qw bob "$out/list.out" || problems+=("oauth list does not name bob")
if [[ -s $OAUTH_IDP_SECRETS ]] && grep -qF -f "$OAUTH_IDP_SECRETS" "$out/list.out"; then
  problems+=("oauth list prints a token")
fi
# idp.py's tokens are 43 base64url characters; nothing that long and token-shaped belongs here.
grep -qE '[A-Za-z0-9_-]{40,}' "$out/list.out" && problems+=("oauth list prints something token-shaped")
verdict oauth-list "${problems[@]}"

# --- fetch-with-local-password -----------------------------------------------------------
problems=()
before=$(dovecot_pop3_logins alice)
if ! why=$(curl_fetch alice "alice" "$out/alice.pw"); then
  problems+=("$why")
else
  why=$(same "$out/alice.retr" "$seed/seed-alice.eml") || problems+=("curl RETR 1 as alice is not the seeded message: $why")
  [[ $(tr -d '\r' < "$out/alice.list") == "1 $(stat -c %s "$seed/seed-alice.eml")" ]] \
    || problems+=("curl LIST: '$(head -c 100 "$out/alice.list" | tr -d '\r')', expected '1 $(stat -c %s "$seed/seed-alice.eml")'")
fi
rm -rf "$out/fetchmail"
rc=0
fetch_with_fetchmail "$out/fetchmail" "$OAUTH_PB_POP3S" alice "$(pw alice)" 'ssl sslproto "tls1.2+"' || rc=$?
if [[ $rc -ne 0 ]]; then
  problems+=("$(fetchmail_failure "$out/fetchmail" "$rc")")
else
  got=$(find "$out/fetchmail/mail" -type f | sort)
  if [[ $(echo "$got" | grep -c .) -ne 1 ]]; then
    problems+=("fetchmail delivered $(echo "$got" | grep -c .) messages, expected 1")
  elif ! grep -q "^Subject: oauth seed for alice" "$got"; then
    problems+=("fetchmail's message is not alice's seed: $(matching '^Subject' "$got")")
  fi
fi
rm -f "$out/fetchmail/home/fetchmailrc"
[[ $(dovecot_pop3_logins alice) -ge $((before + 3)) ]] \
  || problems+=("Dovecot logged $(($(dovecot_pop3_logins alice) - before)) POP3 logins of alice for 3 sessions")
grep "pop3-login: Info: Login: user=<alice>" "$dovecot_log" | tail -n 1 | grep -qE 'method=(XOAUTH2|OAUTHBEARER)' \
  || problems+=("Dovecot's last POP3 login of alice names no token mechanism")
verdict fetch-with-local-password "${problems[@]}"

# --- imap-route --------------------------------------------------------------------------
problems=()
before=$(count "imap-login: Info: Login: user=<bob>" "$dovecot_log")
if ! why=$(curl_fetch bob "bob" "$out/bob.pw"); then
  problems+=("$why")
else
  why=$(same "$out/bob.retr" "$seed/seed-bob.eml") || problems+=("curl RETR 1 as bob is not the seeded message: $why")
  [[ $(tr -d '\r' < "$out/bob.list") == "1 $(stat -c %s "$seed/seed-bob.eml")" ]] \
    || problems+=("curl LIST as bob: '$(head -c 100 "$out/bob.list" | tr -d '\r')'")
fi
after=$(count "imap-login: Info: Login: user=<bob>" "$dovecot_log")
[[ $after -ge $((before + 2)) ]] || problems+=("Dovecot's imap-login logged $((after - before)) logins of bob for 2 sessions")
verdict imap-route "${problems[@]}"

# --- send-with-local-password ------------------------------------------------------------
problems=()
subject="oauth-popbridge $(date +%s%N)"
before=$(count "submission-login: Info: Login: user=<alice>" "$dovecot_log")
rc=0
swaks --server "127.0.0.1:$OAUTH_PB_SMTP" --tls --tls-verify --tls-ca-path "$PROXY_CA" \
  --auth PLAIN --auth-user alice --auth-password "$(pw alice)" --hide-send \
  --from alice@example.test --to bob@example.test --header "Subject: $subject" \
  --body "sent with a local password through popbridge" --timeout 60 > "$out/swaks.out" 2>&1 || rc=$?
[[ $rc -eq 0 ]] || problems+=("swaks exited $rc: $(matching '^(<~?\*? *[45][0-9][0-9]|\*\*\*)' "$out/swaks.out")")
found=
for ((i = 0; i < 50; i++)); do
  found=$(grep -l -F "Subject: $subject" "$OAUTH_SINK"/*.eml 2>/dev/null | head -n 1 || true)
  [[ -n $found ]] && break
  sleep 0.2
done
[[ -n $found ]] || problems+=("the message did not reach the sink behind Dovecot's submission")
[[ $(count "submission-login: Info: Login: user=<alice>" "$dovecot_log") -gt $before ]] \
  || problems+=("Dovecot's submission-login logged no login of alice")
verdict send-with-local-password "${problems[@]}"

# --- wrong-local-password ----------------------------------------------------------------
problems=()
before=$(count "pop3-login:" "$dovecot_log")
s0=$(stats)
r=$(pop_login alice "$out/wrong.pw")
echo "$r" > "$out/wrong.json"
[[ $(jget "$r" ok) == 0 && $(jget "$r" refused) == '["-ERR [AUTH]'* ]] || problems+=("a wrong local password: $r")
s1=$(stats)
[[ $(count "pop3-login:" "$dovecot_log") -eq $before ]] || problems+=("Dovecot's pop3-login logged $(($(count "pop3-login:" "$dovecot_log") - before)) lines for the refused login")
[[ $(stat_delta "$s0" "$s1" introspections.total) -eq 0 ]] || problems+=("idp.py was asked to introspect a token")
[[ $(stat_delta "$s0" "$s1" grants.refresh_token.alice) -eq 0 && $(stat_delta "$s0" "$s1" refresh_failures.alice) -eq 0 ]] \
  || problems+=("idp.py saw a refresh for the refused login")
verdict wrong-local-password "${problems[@]}"

# --- refresh-transparent -----------------------------------------------------------------
# Every token popbridge holds for alice lived 3 s and was issued before the wrong password.
problems=()
sleep 4
s0=$(stats)
if ! why=$(curl_fetch refreshed alice "$out/alice.pw"); then
  problems+=("the fetch after expiry: $why")
else
  why=$(same "$out/refreshed.retr" "$seed/seed-alice.eml") || problems+=("RETR 1 after expiry: $why")
fi
refreshed_at=$SECONDS
s1=$(stats)
[[ $(stat_delta "$s0" "$s1" refreshes.alice) -eq 1 ]] \
  || problems+=("idp.py counted $(stat_delta "$s0" "$s1" refreshes.alice) refreshes of alice for a fetch (two logins) after expiry, expected 1")
[[ $(stat_delta "$s0" "$s1" refresh_failures.alice) -eq 0 ]] || problems+=("a refused refresh of alice")
if curl -sS --max-time 10 "http://127.0.0.1:$OAUTH_PB_METRICS/metrics" > "$out/metrics" 2> "$out/metrics.err"; then
  metric=$(awk '/^popbridge_token_refreshes_total\{/ && /outcome="(ok|rotated)"/ { n += $2 } END { printf "%d", n }' "$out/metrics")
  idp_count=$(( $(stat_delta "$stats_start" "$s1" refreshes.alice) + $(stat_delta "$stats_start" "$s1" refreshes.bob) ))
  [[ $metric -eq $idp_count && $idp_count -ge 1 ]] \
    || problems+=("popbridge_token_refreshes_total (ok, rotated) is $metric, idp.py counted $idp_count refreshes of alice and bob")
else
  problems+=("metrics on $OAUTH_PB_METRICS: $(head -c 200 "$out/metrics.err")")
fi
verdict refresh-transparent "${problems[@]}"

# --- fifty-sessions-one-refresh ----------------------------------------------------------
# New tokens live 20 s (the 50 sessions finish well within it); a slow token endpoint makes
# all 50 arrive while the one refresh is in flight.
problems=()
config_idp access_ttl=20 token_delay_ms=1000
wait_s=$((refreshed_at + 4 - SECONDS))
[[ $wait_s -gt 0 ]] && sleep "$wait_s"
s0=$(stats)
fifty_at=$SECONDS
r=$(pop_login alice "$out/alice.pw" 50)
echo "$r" > "$out/fifty.json"
s1=$(stats)
config_idp token_delay_ms=0
[[ $(jget "$r" ok) == 50 ]] || problems+=("$(jget "$r" ok) of 50 sessions got STAT: refused $(jget "$r" refused | cut -c1-200) errors $(jget "$r" errors | cut -c1-200)")
[[ $(stat_delta "$s0" "$s1" refreshes.alice) -eq 1 ]] \
  || problems+=("idp.py counted $(stat_delta "$s0" "$s1" refreshes.alice) refreshes of alice for 50 concurrent logins, expected 1")
[[ $(stat_delta "$s0" "$s1" introspections.by_user.alice) -eq 50 ]] \
  || problems+=("idp.py answered $(stat_delta "$s0" "$s1" introspections.by_user.alice) active introspections of alice, expected 50")
verdict fifty-sessions-one-refresh "${problems[@]}"

# --- revoked-needs-reenrol ---------------------------------------------------------------
problems=()
config_idp access_ttl=3
r=$(oc call "$OAUTH_IDP" POST /control/revoke-user username=alice access=1)
[[ $(jget "$r" body.revoked_refresh) -ge 1 ]] || problems+=("/control/revoke-user: $r")
# popbridge's token for alice (20 s from the fifty sessions' refresh) must be past its expiry in
# popbridge's own view, or it would not ask idp.py.
wait_s=$((fifty_at + 23 - SECONDS))
[[ $wait_s -gt 0 ]] && sleep "$wait_s"
command="popbridge oauth login alice --config $conf"
warns_before=$(grep -F -- "$command" "$log" | grep -c WARN || true)
before=$(dovecot_pop3_logins alice)
s0=$(stats)
r=$(pop_login alice "$out/alice.pw")
echo "$r" > "$out/revoked.json"
s1=$(stats)
[[ $(jget "$r" ok) == 0 && $(jget "$r" refused) == '["-ERR [AUTH]'* ]] || problems+=("the login after revocation: $r")
warns=$(( $(grep -F -- "$command" "$log" | grep -c WARN || true) - warns_before ))
[[ $warns -eq 1 ]] || problems+=("popbridge logged $warns WARN lines naming '$command', expected 1 ($(matching 'enrol' "$log"))")
[[ $(stat_delta "$s0" "$s1" refresh_failures.alice) -eq 1 ]] \
  || problems+=("idp.py refused $(stat_delta "$s0" "$s1" refresh_failures.alice) refreshes of alice, expected 1")
[[ $(dovecot_pop3_logins alice) -eq $before ]] || problems+=("Dovecot logged a login of alice after the revocation")
r=$(pop_login alice "$out/alice.pw")
echo "$r" > "$out/revoked-2.json"
s2=$(stats)
[[ $(jget "$r" ok) == 0 && $(jget "$r" refused) == '["-ERR [AUTH]'* ]] || problems+=("the second login after revocation: $r")
[[ $(stat_delta "$s1" "$s2" refresh_failures.alice) -eq 0 && $(stat_delta "$s1" "$s2" grants.refresh_token.alice) -eq 0 ]] \
  || problems+=("the second login asked idp.py again")
verdict revoked-needs-reenrol "${problems[@]}"

# --- no-token-in-logs --------------------------------------------------------------------
problems=()
lines=$(grep -c . "$OAUTH_IDP_SECRETS" 2>/dev/null || true)
# Two device codes, two enrolments' tokens, at least four refreshes (each access + refresh).
[[ ${lines:-0} -ge 10 ]] || problems+=("idp.py's secrets file has ${lines:-0} lines; expected the run's tokens")
{
  pw alice; pw bob; pw wrong
  echo "$POPBRIDGE_OAUTH_SECRET"
  for u in alice bob; do
    printf '%s' "$(pw $u)" | base64 -w0; echo
    printf '\0%s\0%s' "$u" "$(pw $u)" | base64 -w0; echo
    # The first 21 octets of an XOAUTH2 response, "user=U^Aauth=Bearer ", base64: 28 characters.
    printf 'user=%s\001auth=Bearer ' "$u" | head -c 21 | base64 -w0; echo
  done
} > "$out/local-secrets"
for file in "$log" "$out"/enrol-*.out "$out/list.out" "$out"/*.json "$out/swaks.out" "$out/metrics"; do
  [[ -f $file ]] || continue
  if [[ -s $OAUTH_IDP_SECRETS ]] && grep -qF -f "$OAUTH_IDP_SECRETS" "$file"; then
    problems+=("$(basename "$file") holds a token or device code idp.py issued ($(grep -cF -f "$OAUTH_IDP_SECRETS" "$file") lines)")
  fi
  if grep -qF -f "$out/local-secrets" "$file"; then
    problems+=("$(basename "$file") holds a local password, the client secret or a base64 login ($(grep -cF -f "$out/local-secrets" "$file") lines)")
  fi
done
[[ -s $log ]] || problems+=("popbridge's log $log is empty or missing")
verdict no-token-in-logs "${problems[@]}"
rm -f "$out"/*.pw "$out/local-secrets"

exit "$failed"
