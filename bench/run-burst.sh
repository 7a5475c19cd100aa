#!/usr/bin/env bash
# The login burst with a TLS upstream, alone (issue 15): 1,000 sessions log in at once,
# directly to Dovecot's POP3S and through one or two popbridge jars whose upstream is that
# POP3S, on 127.0.0.1 only:
#
#   bash bench/run-burst.sh [--keep] [--quick]
#
# The same burst as bench/run.sh's "1,000 sessions" rows (the bench client's crowd phase:
# connect, USER/PASS, then once all are in STAT, UIDL, RETR, QUIT), without its other
# phases, repeated BURST_REPEAT times (3) so that two jars can be compared in one run on
# one machine. Starts a private Dovecot (bench/dovecot-bench.sh: POP3 39110, POP3S 39995,
# login processes in high-performance mode) with 1,000 mailboxes, and:
#
#   popbridge A  pop3://127.0.0.1:39120 -> pop3s://localhost:39995, metrics 127.0.0.1:39188
#   popbridge B  pop3://127.0.0.1:39121 -> pop3s://localhost:39995, metrics 127.0.0.1:39189
#
# A runs BURST_JAR_A (default proxy/target/popbridge.jar, built if missing) with the
# popbridge options BURST_ARGS_A (default none); B, if BURST_JAR_B is set, runs it with
# BURST_ARGS_B, and BURST_LIMITS_A / BURST_LIMITS_B more limits: keys in YAML flow form
# (BURST_LIMITS_B="auth-failures: 5"). E.g. BURST_JAR_A=/tmp/main.jar BURST_JAR_B=proxy/target/popbridge.jar for
# before/after, or BURST_ARGS_A="--tls-engine jdk" BURST_JAR_B=proxy/target/popbridge.jar for
# the engines. Both get limits that let 1,000 sessions in from one address. Per repeat and
# target it reports the per-login median and p99 (connect to +OK after PASS), when the
# logins began and were done (median, from the burst's start: the bench client's own TLS
# spreads the direct sessions' starts over the phase, while through popbridge they all start
# at once, so the per-login figures compare different arrivals; the "done" median does not
# depend on them), the login phase and wall time, failures, popbridge's CPU per session (utime+stime over the crowd
# phase, login and work, 1,000 sessions) and, from popbridge's metrics, the upstream TLS
# handshakes new and resumed so far. Prints a Markdown block, kept in
# bench/target/burst-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-burst.*: logs, raw figures)
#   --quick  200 sessions, one repeat (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=39110 BENCH_POP3S_PORT=39995
sessions=1000
repeat=${BURST_REPEAT:-3}
if [[ $quick -eq 1 ]]; then
  sessions=200
  repeat=1
fi

bench_need dovecot java mvn python3 openssl curl
ulimit -n "$(ulimit -Hn)"
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt 8192 ]]; then
  echo "bench: open-file limit $(ulimit -n) is too low for $sessions sessions (need 8192)" >&2
  exit 1
fi

bench_workdir popbridge-bench-burst

# --- the jars -------------------------------------------------------------------------
BENCH_JAR=${BURST_JAR_A:-${BENCH_JAR:-}} bench_private_jar
mv "$workdir/popbridge.jar" "$workdir/popbridge-A.jar"
notes=("A: \`$(basename "${BURST_JAR_A:-proxy/target/popbridge.jar}")${BURST_ARGS_A:+ $BURST_ARGS_A}\` ($jar_note)")
names=(A)
if [[ -n ${BURST_JAR_B:-} ]]; then
  BENCH_JAR=$BURST_JAR_B bench_private_jar
  mv "$workdir/popbridge.jar" "$workdir/popbridge-B.jar"
  notes+=("B: \`$(basename "$BURST_JAR_B")${BURST_ARGS_B:+ $BURST_ARGS_B}\` ($jar_note)")
  names+=(B)
fi
bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py 1000
say "warm-up: every mailbox once, directly (Dovecot builds its indexes)"
timeout -k 5 300 java -jar "$bench_jar" warm --out "$out" --ca "$workdir/tls/ca.crt" \
  --port "$BENCH_POP3_PORT" --sessions 1000

# --- popbridge ------------------------------------------------------------------------
declare -A listen_port=([A]=39120 [B]=39121) metrics_port=([A]=39188 [B]=39189)
declare -A limits_extra=([A]="${BURST_LIMITS_A:-}" [B]="${BURST_LIMITS_B:-}")
for name in "${names[@]}"; do
  cat > "$workdir/$name.yaml" <<YAML
limits: {connections: 20000, connections-per-ip: 20000, connections-per-user-ip: 2000, auth-failure-delay: 0s${limits_extra[$name]:+, ${limits_extra[$name]}}}
metrics: {listen: "127.0.0.1:${metrics_port[$name]}"}
YAML
  args_var=BURST_ARGS_$name
  # shellcheck disable=SC2086 # the options are words
  bench_start_proxy "$name" "$workdir/popbridge-$name.jar" "pop3://127.0.0.1:${listen_port[$name]}" \
    --config "$workdir/$name.yaml" --upstream "pop3s://localhost:$BENCH_POP3S_PORT" \
    --upstream-ca "$workdir/tls/ca.crt" ${!args_var:-}
  grep -m1 -oE 'upstream TLS: .*' "$workdir/$name.log" > "$out/engine-$name" || true
