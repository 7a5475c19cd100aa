#!/usr/bin/env bash
# The SMTP group's outgoing filters (issue 11): a popbridge whose config has, for mail sent,
# the log filter, a headers filter (remove X-Originating-IP, add X-Sent-Via), a sender
# policy (domain example.test: alice sends as alice@example.test) and a rate limit of 3
# messages per hour, in front of Dovecot's real submission service and smtpsink.py.
#   outgoing-headers-edited     smtplib over STARTTLS: the sink's message has no
#                               X-Originating-IP, has X-Sent-Via: popbridge, and its body
#   sender-policy-envelope-550  MAIL FROM:<boss@example.test> gets 550 5.7.1 with the reason;
#                               nothing reaches the sink
#   sender-policy-from-550      a forged From: gets 550 5.7.1 for its "."; nothing reaches the sink
#   audit-message-lines         popbridge's log: a message=sent line (sender, recipients=1,
#                               the server's 250), a message=not-sent line with the 550, an
#                               SMTP summary with sent=, and never alice's password
#   rate-limit-450              after 3 messages in all, the next MAIL gets 450 4.7.1
#   test-rules-outgoing         `popbridge test-rules --outgoing` refuses the forged message
#                               with the reply the relay gave
# usage: smtp-filters.sh WORKDIR NAME CONFIG   (popbridge NAME logs to WORKDIR/NAME.log, its
#   smtp:// listener on SMTP_FILTERED; CONFIG is its config file)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: smtp-filters.sh WORKDIR NAME CONFIG}
name=${2:?usage: smtp-filters.sh WORKDIR NAME CONFIG}
config=${3:?usage: smtp-filters.sh WORKDIR NAME CONFIG}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
: "${SMTP_FILTERED:=22153}"
log=$workdir/$name.log
sink=$workdir/sink
out=$workdir/out/${TAG}smtp-filters
mkdir -p "$out"
failed=0

sink_count() { find "$sink" -maxdepth 1 -name '*.eml' | wc -l; }

# send LOG ENVELOPE-FROM FROM-HEADER [EXTRA-HEADER]: one message through popbridge (STARTTLS,
# AUTH as alice) to bob@example.test; prints the outcome: "250 ..." or the refusal's code and text.
send() {
  python3 - "$PROXY_HOST" "$SMTP_FILTERED" "$PROXY_CA" "$2" "$3" "${4:-}" > "$out/$1.log" 2>&1 <<'PY'
import smtplib, ssl, sys
host, port, ca, envelope, from_header, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
message = f"From: {from_header}\r\nTo: bob@example.test\r\nSubject: outgoing filters\r\n"
if extra:
    message += extra + "\r\n"
message += "\r\nThe body, as sent.\r\n.a dot line\r\n"
try:
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        smtp.starttls(context=ssl.create_default_context(cafile=ca))
        smtp.login("alice", "alice-secret")
        smtp.sendmail(envelope, ["bob@example.test"], message.encode("ascii"))
    print("250 sent")
except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError, smtplib.SMTPRecipientsRefused) as e:
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(e.recipients.values()))
    else:
        code, text = e.smtp_code, e.smtp_error
    print(code, text.decode("ascii", "replace") if isinstance(text, bytes) else text)
PY
  tail -n 1 "$out/$1.log" | tr -d '\r'
}

# --- outgoing-headers-edited
problems=()
before=$(sink_count)
outcome=$(send headers alice@example.test "Alice <alice@example.test>" "X-Originating-IP: [10.9.8.7]")
[[ $outcome == "250 sent" ]] || problems+=("the message was not sent: $outcome")
sleep 0.5
if [[ $(sink_count) -ne $((before + 1)) ]]; then
  problems+=("the sink stored $(($(sink_count) - before)) messages, expected 1")
else
  stored=$sink/$((before + 1)).eml
  grep -qi '^X-Originating-IP:' "$stored" && problems+=("X-Originating-IP reached the server")
  grep -q '^X-Sent-Via: popbridge' "$stored" || problems+=("no X-Sent-Via: popbridge in the stored message")
  grep -q '^\.\.a dot line' "$stored" || grep -q '^\.a dot line' "$stored" || problems+=("the body's dot line is missing")
