#!/usr/bin/env python3
"""The IMAP group's checker: a POP3 client (pop3.py's) through popbridge, which serves it
from Dovecot's IMAP, judged by what Dovecot's IMAP itself reports (imaplib) (stdlib only).

usage: imapcheck.py [options] COMMAND [ARGS]

  reference DIR      the mailbox as IMAP has it, for the shell checks: DIR/retr.N (what
                     RETR N must deliver: BODY.PEEK[] of the Nth UID, a final CRLF added if
                     it has none), DIR/list and DIR/uidl (LIST and UIDL bodies as curl
                     writes them), DIR/labels ("N LABEL"), DIR/count
  seed N [--gap K]   erin's mailbox afresh, over IMAP: every message expunged, then N small
                     messages appended (dot lines, different sizes), none flagged; with
                     --gap, the K-th then expunged, so the UIDs have a hole
  listing            STAT, LIST, UIDL (and LIST n, UIDL n) against FETCH 1:* (UID
                     RFC822.SIZE) and UIDVALIDITY; numbering 1..n in UID order; a second
                     session lists the same (--aggregate NAME: one check for all of it)
  content            every message: RETR byte for byte BODY.PEEK[] (and the original file
                     with CRLF line ends, with --originals); TOP n k for k = 0, 1, 5 and
                     1000000 (or --top-lines): the header block and the first k body lines
                     (the whole message if it has no empty line); out-of-range
                     numbers get -ERR; pipelined commands get the same replies in order
  dele               (erin) DELE then QUIT removes exactly those messages; DELE, RSET, QUIT
                     and DELE then a dropped connection remove nothing and leave no \\Deleted
                     flag; a deleted message is gone from the client's view until QUIT; QUIT
                     leaves a message that another client flagged \\Deleted (no bare EXPUNGE)
  expunged           (erin) a message expunged by another IMAP client after the POP3 login:
                     its RETR gets -ERR, the others RETR byte for byte, DELE and QUIT still work
  seen               (erin) RETR sets \\Seen (--mark-seen yes) or leaves it (no); TOP never does
  truncation         (dave) RETR of the largest message; after 256 KiB Dovecot's process
                     serving the session is killed: the client gets a prefix of the message
                     and a closed connection, never the terminating "."
  auth               a wrong password (USER/PASS, AUTH PLAIN): -ERR [AUTH]; AUTH PLAIN
                     (initial response and continuation) logs in; CAPA lists TOP, UIDL,
                     USER, SASL PLAIN, PIPELINING, RESP-CODES

Options name the POP3 side under test (--pop3-port, --pop3-tls, --pop3-ca), Dovecot's IMAP
(--imap-port, plain, 127.0.0.1), the user, the work directory (for Dovecot's log: every
judgement waits until Dovecot has ended the user's sessions), the TAG that prefixes check
names and the form of UIDL (--uidl popbridge: "UIDVALIDITY.UID"; dovecot: Dovecot's own
pop3_uidl_format %08Xu%08Xv, for --direct runs against Dovecot's POP3).
Checks print "PASS TAG+NAME" or "FAIL TAG+NAME: why"; exit status 1 if any failed.
"""
import argparse
import base64
import imaplib
import os
import re
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pop3  # noqa: E402

TOP_LINES = (0, 1, 5, 1000000)
FOLDER = "INBOX"


class Checks:
    def __init__(self, tag):
        self.tag = tag
        self.failed = 0

    def verdict(self, name, problems):
        problems = [p for p in problems if p]
        if problems:
            self.failed += 1
            text = "; ".join(problems)
            if len(text) > 700:
                text = text[:700] + f" ... ({len(problems)} problems)"
            print(f"FAIL {self.tag}{name}: {text}", flush=True)
        else:
            print(f"PASS {self.tag}{name}", flush=True)
        return not problems


# --- POP3, through what is under test -------------------------------------------------

class Pop3Error(Exception):
    pass


class Session:
    """A POP3 session on pop3.py's connection, keeping status lines and unstuffed bodies."""

    def __init__(self, args, login=True):
        self.p = pop3.Pop3(args.pop3_host, args.pop3_port, args.pop3_tls, args.pop3_ca, args.timeout)
        if login:
            for cmd in (f"USER {args.user}", f"PASS {args.password}"):
                status = self.status(cmd)
                if not status.startswith(b"+OK"):
                    raise Pop3Error(f"{cmd.split()[0]} got {status[:200]!r}")

    def send(self, cmd):
        self.p.send(cmd.encode("latin-1") + b"\r\n")

    def status(self, cmd):
        """Sends CMD, returns its status line (CRLF stripped); for a single-line reply."""
        self.send(cmd)
        return self.p.read_line()[:-2]

    def reply(self, multiline):
        """(status line, unstuffed body or None) of the next reply."""
        status = self.p.read_line()[:-2]
        if not (status.startswith(b"+OK") and multiline):
            return status, None
        return status, self.read_body()

    def read_body(self):
        parts = []
        while True:
            line = self.p.read_line()
            if line[:1] == b".":
                if line == b".\r\n":
                    return b"".join(parts)
                line = line[1:]
            parts.append(line)

    def command(self, cmd):
        self.send(cmd)
        return self.reply(pop3.is_multiline(cmd))

    def multiline(self, cmd):
        """The unstuffed body of a multi-line reply to CMD; Pop3Error on -ERR."""
        status, body = self.command(cmd)
        if body is None:
            raise Pop3Error(f"{cmd}: {status[:200]!r}")
        return body

    def quit(self):
        return self.status("QUIT")

    def drop(self):
        """Closes the connection without QUIT."""
        self.p.close()

    def close(self):
        self.p.close()



