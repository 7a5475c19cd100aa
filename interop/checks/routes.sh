#!/usr/bin/env bash
# Routes group (README "Routing users to several mail servers"): one popbridge whose config
# has no top-level upstream, only routes:, in front of the suite's Dovecot (run.sh writes
# it into WORKDIR/routes/routes.yaml):
#   "*@imap.test", strip-domain    -> imaps://localhost:21993 (ca: the test CA): dave's
#                                     IMAP mailbox (imap-corpus.py) for dave@imap.test
#   frank, add-domain pop.test     -> pop3s://localhost:21995 (ca: the test CA): the POP3
#                                     mailbox of Dovecot's user frank@pop.test (corpus.py)
# The references: dave's mailbox as Dovecot's IMAP holds it (imapcheck.py reference:
# BODY.PEEK[] of each UID, RFC822.SIZE, UIDVALIDITY.UID), frank@pop.test's as Dovecot's own
# POP3 serves it (curl straight to 21110). Checks:
#   route-log-lines            at start, exactly one "route MATCH -> URL, user name REWRITE"
#                              line per route, and "no default route"
#   unrouted-err-auth          dave and frank@pop.test (Dovecot's names, with their real
#                              passwords, but no route takes them) and nobody@elsewhere.test:
#                              PASS (pop3 and pop3s) and AUTH PLAIN get "-ERR [AUTH] ..."
#   unrouted-no-upstream       for those logins popbridge logs "no route for user NAME" and
#                              routes none of them, and Dovecot's login processes log no
#                              connection at all (no Login, no Disconnected)
#   retry-after-unrouted       the same connection, after the refusal, logs in as
#                              dave@imap.test and gets the reference's STAT
#   domain-curl-list-uidl      curl pop3:// as dave@imap.test: LIST and UIDL are the IMAP
#                              reference's (RFC822.SIZE, "UIDVALIDITY.UID")
#   domain-curl-retr           curl pop3:// RETR of every message: byte for byte BODY.PEEK[]
#                              (a missing final CRLF added)
#   domain-curl-pop3s          curl pop3s:// (verifying popbridge's certificate): LIST and
#                              every RETR, byte for byte as above
#   exact-curl-list-uidl       curl pop3:// as frank: LIST and UIDL are what Dovecot's POP3
#                              serves frank@pop.test
#   exact-curl-retr            curl pop3:// RETR of every message: byte for byte Dovecot's
#   exact-curl-pop3s           curl pop3s://: LIST and every RETR, byte for byte Dovecot's
#   auth-plain-routed          AUTH PLAIN (initial response) as dave@imap.test and as frank:
#                              +OK, STAT is the reference's
#   upstream-names-rewritten   popbridge logs "user dave@imap.test routed to
#                              imaps://localhost:21993 as dave" and "user frank routed to
#                              pop3s://localhost:21995 as frank@pop.test"; Dovecot logged in
#                              dave (IMAP) and frank@pop.test (POP3) exactly once per routed
#                              session above, and never saw a login as dave@imap.test or frank
#   migrated-uidl-as-pop3      "*@migrated.test", strip-domain -> the same IMAPS with
#                              uidl-format %08Xu%08Xv (Dovecot's pop3_uidl_format here): UIDL
#                              as alice@migrated.test is byte for byte what Dovecot's own POP3
#                              gave alice (WORKDIR/direct/uidl), so a client moved from POP3 to
#                              the IMAP route downloads nothing again
#   log-no-auth-plain          no AUTH PLAIN response of these sessions (base64) is in
#                              popbridge's log (run.sh checks for the passwords themselves)
# usage: routes.sh WORKDIR NAME   (NAME: the popbridge under test, its log WORKDIR/NAME.log;
#                                  PROXY_PLAIN, PROXY_TLS, PROXY_CA from the environment)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: routes.sh WORKDIR NAME}
name=${2:?usage: routes.sh WORKDIR NAME}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
plog=$workdir/$name.log
dlog=$workdir/dovecot/dovecot.log
out=$workdir/out/${TAG:-routes/}routes
rm -rf "$out"
mkdir -p "$out"
failed=0
imap_url=imaps://localhost:21993
pop3_url=pop3s://localhost:$DIRECT_TLS

# count PATTERN FILE: lines of FILE matching the extended regular expression PATTERN.
count() {
  grep -cE -- "$1" "$2" || true
}

# stat_of DIR: the STAT reply ("+OK N OCTETS") that DIR/list (a LIST body) implies.
stat_of() {
  tr -d '\r' < "$1/list" | awk '{ n++; s += $2 } END { printf "+OK %d %d\n", n, s }'
}

# --- route-log-lines ---------------------------------------------------------------------
problems=()
routes=$(grep -E ' route .* -> ' "$plog" | sed 's/.* route /route /' || true)
want_routes=("route *@imap.test -> $imap_url, user name strip-domain"
  "route frank -> $pop3_url, user name add-domain pop.test"
  "route *@migrated.test -> $imap_url, user name strip-domain")
