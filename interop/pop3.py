#!/usr/bin/env python3
"""A small scripted POP3 client for the interop checks (stdlib only).

usage: pop3.py [connection options] COMMAND ...

  session [--pipeline] [--end quit|drop] [--no-login] CMD...
      Logs in (USER/PASS, unless --no-login), sends each CMD (one at a time, or all in
      one write with --pipeline), then QUITs, drops the connection without QUIT, or
      holds it open until the server closes it (--end hold, bounded by --timeout).
      Writes the replies to stdout, normalised so two servers can be compared:
      a multi-line reply is "+OK\\r\\n" followed by its body exactly as received
      (dot-stuffed, with the terminating ".\\r\\n"); a STAT, "LIST n" or "UIDL n"
      reply is kept whole; any other single-line reply is reduced to "+OK" or "-ERR".
  login-outcome
      Tries USER/PASS and prints one word: ok, err, closed, timeout or tls-error,
      with detail after it (for err, the server's reply line).
  stls-injection
      Sends "STLS\r\nCAPA\r\n" in one write, upgrades to TLS after the STLS reply,
      and prints "clean" if nothing but the reply to a CAPA sent inside TLS arrives
      (the CAPA sent in the clear was discarded), else "injected ..." or "error ...".

Exit status: 0 done; 2 unexpected reply; 3 connection closed; 4 timeout; 5 TLS error.
"""
import argparse
import socket
import ssl
import sys

MAX_LINE = 1 << 20


class Closed(Exception):
    pass


class Unexpected(Exception):
    pass


