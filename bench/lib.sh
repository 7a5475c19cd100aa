# shellcheck shell=bash
# Shared steps of the benchmark scripts (run.sh, run-tls.sh, run-filters.sh, run-imap.sh,
# run-smtp.sh, soak.sh); source it, don't run it. It sets $here (bench/) and $root (the repository), exports
# LC_ALL=C.UTF-8 (the reports' numbers and sorting must not depend on the caller's locale)
# and sources interop/lib.sh and interop/dovecot-lib.sh. bench_workdir sets $workdir, which
# the later steps use.
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=../interop/lib.sh
. "$root/interop/lib.sh"
# shellcheck source=../interop/dovecot-lib.sh
. "$root/interop/dovecot-lib.sh"

say() { echo "bench: $*" >&2; }

# bench_options "$@": the command line every bench script takes, [--keep] [--quick]; sets
# keep and quick, and heap (popbridge's JVM heap option, BENCH_HEAP, default -Xmx256m).
bench_options() {
  local arg
  keep=0
  quick=0
  for arg in "$@"; do
    case $arg in
      --keep) keep=1 ;;
      --quick) quick=1 ;;
      *) echo "usage: bash bench/${0##*/} [--keep] [--quick]" >&2; exit 2 ;;
    esac
  done
  heap=${BENCH_HEAP:--Xmx256m}
}

# bench_nofile NEED WHAT [INSTEAD]: raises the soft open-file limit to the hard one; exits 1,
# saying how to go on, if that is still below NEED (WHAT says what needs them, INSTEAD what
# would fit). A shell without CAP_SYS_RESOURCE (many containers) cannot raise the hard limit.
bench_nofile() {
  local need=$1 what=$2 instead=${3:-} hard
  hard=$(ulimit -Hn)
  ulimit -n "$hard"
  if [[ $hard != unlimited && $hard -lt $need ]]; then
    say "the open-file limit is $hard (hard), but $what need $need."
    say "Raise the hard limit (as root with CAP_SYS_RESOURCE: ulimit -Hn $need; LimitNOFILE= for a"
    say "systemd unit; --ulimit nofile= for a container)${instead:+, or measure less: $instead}"
    exit 1
  fi
}

# bench_config NAME [BASE]: writes WORKDIR/NAME.yaml, popbridge's --config for a benchmark:
# the YAML file BASE if given (a filters file), then the client limits below; prints its path.
# BASE must not have limits: of its own (popbridge reads one --config, and YAML one limits:).
bench_config() {
  local file=$workdir/$1.yaml base=${2:-}
  if [[ -n $base ]] && grep -qE '^limits:' "$base"; then
    say "$base has a limits: section of its own; the benchmark sets the limits (bench_config in bench/lib.sh)"
    return 1
  fi
  {
    if [[ -n $base ]]; then
      cat "$base"
      echo
    fi
    cat <<'YAML'
# From bench/lib.sh (bench_config). Every benchmark client is 127.0.0.1, so popbridge's
# defaults for a proxy that faces the internet (1,000 connections in all, 50 from one address,
# 10 sessions of one user from one address, 2 s before a failed login's reply) would refuse or
# slow the benchmark's own sessions, up to 10,000 at once: these are raised past what any
# bench script opens, so the runs measure relaying, not the limits.
limits:
  connections: 30000
  connections-per-ip: 30000
  connections-per-user-ip: 1000
  auth-failure-delay: 0s
YAML
  } > "$file"
  echo "$file"
}

# bench_need TOOL...: exits 1 if one of the tools is not installed.
bench_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 1; }
  done
}

# bench_workdir PREFIX: notes the load average (loadavg_start), makes the work directory
# /tmp/PREFIX.XXXXXX (workdir) with its out/ (out), and sets the traps that stop, at exit,
# the background processes in background[], the popbridge processes in proxies[] (pids in
# proxy_pid[NAME]) and the private Dovecot, and remove the work directory unless --keep.
bench_workdir() {
  loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
  workdir=$(mktemp -d "/tmp/$1.XXXXXX")
  out=$workdir/out
  mkdir -p "$out"
  background=()
  proxies=()
  declare -gA proxy_pid=()
  trap bench_cleanup EXIT
  trap 'exit 143' TERM INT
}

bench_cleanup() {
  local pid name
  for pid in "${background[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  background=()
  for name in "${proxies[@]}"; do
    bash "$root/interop/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  done
  proxies=()
  bash "$here/dovecot-bench.sh" stop "$workdir" || true
  if [[ $keep -eq 1 ]]; then
    echo "bench: work directory kept: $workdir" >&2
  else
    rm -rf "$workdir"
  fi
}

