#!/usr/bin/env python3
"""The OAuth group's client side (stdlib only): talks to idp.py as an OAuth client and a test
would, and logs in to a mail server with a bearer token as a mail client would.

Tokens are passed in files (mode 0600), never on the command line, and never printed: every
command prints one line of JSON about what happened, without token values.

usage:
  oauthclient.py device IDP CLIENT:SECRET USER OUTDIR
      RFC 8628 as a client: POST /device, one poll before approval (authorization_pending
      expected), a second poll at once (slow_down expected), approval as USER through
      /control/approve (what the user would do in a browser), polling at the interval it was
      given (bounded by expires_in and 60 s), then one more exchange of the used code
      (invalid_grant expected). Writes OUTDIR/access, OUTDIR/refresh, OUTDIR/device_code.
  oauthclient.py refresh IDP CLIENT:SECRET REFRESH_FILE OUTDIR
      refresh_token grant; writes OUTDIR/access (and OUTDIR/refresh when one is returned).
  oauthclient.py client-credentials IDP CLIENT:SECRET OUTDIR
  oauthclient.py revoke IDP CLIENT:SECRET TOKEN_FILE          RFC 7009
  oauthclient.py introspect IDP CLIENT:SECRET TOKEN_FILE      RFC 7662
  oauthclient.py call IDP METHOD PATH [KEY=VALUE...] [--basic] [--form]
      any other request (test control, client authentication probes); CLIENT:SECRET pairs are
      given as client_id=/client_secret= (form) or, with --basic, as basic=ID:SECRET.
  oauthclient.py login imap|pop3|smtp xoauth2|oauthbearer HOST PORT CA USER TOKEN_FILE
                [--send FROM TO SUBJECT]
      STARTTLS/STLS (the certificate verified against CA for "localhost"), then AUTHENTICATE
      (imaplib: never an initial response), AUTH (poplib, smtplib: with an initial response
      where the command line stays within RFC 5034's 255 and RFC 4954's 512 octets, else the
      response after the server's empty challenge; "initial_response" says which). On success: IMAP
      EXAMINE INBOX and the first message's Subject, POP3 STAT and RETR 1's Subject, SMTP the
      message sent with --send. A refused login answers a failed XOAUTH2/OAUTHBEARER exchange
      with the empty response the mechanisms require and reports the server's final reply.
"""
import base64
import imaplib
import json
import os
import poplib
import smtplib
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def request(idp, method, path, fields=None, basic=None, query=None):
    """(status, JSON or text) of an HTTP request to idp.py."""
    url = idp.rstrip("/") + path + ("?" + urllib.parse.urlencode(query) if query else "")
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    if basic:
        client_id, _, secret = basic.partition(":")
        raw = f"{urllib.parse.quote_plus(client_id)}:{urllib.parse.quote_plus(secret)}"
        req.add_header("Authorization", "Basic " + base64.b64encode(raw.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, body, headers = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as e:
        status, body, headers = e.code, e.read(), e.headers
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body.decode("utf-8", "replace")
    return status, parsed, headers


def client_fields(credentials):
    client_id, _, secret = credentials.partition(":")
    return {"client_id": client_id, **({"client_secret": secret} if secret else {})}


def write_secret(path, value):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)


def read_secret(path):
    with open(path) as f:
        return f.read().strip()


def token_summary(status, body):
    """What a token reply says, without its values."""
    if not isinstance(body, dict):
        return {"status": status, "body": str(body)[:100]}
    out = {"status": status}
    for key in ("error", "token_type", "expires_in", "scope"):
        if key in body:
            out[key] = body[key]
    out["access_token"] = "access_token" in body
    out["refresh_token"] = "refresh_token" in body
    return out


def device(idp, credentials, user, outdir):
    fields = client_fields(credentials)
    status, auth, _ = request(idp, "POST", "/device", dict(fields, scope="mail"))
    if status != 200:
        return {"device_status": status, "body": str(auth)[:200]}
    result = {"device_status": status,
              "fields": sorted(k for k in auth if k != "device_code") + (["device_code"] if auth.get("device_code") else []),
              "user_code_form": len(auth.get("user_code", "")) == 9 and auth["user_code"][4] == "-",
              "interval": auth.get("interval"), "expires_in": auth.get("expires_in"),
              "verification_uri": auth.get("verification_uri")}
    write_secret(os.path.join(outdir, "device_code"), auth["device_code"])
    poll = dict(fields, grant_type=DEVICE_GRANT, device_code=auth["device_code"])
    _, first, _ = request(idp, "POST", "/token", poll)
    result["before_approval"] = first.get("error") if isinstance(first, dict) else str(first)[:60]
    _, second, _ = request(idp, "POST", "/token", poll)
    result["polled_too_fast"] = second.get("error") if isinstance(second, dict) else str(second)[:60]
    interval = auth["interval"]
    if result["polled_too_fast"] == "slow_down":
        interval += 5  # RFC 8628 3.5: every later poll waits the longer interval
    status, approved, _ = request(idp, "POST", "/control/approve",
                                  query={"user_code": auth["user_code"], "username": user})
    result["approve_status"] = status
    deadline = time.monotonic() + min(auth["expires_in"], 60)
    polls, body = 0, {}
    while time.monotonic() < deadline:
        time.sleep(interval)
        status, body, _ = request(idp, "POST", "/token", poll)
        polls += 1
        if status == 200 or body.get("error") not in ("authorization_pending", "slow_down"):
            break
        if body.get("error") == "slow_down":
            interval += 5
    result["polls_after_approval"] = polls
    result["token"] = token_summary(status, body)
    if status == 200:
        write_secret(os.path.join(outdir, "access"), body["access_token"])
        if "refresh_token" in body:
            write_secret(os.path.join(outdir, "refresh"), body["refresh_token"])
    _, again, _ = request(idp, "POST", "/token", poll)
    result["code_reused"] = again.get("error") if isinstance(again, dict) else str(again)[:60]
    return result


def store_tokens(status, body, outdir):
    if status == 200:
        write_secret(os.path.join(outdir, "access"), body["access_token"])
        if "refresh_token" in body:
            write_secret(os.path.join(outdir, "refresh"), body["refresh_token"])
    return token_summary(status, body)


def xoauth2(user, token):
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user, token, host, port):
    escaped = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={escaped},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def tls_context(ca):
    context = ssl.create_default_context(cafile=ca)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def login(proto, mech, host, port, ca, user, token, send):
    port = int(port)
    initial = xoauth2(user, token) if mech == "xoauth2" else oauthbearer(user, token, "localhost", port)
    name = mech.upper()
    context = tls_context(ca)
    if proto == "imap":
        imap = imaplib.IMAP4(host, port, timeout=30)
        imap.starttls(ssl_context=context)
        imap.host = "localhost"
        sent = []

        def answer(challenge):
            # First continuation: the initial response; after a refusal (Dovecot's JSON
            # error challenge): the empty response, after which the server says NO.
            sent.append(challenge)
            return initial.encode() if len(sent) == 1 else b""
        try:
            imap.authenticate(name, answer)
        except imaplib.IMAP4.error as e:
            return {"result": "refused", "reply": str(e)[:200], "challenges": len(sent)}
        typ, data = imap.select("INBOX", readonly=True)
        count = int(data[0])
        typ, fetched = imap.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        subject = fetched[0][1].decode("utf-8", "replace").strip() if count else ""
        imap.logout()
        return {"result": "ok", "messages": count, "subject": subject}
    if proto == "pop3":
        pop = poplib.POP3(host, port, timeout=30)
        pop.stls(context=context)
        encoded = base64.b64encode(initial.encode()).decode()
        # RFC 5034 4: no initial response if it would make the AUTH line exceed 255 octets;
        # then the response goes after the server's empty "+ " challenge.
        with_initial = len(f"AUTH {name} {encoded}\r\n") <= 255
        challenges = 0
        try:
            if with_initial:
                pop._putcmd(f"AUTH {name} {encoded}")
            else:
                pop._putcmd(f"AUTH {name}")
                reply = pop._getresp()
                if not reply.startswith(b"+"):
                    raise poplib.error_proto(reply)
                pop._putcmd(encoded)
            reply = pop._getresp()
            if reply.startswith(b"+ ") or reply == b"+":
                challenges = 1
                pop._putcmd("")  # the empty response to the error challenge
                reply = pop._getresp()
        except poplib.error_proto as e:
            return {"result": "refused", "reply": e.args[0].decode("utf-8", "replace")[:200],
                    "challenges": challenges, "initial_response": with_initial}
        count, octets = pop.stat()
        _, lines, _ = pop.retr(1)
        subject = next((l.decode() for l in lines if l.lower().startswith(b"subject:")), "")
        pop.quit()
        return {"result": "ok", "reply": reply.decode()[:60], "messages": count, "subject": subject,
                "initial_response": with_initial}
    if proto == "smtp":
        smtp = smtplib.SMTP(host, port, timeout=30)
        smtp.starttls(context=context)
        smtp.ehlo("client.popbridge.test")
        challenges = []
        encoded = base64.b64encode(initial.encode()).decode()
        # RFC 4954 4: no initial response if the AUTH line would exceed 512 octets (Dovecot
        # answers "500 5.5.2 Line too long"); then it follows the empty "334 " challenge.
        with_initial = len(f"AUTH {name} {encoded}\r\n") <= 512
        sent = []

        def answer(challenge=None):
            if not sent:
                sent.append(True)
                return initial
            challenges.append(challenge)
            return ""
        try:
            smtp.auth(name, answer, initial_response_ok=with_initial)
        except smtplib.SMTPAuthenticationError as e:
            smtp.close()
            return {"result": "refused", "reply": f"{e.smtp_code} {e.smtp_error.decode()[:160]}",
                    "challenges": len(challenges), "initial_response": with_initial}
        result = {"result": "ok", "initial_response": with_initial}
        if send:
            sender, rcpt, subject = send
            message = (f"From: {sender}\r\nTo: {rcpt}\r\nSubject: {subject}\r\n"
                       f"Message-ID: <{int(time.time() * 1000)}@oauth.popbridge.test>\r\n\r\n"
                       "sent with a bearer token\r\n")
            refused = smtp.sendmail(sender, [rcpt], message.encode())
            result["refused_rcpts"] = len(refused)
        smtp.quit()
        return result
    raise SystemExit(f"unknown protocol {proto}")


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    what = argv[1]
    if what == "device":
        idp, credentials, user, outdir = argv[2:6]
        result = device(idp, credentials, user, outdir)
    elif what == "refresh":
        idp, credentials, refresh_file, outdir = argv[2:6]
        fields = dict(client_fields(credentials), grant_type="refresh_token",
                      refresh_token=read_secret(refresh_file))
        status, body, _ = request(idp, "POST", "/token", fields)
        result = store_tokens(status, body, outdir)
    elif what == "client-credentials":
        idp, credentials, outdir = argv[2:5]
        fields = dict(client_fields(credentials), grant_type="client_credentials")
        status, body, _ = request(idp, "POST", "/token", fields)
        result = store_tokens(status, body, outdir)
    elif what in ("revoke", "introspect"):
        idp, credentials, token_file = argv[2:5]
        fields = dict(client_fields(credentials), token=read_secret(token_file))
        status, body, _ = request(idp, "POST", "/" + what, fields)
        result = {"status": status, "body": body}
    elif what == "call":
        idp, method, path = argv[2:5]
        params, basic, form = {}, None, "--form" in argv[5:]
        for arg in argv[5:]:
            if arg.startswith("--"):
                continue
            key, _, value = arg.partition("=")
            if key == "basic":
                basic = value
            else:
                params[key] = value
        if form:
            status, body, headers = request(idp, method, path, params, basic)
        else:
            status, body, headers = request(idp, method, path, {} if method == "POST" else None,
                                            basic, params)
        result = {"status": status, "body": body,
                  "www_authenticate": headers.get("WWW-Authenticate") if headers else None}
    elif what == "login":
        proto, mech, host, port, ca, user, token_file = argv[2:9]
        send = argv[10:13] if len(argv) > 9 and argv[9] == "--send" else None
        try:
            result = login(proto, mech, host, port, ca, user, read_secret(token_file), send)
        except (OSError, imaplib.IMAP4.error, poplib.error_proto, smtplib.SMTPException) as e:
            result = {"result": "error", "error": f"{type(e).__name__}: {e}"[:200]}
    else:
        raise SystemExit(f"unknown command {what}\n" + __doc__)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
