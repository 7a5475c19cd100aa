#!/usr/bin/env python3
"""The IMAP-upstream benchmark's mailbox (bench/run-imap.sh), with bench/fill_mail.py's message
layout (stdlib only).

usage: fill_imap_mail.py WORKDIR UID GID MESSAGES
       fill_imap_mail.py --check-imap PORT WORKDIR

The first form writes the maildir of user `large` and the passwd-file:

  large   MESSAGES messages (5,000 in the benchmark): message n is 4 to 20 KiB, spread
          log-uniformly (median about 9 KiB, the same sizes on every run), except every
          1,000th from n = 500 on (500, 1500, ...), which is large: 1, 2, 4, 8, 10 MiB in turn

Files use CRLF line ends and their names carry S= and W= (both the file size), so Dovecot
learns every size from the name alone, for POP3's LIST and for IMAP's RFC822.SIZE alike.

The second form is the check that Dovecot's IMAP sees them: LOGIN, EXAMINE INBOX and
FETCH 1:* (UID RFC822.SIZE) on 127.0.0.1:PORT, then the sizes compared with the files'.
Being the first access to the mailbox, it also has Dovecot build its index (the time it
took is printed). Exit status 1 if the count or the sizes differ.
"""
import imaplib
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fill_mail  # noqa: E402  (the sibling script, for its message layout)

USER = "large"
KIB = 1024
MIB = 1024 * KIB
LARGE_MIB = [1, 2, 4, 8, 10]


def sizes(count):
    """Message n's size in octets for n = 1..COUNT, the same on every run."""
    rng = random.Random(5000)
    result = {}
    for n in range(1, count + 1):
        small = int(4 * KIB * 5 ** rng.random())  # drawn for every n, so the others stay put
        if n % 1000 == 500:
            result[n] = LARGE_MIB[(n // 1000) % len(LARGE_MIB)] * MIB
        else:
            result[n] = small
    return result


def fill(workdir, uid, gid, count):
    octets = sizes(count)
    os.makedirs(os.path.join(workdir, "mail"), exist_ok=True)
    os.chown(os.path.join(workdir, "mail"), uid, gid)
    fill_mail.mailbox(workdir, USER, count, octets.get, uid, gid)
    os.makedirs(os.path.join(workdir, "dovecot"), exist_ok=True)
    path = os.path.join(workdir, "dovecot", "users")
    with open(path, "w") as f:
        f.write(f"{USER}:{{PLAIN}}{fill_mail.PASSWORD}\n")
    os.chmod(path, 0o644)
    large = [s for s in octets.values() if s >= MIB]
    print(f"fill_imap_mail: {USER}: {count:,} messages, {sum(octets.values()) / 1e6:.1f} MB"
          f" ({len(large)} of 1 MiB or more: {sum(large) / 1e6:.1f} MB)")


def check_imap(port, workdir):
    cur = os.path.join(workdir, "mail", USER, "cur")
    files = sorted(int(re.search(r",S=(\d+)", name).group(1)) for name in os.listdir(cur))
    started = time.monotonic()
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=120)
    try:
        imap.login(USER, fill_mail.PASSWORD)
        status, data = imap.select("INBOX", readonly=True)
        if status != "OK":
            sys.exit(f"fill_imap_mail: EXAMINE INBOX: {status} {data}")
        exists = int(data[0])
        status, data = imap.fetch("1:*", "(UID RFC822.SIZE)")
        if status != "OK":
            sys.exit(f"fill_imap_mail: FETCH: {status} {data}")
        took = time.monotonic() - started
        seen = sorted(int(re.search(rb"RFC822\.SIZE (\d+)", line).group(1))
                      for line in data if line and b"RFC822.SIZE" in line)
        imap.logout()
    finally:
        try:
            imap.shutdown()
        except OSError:
            pass
    if exists != len(files) or seen != files:
        sys.exit(f"fill_imap_mail: Dovecot's IMAP lists {exists} messages ({len(seen)} sizes, {sum(seen)} octets);"
                 f" the maildir has {len(files)} files of {sum(files)} octets")
    print(f"fill_imap_mail: Dovecot's IMAP lists the {exists:,} messages of {USER} with the files' sizes"
          f" ({sum(seen) / 1e6:.1f} MB); first LOGIN + EXAMINE + FETCH 1:* (UID RFC822.SIZE), which builds"
          f" Dovecot's index: {took:.2f} s")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--check-imap":
        check_imap(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 5:
        fill(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
