# shellcheck shell=bash
# Shared steps of the benchmark scripts; source it after interop/lib.sh, don't run it.
# Expects $here (bench/), $root (the repository) and $workdir to be set.

say() { echo "bench: $*" >&2; }

# bench_private_jar: the popbridge jar under test, BENCH_JAR or proxy/target/popbridge.jar
# (built only if missing and BENCH_JAR is unset), copied to $workdir/popbridge.jar so a
# rebuild in the working tree during the run cannot pull it away. Sets jar_note.
bench_private_jar() {
  local jar=${BENCH_JAR:-$root/proxy/target/popbridge.jar}
  if [[ ! -f $jar && -z ${BENCH_JAR:-} ]]; then
    say "building $jar"
    (cd "$root" && mvn -B -q package -DskipTests) > "$workdir/build.log" 2>&1 \
      || { tail -n 30 "$workdir/build.log" >&2; say "mvn -B -q package -DskipTests failed"; return 1; }
  fi
  [[ -f $jar ]] || { say "no popbridge jar at $jar"; return 1; }
  cp "$jar" "$workdir/popbridge.jar"
  jar_note="built $(stat -c '%y' "$jar" | cut -d. -f1), sha256 $(sha256sum "$jar" | cut -c1-12)"
  if [[ -z ${BENCH_JAR:-} ]]; then
    jar_note="$jar_note, working tree at git $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    if [[ -n $(cd "$root" && git status --porcelain -- proxy certs filters 2>/dev/null) ]]; then
      jar_note="$jar_note with uncommitted changes under proxy/ certs/ filters/"
    fi
  else
    jar_note="$jar_note, BENCH_JAR=$jar"
  fi
}

# bench_client: builds bench/target/popbridge-bench.jar when it is missing or older than
# its sources; sets bench_jar.
bench_client() {
  bench_jar=$here/target/popbridge-bench.jar
  if [[ ! -f $bench_jar || -n $(find "$here/src" "$here/pom.xml" -newer "$bench_jar" -print -quit) ]]; then
    say "building the bench client"
    mvn -B -q -f "$here/pom.xml" package > "$workdir/bench-build.log" 2>&1 \
      || { tail -n 30 "$workdir/bench-build.log" >&2; say "building bench/pom.xml failed"; return 1; }
  fi
}

# bench_machine: one line on the machine, the JDK and Dovecot.
bench_machine() {
  echo "$(nproc) CPUs ($(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1))," \
    "$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr);" \
    "$(java -version 2>&1 | head -n 1); Dovecot $(dovecot --version | cut -d' ' -f1)"
}

# bench_log_problems NAME LOG PID: a Markdown note of the warnings and errors popbridge NAME
# logged (the plain upstream's start-up warning is expected), and whether it still runs.
bench_log_problems() {
  local name=$1 log=$2 pid=$3 problems
  problems=$(grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vcE 'is plain POP3' || true)
  if [[ $problems -gt 0 ]]; then
    echo
    echo "popbridge \`$name\` logged $problems warning/error lines; first ones:"
    echo
    echo '```'
    grep -E ' (WARN|ERROR) |Exception|OutOfMemory' "$log" | grep -vE 'is plain POP3' | head -n 5 | cut -c1-300
    echo '```'
  fi
  alive "$pid" || { echo; echo "popbridge \`$name\` was no longer running at the end."; }
}
