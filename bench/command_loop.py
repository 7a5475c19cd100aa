#!/usr/bin/env python3
"""One POP3 session that sends COUNT commands, each after the previous reply (stdlib only).

usage: command_loop.py PORT COUNT noop|retr|big

Logs in as "small" (password "bench-secret", see fill_mail.py: 2,000 messages of 4 KiB) on
127.0.0.1:PORT, then sends COUNT commands one at a time, reading each whole reply before the
next: NOOP, or RETR of messages 1, 2, ... 2,000, 1, 2, ... (a multi-line reply, read to its
terminating dot). With "big", as "big" (20 messages of 10 MiB), RETR of messages 1 ... 20,
1, ..., each read in chunks of up to 256 KB and not looked at. Then QUIT. No timing:
bench/run-nginx.sh counts what a proxy spends on the commands (its CPU time from /proc, its
system calls with perf) around one run of this loop.
The session itself is pop3_session.py's.
Every socket operation times out after 10 s; exits 1 on an unexpected reply.
"""
import sys

from pop3_session import Pop3Session

# kind: (user, messages in its mailbox, whether a reply is read in chunks rather than by lines)
MAILBOXES = {"noop": ("small", 2000, False), "retr": ("small", 2000, False), "big": ("big", 20, True)}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in MAILBOXES:
        raise SystemExit("usage: command_loop.py PORT COUNT noop|retr|big")
    port, count, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    user, messages, chunked = MAILBOXES[kind]
    with Pop3Session(port, user, "command_loop") as pop:
        for i in range(count):
            if kind == "noop":
                pop.command(b"NOOP")
            else:
                pop.command(b"RETR %d" % (i % messages + 1))
                if chunked:
                    pop.skip_rest_of_reply()
                else:
                    pop.rest_of_reply()


if __name__ == "__main__":
    main()
