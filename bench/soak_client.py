#!/usr/bin/env python3
"""The soak benchmark's helper (bench/soak.sh), stdlib only. Three commands:

  soak_client.py fill WORKDIR UID GID USERS MESSAGES
      Writes USERS maildirs (soak1, soak2, ...) of MESSAGES messages each, sizes spread from
      2 KiB to 50 KiB (the same for every user), and the passwd-file WORKDIR/dovecot/users;
      the messages are bench/fill_mail.py's (CRLF, no line starting with "."), so RETR
      serves exactly LIST's size. Every password is "bench-secret".

  soak_client.py prime PORT
      One login with the badpass session's user and wrong password straight to Dovecot's
      POP3 PORT, then 16 s of waiting: Dovecot's per-address auth penalty then knows the
      pair and has decayed to 0, and repeating the pair never raises it again (see badpass).

  soak_client.py run --pop3 PORT --smtp PORT --users N --minutes M [--workers 8]
                     [--seed 1] [--counts FILE]
      Talks to popbridge on 127.0.0.1 for M minutes with WORKERS threads (at least 3). A
      quarter of them (at least one) hold idle connections, one tries wrong passwords, and
      the others run, one after the other, sessions drawn at random (weights in KINDS) from:
        pop3        USER/PASS, STAT, LIST, RETR of 1 to 3 messages (octets checked against
                    LIST), QUIT
        dropretr    logs in, RETR of a message of at least 8 KiB, reads 0 to 4 KiB of it
                    and vanishes (half of them with a TCP reset)
        garbage     no login: lines that are not POP3 (a TLS ClientHello, NUL and 8-bit
                    octets, a 300-octet line, commands of other protocols), each answered
                    -ERR: 1 to 8 then QUIT, or 11 unknown commands in a row and popbridge
                    must close; or an HTTP request (one -ERR, then closed); or a partial
                    line and a vanishing client
        smtp        EHLO, AUTH PLAIN, 1 to 3 messages of 4 KiB (MAIL, RCPT, DATA, "."), QUIT
        smtpdrop    logs in, MAIL, RCPT, DATA, part of a 4 KiB message and vanishes
      The idle workers run
        idle        connects, reads the greeting (or not), holds the connection 1 to 5 s
                    without a command and vanishes
      and the wrong-password worker
        badpass     a wrong password (1 or 2 times, then QUIT; or 3 times, and popbridge
                    must close the connection); a worker of its own because Dovecot answers
                    each failure after 0.5 s at best (its failure queue). Always the same
                    user and wrong password: Dovecot's per-address auth penalty counts that
                    pair once (after "prime"), while other failures from 127.0.0.1 (popbridge's
                    address, to Dovecot) would make every next login, good ones too, wait 4
                    to 15 s
      Every socket has a 10 s connect and a 30 s read timeout; a session that does not go
      as described counts as an error (the first distinct ones are printed). Prints a
      Markdown table of the counts on stdout, progress every minute on stderr, and
      "SENT N" (SMTP messages the client saw accepted) on stderr. Exits 1 if any error.

  soak_client.py report --samples FILE --minutes M --workers W
      Reads soak.sh's samples (TSV: label, elapsed_s, then one column per measure) and
      prints the Markdown table of first third, middle, last and the verdicts.
"""
import argparse
import base64
import collections
import os
import random
import socket
import struct
import sys
import threading
import time

PASSWORD = "bench-secret"
WRONG = "wrong-bench-secret"  # the same every time (see badpass above)
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30


# --- fill ---------------------------------------------------------------------------

def message_size(n):
    """Message n's size: 2 KiB to 50 KiB, spread over the mailbox."""
    return 2048 + (n * 37 % 49) * 1024