# bench_private_jar: the popbridge jar under test, BENCH_JAR or proxy/target/popbridge.jar
# (built only if missing and BENCH_JAR is unset), copied to $workdir/popbridge.jar so a
# rebuild in the working tree during the run cannot pull it away. Sets jar_note.
bench_private_jar() {
  local jar=${BENCH_JAR:-$root/proxy/target/popbridge.jar}
  if [[ ! -f $jar && -z ${BENCH_JAR:-} ]]; then
    say "building $jar"
    (cd "$root" && mvn -B -q package -DskipTests) > "$workdir/build.log" 2>&1 \
      || { tail -n 30 "$workdir/build.log" >&2; say "mvn -B -q package -DskipTests failed"; return 1; }
  fi
  [[ -f $jar ]] || { say "no popbridge jar at $jar"; return 1; }
  cp "$jar" "$workdir/popbridge.jar"
  jar_note="built $(stat -c '%y' "$jar" | cut -d. -f1), sha256 $(sha256sum "$jar" | cut -c1-12)"
  if [[ -z ${BENCH_JAR:-} ]]; then
    jar_note="$jar_note, working tree at git $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    if [[ -n $(cd "$root" && git status --porcelain -- proxy certs filters 2>/dev/null) ]]; then
      jar_note="$jar_note with uncommitted changes under proxy/ certs/ filters/"
    fi
  else
    jar_note="$jar_note, BENCH_JAR=$jar"
  fi
}

# bench_client: builds bench/target/popbridge-bench.jar when it is missing or older than
# its sources; sets bench_jar.
bench_client() {
  bench_jar=$here/target/popbridge-bench.jar
  if [[ ! -f $bench_jar || -n $(find "$here/src" "$here/pom.xml" -newer "$bench_jar" -print -quit) ]]; then
    say "building the bench client"
    mvn -B -q -f "$here/pom.xml" package > "$workdir/bench-build.log" 2>&1 \
      || { tail -n 30 "$workdir/bench-build.log" >&2; say "building bench/pom.xml failed"; return 1; }
  fi
}

# bench_dovecot FILL_SCRIPT ARGS...: the throwaway CA and server certificate
# (interop/tls.sh), the mail user, the mailboxes and passwd-file (bench/FILL_SCRIPT WORKDIR
# UID GID ARGS...), then the private Dovecot (dovecot-bench.sh, on BENCH_POP3_PORT and
# BENCH_POP3S_PORT).
bench_dovecot() {
  local fill=$1
  shift
  bash "$root/interop/tls.sh" "$workdir"
  dovecot_mail_user
  python3 "$here/$fill" "$workdir" "$dovecot_uid" "$dovecot_gid" "$@" >&2
  bash "$here/dovecot-bench.sh" start "$workdir"
}

# bench_start_proxy NAME JAR LISTEN-URL POPBRIDGE-ARGS...: starts popbridge NAME from JAR with
# the heap option, listening on LISTEN-URL, its own --state-dir and POPBRIDGE-ARGS (at least
# --upstream); adds it to proxies and proxy_pid and waits (10 s at most) for its
# "listening on" line, so it has logged its start-up before anything measures it. Returns 1,
# with nothing added, if it did not start (its log is WORKDIR/NAME.log).
bench_start_proxy() {
  local name=$1 jar=$2 listen=$3 i
  shift 3
  POPBRIDGE_JAR=$jar POPBRIDGE_JAVA_OPTS=$heap \
    bash "$root/interop/popbridge.sh" start "$workdir" "$name" \
    --listen "$listen" "$@" --state-dir "$workdir/state-$name" || return 1
  proxies+=("$name")
  proxy_pid[$name]=$(cat "$workdir/$name.pid")
  for ((i = 0; i < 100; i++)); do
    grep -q "listening on $listen" "$workdir/$name.log" && break
    sleep 0.1
  done
}

# bench_sides SIDES ROUNDS [CLIENT-ARGS...]: the bench client's rounds over SIDES
# (`popbridge-bench run --sides`: NOOP/STAT, 4 KB and 10 MB RETRs), at most 30 minutes; the
# figures go to $out for `sides-report`. Sets elapsed (seconds) and client_rc.
bench_sides() {
  local sides=$1 rounds=$2 started
  shift 2
  say "measuring, $rounds rounds: $sides"
  started=$(date +%s)
  client_rc=0
  timeout -k 10 1800 java -Xss512k -jar "$bench_jar" run --out "$out" --ca "$workdir/tls/ca.crt" \
    --sides "$sides" --phases latency,retr4k,retr10m --rounds "$rounds" --clk-tck "$(getconf CLK_TCK)" \
    "$@" || client_rc=$?
  elapsed=$(($(date +%s) - started))
  [[ $client_rc -eq 0 ]] || say "the bench client exited with status $client_rc"
}

# bench_thread_cpu PID...: "TID RUN WAIT SLICES USER SYSTEM" per thread of the processes: the
# nanoseconds each has run, those it has waited runnable for a CPU, and how many times it was put
# on one (/proc/PID/task/TID/schedstat: exact); then its user and system time in clock ticks
# (/proc/PID/task/TID/stat, sampled at each tick: good for the split, not for the sum).
bench_thread_cpu() {
  local pid task times
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      [[ -r $task/schedstat ]] || continue
      # Fields 14 and 15 of stat, counted after the thread's name, which may hold spaces.
      times=$(sed -E 's/^.*\) //' "$task/stat" 2>/dev/null | cut -d' ' -f12,13)
      echo "${task##*/} $(cut -d' ' -f1-3 "$task/schedstat" 2>/dev/null) ${times:-0 0}"
    done
  done
  return 0
}

