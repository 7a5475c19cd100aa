#!/usr/bin/env python3
"""Reads one RETR reply slowly, for the truncation check (stdlib only).

usage: slowretr.py --port P --ca FILE --msg N --pause-after BYTES --go-file F --out FILE
Logs in as alice over implicit TLS, sends RETR N, reads BYTES octets of the reply,
prints "paused", then reads nothing more until F exists (bounded by --timeout), and
then reads everything until the server closes the connection (or --timeout).
Writes the raw reply (status line included) to FILE and prints how it ended:
"closed", "timeout" or "error ...".
"""
import argparse
import os
import socket
import ssl
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--msg", type=int, required=True)
    ap.add_argument("--pause-after", type=int, required=True)
    ap.add_argument("--go-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()

    ctx = ssl.create_default_context(cafile=a.ca)
    # A small receive buffer so the pause is felt upstream, not absorbed by the kernel.
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    raw.settimeout(a.timeout)
    raw.connect((a.host, a.port))
    s = ctx.wrap_socket(raw, server_hostname=a.host)
    f = s.makefile("rb")
    for cmd in (None, b"USER alice", b"PASS alice-secret"):
        if cmd:
            s.sendall(cmd + b"\r\n")
        line = f.readline()
        if not line.startswith(b"+OK"):
            print(f"error login: {line[:100]!r}")
            return 1
    s.sendall(b"RETR %d\r\n" % a.msg)
    got = bytearray()
    while len(got) < a.pause_after:
        chunk = f.read1(min(65536, a.pause_after - len(got)))
        if not chunk:
            break
        got += chunk
    print("paused", flush=True)
    deadline = time.monotonic() + a.timeout
    while not os.path.exists(a.go_file):
        if time.monotonic() > deadline:
            print("error: no go file")
            return 1
        time.sleep(0.1)
    how = "closed"
    try:
        while True:
            chunk = f.read1(65536)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        how = "timeout"
    except (ssl.SSLError, ConnectionError) as e:
        how = f"closed ({type(e).__name__})"
    with open(a.out, "wb") as out:
        out.write(got)
    print(how)
    return 0


if __name__ == "__main__":
    sys.exit(main())
