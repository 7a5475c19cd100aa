#!/usr/bin/env python3
"""The SMTP group's helper (stdlib only): its corpus, its judge, and its scripted clients.

usage:
  smtpcheck.py corpus DIR
      writes the tricky messages curl uploads (CRLF line ends) into DIR, one LABEL.eml each,
      pipelined.eml (CRLF) and swaks.eml (LF: swaks sends each line end as CRLF)
  smtpcheck.py compare DIRECT PROXY
      DIRECT and PROXY are sink files N.eml (smtpsink.py) of the same submission made once
      straight to Dovecot and once through popbridge. Each must start with the Received
      field Dovecot's submission service adds (the field and its continuation lines, which
      name the session and the time and so always differ); the rest, every octet of header
      and body as relayed, must be identical, and so must the envelopes (N.env: the MAIL and
      RCPT lines Dovecot relayed). Prints "same" (exit 0) or where they differ (exit 1).
  smtpcheck.py as-sent STORED FILE
      STORED (a sink file) after Dovecot's Received field is FILE, plus the CRLF a client
      adds to a last line without one: prints "same" (exit 0) or the first difference
  smtpcheck.py [--host H] --port P [--tls starttls|implicit|none] [--ca CA] WHAT [ARGS]
      a scripted session; prints one outcome line (exit 0 unless the session broke):
      pipelined USER PASSWORD RCPT...   smtplib: log in, then MAIL, every RCPT and DATA in
                                        one write, the message, then RSET, NOOP, QUIT in one
                                        write; prints each reply code in order
      wrong-password USER PASSWORD      smtplib login refused: prints its code, then the
                                        code a MAIL in the same session gets
      starttls-injection                "STARTTLS\\r\\nRSET\\r\\n" in one write after EHLO
      mail-before-auth USER PASSWORD    MAIL before AUTH, then after AUTH one with SIZE=
                                        999999999999, then a plain MAIL and RSET; codes
"""
import argparse
import base64
import os
import random
import re
import smtplib
import socket
import ssl
import sys
import time

HEADERS = (
    "From: Sender <sender@example.test>\r\n"
    "To: Alice <alice@example.test>\r\n"
    "Subject: {subject}\r\n"
    "Date: Mon, 20 Nov 2023 10:00:00 +0000\r\n"
    "Message-ID: <{label}@smtp.popbridge.test>\r\n"
    "X-Corpus: {label}\r\n"
)


def head(label, subject, extra=b""):
    return HEADERS.format(label=label, subject=subject).encode("ascii") + extra


def dots():
    return head("dot-lines", "Lines that start with dots") + b"\r\n" + (
        b"The next lines start with dots.\r\n"
        b".\r\n"
        b"..\r\n"
        b"...\r\n"
        b".x\r\n"
        b"..x\r\n"
        b". space after a dot\r\n"
        b"\r\n"
        b".\r\n"
        b"\r\n"
        b"line before a lone dot\r\n"
        b".\r\n"
    )


def eight_bit():
    extra = (b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
             b"Content-Transfer-Encoding: 8bit\r\n")
    high = bytes(range(0x80, 0x100))
    return head("eight-bit", "8-bit body octets", extra) + b"\r\n" + (
        b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade.\r\n"
        b"All high octets: " + high + b"\r\n"
        b".\xe9 a dot line with 8-bit data\r\n"
        b"\xff\xfe\xfd\r\n"
        b"end\r\n"
    )


def long_line():
    line = (b"0123456789abcdefghijklmnopqrstuvwxyz" * 28)[:998]
    dotted = b"." + line[:997]
    return (head("long-line-998", "998-octet lines") + b"\r\n"
            + b"Two 998-octet lines follow, the second starting with a dot.\r\n"
            + line + b"\r\n" + dotted + b"\r\nend\r\n")


def attachment():
    payload = random.Random(1234).randbytes(10 * 1024 * 1024)
    b64 = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    extra = b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="=-=b=-="\r\n'
    return (head("attachment-10mb", "10 MB base64 attachment", extra) + b"\r\n"
            + b"--=-=b=-=\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the blob.\r\n\r\n"
            + b"--=-=b=-=\r\nContent-Type: application/octet-stream\r\n"
            + b'Content-Disposition: attachment; filename="blob.bin"\r\n'
            + b"Content-Transfer-Encoding: base64\r\n\r\n" + b64 + b"--=-=b=-=--\r\n")


def no_final_crlf():
    return head("no-final-crlf", "Last line has no CRLF") + b"\r\nFirst line.\r\nThe last line has no CRLF."


def no_final_crlf_dot():
    return head("no-final-crlf-dot", "Last line is a dot without CRLF") + b"\r\nA lone dot follows.\r\n."


