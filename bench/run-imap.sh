#!/usr/bin/env bash
# IMAP-backed sessions against the POP3 relay on a 5,000-message mailbox (issue 5), in one
# command, in one run, on 127.0.0.1 only:
#
#   bash bench/run-imap.sh [--keep] [--quick]
#
# Starts a private Dovecot with POP3 and IMAP (bench/dovecot-bench.sh on 36110/36995 and
# 36143/36993, so it does not collide with the other bench scripts), writes one mailbox,
# `large`, of 5,000 messages (bench/fill_imap_mail.py: 4-20 KiB each, plus five of 1-10 MiB),
# checks that Dovecot's IMAP lists them all with the files' sizes (which also has Dovecot
# build its index), and starts two popbridge processes with the same heap, no filters, in
# front of the same Dovecot user:
#
#   pop3-relay   pop3://127.0.0.1:37110 -> pop3://localhost:36110   relays POP3
#   imap-backed  pop3://127.0.0.1:37111 -> imap://localhost:36143   serves POP3 from IMAP
#
# The bench client (`popbridge-bench imap`, ImapUpstreamBench.java) takes each target's first
# login of the run on its own (a popbridge that has served nobody yet), checks that both
# popbridges list the same sizes as Dovecot's POP3 and serve the same octets for a sample,
# warms every phase up unmeasured, then measures Dovecot's POP3 directly, pop3-relay and
# imap-backed in rounds that reverse their order every other round: logins (connect, greeting,
# USER, PASS, STAT: the round's first on its own, then BENCH_IMAP_LOGINS more for the median
# and p90), RETR of all 5,000 messages on one session (MB/s and messages/s), and the CPU time
# of popbridge and of Dovecot's mail processes in each phase.
# Both get --config with the client limits raised (bench_config in bench/lib.sh: all clients are
# 127.0.0.1). Prints a Markdown block and keeps a copy in bench/target/imap-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-imap.*: logs, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_JAR runs another popbridge
# jar than proxy/target/popbridge.jar (never built then); BENCH_IMAP_ROUNDS (3) sets the
# rounds, BENCH_IMAP_LOGINS (20) the timed logins per target per round after the round's first;
# BENCH_IMAP_CONFIG gives both popbridges the same filters file, before the limits in their
# --config (examples/filters.yaml: the example chain, audit log included; bench/filters-scan.yaml:
# its message filters with verdicts kept 1 ms, so every login scans the whole mailbox); the chain
# must leave these messages' sizes as they are, since the check compares LIST with Dovecot's.
# If popbridge refuses the imap:// upstream (a build without IMAP upstreams), the run goes on
# without imap-backed and the report says why.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=36110
export BENCH_POP3S_PORT=36995
export BENCH_IMAP_PORT=36143
export BENCH_IMAPS_PORT=36993
relay_port=37110
imap_port=37111
messages=5000
rounds=${BENCH_IMAP_ROUNDS:-3}
logins=${BENCH_IMAP_LOGINS:-20}
if [[ $quick -eq 1 ]]; then
  rounds=1
  logins=5
fi

bench_need dovecot java mvn python3 openssl
if [[ ! -x /usr/lib/dovecot/imap ]]; then
  say "Dovecot's IMAP server is not installed (apt-get install dovecot-imapd)"
  exit 1
fi

bench_workdir popbridge-bench-imap

bench_private_jar
bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_imap_mail.py "$messages"
python3 "$here/fill_imap_mail.py" --check-imap "$BENCH_IMAP_PORT" "$workdir" | tee "$out/imap-check.txt" >&2
dovecot_pid=$(cat "$workdir/dovecot/run/master.pid")

# --- popbridge ------------------------------------------------------------------------
filter_note="no filters"
if [[ -n ${BENCH_IMAP_CONFIG:-} ]]; then
  filter_note="both with the filters of \`$(realpath --relative-to="$root" "$BENCH_IMAP_CONFIG")\`"
fi
limits=$(bench_config limits "${BENCH_IMAP_CONFIG:-}")
bench_start_proxy pop3-relay "$workdir/popbridge.jar" "pop3://127.0.0.1:$relay_port" \
  --upstream "pop3://localhost:$BENCH_POP3_PORT" --config "$limits"
targets="direct=$BENCH_POP3_PORT:0,pop3-relay=$relay_port:${proxy_pid[pop3-relay]}"
imap_note=""
imap_started=0
if bench_start_proxy imap-backed "$workdir/popbridge.jar" "pop3://127.0.0.1:$imap_port" \
  --upstream "imap://localhost:$BENCH_IMAP_PORT" --config "$limits"; then
  targets="$targets,imap-backed=$imap_port:${proxy_pid[imap-backed]}"
  imap_started=1
else
  imap_note=$(grep -m1 -E 'popbridge:|ERROR' "$workdir/imap-backed.log" | cut -c1-300 || true)
  say "popbridge with --upstream imap://localhost:$BENCH_IMAP_PORT did not start: ${imap_note:-see its log}"
fi

sleep 1
others=$(($(pgrep -c -x java || true) - ${#proxies[@]}))
say "measuring ($rounds rounds)"
started=$(date +%s)
client_rc=0
timeout -k 10 1200 java -jar "$bench_jar" imap --out "$out" --targets "$targets" --user large \
  --messages "$messages" --rounds "$rounds" --logins "$logins" --clk-tck "$(getconf CLK_TCK)" \
  --dovecot-pid "$dovecot_pid" > "$out/tables.md" || client_rc=$?
elapsed=$(($(date +%s) - started))
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
[[ $client_rc -eq 0 ]] || say "the bench client exited with status $client_rc"

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/imap-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### IMAP-backed run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`${BENCH_IMAP_CONFIG:+BENCH_IMAP_CONFIG=$(realpath --relative-to="$root" "$BENCH_IMAP_CONFIG") }bash bench/run-imap.sh$(bench_quick_note ' --quick')\`" \
    "(rounds: $rounds, logins: 1 + $logins per target per round; client run took ${elapsed} s)"
  echo "- machine: $(bench_machine); the client, Dovecot and both popbridge processes share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar --config limits.yaml\` (jar $jar_note; client limits raised," \
    "bench/lib.sh); $filter_note; log level INFO"
  echo "- upstreams: \`pop3-relay\` \`--upstream pop3://localhost:$BENCH_POP3_PORT\`," \
    "\`imap-backed\` \`--upstream imap://localhost:$BENCH_IMAP_PORT\`, both plain, the same Dovecot user"
  echo "- $(sed -nE 's/^fill_imap_mail: //p' "$out/imap-check.txt")"
  if [[ $imap_started -eq 0 ]]; then
    echo "- imap-backed did not start: \`${imap_note:-see imap-backed.log}\`"
  fi
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_end" \
    "when the client ended; $others other JVMs running when the client started"
  echo
  cat "$out/tables.md"
  bench_proxies_log_problems
  bench_dovecot_log_problems
} > "$report"
bench_report "$report" "$out/imap-raw.tsv"
exit "$client_rc"