class Pop3:
    def __init__(self, host, port, tls, ca, timeout):
        self.host = host
        self.ca = ca
        self.buf = bytearray()
        self.sock = socket.create_connection((host, port), timeout=timeout)
        if tls == "implicit":
            self._start_tls()
        self.greeting = self.read_line()
        if not self.greeting.startswith(b"+OK"):
            raise Unexpected(f"greeting: {self.greeting!r}")
        if tls == "stls":
            self.send(b"STLS\r\n")
            line = self.read_line()
            if not line.startswith(b"+OK"):
                raise Unexpected(f"STLS: {line!r}")
            if self.buf:
                raise Unexpected("server sent bytes after its STLS reply, before TLS")
            self._start_tls()

    def _start_tls(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        self.sock = ctx.wrap_socket(self.sock, server_hostname=self.host)

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed("connection closed by server")
        self.buf += chunk

    def read_line(self):
        """One line including its CRLF."""
        start = 0
        while True:
            i = self.buf.find(b"\r\n", start)
            if i >= 0:
                line = bytes(self.buf[: i + 2])
                del self.buf[: i + 2]
                return line
            if len(self.buf) > MAX_LINE:
                raise Unexpected("line longer than 1 MiB")
            start = max(0, len(self.buf) - 1)
            self._fill()

    def read_body(self):
        """A multi-line body up to and including the terminating '.\\r\\n', as received."""
        out = bytearray()
        while True:
            line = self.read_line()
            out += line
            if line == b".\r\n":
                return bytes(out)

    def command(self, cmd):
        self.send(cmd.encode("latin-1") + b"\r\n")
        return self.reply(cmd)

    def reply(self, cmd):
        line = self.read_line()
        self.last_line = line
        if line.startswith(b"+OK") and is_multiline(cmd):
            return b"+OK\r\n" + self.read_body()
        return normalise(cmd, line)

    def login(self, user, password):
        for cmd in (f"USER {user}", f"PASS {password}"):
            line = self.command(cmd)
            if not line.startswith(b"+OK"):
                raise Unexpected(f"{cmd.split()[0]}: {line!r}")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def is_multiline(cmd):
    words = cmd.upper().split()
    if not words:
        return False
    verb = words[0]
    if verb in ("CAPA", "RETR", "TOP"):
        return True
    return verb in ("LIST", "UIDL") and len(words) == 1


def normalise(cmd, line):
    verb = cmd.upper().split()[0] if cmd.split() else ""
    keep = verb == "STAT" or (verb in ("LIST", "UIDL") and len(cmd.split()) > 1)
    if line.startswith(b"+OK"):
        return line if keep else b"+OK\r\n"
    if line.startswith(b"-ERR"):
        return b"-ERR\r\n"
    raise Unexpected(f"{verb}: reply is neither +OK nor -ERR: {line[:200]!r}")


def session(p, args, conn):
    out = sys.stdout.buffer
    if not args.no_login:
        p.login(conn.user, conn.password)
    if args.pipeline:
        p.send(b"".join(c.encode("latin-1") + b"\r\n" for c in args.commands))
        for c in args.commands:
            out.write(p.reply(c))
    else:
        for c in args.commands:
            out.write(p.command(c))
    out.flush()
    if args.end == "quit":
        out.write(p.command("QUIT"))
    elif args.end == "hold":
        try:
            while True:
                p._fill()
        except Closed:
            out.write(b"closed\r\n")
    out.flush()


def login_outcome(conn):
    try:
        p = Pop3(conn.host, conn.port, conn.tls, conn.ca, conn.timeout)
    except ssl.SSLError as e:
        return f"tls-error {e}"
    except Unexpected as e:
        return f"err {e}"
    except Closed as e:
        return f"closed {e}"
    except socket.timeout:
        return "timeout before login"
    except ConnectionError as e:
        return f"closed {e}"
    try:
        for cmd in (f"USER {conn.user}", f"PASS {conn.password}"):
            line = p.command(cmd)
            if not line.startswith(b"+OK"):
                return f"err {cmd.split()[0]}: {p.last_line.decode('latin-1').strip()}"
        return "ok PASS accepted"
    except Closed as e:
        return f"closed {e}"
    except ConnectionError as e:
        return f"closed {e}"
    except socket.timeout:
        return "timeout waiting for a reply"
    except ssl.SSLError as e:
        return f"tls-error {e}"
    finally:
        p.close()


def stls_injection(conn):
    sock = socket.create_connection((conn.host, conn.port), timeout=conn.timeout)
    p = Pop3.__new__(Pop3)
    p.host, p.ca, p.buf, p.sock = conn.host, conn.ca, bytearray(), sock
    try:
        p.read_line()
        p.send(b"STLS\r\nCAPA\r\n")
        line = p.read_line()
        if not line.startswith(b"+OK"):
            return f"error STLS refused: {line.strip()!r}"
        # Whatever the server says in the clear after its STLS reply is not TLS.
        cleartext = bytes(p.buf)
        p.buf.clear()
        try:
            p._start_tls()
        except ssl.SSLError as e:
            return f"error TLS handshake failed after the pipelined STLS: {e}"
        p.sock.settimeout(1.5)
        try:
            p._fill()
            return f"injected: after the handshake, unasked-for {bytes(p.buf)[:80]!r}"
        except socket.timeout:
            pass
        p.sock.settimeout(conn.timeout)
        reply = p.command("CAPA")
        if not reply.startswith(b"+OK"):
            return f"error CAPA inside TLS got {p.last_line.strip()!r}"
        p.sock.settimeout(1.5)
        try:
            if not p.buf:
                p._fill()
            return f"injected: a second reply after CAPA: {bytes(p.buf)[:80]!r}"
        except socket.timeout:
            pass
        return "clean" + (f" (cleartext after STLS reply: {cleartext[:40]!r})" if cleartext else "")
    except (Closed, ConnectionError) as e:
        return f"error connection closed: {e}"
    except socket.timeout:
        return "error timeout"
    finally:
        p.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls", choices=("none", "implicit", "stls"), default="none")
    ap.add_argument("--ca", help="PEM file of trusted certificates (verification is always on for TLS)")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="alice-secret")
    ap.add_argument("--timeout", type=float, default=30.0)
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("session")
    s.add_argument("--pipeline", action="store_true")
    s.add_argument("--end", choices=("quit", "drop", "hold"), default="quit")
    s.add_argument("--no-login", action="store_true")
    s.add_argument("commands", nargs="*")
    sub.add_parser("login-outcome")
    sub.add_parser("stls-injection")
    args = ap.parse_args()

    if args.what == "stls-injection":
        print(stls_injection(args))
        return 0
    if args.what == "login-outcome":
        print(login_outcome(args))
        return 0
    p = None
    try:
        p = Pop3(args.host, args.port, args.tls, args.ca, args.timeout)
        session(p, args, args)
        return 0
    except Unexpected as e:
        print(f"pop3.py: unexpected reply: {e}", file=sys.stderr)
        return 2
    except (Closed, ConnectionError) as e:
        print(f"pop3.py: connection closed: {e}", file=sys.stderr)
        return 3
    except socket.timeout:
        print("pop3.py: timed out", file=sys.stderr)
        return 4
    except ssl.SSLError as e:
        print(f"pop3.py: TLS error: {e}", file=sys.stderr)
        return 5
    finally:
        if p:
            p.close()


if __name__ == "__main__":
    sys.exit(main())