def expect_ok(problems, what, status):
    """Notes '<what> got <status>' in problems unless the POP3 status is +OK."""
    if not status.startswith(b"+OK"):
        problems.append(f"{what} got {status[:80]!r}")

def listing(body):
    """[(n, value)] from a LIST or UIDL body."""
    out = []
    for line in body.split(b"\r\n"):
        if line:
            words = line.split()
            out.append((int(words[0]), words[1].decode("latin-1") if len(words) > 1 else ""))
    return out


# --- Dovecot's IMAP, the reference ----------------------------------------------------

class Imap:
    def __init__(self, args):
        self.m = imaplib.IMAP4(args.imap_host, args.imap_port, timeout=args.timeout)
        self.m.login(args.user, args.password)
        typ, data = self.m.select(FOLDER)
        if typ != "OK":
            raise RuntimeError(f"SELECT {FOLDER}: {data}")
        self.exists = int(data[0])
        self.uidvalidity = int(self.m.untagged_responses["UIDVALIDITY"][0])

    def snapshot(self):
        """[(uid, size, flags)] in UID order, from FETCH 1:* (UID RFC822.SIZE FLAGS)."""
        self.m.noop()
        typ, data = self.m.uid("SEARCH", None, "ALL")
        if typ != "OK" or not data[0].split():
            return []
        typ, data = self.m.fetch("1:*", "(UID RFC822.SIZE FLAGS)")
        if typ != "OK":
            raise RuntimeError(f"FETCH 1:*: {data}")
        out = []
        for item in data:
            text = item if isinstance(item, bytes) else item[0]
            uid = int(re.search(rb"UID (\d+)", text).group(1))
            size = int(re.search(rb"RFC822\.SIZE (\d+)", text).group(1))
            flags = set(re.search(rb"FLAGS \(([^)]*)\)", text).group(1).decode().split())
            out.append((uid, size, flags))
        return sorted(out)

    def body(self, uid):
        typ, data = self.m.uid("FETCH", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and b"BODY[]" in item[0]:
                return item[1]
        raise RuntimeError(f"UID FETCH {uid} BODY.PEEK[]: no body in {data!r:.200}")

    def expunge_uid(self, uid):
        self.m.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
        typ, data = self.m.uid("EXPUNGE", str(uid))
        if typ != "OK":
            raise RuntimeError(f"UID EXPUNGE {uid}: {data}")

    def close(self):
        try:
            self.m.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def uidl_of(args, uidvalidity, uid):
    if args.uidl == "dovecot":
        return f"{uid:08x}{uidvalidity:08x}"
    return f"{uidvalidity}.{uid}"


def terminated(data):
    """What a POP3 client receives for DATA: a missing final CRLF is added (RFC 1939)."""
    return data if not data or data.endswith(b"\r\n") else data + b"\r\n"


def expected_top(msg, k):
    """TOP n k of MSG: its header block with the empty line after it, then k body lines."""
    if msg.startswith(b"\r\n"):
        head_end = 2
    else:
        i = msg.find(b"\r\n\r\n")
        head_end = len(msg) if i < 0 else i + 4
    body = msg[head_end:]
    pos = 0
    for _ in range(k):
        if pos >= len(body):
            break
        j = body.find(b"\r\n", pos)
        pos = len(body) if j < 0 else j + 2
    return terminated(msg[:head_end] + body[:pos])


def label_of(msg):
    m = re.search(rb"^X-Corpus: (\S+)", msg, re.M)
    return m.group(1).decode() if m else "unlabelled"


def first_difference(want, got):
    n = min(len(want), len(got))
    i = 0
    while i < n and want[i:i + 65536] == got[i:i + 65536]:
        i += 65536
    i = min(i, n)
    i = next((j for j in range(i, min(i + 65536, n)) if want[j] != got[j]), min(i + 65536, n))
    return (f"differs at octet {i} (sizes {len(want)} expected, {len(got)} got): "
            f"expected {want[i:i + 24]!r}, got {got[i:i + 24]!r}")


# --- Dovecot's log: when are the user's sessions over? ---------------------------------

def session_counts(args, user):
    """(USER's logins, the mail processes of those logins, how many of those sessions ended:
    logged as disconnected, or their process killed)."""
    mpids, ended, killed = [], 0, set()
    login = re.compile(r"(?:imap|pop3)-login: Info: Login: user=<%s>,.* mpid=(\d+)" % re.escape(user))
    end = re.compile(r"(?:imap|pop3)\(%s\)<[^>]*><[^>]*>: Info: Disconnected" % re.escape(user))
    kill = re.compile(r"service\((?:imap|pop3)\): child (\d+) killed")
    with open(os.path.join(args.workdir, "dovecot", "dovecot.log"), errors="replace") as f:
        for line in f:
            if m := login.search(line):
                mpids.append(int(m.group(1)))
            elif end.search(line):
                ended += 1
            elif m := kill.search(line):
                killed.add(int(m.group(1)))
    return len(mpids), mpids, ended + len(killed.intersection(mpids))


def wait_idle(args, user=None, seconds=10):
    """Waits until Dovecot has ended every session USER logged in; raises if it does not."""
    user = user or args.user
    deadline = time.monotonic() + seconds
    while True:
        logins, _, ended = session_counts(args, user)
        if ended >= logins:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{logins - ended} of {user}'s sessions to Dovecot were still open "
                               f"{seconds} s after the client left")
        time.sleep(0.1)


