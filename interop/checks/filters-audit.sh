#!/usr/bin/env bash
# Filter group, the audit log of the `log` filter (logger popbridge.audit, in popbridge's
# output). Run it last in the group: it reads what the earlier checks' sessions left too.
#   audit-command-lines   a session of its own (STLS, USER/PASS, STAT, LIST 1, RETR and
#                         TOP 0 of a tagged message, UIDL 2, NOOP, QUIT) gets one line per
#                         command, in order, each with status=+OK, and PASS as "PASS ****"
#   audit-summary         that session's summary: user=carol, commands= as many as it sent,
#                         retrieved=1 deleted=0, client_tls and upstream_tls a TLS version
#                         (the client's after STLS), end=QUIT
#   audit-summary-deleted filters-dele.sh's sessions: the one that sent DELE and QUIT is
#                         summarised deleted=1 end=QUIT, the one that dropped deleted=0
#   audit-no-secrets      in the whole log, every PASS line reads command="PASS ****", there
#                         is one per USER/PASS login, and neither carol's password nor her
#                         SASL PLAIN response (curl and fetchmail log in with AUTH PLAIN) appears
# usage: filters-audit.sh WORKDIR NAME   (popbridge's log is WORKDIR/NAME.log)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: filters-audit.sh WORKDIR NAME}
log=$workdir/${2:?usage: filters-audit.sh WORKDIR NAME}.log
. "$here/filters-lib.sh"
out=$workdir/out/${TAG:-filters/}audit
mkdir -p "$out"
failed=0

# audit_lines: the audit logger's lines, from "session=" on.
audit_lines() { sed -n 's/^.* audit - \(session=\)/\1/p' "$log"; }

read -r client _ _ < <(visible | while read -r c u l; do [[ -n $(expected_tag "$l") ]] && echo "$c $u $l"; done | head -n 1)
commands=(STAT "LIST 1" "RETR $client" "TOP $client 0" "UIDL 2" NOOP)
before=$(audit_lines | wc -l)
if ! python3 "$here/pop3.py" --host "$PROXY_HOST" --port "$PROXY_PLAIN" --tls stls --ca "$PROXY_CA" \
    --user carol --password carol-secret session "${commands[@]}" > "$out/session" 2> "$out/session.err"; then
  fail "${TAG}audit-command-lines" "the STLS session through popbridge failed: $(first_line "$out/session.err")"
  exit 1
fi

# The session's id is on its PASS line; its summary is the line with upstream= (written
# when the session ends, maybe just after QUIT's reply).
session=
for ((i = 0; i < 50; i++)); do
  audit_lines | tail -n +"$((before + 1))" > "$out/new"
  session=$(sed -n 's/^session=\([^ ]*\) .*command="PASS \*\*\*\*".*/\1/p' "$out/new" | head -n 1)
  if [[ -n $session ]] && grep -q "^session=$session .* upstream=" "$out/new"; then
    break
  fi
  sleep 0.2
done
grep "^session=${session:-none} " "$out/new" > "$out/lines" || true
sed -n 's/^.* command=\("[^"]*"\|[^ ]*\) status=\([^ ]*\).*/\1 \2/p' "$out/lines" | tr -d '"' > "$out/commands.got"
{
  echo "STLS +OK"
  echo "USER carol +OK"
  echo "PASS **** +OK"
  for c in "${commands[@]}"; do echo "$c +OK"; done
  echo "QUIT +OK"
} > "$out/commands.expected"
if [[ -z $session ]]; then
  fail "${TAG}audit-command-lines" "no audit line with command=\"PASS ****\" for the session ($(wc -l < "$out/new") new audit lines)"
  failed=1
elif same "$out/commands.expected" "$out/commands.got" > /dev/null; then
  pass "${TAG}audit-command-lines"
else
  fail "${TAG}audit-command-lines" "session $session logged \"$(tr '\n' ',' < "$out/commands.got")\", expected \"$(tr '\n' ',' < "$out/commands.expected")\""
  failed=1
fi

summary=$(grep ' upstream=' "$out/lines" || true)
problems=()
if [[ $(grep -c . <<< "$summary") -ne 1 ]]; then
  problems+=("expected one summary line for session ${session:-?}, found $(grep -c . <<< "$summary")")
else
  n=$(wc -l < "$out/commands.expected")
  for want in "user=carol " "commands=$n " "retrieved=1 " "deleted=0 " "end=QUIT"; do
    [[ $summary == *" $want"* || $summary == *" $want" ]] || problems+=("no \"$want\"")
  done
  [[ $summary =~ \ client_tls=TLSv1\.[23]\  ]] || problems+=("client_tls is not TLS 1.2/1.3")
  [[ $summary =~ \ upstream_tls=TLSv1\.[23]\  ]] || problems+=("upstream_tls is not TLS 1.2/1.3")
fi
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}audit-summary"
else
  fail "${TAG}audit-summary" "$(IFS=';'; echo "${problems[*]}"): $(cut -c1-400 <<< "$summary")"
  failed=1
fi

# filters-dele.sh's two sessions: each sent one DELE; the dropped one must not claim it.
audit_lines > "$out/all"
problems=()
dele_sessions=$(sed -n 's/^session=\([^ ]*\) .*command="DELE [0-9]*" status=+OK.*/\1/p' "$out/all" | sort -u)
quit_deleted=0
drop_kept=0
for s in $dele_sessions; do
  line=$(grep "^session=$s .* upstream=" "$out/all" || true)
  case $line in
    *" deleted=1 "*" end=QUIT") quit_deleted=$((quit_deleted + 1)) ;;
    *" deleted=0 "*" end=\"client disconnected\"") drop_kept=$((drop_kept + 1)) ;;
    *) problems+=("session $s: $(cut -c1-300 <<< "${line:-no summary line}")") ;;
  esac
done
[[ $quit_deleted -ge 1 ]] || problems+=("no summary with deleted=1 end=QUIT (run after filters-dele.sh)")
[[ $drop_kept -ge 1 ]] || problems+=("no summary with deleted=0 end=\"client disconnected\" (run after filters-dele.sh)")
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}audit-summary-deleted"
else
  fail "${TAG}audit-summary-deleted" "$(IFS=';'; echo "${problems[*]}")"
  failed=1
fi

problems=()
bad_pass=$(grep -c 'command="PASS' "$out/all" || true)
good_pass=$(grep -c 'command="PASS \*\*\*\*" ' "$out/all" || true)
[[ $bad_pass -eq $good_pass ]] || problems+=("$((bad_pass - good_pass)) PASS lines are not \"PASS ****\"")
users=$(grep -c 'command="USER carol" status=+OK' "$out/all" || true)
[[ $good_pass -eq $users && $users -ge 1 ]] || problems+=("$good_pass PASS lines for $users USER logins")
# "\0carol\0carol-secret" in base64, as AUTH PLAIN sends it.
sasl=$(printf '\0carol\0carol-secret' | base64)
if grep -qF -e carol-secret -e "$sasl" -e "${sasl%%=*}" "$log"; then
  problems+=("carol's password or SASL response is in popbridge's log ($(grep -cF -e carol-secret -e "${sasl%%=*}" "$log") lines)")
fi
if [[ ${#problems[@]} -eq 0 ]]; then
  pass "${TAG}audit-no-secrets"
else
  fail "${TAG}audit-no-secrets" "$(IFS=';'; echo "${problems[*]}")"
  failed=1
fi
exit "$failed"
