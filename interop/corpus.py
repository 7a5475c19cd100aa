#!/usr/bin/env python3
"""Writes the interop mail corpus into Dovecot maildirs (stdlib only).

usage: corpus.py WORKDIR

alice gets the tricky messages (dot lines, 8-bit bytes, a 998-octet line, no final
newline, a large base64 attachment, a big header block, headers only) and a few
ordinary ones; bob gets small ordinary messages for the destructive checks; frank@pop.test
(the routes group's user, whose name has a domain) gets a copy of alice's messages.
Files use LF line ends, as maildir does; Dovecot serves them with CRLF.
Each message carries an "X-Corpus: LABEL" header so checks can name it.
"""
import base64
import os
import random
import sys

DATE = "Date: Mon, 20 Nov 2023 10:00:00 +0000\n"


def headers(label, subject, extra=""):
    return (
        f"Return-Path: <sender@example.test>\n"
        f"From: Sender <sender@example.test>\n"
        f"To: Alice <alice@example.test>\n"
        f"Subject: {subject}\n"
        f"{DATE}"
        f"Message-ID: <{label}@corpus.popbridge.test>\n"
        f"X-Corpus: {label}\n"
        f"{extra}"
    ).encode("ascii")


def ordinary(label, n):
    body = "".join(f"Line {i} of an ordinary message number {n}.\n" for i in range(1, 8))
    return headers(label, f"Ordinary message {n}") + b"\n" + body.encode("ascii")


def dot_lines():
    body = (
        b"The next lines start with dots.\n"
        b".\n"
        b"..\n"
        b"...\n"
        b".hidden line after a dot\n"
        b". space after a dot\n"
        b".\t tab after a dot\n"
        b"\n"
        b".\n"
        b"\n"
        b"a line with a dot in the middle . of it\n"
        b"line before a lone dot\n"
        b".\n"
        b"..\n"
        b".\n"
    )
    return headers("dot-lines", "Lines that start with dots") + b"\n" + body


def eight_bit():
    extra = (
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    high = bytes(range(0x80, 0x100))
    controls = bytes(b for b in range(0x01, 0x20) if b not in (0x0A, 0x0D)) + b"\x7f"
    body = (
        b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade.\n"
        b"All high octets: " + high + b"\n"
        b"Again split: " + high[:64] + b"\n" + high[64:] + b"\n"
        b"Control octets: " + controls + b"\n"
        b".\xe9 a dot line with 8-bit data\n"
        b"\xff\xfe\xfd\n"
        b"end\n"
    )
    return headers("eight-bit", "8-bit body octets", extra) + b"\n" + body


def long_line():
    line = (b"0123456789abcdefghijklmnopqrstuvwxyz" * 28)[:998]
    dotted = b"." + line[:997]
    assert len(line) == 998 and len(dotted) == 998
    body = b"A 998-octet line follows.\n" + line + b"\n" + dotted + b"\nend\n"
    return headers("long-line-998", "998-octet lines") + b"\n" + body


def no_final_newline():
    return (headers("no-final-newline", "Last line has no newline") + b"\n"
            + b"First line.\nThe last line has no final newline.")


def no_final_newline_dot():
    return (headers("no-final-newline-dot", "Last line is a dot without newline") + b"\n"
            + b"Next and last line is a lone dot without a newline.\n.")


def headers_only():
    # No empty line and no body at all.
    return headers("headers-only", "Headers and no body")


def empty_body():
    return headers("empty-body", "Empty body") + b"\n"


def big_headers():
    rng = random.Random(7)
    received = b"".join(
        b"Received: from relay%d.example.test (relay%d.example.test [192.0.2.%d])\n"
        b"\tby mx.example.test with ESMTPS id %08x\n"
        b"\tfor <alice@example.test>; Mon, 20 Nov 2023 09:%02d:00 +0000\n"
        % (i, i, i % 250 + 1, rng.getrandbits(32), i % 60)
        for i in range(1500)
    )
    return (headers("big-headers", "A header block of about 200 kB") + received
            + b"\nBody after a big header block.\n")


def dots_heavy():
    # Many short dot-prefixed lines of random length, so stuffed dots and line ends
    # land on every possible chunk boundary somewhere in the ~1.5 MB body.
    rng = random.Random(42)
    alphabet = b".abc\t -xyz"
    lines = []
    size = 0
    while size < 1_500_000:
        n = rng.randrange(0, 120)
        line = b"." * rng.randrange(0, 4) + bytes(rng.choice(alphabet) for _ in range(n))
        lines.append(line)
        size += len(line) + 1
    return headers("dots-heavy", "Many lines starting with dots") + b"\n" + b"\n".join(lines) + b"\n"


def big_attachment():
    rng = random.Random(1234)
    payload = rng.randbytes(10 * 1024 * 1024)
    b64 = base64.encodebytes(payload)  # 76-char lines, LF ends
    extra = (
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="=-=popbridge-boundary=-="\n'
    )
    return (headers("attachment-10mb", "10 MB base64 attachment", extra) + b"\n"
            + b"This is a multi-part message in MIME format.\n\n"
            + b"--=-=popbridge-boundary=-=\n"
            + b"Content-Type: text/plain; charset=us-ascii\n\n"
            + b"See the attached blob.\n\n"
            + b"--=-=popbridge-boundary=-=\n"
            + b"Content-Type: application/octet-stream\n"
            + b'Content-Disposition: attachment; filename="blob.bin"\n'
            + b"Content-Transfer-Encoding: base64\n\n"
            + b64
            + b"--=-=popbridge-boundary=-=--\n")


ALICE = [
    lambda: ordinary("ordinary-1", 1),
    dot_lines,
    eight_bit,
    long_line,
    no_final_newline,
    lambda: ordinary("ordinary-2", 2),
    no_final_newline_dot,
    headers_only,
    empty_body,
    big_headers,
    dots_heavy,
    big_attachment,
    lambda: ordinary("ordinary-3", 3),
]

BOB = [lambda i=i: ordinary(f"bob-{i}", i) for i in range(1, 9)]


def write_maildir(root, messages, owner):
    for sub in ("", "new", "cur", "tmp"):
        path = os.path.join(root, sub)
        os.makedirs(path, exist_ok=True)
        if owner:
            os.chown(path, *owner)
    # Dovecot gives new mail UIDs in file-name order; increasing times keep it stable.
    for i, make in enumerate(messages, start=1):
        name = f"{1700000000 + i}.M{i}P1.popbridge-corpus"
        path = os.path.join(root, "new", name)
        with open(path, "wb") as f:
            f.write(make())
        if owner:
            os.chown(path, *owner)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: corpus.py WORKDIR")
    mail = os.path.join(sys.argv[1], "mail")
    os.makedirs(mail, exist_ok=True)
    st = os.stat(mail)
    # Files belong to whoever owns mail/ (the unprivileged mail user dovecot.sh made).
    owner = (st.st_uid, st.st_gid) if os.geteuid() == 0 else None
    write_maildir(os.path.join(mail, "alice"), ALICE, owner)
    write_maildir(os.path.join(mail, "bob"), BOB, owner)
    write_maildir(os.path.join(mail, "frank@pop.test"), ALICE, owner)


if __name__ == "__main__":
    main()
