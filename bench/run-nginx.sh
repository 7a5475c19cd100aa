#!/usr/bin/env bash
# Other proxies as the reference point (issue 15): direct Dovecot, popbridge, nginx's mail proxy
# and a bare netty relay, measured in the same rounds, on 127.0.0.1 only:
#
#   bash bench/run-nginx.sh [--keep] [--quick]
#
# Which of the plain relay's targets are the cost of any second hop on this machine, and which
# are popbridge's own? Starts a private Dovecot (bench/dovecot-bench.sh on 40110 and 40995, so it
# does not collide with the other bench scripts), fills it as bench/run.sh does (bench/fill_mail.py:
# `big`, 20 x 10 MiB; `small`, 2,000 x 4 KiB; `lat`), and starts, all plain on both legs:
#
#   popbridge      pop3://127.0.0.1:40111 -> pop3://localhost:40110   run.sh's proxy-plain: the
#                  same heap and limits (bench_config in bench/lib.sh), log level INFO
#   nginx          127.0.0.1:40112 -> 127.0.0.1:40110   nginx's mail module as a POP3 proxy, as
#                  shipped (WORKDIR/nginx/nginx.conf, below)
#   nginx-nodelay  127.0.0.1:40113 -> 127.0.0.1:40110   the same with TCP_NODELAY (below)
#   netty-relay    127.0.0.1:40114 -> 127.0.0.1:40110   bench/NettyRelay.java: the least a netty
#                  proxy does (octets each way, no POP3 read), on the transport and loops popbridge
#                  uses, with popbridge's jar, heap and netty settings: what the hop costs on the
#                  JVM and netty before any of popbridge's own work
#
# Both nginx ask bench/nginx_auth.py on 127.0.0.1:40180 (auth_http) where a login goes: every
# POP3 login to the bench Dovecot, which checks the password when nginx sends it USER and PASS.
# The bench client (`popbridge-bench run --sides`, BenchMain.java) warms every side up, then
# measures them in rounds that rotate their order (each goes first as often): NOOP/STAT round
# trips on one session, RETR of 4 KB messages (1 session and 4 at once) and of 10 MB messages
# (1 and 4), the same phases and sizes as bench/run.sh's plain pair, and around each phase the
# CPU time (/proc/PID/stat) of popbridge's JVM, of each nginx's worker processes and of the
# netty relay's JVM.
# `popbridge-bench sides-report` (SideBySideReport.java) prints each proxy ÷ direct side by side,
# against issue 15's goals, and each proxy's CPU per message, per GB and per command. Prints a
# Markdown block and keeps a copy in bench/target/results-nginx-TIMESTAMP.md (raw figures: .tsv).
#
# nginx gets what makes it comparable to popbridge: one worker process per core
# (worker_processes auto; popbridge runs one event loop per core) and proxy_buffer 64k, the
# most netty reads at once for popbridge (its adaptive receive buffer) and the client's read
# buffer. nginx's default is one page (4k): every 4 KB reply (4,096 octets of message plus the
# status line and terminator) then leaves in two writes. BENCH_NGINX_BUFFER=4k measures that
# default (about 15 minutes: through nginx as shipped each 4 KB RETR then waits 40 ms, below). Its error log is at `info` (a line per session, as popbridge's INFO log has);
# proxy_timeout and the rest stay at their defaults.
# The mail module has no tcp_nodelay directive and leaves Nagle's algorithm on, on both legs
# (popbridge, Dovecot's pop3 and the client turn it off): a reply that leaves nginx in several
# writes (a 10 MB message always) can end with a short segment held until the client's delayed
# ACK, up to 40 ms. nginx-nodelay preloads bench/nginx_nodelay.c (built with cc), which sets
# TCP_NODELAY on every socket nginx accepts or connects: what a second hop costs without what
# Nagle costs. BENCH_NGINX_NODELAY=0 leaves it out (as it is left out when there is no cc).
#
# After the rounds, each proxy on its own: one session of bench/command_loop.py sends NOOPs, then
# 4 KB RETRs (BENCH_NGINX_COMMANDS, 20,000 NOOPs and half as many RETRs), then RETRs of 10 MiB
# (one for every 400 NOOPs, at least 4), and the report gives per
# command the proxy's CPU time (the scheduler's exact count, split into user space and the
# kernel) and, where perf may count tracepoints (Debian: linux-perf; root), its system calls by
# kind.
#
#   --keep   keep the work directory (/tmp/popbridge-bench-nginx.*: logs, nginx.conf, raw figures)
#   --quick  a smaller run for trying the script out (figures not comparable)
# BENCH_HEAP (default -Xmx256m) is popbridge's heap option; BENCH_JAR runs another popbridge jar
# than proxy/target/popbridge.jar (never built then); BENCH_NGINX_ROUNDS (8; 6 without
# nginx-nodelay: each side goes first twice) sets the rounds; BENCH_NGINX_BUFFER (64k) nginx's
# proxy_buffer; BENCH_NGINX_MODULE (/usr/lib/nginx/modules/ngx_mail_module.so) the mail module.
# Needs nginx with its mail module: on Debian or Ubuntu,
# `apt-get install nginx-light libnginx-mod-mail` (or nginx-core for nginx-light).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

