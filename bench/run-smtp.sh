#!/usr/bin/env bash
# SMTP submission through popbridge against the same submission server directly, in one
# command, in one run, on 127.0.0.1 only:
#
#   bash bench/run-smtp.sh [--keep] [--quick]
#
# Starts a sink (interop/smtpsink.py --discard on 38525: reads each message and answers 250,
# stores nothing), a private Dovecot with its submission service (bench/dovecot-bench.sh:
# plain SMTP submission on 38587, submissions on 38465, POP3 on 38110/38995 only because
# the shared configuration always has it), relaying every message to the sink, and one
# popbridge in front of that submission server, both legs plain:
#
#   direct     client -> Dovecot submission smtp://127.0.0.1:38587 -> sink
#   popbridge  client -> popbridge smtp://127.0.0.1:39587 -> Dovecot submission (same) -> sink
#              (--submission smtp://127.0.0.1:38587; the client's AUTH is popbridge's login)
#
# The client (bench/smtp_bench.py, Python sockets, the same code for both) measures in rounds
# that reverse which side goes first every other round: 4 KB messages/s on one session, 10 MB
# messages in MB/s on one session, and the login round trip (connect, greeting, EHLO, AUTH).
# Prints a Markdown block and keeps a copy in bench/target/smtp-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-smtp.*: logs, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_JAR runs another popbridge
# jar than proxy/target/popbridge.jar (never built then); BENCH_SMTP_ROUNDS (7 measured, after
# BENCH_SMTP_WARMUP (2) unmeasured ones of the same size), BENCH_SMTP_SMALL (1,000 messages),
# BENCH_SMTP_BIG (10 messages) and BENCH_SMTP_LOGINS (20 per round) size the run.
# BENCH_SMTP_CONFIG names a config file popbridge also gets (--config), such as
# bench/smtp-filters.yaml to measure the outgoing filters; the client limits are raised after it
# (bench_config in bench/lib.sh: all clients are 127.0.0.1), so it must not have limits: itself.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=38110
export BENCH_POP3S_PORT=38995
export BENCH_SUBMISSION_PORT=38587
export BENCH_SUBMISSIONS_PORT=38465
export BENCH_RELAY_PORT=38525
proxy_port=39587
user=sender
password=bench-secret
rounds=${BENCH_SMTP_ROUNDS:-7}
warmup=${BENCH_SMTP_WARMUP:-2}
small=${BENCH_SMTP_SMALL:-1000}
big=${BENCH_SMTP_BIG:-10}
logins=${BENCH_SMTP_LOGINS:-20}
if [[ $quick -eq 1 ]]; then
  rounds=1
  warmup=1
  small=100
  big=2
  logins=5
fi

bench_need dovecot java mvn python3 openssl
if [[ ! -x /usr/lib/dovecot/submission-login ]]; then
  say "Dovecot's submission server is not installed (apt-get install dovecot-submissiond)"
  exit 1
fi
if port_in_use 127.0.0.1 "$BENCH_RELAY_PORT" || port_in_use 127.0.0.1 "$proxy_port"; then
  say "port $BENCH_RELAY_PORT or $proxy_port on 127.0.0.1 is already in use"
  exit 1
fi

bench_workdir popbridge-bench-smtp
bench_private_jar

# --- the sink, Dovecot ----------------------------------------------------------------
python3 "$root/interop/smtpsink.py" --port "$BENCH_RELAY_PORT" --discard \
  > "$workdir/smtpsink.log" 2>&1 < /dev/null &
sink_pid=$!
background+=("$sink_pid")
wait_port 127.0.0.1 "$BENCH_RELAY_PORT" 10 "$sink_pid" \
  || { say "smtpsink.py did not listen on $BENCH_RELAY_PORT"; cat "$workdir/smtpsink.log" >&2; exit 1; }

bash "$root/interop/tls.sh" "$workdir"
dovecot_mail_user
mkdir -p "$workdir/dovecot"
echo "$user:{PLAIN}$password" > "$workdir/dovecot/users"
chmod 644 "$workdir/dovecot/users"
bash "$here/dovecot-bench.sh" start "$workdir"