def fill(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fill_mail  # bench/fill_mail.py

    workdir, uid, gid = args.workdir, args.uid, args.gid
    os.makedirs(os.path.join(workdir, "mail"), exist_ok=True)
    os.chown(os.path.join(workdir, "mail"), uid, gid)
    users = [f"soak{i}" for i in range(1, args.users + 1)]
    for user in users:
        fill_mail.mailbox(workdir, user, args.messages, message_size, uid, gid)
    os.makedirs(os.path.join(workdir, "dovecot"), exist_ok=True)
    path = os.path.join(workdir, "dovecot", "users")
    with open(path, "w") as f:
        for user in users:
            f.write(f"{user}:{{PLAIN}}{PASSWORD}\n")
    os.chmod(path, 0o644)
    total = sum(message_size(n) for n in range(1, args.messages + 1))
    print(f"soak_client: {len(users)} mailboxes of {args.messages} messages "
          f"({total / 1e6:.1f} MB each)", file=sys.stderr)


# --- sessions -----------------------------------------------------------------------

class Unexpected(Exception):
    """The server did not answer as a session of this kind expects."""


class Conn:
    def __init__(self, port, read_timeout=READ_TIMEOUT):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT)
        self.sock.settimeout(read_timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def line(self):
        line = self.rfile.readline(8192)
        if not line:
            raise Unexpected("connection closed")
        return line

    def expect(self, prefix, what):
        line = self.line()
        if not line.startswith(prefix):
            raise Unexpected(f"{what}: {line[:80]!r}")
        return line

    def send(self, data):
        self.sock.sendall(data)

    def eof(self, max_lines=50):
        """True if the server closes the connection within MAX_LINES more lines."""
        for _ in range(max_lines):
            try:
                line = self.rfile.readline(8192)
            except ConnectionResetError:
                return True
            if not line:
                return True
        return False

    def close(self, reset=False):
        try:
            if reset:
                # SO_LINGER 0: close() sends a reset, as a client that crashed or lost its
                # network would look to popbridge.
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
        finally:
            self.sock.close()


def pop3_login(c, user, password=PASSWORD):
    c.expect(b"+OK", "greeting")
    c.send(f"USER {user}\r\n".encode())
    c.expect(b"+OK", "USER")
    c.send(f"PASS {password}\r\n".encode())
    return c.line()


def pop3_list(c):
    c.send(b"LIST\r\n")
    c.expect(b"+OK", "LIST")
    sizes = {}
    for _ in range(100000):
        line = c.line()
        if line == b".\r\n":
            return sizes
        n, size = line.split()
        sizes[int(n)] = int(size)
    raise Unexpected("LIST did not end")


def pop3_retr(c, n, size):
    c.send(f"RETR {n}\r\n".encode())
    c.expect(b"+OK", f"RETR {n}")
    got = 0
    for _ in range(size + 10):
        line = c.line()
        if line == b".\r\n":
            if got != size:
                raise Unexpected(f"RETR {n}: {got} octets, LIST said {size}")
            return got
        got += len(line) - (1 if line.startswith(b"..") else 0)
    raise Unexpected(f"RETR {n} did not end")


def s_pop3(ctx, rnd):
    c = Conn(ctx.pop3)
    try:
        reply = pop3_login(c, rnd.choice(ctx.users))
        if not reply.startswith(b"+OK"):
            raise Unexpected(f"PASS: {reply[:80]!r}")
        c.send(b"STAT\r\n")
        stat = c.expect(b"+OK", "STAT").split()
        sizes = pop3_list(c)
        if int(stat[1]) != len(sizes):
            raise Unexpected(f"STAT says {stat[1]} messages, LIST {len(sizes)}")
        octets = 0
        picks = rnd.sample(sorted(sizes), min(len(sizes), rnd.randint(1, 3)))
        for n in picks:
            octets += pop3_retr(c, n, sizes[n])
        c.send(b"QUIT\r\n")
        c.expect(b"+OK", "QUIT")
        ctx.add("messages retrieved", len(picks))
        ctx.add("octets retrieved", octets)
    finally:
        c.close()


def s_badpass(ctx, rnd):
    c = Conn(ctx.pop3, READ_TIMEOUT * 2)  # Dovecot's penalty: up to 15 s a failure
    try:
        user = ctx.users[0]
        tries = rnd.choice((1, 1, 2, 3))
        for i in range(tries):
            if i == 0:
                reply = pop3_login(c, user, WRONG)
            else:
                c.send(f"USER {user}\r\n".encode())
                c.expect(b"+OK", "USER")
                c.send(f"PASS {WRONG}\r\n".encode())
                reply = c.line()
            if not reply.startswith(b"-ERR"):
                raise Unexpected(f"wrong password answered {reply[:80]!r}")
        if tries == 3:
            # auth-failures (3): the third failure closes the session.
            if not c.eof():
                raise Unexpected("still open after 3 failed logins")
            ctx.add("closed after 3 failed logins")
        else:
            c.send(b"QUIT\r\n")
            c.expect(b"+OK", "QUIT")
    finally:
        c.close()


def s_dropretr(ctx, rnd):
    c = Conn(ctx.pop3)
    reset = rnd.random() < 0.5
    try:
        reply = pop3_login(c, rnd.choice(ctx.users))
        if not reply.startswith(b"+OK"):
            raise Unexpected(f"PASS: {reply[:80]!r}")
        sizes = pop3_list(c)
        big = [n for n, s in sizes.items() if s >= 8192]
        n = rnd.choice(big or sorted(sizes))
        c.send(f"RETR {n}\r\n".encode())
        want = rnd.choice((0, 1, 1024, 4096))
        if want:
            c.expect(b"+OK", f"RETR {n}")
            got = 0
            while got < want:
                got += len(c.line())
    finally:
        c.close(reset)


GARBAGE = [
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(0x21, 0x40)),
    b"STARTTLS",
    b"EHLO attacker.example",
    b"\x00\x00\x00\x00",
    b"\xff\xfe\xfd USER root",
    b"A" * 300,
    b"RETR 1",
    b"LIST",
    b"<?xml version='1.0'?>",
    b"%s%s%s%n",
]
# Lines every one of which counts as a protocol error (the close after 11 in a row).
UNKNOWN = [b"STARTTLS", b"EHLO attacker.example", b"XYZZY", b"%s%s%s%n", b"RETR 1", b"LIST"]


