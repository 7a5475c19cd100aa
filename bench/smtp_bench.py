#!/usr/bin/env python3
"""The SMTP submission benchmark's client (bench/run-smtp.sh), stdlib only.

usage: smtp_bench.py --targets NAME=PORT,NAME=PORT --user U --password P
                     [--rounds 5] [--small 500] [--big 5] [--logins 20] [--raw FILE]

Talks plain SMTP to 127.0.0.1:PORT of each target (the first is the baseline, "direct"; the
second is compared with it). Its own cost is the same on both sides: plain blocking sockets,
each message built and dot-stuffed once before anything is timed, one command at a time
(no PIPELINING, as popbridge relays), every reply read and its code checked.

Per round, for each phase the targets take turns, the order reversed every other round:
  login  --logins times: connect, greeting, EHLO, AUTH PLAIN (235), timed up to the 235;
         then QUIT, not timed
  small  one session (login not timed), --small messages of 4,096 octets one after the other:
         MAIL FROM, RCPT TO, DATA, the message, "." each waiting for its reply; messages/s
  big    the same with --big messages of 10 MiB (10,485,760 octets); MB/s, MB = 10^6 octets
         of message (before dot-stuffing)
--warmup unmeasured rounds of the same size come first (popbridge's JIT needs them: with
one short pass its first measured rounds were half as fast as its last). Every message has lines that
begin with ".", so dot-stuffing is on the path. Prints a Markdown table: the median of the
rounds with the slowest-fastest round in small print, and popbridge / direct.
Every socket has a 10 s connect and a 120 s read timeout.
"""
import argparse
import base64
import socket
import statistics
import sys
import time

SMALL = 4096
BIG = 10 * 1024 * 1024


