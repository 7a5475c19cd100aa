"""A logged-in POP3 session on 127.0.0.1 for the bench's Python clients (stdlib only).

The bench mailboxes' users all have the password "bench-secret" (fill_mail.py). Every socket
operation times out after 10 s; Nagle is off, as a mail client that sends one command at a
time would want.
"""
import socket

PASSWORD = b"bench-secret"


class Pop3Session:
    """with Pop3Session(port, user, "name") as pop: pop.command(b"NOOP") ... (QUIT on leaving)."""

    def __init__(self, port, user, caller):
        self.caller = caller
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.replies = self.sock.makefile("rb")
        self.status()
        self.command(b"USER " + user.encode())
        self.command(b"PASS " + PASSWORD)

    def status(self):
        """The next reply's status line; exits 1 unless it is +OK."""
        reply = self.replies.readline()
        if not reply.startswith(b"+OK"):
            raise SystemExit(f"{self.caller}: unexpected reply {reply!r}")
        return reply

    def command(self, line):
        """Sends LINE (without CRLF) and returns its +OK status line."""
        self.sock.sendall(line + b"\r\n")
        return self.status()

    def rest_of_reply(self):
        """Reads a multi-line reply's lines up to its terminating dot."""
        line = self.replies.readline()
        while line != b".\r\n":
            if not line:
                raise SystemExit(f"{self.caller}: the connection closed within a reply")
            line = self.replies.readline()

    def skip_rest_of_reply(self):
        """Reads a multi-line reply up to its terminating dot in large chunks, looking at nothing
        else: a client that takes a large message as fast as a mail client writing it to disk."""
        tail = b""
        while True:
            chunk = self.replies.read1(262144)
            if not chunk:
                raise SystemExit(f"{self.caller}: the connection closed within a reply")
            tail = (tail + chunk[-5:])[-5:]
            if tail == b"\r\n.\r\n":
                return

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            if exc[0] is None:
                self.command(b"QUIT")
        finally:
            self.sock.close()