def s_garbage(ctx, rnd):
    c = Conn(ctx.pop3)
    mode = rnd.random()
    try:
        c.expect(b"+OK", "greeting")
        if mode < 0.15:
            # A partial line, then the client vanishes.
            c.send(bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 200))))
            c.close(rnd.random() < 0.5)
            ctx.add("garbage: partial line and gone")
            return
        if mode < 0.3:
            # HTTP on the POP3 port (ALPACA): one -ERR, then popbridge closes.
            c.send(b"GET / HTTP/1.1\r\nHost: mail.example.com\r\n\r\n")
            c.expect(b"-ERR", "HTTP request line")
            if not c.eof():
                raise Unexpected("still open after an HTTP request")
            ctx.add("garbage: HTTP, closed")
            return
        count = rnd.randint(1, 8) if mode < 0.7 else 11
        for i in range(count):
            c.send(rnd.choice(GARBAGE if count < 11 else UNKNOWN) + b"\r\n")
            try:
                reply = c.line()
            except Unexpected:
                raise Unexpected(f"closed after {i} garbage lines")
            if not reply.startswith(b"-ERR"):
                raise Unexpected(f"garbage answered {reply[:80]!r}")
        if count == 11:
            # protocol-errors (10): the 11th error's reply closes the connection.
            if not c.eof():
                raise Unexpected("still open after 11 unknown commands")
            ctx.add("garbage: 11 unknown commands, closed")
        else:
            c.send(b"QUIT\r\n")
            c.expect(b"+OK", "QUIT")
    finally:
        c.close()


def smtp_reply(c, code, what):
    for _ in range(100):
        line = c.line()
        if not line.startswith(code):
            raise Unexpected(f"{what}: {line[:80]!r}")
        if line[3:4] != b"-":
            return
    raise Unexpected(f"{what}: reply too long")


def smtp_login(c, user):
    smtp_reply(c, b"220", "greeting")
    c.send(b"EHLO soak.bench.test\r\n")
    smtp_reply(c, b"250", "EHLO")
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + PASSWORD.encode())
    c.send(b"AUTH PLAIN " + token + b"\r\n")
    smtp_reply(c, b"235", "AUTH")


def smtp_envelope(c):
    c.send(b"MAIL FROM:<soak@bench.test>\r\n")
    smtp_reply(c, b"250", "MAIL")
    c.send(b"RCPT TO:<rcpt@bench.test>\r\n")
    smtp_reply(c, b"250", "RCPT")
    c.send(b"DATA\r\n")
    smtp_reply(c, b"354", "DATA")


