#!/usr/bin/env bash
# The popbridge benchmark, in one command, on 127.0.0.1 only:
#
#   bash bench/run.sh [--keep] [--quick]
#
# Builds proxy/target/popbridge.jar if it is missing and the bench client (bench/pom.xml,
# not a module of the parent), starts a private Dovecot (bench/dovecot-bench.sh: POP3 on 31110,
# POP3S on 31995, one pop3 process per session as ever; and 31111, whose pop3 processes serve 50
# sessions each, for the 10,000-session phase), fills its mailboxes (bench/fill_mail.py), then:
#
# 1. cold start: BENCH_COLD_STARTS (3) times a fresh popbridge (proxy-cold, pop3://127.0.0.1:32112
#    -> pop3://localhost:31110): launch to its "listening on" line, then its first two sessions
#    (200 RETRs of 4 KB each) against the same two sessions on Dovecot directly (ColdStart.java);
#    with BENCH_CDS=1 also as many starts with an AppCDS archive (see below);
# 2. starts three popbridge processes with a fixed heap:
#
#      proxy-tls    pop3://127.0.0.1:32110 -> pop3s://localhost:31995  (popbridge does the TLS leg)
#      proxy-plain  pop3://127.0.0.1:32111 -> pop3://localhost:31110   (plain on both legs)
#      proxy-many   pop3://127.0.0.1:32113 -> pop3://localhost:31111   (the 10,000-session phase)
#
#    and measures, against Dovecot directly and through popbridge: RETR throughput for 10 MB
#    and 4 KB messages (1 session and 4 at once), NOOP/STAT round-trip latency, 1,000
#    concurrent sessions (tls and plain pairs), 10,000 concurrent sessions (many pair), and
#    popbridge's RSS and heap (idle, with all sessions open, peak).
#
# Every popbridge gets --config with the client limits raised (bench_config in bench/lib.sh: all
# clients are 127.0.0.1). Prints a Markdown block, issue 15's targets first, and keeps a copy in
# bench/target/results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench.*: logs, raw samples)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's JVM heap option; BENCH_JAR runs another
# popbridge jar than proxy/target/popbridge.jar (never built then); BENCH_MANY_SESSIONS
# (10,000; --quick 1,000) sizes the many-sessions phase, which needs an open-file limit of
# 2 x sessions + 200 (popbridge holds two sockets per session); BENCH_COLD_STARTS (3; --quick 1)
# the cold-start repetitions; BENCH_CDS=1 adds the AppCDS variant: a training popbridge
# started with -XX:ArchiveClassesAtExit serves the cold-start sessions once, and every
# repetition then also starts one with -XX:SharedArchiveFile (alternating with the plain
# start). BENCH_CONFIG=FILE puts FILE's settings (without limits:) before the limits in every
# popbridge's --config, e.g. `transport: {type: io_uring}`. BENCH_POP3_PORT, BENCH_POP3S_PORT,
# BENCH_MANY_PORT, BENCH_PROXY_TLS_PORT, BENCH_PROXY_PLAIN_PORT, BENCH_PROXY_COLD_PORT and
# BENCH_PROXY_MANY_PORT move the ports.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
bench_started=$(date +%s)
many_env=${BENCH_CONFIG:+BENCH_CONFIG=$BENCH_CONFIG }${BENCH_MANY_SESSIONS:+BENCH_MANY_SESSIONS=$BENCH_MANY_SESSIONS }
export BENCH_POP3_PORT=${BENCH_POP3_PORT:-31110}
export BENCH_POP3S_PORT=${BENCH_POP3S_PORT:-31995}
export BENCH_MANY_PORT=${BENCH_MANY_PORT:-31111}
proxy_tls_port=${BENCH_PROXY_TLS_PORT:-32110}
proxy_plain_port=${BENCH_PROXY_PLAIN_PORT:-32111}
proxy_cold_port=${BENCH_PROXY_COLD_PORT:-32112}
proxy_many_port=${BENCH_PROXY_MANY_PORT:-32113}
sessions=1000
many=${BENCH_MANY_SESSIONS:-10000}
cold_starts=${BENCH_COLD_STARTS:-3}
cds=${BENCH_CDS:-0}
client_args=()
if [[ $quick -eq 1 ]]; then
  sessions=200
  many=${BENCH_MANY_SESSIONS:-1000}
  cold_starts=${BENCH_COLD_STARTS:-1}
  client_args=(--round-trips 2000 --big-per-session 3 --small-per-session 300)
