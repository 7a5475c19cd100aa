#!/usr/bin/env bash
# popbridge's TLS providers compared, JDK against OpenSSL (netty-tcnative-boringssl-static),
# in one command, on 127.0.0.1 only:
#
#   bash bench/run-tls.sh [--keep] [--quick]
#
# Builds popbridge twice, `mvn -B -q package -DskipTests` (JDK provider only) and
# `mvn -B -q -Popenssl package -DskipTests` (BoringSSL inside), keeps a copy of each jar in
# the work directory, then builds the default again so proxy/target/popbridge.jar is left as
# the default build. Starts a private Dovecot (bench/dovecot-bench.sh, ports 33110 and 33995
# so it does not collide with bench/run.sh), fills the `big` and `small` mailboxes
# (bench/fill_mail.py), and starts four popbridge processes, each with only an implicit-TLS
# listener and its generated self-signed certificate (from its own --state-dir):
#
#   jdk-plainup      pop3s://127.0.0.1:33201 -> pop3://localhost:33110    JDK jar
#   openssl-plainup  pop3s://127.0.0.1:33202 -> pop3://localhost:33110    OpenSSL jar
#   jdk-tlsup        pop3s://127.0.0.1:33203 -> pop3s://localhost:33995   JDK jar
#   openssl-tlsup    pop3s://127.0.0.1:33204 -> pop3s://localhost:33995   OpenSSL jar
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

# --- builds ---------------------------------------------------------------------------
build() { # build LABEL MVN-ARGS...
  local label=$1
  shift
  say "building popbridge ($label): mvn -B -q $* package -DskipTests"
  (cd "$root" && timeout 600 mvn -B -q "$@" package -DskipTests) > "$workdir/build-$label.log" 2>&1 \
    || { tail -n 30 "$workdir/build-$label.log" >&2; say "the $label build failed"; return 1; }
}
tcnative_in() { unzip -l "$1" | grep -c 'netty_tcnative' || true; }

build jdk
cp "$root/proxy/target/popbridge.jar" "$workdir/popbridge-jdk.jar"
openssl_ok=0
build openssl -Popenssl && openssl_ok=1
[[ $openssl_ok -eq 1 ]] && cp "$root/proxy/target/popbridge.jar" "$workdir/popbridge-openssl.jar"
# Leave the working tree's jar as the default build, whatever happened above.
build default-again
[[ $openssl_ok -eq 1 ]] || exit 1
[[ $(tcnative_in "$workdir/popbridge-jdk.jar") -eq 0 ]] || { say "the default jar contains netty-tcnative"; exit 1; }
[[ $(tcnative_in "$workdir/popbridge-openssl.jar") -gt 0 ]] || { say "the -Popenssl jar has no netty-tcnative"; exit 1; }
jar_note() { echo "sha256 $(sha256sum "$1" | cut -c1-12), $(($(stat -c %s "$1") / 1048576)) MiB"; }
git_note="git $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
if [[ -n $(cd "$root" && git status --porcelain -- proxy certs filters pom.xml 2>/dev/null) ]]; then
  git_note="$git_note with uncommitted changes under proxy/ certs/ filters/"
fi

bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py 0

# --- popbridge ------------------------------------------------------------------------
limits=$(bench_config limits)
start_proxy() { # start_proxy NAME PROVIDER PORT UPSTREAM
  local name=$1 provider=$2 port=$3 upstream=$4 engine
  bench_start_proxy "$name" "$workdir/popbridge-$provider.jar" "pop3s://127.0.0.1:$port" \
    --upstream "$upstream" --upstream-ca "$workdir/tls/ca.crt" --config "$limits"
  engine=$(grep -m1 -o 'TLS towards clients: .* for modern listeners' "$workdir/$name.log" || true)
  [[ -n $engine ]] || { say "$name did not log its TLS engine"; exit 1; }
  # The OpenSSL jar must really use OpenSSL, the JDK jar must not.
  case $provider:$engine in
    openssl:*OpenSSL* | openssl:*BoringSSL* | jdk:*JDK*) ;;
    *) say "$name ($provider jar) logged: $engine"; exit 1 ;;
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
  echo "- popbridge: \`java $heap -jar ... --config limits.yaml\` (client limits raised, bench/lib.sh), JDK jar ($(jar_note "$workdir/popbridge-jdk.jar")) and -Popenssl jar" \
    "($(jar_note "$workdir/popbridge-openssl.jar")), both from the working tree at $git_note; log level INFO"
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
