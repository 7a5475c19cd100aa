#!/usr/bin/env python3
"""Writes the filter-chain benchmark's mailboxes (bench/run-filters.sh) as Dovecot maildirs
and their passwd-file, with bench/fill_mail.py's message layout (stdlib only).

usage: fill_filter_mail.py WORKDIR UID GID SCAN_BOXES SCAN_MESSAGES

  big             20 messages of 10 MiB (10,485,760 octets each)
  small           2,000 messages of 4 KiB (4,096 octets each)
  scan00..scanNN  SCAN_BOXES mailboxes of SCAN_MESSAGES messages of 4 KiB, one fresh
                  mailbox per measured first login (an empty verdict cache for that user)

Message n's header block varies so that examples/filters.yaml edits part of the mail:

  n % 4 == 1   From a blocked domain (spam.example): spam-tag tags it (score 6; with the
               lottery subject of n % 8 == 1, 9): Subject gets "[SPAM] ", and X-Spam-Flag,
               X-Spam-Score and X-Spam-Rules are set (a quarter of the messages)
  n % 3 == 0   carries an X-Internal-Trace header, which the headers filter removes
               (a third of the messages)
  otherwise    untouched: no rule hits (a good half of the messages are left as they are)

Every file still has exactly its nominal size (the X-Pad header absorbs the difference),
so LIST through chain-off equals the file size, and through chain-on LIST is the size the
filters give it; the bench client checks every RETR against LIST.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fill_mail  # noqa: E402  (the sibling script, for its message layout)

MIB = 1024 * 1024


def filtered_message(user, n, size):
    sender = "Bench <bench@example.test>"
    subject = None
    extra = ""
    if n % 4 == 1:
        sender = f"Offers <offers{n}@spam.example>"
        if n % 8 == 1:
            subject = f"You are a lottery winner, message {n} for {user}"
    if n % 3 == 0:
        extra = f"X-Internal-Trace: relay-7.internal.example id={user}-{n} hop=3\r\n"
    return fill_mail.message(user, n, size, sender=sender, subject=subject, extra=extra)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    workdir, uid, gid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    scan_boxes, scan_messages = int(sys.argv[4]), int(sys.argv[5])
    users = [("big", 20, 10 * MIB), ("small", 2000, 4096)]
    users += [(f"scan{i:02d}", scan_messages, 4096) for i in range(scan_boxes)]
    os.makedirs(os.path.join(workdir, "mail"), exist_ok=True)
    os.chown(os.path.join(workdir, "mail"), uid, gid)
    for user, count, size in users:
        fill_mail.mailbox(workdir, user, count, size, uid, gid, make=filtered_message)
    os.makedirs(os.path.join(workdir, "dovecot"), exist_ok=True)
    path = os.path.join(workdir, "dovecot", "users")
    with open(path, "w") as f:
        for user, _, _ in users:
            f.write(f"{user}:{{PLAIN}}{fill_mail.PASSWORD}\n")
    os.chmod(path, 0o644)
    total = sum(count * size for _, count, size in users)
    print(f"fill_filter_mail: {len(users)} mailboxes, {total / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