fi
[[ $many =~ ^[0-9]+$ && $many -ge 100 ]] || { say "BENCH_MANY_SESSIONS must be a number, at least 100"; exit 2; }
[[ $cold_starts =~ ^[0-9]+$ && $cold_starts -ge 1 && $cold_starts -le 20 ]] \
  || { say "BENCH_COLD_STARTS must be 1 to 20"; exit 2; }
export BENCH_MANY_SESSIONS=$many # dovecot-bench.sh sizes its pop3-many service for it
client_args+=(--sessions "$sessions" --many-sessions "$many")

bench_need dovecot java mvn jcmd jstat python3 openssl

# The many-sessions phase holds $many sessions open at once through one popbridge process,
# which needs two descriptors each (the client's socket and the upstream's) plus its own files;
# the client needs one per session, Dovecot's are spread over its processes.
nofile_hard=$(ulimit -Hn)
crowd=$((many > sessions ? many : sessions))
bench_nofile $((2 * crowd + 200)) "$crowd sessions through one popbridge (BENCH_MANY_SESSIONS)" \
  "BENCH_MANY_SESSIONS=$(( (${nofile_hard/unlimited/1000000} - 200) / 2 / 100 * 100 )) bash bench/run.sh"

bench_workdir popbridge-bench

# --- builds ---------------------------------------------------------------------------
bench_private_jar
bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py "$crowd"
say "warm-up: every mailbox once, directly (Dovecot builds its indexes)"
timeout -k 5 600 java -jar "$bench_jar" warm --out "$out" --ca "$workdir/tls/ca.crt" \
  --port "$BENCH_POP3_PORT" --sessions "$crowd"
limits=$(bench_config limits "${BENCH_CONFIG:-}")

kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# --- cold start -----------------------------------------------------------------------
# cold_start VARIANT REP [JVM-OPTION...]: starts a fresh popbridge proxy-cold with the heap option
# and JVM-OPTIONs (not through interop/popbridge.sh, whose port probes would be its first
# connections) and the test certificate (a restart loads its certificate; none is generated in
# a measured start), times launch to its "listening on" line, runs the client's cold passes against
# it (ColdStart.java, one line in OUT/cold.tsv) and stops it. Returns 1 if it did not start.
cold_start() {
  local variant=$1 rep=$2 name=proxy-cold pid t0 line l stamp launch_ms i mapped
  shift 2
  local log=$workdir/$name-$variant-$rep.log
  : > "$log" # there before the loop below reads it
  t0=$(date +%s%3N)
  # shellcheck disable=SC2086 # word splitting of the heap option is intended
  java $heap "$@" -jar "$workdir/popbridge.jar" --listen "pop3://127.0.0.1:$proxy_cold_port" \
    --upstream "pop3://localhost:$BENCH_POP3_PORT" --config "$limits" --state-dir "$workdir/state-$name" \
    --cert "$workdir/tls/server.crt" --key "$workdir/tls/server.key" > "$log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$workdir/$name.pid"
  proxies+=("$name")
  proxy_pid[$name]=$pid
  line=
  for ((i = 0; i < 600; i++)); do # 30 s; read by bash itself, no grep forked next to the starting JVM
    while IFS= read -r l; do
      [[ $l == *"listening on pop3://127.0.0.1:$proxy_cold_port"* ]] && { line=$l; break; }
    done < "$log"
    [[ -n $line ]] && break
    alive "$pid" || break
    sleep 0.05
  done
  if [[ -z $line ]]; then
    say "popbridge $name ($variant) did not start; its log:"
    tail -n 20 "$log" >&2
    cold_stop
    return 1
  fi
  # The log line's own time (logback, milliseconds), not when this loop saw it.
  stamp=$(date -d "${line:0:23}" +%s%3N 2>/dev/null || date +%s%3N)
  launch_ms=$((stamp - t0))
  timeout -k 5 120 java -jar "$bench_jar" cold --out "$out" --direct "$BENCH_POP3_PORT" \
    --proxy "$proxy_cold_port" --variant "$variant" --rep "$rep" --launch-ms "$launch_ms" || true
  if [[ $variant == appcds ]]; then
    # "CDS archive(s) mapped at: [base-static end-dynamic end)": a dynamic archive that did not
    # map (another JDK build, another base archive) leaves the last two equal, silently.
    mapped=$(timeout 30 jcmd "$pid" VM.info 2>/dev/null \
      | sed -nE 's/^CDS archive\(s\) mapped at: \[0x[0-9a-f]+-(0x[0-9a-f]+)-(0x[0-9a-f]+)\).*/\1 \2/p')
    if [[ -z $mapped || ${mapped% *} == "${mapped#* }" ]]; then
      say "popbridge $name ($variant #$rep) did not map the AppCDS archive"
      echo "$rep" >> "$out/cds-not-mapped"
    fi
  fi
  cold_stop
}

