#!/usr/bin/env python3
"""A stand-in OAuth 2.0 identity provider for the interop suite (stdlib only).

usage: idp.py --port PORT [--client ID:SECRET]... [--client ID:]... [--service ID:USER]...
              [--access-ttl S] [--device-interval S] [--cert PEM --key PEM]
              [--secrets-file FILE]

Listens on 127.0.0.1:PORT (plain HTTP, or HTTPS with --cert/--key) until SIGTERM. It plays the
identity provider that popbridge (issue 14) gets tokens from and that the suite's OAuth Dovecot
(dovecot-oauth.sh) asks whether a token is valid. Tokens, device codes and refresh tokens are
random (secrets.token_urlsafe); they live in memory only. The log (stderr) says what happened,
with user and client names, never a token, code or secret value. With --secrets-file, every
access token, refresh token and device code issued is also appended to FILE (mode 0600), one a
line, so a check can prove that none of them reached another program's log. Request bodies are
application/x-www-form-urlencoded, replies JSON (Cache-Control: no-store).

Clients (--client, repeatable; the defaults when none is given):
  popbridge:popbridge-secret   confidential: device flow, refresh, revocation
  dovecot:dovecot-secret       confidential: what Dovecot's oauth2 passdb introspects as
  service:service-secret       confidential, client_credentials for the mailbox of --service
  cli:                         public (no secret): device flow and refresh only
--service ID:USER binds a confidential client's client_credentials tokens to USER (default
service:bob): like Microsoft's app-only access, the token acts for that mailbox, and the
introspection reply names USER. Client authentication (RFC 6749 2.3.1): client_id and
client_secret as form fields, or HTTP Basic (form-urlencoded id and secret); both at once, or
a Basic id that differs from the form's client_id, is invalid_request; a wrong or missing
secret of a confidential client, or an unknown client, is 401 invalid_client.

OAuth endpoints
  POST /device        RFC 8628 device authorization. Form: client_id, [scope] (default "mail").
                      200 {device_code, user_code, verification_uri, verification_uri_complete,
                      expires_in, interval}. The code is approved only by the control call
                      /control/approve (there is no user): what the test does in the user's place.
  POST /token         RFC 6749 token endpoint, grant_type:
                      urn:ietf:params:oauth:grant-type:device_code (device_code): 400
                        authorization_pending until approved, slow_down when polled sooner than
                        interval after the last poll (interval then grows by 5 s, RFC 8628 3.5),
                        access_denied after /control/deny, expired_token after expires_in,
                        invalid_grant once the code has been exchanged (single use) or for
                        another client; then 200 {access_token, token_type: Bearer,
                        expires_in, refresh_token, scope}.
                      refresh_token (refresh_token, [scope] no wider than granted): a new access
                        token; with rotate_refresh on (default) also a new refresh token and the
                        old one stops working (a reuse is invalid_grant and counted); with it
                        off, no refresh_token in the reply (the old one stays valid, Google's way).
                        A revoked, rotated-out, expired or unknown refresh token, or another
                        client's, is invalid_grant.
                      client_credentials ([scope]): confidential clients with a --service user
                        only (else unauthorized_client); an access token for that user, no
                        refresh token.
                      Anything else: unsupported_grant_type.
  POST /introspect    RFC 7662 (as Dovecot's oauth2 passdb calls it with introspection_mode =
                      post: token=...&client_id=...&client_secret=...). Caller: a confidential
                      client. A live access token: {active: true, username, sub, scope, exp, iat,
                      client_id, token_type: Bearer}; anything else (unknown, expired, revoked,
                      a refresh token or device code): {active: false}. Always a JSON "active"
                      member: Dovecot 2.3 accepts a reply without it.
  POST /revoke        RFC 7009: token, [token_type_hint]. 200 whether or not the token was
                      known; a refresh token revokes its whole grant (the access tokens issued
                      from it too), an access token only itself. Another client's token: 400
                      unauthorized_client.
  GET  /verify        the verification_uri: a text page (approval is by the control call).
  GET  /.well-known/oauth-authorization-server   RFC 8414 metadata naming the endpoints above.

Test control (no authentication: 127.0.0.1 only; parameters in the query or the form body)
  POST /control/approve?user_code=C&username=alice   approve a pending device code as that user
  POST /control/deny?user_code=C                     the user refuses: access_denied
  GET  /control/pending              [{user_code, client_id, scope}] of codes awaiting approval
  POST /control/config?KEY=VALUE...  set, and GET /control/config read, the knobs:
         access_ttl (s, default 3600), refresh_ttl (s, 0 = never expires), rotate_refresh (1/0),
         device_interval (s, default 1), device_ttl (s, default 300), token_bytes (random octets
         per token, default 32; about 1500 gives Microsoft-sized tokens), token_delay_ms (every
         /token reply waits this long, to make concurrent refreshes overlap), token_fail (the next
         N /token requests get 503 temporarily_unavailable); the reply is the whole config
  POST /control/revoke-user?username=alice[&access=1]  revoke the user's refresh tokens (and,
         with access=1, their access tokens too; by default access tokens live on until they
         expire, as at real providers); reply {revoked_refresh, revoked_access}
  POST /control/expire-access?username=alice  the user's access tokens expire now; {expired}
  GET  /control/stats   {grants: {GRANT: {user: n}}, refreshes: {user: n}, refresh_failures:
         {user: n}, refresh_reuse: {user: n}, token_errors: {error: n}, device_authorizations: n,
         device_polls: n, introspections: {total, active, inactive, by_user: {user: n}},
         revocations: n, client_auth_failures: n}; GRANT is device_code, refresh_token or
         client_credentials; refreshes counts successful refresh grants
  POST /control/reset-stats  zero every counter (tokens and config stay)
"""
import argparse
import base64
import json
import os
import secrets
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
GRANT_NAMES = {DEVICE_GRANT: "device_code", "refresh_token": "refresh_token",
               "client_credentials": "client_credentials"}
