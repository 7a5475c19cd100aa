#!/usr/bin/env bash
# The soak benchmark (not part of CI): one popbridge serving POP3 and SMTP submission for
# 30 minutes to a mix of sessions with faults injected, sampled every 30 s, to show that
# its heap, direct memory, descriptors and threads stay flat. On 127.0.0.1 only:
#
#   bash bench/soak.sh [--keep] [--quick]
#
# Starts a sink (interop/smtpsink.py --discard on 40525), a private Dovecot (POP3 on 40110,
# POP3S 40995 unused, SMTP submission on 40587 relaying to the sink, submissions 40465
# unused) with 4 users of 50 messages of 2-50 KiB (bench/soak_client.py fill), and one
# popbridge:
#
#   java -Xmx256m -XX:NativeMemoryTracking=summary -jar popbridge.jar
#     --listen pop3://127.0.0.1:41110 --listen smtp://127.0.0.1:41587
#     --upstream pop3://127.0.0.1:40110 --submission smtp://127.0.0.1:40587
#     --config soak.yaml     (limits: connections-per-ip 500, auth-failure-delay 0s)
#
# Then bench/soak_client.py run drives it for SOAK_MINUTES with SOAK_WORKERS threads: POP3
# sessions, wrong passwords, clients vanishing mid-RETR, idle connections that never log in,
# garbage lines, HTTP, SMTP sends of 4 KiB and clients vanishing mid-DATA (its docstring has
# the details). Every SOAK_INTERVAL seconds the script samples popbridge: one jcmd with
# GC.run, GC.heap_info and VM.native_memory summary (heap used after a full GC, metaspace,
# NMT committed, its Java Heap and Other parts: netty's direct buffers are malloc'ed outside
# the heap and show under Other on JDK 17), and from /proc the open descriptors, threads,
# RSS and CPU time; also once idle before the client starts and once idle after it ends.
# A measure is "flat" if its last sample under load is within 10% (5% for native memory), or
# a small absolute margin, of the sample at a third of the run, after warm-up. The client's
# wrong passwords always use one user and password, primed into Dovecot's per-address auth
# penalty before the run (comments below), so that penalty never slows the other sessions.
# Prints a Markdown block and keeps a copy in bench/target/soak-results-TIMESTAMP.md (the
# samples next to it, .tsv).
#
#   --keep   keep the work directory (/tmp/popbridge-soak.*: logs, samples, jcmd output)
#   --quick  2 minutes, samples every 15 s, for trying the script out
# SOAK_MINUTES (30; --quick 2), SOAK_INTERVAL (30 s; --quick 15), SOAK_WORKERS (8) size it;
# BENCH_HEAP (-Xmx256m) and BENCH_JAR as in the other bench scripts. Exits 1 if the client
# saw an error, a measure grew, the sink's count differs from the client's or popbridge died.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=40110
export BENCH_POP3S_PORT=40995
export BENCH_SUBMISSION_PORT=40587
export BENCH_SUBMISSIONS_PORT=40465
export BENCH_RELAY_PORT=40525
pop3_port=41110
smtp_port=41587
users=4
messages=50
minutes=${SOAK_MINUTES:-30}
interval=${SOAK_INTERVAL:-30}
workers=${SOAK_WORKERS:-8}
if [[ $quick -eq 1 ]]; then
  minutes=${SOAK_MINUTES:-2}
  interval=${SOAK_INTERVAL:-15}
fi
[[ $minutes =~ ^[0-9]+$ && $minutes -ge 1 && $minutes -le 1440 ]] || { say "SOAK_MINUTES must be 1 to 1440"; exit 2; }
[[ $interval =~ ^[0-9]+$ && $interval -ge 5 ]] || { say "SOAK_INTERVAL must be at least 5"; exit 2; }
[[ $workers =~ ^[0-9]+$ && $workers -ge 3 && $workers -le 200 ]] || { say "SOAK_WORKERS must be 3 to 200"; exit 2; }
# Native Memory Tracking makes the direct (Other) and native memory readable with jcmd.
heap="$heap -XX:NativeMemoryTracking=summary"

bench_need dovecot java jcmd python3 openssl
if [[ ! -x /usr/lib/dovecot/submission-login ]]; then
  say "Dovecot's submission server is not installed (apt-get install dovecot-submissiond)"
  exit 1
