#!/usr/bin/env bash
# netty's transports side by side (issue 15): epoll, the default on Linux; io_uring, on request;
# and the JDK's NIO, the fallback; on 127.0.0.1 only:
#
#   bash bench/run-transports.sh [--keep] [--quick]
#
# Starts a private Dovecot (bench/dovecot-bench.sh on 41110 and 41995, so it does not collide
# with the other bench scripts), fills it as bench/run.sh does (bench/fill_mail.py: `big`,
# 20 x 10 MiB; `small`, 2,000 x 4 KiB; `lat`), and starts one popbridge per transport that
# loads here, all plain on both legs, each with run.sh's heap and limits (bench_config in
# bench/lib.sh) and `transport: {type: ...}`:
#
#   epoll      pop3://127.0.0.1:41111   the default on Linux (type auto)
#   io_uring   pop3://127.0.0.1:41112   type io_uring, left out where the kernel refuses it
#   nio        pop3://127.0.0.1:41113   the JDK's, the fallback elsewhere
#
# Then two measurements:
#
# 1. Rounds (`popbridge-bench run --sides`, as bench/run-nginx.sh): direct Dovecot and each
#    popbridge in the same rounds, their order rotating; NOOP/STAT round trips, RETR of 4 KB
#    messages (1 session and 4 at once) and of 10 MB (1 and 4). `popbridge-bench sides-report`
#    prints each ÷ direct and each one's CPU per message, per GB and per command.
# 2. Per command, with several sessions at once: for each count of sessions in
#    BENCH_TRANSPORT_SESSIONS (1 8 32), that many bench/command_loop.py sessions at once send
#    their share of BENCH_TRANSPORT_COMMANDS NOOPs (20,000), then of half as many 4 KB RETRs,
#    one command at a time each, to one popbridge at a time; BENCH_TRANSPORT_REPEATS (3)
#    repeats, each in another order of the transports. Per command: commands per second over
#    the whole run (logins included), popbridge's CPU (every thread's time on a CPU, from
#    /proc/PID/task/TID/schedstat, exact), how many times its threads were put on a CPU, and,
#    where perf may count tracepoints, its system calls (perf stat -e raw_syscalls:sys_enter).
#    Medians of the repeats, slowest-fastest in small print. One session sends one command at
#    a time, so a transport can save system calls only where several sessions are ready at once.
#
# Prints a Markdown block and keeps a copy in bench/target/results-transports-TIMESTAMP.md.
#   --keep   keep the work directory (/tmp/popbridge-bench-transports.*: logs, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_JAR runs another popbridge
# jar than proxy/target/popbridge.jar (never built then); BENCH_TRANSPORT_ROUNDS (2 per side)
# sets the rounds.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=41110
export BENCH_POP3S_PORT=41995
declare -A transport_port=([epoll]=41111 [io_uring]=41112 [nio]=41113)
sessions_list=${BENCH_TRANSPORT_SESSIONS:-1 8 32}
commands=${BENCH_TRANSPORT_COMMANDS:-20000}
repeats=${BENCH_TRANSPORT_REPEATS:-3}
client_args=()
if [[ $quick -eq 1 ]]; then
  sessions_list=${BENCH_TRANSPORT_SESSIONS:-1 8}
  commands=${BENCH_TRANSPORT_COMMANDS:-2000}
  repeats=${BENCH_TRANSPORT_REPEATS:-1}
  client_args=(--round-trips 2000 --big-per-session 3 --small-per-session 300 --small-per-parallel-session 150)
fi
for s in $sessions_list; do
  [[ $s =~ ^[0-9]+$ && $s -ge 1 && $s -le 200 ]] || { say "BENCH_TRANSPORT_SESSIONS must be counts of 1 to 200"; exit 2; }
done
[[ $commands =~ ^[0-9]+$ && $commands -ge 100 && $commands -le 200000 ]] \
  || { say "BENCH_TRANSPORT_COMMANDS must be 100 to 200000"; exit 2; }
[[ $repeats =~ ^[0-9]+$ && $repeats -ge 1 && $repeats -le 10 ]] || { say "BENCH_TRANSPORT_REPEATS must be 1 to 10"; exit 2; }

