#!/usr/bin/env bash
# The popbridge benchmark, in one command, on 127.0.0.1 only:
#
#   bash bench/run.sh [--keep] [--quick]
#
# Builds proxy/target/popbridge.jar if it is missing and the bench client (bench/pom.xml,
# not a module of the parent), starts a private Dovecot sized for 1,000 sessions
# (bench/dovecot-bench.sh, ports 31110 and 31995), fills its mailboxes
# (bench/fill_mail.py), starts two popbridge processes with a fixed heap:
#
#   proxy-tls    pop3://127.0.0.1:32110 -> pop3s://localhost:31995  (popbridge does the TLS leg)
#   proxy-plain  pop3://127.0.0.1:32111 -> pop3://localhost:31110   (plain on both legs)
#
# and measures, against Dovecot directly and through popbridge: RETR throughput for 10 MB
# and 4 KB messages (1 session and 4 at once), NOOP/STAT round-trip latency, 1,000
# concurrent sessions, and popbridge's RSS and heap (idle, with 1,000 sessions open, peak).
# Prints a Markdown block and keeps a copy in bench/target/results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench.*: logs, raw samples)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's JVM heap option; BENCH_JAR runs another
# popbridge jar than proxy/target/popbridge.jar (never built then); BENCH_POP3_PORT,
# BENCH_POP3S_PORT, BENCH_PROXY_TLS_PORT, BENCH_PROXY_PLAIN_PORT move the ports.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=${BENCH_POP3_PORT:-31110}
export BENCH_POP3S_PORT=${BENCH_POP3S_PORT:-31995}
proxy_tls_port=${BENCH_PROXY_TLS_PORT:-32110}
proxy_plain_port=${BENCH_PROXY_PLAIN_PORT:-32111}
sessions=1000
client_args=(--sessions "$sessions")
if [[ $quick -eq 1 ]]; then
  sessions=200
  client_args=(--sessions "$sessions" --round-trips 2000 --big-per-session 3 --small-per-session 300)
fi

bench_need dovecot java mvn jcmd jstat python3 openssl

# 1,000 sessions through the proxy need about 2,000 descriptors in popbridge, 1,000 in the
# client and more in Dovecot's login processes.
ulimit -n "$(ulimit -Hn)"
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt 8192 ]]; then
  echo "bench: open-file limit $(ulimit -n) is too low for $sessions sessions (need 8192)" >&2
  exit 1
fi

bench_workdir popbridge-bench

# --- builds ---------------------------------------------------------------------------
bench_private_jar
bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py 1000
say "warm-up: every mailbox once, directly (Dovecot builds its indexes)"
timeout -k 5 300 java -jar "$bench_jar" warm --out "$out" --ca "$workdir/tls/ca.crt" \
  --port "$BENCH_POP3_PORT" --sessions 1000

# --- popbridge ------------------------------------------------------------------------
start_proxy() { # start_proxy NAME PORT UPSTREAM
  bench_start_proxy "$1" "$workdir/popbridge.jar" "pop3://127.0.0.1:$2" \
    --upstream "$3" --upstream-ca "$workdir/tls/ca.crt"
}
start_proxy proxy-tls "$proxy_tls_port" "pop3s://localhost:$BENCH_POP3S_PORT"
start_proxy proxy-plain "$proxy_plain_port" "pop3://localhost:$BENCH_POP3_PORT"

kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

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
say "measuring (about 3 minutes)"
client_rc=0
timeout -k 10 900 java -Xss512k -jar "$bench_jar" run --out "$out" --ca "$workdir/tls/ca.crt" \
  --direct-tls "$BENCH_POP3S_PORT" --proxy-tls "$proxy_tls_port" \
  --direct-plain "$BENCH_POP3_PORT" --proxy-plain "$proxy_plain_port" \
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
{
  echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`bash bench/run.sh$(bench_quick_note ' --quick')\` (client run took ${elapsed} s)"
  # Two lines with Dovecot's full version, not bench_machine's one line as in the other
  # scripts' reports: this report reads as it always has (docs/BENCHMARKS.md quotes it).
  echo "- machine: $(bench_host)"
  echo "- $(java -version 2>&1 | head -n 1); Dovecot $(dovecot --version)"
  echo "- popbridge: \`java $heap -jar popbridge.jar\` (jar $jar_note); log level INFO"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started and $others other" \
    "JVMs running when the client started; CPUs ${cpu_busy}% busy during the client run (all processes," \
    "the benchmark's own included; its 1,000-session bursts alone push the load average far up)"
  echo
  java -jar "$bench_jar" report --out "$out" --heap "$heap"
  for name in "${proxies[@]}"; do
    log=$workdir/$name.log
    problems=$(grep -cE ' (WARN|ERROR) |Exception|OutOfMemory' "$log" || true)
    # The plain upstream's start-up warning is expected.
    expected=$(grep -cE 'WARN .*is plain POP3' "$log" || true)
    if [[ $((problems - expected)) -gt 0 ]]; then
      echo "popbridge \`$name\` logged $((problems - expected)) warning/error lines; first ones:"
      echo
      echo '```'
      grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vE 'is plain POP3' | head -n 8 | cut -c1-300
      echo '```'
      echo
    fi
    if ! alive "${proxy_pid[$name]}"; then
      echo "popbridge \`$name\` was no longer running at the end of the run."
      echo
    fi
  done
  dovecot_problems=$(grep -cE ': (Error|Fatal|Panic|Warning): ' "$workdir/dovecot/dovecot.log" || true)
  if [[ $dovecot_problems -gt 0 ]]; then
    echo "Dovecot logged $dovecot_problems error/warning lines; first ones:"
    echo
    echo '```'
    grep -E ': (Error|Fatal|Panic|Warning): ' "$workdir/dovecot/dovecot.log" | head -n 5 | cut -c1-300
    echo '```'
    echo
  fi
} > "$report"
bench_report "$report"
exit "$client_rc"
