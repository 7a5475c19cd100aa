#!/usr/bin/env python3
"""Writes the benchmark's mailboxes as Dovecot maildirs and their passwd-file (stdlib only).

usage: fill_mail.py WORKDIR UID GID [CROWD_USERS]

  big         20 messages of 10 MiB (10,485,760 octets each)
  small       2,000 messages of 4 KiB (4,096 octets each)
  lat         10 messages of 4 KiB, for the NOOP/STAT round trips
  crowd0000.. one mailbox per concurrent session (1,000 by default), 5 messages of 4 KiB each

Files use CRLF line ends, so the octets RETR serves equal the file size and LIST; the
file names carry S= and W= so Dovecot need not read the files to learn their sizes. Bodies
are base64-alphabet lines: no line starts with a dot, so nothing is dot-stuffed.
Every user's password is "bench-secret".
"""
import os
import sys

PASSWORD = "bench-secret"
MIB = 1024 * 1024

# 64 distinct 76-character lines, cycled; content does not matter (nothing compresses).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
LINES = [
    "".join(ALPHABET[(i * 7 + j * 13) % 64] for j in range(76)).encode("ascii") + b"\r\n"
    for i in range(64)
]
BLOCK = b"".join(LINES)  # 64 lines, 4,992 octets


def message(user, n, size, sender="Bench <bench@example.test>", subject=None, extra=""):
    """One message of exactly SIZE octets; SENDER, SUBJECT and EXTRA (header lines, CRLF
    ended) let bench/fill_filter_mail.py vary the header block."""
    if subject is None:
        subject = f"benchmark message {n} for {user}"
    head = (
        f"Return-Path: <bench@example.test>\r\n"
        f"From: {sender}\r\n"
        f"To: {user} <{user}@example.test>\r\n"
        f"Subject: {subject}\r\n"
        f"Date: Mon, 20 Nov 2023 10:00:00 +0000\r\n"
        f"Message-ID: <{user}.{n}@bench.popbridge.test>\r\n"
        f"{extra}"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=us-ascii\r\n"
    ).encode("ascii")
    line = len(LINES[0])
    room = size - len(head) - 2 - 12  # 2 for the blank line, at least 12 for the X-Pad header
    if room < 0:
        raise ValueError(f"message size {size} is too small")
    lines = room // line
    pad = size - len(head) - 2 - lines * line  # X-Pad header line, CRLF included, >= 12
    head += b"X-Pad: " + b"x" * (pad - 9) + b"\r\n"
    body = BLOCK * (lines // 64) + b"".join(LINES[: lines % 64])
    data = head + b"\r\n" + body
    assert len(data) == size, (len(data), size)
    return data


def mailbox(workdir, user, count, size, uid, gid, make=message):
    """Writes USER's maildir; SIZE is every message's size in octets, or a function giving
    message n's (bench/fill_imap_mail.py); MAKE(user, n, size) gives message n's octets."""
    base = os.path.join(workdir, "mail", user)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    for n in range(1, count + 1):
        octets = size(n) if callable(size) else size
        data = make(user, n, octets)
        name = f"{1700000000 + n}.M{n}P1.bench,S={octets},W={octets}:2,S"
        path = os.path.join(base, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        os.chown(path, uid, gid)
    for root, dirs, _ in os.walk(base):
        os.chown(root, uid, gid)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    workdir, uid, gid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    crowd = int(sys.argv[4]) if len(sys.argv) == 5 else 1000
    users = [("big", 20, 10 * MIB), ("small", 2000, 4096), ("lat", 10, 4096)]
    users += [(f"crowd{i:04d}", 5, 4096) for i in range(crowd)]
    os.makedirs(os.path.join(workdir, "mail"), exist_ok=True)
    os.chown(os.path.join(workdir, "mail"), uid, gid)
    for user, count, size in users:
        mailbox(workdir, user, count, size, uid, gid)
    os.makedirs(os.path.join(workdir, "dovecot"), exist_ok=True)
    path = os.path.join(workdir, "dovecot", "users")
    with open(path, "w") as f:
        for user, _, _ in users:
            f.write(f"{user}:{{PLAIN}}{PASSWORD}\n")
    os.chmod(path, 0o644)
    total = sum(count * size for _, count, size in users)
    print(f"fill_mail: {len(users)} mailboxes, {total / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
