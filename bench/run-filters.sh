#!/usr/bin/env bash
# The filter chain on versus off, in one command, in one run, on 127.0.0.1 only:
#
#   bash bench/run-filters.sh [--keep] [--quick]
#
# Starts a private Dovecot (bench/dovecot-bench.sh on 34110 and 34995, so it does not collide
# with bench/run.sh or bench/run-tls.sh), fills it (bench/fill_filter_mail.py: `big`, 20 x 10 MiB;
# `small`, 2,000 x 4 KiB; `scan00`..`scanNN`, one 1,000-message mailbox per round plus one for
# the warm-up; a quarter of the messages come from a blocked domain and a third carry
# X-Internal-Trace), and starts two popbridge processes with the same heap in front of the same
# plain Dovecot POP3 port:
#
#   chain-off  pop3://127.0.0.1:35110 -> pop3://localhost:34110   no filters
#   chain-on   pop3://127.0.0.1:35111 -> pop3://localhost:34110   examples/filters.yaml
#              (log, spam-tag, headers; every `filtering:` setting at its default: scan at login,
#              64MB verdict cache; the audit log at INFO to the console appender, i.e. the log file)
#
# The bench client (`popbridge-bench filters`, FilterChainBench.java) checks that chain-on tags and
# edits what it should and chain-off does not, runs every phase once unmeasured (JIT warm-up),
# then measures Dovecot directly, chain-off and chain-on in rounds that reverse their order every
# other round: logins (first login to a fresh mailbox, so an empty verdict cache, then 5 more),
# RETR of 10 MB messages (1 and 4 sessions) and of 4 KB messages (1 and 4 sessions), popbridge's
# CPU time per phase and its JIT compilers' CPU time over the measured rounds.
# Both get --config with the client limits raised (bench_config in bench/lib.sh: all clients are
# 127.0.0.1), chain-on's after the filters file.
# Prints a Markdown block and keeps a copy in bench/target/filters-results-TIMESTAMP.md.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-filters.*: logs, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_JAR runs another popbridge
# jar than proxy/target/popbridge.jar (never built then); BENCH_FILTER_ROUNDS (5) sets the rounds;
# BENCH_FILTER_CONFIG runs chain-on with another filters file (e.g. bench/filters-nolog.yaml, the
# example chain without its log filter); BENCH_FILTER_CHECK=0 skips the client's check that chain-on
# tags and edits the mail as the example chain does (for configurations that do not).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=34110
export BENCH_POP3S_PORT=34995
off_port=35110
on_port=35111
rounds=${BENCH_FILTER_ROUNDS:-5}
scan_messages=1000
client_args=()
if [[ $quick -eq 1 ]]; then
  rounds=1
  scan_messages=300
  client_args=(--big-per-session 4 --big-per-parallel-session 2 --small-per-session 600
    --small-per-parallel-session 300 --second-logins 2)
fi
scan_boxes=$((rounds + 1))

bench_need dovecot java mvn python3 openssl

bench_workdir popbridge-bench-filters

bench_private_jar
bench_client

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_filter_mail.py "$scan_boxes" "$scan_messages"

# --- popbridge ------------------------------------------------------------------------
filter_config=${BENCH_FILTER_CONFIG:-$root/examples/filters.yaml}
filter_config_note=$(realpath --relative-to="$root" "$filter_config")
[[ ${BENCH_FILTER_CHECK:-1} == 0 ]] && client_args+=(--check false)
start_proxy() { # start_proxy NAME PORT [POPBRIDGE-ARGS...]
  local name=$1 port=$2
  shift 2
  bench_start_proxy "$name" "$workdir/popbridge.jar" "pop3://127.0.0.1:$port" \
    --upstream "pop3://localhost:$BENCH_POP3_PORT" "$@"
}
start_proxy chain-off "$off_port" --config "$(bench_config chain-off)"
start_proxy chain-on "$on_port" --config "$(bench_config chain-on "$filter_config")"

scan_users=$(for ((i = 0; i < scan_boxes; i++)); do printf 'scan%02d,' "$i"; done)
scan_users=${scan_users%,}
targets="direct=$BENCH_POP3_PORT:0,chain-off=$off_port:${proxy_pid[chain-off]},chain-on=$on_port:${proxy_pid[chain-on]}"

sleep 1
others=$(($(pgrep -c -x java || true) - ${#proxies[@]}))
say "measuring ($rounds rounds)"
started=$(date +%s)
client_rc=0
timeout -k 10 900 java -jar "$bench_jar" filters --out "$out" --targets "$targets" --scan-users "$scan_users" \
  --rounds "$rounds" --scan-messages "$scan_messages" --clk-tck "$(getconf CLK_TCK)" \
  "${client_args[@]}" > "$out/tables.md" || client_rc=$?
elapsed=$(($(date +%s) - started))
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
[[ $client_rc -eq 0 ]] || say "the bench client exited with status $client_rc"

# --- report ---------------------------------------------------------------------------
on_log=$workdir/chain-on.log
audit_lines=$(grep -c ' INFO  audit - ' "$on_log" || true)
audit_bytes=$(grep ' INFO  audit - ' "$on_log" | wc -c || true)
# "maildrop: N messages shown, H hidden; R read at login, C from the verdict cache"
read -r scan_logins read_at_login from_cache <<< "$(sed -nE \
  's/.*maildrop: .* ([0-9]+) read at login, ([0-9]+) from the verdict cache.*/\1 \2/p' "$on_log" \
  | awk '{n++; r += $1; c += $2} END {print n + 0, r + 0, c + 0}')"
mkdir -p "$here/target"
report=$here/target/filters-results-$(date +%Y%m%d-%H%M%S).md
{
  echo "### Filter chain run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`$([[ -n ${BENCH_FILTER_CONFIG:-} ]] && echo "BENCH_FILTER_CONFIG=$filter_config_note ")$([[ ${BENCH_FILTER_CHECK:-1} == 0 ]] && echo "BENCH_FILTER_CHECK=0 ")bash bench/run-filters.sh$(bench_quick_note ' --quick')\`" \
    "(rounds: $rounds; client run took ${elapsed} s)"
  echo "- machine: $(bench_machine); the client, Dovecot and both popbridge processes share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar\` (jar $jar_note); log level INFO to the console" \
    "appender, redirected to a file"
  echo "- both: \`--config\` with the client limits raised (bench/lib.sh: every client is 127.0.0.1)"
  echo "- chain-on: \`--config $filter_config_note\` and those limits (filters: $(sed -nE 's/^  - ([a-z-]+):.*/\1/p' "$filter_config" | paste -sd, -);" \
    "\`filtering:\` defaults)." \
    "Its audit log (one INFO line per command and per session, synchronous console appender, so" \
    "written to the log file in the event loop): $audit_lines lines, $((audit_bytes / 1024)) KiB over the run." \
    "Logins numbered: $scan_logins; header blocks read at login (TOP n 0): $read_at_login; verdicts" \
    "taken from the cache at login: $from_cache"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_end" \
    "when the client ended; $others other JVMs running when the client started"
  echo
  cat "$out/tables.md"
  bench_proxies_log_problems
} > "$report"
bench_report "$report" "$out/filters-raw.tsv"
exit "$client_rc"
