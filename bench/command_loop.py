#!/usr/bin/env python3
"""One POP3 session that sends COUNT commands, each after the previous reply (stdlib only).

usage: command_loop.py PORT COUNT noop|retr

Logs in as "small" (password "bench-secret", see fill_mail.py: 2,000 messages of 4 KiB) on
127.0.0.1:PORT, then sends COUNT commands one at a time, reading each whole reply before the
next: NOOP, or RETR of messages 1, 2, ... 2,000, 1, 2, ... (a multi-line reply, read to its
terminating dot). Then QUIT. No timing: bench/run-nginx.sh counts what a proxy spends on the
commands (its CPU time from /proc, its system calls with perf) around one run of this loop.
The session itself is pop3_session.py's.
Every socket operation times out after 10 s; exits 1 on an unexpected reply.
"""
import sys

from pop3_session import Pop3Session

MESSAGES = 2000


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("noop", "retr"):
        raise SystemExit("usage: command_loop.py PORT COUNT noop|retr")
    port, count, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with Pop3Session(port, "small", "command_loop") as pop:
        for i in range(count):
            if kind == "noop":
                pop.command(b"NOOP")
            else:
                pop.command(b"RETR %d" % (i % MESSAGES + 1))
                pop.rest_of_reply()


if __name__ == "__main__":
    main()
