#!/usr/bin/env python3
"""One POP3 session that sends COUNT commands, each after the previous reply (stdlib only).

usage: command_loop.py PORT COUNT noop|retr

Logs in as "small" (password "bench-secret", see fill_mail.py: 2,000 messages of 4 KiB) on
127.0.0.1:PORT, then sends COUNT commands one at a time, reading each whole reply before the
next: NOOP, or RETR of messages 1, 2, ... 2,000, 1, 2, ... (a multi-line reply, read to its
terminating dot). Then QUIT. No timing: bench/run-nginx.sh counts what a proxy spends on the
commands (its CPU time from /proc, its system calls with perf) around one run of this loop.
Every socket operation times out after 10 s; exits 1 on an unexpected reply.
"""
import socket
import sys

MESSAGES = 2000


def status(replies):
    reply = replies.readline()
    if not reply.startswith(b"+OK"):
        raise SystemExit(f"command_loop: unexpected reply {reply!r}")


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("noop", "retr"):
        raise SystemExit("usage: command_loop.py PORT COUNT noop|retr")
    port, count, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        replies = sock.makefile("rb")
        status(replies)
        for command in (b"USER small\r\n", b"PASS bench-secret\r\n"):
            sock.sendall(command)
            status(replies)
        for i in range(count):
            if kind == "noop":
                sock.sendall(b"NOOP\r\n")
                status(replies)
            else:
                sock.sendall(b"RETR %d\r\n" % (i % MESSAGES + 1))
                status(replies)
                line = replies.readline()
                while line != b".\r\n":
                    if not line:
                        raise SystemExit("command_loop: the connection closed within a reply")
                    line = replies.readline()
        sock.sendall(b"QUIT\r\n")
        status(replies)


if __name__ == "__main__":
    main()
