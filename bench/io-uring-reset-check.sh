#!/usr/bin/env bash
# Is netty's io_uring transport safe for popbridge yet? (issue 15; docs/BENCHMARKS.md, "io_uring:
# measured, not offered"), on 127.0.0.1 only:
#
#   bash bench/io-uring-reset-check.sh [TRIALS]
#
# Runs bench/IoUringResetCheck.java (TRIALS connections per case, default 20) on epoll and on
# io_uring: a server that answers a command with part of a reply and then resets the
# connection, as a crashing mail server does, and the same ending with a FIN. Prints a
# Markdown table. netty 4.2.17 and 4.2.18's io_uring miss the reset in most trials (the channel
# stays open, its last read never rearmed), which popbridge would turn into a client left
# waiting for a reply that never ends; epoll never does. Exits 1 while any transport misses a
# close: rerun it after a netty upgrade before offering io_uring.
#
# netty's core and epoll come from proxy/target/popbridge.jar (built if missing), io_uring's
# classes and native library (which popbridge does not ship) from Maven, at the version of
# netty in pom.xml, or BENCH_NETTY_IO_URING (e.g. 4.2.18.Final). Linux on x86_64 or aarch64,
# with io_uring allowed (/proc/sys/kernel/io_uring_disabled 0).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets here, root and LC_ALL

trials=${1:-20}
[[ $trials =~ ^[0-9]+$ && $trials -ge 1 && $trials -le 500 ]] || { say "TRIALS must be 1 to 500"; exit 2; }
bench_need java mvn
if [[ $(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0) != 0 ]]; then
  say "io_uring is turned off on this kernel (kernel.io_uring_disabled): nothing to check"
  exit 2
fi
case $(uname -m) in
  x86_64) arch=x86_64 ;;
  aarch64) arch=aarch_64 ;;
  *) say "netty ships io_uring's native library for x86_64 and aarch64 only, not $(uname -m)"; exit 2 ;;
esac
version=${BENCH_NETTY_IO_URING:-$(sed -nE 's|.*<netty.version>([^<]+)</netty.version>.*|\1|p' "$root/pom.xml")}
[[ -n $version ]] || { say "no netty.version in pom.xml"; exit 1; }

keep=0
bench_workdir popbridge-io-uring-check
bench_private_jar
for artifact in "netty-transport-classes-io_uring:$version" \
    "netty-transport-native-io_uring:$version:jar:linux-$arch"; do
  mvn -B -q dependency:copy -Dartifact="io.netty:$artifact" -DoutputDirectory="$workdir/lib" \
    > "$workdir/mvn.log" 2>&1 || { say "Maven could not fetch io.netty:$artifact:"; tail -n 5 "$workdir/mvn.log" >&2; exit 1; }
done
say "netty $version: io_uring from Maven, the rest from popbridge's jar ($jar_note)"
java -cp "$workdir/lib/*:$workdir/popbridge.jar" "$here/IoUringResetCheck.java" "$trials"
