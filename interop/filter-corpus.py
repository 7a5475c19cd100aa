#!/usr/bin/env python3
"""Seeds carol's maildir for the filter group from scratch (stdlib only).

usage: filter-corpus.py WORKDIR

Removes WORKDIR/mail/carol (messages, Dovecot's index and uidlist) and writes it again,
so every run of the group, and every reset inside it, starts from the same mailbox:
first the messages the filters of interop/filters.yaml act on, then alice's tricky corpus
(corpus.py), which no filter matches and which must pass byte for byte.
Every message carries "X-Corpus: LABEL"; the filter-* labels are:

  filter-clean           no rule matches: delivered untouched
  filter-blocked-sender  From an address at spam.example: score 6, tagged
  filter-spam-flag       X-Spam-Flag: YES from the upstream scanner: score 10, tagged
  filter-quarantine      Subject contains "QUARANTINE": hidden from the client
  filter-internal-trace  two X-Internal-Trace fields (one folded): both removed
  filter-flag-and-sender X-Spam-Flag: yes and From a subdomain of spam.example, a folded
                         Subject and dot lines in the body: score 16, both rules, tagged

The hidden message sits before other visible ones, so the client's numbers differ from
Dovecot's after it.
"""
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

DATE = "Date: Tue, 21 Nov 2023 08:30:00 +0000\n"


def message(label, sender, subject, extra="", body=None):
    address = sender[sender.index("<") + 1:-1]
    head = (
        f"Return-Path: <{address}>\n"
        f"From: {sender}\n"
        f"To: Carol <carol@example.test>\n"
        f"Subject: {subject}\n"
        f"{DATE}"
        f"Message-ID: <{label}@filters.popbridge.test>\n"
        f"X-Corpus: {label}\n"
        f"{extra}"
    ).encode("ascii")
    if body is None:
        body = f"This is the {label} message.\nIt has two lines.\n".encode("ascii")
    return head + b"\n" + body


FILTER_MESSAGES = [
    lambda: message("filter-clean", "Friend <friend@example.test>", "Lunch on Friday?"),
    lambda: message("filter-blocked-sender", "Offers <offers@spam.example>", "Cheap watches"),
    lambda: message("filter-spam-flag", "Someone <someone@example.test>", "Scanner says spam",
                    "X-Spam-Flag: YES\nX-Spam-Status: Yes, score=9.1\n"),
    lambda: message("filter-quarantine", "Postmaster <postmaster@example.test>",
                    "Message held in QUARANTINE for review"),
    lambda: message("filter-internal-trace", "Colleague <colleague@example.test>", "Trace me not",
                    "X-Internal-Trace: hop=1 relay=a.internal\n"
                    "X-Keep-Me: yes\n"
                    "X-Internal-Trace: hop=2\n\trelay=b.internal folded\n"),
    lambda: message("filter-flag-and-sender", '"Prize Desk" <desk@mail.spam.example>',
                    "You are a winner\n\tof a folded subject line",
                    "X-Spam-Flag: yes\n",
                    b"Lines with dots follow.\n.\n..\n.hidden\n\nend\n"),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: filter-corpus.py WORKDIR")
    mail = os.path.join(sys.argv[1], "mail")
    root = os.path.join(mail, "carol")
    shutil.rmtree(root, ignore_errors=True)
    st = os.stat(mail)
    owner = (st.st_uid, st.st_gid) if os.geteuid() == 0 else None
    corpus.write_maildir(root, FILTER_MESSAGES + corpus.ALICE, owner)


if __name__ == "__main__":
    main()
