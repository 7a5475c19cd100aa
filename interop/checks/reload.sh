#!/usr/bin/env bash
# The reload group (issue 13): popbridge started with --config FILE in front of Dovecot's
# POP3S, its headers filter stamping X-Reload: one on what clients read. A scripted client
# (python3 poplib) edits the file and runs `popbridge reload --state-dir DIR` as an admin would:
#   reload-ok                   the edited file (X-Reload: two, a second listener) is taken: `reload` exits 0 saying "ok"
#   open-session-keeps-old      a session logged in before the reload still reads X-Reload: one
#   new-session-gets-new        a new session on the kept listener reads X-Reload: two
#   added-listener-serves       the listener added by the file serves, with X-Reload: two
#   broken-file-refused         a file with a bad value: `reload` exits 1 with "refused" and FILE:LINE;
#                               the log has it at ERROR, and the running settings stay (X-Reload: two)
#   removed-listener-closed     a reload that drops the second listener: it refuses connections
#   json-log-lines              popbridge runs with --log-format json: every line of its log is a
#                               JSON object with timestamp, level, loggerName and formattedMessage, and each line that
#                               names a session ("[id] ...") carries that id as mdc.session
#   metrics-after-sessions      curl on the metrics endpoint: /metrics counts the logins above
#                               (popbridge_logins_total at least 4) and names neither the user nor
#                               the client address; /health and /ready answer 200
# usage: reload.sh WORKDIR NAME CONFIG STATE_DIR   (popbridge NAME logs to WORKDIR/NAME.log;
#   RELOAD_PLAIN is its listener, RELOAD_ADDED the one the edited file adds; CONFIG is the file
#   it runs with, which this check rewrites; the upstream is pop3s://localhost:21995)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: reload.sh WORKDIR NAME CONFIG STATE_DIR}
name=${2:?usage: reload.sh WORKDIR NAME CONFIG STATE_DIR}
config=${3:?usage: reload.sh WORKDIR NAME CONFIG STATE_DIR}
state=${4:?usage: reload.sh WORKDIR NAME CONFIG STATE_DIR}
: "${RELOAD_PLAIN:=22180}" "${RELOAD_ADDED:=22181}" "${RELOAD_METRICS:=22189}"
log=$workdir/$name.log
out=$workdir/out/${TAG}reload
mkdir -p "$out"
failed=0

python3 - "$PROXY_HOST" "$RELOAD_PLAIN" "$RELOAD_ADDED" "$config" "$state" "$workdir/tls/ca.crt" \
  "$root/proxy/target/popbridge.jar" "$RELOAD_METRICS" > "$out/outcomes.log" 2> "$out/client.err" <<'PY' || true
import poplib, socket, subprocess, sys
host, plain, added, config, state, ca, jar, metrics = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                                       *sys.argv[4:8], int(sys.argv[8]))

def write_config(stamp, listeners, extra=""):
    items = "".join(f"  - pop3://{host}:{port}\n" for port in listeners)
    with open(config, "w") as f:
        f.write(f"listen:\n{items}upstream:\n  url: pop3s://localhost:21995\n  ca: {ca}\n"
                f"filters:\n  - headers:\n      add: {{ X-Reload: {stamp} }}\n"
                f"metrics:\n  listen: 127.0.0.1:{metrics}\n{extra}")

def reload():
    done = subprocess.run(["java", "-jar", jar, "reload", "--state-dir", state], capture_output=True, text=True,
                          timeout=60)
    return done.returncode, (done.stdout + done.stderr).strip()

def logged_in(port):
    pop = poplib.POP3(host, port, timeout=30)
    pop.user("alice")
    pop.pass_("alice-secret")
    return pop

def stamp(pop):
    for line in pop.top(1, 0)[1]:
        if line.lower().startswith(b"x-reload:"):
            return line.split(b":", 1)[1].strip().decode()
    return None

def outcome(check, ok, detail):
    print(f"{check} {'ok' if ok else 'bad'} {detail}")

