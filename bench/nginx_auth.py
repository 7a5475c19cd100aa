#!/usr/bin/env python3
"""The auth_http endpoint of bench/run-nginx.sh's nginx mail proxy (stdlib only, 127.0.0.1).

usage: nginx_auth.py PORT UPSTREAM_PORT [LIFETIME_SECONDS]

nginx's mail module asks an HTTP server, once per login, whether the user may log in and
which server to proxy to (https://nginx.org/en/docs/mail/ngx_mail_auth_http_module.html).
This one lets every POP3 login through to the bench Dovecot on 127.0.0.1:UPSTREAM_PORT,
which checks the password itself when nginx sends it USER and PASS; any other protocol is
refused. It answers one request at a time, gives each connection 10 s, and exits after
LIFETIME_SECONDS (3600), so a run that dies cannot leave it behind for long. It prints
"listening" once bound, and at exit how many logins it answered.
"""
import http.server
import signal
import sys
import time

REQUEST_TIMEOUT_S = 10


class AuthHandler(http.server.BaseHTTPRequestHandler):
    timeout = REQUEST_TIMEOUT_S
    protocol_version = "HTTP/1.0"
    upstream_port = 0
    answered = 0

    def do_GET(self):
        if self.headers.get("Auth-Protocol", "").lower() == "pop3":
            headers = [("Auth-Status", "OK"), ("Auth-Server", "127.0.0.1"),
                       ("Auth-Port", str(self.upstream_port))]
            AuthHandler.answered += 1
        else:
            headers = [("Auth-Status", "only POP3 here")]
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass  # one login, one request: a line each would only fill the log


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    port, upstream = int(sys.argv[1]), int(sys.argv[2])
    lifetime = float(sys.argv[3]) if len(sys.argv) == 4 else 3600.0
    AuthHandler.upstream_port = upstream
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by PID: still say what it did
    server = http.server.HTTPServer(("127.0.0.1", port), AuthHandler)
    server.timeout = 1.0  # handle_request returns at least once a second, so the deadline holds
    print(f"nginx_auth: listening on 127.0.0.1:{port}, logins go to 127.0.0.1:{upstream}", flush=True)
    deadline = time.monotonic() + lifetime
    try:
        while time.monotonic() < deadline:
            server.handle_request()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print(f"nginx_auth: answered {AuthHandler.answered} logins", flush=True)


if __name__ == "__main__":
    main()
