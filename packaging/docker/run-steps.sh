#!/usr/bin/env bash
# Builds the container image as far as this machine can without a container runtime or the
# Temurin base image, and runs it: the Dockerfile's RUN and COPY steps are executed in a
# throwaway overlay of this machine's root file system (Debian, with its JDK standing in for
# the eclipse-temurin base, copied to its /opt/java/openjdk), then its ENTRYPOINT and CMD run as its USER, in a new network
# namespace where unprivileged ports start at 1024, with a config that listens on 110, 995,
# 587 and 465. Every write lands in a tmpfs of a private mount namespace, gone at exit.
#
# usage (as root): bash packaging/docker/run-steps.sh UNPACKED-ARCHIVE-DIR
# Needs unshare, overlayfs, python3 and the network to Debian's archive (the RUN step calls
# apt-get). Exits 0 if popbridge served every port as a non-root user, else 1 with the reason.
set -euo pipefail

if [[ ${1:-} != --inside ]]; then
  home=$(cd "${1:?usage: run-steps.sh UNPACKED-ARCHIVE-DIR}" && pwd)
  [[ $(id -u) -eq 0 ]] || { echo "run-steps.sh: must run as root (mount, chroot, unshare)"; exit 1; }
  exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" --inside "$home"
fi
home=$2
dockerfile=$home/Dockerfile
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
base=$(mktemp -d /tmp/popbridge-run-steps.XXXXXX)
pid=
# Never rm -r under $base: /dev and /sys are bound into the overlay. Detaching the tmpfs
# (and everything mounted below it) leaves $base an empty directory on the real disk.
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  umount --lazy "$base" 2>/dev/null || true
  rmdir "$base" 2>/dev/null || true
}
trap cleanup EXIT

# The image's file system: this machine's root, read-only below a tmpfs that takes the writes.
mount -t tmpfs tmpfs "$base"
mkdir -p "$base/upper" "$base/work" "$base/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"
r=$base/root
mount --rbind /dev "$r/dev"
mount -t proc proc "$r/proc"
mount --rbind /sys "$r/sys"

# The base image's JRE where eclipse-temurin has it, a copy (setcap must not touch this
# machine's java): out of the loader's trusted directories, as there, so that a missing
# ld.so.conf entry shows here too.
java_home_host=$java_home
java_home=/opt/java/openjdk
mkdir -p "$r$java_home"
cp -a "$java_home_host/." "$r$java_home/"

# Each RUN (shell form), its continuation lines joined, with the base image's JAVA_HOME.
python3 - "$dockerfile" > "$r/tmp/popbridge-run.sh" <<'PY'
import sys
text = open(sys.argv[1]).read().replace('\\\n', ' ')
for line in text.splitlines():
    if line.startswith('RUN '):
        print('(' + line[4:] + ')')
PY
if ! chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME="$java_home" \
    DEBIAN_FRONTEND=noninteractive /bin/sh -e /tmp/popbridge-run.sh > "$base/run.log" 2>&1; then
  echo "run-steps.sh: a RUN step failed: $(tail -n 5 "$base/run.log" | tr '\n' ' ' | cut -c1-400)"
  exit 1
fi

# Each COPY (SOURCE DEST, no options), from the unpacked archive as the build context.
while read -r instr src dst; do
  [[ $instr == COPY ]] || continue
  mkdir -p "$(dirname "$r$dst")"
  cp -a "$home/$src" "$r$dst"
done < "$dockerfile"

user=$(awk '$1 == "USER" {print $2}' "$dockerfile" | tail -n 1)
user=${user%%:*}
uid=$(chroot "$r" id -u "$user")
gid=$(chroot "$r" id -g "$user")
if [[ $uid -eq 0 ]]; then
  echo "run-steps.sh: USER $user is root"
  exit 1
fi
workdir=$(awk '$1 == "WORKDIR" {print $2}' "$dockerfile" | tail -n 1)
mapfile -t command < <(python3 - "$dockerfile" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
for key in ('ENTRYPOINT', 'CMD'):
    for word in json.loads(re.search(r'^%s (.*)$' % key, text, re.M).group(1)):
        print(word)
PY
)

mkdir -p "$r/etc/popbridge"
cat > "$r/etc/popbridge/popbridge.yaml" <<'YAML'
listen:
  - pop3://127.0.0.1:110
  - pop3s://127.0.0.1:995
  - smtp://127.0.0.1:587
  - smtps://127.0.0.1:465
upstream: pop3s://127.0.0.1:1
submission: smtps://127.0.0.1:1
YAML
chmod 0644 "$r/etc/popbridge/popbridge.yaml"

: > "$base/popbridge.log"
# A network namespace of its own: its own ports, and the kernel's default of 1024 for
# ip_unprivileged_port_start, as under a runtime that does not lower it.
unshare --net /bin/sh -c 'ip link set lo up 2>/dev/null || ifconfig lo up; exec "$@"' sh \
  chroot --userspec="$uid:$gid" "$r" /usr/bin/env -i JAVA_HOME="$java_home" \
  PATH="$java_home/bin:/usr/bin:/bin" HOME="$workdir" \
  /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${command[@]}" > "$base/popbridge.log" 2>&1 &
pid=$!
problems=()
for ((i = 0; i < 200; i++)); do
  [[ $(grep -c 'listening on' "$base/popbridge.log") -ge 4 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
netns=/proc/$pid/ns/net
if kill -0 "$pid" 2>/dev/null; then
  [[ $(awk '/^Uid:/ {print $2}' "/proc/$pid/status") -eq $uid ]] || problems+=("runs as uid $(awk '/^Uid:/ {print $2}' "/proc/$pid/status"), not $uid")
  [[ $(nsenter --net="$netns" cat /proc/sys/net/ipv4/ip_unprivileged_port_start) -eq 1024 ]] \
    || problems+=("unprivileged ports do not start at 1024 in the test's network namespace")
  for port_greeting in 110:+OK 587:220; do
    port=${port_greeting%%:*}
    greeting=$(nsenter --net="$netns" timeout 5 bash -c \
      "exec 3<>/dev/tcp/127.0.0.1/$port; head -c 3 <&3" 2>/dev/null || true)
    [[ $greeting == "${port_greeting#*:}"* ]] || problems+=("port $port greeted '${greeting}'")
  done
  for port in 995 465; do
    nsenter --net="$netns" timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null \
      || problems+=("port $port refused")
  done
  [[ -s $r$workdir/self-signed.crt ]] || problems+=("no self-signed.crt in $workdir (not writable?)")
  kill -TERM "$pid"
  rc=0
  wait "$pid" || rc=$?
  pid=
  [[ $rc -eq 0 || $rc -eq 143 ]] || problems+=("exit $rc after SIGTERM")
else
  why=$(grep -m 3 -E 'ERROR|Exception|error|denied|^popbridge:|cd: ' "$base/popbridge.log" || tail -n 3 "$base/popbridge.log")
  problems+=("popbridge did not start: $(echo "$why" | tr '\n' ' ' | cut -c1-400)")
fi
if [[ ${#problems[@]} -gt 0 ]]; then
  echo "run-steps.sh: ${problems[*]}"
  exit 1
fi
echo "run-steps.sh: the image's ENTRYPOINT ran as $user ($uid) and served 110, 995, 587 and 465"
