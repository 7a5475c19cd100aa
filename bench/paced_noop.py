#!/usr/bin/env python3
"""One POP3 session that sends NOOP at a fixed pace and times each round trip (stdlib only).

usage: paced_noop.py PORT RATE SECONDS

Logs in as "lat" (password "bench-secret", see fill_mail.py) on 127.0.0.1:PORT, then sends
one NOOP every 1/RATE seconds for SECONDS (RATE 0: none, the session just sits idle), waiting
for each +OK before the next; a RATE faster than the round trip sends back to back. Prints one line: "noops N median_us M p99_us P".
"""
import sys
import time

from pop3_session import Pop3Session


def main():
    port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    with Pop3Session(port, "lat", "paced_noop") as pop:
        times = []
        start = time.monotonic()
        end = start + seconds
        if rate <= 0:
            time.sleep(seconds)
        else:
            gap = 1.0 / rate
            slot = start
            while slot < end and time.monotonic() < end:
                pause = slot - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                sent = time.perf_counter_ns()
                pop.command(b"NOOP")
                times.append((time.perf_counter_ns() - sent) // 1000)
                slot += gap
    times.sort()
    if times:
        median = times[len(times) // 2]
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    else:
        median = p99 = 0
    print(f"noops {len(times)} median_us {median} p99_us {p99}")


if __name__ == "__main__":
    main()
