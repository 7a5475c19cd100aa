#!/usr/bin/env bash
# Checks the release archive that `mvn package` built, as an admin would use it: unpacked in a
# directory whose name has a space, bin/popbridge --version run from another directory,
# through symlinks and PATH, with java from JAVA_HOME or from PATH, with JAVA_OPTS; that the
# launcher execs java (so SIGTERM and SIGHUP reach popbridge); the Dockerfile's COPY sources
# exist in the archive, and its steps, run without a container runtime (docker/run-steps.sh,
# as root), give an image whose entry point serves 110, 995, 587 and 465 as a non-root user;
# and `systemd-analyze verify` has nothing to say about the unit.
#
# usage: bash packaging/check.sh [ARCHIVE]   (default: the one packaging/target/popbridge-*.tar.gz)
# Prints PASS/FAIL lines, ends with "packaging: N passed, N failed"; exits 1 if any failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
passed=0
failed=0
pass() { echo "PASS packaging/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL packaging/$1: $2" | cut -c1-600; failed=$((failed + 1)); }
finish() {
  echo "packaging: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

if [[ $# -ge 1 ]]; then
  archive=$1
else
  shopt -s nullglob
  found=("$here"/target/popbridge-*.tar.gz)
  shopt -u nullglob
  if [[ ${#found[@]} -ne 1 ]]; then
    fail archive "expected one packaging/target/popbridge-*.tar.gz, found ${#found[@]} (run mvn clean package)"
    finish
    exit 1
  fi
  archive=${found[0]}
fi

work=$(mktemp -d /tmp/popbridge-packaging.XXXXXX)
daemon_pid=
cleanup() {
  if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -KILL "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- unpack: one top-level directory named as the archive, holding what the README promises ---
name=$(basename "$archive" .tar.gz)
unpack="$work/un packed"
mkdir -p "$unpack"
if ! tar -xzf "$archive" -C "$unpack" 2> "$work/tar.err"; then
  fail unpack "tar -xzf $archive failed: $(head -c 300 "$work/tar.err")"
  finish
  exit 1
fi
top=$(ls -A "$unpack")
home=$unpack/$name
if [[ $top != "$name" ]]; then
  fail unpack "expected the single top-level directory $name, found: $(echo "$top" | tr '\n' ' ')"
  finish
  exit 1
fi
problems=()
for f in bin/popbridge lib/popbridge.jar README.md Dockerfile systemd/popbridge.service \
    examples/popbridge.yaml examples/filters.yaml examples/fail2ban/popbridge.conf \
    examples/fail2ban/popbridge.local; do
  [[ -f $home/$f ]] || problems+=("$f missing")
done
[[ -x $home/bin/popbridge ]] || problems+=("bin/popbridge not executable")
if [[ ${#problems[@]} -eq 0 ]]; then pass contents; else fail contents "${problems[*]}"; fi

java_bin=$(command -v java || true)
java_home=
if [[ -n $java_bin ]]; then
  java_home=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
fi

# version_ok NAME OUT RC: popbridge --version exited 0 with a first line "popbridge ..." that
# holds a version number (what follows it, such as the git commit, is not checked here).
version_ok() {
  local check=$1 out=$2 rc=$3
  if [[ $rc -eq 0 && $(head -n 1 "$out") =~ ^popbridge\ .*[0-9]+\.[0-9]+ ]]; then
    pass "$check"
  else
    fail "$check" "exit $rc, output: $(head -c 300 "$out" | tr '\n' ' ')"
  fi
}

# --- bin/popbridge --version from another directory, java from PATH, JAVA_HOME unset ---
rc=0
(cd / && env -u JAVA_HOME -u JAVA_OPTS "$home/bin/popbridge" --version) > "$work/out" 2>&1 || rc=$?
version_ok version-from-path "$work/out" "$rc"

# --- through a chain of symlinks (relative, then absolute) found on PATH ---
mkdir -p "$work/links/a" "$work/links/b"
ln -s "$home/bin/popbridge" "$work/links/b/popbridge-real"
ln -s ../b/popbridge-real "$work/links/a/popbridge"
rc=0
(cd "$work" && env -u JAVA_HOME PATH="$work/links/a:$PATH" popbridge --version) > "$work/out" 2>&1 || rc=$?
version_ok version-through-symlinks "$work/out" "$rc"

# --- java from JAVA_HOME, none on PATH ---
if [[ -z $java_home ]]; then
  fail version-from-java-home "no java on PATH to take a JAVA_HOME from"
else
  rc=0
  (cd / && env JAVA_HOME="$java_home" PATH=/nonexistent /bin/sh -c 'command -v java >/dev/null && exit 99; exec "$0" --version' "$home/bin/popbridge") \
    > "$work/out" 2>&1 || rc=$?
  version_ok version-from-java-home "$work/out" "$rc"
fi

# --- JAVA_OPTS reaches the JVM, split at blanks and not globbed ---
# A file the option would match as a glob: globbed, the JVM would see popbridge.glob = =globbed.
mkdir -p "$work/glob" && touch -- "$work/glob/-Dpopbridge.glob==globbed"
rc=0
(cd "$work/glob" && env -u JAVA_HOME JAVA_OPTS='-Dpopbridge.check=launcher -Dpopbridge.glob=* -XshowSettings:properties' \
  "$home/bin/popbridge" --version) > "$work/out" 2>&1 || rc=$?
if [[ $rc -eq 0 ]] && grep -q 'popbridge.check = launcher' "$work/out" && grep -q 'popbridge.glob = \*$' "$work/out"; then
  pass java-opts
else
  fail java-opts "exit $rc; the JVM did not show popbridge.check = launcher and popbridge.glob = *: $(grep 'popbridge\.' "$work/out" | tr '\n' ' ' | head -c 300)"
fi

# --- no java: a clear message and status 127, not a shell error ---
rc=0
(cd / && env JAVA_HOME=/nonexistent/jdk "$home/bin/popbridge" --version) > "$work/out" 2>&1 || rc=$?
rc2=0
(cd / && env -u JAVA_HOME PATH=/nonexistent /bin/sh "$home/bin/popbridge" --version) > "$work/out2" 2>&1 || rc2=$?
if [[ $rc -eq 127 ]] && grep -q 'JAVA_HOME is /nonexistent/jdk' "$work/out" \
    && [[ $rc2 -eq 127 ]] && grep -q 'no java found' "$work/out2"; then
  pass no-java
else
  fail no-java "bad JAVA_HOME: exit $rc, $(head -c 200 "$work/out"); no java on PATH: exit $rc2, $(head -c 200 "$work/out2")"
fi

# --- the launcher execs java: the PID it started with is the JVM, and SIGTERM stops it ---
if [[ -n $java_home ]]; then
  : > "$work/daemon.log"
  (cd "$work" && exec env -u JAVA_OPTS "$home/bin/popbridge" --listen pop3://127.0.0.1:0 \
    --upstream pop3s://127.0.0.1:1 --state-dir "$work/state" --shutdown-grace 1s) > "$work/daemon.log" 2>&1 &
  daemon_pid=$!
  exe=
  for ((i = 0; i < 150; i++)); do
    if grep -q 'listening on' "$work/daemon.log"; then
      exe=$(readlink "/proc/$daemon_pid/exe" 2>/dev/null || true)
      break
    fi
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -TERM "$daemon_pid" 2>/dev/null || true
  rc=0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$daemon_pid" 2>/dev/null; then
    fail exec "popbridge did not stop within 10 s of SIGTERM to the launcher's PID"
  else
    wait "$daemon_pid" || rc=$?
    if [[ $exe == */java && ( $rc -eq 0 || $rc -eq 143 ) ]]; then
      pass exec
    else
      fail exec "the launcher's PID ran '${exe:-nothing}' (want java), exit $rc after SIGTERM; log: $(tail -n 3 "$work/daemon.log" | tr '\n' ' ' | head -c 300)"
    fi
  fi
  daemon_pid=
else
  fail exec "no java on PATH to run popbridge with"
fi

# --- the Dockerfile: what it COPYs is in the archive; non-root; the volumes and ports ---
dockerfile=$home/Dockerfile
problems=()
copies=0
while read -r instr rest; do
  [[ ${instr^^} == COPY ]] || continue
  copies=$((copies + 1))
  read -r -a words <<< "$rest"
  [[ ${words[0]} == --* ]] && { problems+=("COPY with options is not checked: $rest"); continue; }
  for src in "${words[@]:0:${#words[@]}-1}"; do
    [[ -e $home/$src ]] || problems+=("COPY $src: not in the archive")
  done
done < <(grep -E '^[[:space:]]*[A-Za-z]+[[:space:]]' "$dockerfile")
[[ $copies -gt 0 ]] || problems+=("no COPY found")
user=$(grep -E '^USER ' "$dockerfile" | tail -n 1 | awk '{print $2}')
[[ -n $user && ${user%%:*} != root && ${user%%:*} != 0 ]] || problems+=("USER is '${user:-unset}', want a non-root user")
for v in /etc/popbridge /var/lib/popbridge; do
  grep -E '^VOLUME ' "$dockerfile" | grep -q "\"$v\"" || problems+=("no VOLUME $v")
done
for p in 110 995 587 465; do
  grep -E '^EXPOSE ' "$dockerfile" | grep -qw "$p" || problems+=("port $p not exposed")
done
entry=$(grep -E '^ENTRYPOINT ' "$dockerfile" | sed -E 's/^ENTRYPOINT \["([^"]+)".*/\1/')
grep -qE "^COPY bin/popbridge ${entry}\$" "$dockerfile" || problems+=("ENTRYPOINT $entry is not where bin/popbridge is copied")
if [[ ${#problems[@]} -eq 0 ]]; then pass dockerfile; else fail dockerfile "${problems[*]}"; fi

# --- the Dockerfile's RUN and COPY steps run here, and the ENTRYPOINT serves the low ports ---
# No container runtime or base image is reachable here, so docker/run-steps.sh runs the steps
# on an overlay of this machine's root, Debian's JDK standing in for eclipse-temurin.
rc=0
out=$(bash "$here/docker/run-steps.sh" "$home" 2>&1) || rc=$?
if [[ $rc -eq 0 ]]; then pass docker-steps; else fail docker-steps "$(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi

# --- systemd-analyze verify: the archive's unit, installed where the archive is unpacked ---
# The unit names /opt/popbridge/; verify checks that ExecStart exists, so the copy checked
# names the unpacked archive instead (through a link without blanks, which ExecStart would
# split at), and nothing else changes. verify exits 0 after many complaints (unknown keys,
# bad values), so any output at all fails the check.
unit=$home/systemd/popbridge.service
if ! command -v systemd-analyze > /dev/null 2>&1; then
  fail systemd-verify "systemd-analyze is not installed (apt-get install systemd)"
elif ! grep -q '^ExecStart=/opt/popbridge/bin/popbridge ' "$unit"; then
  fail systemd-verify "ExecStart does not run /opt/popbridge/bin/popbridge, where the README installs it"
else
  mkdir -p "$work/unit"
  ln -s "$home" "$work/unit/opt-popbridge"
  sed "s#/opt/popbridge/#$work/unit/opt-popbridge/#g" "$unit" > "$work/unit/popbridge.service"
  rc=0
  (cd "$work/unit" && systemd-analyze verify --man=no "$work/unit/popbridge.service") > "$work/verify.out" 2>&1 || rc=$?
  if [[ $rc -eq 0 && ! -s $work/verify.out ]]; then
    pass systemd-verify
  else
    fail systemd-verify "systemd-analyze verify exited $rc: $(tr '\n' ' ' < "$work/verify.out" | head -c 400)"
  fi
fi

finish