def message(size, tag):
    """A CRLF message of exactly SIZE octets (before stuffing); every 16th line starts with "."."""
    head = (f"From: <sender@bench.test>\r\nTo: <rcpt@bench.test>\r\nSubject: bench {tag}\r\n"
            f"Message-ID: <{tag}@bench.test>\r\n\r\n").encode("ascii")
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    lines = []
    for i in range(64):
        line = bytes(alphabet[(i * 7 + j * 13) % 64] for j in range(76))
        if i % 16 == 3:
            line = b"." + line[1:]
        lines.append(line + b"\r\n")
    block = b"".join(lines)
    need = size - len(head)
    body = (block * (need // len(block) + 1))[:need - 2] + b"\r\n"
    msg = head + body
    assert len(msg) == size and msg.endswith(b"\r\n")
    stuffed = msg.replace(b"\r\n.", b"\r\n..")
    if stuffed.startswith(b"."):
        stuffed = b"." + stuffed
    return len(msg), stuffed + b".\r\n"


class Session:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.settimeout(120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def reply(self, expect):
        lines = []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                raise RuntimeError(f"connection closed; expected {expect}; got {lines!r}")
            lines.append(line)
            if line[3:4] != b"-":
                break
        if not line.startswith(expect):
            raise RuntimeError(f"expected {expect!r}, got {b''.join(lines)!r}")
        return lines

    def cmd(self, line, expect):
        self.sock.sendall(line)
        return self.reply(expect)

    def login(self, user, password):
        self.reply(b"220")
        self.cmd(b"EHLO client.bench.test\r\n", b"250")
        token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode())
        self.cmd(b"AUTH PLAIN " + token + b"\r\n", b"235")

    def send(self, data):
        self.cmd(b"MAIL FROM:<sender@bench.test>\r\n", b"250")
        self.cmd(b"RCPT TO:<rcpt@bench.test>\r\n", b"250")
        self.cmd(b"DATA\r\n", b"354")
        self.sock.sendall(data)
        self.reply(b"250")

    def close(self):
        try:
            self.cmd(b"QUIT\r\n", b"221")
        finally:
            self.rfile.close()
            self.sock.close()


def logins(port, n, user, password):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        s = Session(port)
        s.login(user, password)
        times.append(time.perf_counter() - start)
        s.close()
    return times


def transfer(port, count, data, user, password):
    """Seconds to send COUNT copies of DATA on one logged-in session."""
    s = Session(port)
    s.login(user, password)
    start = time.perf_counter()
    for _ in range(count):
        s.send(data)
    elapsed = time.perf_counter() - start
    s.close()
    return elapsed


def fmt(v, digits):
    return f"{v:,.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--targets", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--small", type=int, default=500)
    ap.add_argument("--big", type=int, default=5)
    ap.add_argument("--logins", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--raw")
    a = ap.parse_args()
    targets = [(n, int(p)) for n, p in (t.split("=") for t in a.targets.split(","))]
    small_size, small = message(SMALL, "small")
    big_size, big = message(BIG, "big")
    raw = []  # (round, target, phase, value)
    sent = 0

    def run(phase, name, port, rnd):
        nonlocal sent
        if phase == "login":
            t = logins(port, a.logins, a.user, a.password)
            values = [x * 1e3 for x in t]
        elif phase == "small":
            n = a.small
            values = [n / transfer(port, n, small, a.user, a.password)]
            sent += n
        else:
            n = a.big
            values = [n * big_size / 1e6 / transfer(port, n, big, a.user, a.password)]
            sent += n
        for v in values:
            raw.append((rnd, name, phase, v))
        return values

    for i in range(a.warmup + a.rounds):
        rnd = max(0, i - a.warmup + 1)  # round 0: the unmeasured warm-up
        order = targets if i % 2 else list(reversed(targets))
        for phase in ("login", "small", "big"):
            for name, port in order:
                run(phase, name, port, rnd)
        print(f"smtp_bench: round {rnd}{' (warm-up)' if rnd == 0 else ''} done", file=sys.stderr)

    if a.raw:
        with open(a.raw, "w") as f:
            f.write("round\ttarget\tphase\tvalue\n")
            for r in raw:
                f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]:.6f}\n")

    def per_round(name, phase, agg):
        out = []
        for rnd in range(1, a.rounds + 1):
            vals = [v for r, n, p, v in raw if r == rnd and n == name and p == phase]
            out.append(agg(vals))
        return out

    rows = [
        (f"4 KB messages ({small_size:,} octets), 1 session, {a.small:,} in sequence (messages/s)",
         "small", statistics.median, 0),
        (f"10 MB messages ({big_size:,} octets), 1 session, {a.big:,} in sequence (MB/s)",
         "big", statistics.median, 0),
        (f"login: connect + greeting + EHLO + AUTH PLAIN, median of {a.logins} per round (ms)",
         "login", statistics.median, 2),
    ]
    (dname, _), (pname, _) = targets[0], targets[1]
    print("| measurement | direct | through popbridge | popbridge ÷ direct |")
    print("|---|---:|---:|---:|")
    for label, phase, agg, digits in rows:
        cells = []
        meds = []
        for name in (dname, pname):
            vals = per_round(name, phase, agg)
            med = statistics.median(vals)
            meds.append(med)
            cells.append(f"{fmt(med, digits)} <sub>({fmt(min(vals), digits)}–{fmt(max(vals), digits)})</sub>")
        print(f"| {label} | {cells[0]} | {cells[1]} | {meds[1] / meds[0]:.2f}× |")
    all_logins = {n: [v for r, t, p, v in raw if r and t == n and p == "login"] for n in (dname, pname)}
    p90 = {n: statistics.quantiles(v, n=10)[-1] for n, v in all_logins.items()}
    print(f"| login, p90 of all {len(all_logins[dname])} (ms) | {p90[dname]:.2f} | {p90[pname]:.2f} "
          f"| {p90[pname] / p90[dname]:.2f}× |")
    print(f"smtp_bench: {sent} messages sent in all", file=sys.stderr)
    print(f"SENT {sent}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