bench_options "$@"
export BENCH_POP3_PORT=40110
export BENCH_POP3S_PORT=40995
popbridge_port=40111
auth_port=40180
declare -A nginx_port=([nginx]=40112 [nginx-nodelay]=40113)
relay_port=40114
nginx_buffer=${BENCH_NGINX_BUFFER:-64k}
mail_module=${BENCH_NGINX_MODULE:-/usr/lib/nginx/modules/ngx_mail_module.so}
nodelay=${BENCH_NGINX_NODELAY:-1}
[[ $nodelay == 0 || $nodelay == 1 ]] || { say "BENCH_NGINX_NODELAY must be 0 or 1"; exit 2; }
nodelay_note=""
if [[ $nodelay == 1 ]] && ! command -v cc >/dev/null 2>&1; then
  say "no cc to build bench/nginx_nodelay.c: measuring without nginx-nodelay"
  nodelay=0
  nodelay_note=" (nginx-nodelay left out: no cc)"
fi
nginxes=(nginx)
[[ $nodelay == 1 ]] && nginxes+=(nginx-nodelay)
sides_count=$((3 + ${#nginxes[@]}))
rounds=${BENCH_NGINX_ROUNDS:-$((2 * sides_count))}
client_args=()
if [[ $quick -eq 1 ]]; then
  rounds=${BENCH_NGINX_ROUNDS:-$sides_count}
  client_args=(--round-trips 2000 --big-per-session 3 --small-per-session 300 --small-per-parallel-session 150)
fi
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $rounds -le 30 ]] || { say "BENCH_NGINX_ROUNDS must be 1 to 30"; exit 2; }
[[ $nginx_buffer =~ ^[0-9]+[kKmM]?$ ]] || { say "BENCH_NGINX_BUFFER must be a size such as 4k or 64k"; exit 2; }

bench_need dovecot java mvn python3 openssl
if ! command -v nginx >/dev/null 2>&1 || [[ ! -f $mail_module ]]; then
  say "nginx with its mail module is needed (no nginx on the PATH, or no $mail_module)."
  say "On Debian or Ubuntu, as root: apt-get install nginx-light libnginx-mod-mail"
  say "(nginx-core instead of nginx-light also does; the package starts a system nginx on port 80"
  say "where services may start: this script runs its own and needs none). Elsewhere, set"
  say "BENCH_NGINX_MODULE to the ngx_mail_module.so of the nginx on the PATH."
  exit 1
fi

bench_workdir popbridge-bench-nginx

# Each nginx runs in the foreground (daemon off), so $! is its master; masters and workers are
# stopped here, by PID, before bench_cleanup stops popbridge, the auth endpoint and Dovecot.
declare -A nginx_master=() nginx_workers=()
nginx_stop() {
  local name i pid
  for name in "${!nginx_master[@]}"; do
    kill -TERM "${nginx_master[$name]}" 2>/dev/null || true
  done
  for name in "${!nginx_master[@]}"; do
    for ((i = 0; i < 100; i++)); do # 10 s
      alive "${nginx_master[$name]}" || break
      sleep 0.1
    done
    kill -KILL "${nginx_master[$name]}" 2>/dev/null || true
    wait "${nginx_master[$name]}" 2>/dev/null || true
    for pid in ${nginx_workers[$name]:-}; do
      # A worker outlives its master only if the master was killed; make sure it is still nginx.
      if alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nginx ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
  nginx_master=()
}
trap 'nginx_stop; bench_cleanup' EXIT

bench_private_jar
bench_client
preload=$workdir/nodelay.so
if [[ $nodelay == 1 ]]; then
  cc -Wall -Werror -shared -fPIC -O2 -o "$preload" "$here/nginx_nodelay.c" -ldl \
    || { say "cc could not build bench/nginx_nodelay.c"; exit 1; }
fi

# --- Dovecot and mail -----------------------------------------------------------------
bench_dovecot fill_mail.py 1

# --- popbridge ------------------------------------------------------------------------
bench_start_proxy popbridge "$workdir/popbridge.jar" "pop3://127.0.0.1:$popbridge_port" \
  --upstream "pop3://localhost:$BENCH_POP3_PORT" --upstream-ca "$workdir/tls/ca.crt" \
  --config "$(bench_config limits)"

# --- the netty relay ------------------------------------------------------------------
port_in_use 127.0.0.1 "$relay_port" && { say "127.0.0.1:$relay_port is already in use"; exit 1; }
# shellcheck disable=SC2086 # heap is a list of JVM options
java $heap -cp "$workdir/popbridge.jar" "$here/NettyRelay.java" "$relay_port" "$BENCH_POP3_PORT" \
  > "$workdir/netty-relay.log" 2>&1 < /dev/null &
relay_pid=$!
background+=("$relay_pid")
if ! wait_port 127.0.0.1 "$relay_port" 60 "$relay_pid"; then
  say "bench/NettyRelay.java did not start:"
  tail -n 20 "$workdir/netty-relay.log" >&2
  exit 1
fi

# --- nginx ----------------------------------------------------------------------------
for port in "$auth_port" "${nginx_port[@]}"; do
  if port_in_use 127.0.0.1 "$port"; then
    say "127.0.0.1:$port is already in use"
    exit 1
  fi
done
python3 "$here/nginx_auth.py" "$auth_port" "$BENCH_POP3_PORT" 3600 > "$workdir/nginx-auth.log" 2>&1 < /dev/null &
background+=($!)
wait_port 127.0.0.1 "$auth_port" 10 "$!" || { say "bench/nginx_auth.py did not start:"; cat "$workdir/nginx-auth.log" >&2; exit 1; }

# start_nginx NAME [PRELOAD]: nginx NAME with its own prefix, WORKDIR/NAME (nginx.conf, pid,
# error.log), on nginx_port[NAME], PRELOAD in LD_PRELOAD; sets nginx_master[NAME] and
# nginx_workers[NAME] (space-separated) once it accepts connections and its workers run.
start_nginx() {
  local name=$1 lib=${2:-} dir=$workdir/$1 i workers=()
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<CONF
# Written by bench/run-nginx.sh: nginx's POP3 proxy in front of the bench Dovecot.
load_module $mail_module;
daemon off;
master_process on;
worker_processes auto;   # one per core, as popbridge's event loops
pid $dir/nginx.pid;
error_log $dir/error.log info;
events {
    worker_connections 1024;
}
mail {
    auth_http 127.0.0.1:$auth_port/auth;
    auth_http_timeout 10s;
    proxy on;
    proxy_buffer $nginx_buffer;   # bench/run-nginx.sh's header says why
    pop3_auth plain;
    server {
        listen 127.0.0.1:${nginx_port[$name]};
        protocol pop3;
    }
}
CONF
  nginx -t -q -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" || { say "nginx rejected $dir/nginx.conf"; return 1; }
  LD_PRELOAD=$lib nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" > "$dir/stdout.log" 2>&1 < /dev/null &
  nginx_master[$name]=$!
  if ! wait_port 127.0.0.1 "${nginx_port[$name]}" 10 "${nginx_master[$name]}"; then
    say "$name did not start; its error log:"
    tail -n 20 "$dir/error.log" >&2 || true
    return 1
  fi
  for ((i = 0; i < 50; i++)); do # the workers, by their parent's PID; 5 s
    mapfile -t workers < <(pgrep -P "${nginx_master[$name]}" || true)
    [[ ${#workers[@]} -ge $(nproc) ]] && break
    sleep 0.1
  done
  [[ ${#workers[@]} -ge 1 ]] || { say "$name (pid ${nginx_master[$name]}) has no worker processes"; return 1; }
  nginx_workers[$name]=${workers[*]}
  if [[ -n $lib ]] && ! grep -qF "$lib" "/proc/${workers[0]}/maps"; then
    say "$name's worker ${workers[0]} has not loaded $lib"
    return 1
  fi
}
start_nginx nginx
[[ $nodelay == 0 ]] || start_nginx nginx-nodelay "$preload"

# --- measuring ------------------------------------------------------------------------
# cpu_jiffies: busy and total jiffies of the whole machine, from /proc/stat.
cpu_jiffies() {
  awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}
sides="direct=$BENCH_POP3_PORT:0,popbridge=$popbridge_port:${proxy_pid[popbridge]}"
for name in "${nginxes[@]}"; do
  w=${nginx_workers[$name]}
  sides+=",$name=${nginx_port[$name]}:${w// /+}"
done
sides+=",netty-relay=$relay_port:$relay_pid"
sleep 1
others=$(($(pgrep -c -x java || true) - 2)) # not popbridge, not the netty relay
loadavg_client=$(cut -d' ' -f1-3 /proc/loadavg)
read -r busy0 total0 <<< "$(cpu_jiffies)"
bench_sides "$sides" "$rounds" "${client_args[@]}"
read -r busy1 total1 <<< "$(cpu_jiffies)"
cpu_busy=$(( (busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1) ))
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A workers_end=()
for name in "${nginxes[@]}"; do
  workers_end[$name]=$(pgrep -P "${nginx_master[$name]}" | paste -sd' ' - || true)
done

# --- per command: CPU time and system calls --------------------------------------------
# Each proxy again, on its own (no rounds, nothing else measured alongside): one session of
# bench/command_loop.py sends NOOPs, then 4 KB RETRs, one at a time, after 1,000 unmeasured
# ones, then 10 MiB RETRs after 10. Around each loop the proxy's CPU time, every thread's time on a CPU as the scheduler
# counts it (/proc/PID/task/TID/schedstat: exact, where /proc/PID/stat's user and system
# times are sampled at each clock tick), the time its threads waited runnable for a CPU and how
# often they were put on one (the same file), and, where perf may count tracepoints, its system
# calls by kind (perf stat -p). Where the second hop's cost lies: in the system calls every
# proxy makes, or in what it does between them.
anatomy_count=$((quick == 1 ? 2000 : ${BENCH_NGINX_COMMANDS:-20000}))
[[ $anatomy_count =~ ^[0-9]+$ && $anatomy_count -ge 100 && $anatomy_count -le 200000 ]] \
  || { say "BENCH_NGINX_COMMANDS must be 100 to 200000"; exit 2; }
[[ -r /proc/self/schedstat ]] || say "no /proc/PID/schedstat on this kernel: the per-command CPU column stays empty"
declare -A syscall_group=([recvfrom]=in [read]=in [readv]=in [recvmsg]=in
  [sendto]=out [write]=out [writev]=out [sendmsg]=out
  [epoll_wait]=wait [epoll_pwait]=wait [epoll_pwait2]=wait)
perf_events=""
perf_note="perf not found (Debian: apt-get install linux-perf): no system call counts"
tracing=""
for dir in /sys/kernel/tracing /sys/kernel/debug/tracing; do
  [[ -d $dir/events/syscalls ]] && { tracing=$dir; break; }
done
if command -v perf >/dev/null 2>&1; then
  perf_note="perf cannot count system call tracepoints here (tracefs, or perf_event_paranoid and no root): no system call counts"
  if [[ -n $tracing ]]; then
    for call in "${!syscall_group[@]}"; do
      [[ -d $tracing/events/syscalls/sys_enter_$call ]] && perf_events+="syscalls:sys_enter_$call,"
    done
    perf_events+="raw_syscalls:sys_enter"
    if bench_perf_counts "$perf_events" "${proxy_pid[popbridge]}"; then
      perf_note=""
    else
      perf_events=""
    fi
  fi
fi
declare -A anatomy_label=([noop]=NOOP [retr]="RETR 4 KB" [big]="RETR 10 MB")
# command_anatomy SIDE PORT PID...: one table row per command kind.
command_anatomy() {
  local side=$1 port=$2 kind count counts cpu counting run waited put
  shift 2
  local pids=("$@") pid_list
  pid_list=$(IFS=,; echo "${pids[*]}")
  for kind in noop retr big; do
    count=$anatomy_count warm=1000
    [[ $kind == retr ]] && count=$((anatomy_count / 2))
    # 10 MiB each: 50 (524 MB) for the default 20,000 commands, at least 4.
    [[ $kind == big ]] && count=$((anatomy_count / 400 > 4 ? anatomy_count / 400 : 4)) warm=10
    timeout 120 python3 "$here/command_loop.py" "$port" "$warm" "$kind" || { say "$side: command_loop.py failed"; return 1; }
    counting=() # perf around the loop, where it may count
    [[ -n $perf_events ]] && counting=(perf stat -x, -o "$workdir/perf-$side-$kind.csv" -e "$perf_events" -p "$pid_list" --)
    bench_thread_cpu "${pids[@]}" > "$workdir/cpu-$side-$kind.before"
    timeout 600 "${counting[@]}" python3 "$here/command_loop.py" "$port" "$count" "$kind" \
      || { say "$side: command_loop.py failed"; return 1; }
    bench_thread_cpu "${pids[@]}" > "$workdir/cpu-$side-$kind.after"
    read -r run waited put user kernel <<< "$(bench_thread_cpu_per "$workdir/cpu-$side-$kind.before" "$workdir/cpu-$side-$kind.after" "$count")"
    cpu="${run:-} | ${user:-} | ${kernel:-} | ${waited:-} | ${put:-}"
    counts="| | | | |"
    if [[ -n $perf_events ]]; then
      # perf -x, lines: value,unit,event,...; the groups as syscall_group says.
      counts=$(awk -F, -v n="$count" -v groups="$(for c in "${!syscall_group[@]}"; do printf '%s=%s ' "$c" "${syscall_group[$c]}"; done)" '
        BEGIN { split(groups, pairs, " "); for (i in pairs) { split(pairs[i], kv, "="); group[kv[1]] = kv[2] } }
        $1 ~ /^[0-9]+$/ { event = $3; sub(/^.*sys_enter_?/, "", event)
          if (event == "") all += $1; else by[group[event]] += $1 }
        END { printf "| %.2f | %.2f | %.2f | %.2f |", by["in"] / n, by["out"] / n, by["wait"] / n, all / n }' \
        "$workdir/perf-$side-$kind.csv")
    fi
    printf '| %s | %s | %d | %s %s\n' "$side" "${anatomy_label[$kind]}" "$count" "$cpu" "$counts"
  done
}
anatomy=$workdir/anatomy.md
say "per command: CPU and system calls of each proxy, $anatomy_count NOOPs, $((anatomy_count / 2)) RETRs of 4 KB and some of 10 MB each"
{
  command_anatomy popbridge "$popbridge_port" "${proxy_pid[popbridge]}"
  for name in "${nginxes[@]}"; do
    read -r -a w <<< "${nginx_workers[$name]}"
    command_anatomy "$name" "${nginx_port[$name]}" "${w[@]}"
  done
  command_anatomy netty-relay "$relay_port" "$relay_pid"
} > "$anatomy" || say "the per-command step stopped early: its table is incomplete"

# --- report ---------------------------------------------------------------------------
mkdir -p "$here/target"
report=$here/target/results-nginx-$(date +%Y%m%d-%H%M%S).md
env_note=""
[[ -n ${BENCH_NGINX_ROUNDS:-} ]] && env_note+="BENCH_NGINX_ROUNDS=$BENCH_NGINX_ROUNDS "
[[ -n ${BENCH_NGINX_BUFFER:-} ]] && env_note+="BENCH_NGINX_BUFFER=$BENCH_NGINX_BUFFER "
[[ -n ${BENCH_NGINX_NODELAY:-} ]] && env_note+="BENCH_NGINX_NODELAY=$BENCH_NGINX_NODELAY "
{
  echo "### nginx reference run of $(date -u '+%Y-%m-%d %H:%M UTC')$(bench_quick_note ' (--quick: not comparable)')"
  echo
  echo "- command: \`${env_note}bash bench/run-nginx.sh$(bench_quick_note ' --quick')\` (rounds: $rounds;" \
    "the client run took ${elapsed} s)$nodelay_note"
  echo "- machine: $(bench_machine); $(nginx -v 2>&1 | sed 's/^nginx version: //'); the client, Dovecot," \
    "popbridge and nginx share these cores"
  echo "- popbridge: \`java $heap -jar popbridge.jar --config limits.yaml\` (jar $jar_note); log level INFO;" \
    "limits.yaml as bench/run.sh's"
  for name in "${nginxes[@]}"; do
    read -r -a w <<< "${nginx_workers[$name]}"
    echo "- $name: mail module, \`worker_processes auto\` ($(nproc) cores: ${#w[@]} workers)," \
      "\`proxy_buffer $nginx_buffer\`, \`pop3_auth plain\`," \
      "$([[ $name == nginx-nodelay ]] && echo 'TCP_NODELAY on its sockets (bench/nginx_nodelay.c preloaded)' \
        || echo 'Nagle on (the mail module sets no TCP_NODELAY)'), error log at \`info\`;" \
      "$(grep -c 'client logged in' "$workdir/$name/error.log" || true) sessions logged in through it"
  done
  echo "- netty-relay: \`java $heap -cp popbridge.jar bench/NettyRelay.java\` (the same jar and netty settings):" \
    "octets each way, no POP3 read; netty's epoll transport, $(nproc) worker loops, TCP_NODELAY on both legs"
  echo "- other load: load average $loadavg_start (1/5/15 min) when the script started, $loadavg_client" \
    "when the client started, $loadavg_end when it ended; $others other JVMs running when the client" \
    "started; CPUs ${cpu_busy}% busy during the client run (all processes, the benchmark's own included)"
  echo
  java -jar "$bench_jar" sides-report --out "$out" || echo "(no tables: the client wrote no figures)"
  echo
  echo "#### Per command, each proxy on its own"
  echo
  echo "One session of \`bench/command_loop.py\` per row: NOOPs, or RETRs of the 4 KB messages, one at a" \
    "time, after 1,000 unmeasured; or RETRs of the 10 MiB messages, read in chunks of up to 256 KB, after" \
    "10 unmeasured (its figures are per message: divide by 10.5 for per MB, or read µs per 10 MB message as" \
    "about ms per GB). Per command: the proxy's CPU time, every thread's (popbridge, netty-relay) or" \
    "worker's (nginx) time on a CPU as the scheduler counts it (/proc/PID/task/TID/schedstat, exact)," \
    "split into user space (the proxy's own code) and the kernel in the proportion of their user and" \
    "system ticks (/proc/PID/task/TID/stat); the time its threads were ready to run but waited for a CPU, and how many times they were put on one" \
    "(the same file); and its system calls" \
    "$([[ -n $perf_events ]] && echo "(\`perf stat -e 'syscalls:sys_enter_*' -p PID\`; receives: recvfrom, read, readv, recvmsg; sends: sendto, write, writev, sendmsg; epoll waits: epoll_wait, epoll_pwait, epoll_pwait2; all: every system call, of every thread)" || echo "($perf_note)")."
  echo
  echo "| proxy | command | commands | CPU (µs) | in user space (µs) | in the kernel (µs) | waiting for a CPU (µs) | put on a CPU | receives | sends | epoll waits | all system calls |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  cat "$anatomy"
  bench_proxies_log_problems
  for name in "${nginxes[@]}"; do
    if [[ ${workers_end[$name]} != "${nginx_workers[$name]}" ]]; then
      echo
      echo "$name's workers changed during the run (${nginx_workers[$name]} → ${workers_end[$name]:-none}):" \
        "its CPU figures are incomplete."
    fi
    bench_first_lines "$name" warn/error "$workdir/$name/error.log" '\[(warn|error|crit|alert|emerg)\]'
  done
  bench_first_lines netty-relay exception/error "$workdir/netty-relay.log" 'Exception|Error'
  bench_dovecot_log_problems
} > "$report"
bench_report "$report" "$out/results.tsv"
exit "$client_rc"
