#!/usr/bin/env bash
# The abuse group (issue 12): a popbridge with tight limits in front of the real Dovecot,
# probed as an attacker would.
#   no-upstream-before-login   5 clients connected and idle: Dovecot has no connection from popbridge
#   per-address-cap            the 6th connection from one address gets -ERR [SYS/TEMP] and is closed
#   failed-login-delay-close   a wrong password's -ERR waits the delay; the 2nd closes the session
#   login-timeout-drip         a client sending USER every 0.4 s, never PASS, is closed when login-timeout passes
#   idle-counts-lines          one byte every 0.4 s, never a line, is closed by the idle timeout
#   tls12-without-fs-refused   TLS 1.2 with AES128-SHA (static RSA) is refused, ECDHE-RSA-AES128-GCM-SHA256 accepted
#   fail2ban-regex             the shipped filter finds every failed login in popbridge's log
# usage: abuse.sh WORKDIR NAME   (popbridge NAME logs to WORKDIR/NAME.log; ABUSE_PLAIN and
#   ABUSE_TLS are its pop3:// and pop3s:// ports; limits: connections-per-ip 5,
#   login-timeout 30s (Dovecot itself waits 2 s or more before a failed login's reply), idle-timeout 4s,
#   auth-failures 2, auth-failure-delay 500ms; upstream
#   Dovecot's POP3 on DOVECOT_POP3)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: abuse.sh WORKDIR NAME}
name=${2:?usage: abuse.sh WORKDIR NAME}
: "${ABUSE_PLAIN:=22160}" "${ABUSE_TLS:=22161}" "${DOVECOT_POP3:=21110}"
log=$workdir/$name.log
out=$workdir/out/${TAG}abuse
mkdir -p "$out"
failed=0

# probe WHAT: the scripted clients (python3, stdlib); prints one outcome line.
probe() {
  python3 - "$PROXY_HOST" "$ABUSE_PLAIN" "$DOVECOT_POP3" "$1" <<'PY'
import socket, subprocess, sys, time
host, port, dovecot, what = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def connect():
    s = socket.create_connection((host, port), timeout=10)
    return s, s.makefile("rb")

def line(f):
    data = f.readline()
    return data.decode("latin-1").rstrip("\r\n") if data else None

def upstream_connections():
    # Established TCP connections to Dovecot's POP3 port, from anyone (popbridge is the only client now).
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( dport = :{dovecot} )"],
                         capture_output=True, text=True).stdout
    return len([l for l in out.splitlines() if l.strip()])

if what == "idle-five":
    held = [connect() for _ in range(5)]
    greetings = [line(f) for _, f in held]
    time.sleep(0.5)
    sixth, f6 = connect()
    refusal = line(f6)
    closed = line(f6) is None
    print(f"greetings={sum(g.startswith('+OK') for g in greetings)} upstream={upstream_connections()} "
          f"sixth={refusal!r} closed={closed}")
elif what == "wrong-passwords":
    s, f = connect()
    line(f)
    replies, waits = [], []
    for attempt in ("wrong1", "wrong2"):
        s.sendall(b"USER alice\r\n"); line(f)
        started = time.monotonic()
        s.sendall(f"PASS {attempt}\r\n".encode()); replies.append(line(f))
        waits.append(time.monotonic() - started)
    after = line(f)
    end = line(f)
    print(f"first={replies[0]!r} wait1={waits[0]:.2f} second={replies[1]!r} after={after!r} closed={end is None}")
elif what == "drip":
    s, f = connect()
    line(f)
    started = time.monotonic()
    last = None
    try:
        for _ in range(100):
            # USER is valid before login and answered by popbridge: no protocol error piles up.
            s.sendall(b"USER alice\r\n")
            last = line(f)
            if last is None or "logging in" in last:
                break
            time.sleep(0.4)
    except OSError:
        pass
    print(f"last={last!r} after={time.monotonic() - started:.1f}")
elif what == "byte-drip":
    s, f = connect()
    line(f)
    started = time.monotonic()
    closed = False
    try:
        for _ in range(40):
            s.sendall(b"N")
            s.settimeout(0.4)
            try:
                data = s.recv(512)
                if not data or b"inactivity" in data:
                    closed = True
                    break
            except socket.timeout:
                pass
    except OSError:
        closed = True
    print(f"closed={closed} after={time.monotonic() - started:.1f}")