# user_code alphabet of RFC 8628 6.1's example: no vowels, no look-alikes.
USER_CODE_CHARS = "BCDFGHJKLMNPQRSTVWXZ"

lock = threading.Lock()
config = {
    "access_ttl": 3600, "refresh_ttl": 0, "rotate_refresh": 1, "device_interval": 1,
    "device_ttl": 300, "token_bytes": 32, "token_delay_ms": 0, "token_fail": 0,
}
clients = {}       # client_id -> secret (None: public)
service_users = {}  # client_id -> user for client_credentials
devices = {}       # device_code -> dict
user_codes = {}    # user_code -> device_code
access_tokens = {}  # token -> {user, client, scope, exp, iat, grant}
refresh_tokens = {}  # token -> {user, client, scope, exp, grant, state: live|rotated|revoked}
stats = {}
base_url = ""
secrets_file = None  # --secrets-file: every token and device code issued, one a line


def new_stats():
    return {"grants": {name: {} for name in GRANT_NAMES.values()}, "refreshes": {},
            "refresh_failures": {}, "refresh_reuse": {}, "token_errors": {},
            "device_authorizations": 0, "device_polls": 0,
            "introspections": {"total": 0, "active": 0, "inactive": 0, "by_user": {}},
            "revocations": 0, "client_auth_failures": 0}


def bump(table, key, n=1):
    table[key] = table.get(key, 0) + n


def log(message):
    sys.stderr.write(time.strftime("%H:%M:%S ") + "idp: " + message + "\n")
    sys.stderr.flush()


def token():
    value = secrets.token_urlsafe(config["token_bytes"])
    if secrets_file is not None:
        secrets_file.write(value + "\n")
        secrets_file.flush()
    return value