def smtp_message(tag):
    """A 4,096-octet CRLF message, dot-stuffed, with the final "."; every 16th line starts
    with "."."""
    head = (f"From: <soak@bench.test>\r\nTo: <rcpt@bench.test>\r\nSubject: soak {tag}\r\n"
            f"Message-ID: <{tag}@soak.bench.test>\r\n\r\n").encode()
    lines = []
    for i in range(64):
        line = bytes(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7 + j * 13) % 64]
                     for j in range(76))
        lines.append((b"." + line[1:] if i % 16 == 3 else line) + b"\r\n")
    body = b"".join(lines) * 2
    msg = head + body[:4096 - len(head) - 2] + b"\r\n"
    assert len(msg) == 4096
    return msg.replace(b"\r\n.", b"\r\n..") + b".\r\n"


def s_smtp(ctx, rnd):
    c = Conn(ctx.smtp)
    try:
        smtp_login(c, rnd.choice(ctx.users))
        for _ in range(rnd.randint(1, 3)):
            smtp_envelope(c)
            c.send(ctx.message)
            smtp_reply(c, b"250", "end of data")
            ctx.add("SMTP messages accepted")
        c.send(b"QUIT\r\n")
        smtp_reply(c, b"221", "QUIT")
    finally:
        c.close()


def s_smtpdrop(ctx, rnd):
    c = Conn(ctx.smtp)
    try:
        smtp_login(c, rnd.choice(ctx.users))
        smtp_envelope(c)
        c.send(ctx.message[:rnd.randint(0, len(ctx.message) - 10)])
    finally:
        c.close(rnd.random() < 0.5)


def s_idle(ctx, rnd):
    c = Conn(ctx.pop3)
    try:
        if rnd.random() < 0.5:
            c.expect(b"+OK", "greeting")
        # Holds the connection without a command; bounded by the soak's end.
        time.sleep(max(0.0, min(rnd.uniform(1, 5), ctx.deadline - time.monotonic())))
    finally:
        c.close(rnd.random() < 0.5)


# kind: (function, weight among the busy workers, what it is)
KINDS = {
    "pop3": (s_pop3, 35, "POP3 session: login, STAT, LIST, RETR 1–3, QUIT"),
    "badpass": (s_badpass, 0, "wrong password 1–2 times then QUIT, or 3 times (closed); its own worker"),
    "dropretr": (s_dropretr, 10, "login, RETR, client vanishes after 0–4 KiB (half with RST)"),
    "garbage": (s_garbage, 10, "no login: non-POP3 lines then QUIT, 11 unknown commands (closed), HTTP (closed), or a partial line and gone"),
    "smtp": (s_smtp, 25, "SMTP: EHLO, AUTH, 1–3 messages of 4 KiB, QUIT"),
    "smtpdrop": (s_smtpdrop, 10, "SMTP: login, MAIL, RCPT, DATA, client vanishes mid-message"),
    "idle": (s_idle, 0, "connects, no command, held 1–5 s, vanishes; idle workers only"),
}


class Ctx:
    def __init__(self, a):
        self.pop3, self.smtp = a.pop3, a.smtp
        self.users = [f"soak{i}" for i in range(1, a.users + 1)]
        self.deadline = time.monotonic() + a.minutes * 60
        self.message = smtp_message("soak")
        self.lock = threading.Lock()
        self.sessions = collections.Counter()
        self.errors = collections.Counter()
        self.extra = collections.Counter()
        self.error_texts = collections.Counter()

    def add(self, what, n=1):
        with self.lock:
            self.extra[what] += n


def worker(ctx, seed, role):
    """ROLE: "idle", "badpass", or None for the weighted mix."""
    rnd = random.Random(seed)
    names = [k for k in KINDS if KINDS[k][1] > 0]
    weights = [KINDS[k][1] for k in names]
    for _ in range(10_000_000):
        if time.monotonic() >= ctx.deadline:
            return
        kind = role or rnd.choices(names, weights)[0]
        try:
            KINDS[kind][0](ctx, rnd)
            failed = None
        except (Unexpected, OSError, ValueError, IndexError) as e:
            failed = f"{kind}: {type(e).__name__}: {e}"[:160]
        with ctx.lock:
            ctx.sessions[kind] += 1
            if failed:
                ctx.errors[kind] += 1
                ctx.error_texts[failed] += 1
        if failed:
            time.sleep(0.2)  # no tight loop if the proxy is gone


