# shellcheck shell=bash
# Shared helpers for the interop scripts; source it, don't run it.

# wait_port HOST PORT SECONDS [PID]: true once HOST:PORT accepts a TCP connection.
# Gives up after SECONDS, or at once if PID is given and that process has exited.
wait_port() {
  local host=$1 port=$2 secs=$3 pid=${4:-} i
  for ((i = 0; i < secs * 5; i++)); do
    if [[ -n $pid ]] && ! alive "$pid"; then
      return 1
    fi
    if timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# port_in_use HOST PORT: true if something already listens there.
port_in_use() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# alive PID: true while PID runs (a zombie nobody has reaped yet counts as gone).
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $state != Z ]]
}

# stop_pid PID SECONDS: TERM, wait up to SECONDS, then KILL. Returns 0 if it exited
# within SECONDS after TERM, 1 if it had to be killed.
stop_pid() {
  local pid=$1 secs=$2 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  return 1
}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# verdict NAME PROBLEMS...: PASS NAME if there are none, else FAIL with them and failed=1.
verdict() {
  local name=$1; shift
  if [[ $# -eq 0 ]]; then
    pass "${TAG}$name"
  else
    fail "${TAG}$name" "$(IFS=';'; echo "$*" | cut -c1-600)"
    failed=1
  fi
}

# fetch_with_fetchmail DIR PORT USER PASSWORD TLSOPTS: fetchmail keeps every message through
# the proxy's PORT, one file each in DIR/mail (fetchmail-mda.sh), its output in DIR/log.
# TLSOPTS is the rc file's TLS clause, e.g. 'ssl sslproto "tls1.2+"'. Returns fetchmail's status.
fetch_with_fetchmail() {
  local dir=$1 port=$2 user=$3 password=$4 tlsopts=$5
  local interop
  interop=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  mkdir -p "$dir/home" "$dir/mail"
  # "via" makes fetchmail connect to loopback; the certificate is checked for "localhost".
  cat > "$dir/home/fetchmailrc" <<RC
set no syslog
set invisible
poll localhost via $PROXY_HOST protocol pop3 port $port timeout 60
  user "$user" password "$password"
  $tlsopts sslcertck sslcertfile "$PROXY_CA" sslcommonname "localhost"
  keep fetchall no rewrite no stripcr
  mda "sh $interop/fetchmail-mda.sh $dir/mail"
RC
  chmod 600 "$dir/home/fetchmailrc"
  HOME=$dir/home timeout 120 fetchmail --nodetach --nosyslog -f "$dir/home/fetchmailrc" \
    -i "$dir/home/fetchids" --pidfile "$dir/home/fetchmail.pid" > "$dir/log" 2>&1 </dev/null
}

# fetchmail_failure DIR STATUS: what a FAIL says when fetchmail exited with STATUS.
fetchmail_failure() {
  echo "fetchmail exited $2: $(grep -v 'Running as root' "$1/log" | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
}

# Where the checks connect. run.sh sets these; the defaults are popbridge's test ports.
# DIRECT_* is Dovecot itself, the reference; PROXY_* is what is under test.
: "${DIRECT_HOST:=127.0.0.1}" "${DIRECT_PLAIN:=21110}" "${DIRECT_TLS:=21995}"
: "${PROXY_HOST:=127.0.0.1}" "${PROXY_PLAIN:=22110}" "${PROXY_TLS:=22995}"
# TAG prefixes check names, e.g. "pop3s-upstream/".
: "${TAG:=}"

# same A B: true if files A and B are identical; otherwise prints how they differ.
same() {
  local out
  if out=$(cmp -- "$1" "$2" 2>&1); then
    return 0
  fi
  echo "${out##*/}; sizes $(stat -c %s -- "$1" 2>/dev/null || echo none) vs $(stat -c %s -- "$2" 2>/dev/null || echo none)"
  return 1
}

# first_line FILE: the first line of FILE, for short failure reasons.
first_line() {
  head -n 1 -- "$1" 2>/dev/null | tr -d '\r' | cut -c1-200
}

# sessions_ended WORKDIR USER: how many of USER's POP3 sessions Dovecot has logged as ended.
sessions_ended() {
  grep -c "pop3($2)<[^>]*><[^>]*>: Info: Disconnected" "$1/dovecot/dovecot.log" || true
}

# wait_sessions_ended WORKDIR USER N: true once more than N of USER's sessions have
# ended (10 s bound).
wait_sessions_ended() {
  local i
  for ((i = 0; i < 50; i++)); do
    [[ $(sessions_ended "$1" "$2") -gt $3 ]] && return 0
    sleep 0.2
  done
  return 1
}

# logins WORKDIR USER: how many logins of USER Dovecot has logged.
logins() {
  grep -c "Login: user=<$2>" "$1/dovecot/dovecot.log" || true
}
