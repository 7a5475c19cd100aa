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
: "${RELOAD_PLAIN:=22180}" "${RELOAD_ADDED:=22181}"
log=$workdir/$name.log
out=$workdir/out/${TAG}reload
mkdir -p "$out"
failed=0

python3 - "$PROXY_HOST" "$RELOAD_PLAIN" "$RELOAD_ADDED" "$config" "$state" "$workdir/tls/ca.crt" \
  "$root/proxy/target/popbridge.jar" > "$out/outcomes.log" 2> "$out/client.err" <<'PY' || true
import poplib, socket, subprocess, sys
host, plain, added, config, state, ca, jar = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:8]

def write_config(stamp, listeners, extra=""):
    items = "".join(f"  - pop3://{host}:{port}\n" for port in listeners)
    with open(config, "w") as f:
        f.write(f"listen:\n{items}upstream:\n  url: pop3s://localhost:21995\n  ca: {ca}\n"
                f"filters:\n  - headers:\n      add: {{ X-Reload: {stamp} }}\n{extra}")

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

exit "$failed"