CORPUS = {
    "dot-lines": dots,
    "eight-bit": eight_bit,
    "long-line-998": long_line,
    "attachment-10mb": attachment,
    "no-final-crlf": no_final_crlf,
    "no-final-crlf-dot": no_final_crlf_dot,
}

PIPELINED_MESSAGE = (head("pipelined", "Pipelined, three recipients")
                     + b"\r\nA message for three recipients.\r\n.\r\n..x\r\nend\r\n")


# swaks reads its --data file with LF line ends and sends them as CRLF.
SWAKS_MESSAGE = (head("swaks", "Sent with swaks") + b"\r\nA line.\r\n.\r\n..\r\n.x\r\n"
                 + b"Caf\xe9 8-bit\r\nlast line\r\n").replace(b"\r\n", b"\n")


def write_corpus(directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "swaks.eml"), "wb") as f:
        f.write(SWAKS_MESSAGE)
    for label, make in CORPUS.items():
        with open(os.path.join(directory, label + ".eml"), "wb") as f:
            f.write(make())
    with open(os.path.join(directory, "pipelined.eml"), "wb") as f:
        f.write(PIPELINED_MESSAGE)


# ---- compare

def strip_received(data):
    """Dovecot's Received field (first line and its continuation lines) and the rest."""
    if not data.startswith(b"Received: "):
        return None, data
    end = data.find(b"\r\n") + 2
    while data[end:end + 1] in (b" ", b"\t"):
        end = data.find(b"\r\n", end) + 2
    return data[:end], data[end:]


def first_difference(a, b):
    n = min(len(a), len(b))
    i = next((k for k in range(n) if a[k] != b[k]), n)
    line = a.count(b"\n", 0, i) + 1
    return (f"first difference at octet {i} (line {line}): "
            f"{a[max(0, i - 20):i + 20]!r} vs {b[max(0, i - 20):i + 20]!r}; sizes {len(a)} vs {len(b)}")


def compare(direct, proxy):
    got = []
    for path in (direct, proxy):
        with open(path, "rb") as f:
            received, rest = strip_received(f.read())
        if received is None or b"by submission.popbridge.test" not in received:
            return f"{os.path.basename(path)} does not start with Dovecot's Received field"
        with open(path[:-len(".eml")] + ".env", "rb") as f:
            env = f.read()
        got.append((rest, env))
    (direct_rest, direct_env), (proxy_rest, proxy_env) = got
    if direct_env != proxy_env:
        return f"envelopes differ: {direct_env!r} vs {proxy_env!r}"
    if direct_rest != proxy_rest:
        return "after the Received field, " + first_difference(direct_rest, proxy_rest)
    return "same"


def as_sent(stored, sent):
    with open(stored, "rb") as f:
        received, rest = strip_received(f.read())
    if received is None:
        return f"{os.path.basename(stored)} does not start with Dovecot's Received field"
    with open(sent, "rb") as f:
        data = f.read()
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return "same" if rest == data else first_difference(data, rest)


# ---- scripted sessions

def context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def smtplib_session(args):
    ctx = context(args.ca)
    if args.tls == "implicit":
        s = smtplib.SMTP_SSL(args.host, args.port, timeout=args.timeout, context=ctx)
    else:
        s = smtplib.SMTP(args.host, args.port, timeout=args.timeout)
        if args.tls == "starttls":
            s.starttls(context=ctx)
    s.ehlo("smtpcheck.popbridge.test")
    return s


def stuff(data):
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", data) + b".\r\n"


def pipelined(args, user, password, rcpts):
    s = smtplib_session(args)
    codes = []
    try:
        if "pipelining" not in s.esmtp_features:
            return "no PIPELINING in the EHLO reply after TLS"
        s.login(user, password)
        batch = b"MAIL FROM:<sender@example.test>\r\n" + b"".join(
            b"RCPT TO:<%s>\r\n" % r.encode() for r in rcpts) + b"DATA\r\n"
        s.send(batch)
        for _ in range(len(rcpts) + 2):
            codes.append(s.getreply()[0])
        if codes[-1] != 354:
            return " ".join(map(str, codes))
        s.send(stuff(PIPELINED_MESSAGE))
        codes.append(s.getreply()[0])
        s.send(b"RSET\r\nNOOP\r\nQUIT\r\n")
        for _ in range(3):
            codes.append(s.getreply()[0])
        return " ".join(map(str, codes))
    finally:
        s.close()


def wrong_password(args, user, password):
    s = smtplib_session(args)
    try:
        try:
            s.login(user, password)
            return "login succeeded"
        except smtplib.SMTPAuthenticationError as e:
            login = e.smtp_code
        mail = s.docmd("MAIL", "FROM:<sender@example.test>")[0]
        s.quit()
        return f"{login} {mail}"
    finally:
        s.close()