PY
}

# --- no-upstream-before-login and per-address-cap
outcome=$(probe idle-five 2> "$out/idle-five.err" || true)
echo "$outcome" > "$out/idle-five.log"
problems=()
[[ $outcome == "greetings=5 upstream=0 "* ]] || problems+=("5 idle clients: $outcome (expected 5 greetings, 0 upstream connections)")
verdict no-upstream-before-login "${problems[@]}"
problems=()
[[ $outcome == *"sixth='-ERR [SYS/TEMP] Too many connections from your address, try again later' closed=True" ]] \
  || problems+=("the 6th connection: $outcome")
verdict per-address-cap "${problems[@]}"
sleep 0.5

# --- failed-login-delay-close
outcome=$(probe wrong-passwords 2> "$out/wrong.err" || true)
echo "$outcome" > "$out/wrong.log"
problems=()
[[ $outcome == "first='-ERR [AUTH]"* ]] || problems+=("the first wrong password: $outcome")
wait1=$(sed -nE 's/.* wait1=([0-9.]+) .*/\1/p' <<< "$outcome")
awk -v w="${wait1:-0}" 'BEGIN { exit !(w >= 0.5) }' || problems+=("the first -ERR came after ${wait1:-?} s, before the 0.5 s delay")
[[ $outcome == *"after='-ERR [AUTH] Too many failed logins, closing connection' closed=True" ]] \
  || problems+=("after the 2nd failure: $outcome")
verdict failed-login-delay-close "${problems[@]}"

# --- login-timeout-drip
outcome=$(probe drip 2> "$out/drip.err" || true)
echo "$outcome" > "$out/drip.log"
problems=()
[[ $outcome == "last='-ERR [SYS/TEMP] Too long without logging in, closing connection'"* ]] \
  || problems+=("a USER every 0.4 s: $outcome")
verdict login-timeout-drip "${problems[@]}"

# --- idle-counts-lines
outcome=$(probe byte-drip 2> "$out/byte-drip.err" || true)
echo "$outcome" > "$out/byte-drip.log"
problems=()
[[ $outcome == "closed=True"* ]] || problems+=("a byte every 0.4 s kept the session: $outcome")
verdict idle-counts-lines "${problems[@]}"

# --- tls12-without-fs-refused
handshake() { # CIPHER
  echo | timeout 20 openssl s_client -connect "$PROXY_HOST:$ABUSE_TLS" -tls1_2 -cipher "$1" -CAfile "$PROXY_CA" \
    > "$out/tls-$1.log" 2>&1
}
problems=()
if handshake AES128-SHA; then
  problems+=("TLS 1.2 with AES128-SHA (no forward secrecy) was accepted")
fi
handshake ECDHE-RSA-AES128-GCM-SHA256 || problems+=("TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 was refused: $(grep -m1 -iE 'error|alert' "$out/tls-ECDHE-RSA-AES128-GCM-SHA256.log" || true)")
verdict tls12-without-fs-refused "${problems[@]}"

# --- fail2ban-regex
problems=()
if command -v fail2ban-regex > /dev/null 2>&1; then
  expected=$(grep -c ' login failed: rip=' "$log" || true)
  fail2ban-regex -v "$log" "$root/examples/fail2ban/popbridge.conf" > "$out/fail2ban.log" 2>&1 || true
  found=$(sed -nE 's/^Failregex: ([0-9]+) total.*/\1/p' "$out/fail2ban.log")
  [[ $expected -ge 2 ]] || problems+=("only $expected failed-login lines in the log")
  [[ ${found:-0} -eq $expected ]] || problems+=("fail2ban-regex matched ${found:-0} of $expected failed-login lines")
  grep -q '127.0.0.1' "$out/fail2ban.log" || problems+=("fail2ban-regex did not report 127.0.0.1")
else
  problems+=("fail2ban-regex is not installed (apt-get install fail2ban; .ci/run installs it)")
fi
verdict fail2ban-regex "${problems[@]}"

exit "$failed"
