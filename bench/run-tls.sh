#!/usr/bin/env bash
# popbridge's TLS engines compared, the JDK's against OpenSSL (netty-tcnative-boringssl-static),
# in one command, on 127.0.0.1 only:
#
#   bash bench/run-tls.sh [--keep] [--quick]
#
# Takes proxy/target/popbridge.jar (built if missing, `mvn -B -q package -DskipTests`; or
# BENCH_JAR), which carries netty-tcnative for Linux, and runs it with each engine
# (--tls-engine jdk, --tls-engine openssl). Starts a private Dovecot (bench/dovecot-bench.sh,
# ports 33110 and 33995 so it does not collide with bench/run.sh), fills the `big` and `small`
# mailboxes (bench/fill_mail.py), and starts four popbridge processes, each with only an
# implicit-TLS listener and its generated self-signed certificate (from its own --state-dir):
#
#   jdk-plainup      pop3s://127.0.0.1:33201 -> pop3://localhost:33110    --tls-engine jdk
#   openssl-plainup  pop3s://127.0.0.1:33202 -> pop3://localhost:33110    --tls-engine openssl
#   jdk-tlsup        pop3s://127.0.0.1:33203 -> pop3s://localhost:33995   --tls-engine jdk
#   openssl-tlsup    pop3s://127.0.0.1:33204 -> pop3s://localhost:33995   --tls-engine openssl
#
# The bench client (`popbridge-bench tls`, see TlsProviders.java) trusts the four
# self-signed certificates and measures, in rounds that alternate the order: handshakes per
# second and their latency (TLS 1.3 and TLS 1.2, no resumption), RETR of 10 MB messages
# (1 and 4 sessions) and of 4 KB messages, popbridge's CPU time per phase and its RSS.
# Every popbridge gets --config with the client limits raised (bench_config in bench/lib.sh:
# all clients are 127.0.0.1). Prints a Markdown block and keeps a copy in
# bench/target/tls-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-tls.*: logs, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_TLS_ROUNDS (2),
# BENCH_TLS_HANDSHAKES (1500 per round) and BENCH_TLS_THREADS (4) size the run.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=33110
export BENCH_POP3S_PORT=33995
rounds=${BENCH_TLS_ROUNDS:-2}
handshakes=${BENCH_TLS_HANDSHAKES:-1500}
threads=${BENCH_TLS_THREADS:-4}
client_args=()
if [[ $quick -eq 1 ]]; then
  rounds=1
  handshakes=300
  client_args=(--big-per-session 2 --small-per-session 300)
fi

bench_need dovecot java mvn python3 openssl unzip

bench_workdir popbridge-bench-tls

# --- the jar ---------------------------------------------------------------------------
bench_private_jar
if [[ $(unzip -l "$workdir/popbridge.jar" | grep -c 'netty_tcnative' || true) -eq 0 ]]; then
  say "$workdir/popbridge.jar has no netty-tcnative: --tls-engine openssl cannot start"
  exit 1
fi

bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py 0

# --- popbridge ------------------------------------------------------------------------
limits=$(bench_config limits)
start_proxy() { # start_proxy NAME ENGINE PORT UPSTREAM
  local name=$1 provider=$2 port=$3 upstream=$4 engine
  bench_start_proxy "$name" "$workdir/popbridge.jar" "pop3s://127.0.0.1:$port" \
    --upstream "$upstream" --upstream-ca "$workdir/tls/ca.crt" --tls-engine "$provider" --config "$limits"
  engine=$(grep -m1 -o 'TLS towards clients: .* for modern listeners' "$workdir/$name.log" || true)
  [[ -n $engine ]] || { say "$name did not log its TLS engine"; exit 1; }
  # --tls-engine openssl must really be OpenSSL, jdk must not.
  case $provider:$engine in
    openssl:*OpenSSL* | openssl:*BoringSSL* | jdk:*JDK*) ;;
    *) say "$name (--tls-engine $provider) logged: $engine"; exit 1 ;;
  esac
  printf '%s\t%s\n' "$name" "$(grep -m1 -oE 'TLS towards clients: .*' "$workdir/$name.log")" >> "$out/engines.tsv"
}
start_proxy jdk-plainup jdk 33201 "pop3://localhost:$BENCH_POP3_PORT"
start_proxy openssl-plainup openssl 33202 "pop3://localhost:$BENCH_POP3_PORT"
start_proxy jdk-tlsup jdk 33203 "pop3s://localhost:$BENCH_POP3S_PORT"
start_proxy openssl-tlsup openssl 33204 "pop3s://localhost:$BENCH_POP3S_PORT"
cat "$workdir"/state-*/self-signed.crt > "$workdir/proxies.crt"

targets=
for name in "${proxies[@]}"; do
  port=$(grep -m1 -oE 'listening on pop3s://127.0.0.1:[0-9]+' "$workdir/$name.log" | grep -oE '[0-9]+$')
  targets+=${targets:+,}$name=$port:${proxy_pid[$name]}
done

sleep 1
say "measuring ($rounds rounds)"
started=$(date +%s)
client_rc=0
timeout -k 10 1500 java -jar "$bench_jar" tls --out "$out" --ca "$workdir/proxies.crt" --targets "$targets" \
  --rounds "$rounds" --handshakes "$handshakes" --threads "$threads" --clk-tck "$(getconf CLK_TCK)" \
  "${client_args[@]}" > "$out/tables.md" || client_rc=$?
elapsed=$(($(date +%s) - started))
[[ $client_rc -eq 0 ]] || say "the bench client exited with status $client_rc"

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/tls-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### TLS run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`bash bench/run-tls.sh$(bench_quick_note ' --quick')\` (rounds: $rounds, $handshakes handshakes per round and configuration;" \
    "client run took ${elapsed} s)"
  echo "- machine: $(bench_machine)"
  echo "- popbridge: \`java $heap -jar popbridge.jar --tls-engine jdk|openssl --config limits.yaml\` (client limits raised, bench/lib.sh; jar $jar_note); log level INFO"
  while IFS=$'\t' read -r name line; do
    echo "- \`$name\` logged: $line"
  done < "$out/engines.tsv"
  echo "- load average $loadavg_start (1/5/15 min) when the script started"
  echo
  echo "Medians of the rounds, slowest–fastest round in small print. RSS row: every sample taken after each phase."
  echo
  cat "$out/tables.md"
  bench_proxies_log_problems
} > "$report"
bench_report "$report" "$out/tls-raw.tsv"
exit "$client_rc"