fi
for port in "$BENCH_RELAY_PORT" "$pop3_port" "$smtp_port"; do
  if port_in_use 127.0.0.1 "$port"; then
    say "port $port on 127.0.0.1 is already in use"
    exit 1
  fi
done

bench_workdir popbridge-soak
bench_private_jar

# --- the sink, Dovecot ----------------------------------------------------------------
python3 "$root/interop/smtpsink.py" --port "$BENCH_RELAY_PORT" --discard \
  > "$workdir/smtpsink.log" 2>&1 < /dev/null &
sink_pid=$!
background+=("$sink_pid")
wait_port 127.0.0.1 "$BENCH_RELAY_PORT" 10 "$sink_pid" \
  || { say "smtpsink.py did not listen on $BENCH_RELAY_PORT"; cat "$workdir/smtpsink.log" >&2; exit 1; }

dovecot_ports=("$BENCH_POP3_PORT" "$BENCH_POP3S_PORT" "$BENCH_SUBMISSION_PORT" "$BENCH_SUBMISSIONS_PORT")
dovecot_prepare soak.sh "$workdir" "${dovecot_ports[@]}" # the mail user, TLS material, directories
python3 "$here/soak_client.py" fill "$workdir" "$dovecot_uid" "$dovecot_gid" "$users" "$messages"
# The layout and configuration of bench/dovecot-bench.sh (which stops it at exit), plus
# auth_failure_delay = 0: a wrong password is answered after 0.5 s (Dovecot's failure queue
# tick) instead of 2 s. Dovecot's per-address auth penalty stays: popbridge is its one client,
# from 127.0.0.1, and after failures with new user/password pairs every next login from there,
# good ones included, waits 4 to 15 s (neither login_trusted_networks nor a nodelay passdb
# field lifted it on Dovecot 2.3.19); so the client always sends the same user and wrong
# password, which the penalty counts once once it has seen it and decayed (soak_client.py
# prime, 16 s, while popbridge starts). popbridge's own failure delay is off (soak.yaml).
dovecot_conf --workdir "$workdir" --instance popbridge-soak \
  --about "the popbridge soak benchmark" --generated-by bench/soak.sh \
  --pop3 "$BENCH_POP3_PORT" --pop3s "$BENCH_POP3S_PORT" \
  --submission "$BENCH_SUBMISSION_PORT" --submissions "$BENCH_SUBMISSIONS_PORT" \
  --relay-port "$BENCH_RELAY_PORT" --userip-connections 1000 \
  --pop3-login-tuning "  # High-performance mode, as bench/dovecot-bench.sh.
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 1000" \
  --extra "auth_failure_delay = 0
default_process_limit = 500
default_client_limit = 2000" \
  > "$workdir/dovecot.conf"
dovecot_launch soak.sh "$workdir" "${dovecot_ports[@]}"
python3 "$here/soak_client.py" prime "$BENCH_POP3_PORT" > "$workdir/prime.log" 2>&1 &
prime_pid=$!
background+=("$prime_pid")

# --- popbridge ------------------------------------------------------------------------
cat > "$workdir/soak.yaml" <<'YAML'
# bench/soak.sh: every client is 127.0.0.1, so the per-address limits are raised and the
# failed-login delay is off, or the soak would measure the throttling instead of popbridge.
# The other limits (auth-failures 3, protocol-errors 10, ...) keep their defaults: the
# client's fault sessions rely on them.
limits:
  connections-per-ip: 500
  connections-per-user-ip: 100
  auth-failure-delay: 0s
YAML
bench_start_proxy soak "$workdir/popbridge.jar" "pop3://127.0.0.1:$pop3_port" \
  --listen "smtp://127.0.0.1:$smtp_port" \
  --upstream "pop3://127.0.0.1:$BENCH_POP3_PORT" --submission "smtp://127.0.0.1:$BENCH_SUBMISSION_PORT" \
  --config "$workdir/soak.yaml" \
  || { say "popbridge did not start; its log:"; tail -n 20 "$workdir/soak.log" >&2; exit 1; }
proxy=${proxy_pid[soak]}