cold_stop() {
  bash "$root/interop/popbridge.sh" stop "$workdir" proxy-cold >/dev/null 2>&1 || true
  local kept=() name
  for name in "${proxies[@]}"; do
    [[ $name == proxy-cold ]] || kept+=("$name")
  done
  proxies=("${kept[@]}")
  unset 'proxy_pid[proxy-cold]'
}

cds_note=""
archive=$workdir/popbridge.jsa
if [[ $cds == 1 ]]; then
  say "cold start: a training popbridge writes the AppCDS archive at its exit"
  cold_start training 0 -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=error || true
  if [[ -s $archive ]]; then
    cds_note="The archive ($(($(stat -c %s "$archive") / 1048576)) MiB) was written by \`-XX:ArchiveClassesAtExit\` at the exit of a training popbridge that served the same two sessions once; those repetitions run \`java $heap -XX:SharedArchiveFile=popbridge.jsa -jar popbridge.jar\` (the JDK's own CDS archive is on in every run, Java 17's default)."
  else
    say "no AppCDS archive was written; measuring without it"
    cds=0
  fi
fi
say "cold start: $cold_starts fresh popbridge starts$([[ $cds == 1 ]] && echo ", and as many with the AppCDS archive")"
for ((rep = 1; rep <= cold_starts; rep++)); do
  if [[ $cds == 1 && $((rep % 2)) -eq 0 ]]; then
    cold_start appcds "$rep" -XX:SharedArchiveFile="$archive" || true
  fi
  cold_start default "$rep" || true
  if [[ $cds == 1 && $((rep % 2)) -eq 1 ]]; then
    cold_start appcds "$rep" -XX:SharedArchiveFile="$archive" || true
  fi
done
if [[ -f $out/cds-not-mapped ]]; then
  cds_note="$cds_note **The archive did not map in repetition(s) $(paste -sd, "$out/cds-not-mapped"): those ran without it.**"
fi

# --- popbridge ------------------------------------------------------------------------
start_proxy() { # start_proxy NAME PORT UPSTREAM
  bench_start_proxy "$1" "$workdir/popbridge.jar" "pop3://127.0.0.1:$2" \
    --upstream "$3" --upstream-ca "$workdir/tls/ca.crt" --config "$limits"
}
start_proxy proxy-tls "$proxy_tls_port" "pop3s://localhost:$BENCH_POP3S_PORT"
start_proxy proxy-plain "$proxy_plain_port" "pop3://localhost:$BENCH_POP3_PORT"
start_proxy proxy-many "$proxy_many_port" "pop3://localhost:$BENCH_MANY_PORT"