fi
verdict outgoing-headers-edited "${problems[@]}"

# --- sender-policy-envelope-550
before=$(sink_count)
outcome=$(send envelope boss@example.test "Alice <alice@example.test>")
problems=()
[[ $outcome == "550 5.7.1 Sender address <boss@example.test> is not yours (logged in as alice)" ]] \
  || problems+=("MAIL FROM:<boss@example.test> got: $outcome")
sleep 0.3
[[ $(sink_count) -eq $before ]] || problems+=("the sink stored a message")
verdict sender-policy-envelope-550 "${problems[@]}"

# --- sender-policy-from-550
before=$(sink_count)
outcome=$(send from alice@example.test "The Boss <boss@example.test>")
problems=()
[[ $outcome == "550 5.7.1 From: address <boss@example.test> is not yours (logged in as alice)" ]] \
  || problems+=("a forged From: got: $outcome")
sleep 0.3
[[ $(sink_count) -eq $before ]] || problems+=("the sink stored a message")
verdict sender-policy-from-550 "${problems[@]}"

# --- rate-limit-450: one message so far; two more pass, the next MAIL is deferred.
problems=()
for i in 2 3; do
  outcome=$(send "rate-$i" alice@example.test "alice@example.test")
  [[ $outcome == "250 sent" ]] || problems+=("message $i of 3 got: $outcome")
done
outcome=$(send rate-4 alice@example.test "alice@example.test")
[[ $outcome == "450 4.7.1 "* ]] || problems+=("the 4th message's MAIL got: $outcome (expected 450 4.7.1)")
verdict rate-limit-450 "${problems[@]}"

# --- audit-message-lines (the sessions above have ended: their summaries are written)
sleep 0.5
audit=$out/audit.txt
sed -n 's/^.* audit - \(session=\)/\1/p' "$log" > "$audit"
problems=()
grep -q 'user=alice message=sent sender=<alice@example.test> recipients=1 octets=[0-9]* reply="250 ' "$audit" \
  || problems+=("no message=sent line for alice with the server's 250")
grep -q 'user=alice message=not-sent sender=<alice@example.test> recipients=1 .*reply="550 5.7.1 From: address <boss@example.test>' "$audit" \
  || problems+=("no message=not-sent line with the 550 of the forged From")
grep -q 'user=alice upstream=.* commands=[0-9]* sent=1 .*end=QUIT' "$audit" \
  || problems+=("no SMTP session summary with sent=1 and end=QUIT")
grep -q 'command="MAIL FROM:<boss@example.test>[^"]*" status=550' "$audit" \
  || problems+=("no command line for the refused MAIL with status=550")
if grep -q 'alice-secret' "$log" || grep -q "$(printf '\0alice\0alice-secret' | base64)" "$log"; then
  problems+=("alice's password or her AUTH PLAIN response is in the log")
fi
verdict audit-message-lines "${problems[@]}"

# --- test-rules-outgoing
printf 'From: The Boss <boss@example.test>\r\nSubject: pay this\r\n\r\nnow\r\n' > "$out/forged.eml"
problems=()
if ! java -jar "$root/proxy/target/popbridge.jar" test-rules --config "$config" --outgoing --user alice \
    --sender alice@example.test --recipient bob@example.test "$out/forged.eml" > "$out/test-rules.log" 2>&1; then
  problems+=("test-rules exited non-zero: $(tail -n 2 "$out/test-rules.log" | tr '\n' ' ')")
fi
grep -q ': REFUSED$' "$out/test-rules.log" || problems+=("the forged message is not REFUSED")
grep -q '550 5.7.1 From: address <boss@example.test> is not yours (logged in as alice)' "$out/test-rules.log" \
  || problems+=("the report does not give the 550 the relay gave")
verdict test-rules-outgoing "${problems[@]}"

exit "$failed"