held = logged_in(plain)
first = stamp(held)
write_config("two", [plain, added])
rc, text = reload()
outcome("reload-ok", rc == 0 and text.startswith("ok "), f"rc={rc} output={text!r} before={first!r}")
outcome("open-session-keeps-old", stamp(held) == "one", f"stamp={stamp(held)!r}")
held.quit()
fresh = logged_in(plain)
outcome("new-session-gets-new", stamp(fresh) == "two", f"stamp={stamp(fresh)!r}")
fresh.quit()
other = logged_in(added)
outcome("added-listener-serves", stamp(other) == "two", f"stamp={stamp(other)!r}")
other.quit()
write_config("three", [plain, added], "limits:\n  connections-per-ip: many\n")
rc, text = reload()
after = logged_in(plain)
kept = stamp(after)
after.quit()
outcome("broken-file-refused", rc == 1 and text.startswith("refused ") and f"{config}:" in text and kept == "two",
        f"rc={rc} output={text!r} stamp={kept!r}")
write_config("four", [plain])
rc, text = reload()
try:
    socket.create_connection((host, added), timeout=5).close()
    closed = False
except OSError:
    closed = True
outcome("removed-listener-closed", rc == 0 and closed, f"rc={rc} output={text!r} refused={closed}")
PY

for check in reload-ok open-session-keeps-old new-session-gets-new added-listener-serves broken-file-refused removed-listener-closed; do
  line=$(grep -m1 "^$check " "$out/outcomes.log" || true)
  problems=()
  if [[ -z $line ]]; then
    problems+=("no outcome: $(tail -n 2 "$out/client.err" | tr '\n' ' ' | cut -c1-300)")
  elif [[ $line != "$check ok "* ]]; then
    problems+=("${line#"$check bad "}")
  fi
  if [[ $check == broken-file-refused && -n $line ]] && ! grep -q 'ERROR.*reload refused' "$log"; then
    problems+=("popbridge's log has no ERROR line for the refused reload")
  fi
  verdict "$check" "${problems[@]}"
done

# --- json-log-lines
problems=()
why=$(python3 - "$log" <<'PY'
import json, re, sys
bad, sessions = [], 0
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        event = json.loads(line)
    except ValueError:
        bad.append(f"line {number} is not JSON: {line[:120]!r}")
        continue
    if not all(key in event for key in ("timestamp", "level", "loggerName", "formattedMessage")):
        bad.append(f"line {number} lacks timestamp, level, loggerName or formattedMessage")
    named = re.match(r"\[([0-9a-f]+)\] ", event.get("formattedMessage", ""))
    if named:
        sessions += 1
        if event.get("mdc", {}).get("session") != named.group(1):
            bad.append(f"line {number}: session {named.group(1)} not in its mdc: {event.get('mdc')}")
if sessions < 4:
    bad.append(f"only {sessions} session lines")
print("; ".join(bad[:3]))
PY
) || why="the JSON check failed to run"
[[ -z $why ]] || problems+=("$why")
verdict json-log-lines "${problems[@]}"

# --- metrics-after-sessions
problems=()
base=http://127.0.0.1:$RELOAD_METRICS
if curl -q -sS --noproxy "*" --max-time 10 -o "$out/metrics.txt" "$base/metrics" 2> "$out/metrics.err"; then
  logins=$(awk '/^popbridge_logins_total\{/ { sum += $2 } END { print sum + 0 }' "$out/metrics.txt")
  awk -v n="$logins" 'BEGIN { exit !(n >= 4) }' || problems+=("popbridge_logins_total is $logins, expected at least 4")
  grep -q 'alice' "$out/metrics.txt" && problems+=("the user name appears in /metrics")
  # The client's address (127.0.0.1 here) as a label value of its own; the listener's URL holds it too, as configured.
  grep -qE '^popbridge_.*="127\.0\.0\.1"' "$out/metrics.txt" \
    && problems+=("a client address appears as a label value in /metrics")
else
  problems+=("GET /metrics failed: $(head -c 200 "$out/metrics.err")")
fi
for path in health ready; do
  code=$(curl -q -s --noproxy "*" --max-time 10 -o /dev/null -w '%{http_code}' "$base/$path" || true)
  [[ $code == 200 ]] || problems+=("GET /$path answered $code")
done
verdict metrics-after-sessions "${problems[@]}"

exit "$failed"