# snapshot NAME LABEL: RSS, peak RSS, heap used, then live heap after a full GC.
snapshot() {
  local name=$1 label=$2 pid=${proxy_pid[$1]} heap_line live_line
  alive "$pid" || { say "popbridge $name (pid $pid) is not running at snapshot $label"; return 0; }
  {
    printf '%s\t%s\trss_kb\t%s\n' "$name" "$label" "$(kb "$pid" VmRSS)"
    printf '%s\t%s\thwm_kb\t%s\n' "$name" "$label" "$(kb "$pid" VmHWM)"
    printf '%s\t%s\tthreads\t%s\n' "$name" "$label" "$(kb "$pid" Threads)"
    heap_line=$(timeout 30 jcmd "$pid" GC.heap_info 2>/dev/null | grep -m1 -E 'heap +total' || true)
    printf '%s\t%s\theap_used_kb\t%s\n' "$name" "$label" "$(sed -nE 's/.*used ([0-9]+)K.*/\1/p' <<< "$heap_line")"
    printf '%s\t%s\theap_total_kb\t%s\n' "$name" "$label" "$(sed -nE 's/.*total ([0-9]+)K.*/\1/p' <<< "$heap_line")"
    timeout 30 jcmd "$pid" GC.run >/dev/null 2>&1 || true
    live_line=$(timeout 30 jcmd "$pid" GC.heap_info 2>/dev/null | grep -m1 -E 'heap +total' || true)
    printf '%s\t%s\tlive_heap_kb\t%s\n' "$name" "$label" "$(sed -nE 's/.*used ([0-9]+)K.*/\1/p' <<< "$live_line")"
    printf '%s\t%s\trss_after_gc_kb\t%s\n' "$name" "$label" "$(kb "$pid" VmRSS)"
  } >> "$out/snapshots.tsv"
}

# sample_rss: every 200 ms, each popbridge's RSS (kB), CPU time (ticks), and write
# syscalls and octets (/proc/PID/io syscw, wchar); no forks but sleep. Bounded to 30 minutes.
sample_rss() {
  local i name pid key value rest now rss stat syscw wchar
  for ((i = 0; i < 9000; i++)); do
    now=${EPOCHREALTIME/./}
    now=${now:0:13}
    for name in "${proxies[@]}"; do
      pid=${proxy_pid[$name]}
      rss=
      while read -r key value rest; do
        [[ $key == VmRSS: ]] && { rss=$value; break; }
      done < "/proc/$pid/status" 2>/dev/null || true
      read -r -a stat < "/proc/$pid/stat" 2>/dev/null || stat=()
      syscw=0
      wchar=0
      while read -r key value rest; do
        case $key in
          syscw:) syscw=$value ;;
          wchar:) wchar=$value ;;
        esac
      done < "/proc/$pid/io" 2>/dev/null || true
      [[ -n $rss ]] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$now" "$name" "$rss" "$((stat[13] + stat[14]))" \
        "$syscw" "$wchar"
    done
    sleep 0.2
  done
}

# watch_holds: when the client pauses with all sessions logged in (OUT/NAME.hold),
# snapshot that popbridge and let the client go on (OUT/NAME.go). Bounded to 30 minutes.
watch_holds() {
  local i name
  for ((i = 0; i < 18000; i++)); do
    for name in "${proxies[@]}"; do
      if [[ -f $out/$name.hold && ! -f $out/$name.go ]]; then
        sleep 0.5 # let the last logins settle
        snapshot "$name" hold
        touch "$out/$name.go"
      fi
    done
    sleep 0.1
  done
}

sleep 2
for name in "${proxies[@]}"; do
  snapshot "$name" idle
  jcmd "${proxy_pid[$name]}" PerfCounter.print 2>/dev/null \
    | sed -nE 's/^sun\.rt\.createVmBeginTime=([0-9]+)$/\1/p' > "$out/vmstart-$name"
  jstat -gc -t "${proxy_pid[$name]}" 250 > "$out/jstat-$name.txt" 2>/dev/null &
  background+=($!)
done
sample_rss > "$out/rss.tsv" &
background+=($!)
watch_holds &
background+=($!)

# cpu_jiffies: busy and total jiffies of the whole machine, from /proc/stat.
cpu_jiffies() {
  awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}
