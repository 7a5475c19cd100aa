#!/usr/bin/env python3
"""Writes dave's mailbox for the IMAP group: the tricky corpus of corpus.py (stdlib only).

usage: imap-corpus.py WORKDIR

dave gets the same messages as alice (dot lines, 8-bit octets, 998-octet lines, no final
newline, headers only, a 200 kB header block, 1.5 MB of dot lines, a 10 MB attachment),
written into a fresh maildir that no Dovecot session has opened yet, so Dovecot gives them
UIDs 1..n in file-name order. The files as written (LF line ends) are also kept in
WORKDIR/imap/originals/NNN.eml, in that order: the checks compare what the client gets with
them (LF as CRLF) as well as with what Dovecot's IMAP serves.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: imap-corpus.py WORKDIR")
    workdir = sys.argv[1]
    mail = os.path.join(workdir, "mail")
    st = os.stat(mail)
    owner = (st.st_uid, st.st_gid) if os.geteuid() == 0 else None
    maildir = os.path.join(mail, "dave")
    if os.path.exists(maildir):
        sys.exit("imap-corpus.py: dave's maildir exists already; it is written once, before any session")
    corpus.write_maildir(maildir, corpus.ALICE, owner)

    originals = os.path.join(workdir, "imap", "originals")
    shutil.rmtree(originals, ignore_errors=True)
    os.makedirs(originals)
    names = sorted(os.listdir(os.path.join(maildir, "new")))
    for i, name in enumerate(names, start=1):
        shutil.copyfile(os.path.join(maildir, "new", name), os.path.join(originals, f"{i:03d}.eml"))


if __name__ == "__main__":
    main()
