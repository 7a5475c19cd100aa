#!/usr/bin/env bash
# What the event loops' busy-poll costs and gives (issue 15): popbridge's CPU and the NOOP
# round trip, with `transport: busy-poll` off and at its default, at rest and under paced
# load, against a private Dovecot on 127.0.0.1:
#
#   bash bench/run-busy-poll.sh [--keep] [--quick]
#
# Starts Dovecot (POP3 38110, POP3S 38995) and two popbridge processes from the same jar
# (BENCH_JAR or proxy/target/popbridge.jar), both plain -> plain:
#
#   off  pop3://127.0.0.1:38120  transport: {busy-poll: 0us}
#   on   pop3://127.0.0.1:38121  transport: {busy-poll: BUSY_POLL (default 50us)}
#
# Then, ROUNDS times (3), for each pace in PACES ("0 100 1000 5000" NOOPs per second; 0 is an
# idle logged-in session) and for each of direct, off and on, in that order: one session of
# bench/paced_noop.py for SECONDS (10), with the proxy's CPU (utime+stime from /proc) read
# before and after. Reports per pace: the NOOP median and p99 of each, and each proxy's CPU
# in milliseconds per second of wall time (1000 = one core busy). Prints a Markdown block,
# kept in bench/target/busy-poll-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-busy-poll.*)
#   --quick  one round of 3 s per pace (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=38110 BENCH_POP3S_PORT=38995
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_PACE:-10}
paces=${PACES:-0 100 1000 5000}
busy_poll=${BUSY_POLL:-50us}
if [[ $quick -eq 1 ]]; then
  rounds=1
  seconds=3
fi
bench_need dovecot java python3 openssl
bench_workdir popbridge-bench-busy-poll
bench_private_jar
bench_dovecot fill_mail.py 1

base=$(bench_config limits)
printf '%s\ntransport: {busy-poll: 0us}\n' "$(cat "$base")" > "$workdir/off.yaml"
printf '%s\ntransport: {busy-poll: %s}\n' "$(cat "$base")" "$busy_poll" > "$workdir/on.yaml"
declare -A port=([direct]=$BENCH_POP3_PORT [off]=38120 [on]=38121)
for name in off on; do
  bench_start_proxy "$name" "$workdir/popbridge.jar" "pop3://127.0.0.1:${port[$name]}" \
    --upstream "pop3://localhost:$BENCH_POP3_PORT" --config "$workdir/$name.yaml"
  grep -h "transport:" "$workdir/$name.log" >&2 || true
done

ticks=$(getconf CLK_TCK)
cpu_ms() { # PID: utime+stime in milliseconds
  awk -v t="$ticks" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$1/stat"
}

raw=$workdir/raw.tsv
: > "$raw"
for ((round = 1; round <= rounds; round++)); do
  for pace in $paces; do
    for target in direct off on; do
      before=0
      [[ $target != direct ]] && before=$(cpu_ms "${proxy_pid[$target]}")
      started=$(date +%s%N)
      result=$(timeout -k 5 $((seconds + 30)) python3 "$here/paced_noop.py" "${port[$target]}" "$pace" "$seconds")
      wall_ms=$((($(date +%s%N) - started) / 1000000))
      cpu=0
      [[ $target != direct ]] && cpu=$(($(cpu_ms "${proxy_pid[$target]}") - before))
      read -r _ count _ median _ p99 <<< "$result"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$pace" "$target" "$count" "$median" "$p99" \
        "$((cpu * 1000 / wall_ms))" >> "$raw"
      say "round $round pace $pace/s $target: $result, proxy cpu ${cpu} ms in ${wall_ms} ms"
    done
  done
done
bench_proxies_log_problems

report=$here/target/busy-poll-results-$(date -u +%Y%m%dT%H%M%SZ).md
mkdir -p "$here/target"
{
  echo "### busy-poll: off against $busy_poll ($(bench_host), $(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "\`bash bench/run-busy-poll.sh\`: $rounds round(s) of ${seconds} s per pace, one session of"
  echo "bench/paced_noop.py; load average at the start $loadavg_start; jar $jar_note."
  echo "NOOP median / p99 in µs (Python client's round trip); proxy CPU in ms per s of wall time,"
  echo "median of the rounds."
  echo
  echo "| NOOPs/s | direct median / p99 | off median / p99 | on median / p99 | CPU off | CPU on |"
  echo "|---|---|---|---|---|---|"
  python3 - "$raw" "$paces" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
def med(pace, target, column):
    values = [int(r[column]) for r in rows if r[1] == pace and r[2] == target]
    return int(statistics.median(values)) if values else 0
for pace in sys.argv[2].split():
    cells = [f"{med(pace, t, 4)} / {med(pace, t, 5)}" if pace != "0" else "idle" for t in ("direct", "off", "on")]
    print(f"| {pace} | {' | '.join(cells)} | {med(pace, 'off', 6)} | {med(pace, 'on', 6)} |")
PY
} | tee "$report"
echo "bench: report kept in $report" >&2