bench_need dovecot java mvn python3 openssl
bench_workdir popbridge-bench-transports
bench_private_jar
bench_client
bench_dovecot fill_mail.py 1

# --- one popbridge per transport ---------------------------------------------------------
transports=()
left_out=""
for t in epoll io_uring nio; do
  config=$(bench_config "limits-$t")
  printf '\ntransport:\n  type: %s\n' "$t" >> "$config"
  if bench_start_proxy "$t" "$workdir/popbridge.jar" "pop3://127.0.0.1:${transport_port[$t]}" \
      --upstream "pop3://localhost:$BENCH_POP3_PORT" --config "$config" \
      && grep -q "transport: $t" "$workdir/$t.log"; then
    transports+=("$t")
  else
    # popbridge refuses a type that does not load here, saying why.
    why=$(grep -oE "$t does not load here \([^)]*\)" "$workdir/$t.log" | head -n 1 || true)
    say "left out $t: ${why:-popbridge did not start with it, see $workdir/$t.log}"
    left_out+="${left_out:+; }$t (${why:-did not start})"
  fi
done
[[ ${#transports[@]} -ge 2 ]] || { say "fewer than two transports load here: nothing to compare"; exit 1; }

# --- 1. rounds ---------------------------------------------------------------------------
sides="direct=$BENCH_POP3_PORT:0"
for t in "${transports[@]}"; do
  sides+=",$t=${transport_port[$t]}:${proxy_pid[$t]}"
done
rounds=${BENCH_TRANSPORT_ROUNDS:-$((2 * (${#transports[@]} + 1)))}
[[ $quick -eq 1 && -z ${BENCH_TRANSPORT_ROUNDS:-} ]] && rounds=$((${#transports[@]} + 1))
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $rounds -le 30 ]] || { say "BENCH_TRANSPORT_ROUNDS must be 1 to 30"; exit 2; }
bench_sides "$sides" "$rounds" "${client_args[@]}"

# --- 2. per command, several sessions at once ------------------------------------------------
counting=0
bench_perf_counts raw_syscalls:sys_enter "${proxy_pid[${transports[0]}]}" && counting=1
[[ -r /proc/self/schedstat ]] || say "no /proc/PID/schedstat on this kernel: the CPU columns stay empty"

# loops PORT SESSIONS COUNT KIND: SESSIONS command_loop.py sessions at once, COUNT commands in
# all; false if any failed.
loops() {
  local port=$1 n=$2 count=$3 kind=$4 i rc=0 pids=()
  for ((i = 0; i < n; i++)); do
    timeout 600 python3 "$here/command_loop.py" "$port" "$((count / n))" "$kind" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    wait "$i" || rc=1
  done
  return "$rc"
}

# measure TRANSPORT SESSIONS KIND COUNT REPEAT: one line of per_command.tsv.
measure() {
  local t=$1 n=$2 kind=$3 count=$4 rep=$5 pid=${proxy_pid[$1]} tag="$1-$2-$3-$5" perf_pid="" t0 t1 calls=""
  bench_thread_cpu "$pid" > "$workdir/cpu-$tag.before"
  if [[ $counting -eq 1 ]]; then
    perf stat -x, -o "$workdir/perf-$tag.csv" -e raw_syscalls:sys_enter -p "$pid" > /dev/null 2>&1 &
    perf_pid=$!
    sleep 0.2 # perf attaches before the first command
  fi
  t0=$(date +%s%N)
  loops "${transport_port[$t]}" "$n" "$count" "$kind" || { say "$t: command_loop.py failed ($n sessions, $kind)"; }
  t1=$(date +%s%N)
  if [[ -n $perf_pid ]]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
    calls=$(awk -F, -v n="$count" '$1 ~ /^[0-9]+$/ && $3 ~ /sys_enter/ { printf "%.2f", $1 / n }' "$workdir/perf-$tag.csv")
  fi
  bench_thread_cpu "$pid" > "$workdir/cpu-$tag.after"
  read -r run _ put _ <<< "$(bench_thread_cpu_per "$workdir/cpu-$tag.before" "$workdir/cpu-$tag.after" "$count")"
  printf '%s\t%s\t%s\t%s\t%.0f\t%s\t%s\t%s\n' "$t" "$n" "$kind" "$rep" \
    "$(echo "$count * 1000000000 / ($t1 - $t0)" | bc -l)" "${run:-}" "${put:-}" "${calls:-}"
}

per_command=$workdir/per_command.tsv
: > "$per_command"
say "per command: ${sessions_list// /, } sessions at once, $commands NOOPs and $((commands / 2)) RETRs, $repeats repeats"
for t in "${transports[@]}"; do # warm-up, unmeasured
  loops "${transport_port[$t]}" 4 2000 noop && loops "${transport_port[$t]}" 4 1000 retr \
    || say "$t: the warm-up's command_loop.py failed"
done
for ((rep = 1; rep <= repeats; rep++)); do
  order=("${transports[@]:rep % ${#transports[@]}}" "${transports[@]:0:rep % ${#transports[@]}}")
  for n in $sessions_list; do
    for t in "${order[@]}"; do
      measure "$t" "$n" noop "$commands" "$rep" >> "$per_command"
      measure "$t" "$n" retr "$((commands / 2))" "$rep" >> "$per_command"
    done
  done
done
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/results-transports-$(date +%Y%m%d-%H%M%S).md
{
  echo "### Transports run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`bash bench/run-transports.sh$(bench_quick_note ' --quick')\` (rounds: $rounds; the client" \
    "run took ${elapsed} s)"
  echo "- machine: $(bench_machine); the clients, Dovecot and popbridge share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar --config limits-TYPE.yaml\` (jar $jar_note), one per" \
    "transport: ${transports[*]}${left_out:+; left out: $left_out}; log level INFO; limits as bench/run.sh's"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_end when it ended"
  echo
  java -jar "$bench_jar" sides-report --out "$out" || echo "(no tables: the client wrote no figures)"
  echo
  echo "#### Per command, several sessions at once"
  echo
  echo "Each row: that many \`bench/command_loop.py\` sessions at once, one command at a time each," \
    "$commands NOOPs or $((commands / 2)) RETRs of 4 KB in all, to one popbridge at a time; medians of" \
    "$repeats repeats, slowest-fastest in small print. Commands per second include the logins; CPU is" \
    "every popbridge thread's time on a CPU (/proc/PID/task/TID/schedstat, exact); put on a CPU" \
    "counts its threads' slices; system calls are all of its threads'" \
    "$([[ $counting -eq 1 ]] && echo '(perf stat -e raw_syscalls:sys_enter -p PID)' || echo '(not counted: perf cannot count tracepoints here)')."
  echo
  python3 - "$per_command" "${transports[@]}" <<'PY'
import statistics
import sys
from collections import defaultdict

path, transports = sys.argv[1], sys.argv[2:]
cells = defaultdict(list)
for line in open(path):
    t, n, kind, _rep, *values = line.rstrip("\n").split("\t")
    cells[(int(n), kind, t)].append([float(v) if v else None for v in values])


def cell(samples, column, digits):
    values = [s[column] for s in samples if s[column] is not None]
    if not values:
        return ""
    text = f"{statistics.median(values):,.{digits}f}"
    if len(values) > 1:
        text += f" <sub>({min(values):,.{digits}f}–{max(values):,.{digits}f})</sub>"
    return text


print("| sessions | command | transport | commands/s | CPU per command (µs) | put on a CPU per command | system calls per command |")
print("|---:|---|---|---:|---:|---:|---:|")
for (n, kind, t) in sorted(cells, key=lambda k: (k[0], k[1], transports.index(k[2]))):
    samples = cells[(n, kind, t)]
    print(f"| {n} | {kind.upper()} | {t} | {cell(samples, 0, 0)} | {cell(samples, 1, 1)} | {cell(samples, 2, 2)} | {cell(samples, 3, 2)} |")
PY
  bench_proxies_log_problems
  bench_dovecot_log_problems
} > "$report"
bench_report "$report" "$out/results.tsv"
exit "$client_rc"
