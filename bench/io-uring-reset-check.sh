#!/usr/bin/env bash
# Does netty's io_uring transport see a mail server die? (issue 15; docs/BENCHMARKS.md,
# "Transports"), on 127.0.0.1 only:
#
#   bash bench/io-uring-reset-check.sh [TRIALS]
#
# Runs bench/IoUringResetCheck.java (TRIALS connections per case, default 20): a server that
# answers a command with part of a reply and then resets the connection, as a crashing mail
# server does, and the same ending with a FIN. First epoll and io_uring as popbridge runs them
# (io_uring with a one-shot POLLIN: -Dio.netty.iouring.pollAddMultishotEnabled=false, which
# popbridge sets), then io_uring as netty ships it (multishot POLLIN). Prints one Markdown
# table. With netty 4.2.17 and 4.2.18, io_uring's multishot poll misses the reset in most
# trials (the channel stays open, its input never read again), which popbridge would turn
# into a client left waiting for a reply that never ends; the one-shot poll and epoll never
# do. Exits 1 if popbridge's settings miss a close: rerun it after a netty upgrade.
#
# netty, io_uring included, comes from proxy/target/popbridge.jar (built if missing;
# BENCH_JAR for another): to check another netty, change netty.version in pom.xml and rebuild.
# Linux on x86_64 or aarch64, with io_uring allowed (/proc/sys/kernel/io_uring_disabled 0).
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

keep=0
bench_workdir popbridge-io-uring-check
bench_private_jar
say "netty from popbridge's jar ($jar_note; pom.xml says $(sed -nE 's|.*<netty.version>([^<]+)</netty.version>.*|\1|p' "$root/pom.xml"))"
rc=0
java -Dio.netty.iouring.pollAddMultishotEnabled=false -cp "$workdir/popbridge.jar" "$here/IoUringResetCheck.java" \
  "$trials" header || rc=$?
java -Dio.netty.iouring.pollAddMultishotEnabled=true -cp "$workdir/popbridge.jar" "$here/IoUringResetCheck.java" \
  "$trials" io_uring || true # netty's default, for comparison: its misses are expected
exit "$rc"