# --- sampling -------------------------------------------------------------------------
samples=$out/samples.tsv
printf 'GC.run\nGC.heap_info\nVM.native_memory summary\n' > "$workdir/jcmd-commands"
printf 'label\telapsed_s\theap_used_kb\tmetaspace_kb\tnmt_committed_kb\tjava_heap_committed_kb\tarena_kb\tcode_kb\tnative_kb\tother_kb\tfds\tthreads\trss_kb\tcpu_s\n' > "$samples"
hz=$(getconf CLK_TCK)

# sample LABEL ELAPSED: one row of $samples; "?" where popbridge did not answer.
sample() {
  local label=$1 elapsed=$2 j heap meta total jheap arena code other native fds threads rss cpu
  j=$(timeout 60 jcmd "$proxy" -f "$workdir/jcmd-commands" 2>&1 || true)
  printf '=== %s %s s\n%s\n' "$label" "$elapsed" "$j" >> "$out/jcmd.log"
  heap=$(sed -nE 's/^ *garbage-first heap +total [0-9]+K, used ([0-9]+)K.*/\1/p' <<< "$j" | tail -n 1)
  meta=$(sed -nE 's/^ *Metaspace +used ([0-9]+)K.*/\1/p' <<< "$j" | tail -n 1)
  total=$(sed -nE 's/^Total: reserved=[0-9]+KB, committed=([0-9]+)KB.*/\1/p' <<< "$j" | tail -n 1)
  jheap=$(sed -nE 's/^-\s+Java Heap \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\1/p' <<< "$j" | tail -n 1)
  arena=$(sed -nE 's/^-\s+Arena Chunk \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\1/p' <<< "$j" | tail -n 1)
  code=$(sed -nE 's/^-\s+Code \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\1/p' <<< "$j" | tail -n 1)
  other=$(sed -nE 's/^-\s+Other \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\1/p' <<< "$j" | tail -n 1)
  native="?"
  # Arena Chunk is the JIT compilers' scratch memory, 0 to 30 MB from one moment to the next.
  [[ -n $total && -n $jheap ]] && native=$((total - jheap - ${arena:-0}))
  fds=$(find "/proc/$proxy/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$proxy/status" 2>/dev/null || true)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$proxy/status" 2>/dev/null || true)
  cpu=$(awk -v hz="$hz" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$proxy/stat" 2>/dev/null || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$elapsed" "${heap:-?}" "${meta:-?}" \
    "${total:-?}" "${jheap:-?}" "${arena:-0}" "${code:-?}" "$native" "${other:-?}" "$fds" "${threads:-?}" "${rss:-?}" "${cpu:-?}" >> "$samples"
}

# sampler START: a sample every $interval s from START until the run's end (bounded).
sampler() {
  local start=$1 k now next
  for ((k = 1; k * interval < minutes * 60; k++)); do
    next=$((start + k * interval))
    now=$(date +%s)
    if ((next > now)); then
      sleep $((next - now))
    fi
    sample load $((k * interval))
  done
}

prime_rc=0
wait "$prime_pid" || prime_rc=$?
[[ $prime_rc -eq 0 ]] || { say "priming Dovecot's penalty failed:"; cat "$workdir/prime.log" >&2; exit 1; }
background=("$sink_pid")
sleep 2
sample idle-before 0
others=$(($(pgrep -c -x java || true) - 1))
say "soak: $minutes min, $workers workers, a sample every $interval s (popbridge pid $proxy)"
started=$(date +%s)
sampler "$started" &
sampler_pid=$!
background+=("$sampler_pid")
client_rc=0
timeout -k 10 $((minutes * 60 + 300)) python3 "$here/soak_client.py" run \
  --pop3 "$pop3_port" --smtp "$smtp_port" --users "$users" --minutes "$minutes" \
  --workers "$workers" --counts "$out/counts.tsv" > "$out/counts.md" 2> "$out/client.log" || client_rc=$?
elapsed=$(($(date +%s) - started))
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
# The sampler ends by itself at the run's end; bounded wait, then it is stopped.
for ((i = 0; i < 2 * interval + 120; i++)); do
  alive "$sampler_pid" || break
  sleep 1
done
stop_pid "$sampler_pid" 5 || true
wait "$sampler_pid" 2>/dev/null || true
background=("$sink_pid")
sleep 5
sample idle-after "$elapsed"
proxy_alive=1
alive "$proxy" || proxy_alive=0
if [[ $client_rc -ne 0 ]]; then
  say "the soak client exited with status $client_rc:"
  tail -n 5 "$out/client.log" >&2
fi
sent=$(sed -nE 's/^SENT ([0-9]+)$/\1/p' "$out/client.log")

stop_pid "$sink_pid" 5 || true
background=()
received=$(sed -nE 's/^smtpsink: ([0-9]+) messages received.*/\1/p' "$workdir/smtpsink.log")

# --- report ---------------------------------------------------------------------------
report_rc=0
python3 "$here/soak_client.py" report --samples "$samples" --minutes "$minutes" --workers "$workers" \
  > "$out/samples.md" 2> "$out/report.log" || report_rc=$?
verdict=$(sed -nE 's/^VERDICT (.*)$/\1/p' "$out/report.log")
mkdir -p "$here/target"
report=$here/target/soak-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### Soak run of $(date -u -d "@$started" '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick)')"
  echo
  echo "- command: \`${SOAK_MINUTES:+SOAK_MINUTES=$SOAK_MINUTES }bash bench/soak.sh$(bench_quick_note ' --quick')\`" \
    "($minutes min, $workers client workers, a sample every $interval s; the client ran ${elapsed} s)"
  echo "- machine: $(bench_machine); the client, Dovecot, the sink and popbridge share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar --listen pop3://127.0.0.1:$pop3_port" \
    "--listen smtp://127.0.0.1:$smtp_port --upstream pop3://127.0.0.1:$BENCH_POP3_PORT" \
    "--submission smtp://127.0.0.1:$BENCH_SUBMISSION_PORT --config soak.yaml\` (jar $jar_note);" \
    "soak.yaml: \`limits: {connections-per-ip: 500, connections-per-user-ip: 100, auth-failure-delay: 0s}\`;" \
    "log level INFO; CPU time over the run $(awk -F'\t' '$1 == "idle-after" {a = $14} $1 == "idle-before" {b = $14} END {printf "%.0f", a - b}' "$samples") s"
  echo "- Dovecot: POP3 and submission on 127.0.0.1, $users users with $messages messages of 2–50 KiB each," \
    "relaying to \`interop/smtpsink.py --discard\`; \`auth_failure_delay = 0\`"
  echo "- SMTP messages: ${sent:-?} accepted by popbridge as the client saw it, ${received:-?} reached the sink"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_end" \
    "when the client ended; $others other JVMs running when the client started"
  echo
  echo "#### Sessions"
  echo
  cat "$out/counts.md"
  echo
  echo "#### popbridge over the run"
  echo
  echo "Samples every $interval s under load (a \`jcmd GC.run\` first, so heap is what survives a full GC)," \
    "and idle before the client started and 5 s after it ended. The verdict compares the last sample" \
    "under load with the one at a third of the run; the trend is a least-squares line through the" \
    "samples from that third on."
  echo
  cat "$out/samples.md"
  echo "Verdict: **${verdict:-?}**."
  # A soak makes thousands of expected log lines (every reset client is an INFO line naming
  # its SocketException), so they are counted by kind rather than quoted.
  echo
  echo "popbridge's log: $(wc -l < "$workdir/soak.log") lines; those at WARN or ERROR or naming an exception," \
    "by kind (times, session ids and ports stripped):"
  echo
  echo '```'
  grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$workdir/soak.log" \
    | sed -E 's/^[0-9-]+ [0-9:.]+ //; s/\[[0-9a-f]{8}\] ?//; s/(127\.0\.0\.1):[0-9]+/\1/g' \
    | sort | uniq -c | sort -rn | awk 'NR <= 10' | cut -c1-200 || true
  echo '```'
  [[ $proxy_alive -eq 1 ]] || { echo; echo "popbridge was no longer running at the end."; }
  bench_dovecot_log_problems
  if [[ -n $sent && $sent != "${received:-}" ]]; then
    echo
    echo "The sink received ${received:-?} messages, the client saw $sent accepted."
  fi
} > "$report"
bench_report "$report" "$samples"
rc=$client_rc
[[ $report_rc -eq 0 ]] || rc=1
[[ $proxy_alive -eq 1 ]] || rc=1
[[ -n $sent && $sent == "${received:-}" ]] || rc=1
exit "$rc"