# --- erin's mailbox ------------------------------------------------------------------

def small_message(seed, k):
    lines = [f"Line {i} of message {k} (seed {seed})." for i in range(1, k + 3)]
    text = (f"From: Sender <sender@example.test>\r\n"
            f"To: Erin <erin@example.test>\r\n"
            f"Subject: IMAP group message {k}\r\n"
            f"Date: Mon, 20 Nov 2023 10:00:00 +0000\r\n"
            f"Message-ID: <erin-{seed}-{k}@corpus.popbridge.test>\r\n"
            f"X-Corpus: erin-{k}\r\n"
            f"\r\n" + "\r\n".join(lines) + "\r\n.\r\n..leading dots\r\nlast line\r\n")
    return text.encode("ascii")


def seed(args, count, gap=None):
    """COUNT fresh messages; with GAP, the GAP-th is then expunged (a hole in the UIDs)."""
    wait_idle(args)
    m = Imap(args)
    try:
        if m.exists:
            m.m.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            m.m.expunge()
        stamp = time.time_ns()
        for k in range(1, count + 1):
            typ, data = m.m.append(FOLDER, None, None, small_message(stamp, k))
            if typ != "OK":
                raise RuntimeError(f"APPEND: {data}")
        snap = m.snapshot()
        if len(snap) != count or any(flags - {r"\Recent"} for _, _, flags in snap):
            raise RuntimeError(f"seeded mailbox is not {count} unflagged messages: {snap}")
        if gap:
            m.expunge_uid(snap[gap - 1][0])
    finally:
        m.close()
    wait_idle(args)


# --- the commands ---------------------------------------------------------------------

def cmd_reference(args, checks):
    out = args.dir
    os.makedirs(out, exist_ok=True)
    m = Imap(args)
    try:
        snap = m.snapshot()
        lists, uidls, labels = [], [], []
        for n, (uid, size, _) in enumerate(snap, start=1):
            body = m.body(uid)
            with open(os.path.join(out, f"retr.{n}"), "wb") as f:
                f.write(terminated(body))
            lists.append(f"{n} {size}\r\n")
            uidls.append(f"{n} {uidl_of(args, m.uidvalidity, uid)}\r\n")
            labels.append(f"{n} {label_of(body)}\n")
    finally:
        m.close()
    for name, lines in (("list", lists), ("uidl", uidls), ("labels", labels)):
        with open(os.path.join(out, name), "w", newline="") as f:
            f.write("".join(lines))
    with open(os.path.join(out, "count"), "w") as f:
        f.write(f"{len(snap)}\n")


def cmd_seed(args, checks):
    seed(args, args.count, args.gap)