others=$(($(pgrep -c -x java || true) - ${#proxies[@]}))
read -r busy0 total0 <<< "$(cpu_jiffies)"
started=$(date +%s)
say "measuring"
client_rc=0
timeout -k 10 1800 java -Xss512k -jar "$bench_jar" run --out "$out" --ca "$workdir/tls/ca.crt" \
  --direct-tls "$BENCH_POP3S_PORT" --proxy-tls "$proxy_tls_port" \
  --direct-plain "$BENCH_POP3_PORT" --proxy-plain "$proxy_plain_port" \
  --direct-many "$BENCH_MANY_PORT" --proxy-many "$proxy_many_port" \
  "${client_args[@]}" || client_rc=$?
elapsed=$(($(date +%s) - started))
read -r busy1 total1 <<< "$(cpu_jiffies)"
cpu_busy=$(( (busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1) ))
[[ $client_rc -eq 0 ]] || say "the bench client exited with status $client_rc"

sleep 2
for name in "${proxies[@]}"; do
  snapshot "$name" after
done

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/results-$(date +%Y%m%d-%H%M%S).md
run_seconds=$(($(date +%s) - bench_started))
{
  echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`$([[ $cds == 1 ]] && echo 'BENCH_CDS=1 ')${many_env}bash bench/run.sh$(bench_quick_note ' --quick')\`" \
    "(the whole script took ${run_seconds} s, its main client run ${elapsed} s)"
  # Two lines with Dovecot's full version, not bench_machine's one line as in the other
  # scripts' reports: this report reads as it always has (docs/BENCHMARKS.md quotes it).
  echo "- machine: $(bench_host)"
  echo "- $(java -version 2>&1 | head -n 1); Dovecot $(dovecot --version)"
  echo "- popbridge: \`java $heap -jar popbridge.jar --config limits.yaml\` (jar $jar_note); log level INFO;" \
    "limits.yaml raises the client limits (every client is 127.0.0.1): \`limits: {connections: 30000," \
    "connections-per-ip: 30000, connections-per-user-ip: 1000, auth-failure-delay: 0s}\`$(
    [[ -n ${BENCH_CONFIG:-} ]] && echo ", after BENCH_CONFIG's settings: \`$(grep -vE '^\s*(#|$)' "$BENCH_CONFIG" | tr -s ' \n' ' ' | sed 's/ $//')\`")"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started and $others other" \
    "JVMs running when the client started; CPUs ${cpu_busy}% busy during the client run (all processes," \
    "the benchmark's own included; its many-session bursts alone push the load average far up)"
  echo
  java -jar "$bench_jar" report --out "$out" --heap "$heap" --cds "$cds_note"
  for name in "${proxies[@]}"; do
    log=$workdir/$name.log
    problems=$(grep -cE ' (WARN|ERROR) |Exception|OutOfMemory' "$log" || true)
    # The plain upstream's start-up warning is expected.
    expected=$(grep -cE 'WARN .*is plain POP3' "$log" || true)
    if [[ $((problems - expected)) -gt 0 ]]; then
      echo "popbridge \`$name\` logged $((problems - expected)) warning/error lines; first ones:"
      echo
      echo '```'
      # awk reads to the end (head would close the pipe early: SIGPIPE under pipefail ends the script).
      grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vE 'is plain POP3' | awk 'NR <= 8' | cut -c1-300
      echo '```'
      echo
    fi
    if ! alive "${proxy_pid[$name]}"; then
      echo "popbridge \`$name\` was no longer running at the end of the run."
      echo
    fi
  done
  cold_problems=$(cat "$workdir"/proxy-cold-*.log 2>/dev/null | grep -E ' (WARN|ERROR) |Exception|OutOfMemory' \
    | grep -vcE 'is plain POP3' || true)
  if [[ $cold_problems -gt 0 ]]; then
    echo "The cold-start popbridges logged $cold_problems warning/error lines; first ones:"
    echo
    echo '```'
    cat "$workdir"/proxy-cold-*.log | grep -E ' (WARN|ERROR) |Exception|OutOfMemory' | grep -vE 'is plain POP3' \
      | awk 'NR <= 5' | cut -c1-300
    echo '```'
    echo
  fi
  bench_dovecot_log_problems
} > "$report"
bench_report "$report"
exit "$client_rc"
