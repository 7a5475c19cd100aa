#!/usr/bin/env python3
"""Judges what the filter group's client got against what Dovecot serves (stdlib only).

usage:
  filtercheck.py tagged DIRECT GOT SCORE RULES
      GOT is DIRECT tagged by spam-tag: "Subject: [SPAM] " before the subject, one
      "X-Spam-Score: SCORE" and one "X-Spam-Rules: RULES" field, and nothing else
      changed (same body octets, same other fields in the same order; the Subject is
      compared unfolded, as popbridge writes a prefixed Subject on one line).
  filtercheck.py removed DIRECT GOT FIELD
      GOT is DIRECT without any FIELD field (continuation lines included), byte for byte.
  filtercheck.py same-head RETR TOP
      TOP (a TOP n 0 reply) is RETR's header block up to and including its empty line.
  filtercheck.py listing FILE
      FILE holds pop3.py's replies to STAT, LIST, UIDL; prints "stat COUNT OCTETS", then
      "list N SIZE" and "uidl N UID" lines.
Each judging command prints nothing and exits 0 if it holds, else prints why and exits 1.
"""
import sys


def split(data):
    """Header block (fields, each with its CRLF) and the rest after the empty line."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return data, None
    return data[: end + 2], data[end + 4:]


def fields(head):
    """The header block as a list of whole fields, continuation lines included."""
    out = []
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and out:
            out[-1] += line
        else:
            out.append(line)
    return out


def name(field):
    return field.split(b":", 1)[0].strip().lower()


def value(field):
    return field.split(b":", 1)[1].strip() if b":" in field else b""


def first_diff(a, b):
    n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return f"first difference at octet {n}: {a[max(0, n - 20):n + 20]!r} vs {b[max(0, n - 20):n + 20]!r}"


def tagged(direct_file, got_file, score, rules):
    direct = open(direct_file, "rb").read()
    got = open(got_file, "rb").read()
    dhead, dbody = split(direct)
    ghead, gbody = split(got)
    if dbody != gbody:
        return "the body differs from Dovecot's"
    gfields = fields(ghead)
    subjects = [f for f in gfields if name(f) == b"subject"]
    if len(subjects) != 1 or not subjects[0].startswith(b"Subject: [SPAM] "):
        return f"expected one Subject starting with \"[SPAM] \", got {subjects!r}"
    for field, want in ((b"x-spam-score", score), (b"x-spam-rules", rules)):
        found = [value(f) for f in gfields if name(f) == field]
        if found != [want.encode()]:
            return f"expected {field.decode()}: {want}, got {found!r}"
    # The Subject keeps its place and, unfolded, its value after the prefix; popbridge
    # writes a prefixed Subject as one line, so its folding is not compared.
    dfields = fields(dhead)
    dsubject = [f for f in dfields if name(f) == b"subject"]
    if len(dsubject) != 1:
        return "the reference has no single Subject: the corpus is wrong"
    if unfold(subjects[0]) != unfold(dsubject[0]).replace(b"Subject: ", b"Subject: [SPAM] ", 1):
        return f"Subject {subjects[0]!r} is not Dovecot's {dsubject[0]!r} with the prefix"
    rest = [dsubject[0] if name(f) == b"subject" else f
            for f in gfields if name(f) not in (b"x-spam-score", b"x-spam-rules")]
    if b"".join(rest) != dhead:
        return "apart from the tag, the header block differs: " + first_diff(dhead, b"".join(rest))
    return None


def unfold(field):
    """RFC 5322 section 2.2.3: a field without the CRLFs of its folding (and its last)."""
    return field.replace(b"\r\n", b"")


def removed(direct_file, got_file, field):
    direct = open(direct_file, "rb").read()
    got = open(got_file, "rb").read()
    dhead, dbody = split(direct)
    kept = [f for f in fields(dhead) if name(f) != field.lower().encode()]
    if len(kept) == len(fields(dhead)):
        return f"the reference has no {field} field: the corpus is wrong"
    want = b"".join(kept) + (b"\r\n" + dbody if dbody is not None else b"")
    if got != want:
        return f"expected Dovecot's message without {field}: " + first_diff(want, got)
    return None


def same_head(retr_file, top_file):
    retr = open(retr_file, "rb").read()
    top = open(top_file, "rb").read()
    head, body = split(retr)
    want = head + b"\r\n" if body is not None else head
    if top != want:
        return "TOP n 0 differs from RETR's header block: " + first_diff(want, top)
    return None


def listing(path):
    data = open(path, "rb").read().decode("latin-1")
    lines = data.split("\r\n")
    out = []
    stat = lines[0].split()
    out.append(f"stat {stat[1]} {stat[2]}")
    kind = None
    for line in lines[1:]:
        if line == "+OK":
            kind = "list" if kind is None else "uidl"
        elif line == ".":
            continue
        elif line:
            out.append(f"{kind} {line}")
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    what, rest = args[0], args[1:]
    if what == "listing":
        print(listing(*rest))
        return 0
    why = {"tagged": tagged, "removed": removed, "same-head": same_head}[what](*rest)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