def listing_problems(args, where):
    """Compares one POP3 session's STAT, LIST, UIDL, LIST n, UIDL n with IMAP's view."""
    problems = {}
    m = Imap(args)
    try:
        snap = m.snapshot()
        uidvalidity = m.uidvalidity
    finally:
        m.close()
    wait_idle(args)
    n = len(snap)
    want_list = [(i, str(size)) for i, (_, size, _) in enumerate(snap, start=1)]
    want_uidl = [(i, uidl_of(args, uidvalidity, uid)) for i, (uid, _, _) in enumerate(snap, start=1)]
    s = Session(args)
    try:
        stat = s.status("STAT")
        words = stat.split()
        want_stat = f"{n} {sum(size for _, size, _ in snap)}"
        if len(words) < 3 or words[0] != b"+OK" or f"{words[1].decode()} {words[2].decode()}" != want_stat:
            problems["stat"] = f"{where}: STAT got {stat[:100]!r}, IMAP says {want_stat} (messages, RFC822.SIZE total)"
        got = listing(s.multiline("LIST"))
        if got != want_list:
            diff = [f"{g} vs {w}" for g, w in zip(got, want_list) if g != w][:3]
            problems["list"] = (f"{where}: LIST has {len(got)} lines, IMAP {n} messages; "
                                f"first differences (got vs RFC822.SIZE): {diff}")
        got = listing(s.multiline("UIDL"))
        if got != want_uidl:
            diff = [f"{g} vs {w}" for g, w in zip(got, want_uidl) if g != w][:3]
            problems["uidl"] = (f"{where}: UIDL has {len(got)} lines, IMAP {n} messages; "
                                f"first differences (got vs UIDVALIDITY {uidvalidity} and UID in UID order): {diff}")
        single = []
        for i in sorted({1, n}) if n else []:
            for verb, want in (("LIST", want_list), ("UIDL", want_uidl)):
                line = s.status(f"{verb} {i}")
                if line.split()[:3] != [b"+OK", str(i).encode(), want[i - 1][1].encode()]:
                    single.append(f"{verb} {i} got {line[:80]!r}, expected +OK {i} {want[i - 1][1]}")
            for verb in ("LIST", "UIDL"):
                line = s.status(f"{verb} {n + 1}")
                if not line.startswith(b"-ERR"):
                    single.append(f"{verb} {n + 1} (past the end) got {line[:80]!r}")
        if single:
            problems["single"] = f"{where}: " + ", ".join(single)
        if not s.quit().startswith(b"+OK"):
            problems["quit"] = f"{where}: QUIT did not get +OK"
    finally:
        s.close()
    wait_idle(args)
    return problems, want_uidl


def cmd_listing(args, checks):
    if args.aggregate:
        try:
            problems, _ = listing_problems(args, args.user)
        except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
            problems = {"session": f"{type(e).__name__}: {e}"}
        checks.verdict(args.aggregate, list(problems.values()))
        return
    try:
        problems, uidl = listing_problems(args, "first session")
    except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
        checks.verdict("listing-session", [f"{type(e).__name__}: {e}"])
        return
    checks.verdict("stat-matches-imap", [problems.get("stat")])
    checks.verdict("list-is-rfc822-size", [problems.get("list")])
    checks.verdict("uidl-is-uidvalidity-uid", [problems.get("uidl")])
    checks.verdict("list-uidl-single", [problems.get("single"), problems.get("quit")])
    try:
        again, uidl2 = listing_problems(args, "second session")
        problems = list(again.values())
        if uidl2 != uidl:
            problems.append("the second session's UIDL differs from the first")
    except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
        problems = [f"{type(e).__name__}: {e}"]
    checks.verdict("listing-stable-across-sessions", problems)


def cmd_content(args, checks):
    m = Imap(args)
    try:
        snap = m.snapshot()
        bodies = [m.body(uid) for uid, _, _ in snap]
    finally:
        m.close()
    originals = []
    if args.originals:
        originals = sorted(os.listdir(args.originals))
        if len(originals) != len(bodies):
            checks.verdict("originals", [f"{len(originals)} original files, but IMAP has {len(bodies)} messages"])
            originals = []
    wait_idle(args)
    s = Session(args)
    try:
        for n, body in enumerate(bodies, start=1):
            label = label_of(body)
            problems = []
            if originals:
                with open(os.path.join(args.originals, originals[n - 1]), "rb") as f:
                    original = f.read().replace(b"\n", b"\r\n")
                if original != body:
                    problems.append(f"Dovecot's BODY.PEEK[] is not the file {originals[n - 1]} with CRLF "
                                    f"(the suite's corpus is not what Dovecot serves): {first_difference(original, body)}")
            status, got = s.command(f"RETR {n}")
            if got is None:
                problems.append(f"RETR {n} got {status[:100]!r}")
            elif got != terminated(body):
                problems.append(f"RETR {n} vs BODY.PEEK[] of UID {snap[n - 1][0]}: {first_difference(terminated(body), got)}")
            checks.verdict(f"retr-{n:02d}-{label}", problems)

            problems = []
            for k in args.top_lines:
                status, got = s.command(f"TOP {n} {k}")
                want = expected_top(body, k)
                if got is None:
                    problems.append(f"TOP {n} {k} got {status[:100]!r}")
                elif got != want:
                    problems.append(f"TOP {n} {k}: {first_difference(want, got)}")
            checks.verdict(f"top-{n:02d}-{label}", problems)

        n = len(bodies)
        problems = []
        for cmd in (f"RETR {n + 1}", "RETR 0", f"TOP {n + 1} 0", f"LIST {n + 1}", f"DELE {n + 1}"):
            status, _ = s.command(cmd)
            if not status.startswith(b"-ERR"):
                problems.append(f"{cmd} got {status[:80]!r}")
        checks.verdict("out-of-range-err", problems)

        # Pipelined: one write, replies complete and in order, the same as one at a time.
        cmds = ["STAT", "LIST", "UIDL", "TOP 1 0", "RETR 2", f"LIST {n}", f"UIDL {n}", "RETR 1", "NOOP"]
        single = [s.command(c) for c in cmds]
        s.p.send(b"".join(c.encode() + b"\r\n" for c in cmds))
        piped = [s.reply(pop3.is_multiline(c)) for c in cmds]
        problems = [f"{c}: pipelined {p[0][:60]!r} ({len(p[1] or b'')} octets) vs one at a time "
                    f"{o[0][:60]!r} ({len(o[1] or b'')} octets)"
                    for c, p, o in zip(cmds, piped, single) if p != o]
        expect_ok(problems, "QUIT", s.quit())
        checks.verdict("pipelined-same-replies", problems)
    finally:
        s.close()
    wait_idle(args)