class Raw:
    """A line-based SMTP client on a socket, TLS started by hand, for what smtplib hides."""

    def __init__(self, host, port, timeout):
        self.host, self.timeout = host, timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = bytearray()

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the server")
        self.buf += data

    def reply(self):
        """One reply, all its lines: (code, text of the last line)."""
        while True:
            while b"\r\n" not in self.buf:
                self.fill()
            end = self.buf.index(b"\r\n") + 2
            line = bytes(self.buf[:end])
            del self.buf[:end]
            if line[3:4] != b"-":
                return int(line[:3]), line.decode("latin-1").strip()

    def command(self, line):
        self.sock.sendall(line.encode("ascii") + b"\r\n")
        return self.reply()

    def start_tls(self, ca):
        self.sock = context(ca).wrap_socket(self.sock, server_hostname=self.host)

    def quiet(self, seconds):
        """True if the server sends nothing unasked for SECONDS."""
        if self.buf:
            return False
        self.sock.settimeout(seconds)
        try:
            self.fill()
            return False
        except (socket.timeout, TimeoutError):
            return True
        finally:
            self.sock.settimeout(self.timeout)


def starttls_injection(args):
    r = Raw(args.host, args.port, args.timeout)
    try:
        r.reply()
        r.command("EHLO smtpcheck.popbridge.test")
        r.sock.sendall(b"STARTTLS\r\nRSET\r\n")
        code, text = r.reply()
        if code != 220:
            return f"error STARTTLS got {text!r}"
        # Anything more in the clear before the handshake would be a reply to the RSET.
        time.sleep(0.5)
        r.sock.setblocking(False)
        try:
            extra = r.sock.recv(4096, socket.MSG_PEEK)
        except BlockingIOError:
            extra = b""
        r.sock.setblocking(True)
        r.sock.settimeout(args.timeout)
        if extra or r.buf:
            return f"injected: in the clear after the 220: {(bytes(r.buf) + extra)[:80]!r}"
        try:
            r.start_tls(args.ca)
        except ssl.SSLError as e:
            return f"error TLS handshake failed after the pipelined STARTTLS: {e}"
        if not r.quiet(1.5):
            return f"injected: after the handshake, unasked for: {bytes(r.buf)[:80]!r}"
        code, text = r.command("EHLO smtpcheck.popbridge.test")
        if code != 250:
            return f"error EHLO inside TLS got {text!r}"
        code, text = r.command("NOOP")
        if code != 250:
            return f"error NOOP inside TLS got {text!r}"
        if not r.quiet(1.5):
            return f"injected: a second reply after NOOP: {bytes(r.buf)[:80]!r}"
        r.command("QUIT")
        return "clean"
    except (ConnectionError, socket.timeout) as e:
        return f"error {e}"
    finally:
        r.sock.close()


def mail_before_auth(args, user, password):
    r = Raw(args.host, args.port, args.timeout)
    codes = []
    try:
        r.reply()
        r.command("EHLO smtpcheck.popbridge.test")
        if args.tls == "starttls":
            code, text = r.command("STARTTLS")
            if code != 220:
                return f"error STARTTLS got {text!r}"
            r.start_tls(args.ca)
            r.command("EHLO smtpcheck.popbridge.test")
        codes.append(r.command("MAIL FROM:<a@b>")[0])
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        codes.append(r.command("AUTH PLAIN " + token)[0])
        codes.append(r.command("MAIL FROM:<a@b> SIZE=999999999999")[0])
        codes.append(r.command("MAIL FROM:<a@b>")[0])
        codes.append(r.command("RSET")[0])
        codes.append(r.command("QUIT")[0])
        return " ".join(map(str, codes))
    except (ConnectionError, socket.timeout, ssl.SSLError) as e:
        return f"error {e} after {' '.join(map(str, codes))}"
    finally:
        r.sock.close()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "corpus":
        write_corpus(sys.argv[2])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] in ("compare", "as-sent"):
        judge = compare if sys.argv[1] == "compare" else as_sent
        outcome = judge(sys.argv[2], sys.argv[3])
        print(outcome)
        return 0 if outcome == "same" else 1
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls", choices=["starttls", "implicit", "none"], default="starttls")
    parser.add_argument("--ca")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("what", choices=["pipelined", "wrong-password", "starttls-injection",
                                         "mail-before-auth"])
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.what == "pipelined":
        print(pipelined(args, args.rest[0], args.rest[1], args.rest[2:]))
    elif args.what == "wrong-password":
        print(wrong_password(args, args.rest[0], args.rest[1]))
    elif args.what == "starttls-injection":
        print(starttls_injection(args))
    else:
        print(mail_before_auth(args, args.rest[0], args.rest[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