# bench_thread_cpu_per BEFORE AFTER N: "RUN WAIT SLICES USER KERNEL" per unit of N between two
# bench_thread_cpu files: microseconds run and waited, times put on a CPU, and the microseconds
# run split into user space and the kernel in the proportion of the ticks (empty if no tick
# fell); the threads alive after count (one started since counts whole; one that ended is not
# seen). Empty fields if nothing ran (no schedstat).
bench_thread_cpu_per() {
  awk -v n="$3" 'NR == FNR { ran[$1] = $2; waited[$1] = $3; slices[$1] = $4; u[$1] = $5; s[$1] = $6; next }
    $4 != "" { run += $2 - ran[$1]; wait += $3 - waited[$1]; put += $4 - slices[$1]; usr += $5 - u[$1]; sys += $6 - s[$1] }
    END { if (run <= 0) { print ""; exit }
      printf "%.1f %.1f %.2f", run / 1e3 / n, wait / 1e3 / n, put / n
      if (usr + sys > 0) printf " %.1f %.1f", run / 1e3 / n * usr / (usr + sys), run / 1e3 / n * sys / (usr + sys)
      printf "\n" }' "$1" "$2"
}

# bench_perf_counts EVENTS PID: true if perf can count EVENTS (comma-separated) on process PID
# here (perf installed, tracefs mounted for tracepoints, root or a low perf_event_paranoid).
bench_perf_counts() {
  command -v perf >/dev/null 2>&1 \
    && perf stat -x, -o /dev/null -e "$1" -p "$2" -- sleep 0.1 >/dev/null 2>&1
}

# bench_host: the CPUs, the memory and the kernel, on one line.
bench_host() {
  echo "$(nproc) CPUs ($(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1))," \
    "$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
}

# bench_machine: one line on the machine, the JDK and Dovecot.
bench_machine() {
  echo "$(bench_host);" \
    "$(java -version 2>&1 | head -n 1); Dovecot $(dovecot --version | cut -d' ' -f1)"
}

# bench_quick_note TEXT: TEXT if this is a --quick run, for the report's title and command.
bench_quick_note() {
  if [[ $quick -eq 1 ]]; then
    echo "$1"
  fi
}

# bench_report FILE [RAW]: prints the finished report FILE, and where it is kept; keeps a copy
# of the client's raw figures RAW, if it wrote them, next to it (FILE with .tsv for .md).
bench_report() {
  if [[ -n ${2:-} ]]; then
    cp "$2" "${1%.md}.tsv" 2>/dev/null || true
  fi
  cat "$1"
  say "report kept in ${1#"$root"/}"
}

# bench_log_problems NAME LOG PID: a Markdown note of the warnings and errors popbridge NAME
# logged (the start-up warning about a plain upstream or submission server is expected), and
# whether it still runs.
bench_log_problems() {
  local name=$1 log=$2 pid=$3 problems
  problems=$(grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vcE 'is plain (POP3|IMAP|SMTP)' || true)
  if [[ $problems -gt 0 ]]; then
    echo
    echo "popbridge \`$name\` logged $problems warning/error lines; first ones:"
    echo
    echo '```'
    # awk reads to the end (head would close the pipe early: SIGPIPE under pipefail ends the script).
    grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vE 'is plain (POP3|IMAP|SMTP)' \
      | awk 'NR <= 5' | cut -c1-300
    echo '```'
  fi
  alive "$pid" || { echo; echo "popbridge \`$name\` was no longer running at the end."; }
}

# bench_first_lines WHO WHAT LOG REGEX: a Markdown note of the lines of LOG that match REGEX
# (extended): "WHO logged N WHAT lines" and the first five, cut to 300 octets; nothing if none.
bench_first_lines() {
  local who=$1 what=$2 log=$3 regex=$4 count
  count=$(grep -cE "$regex" "$log" 2>/dev/null || true)
  if [[ ${count:-0} -gt 0 ]]; then
    echo
    echo "$who logged $count $what lines; first ones:"
    echo
    echo '```'
    # awk reads to the end (head would close the pipe early: SIGPIPE under pipefail ends the script).
    grep -E "$regex" "$log" | awk 'NR <= 5' | cut -c1-300
    echo '```'
  fi
}

# bench_dovecot_log_problems: bench_first_lines for the private Dovecot's errors and warnings.
bench_dovecot_log_problems() {
  bench_first_lines Dovecot error/warning "$workdir/dovecot/dovecot.log" ': (Error|Fatal|Panic|Warning): '
}

# bench_proxies_log_problems: bench_log_problems for every popbridge started.
bench_proxies_log_problems() {
  local name
  for name in "${proxies[@]}"; do
    bench_log_problems "$name" "$workdir/$name.log" "${proxy_pid[$name]}"
  done
}