done

# cpu_sampler: every 100 ms, each popbridge's CPU ticks (utime + stime), bounded to 30 minutes.
cpu_sampler() {
  local i name stat
  for ((i = 0; i < 18000; i++)); do
    for name in "${names[@]}"; do
      read -r -a stat < "/proc/${proxy_pid[$name]}/stat" 2>/dev/null || continue
      echo "${EPOCHREALTIME/./} $name $((stat[13] + stat[14]))"
    done
    sleep 0.1
  done
}
cpu_sampler > "$out/cpu.txt" &
background+=($!)

# release_holds: the client pauses once all sessions of a proxy are in (OUT/R/NAME.hold, for
# bench/run.sh's memory snapshot); nothing is measured there, so let it go on at once
# (OUT/R/NAME.go). Bounded to 30 minutes.
release_holds() {
  local i hold
  for ((i = 0; i < 36000; i++)); do
    for hold in "$out"/*/*.hold; do
      [[ -e $hold && ! -e ${hold%.hold}.go ]] && touch "${hold%.hold}.go"
    done
    sleep 0.05
  done
}
release_holds &
background+=($!)

targets=(--direct-tls "$BENCH_POP3S_PORT" --proxy-tls 39120)
[[ ${#names[@]} -eq 2 ]] && targets+=(--proxy-plain 39121) # the client's name for a second proxy slot
for ((r = 1; r <= repeat; r++)); do
  mkdir -p "$out/$r"
  say "burst $r of $repeat"
  timeout -k 10 900 java -Xss512k -jar "$bench_jar" run --out "$out/$r" --ca "$workdir/tls/ca.crt" \
    "${targets[@]}" --sessions "$sessions" --rounds 0 --phases crowd >&2
  for name in "${names[@]}"; do
    curl -s --max-time 10 "http://127.0.0.1:${metrics_port[$name]}/metrics" \
      | grep '^popbridge_upstream_tls_handshakes_total' > "$out/$r/handshakes-$name" || true
  done
done

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/burst-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### Login burst of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`bash bench/run-burst.sh$(bench_quick_note ' --quick')\` ($sessions sessions, $repeat bursts)"
  echo "- machine: $(bench_machine)"
  for note in "${notes[@]}"; do
    echo "- popbridge $note; \`java $heap\`, log level INFO"
  done
  for name in "${names[@]}"; do
    echo "- $name logged: $(cat "$out/engine-$name")"
  done
  echo "- load average $loadavg_start (1/5/15 min) when the script started"
  echo
  python3 - "$out" "$repeat" "${names[@]}" <<'PY'
import sys
out, repeat, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
slots = {"proxy-tls": "A", "proxy-plain": "B"}
cpu = [line.split() for line in open(f"{out}/cpu.txt")]
print("| burst | target | login p50 (ms) | login p99 (ms) | logins began p50 (ms) | logins done p50 (ms) | login phase (s) | wall (s) | failed | popbridge CPU per session (ms) | upstream handshakes so far, new / resumed |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")

def median_times(path):
    # logins-TARGET-crowd.tsv: per session, ms after the burst began when it began to connect and when its login was done
    began, done = [], []
    try:
        for line in open(path):
            start, end = line.rstrip("\n").split("\t")
            began.append(float(start))
            if end:
                done.append(float(end))
    except FileNotFoundError:
        return "", ""
    mid = lambda values: f"{sorted(values)[len(values) // 2]:,.0f}" if values else ""
    return mid(began), mid(done)

for r in range(1, repeat + 1):
    results = {}
    for line in open(f"{out}/{r}/results.tsv"):
        target, metric, value = line.rstrip("\n").split("\t")
        results.setdefault(target, {})[metric] = value
    edges = {}
    for line in open(f"{out}/{r}/events.tsv"):
        ms, target, phase, edge = line.rstrip("\n").split("\t")
        edges[(target, edge)] = int(ms) * 1000
    for target in ["direct-tls", "proxy-tls", "proxy-plain"]:
        if target not in results:
            continue
        m = results[target]
        name = slots.get(target)
        label = "direct" if name is None else "popbridge " + name
        cpu_ms = handshakes = ""
        if name:
            ticks = [int(s[2]) for s in cpu if s[1] == name
                     and edges[(target, "begin")] <= int(s[0]) <= edges[(target, "end")]]
            if len(ticks) > 1:
                cpu_ms = f"{(ticks[-1] - ticks[0]) * 10 / float(m['crowd.sessions']):.2f}"
            counts = {}
            for line in open(f"{out}/{r}/handshakes-{name}"):
                session = line.split('session="')[1].split('"')[0]
                counts[session] = int(float(line.split()[-1]))
            handshakes = f"{counts.get('new', 0):,} / {counts.get('resumed', 0):,}" if counts else "(not counted)"
        began, done = median_times(f"{out}/{r}/logins-{target}-crowd.tsv")
        print(f"| {r} | {label} | {float(m['crowd.login.p50_ms']):,.0f} | {float(m['crowd.login.p99_ms']):,.0f} "
              f"| {began} | {done} | {float(m['crowd.login_phase_s']):.2f} | {float(m['crowd.wall_s']):.2f} | {m['crowd.failures']} "
              f"| {cpu_ms} | {handshakes} |")
PY
  bench_proxies_log_problems
} > "$report"
bench_report "$report"