def uids_flags(args):
    m = Imap(args)
    try:
        return {uid: flags for uid, _, flags in m.snapshot()}
    finally:
        m.close()


def pop3_uids(args, uidvalidity, s):
    """{client number: UID}, from the session's UIDL."""
    out = {}
    for n, value in listing(s.multiline("UIDL")):
        try:
            out[n] = int(value[:8], 16) if args.uidl == "dovecot" else int(value.split(".")[1])
        except (ValueError, IndexError):
            raise Pop3Error(f"UIDL {n} is {value!r}, not of the {args.uidl} form") from None
    return out


def cmd_dele(args, checks):
    count = 6

    def scenario(name, body):
        try:
            seed(args, count)
            m = Imap(args)
            before = {uid: flags for uid, _, flags in m.snapshot()}
            contents = {uid: m.body(uid) for uid in before}
            uidvalidity = m.uidvalidity
            m.close()
            wait_idle(args)
            problems = body(before, contents, uidvalidity)
            wait_idle(args)
        except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
            problems = [f"{type(e).__name__}: {e}"]
        checks.verdict(name, problems)

    def after_state(before, contents, gone, flagged=()):
        """Problems if the mailbox is not BEFORE without GONE, unchanged, no \\Deleted flag
        except on FLAGGED."""
        m = Imap(args)
        try:
            after = {uid: flags for uid, _, flags in m.snapshot()}
            problems = []
            want = sorted(set(before) - set(gone))
            if sorted(after) != want:
                problems.append(f"IMAP holds UIDs {sorted(after)}, expected {want} "
                                f"(before: {sorted(before)}, deleted by the client: {sorted(gone)})")
            for uid in after:
                if r"\Deleted" in after[uid] and uid not in flagged:
                    problems.append(f"UID {uid} is left flagged \\Deleted")
                elif uid in contents and m.body(uid) != contents[uid]:
                    problems.append(f"UID {uid} changed")
            return problems
        finally:
            m.close()

    def hidden_until_quit(before, contents, uidvalidity):
        problems = []
        s = Session(args)
        try:
            uids = pop3_uids(args, uidvalidity, s)
            for n in (2, 5):
                expect_ok(problems, f"DELE {n}", s.status(f"DELE {n}"))
            stat = s.status("STAT").split()
            if stat[1:2] != [str(count - 2).encode()]:
                problems.append(f"STAT after DELE 2 and 5 got {b' '.join(stat)[:60]!r}, expected {count - 2} messages")
            listed = [n for n, _ in listing(s.multiline("LIST"))]
            if listed != [n for n in uids if n not in (2, 5)]:
                problems.append(f"LIST after DELE 2 and 5 lists {listed}")
            listed = [n for n, _ in listing(s.multiline("UIDL"))]
            if listed != [n for n in uids if n not in (2, 5)]:
                problems.append(f"UIDL after DELE 2 and 5 lists {listed}")
            for cmd in ("RETR 2", "TOP 5 0", "DELE 2", "LIST 5", "UIDL 2"):
                status, _ = s.command(cmd)
                if not status.startswith(b"-ERR"):
                    problems.append(f"{cmd} of a deleted message got {status[:60]!r}")
            got = s.multiline("RETR 3")
            if got != terminated(contents[uids[3]]):
                problems.append(f"RETR 3 after the DELEs: {first_difference(terminated(contents[uids[3]]), got)}")
            expect_ok(problems, "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        return problems + after_state(before, contents, [uids[2], uids[5]])

    def dele_quit(before, contents, uidvalidity):
        problems = []
        s = Session(args)
        try:
            uids = pop3_uids(args, uidvalidity, s)
            for n in (1, 4, 6):
                expect_ok(problems, f"DELE {n}", s.status(f"DELE {n}"))
            expect_ok(problems, "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        return problems + after_state(before, contents, [uids[1], uids[4], uids[6]])

    def dele_rset_quit(before, contents, uidvalidity):
        problems = []
        s = Session(args)
        try:
            for cmd in ("DELE 1", "DELE 3", "RSET"):
                expect_ok(problems, cmd, s.status(cmd))
            stat = s.status("STAT").split()
            if stat[1:2] != [str(count).encode()]:
                problems.append(f"STAT after RSET got {b' '.join(stat)[:60]!r}, expected {count} messages")
            got = s.multiline("RETR 1")
            if got != terminated(contents[sorted(before)[0]]):
                problems.append("RETR 1 after RSET is not the first message")
            expect_ok(problems, "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        return problems + after_state(before, contents, [])

    def dele_drop(before, contents, uidvalidity):
        problems = []
        s = Session(args)
        try:
            for cmd in ("DELE 1", "DELE 2", "DELE 6"):
                expect_ok(problems, cmd, s.status(cmd))
            s.status("NOOP")  # the DELEs have been answered before the drop
        finally:
            s.drop()
        wait_idle(args)
        return problems + after_state(before, contents, [])

    def spares_others(before, contents, uidvalidity):
        # Another client flags the second message \Deleted and leaves it (no EXPUNGE); the
        # POP3 client deletes the fourth and QUITs: only the fourth may go.
        problems = []
        ordered = sorted(before)
        other, target = ordered[1], ordered[3]
        m = Imap(args)
        m.m.uid("STORE", str(other), "+FLAGS.SILENT", r"(\Deleted)")
        m.close()
        wait_idle(args)
        s = Session(args)
        try:
            uids = pop3_uids(args, uidvalidity, s)
            numbers = [n for n, uid in uids.items() if uid == target]
            if not numbers:
                problems.append(f"UID {target} is not in the POP3 client's UIDL")
            else:
                expect_ok(problems, f"DELE {numbers[0]}", s.status(f"DELE {numbers[0]}"))
            expect_ok(problems, "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        problems += after_state(before, contents, [target], flagged=[other])
        flags = uids_flags(args)
        if other in flags and r"\Deleted" not in flags[other]:
            problems.append(f"the other client's \\Deleted flag on UID {other} was removed")
        return problems

    scenario("dele-hidden-until-quit", hidden_until_quit)
    scenario("dele-quit-removes-exactly-those", dele_quit)
    scenario("dele-rset-quit-keeps-all", dele_rset_quit)
    scenario("dele-drop-keeps-all-unflagged", dele_drop)
    scenario("dele-quit-spares-others-deleted", spares_others)


def cmd_expunged(args, checks):
    count = 6
    results = {"retr": [], "others": [], "quit": []}
    try:
        seed(args, count)
        m = Imap(args)
        snap = m.snapshot()
        contents = {uid: m.body(uid) for uid, _, _ in snap}
        m.close()
        wait_idle(args)
        uids = [uid for uid, _, _ in snap]
        victim, deleted = uids[2], uids[4]
        s = Session(args)
        try:
            first = s.multiline("RETR 1")  # the session is in use before the expunge
            if first != terminated(contents[uids[0]]):
                results["others"].append(f"RETR 1 before the expunge: {first_difference(terminated(contents[uids[0]]), first)}")
            other = Imap(args)
            other.expunge_uid(victim)
            other.close()
            status, body = s.command("RETR 3")
            if not status.startswith(b"-ERR"):
                results["retr"].append(f"RETR 3 (UID {victim}, expunged by another client) got "
                                       f"{status[:80]!r} and {len(body or b'')} octets")
            status, _ = s.command("TOP 3 0")
            if not status.startswith(b"-ERR"):
                results["retr"].append(f"TOP 3 0 of the expunged message got {status[:80]!r}")
            for n in (1, 2, 4, 5, 6):
                status, got = s.command(f"RETR {n}")
                if got != terminated(contents[uids[n - 1]]):
                    results["others"].append(f"RETR {n} after the expunge got {status[:60]!r}" +
                                             (f": {first_difference(terminated(contents[uids[n - 1]]), got)}" if got else ""))
            status, got = s.command("TOP 6 1")
            if got != expected_top(contents[uids[5]], 1):
                results["others"].append(f"TOP 6 1 after the expunge got {status[:60]!r}")
            expect_ok(results["quit"], "DELE 5", s.status("DELE 5"))
            expect_ok(results["quit"], "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        after = uids_flags(args)
        want = [u for u in uids if u not in (victim, deleted)]
        if sorted(after) != want:
            results["quit"].append(f"after QUIT IMAP holds UIDs {sorted(after)}, expected {want} "
                                   f"(UID {victim} expunged by the other client, {deleted} by DELE 5)")
        for uid, flags in after.items():
            if r"\Deleted" in flags:
                results["quit"].append(f"UID {uid} is left flagged \\Deleted")
    except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
        results["quit"].append(f"{type(e).__name__}: {e}")
    checks.verdict("expunged-retr-err", results["retr"])
    checks.verdict("expunged-others-still-exact", results["others"])
    checks.verdict("expunged-dele-quit-still-commit", results["quit"])


def cmd_seen(args, checks):
    count = 6
    problems = {"retr": [], "top": []}
    try:
        seed(args, count)
        m = Imap(args)
        uids = [uid for uid, _, _ in m.snapshot()]
        m.close()
        wait_idle(args)
        s = Session(args)
        try:
            for cmd in ("RETR 1", "TOP 2 0", "TOP 3 5", "TOP 4 1000000", "RETR 5"):
                status, _ = s.command(cmd)
                if not status.startswith(b"+OK"):
                    problems["retr" if cmd.startswith("RETR") else "top"].append(f"{cmd} got {status[:80]!r}")
            expect_ok(problems["retr"], "QUIT", s.quit())
        finally:
            s.close()
        wait_idle(args)
        flags = uids_flags(args)
        for n in (1, 5):
            seen = r"\Seen" in flags.get(uids[n - 1], set())
            if args.mark_seen == "yes" and not seen:
                problems["retr"].append(f"UID {uids[n - 1]} (RETR {n}) is not \\Seen: {sorted(flags.get(uids[n - 1], []))}")
            if args.mark_seen == "no" and seen:
                problems["retr"].append(f"UID {uids[n - 1]} (RETR {n}) is \\Seen although mark-seen is off")
        for n in (2, 3, 4, 6):
            if r"\Seen" in flags.get(uids[n - 1], set()):
                problems["top"].append(f"UID {uids[n - 1]} ({'never read' if n == 6 else f'TOP {n}'}) is \\Seen")
    except (Pop3Error, pop3.Closed, OSError, RuntimeError, imaplib.IMAP4.error) as e:
        problems["retr"].append(f"{type(e).__name__}: {e}")
    checks.verdict("seen-retr-marks" if args.mark_seen == "yes" else "seen-retr-leaves-unseen", problems["retr"])
    checks.verdict("seen-top-never-marks", problems["top"])


def cmd_auth(args, checks):
    def wrong(results, key, how):
        """One failed login; HOW is (user, password, 'user'|'plain')."""
        user, password, mech = how
        try:
            s = Session(args, login=False)
            try:
                if mech == "user":
                    status = s.status(f"USER {user}")
                    if status.startswith(b"+OK"):
                        status = s.status(f"PASS {password}")
                else:
                    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
                    status = s.status(f"AUTH PLAIN {token}")
                results[key] = None if status.startswith(b"-ERR [AUTH]") else \
                    f"{mech} login as {user} with a wrong password got {status[:100]!r}, expected -ERR [AUTH] ..."
            finally:
                s.close()
        except (Pop3Error, pop3.Closed, OSError) as e:
            results[key] = f"{mech} login as {user}: {type(e).__name__}: {e}"

    # Dovecot delays each failed login (auth_failure_delay, 2 s): run them side by side.
    results = {}
    # Two failures only: Dovecot delays every login from an address that failed lately
    # (2 s, then 4, 8, 15 s) until one succeeds.
    bad = "not-" + args.password
    cases = {"wrong-password": (args.user, bad, "user"),
             "plain-wrong-password": (args.user, bad, "plain")}
    threads = [threading.Thread(target=wrong, args=(results, k, v)) for k, v in cases.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.timeout + 5)
    checks.verdict("auth-wrong-password-err-auth", [results.get(k, f"{k}: no answer") for k in cases])

    m = Imap(args)
    count = m.exists
    m.close()

    def plain(initial):
        problems = []
        token = base64.b64encode(f"\0{args.user}\0{args.password}".encode()).decode()
        s = Session(args, login=False)
        try:
            if initial:
                status = s.status(f"AUTH PLAIN {token}")
            else:
                status = s.status("AUTH PLAIN")
                if status.startswith(b"+ ") or status == b"+":
                    status = s.status(token)
                else:
                    problems.append(f"AUTH PLAIN without a response got {status[:80]!r}, expected \"+ \"")
            if not status.startswith(b"+OK"):
                problems.append(f"AUTH PLAIN got {status[:80]!r}")
            else:
                stat = s.status("STAT").split()
                if stat[1:2] != [str(count).encode()]:
                    problems.append(f"STAT after AUTH PLAIN got {b' '.join(stat)[:60]!r}, IMAP has {count} messages")
                if not s.quit().startswith(b"+OK"):
                    problems.append("QUIT did not get +OK")
        finally:
            s.close()
        return problems

    for name, initial in (("auth-plain-initial-response", True), ("auth-plain-continuation", False)):
        try:
            problems = plain(initial)
        except (Pop3Error, pop3.Closed, OSError) as e:
            problems = [f"{type(e).__name__}: {e}"]
        checks.verdict(name, problems)

    problems = []
    try:
        s = Session(args, login=False)
        try:
            body = s.multiline("CAPA")
        finally:
            s.close()
        caps = [line.upper().split() for line in body.decode("latin-1").split("\r\n") if line]
        for want in ("TOP", "UIDL", "USER", "PIPELINING", "RESP-CODES"):
            if [want] not in [c[:1] for c in caps]:
                problems.append(f"no {want}")
        if not any(c[:1] == ["SASL"] and "PLAIN" in c[1:] for c in caps):
            problems.append("no SASL line with PLAIN")
        if problems:
            problems = [f"CAPA ({' / '.join(' '.join(c) for c in caps)}): " + ", ".join(problems)]
    except (Pop3Error, pop3.Closed, OSError) as e:
        problems = [f"{type(e).__name__}: {e}"]
    checks.verdict("capa-translation", problems)
    wait_idle(args)


def stuffed(data):
    """DATA as a multi-line POP3 body: dot-stuffed, CRLF-terminated, with the final ".\\r\\n"."""
    lines = terminated(data).split(b"\r\n")[:-1]
    return b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in lines) + b".\r\n"


def cmd_truncation(args, checks):
    """RETR of the largest message; Dovecot's process serving that session is killed after
    256 KiB: the client must get a prefix and a closed connection, never a final "."."""
    name = "truncation-upstream-dies"
    m = Imap(args)
    try:
        snap = m.snapshot()
        n = max(range(len(snap)), key=lambda i: snap[i][1]) + 1
        expected = stuffed(m.body(snap[n - 1][0]))
    finally:
        m.close()
    wait_idle(args)
    before, _, _ = session_counts(args, args.user)
    s = Session(args)
    try:
        deadline = time.monotonic() + 10
        while True:
            logins, mpids, _ = session_counts(args, args.user)
            if logins > before or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        if logins <= before:
            checks.verdict(name, [f"no login of {args.user} to Dovecot seen for the session"])
            return
        s.send(f"RETR {n}")
        status = s.p.read_line()
        if not status.startswith(b"+OK"):
            checks.verdict(name, [f"RETR {n} got {status[:80]!r}"])
            return
        while len(s.p.buf) < 262144:
            s.p._fill()
        os.kill(mpids[-1], 9)
        how = "closed"
        try:
            while True:
                s.p._fill()
        except pop3.Closed:
            pass
        except (socket.timeout, TimeoutError):
            how = "timeout"
        except OSError as e:
            how = f"closed ({e})"
        got = bytes(s.p.buf)
    finally:
        s.close()
    wait_idle(args)
    if how == "timeout":
        problems = [f"the client connection was still open {args.timeout:.0f} s after Dovecot's process died "
                    f"({len(got)} of {len(expected)} octets)"]
    elif got == expected:
        problems = []  # all of it had arrived before the kill: complete and exact
    elif got.endswith(b"\r\n.\r\n"):
        problems = [f"a truncated body ({len(got)} of {len(expected)} octets) ends with the terminating '.'"]
    elif not expected.startswith(got):
        problems = [f"the {len(got)} octets received are not a prefix of the message: {first_difference(expected, got)}"]
    else:
        problems = []
    checks.verdict(name, problems)


COMMANDS = {
    "reference": cmd_reference, "seed": cmd_seed, "listing": cmd_listing, "content": cmd_content,
    "dele": cmd_dele, "expunged": cmd_expunged, "seen": cmd_seen, "auth": cmd_auth,
    "truncation": cmd_truncation,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pop3-host", default="127.0.0.1")
    ap.add_argument("--pop3-port", type=int, default=0, help="required but for reference and seed")
    ap.add_argument("--pop3-tls", choices=("none", "implicit", "stls"), default="none")
    ap.add_argument("--pop3-ca", help="PEM file that verifies the POP3 side's certificate")
    ap.add_argument("--imap-host", default="127.0.0.1")
    ap.add_argument("--imap-port", type=int, default=21143)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", help="default: USER-secret")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--tag", default="")
    ap.add_argument("--uidl", choices=("popbridge", "dovecot"), default="popbridge")
    ap.add_argument("--timeout", type=float, default=30.0)
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("reference").add_argument("dir")
    p = sub.add_parser("seed")
    p.add_argument("count", type=int)
    p.add_argument("--gap", type=int, metavar="K", help="then expunge the K-th message")
    p = sub.add_parser("listing")
    p.add_argument("--aggregate", metavar="NAME", help="one check NAME for one session")
    p = sub.add_parser("content")
    p.add_argument("--originals", metavar="DIR")
    p.add_argument("--top-lines", metavar="K,...", default=",".join(map(str, TOP_LINES)),
                   type=lambda v: [int(k) for k in v.split(",")], help="the k of TOP n k")
    sub.add_parser("dele")
    sub.add_parser("expunged")
    sub.add_parser("seen").add_argument("--mark-seen", choices=("yes", "no"), default="yes")
    sub.add_parser("auth")
    sub.add_parser("truncation")
    args = ap.parse_args()
    args.password = args.password or f"{args.user}-secret"
    if not args.pop3_port and args.what not in ("reference", "seed"):
        ap.error("--pop3-port is required for " + args.what)
    socket.setdefaulttimeout(args.timeout)
    checks = Checks(args.tag)
    try:
        COMMANDS[args.what](args, checks)
    except (Pop3Error, pop3.Closed, pop3.Unexpected, OSError, ssl.SSLError, RuntimeError,
            imaplib.IMAP4.error) as e:
        print(f"FAIL {args.tag}{args.what}: {type(e).__name__}: {e}", flush=True)
        return 1
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
