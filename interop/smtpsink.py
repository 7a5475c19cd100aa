#!/usr/bin/env python3
"""A tiny SMTP sink for the interop suite's SMTP group (stdlib only).

usage: smtpsink.py --port PORT DIR
       smtpsink.py --port PORT --discard


Listens on 127.0.0.1:PORT and accepts every message from anyone (it is the relay Dovecot's
submission service hands mail to). Each message is stored as DIR/N.eml, N = 1, 2, ... in the
order the final "." arrived: the DATA octets exactly as received, with only the SMTP dot
transparency undone (RFC 5321 section 4.5.2: a leading "." of a line removed), the CRLF that
ends the last line kept, the terminating ".CRLF" line not. Its envelope goes to DIR/N.env:
the MAIL line and each RCPT line as the sink received them, one a line. N.env is written
first and N.eml appears by rename, so a reader that sees N.eml sees both complete.
With --discard (the benchmark's, bench/run-smtp.sh) nothing is stored and nothing is logged
per message: DATA is read in blocks until the CRLF "." CRLF that ends it, thrown away, and
answered 250 as usual (the reply carries the octet count, dot-stuffed as received), so a
benchmark measures the path and not the sink's disk; the count of messages goes to stdout at
exit.
It offers PIPELINING, 8BITMIME, SIZE and ENHANCEDSTATUSCODES; never CHUNKING nor XCLIENT.
Runs until SIGTERM.
"""
import argparse
import os
import signal
import socketserver
import sys
import threading

lock = threading.Lock()
counter = 0
store = "."
discard = False
END = b"\r\n.\r\n"


def next_number():
    global counter
    with lock:
        counter += 1
        return counter


class Session(socketserver.StreamRequestHandler):
    timeout = 120

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.reply("220 sink.popbridge.test ESMTP sink")
        mail, rcpts = None, []
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink.popbridge.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                                 b"250-SIZE\r\n250 ENHANCEDSTATUSCODES\r\n")
                self.wfile.flush()
            elif verb == b"HELO":
                self.reply("250 sink.popbridge.test")
            elif verb == b"MAIL":
                mail, rcpts = line, []
                self.reply("250 2.1.0 OK")
            elif verb == b"RCPT":
                if mail is None:
                    self.reply("503 5.5.1 MAIL first")
                else:
                    rcpts.append(line)
                    self.reply("250 2.1.5 OK")
            elif verb == b"DATA":
                if not rcpts:
                    self.reply("503 5.5.1 RCPT first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                if discard:
                    octets = self.skip_data()
                    if octets is None:
                        return
                    next_number()
                    mail, rcpts = None, []
                    self.reply(f"250 2.0.0 OK discarded {octets} octets")
                    continue
                if not self.data(mail, rcpts):
                    return
                mail, rcpts = None, []
                self.reply("250 2.0.0 OK stored")
            elif verb == b"RSET":
                mail, rcpts = None, []
                self.reply("250 2.0.0 OK")
            elif verb == b"NOOP":
                self.reply("250 2.0.0 OK")
            elif verb == b"QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Not implemented")

    def skip_data(self):
        """Reads and drops DATA up to and with its terminating line; returns the octets before
        it (dot-stuffed, as received), or None if the connection ended first. Uses peek, so
        nothing after the terminator (a pipelined command) is consumed."""
        tail, octets = b"\r\n", 0  # DATA starts at the beginning of a line
        while True:
            block = self.rfile.peek(1 << 16)
            if not block:
                return None
            window = tail + block
            end = window.find(END)
            if end >= 0:
                used = end + len(END) - len(tail)
                self.rfile.read(used)
                return octets + end + 2 - len(tail)  # the octets before the final "."
            self.rfile.read(len(block))
            octets += len(block)
            tail = window[-(len(END) - 1):]

    def data(self, mail, rcpts):
        chunks = []
        while True:
            line = self.rfile.readline()
            if not line:
                return False  # the connection ended inside DATA: nothing is stored
            if line == b".\r\n":
                break
            chunks.append(line[1:] if line.startswith(b".") else line)
        n = next_number()
        env = os.path.join(store, f"{n}.env")
        with open(env, "wb") as f:
            f.write(mail.rstrip(b"\r\n") + b"\n")
            for rcpt in rcpts:
                f.write(rcpt.rstrip(b"\r\n") + b"\n")
        tmp = os.path.join(store, f".{n}.eml.tmp")
        with open(tmp, "wb") as f:
            f.write(b"".join(chunks))
        os.rename(tmp, os.path.join(store, f"{n}.eml"))
        print(f"smtpsink: stored {n}.eml ({sum(map(len, chunks))} octets, {len(rcpts)} recipients)",
              flush=True)
        return True


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global store, discard
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--discard", action="store_true",
                        help="store nothing: read each message's data and answer 250")
    parser.add_argument("dir", nargs="?", help="where messages are stored (not with --discard)")
    args = parser.parse_args()
    if args.discard == (args.dir is not None):
        parser.error("give either DIR or --discard")
    discard = args.discard
    if not discard:
        store = args.dir
        os.makedirs(store, exist_ok=True)
    server = Server(("127.0.0.1", args.port), Session)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    where = "discarding every message" if discard else f"storing into {store}"
    print(f"smtpsink: listening on 127.0.0.1:{args.port}, {where}", flush=True)
    server.serve_forever()
    server.server_close()
    if discard:
        print(f"smtpsink: {counter} messages received and discarded", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