def run(a):
    ctx = Ctx(a)
    idle_workers = max(1, a.workers // 4)
    roles = ["idle"] * idle_workers + ["badpass"] + [None] * (a.workers - idle_workers - 1)
    threads = [threading.Thread(target=worker, args=(ctx, a.seed * 1000 + i, role), daemon=True)
               for i, role in enumerate(roles)]
    start = time.monotonic()
    for t in threads:
        t.start()
    next_note = start + 60
    while any(t.is_alive() for t in threads):
        if time.monotonic() > ctx.deadline + 120:
            print("soak_client: workers still running 120 s after the end; giving up on them", file=sys.stderr)
            with ctx.lock:
                ctx.errors["(stuck)"] += 1
                ctx.error_texts["a worker was still running 120 s after the end"] += 1
            break
        time.sleep(0.5)
        if time.monotonic() >= next_note:
            next_note += 60
            with ctx.lock:
                total, errors = sum(ctx.sessions.values()), sum(ctx.errors.values())
            print(f"soak_client: {(time.monotonic() - start) / 60:.0f} min: {total} sessions, "
                  f"{errors} errors", file=sys.stderr)
    elapsed = time.monotonic() - start
    with ctx.lock:
        sessions, errors = dict(ctx.sessions), dict(ctx.errors)
        extra, texts = dict(ctx.extra), ctx.error_texts.most_common(8)
    total, total_errors = sum(sessions.values()), sum(errors.values())

    print(f"| session kind | what the client does | sessions | errors |")
    print("|---|---|---:|---:|")
    for kind, (_, _, what) in KINDS.items():
        print(f"| {kind} | {what} | {sessions.get(kind, 0):,} | {errors.get(kind, 0):,} |")
    if "(stuck)" in errors:
        print(f"| (stuck) | a worker did not finish | | {errors['(stuck)']} |")
    print(f"| **all** | {a.workers} workers ({idle_workers} idle, 1 wrong passwords), {elapsed / 60:.1f} min, "
          f"{total / elapsed:.0f} sessions/s | **{total:,}** | **{total_errors:,}** |")
    print()
    print("Also counted: " + "; ".join(f"{k} {v:,}" for k, v in sorted(extra.items())) + ".")
    if texts:
        print()
        print("First kinds of error (count):")
        print()
        print("```")
        for text, n in texts:
            print(f"{n:6d}  {text}")
        print("```")
    if a.counts:
        with open(a.counts, "w") as f:
            f.write("kind\tsessions\terrors\n")
            for kind in KINDS:
                f.write(f"{kind}\t{sessions.get(kind, 0)}\t{errors.get(kind, 0)}\n")
            for k, v in sorted(extra.items()):
                f.write(f"{k}\t{v}\t\n")
    print(f"soak_client: {total} sessions, {total_errors} errors in {elapsed:.0f} s", file=sys.stderr)
    print(f"SENT {extra.get('SMTP messages accepted', 0)}", file=sys.stderr)
    return 1 if total_errors else 0


def prime(a):
    c = Conn(a.port)
    try:
        reply = pop3_login(c, "soak1", WRONG)
        if not reply.startswith(b"-ERR"):
            raise Unexpected(f"wrong password answered {reply[:80]!r}")
        c.send(b"QUIT\r\n")
        c.line()
    finally:
        c.close()
    # Dovecot's penalty decays after 15 s without a new failure (AUTH_PENALTY_MAX_SECS).
    time.sleep(16)
    return 0


# --- report -------------------------------------------------------------------------

def report(a):
    with open(a.samples) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]
    load = [r for r in rows if r["label"] == "load"]
    before = next((r for r in rows if r["label"] == "idle-before"), None)
    after = next((r for r in rows if r["label"] == "idle-after"), None)
    if len(load) < 3:
        print(f"Only {len(load)} samples under load; no verdict.")
        return 1
    duration = a.minutes * 60

    def nearest(t):
        return min(load, key=lambda r: abs(float(r["elapsed_s"]) - t))

    ref, mid, last = nearest(duration / 3), nearest(duration / 2), load[-1]
    if ref is last:
        ref = load[-2]
    tail = [r for r in load if float(r["elapsed_s"]) >= float(ref["elapsed_s"])]
    fd_margin = 2 * a.workers + 4
    # column, label, unit divisor, unit, relative margin, absolute margin (column units)
    measures = [
        ("heap_used_kb", "heap used after a full GC", 1024, "MB", 0.10, 4096),
        ("other_kb", "NMT Other (direct buffers), committed", 1024, "MB", 0.10, 4096),
        ("native_kb", "NMT committed, not Java heap nor JIT arenas", 1024, "MB", 0.05, 8192),
        ("metaspace_kb", "metaspace used", 1024, "MB", 0.10, 1024),
        ("fds", "open descriptors", 1, "", 0.10, fd_margin),
        ("threads", "threads", 1, "", 0.10, 2),
        ("code_kb", "NMT Code (JIT code cache), for reference", 1024, "MB", None, None),
        ("rss_kb", "RSS, for reference", 1024, "MB", None, None),
    ]

    def fmt(r, col, div):
        if r is None or r.get(col, "") in ("", "?"):
            return "?"
        v = float(r[col]) / div
        return f"{v:,.1f}" if div > 1 else f"{v:,.0f}"

    def slope(col):
        pts = [(float(r["elapsed_s"]), float(r[col])) for r in tail if r.get(col, "") not in ("", "?")]
        if len(pts) < 2:
            return None
        mx = sum(p[0] for p in pts) / len(pts)
        my = sum(p[1] for p in pts) / len(pts)
        den = sum((p[0] - mx) ** 2 for p in pts)
        return sum((p[0] - mx) * (p[1] - my) for p in pts) / den * 3600 if den else None

    t = lambda r: f"{float(r['elapsed_s']):.0f} s"
    print(f"| measure | idle, before | ⅓: {t(ref)} (reference) | ½: {t(mid)} | last: {t(last)} "
          f"| max under load | idle, after | trend from ⅓, per hour | verdict (last vs ⅓) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    all_flat = True
    for col, label, div, unit, rel, absm in measures:
        vals = [float(r[col]) for r in load if r.get(col, "") not in ("", "?")]
        mx = f"{max(vals) / div:,.1f}" if vals and div > 1 else (f"{max(vals):,.0f}" if vals else "?")
        s = slope(col)
        trend = "?" if s is None else (f"{s / div:+,.1f}" if div > 1 else f"{s:+,.1f}")
        if rel is None:
            verdict = ""
        elif ref.get(col, "") in ("", "?") or last.get(col, "") in ("", "?"):
            verdict = "? (not sampled)"
            all_flat = False
        else:
            r0, r1 = float(ref[col]), float(last[col])
            margin = max(rel * r0, absm)
            m = f"{margin / div:,.1f} {unit}".strip() if div > 1 else f"{margin:,.0f}"
            if r1 - r0 <= margin:
                verdict = f"flat (±{m})"
            else:
                verdict = f"**grew** (+{(r1 - r0) / div:,.1f} {unit}, margin {m})".replace(" ,", ",")
                all_flat = False
        name = f"{label} ({unit})" if unit else label
        print(f"| {name} | {fmt(before, col, div)} | {fmt(ref, col, div)} | {fmt(mid, col, div)} "
              f"| {fmt(last, col, div)} | {mx} | {fmt(after, col, div)} | {trend} | {verdict} |")
    print()
    print(f"VERDICT {'flat' if all_flat else 'grew'}", file=sys.stderr)
    return 0 if all_flat else 1


def main():
    ap = argparse.ArgumentParser(description="the soak benchmark's helper (bench/soak.sh)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fill")
    f.add_argument("workdir")
    f.add_argument("uid", type=int)
    f.add_argument("gid", type=int)
    f.add_argument("users", type=int)
    f.add_argument("messages", type=int)
    r = sub.add_parser("run")
    r.add_argument("--pop3", type=int, required=True)
    r.add_argument("--smtp", type=int, required=True)
    r.add_argument("--users", type=int, required=True)
    r.add_argument("--minutes", type=float, required=True)
    r.add_argument("--workers", type=int, default=8)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--counts")
    q = sub.add_parser("prime")
    q.add_argument("port", type=int)
    p = sub.add_parser("report")
    p.add_argument("--samples", required=True)
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--workers", type=int, default=8)
    a = ap.parse_args()
    return {"fill": fill, "prime": prime, "run": run, "report": report}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
