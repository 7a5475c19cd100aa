#!/usr/bin/env bash
# Starts or stops one popbridge process for the interop checks.
#   popbridge.sh start WORKDIR NAME POPBRIDGE-ARGS...
#       runs java -jar proxy/target/popbridge.jar POPBRIDGE-ARGS in the background,
#       logging to WORKDIR/NAME.log, and waits (30 s) until every --listen port accepts,
#       and every listener URL in POPBRIDGE_WAIT (space-separated: those a --config file
#       names, which popbridge.sh does not read).
#   popbridge.sh stop WORKDIR NAME
#       SIGTERM, then waits up to 20 s; SIGKILL after that. Exits 0 if it stopped
#       within the grace period, 1 if it had to be killed.
# POPBRIDGE_JAR and POPBRIDGE_JAVA_OPTS override the jar and the JVM options.
# POPBRIDGE_LAUNCHER, if set, is run instead of java -jar: the bin/popbridge of an unpacked
# release archive, given POPBRIDGE_JAVA_OPTS as JAVA_OPTS (POPBRIDGE_JAR is then unused).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
usage="usage: popbridge.sh start WORKDIR NAME ARGS... | stop WORKDIR NAME"
action=${1:?$usage}
workdir=${2:?$usage}
name=${3:?$usage}
shift 3
jar=${POPBRIDGE_JAR:-$here/../proxy/target/popbridge.jar}
pidfile=$workdir/$name.pid
log=$workdir/$name.log

start() {
  local listens=() prev=""
  for arg in "$@"; do
    [[ $prev == --listen ]] && listens+=("$arg")
    prev=$arg
  done
  for url in ${POPBRIDGE_WAIT:-}; do
    listens+=("$url")
  done
  for url in "${listens[@]}"; do
    local hostport=${url#*://}
    if port_in_use "${hostport%:*}" "${hostport##*:}"; then
      echo "popbridge.sh: $url is already in use" >&2
      exit 1
    fi
  done
  if [[ -n ${POPBRIDGE_LAUNCHER:-} ]]; then
    # The launcher execs java, so this PID is popbridge's own and stop() signals it.
    JAVA_OPTS=${POPBRIDGE_JAVA_OPTS:-} "$POPBRIDGE_LAUNCHER" "$@" > "$log" 2>&1 < /dev/null &
  else
    # shellcheck disable=SC2086 # word splitting of the JVM options is intended
    java ${POPBRIDGE_JAVA_OPTS:-} -jar "$jar" "$@" > "$log" 2>&1 < /dev/null &
  fi
  local pid=$!
  echo "$pid" > "$pidfile"
  for url in "${listens[@]}"; do
    local hostport=${url#*://}
    if ! wait_port "${hostport%:*}" "${hostport##*:}" 30 "$pid"; then
      echo "popbridge.sh: $url did not accept connections within 30 s; log:" >&2
      tail -n 30 "$log" | sed 's/^/  | /' >&2
      stop || true
      exit 1
    fi
  done
}

stop() {
  [[ -f $pidfile ]] || return 0
  local pid rc=0
  pid=$(cat "$pidfile")
  stop_pid "$pid" 20 || rc=1
  # Reap it if it is our child; harmless otherwise.
  wait "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  return "$rc"
}

case $action in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