class OAuthError(Exception):
    def __init__(self, status, error, description, basic=False):
        super().__init__(description)
        self.status, self.error, self.description, self.basic = status, error, description, basic


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "popbridge-test-idp/1"

    # http.server logs the request line, whose query could hold anything: the path only.
    def log_request(self, code="-", size="-"):
        log(f"{self.command} {urllib.parse.urlsplit(self.path).path} -> {code}")

    def log_message(self, format, *args):  # errors of http.server itself
        log("http: " + (format % args).replace("\r", " ").replace("\n", " ")[:200])

    def reply(self, status, body, extra_headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, bytes)
                         else "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Pragma", "no-cache")
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length > 0 else ""
        query = urllib.parse.urlsplit(self.path).query
        fields = {}
        for source in (query, body) if self.path.startswith("/control/") else (body,):
            for key, value in urllib.parse.parse_qsl(source, keep_blank_values=True):
                fields[key] = value
        return fields

    def client(self, fields, allow_public):
        """The authenticated client_id, or OAuthError."""
        basic_id = basic_secret = None
        header = self.headers.get("Authorization", "")
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                raw_id, raw_secret = decoded.split(":", 1)
            except (ValueError, UnicodeDecodeError):
                raise OAuthError(401, "invalid_client", "malformed Basic credentials", True)
            basic_id = urllib.parse.unquote_plus(raw_id)
            basic_secret = urllib.parse.unquote_plus(raw_secret)
            if "client_secret" in fields:
                raise OAuthError(400, "invalid_request", "two client authentication methods")
            if fields.get("client_id", basic_id) != basic_id:
                raise OAuthError(400, "invalid_request", "client_id differs from Basic credentials")
        client_id = basic_id if basic_id is not None else fields.get("client_id")
        secret = basic_secret if basic_id is not None else fields.get("client_secret")
        if not client_id or client_id not in clients:
            with lock:
                stats["client_auth_failures"] += 1
            raise OAuthError(401, "invalid_client", "unknown client", basic_id is not None)
        expected = clients[client_id]
        if expected is None:
            if not allow_public:
                with lock:
                    stats["client_auth_failures"] += 1
                raise OAuthError(401, "invalid_client", f"public client {client_id} may not do this")
            if secret:
                raise OAuthError(401, "invalid_client", f"public client {client_id} has no secret")
            return client_id
        if secret is None or not secrets.compare_digest(secret.encode(), expected.encode()):
            with lock:
                stats["client_auth_failures"] += 1
            raise OAuthError(401, "invalid_client", f"wrong or missing secret for {client_id}",
                             basic_id is not None)
        return client_id

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/control/stats":
            with lock:
                self.reply(200, stats)
        elif path == "/control/config":
            with lock:
                self.reply(200, config)
        elif path == "/control/pending":
            now = time.monotonic()
            with lock:
                pending = [{"user_code": d["user_code"], "client_id": d["client"], "scope": d["scope"]}
                           for d in devices.values() if d["state"] == "pending" and d["expires"] > now]
            self.reply(200, pending)
        elif path == "/verify":
            self.reply(200, b"popbridge test identity provider: the test approves device codes "
                            b"with POST /control/approve?user_code=CODE&username=USER\n")
        elif path == "/.well-known/oauth-authorization-server":
            self.reply(200, {
                "issuer": base_url, "token_endpoint": base_url + "/token",
                "device_authorization_endpoint": base_url + "/device",
                "introspection_endpoint": base_url + "/introspect",
                "revocation_endpoint": base_url + "/revoke",
                "grant_types_supported": list(GRANT_NAMES),
                "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                          "client_secret_post", "none"]})
        else:
            self.reply(404, {"error": "not_found"})

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        fields = self.form()
        routes = {"/device": self.device, "/token": self.token, "/introspect": self.introspect,
                  "/revoke": self.revoke, "/control/approve": self.approve,
                  "/control/deny": self.deny, "/control/config": self.set_config,
                  "/control/revoke-user": self.revoke_user,
                  "/control/expire-access": self.expire_access,
                  "/control/reset-stats": self.reset_stats}
        handler = routes.get(path)
        if handler is None:
            self.reply(404, {"error": "not_found"})
            return
        try:
            handler(fields)
        except OAuthError as e:
            headers = [("WWW-Authenticate", 'Basic realm="idp"')] if e.status == 401 else []
            log(f"{path}: {e.status} {e.error}: {e.description}")
            if path == "/token":
                with lock:
                    bump(stats["token_errors"], e.error)
            self.reply(e.status, {"error": e.error, "error_description": e.description}, headers)

    # --- RFC 8628 device authorization -----------------------------------------------------
    def device(self, fields):
        client_id = self.client(fields, allow_public=True)
        scope = fields.get("scope") or "mail"
        with lock:
            device_code = token()
            while True:
                raw = "".join(secrets.choice(USER_CODE_CHARS) for _ in range(8))
                user_code = raw[:4] + "-" + raw[4:]
                if user_code not in user_codes:
                    break
            devices[device_code] = {
                "user_code": user_code, "client": client_id, "scope": scope, "state": "pending",
                "user": None, "expires": time.monotonic() + config["device_ttl"],
                "interval": config["device_interval"], "last_poll": None}
            user_codes[user_code] = device_code
            stats["device_authorizations"] += 1
            expires_in, interval = config["device_ttl"], config["device_interval"]
        log(f"device authorization started for client {client_id}, scope {scope!r}")
        self.reply(200, {"device_code": device_code, "user_code": user_code,
                         "verification_uri": base_url + "/verify",
                         "verification_uri_complete": base_url + "/verify?user_code=" + user_code,
                         "expires_in": expires_in, "interval": interval})

    # --- RFC 6749 token endpoint ---------------------------------------------------------
    def token(self, fields):
        grant_type = fields.get("grant_type", "")
        with lock:
            delay = config["token_delay_ms"]
            failing = config["token_fail"] > 0
            if failing:
                config["token_fail"] -= 1
        if delay:
            time.sleep(delay / 1000)
        if failing:
            raise OAuthError(503, "temporarily_unavailable", "token_fail set by the test")
        if grant_type not in GRANT_NAMES:
            raise OAuthError(400, "unsupported_grant_type", f"grant_type {grant_type[:60]!r}")
        client_id = self.client(fields, allow_public=grant_type != "client_credentials")
        if grant_type == DEVICE_GRANT:
            body = self.device_grant(client_id, fields)
        elif grant_type == "refresh_token":
            body = self.refresh_grant(client_id, fields)
        else:
            body = self.client_credentials_grant(client_id, fields)
        self.reply(200, body)

    def issue(self, user, client_id, scope, grant, with_refresh):
        """Called with the lock held: a new access token (and refresh token) for user."""
        now = time.time()
        access = token()
        access_tokens[access] = {"user": user, "client": client_id, "scope": scope,
                                 "iat": int(now), "exp": now + config["access_ttl"], "grant": grant}
        body = {"access_token": access, "token_type": "Bearer",
                "expires_in": config["access_ttl"], "scope": scope}
        if with_refresh:
            refresh = token()
            refresh_tokens[refresh] = {
                "user": user, "client": client_id, "scope": scope, "grant": grant, "state": "live",
                "exp": now + config["refresh_ttl"] if config["refresh_ttl"] else None}
            body["refresh_token"] = refresh
        return body

    def device_grant(self, client_id, fields):
        code = fields.get("device_code", "")
        now = time.monotonic()
        with lock:
            stats["device_polls"] += 1
            device = devices.get(code)
            if device is None or device["client"] != client_id:
                raise OAuthError(400, "invalid_grant", "unknown device code for this client")
            if device["state"] == "used":
                raise OAuthError(400, "invalid_grant", "device code already exchanged")
            if device["expires"] <= now:
                raise OAuthError(400, "expired_token", "device code expired")
            if device["state"] == "denied":
                raise OAuthError(400, "access_denied", "the user refused")
            last, device["last_poll"] = device["last_poll"], now
            if device["state"] == "pending":
                if last is not None and now - last < device["interval"]:
                    device["interval"] += 5
                    raise OAuthError(400, "slow_down", f"poll interval now {device['interval']} s")
                raise OAuthError(400, "authorization_pending", "not approved yet")
            device["state"] = "used"
            user_codes.pop(device["user_code"], None)
            user = device["user"]
            body = self.issue(user, client_id, device["scope"], secrets.token_hex(8), True)
            bump(stats["grants"]["device_code"], user)
        log(f"token: device_code grant for {user}, client {client_id}, "
            f"access ttl {body['expires_in']} s, refresh token issued")
        return body

    def refresh_grant(self, client_id, fields):
        presented = fields.get("refresh_token", "")
        with lock:
            record = refresh_tokens.get(presented)
            if record is None or record["client"] != client_id:
                raise OAuthError(400, "invalid_grant", "unknown refresh token for this client")
            user = record["user"]
            if record["state"] != "live" or (record["exp"] is not None and record["exp"] <= time.time()):
                bump(stats["refresh_failures"], user)
                if record["state"] == "rotated":
                    bump(stats["refresh_reuse"], user)
                why = "expired" if record["state"] == "live" else record["state"]
                log(f"token: refresh for {user} refused: refresh token {why}")
                raise OAuthError(400, "invalid_grant", f"refresh token {why}")
            scope = record["scope"]
            if fields.get("scope"):
                asked = set(fields["scope"].split())
                if not asked <= set(scope.split()):
                    bump(stats["refresh_failures"], user)
                    raise OAuthError(400, "invalid_scope", "wider than granted")
                scope = " ".join(sorted(asked))
            rotate = bool(config["rotate_refresh"])
            body = self.issue(user, client_id, scope, record["grant"], rotate)
            if rotate:
                record["state"] = "rotated"
            bump(stats["grants"]["refresh_token"], user)
            bump(stats["refreshes"], user)
        log(f"token: refresh_token grant for {user}, client {client_id}, access ttl "
            f"{body['expires_in']} s, refresh token {'rotated' if rotate else 'kept'}")
        return body

    def client_credentials_grant(self, client_id, fields):
        user = service_users.get(client_id)
        if user is None:
            raise OAuthError(400, "unauthorized_client", f"{client_id} has no service mailbox")
        with lock:
            body = self.issue(user, client_id, fields.get("scope") or "mail",
                              secrets.token_hex(8), False)
            bump(stats["grants"]["client_credentials"], user)
        log(f"token: client_credentials grant for client {client_id} as {user}, "
            f"access ttl {body['expires_in']} s")
        return body

    # --- RFC 7662 introspection ------------------------------------------------------------
    def introspect(self, fields):
        caller = self.client(fields, allow_public=False)
        with lock:
            record = access_tokens.get(fields.get("token", ""))
            stats["introspections"]["total"] += 1
            if record is not None and record["exp"] > time.time():
                stats["introspections"]["active"] += 1
                bump(stats["introspections"]["by_user"], record["user"])
                body = {"active": True, "username": record["user"], "sub": record["user"],
                        "scope": record["scope"], "exp": int(record["exp"]), "iat": record["iat"],
                        "client_id": record["client"], "token_type": "Bearer"}
                what = f"active, {record['user']}"
            else:
                stats["introspections"]["inactive"] += 1
                body = {"active": False}
                what = "inactive (" + ("unknown token" if record is None else "expired") + ")"
        log(f"introspect by {caller}: {what}")
        self.reply(200, body)

    # --- RFC 7009 revocation ---------------------------------------------------------------
    def revoke(self, fields):
        client_id = self.client(fields, allow_public=True)
        presented = fields.get("token", "")
        with lock:
            refresh = refresh_tokens.get(presented)
            access = access_tokens.get(presented)
            record = refresh or access
            if record is not None and record["client"] != client_id:
                raise OAuthError(400, "unauthorized_client", "the token belongs to another client")
            stats["revocations"] += 1
            what = "unknown token (nothing to do)"
            if refresh is not None:
                grant = refresh["grant"]
                for r in refresh_tokens.values():
                    if r["grant"] == grant:
                        r["state"] = "revoked"
                gone = [t for t, a in access_tokens.items() if a["grant"] == grant]
                for t in gone:
                    del access_tokens[t]
                what = f"refresh token of {refresh['user']} and {len(gone)} access tokens of its grant"
            elif access is not None:
                del access_tokens[presented]
                what = f"access token of {access['user']}"
        log(f"revoke by {client_id}: {what}")
        self.reply(200, {})

    # --- test control ----------------------------------------------------------------------
    def approve(self, fields):
        code, user = fields.get("user_code", ""), fields.get("username", "")
        if not user:
            raise OAuthError(400, "invalid_request", "username missing")
        with lock:
            device = devices.get(user_codes.get(code, ""))
            if device is None or device["state"] != "pending" or device["expires"] <= time.monotonic():
                raise OAuthError(404, "not_found", "no pending device code with that user_code")
            device["state"], device["user"] = "approved", user
        log(f"control: device code approved as {user}")
        self.reply(200, {"approved": True, "username": user})

    def deny(self, fields):
        with lock:
            device = devices.get(user_codes.get(fields.get("user_code", ""), ""))
            if device is None or device["state"] != "pending":
                raise OAuthError(404, "not_found", "no pending device code with that user_code")
            device["state"] = "denied"
        log("control: device code denied")
        self.reply(200, {"denied": True})

    def set_config(self, fields):
        with lock:
            for key, value in fields.items():
                if key not in config:
                    raise OAuthError(400, "invalid_request", f"unknown setting {key[:40]!r}")
                try:
                    number = int(value)
                except ValueError:
                    raise OAuthError(400, "invalid_request", f"{key} must be an integer")
                if number < 0 or (key in ("token_bytes", "device_interval") and number < 1):
                    raise OAuthError(400, "invalid_request", f"{key} out of range")
                config[key] = number
            current = dict(config)
        log("control: config " + " ".join(f"{k}={v}" for k, v in sorted(fields.items())))
        self.reply(200, current)

    def revoke_user(self, fields):
        user = fields.get("username", "")
        also_access = fields.get("access", "0") not in ("", "0", "no", "false")
        with lock:
            revoked = 0
            for record in refresh_tokens.values():
                if record["user"] == user and record["state"] == "live":
                    record["state"] = "revoked"
                    revoked += 1
            gone = [t for t, a in access_tokens.items() if a["user"] == user] if also_access else []
            for t in gone:
                del access_tokens[t]
        log(f"control: revoked {revoked} refresh tokens and {len(gone)} access tokens of {user}")
        self.reply(200, {"revoked_refresh": revoked, "revoked_access": len(gone)})

    def expire_access(self, fields):
        user = fields.get("username", "")
        now = time.time()
        with lock:
            expired = 0
            for record in access_tokens.values():
                if record["user"] == user and record["exp"] > now:
                    record["exp"] = now
                    expired += 1
        log(f"control: expired {expired} access tokens of {user}")
        self.reply(200, {"expired": expired})

    def reset_stats(self, fields):
        global stats
        with lock:
            stats = new_stats()
        log("control: counters reset")
        self.reply(200, {})


def main():
    global base_url, stats, secrets_file
    parser = argparse.ArgumentParser(description="stand-in OAuth 2.0 identity provider")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client", action="append", default=[], metavar="ID:SECRET",
                        help="a client; ID: (empty secret) is a public client")
    parser.add_argument("--service", action="append", default=[], metavar="ID:USER",
                        help="client_credentials tokens of client ID act for USER")
    parser.add_argument("--access-ttl", type=int, default=3600)
    parser.add_argument("--device-interval", type=int, default=1)
    parser.add_argument("--cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--key", help="the certificate's private key (PEM)")
    parser.add_argument("--secrets-file", help="append every token and device code issued to this "
                        "file (mode 0600), for checks that no log holds one")
    args = parser.parse_args()

    for spec in args.client or ["popbridge:popbridge-secret", "dovecot:dovecot-secret",
                                "service:service-secret", "cli:"]:
        client_id, sep, secret = spec.partition(":")
        if not client_id or not sep:
            parser.error(f"--client {spec!r}: expected ID:SECRET or ID:")
        clients[client_id] = secret or None
    for spec in args.service or (["service:bob"] if not args.client else []):
        client_id, _, user = spec.partition(":")
        if clients.get(client_id) is None or not user:
            parser.error(f"--service {spec!r}: needs a confidential --client {client_id} and a user")
        service_users[client_id] = user
    config["access_ttl"] = args.access_ttl
    config["device_interval"] = max(1, args.device_interval)
    stats = new_stats()
    if args.secrets_file:
        fd = os.open(args.secrets_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        secrets_file = os.fdopen(fd, "a")

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    scheme = "http"
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        # The handshake happens on the first read, in the connection's thread: a client that
        # never completes one cannot hold up accept().
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
        scheme = "https"
    base_url = f"{scheme}://127.0.0.1:{args.port}"

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"listening on {base_url}; clients {', '.join(sorted(clients))}; "
        f"service mailboxes {', '.join(f'{c}->{u}' for c, u in sorted(service_users.items())) or 'none'}")
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    log("stopped")


if __name__ == "__main__":
    main()