if [[ $(printf '%s\n' "$routes" | grep -c .) -ne ${#want_routes[@]} ]]; then
  problems+=("expected ${#want_routes[@]} route lines, got: $(printf '%s' "$routes" | tr '\n' '|')")
fi
for line in "${want_routes[@]}"; do
  printf '%s\n' "$routes" | grep -qxF -- "$line" || problems+=("no line \"$line\"")
done
grep -q 'no default route' "$plog" || problems+=("no \"no default route\" line")
verdict route-log-lines "${problems[@]}"

# --- the references ----------------------------------------------------------------------
imap_dave=$(count 'imap-login: Info: Login: user=<dave>' "$dlog")
pop3_frank=$(count 'pop3-login: Info: Login: user=<frank@pop\.test>' "$dlog")
dref=$out/dave-reference
if ! why=$(python3 "$here/imapcheck.py" --imap-port "${DIRECT_IMAP:-21143}" --user dave \
    --workdir "$workdir" --tag "${TAG:-}" reference "$dref" 2>&1); then
  verdict references "reading dave's mailbox over IMAP failed: $(echo "$why" | tail -n 1)"
  exit 1
fi
fref=$out/frank-reference
mkdir -p "$fref"
dc() {
  curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 -u frank@pop.test:frank-secret "$@"
}
if ! why=$(dc "pop3://$DIRECT_HOST:$DIRECT_PLAIN/" -o "$fref/list" 2>&1 \
    && dc "pop3://$DIRECT_HOST:$DIRECT_PLAIN/" -X UIDL -o "$fref/uidl" 2>&1); then
  verdict references "Dovecot's POP3 as frank@pop.test: $why"
  exit 1
fi
fcount=$(grep -c . "$fref/list" || true)
if [[ $fcount -gt 0 ]] && ! why=$(dc "pop3://$DIRECT_HOST:$DIRECT_PLAIN/[1-$fcount]" -o "$fref/retr.#1" 2>&1); then
  verdict references "Dovecot's POP3 as frank@pop.test, RETR 1..$fcount: $why"
  exit 1
fi
dcount=$(cat "$dref/count")
if [[ $dcount -lt 2 || $fcount -lt 2 ]]; then
  verdict references "dave's IMAP mailbox has $dcount messages, frank@pop.test's POP3 one $fcount"
  exit 1
fi

# The reference sessions' login lines come through Dovecot's log process: wait (5 s bound)
# until they are all there, so that none is counted below as the proxy's.
for ((i = 0; i < 25; i++)); do
  [[ $(count 'imap-login: Info: Login: user=<dave>' "$dlog") -gt $imap_dave &&
    $(count 'pop3-login: Info: Login: user=<frank@pop\.test>' "$dlog") -ge $((pop3_frank + 3)) ]] && break
  sleep 0.2
done

# --- unrouted users ----------------------------------------------------------------------
unrouted=(dave frank@pop.test nobody@elsewhere.test)
login_lines=$(count '(pop3|imap)-login: ' "$dlog")
problems=()
# outcome NAME PORT TLS: pop3.py's USER/PASS as NAME (password: NAME's local part + "-secret")
# on PORT; "err PASS: -ERR [AUTH] ..." is expected.
outcome() {
  python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$2" --tls "$3" --ca "$PROXY_CA" \
    --user "$1" --password "${1%@*}-secret" --timeout 20 login-outcome
}
for args in "dave $PROXY_PLAIN none" "frank@pop.test $PROXY_TLS implicit" \
    "nobody@elsewhere.test $PROXY_PLAIN none"; do
  read -r user port tls <<< "$args"
  got=$(outcome "$user" "$port" "$tls" 2>&1 || true)
  [[ $got == "err PASS: -ERR [AUTH]"* ]] || problems+=("USER/PASS as $user on $port: $got")
done

# AUTH PLAIN as an unrouted user, then, on the same connection, a routed login.
tokens=()
plain_token() { printf '\0%s\0%s' "$1" "$2" | base64 -w0; }
tokens+=("$(plain_token frank@pop.test frank-secret)" "$(plain_token dave@imap.test dave-secret)"
  "$(plain_token frank frank-secret)")
retry=$(python3 - "$here" "$PROXY_HOST" "$PROXY_PLAIN" "${tokens[0]}" <<'PY' 2>&1 || true
import sys
sys.path.insert(0, sys.argv[1])
import pop3
p = pop3.Pop3(sys.argv[2], int(sys.argv[3]), "none", None, 20)
try:
    p.send(f"AUTH PLAIN {sys.argv[4]}\r\n".encode())
    print("auth", p.read_line().decode("latin-1").rstrip("\r\n"))
    for cmd in ("USER dave@imap.test", "PASS dave-secret", "STAT", "QUIT"):
        p.send(cmd.encode() + b"\r\n")
        print("retry", p.read_line().decode("latin-1").rstrip("\r\n"))
finally:
    p.close()
PY
)
echo "$retry" > "$out/retry"
auth=$(sed -n 's/^auth //p' "$out/retry")
[[ $auth == "-ERR [AUTH]"* ]] || problems+=("AUTH PLAIN as frank@pop.test: ${auth:-$(tail -n 1 "$out/retry")}")
verdict unrouted-err-auth "${problems[@]}"

# Dovecot's log is written by its log process: give it a moment to show a connection.
sleep 1
problems=()
now=$(count '(pop3|imap)-login: ' "$dlog")
# The retry's routed login is the one login process line expected.
if [[ $((now - login_lines)) -ne 1 ]]; then
  problems+=("Dovecot's login processes logged $((now - login_lines)) lines for the unrouted logins and the one routed retry (expected 1): $(tail -n $((now - login_lines > 0 ? now - login_lines : 1)) "$dlog" | grep -E '(pop3|imap)-login: ' | cut -c1-160 | tr '\n' '|')")
fi
for user in "${unrouted[@]}"; do
  # frank@pop.test was refused twice (PASS over pop3s and AUTH PLAIN), the others once.
  want=1
  [[ $user == frank@pop.test ]] && want=2
  got=$(count "no route for user ${user//./\\.}\$" "$plog")
  [[ $got -eq $want ]] || problems+=("popbridge logged \"no route for user $user\" $got times, expected $want")
  got=$(count "user ${user//./\\.} routed to" "$plog")
  [[ $got -eq 0 ]] || problems+=("popbridge routed $user $got times")
done
verdict unrouted-no-upstream "${problems[@]}"

mapfile -t lines < <(sed -n 's/^retry //p' "$out/retry")
problems=()
if [[ ${#lines[@]} -ne 4 ]]; then
  problems+=("the session ended early: $(tr '\n' '|' < "$out/retry" | cut -c1-300)")
else
  [[ ${lines[0]} == "+OK"* && ${lines[1]} == "+OK"* ]] || problems+=("USER/PASS as dave@imap.test: ${lines[0]} / ${lines[1]}")
  [[ ${lines[2]} == "$(stat_of "$dref")" ]] || problems+=("STAT got \"${lines[2]}\", the IMAP reference says \"$(stat_of "$dref")\"")
  [[ ${lines[3]} == "+OK"* ]] || problems+=("QUIT got ${lines[3]}")
fi
verdict retry-after-unrouted "${problems[@]}"

# --- routed users ------------------------------------------------------------------------
# curl fetches LIST and every RETR of one invocation over one connection (it reuses it), so
# each route gets a few sessions, each reading many messages.
dave_logins=$(count 'imap-login: Info: Login: user=<dave>' "$dlog")
frank_logins=$(count 'pop3-login: Info: Login: user=<frank@pop\.test>' "$dlog")
dave_routed=$(count 'user dave@imap\.test routed to' "$plog")
frank_routed=$(count 'user frank routed to' "$plog")

# pcurl USER PASSWORD FILE ARGS...: curl through popbridge (FILE: its first -o and the name
# of its error file); on error prints why.
pcurl() {
  local user=$1 password=$2 file=$3; shift 3
  if ! curl -q -sS --noproxy "*" --max-time 60 --connect-timeout 10 --cacert "$PROXY_CA" \
      -u "$user:$password" -o "$file" "$@" 2> "$file.err"; then
    echo "curl $* failed: $(first_line "$file.err")"
    return 1
  fi
}

# fetch_all KIND URL USER PASSWORD REF DIR: one curl session: LIST and RETR of every message,
# into DIR/KIND.list and DIR/KIND.retr.N; sets list_problems and retr_problems.
fetch_all() {
  local kind=$1 url=$2 user=$3 password=$4 ref=$5 dir=$6 count n why
  count=$(grep -c . "$ref/list")
  list_problems=() retr_problems=()
  why=$(pcurl "$user" "$password" "$dir/$kind.list" "$url/" "$url/[1-$count]" -o "$dir/$kind.retr.#1") \
    || retr_problems+=("$why")
  why=$(same "$ref/list" "$dir/$kind.list") || list_problems+=("LIST: $why")
  for ((n = 1; n <= count; n++)); do
    why=$(same "$ref/retr.$n" "$dir/$kind.retr.$n") || retr_problems+=("RETR $n: $why")
  done
}

# routed_checks PREFIX USER PASSWORD REF: the curl checks of one route: over pop3://, LIST
# and every RETR in one session, UIDL in another; over pop3s://, LIST and every RETR.
routed_checks() {
  local prefix=$1 user=$2 password=$3 ref=$4 dir=$out/$1 why
  mkdir -p "$dir"
  fetch_all pop3 "pop3://$PROXY_HOST:$PROXY_PLAIN" "$user" "$password" "$ref" "$dir"
  why=$(pcurl "$user" "$password" "$dir/uidl" "pop3://$PROXY_HOST:$PROXY_PLAIN/" -X UIDL) \
    && why=$(same "$ref/uidl" "$dir/uidl") || list_problems+=("UIDL: $why")
  verdict "$prefix-curl-list-uidl" "${list_problems[@]}"
  verdict "$prefix-curl-retr" "${retr_problems[@]}"
  fetch_all pop3s "pop3s://$PROXY_HOST:$PROXY_TLS" "$user" "$password" "$ref" "$dir"
  verdict "$prefix-curl-pop3s" "${list_problems[@]}" "${retr_problems[@]}"
}

routed_checks domain dave@imap.test dave-secret "$dref"
routed_checks exact frank frank-secret "$fref"

problems=()
for args in "dave@imap.test ${tokens[1]} $dref" "frank ${tokens[2]} $fref"; do
  read -r user token ref <<< "$args"
  got=$(python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_TLS" --tls implicit \
    --ca "$PROXY_CA" session --no-login "AUTH PLAIN $token" STAT 2>&1 | tr -d '\r' || true)
  want=$(printf '+OK\n%s\n+OK' "$(stat_of "$ref")")
  [[ $got == "$want" ]] || problems+=("AUTH PLAIN as $user, STAT, QUIT: $(echo "$got" | tr '\n' '|' | cut -c1-200), expected $(echo "$want" | tr '\n' '|')")
done
verdict auth-plain-routed "${problems[@]}"

problems=()
for line in "user dave@imap.test routed to $imap_url as dave" \
    "user frank routed to $pop3_url as frank@pop.test"; do
  grep -qF -- "$line" "$plog" || problems+=("popbridge's log has no \"$line\"")
done
# One upstream login per routed session: popbridge's "routed to" lines since the curl checks
# began against Dovecot's login lines (which come through its log process: 5 s bound).
dave_sessions=$(( $(count 'user dave@imap\.test routed to' "$plog") - dave_routed ))
frank_sessions=$(( $(count 'user frank routed to' "$plog") - frank_routed ))
[[ $dave_sessions -ge 4 && $frank_sessions -ge 4 ]] \
  || problems+=("popbridge logged $dave_sessions sessions routed for dave@imap.test and $frank_sessions for frank (at least 4 each expected)")
for ((i = 0; i < 25; i++)); do
  d=$(( $(count 'imap-login: Info: Login: user=<dave>' "$dlog") - dave_logins ))
  f=$(( $(count 'pop3-login: Info: Login: user=<frank@pop\.test>' "$dlog") - frank_logins ))
  [[ $d -ge $dave_sessions && $f -ge $frank_sessions ]] && break
  sleep 0.2
done
[[ $d -eq $dave_sessions ]] || problems+=("Dovecot's IMAP logged in dave $d times for $dave_sessions routed sessions")
[[ $f -eq $frank_sessions ]] || problems+=("Dovecot's POP3 logged in frank@pop.test $f times for $frank_sessions routed sessions")
bad=$(count 'user=<(dave@imap\.test|frank|nobody@elsewhere\.test)>' "$dlog")
[[ $bad -eq 0 ]] || problems+=("Dovecot saw $bad logins under a name the routes should have rewritten or refused")
verdict upstream-names-rewritten "${problems[@]}"

# --- migrated-uidl-as-pop3 ----------------------------------------------------------------
problems=()
mkdir -p "$out/migrated"
why=$(pcurl alice@migrated.test alice-secret "$out/migrated/uidl" "pop3://$PROXY_HOST:$PROXY_PLAIN/" -X UIDL) \
  && why=$(same "$workdir/direct/uidl" "$out/migrated/uidl") || problems+=("UIDL: $why")
grep -q . "$out/migrated/uidl" 2>/dev/null || problems+=("UIDL through popbridge is empty")
verdict migrated-uidl-as-pop3 "${problems[@]}"

problems=()
for token in "${tokens[@]}"; do
  if grep -qF -- "$token" "$plog"; then
    problems+=("an AUTH PLAIN response ($token) is in popbridge's log")
  fi
done
# curl logs in with SASL when CAPA offers it (its PLAIN responses are the tokens above):
# nor may a password in base64, as AUTH LOGIN sends it, be there.
for password in dave-secret frank-secret; do
  token=$(printf '%s' "$password" | base64 -w0)
  grep -qF -- "$token" "$plog" && problems+=("$password in base64 (an AUTH LOGIN response) is in popbridge's log")
done
verdict log-no-auth-plain "${problems[@]}"
exit "$failed"