# --- popbridge ------------------------------------------------------------------------
config=$(bench_config smtp-relay "${BENCH_SMTP_CONFIG:-}")
bench_start_proxy smtp-relay "$workdir/popbridge.jar" "smtp://127.0.0.1:$proxy_port" \
  --submission "smtp://127.0.0.1:$BENCH_SUBMISSION_PORT" --config "$config" \
  || { say "popbridge did not start; its log:"; tail -n 20 "$workdir/smtp-relay.log" >&2; exit 1; }
proxy=${proxy_pid[smtp-relay]}

sleep 1
others=$(($(pgrep -c -x java || true) - ${#proxies[@]}))
say "measuring ($warmup + $rounds rounds)"
cpu_before=$(awk '{print $14 + $15}' "/proc/$proxy/stat")
started=$(date +%s)
client_rc=0
timeout -k 10 1200 python3 "$here/smtp_bench.py" \
  --targets "direct=$BENCH_SUBMISSION_PORT,popbridge=$proxy_port" \
  --user "$user" --password "$password" --rounds "$rounds" --warmup "$warmup" --small "$small" --big "$big" \
  --logins "$logins" --raw "$out/smtp-raw.tsv" > "$out/tables.md" 2> "$out/client.log" || client_rc=$?
elapsed=$(($(date +%s) - started))
cpu_after=$(awk '{print $14 + $15}' "/proc/$proxy/stat" 2>/dev/null || echo "$cpu_before")
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ $client_rc -ne 0 ]]; then
  say "the bench client exited with status $client_rc:"
  tail -n 5 "$out/client.log" >&2
fi
sent=$(sed -nE 's/^SENT ([0-9]+)$/\1/p' "$out/client.log")

# The sink counts what reached it when it stops; stop it now so the report can compare.
stop_pid "$sink_pid" 5 || true
background=()
received=$(sed -nE 's/^smtpsink: ([0-9]+) messages received.*/\1/p' "$workdir/smtpsink.log")

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/smtp-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### SMTP submission run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`bash bench/run-smtp.sh$(bench_quick_note ' --quick')\`" \
    "(rounds: $warmup unmeasured + $rounds; per round and side: $small messages of 4 KB, $big of 10 MB, $logins logins; client run took ${elapsed} s)"
  echo "- machine: $(bench_machine); the client, Dovecot, the sink and popbridge share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar --listen smtp://127.0.0.1:$proxy_port" \
    "--submission smtp://127.0.0.1:$BENCH_SUBMISSION_PORT --config ${BENCH_SMTP_CONFIG:+$BENCH_SMTP_CONFIG + }limits\` (jar $jar_note; client limits raised, bench/lib.sh); log level INFO;" \
    "CPU time over the client run $(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}') s"
  echo "- direct: client ⇄ Dovecot submission \`smtp://127.0.0.1:$BENCH_SUBMISSION_PORT\` (plain) ⇄ sink;" \
    "popbridge: client ⇄ popbridge \`smtp://127.0.0.1:$proxy_port\` (plain) ⇄ the same Dovecot submission (plain) ⇄ sink;" \
    "the sink (\`interop/smtpsink.py --discard\`) reads every message and stores nothing"
  echo "- messages: ${sent:-?} sent by the client (warm-up included), ${received:-?} reached the sink"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_end" \
    "when the client ended; $others other JVMs running when the client started"
  echo
  echo "Rates are the median of $rounds rounds with the slowest–fastest round in small print;" \
    "the login row is the median of the rounds' medians. Rounds alternate whether direct or popbridge goes first."
  echo
  cat "$out/tables.md"
  bench_proxies_log_problems
  bench_dovecot_log_problems
  if [[ -n $sent && $sent != "${received:-}" ]]; then
    echo
    echo "The sink received ${received:-?} messages, the client sent $sent."
  fi
} > "$report"
bench_report "$report" "$out/smtp-raw.tsv"
if [[ -n $sent && $sent != "${received:-}" ]]; then
  client_rc=1
fi
exit "$client_rc"
