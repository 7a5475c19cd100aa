#!/usr/bin/env bash
# The SMTP group (issue 11): popbridge's SMTP submission side between real clients (swaks,
# curl, python smtplib, openssl s_client) and Dovecot's real submission service, which relays
# every accepted message to smtpsink.py (WORKDIR/sink/N.eml and N.env). The reference for a
# message is the same client's same submission made straight to Dovecot (21587, STARTTLS):
# `smtpcheck.py compare` drops from both stored messages the Received field Dovecot adds (its
# first field, with its continuation lines: session id and time always differ) and wants
# every other octet, headers and body, identical, and the envelopes Dovecot relayed too.
# usage: smtp.sh WORKDIR NAME   (run.sh's smtp_group: the sink on 21525 and popbridge NAME,
#   logging to WORKDIR/NAME.log, with smtp:// on SMTP_PLAIN, smtps:// on SMTP_TLS and smtps://
#   with tls: {profile: legacy} on SMTP_LEGACY, submission smtp+starttls://localhost:21587)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/lib.sh"
workdir=${1:?usage: smtp.sh WORKDIR NAME}
name=${2:?usage: smtp.sh WORKDIR NAME}
: "${PROXY_CA:?PROXY_CA must name the PEM file that verifies the proxy}"
: "${SMTP_PLAIN:=22150}" "${SMTP_TLS:=22151}" "${SMTP_LEGACY:=22152}"
direct_port=21587
direct_ca=$workdir/tls/ca.crt
sink=$workdir/sink
out=$workdir/out/${TAG}smtp
corpus=$out/corpus
mkdir -p "$out"
python3 "$here/smtpcheck.py" corpus "$corpus"
labels=(dot-lines eight-bit long-line-998 attachment-10mb no-final-crlf no-final-crlf-dot)
failed=0

sink_count() { find "$sink" -maxdepth 1 -name '*.eml' | wc -l; }

# delivered BEFORE: prints the sink's message number BEFORE+1 once it is stored (10 s bound).
delivered() {
  local want=$(($1 + 1)) i
  for ((i = 0; i < 50; i++)); do
    if [[ -f $sink/$want.eml ]]; then
      echo "$sink/$want.eml"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# submit LOG COMMAND...: runs COMMAND, a client submitting one message (output in
# $out/LOG.log), and sets msg to the sink file of that message; on failure returns 1 with
# why set. Exactly one message must have arrived.
submit() {
  local log=$out/$1.log before rc=0
  shift
  before=$(sink_count)
  "$@" > "$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    why="$1 exited $rc: $(grep -v '^ *$' "$log" | tail -n 2 | tr -d '\r' | tr '\n' ' ' | cut -c1-200)"
    return 1
  fi
  if ! msg=$(delivered "$before"); then
    why="$1 succeeded but the sink stored no message"
    return 1
  fi
  sleep 0.2
  if [[ $(sink_count) -ne $((before + 1)) ]]; then
    why="the sink stored $(($(sink_count) - before)) messages for one submission"
    return 1
  fi
}

# same_as REFERENCE: appends to problems unless msg (the latest submission) is REFERENCE's.
same_as() {
  local outcome
  if ! outcome=$(python3 "$here/smtpcheck.py" compare "$1" "$msg" 2>&1); then
    problems+=("$outcome")
  fi
}

# --- 1. swaks: STARTTLS + AUTH PLAIN, STARTTLS + AUTH LOGIN (and smtps, and AUTH in the
# clear on this loopback listener): the sink's message equals swaks' straight to Dovecot.
swaks_send() { # PORT CA TLS-FLAG AUTH
  swaks --server "127.0.0.1:$1" ${3:+"$3"} ${3:+--tls-verify} ${3:+--tls-ca-path} ${3:+"$2"} \
    --auth "$4" --auth-user alice --auth-password alice-secret \
    --from sender@example.test --to alice@example.test --data "$corpus/swaks.eml" --timeout 60
}
swaks_ref=
if submit swaks-direct swaks_send "$direct_port" "$direct_ca" --tls PLAIN; then
  swaks_ref=$msg
else
  fail "${TAG}swaks-reference" "swaks straight to Dovecot's submission: $why"
  failed=1
fi
swaks_check() { # CHECK LOG PORT TLS-FLAG AUTH
  local check=$1 log=$2 port=$3 flag=$4 mech=$5
  problems=()
  [[ -n $swaks_ref ]] || problems+=("no reference message")
  if submit "$log" swaks_send "$port" "$PROXY_CA" "$flag" "$mech"; then
    [[ -z $swaks_ref ]] || same_as "$swaks_ref"
  else
    problems+=("$why")
  fi
  verdict "$check" "${problems[@]}"
}
swaks_check swaks-starttls-auth-plain swaks-starttls-plain "$SMTP_PLAIN" --tls PLAIN
swaks_check swaks-starttls-auth-login swaks-starttls-login "$SMTP_PLAIN" --tls LOGIN
swaks_check swaks-smtps-auth-plain swaks-smtps-plain "$SMTP_TLS" --tlsc PLAIN
# A 127.0.0.1 listener allows AUTH before TLS (require-tls-for-auth is off on loopback).
swaks_check swaks-cleartext-auth-loopback swaks-clear-login "$SMTP_PLAIN" "" LOGIN

# --- 2. curl uploads of the tricky corpus, STARTTLS (--ssl-reqd) and smtps: byte-exact.
curl_send() { # URL CA FILE [--ssl-reqd]
  curl -sS --max-time 120 --url "$1" --cacert "$2" ${4:+"$4"} --user alice:alice-secret \
    --mail-from sender@example.test --mail-rcpt alice@example.test -T "$3"
}
declare -A curl_ref=()
problems=()
for label in "${labels[@]}"; do
  if submit "curl-direct-$label" curl_send "smtp://localhost:$direct_port" "$direct_ca" "$corpus/$label.eml" --ssl-reqd; then
    curl_ref[$label]=$msg
    # The suite's own sanity: Dovecot relayed what curl read from the file (plus the CRLF
    # curl adds to a last line without one), after its Received field.
    if ! outcome=$(python3 "$here/smtpcheck.py" as-sent "$msg" "$corpus/$label.eml"); then
      problems+=("$label: Dovecot relayed other octets than curl read from the file: $outcome")
    fi
  else
    problems+=("$label: curl straight to Dovecot: $why")
  fi
done
verdict curl-direct-relayed-as-sent "${problems[@]}"

curl_check() { # CHECK URL [--ssl-reqd]
  local check=$1 url=$2 flag=${3:-} label
  problems=()
  for label in "${labels[@]}"; do
    if [[ -z ${curl_ref[$label]:-} ]]; then
      problems+=("$label: no reference message")
    elif submit "$check-$label" curl_send "$url" "$PROXY_CA" "$corpus/$label.eml" "$flag"; then
      local before=${#problems[@]}
      same_as "${curl_ref[$label]}"
      [[ ${#problems[@]} -eq $before ]] || problems[-1]="$label: ${problems[-1]}"
    else
      problems+=("$label: $why")
    fi
  done
  verdict "$check" "${problems[@]}"
}
curl_check curl-starttls-corpus "smtp://$PROXY_HOST:$SMTP_PLAIN" --ssl-reqd
curl_check curl-smtps-corpus "smtps://$PROXY_HOST:$SMTP_TLS"

# --- 3. python smtplib: pipelined MAIL, three RCPT and DATA in one write, then RSET, NOOP,
# QUIT in one write: the replies in order, one message for three recipients, as direct.
pipelined() { # PORT CA
  python3 "$here/smtpcheck.py" --port "$1" --ca "$2" pipelined alice alice-secret \
    alice@example.test bob@example.test carol@example.test
}
codes_ok() { [[ $(cat "$out/$1.log") == "250 250 250 250 354 250 250 250 221" ]]; }
problems=()
if submit smtplib-direct pipelined "$direct_port" "$direct_ca" && codes_ok smtplib-direct; then
  ref=$msg
  if submit smtplib-pipelined pipelined "$SMTP_PLAIN" "$PROXY_CA"; then
    codes_ok smtplib-pipelined || problems+=("reply codes $(cat "$out/smtplib-pipelined.log"), expected 250 250 250 250 354 250 250 250 221")
    same_as "$ref"
    [[ $(grep -c '^RCPT' "${msg%.eml}.env") -eq 3 ]] || problems+=("the sink's envelope has not 3 RCPT: $(tr '\n' ' ' < "${msg%.eml}.env")")
  else
    problems+=("$why")
  fi
else
  problems+=("the reference straight to Dovecot: ${why:-reply codes $(cat "$out/smtplib-direct.log")}")
fi
verdict smtplib-pipelined-rcpts "${problems[@]}"

# --- 4. openssl s_client: STARTTLS on the smtp listener with TLS 1.2+ (TLS 1.0 refused),
# TLS 1.0 on the legacy smtps listener, refused on the default smtps listener.
handshake() { # CHECK PORT ok|refused VERSION-REGEX OPENSSL-ARGS...
  local check=$1 port=$2 expect=$3 version=$4 log=$out/$1.log rc=0
  shift 4
  { sleep 1; printf 'EHLO openssl.popbridge.test\r\n'; sleep 0.5; printf 'QUIT\r\n'; sleep 1.5; } \
    | timeout 30 openssl s_client -connect "$PROXY_HOST:$port" "$@" -CAfile "$PROXY_CA" \
      -verify_return_error -verify_ip "$PROXY_HOST" -brief -ign_eof > "$log" 2>&1 || rc=$?
  tr -d '\r\000' < "$log" > "$log.txt"
  if [[ $expect == ok ]]; then
    # (s_client -starttls smtp prints the last line of the EHLO reply before TLS again.)
    if [[ $rc -eq 0 ]] && grep -qE "^Protocol version: ($version)\$" "$log.txt" \
        && grep -q '^Verification: OK' "$log.txt" && grep -qE '^250[ -].* greets openssl.popbridge.test' "$log.txt" \
        && grep -q '^221 ' "$log.txt"; then
      pass "${TAG}$check"
    else
      fail "${TAG}$check" "expected a verified $version session, EHLO 250 and QUIT 221: rc=$rc $(grep -E 'Protocol|Verification|error|^[45][0-9][0-9]' "$log.txt" | head -n 3 | tr '\n' ' ' | cut -c1-300)"
      failed=1
    fi
  elif [[ $rc -ne 0 ]] && ! grep -q '^Protocol version:' "$log.txt"; then
    pass "${TAG}$check"
  else
    fail "${TAG}$check" "expected the handshake to be refused: rc=$rc $(grep -E 'Protocol|Ciphersuite' "$log.txt" | head -n 2 | tr '\n' ' ')"
    failed=1
  fi
}
handshake openssl-starttls "$SMTP_PLAIN" ok 'TLSv1.2|TLSv1.3' -starttls smtp
handshake openssl-starttls-tls1_2 "$SMTP_PLAIN" ok TLSv1.2 -starttls smtp -tls1_2
handshake openssl-starttls-refuses-tls1 "$SMTP_PLAIN" refused - -starttls smtp -tls1 -cipher 'DEFAULT@SECLEVEL=0'
handshake openssl-smtps "$SMTP_TLS" ok 'TLSv1.2|TLSv1.3'
handshake openssl-smtps-refuses-tls1 "$SMTP_TLS" refused - -tls1 -cipher 'DEFAULT@SECLEVEL=0'
handshake openssl-legacy-smtps-tls1 "$SMTP_LEGACY" ok TLSv1 -tls1 -cipher 'DEFAULT@SECLEVEL=0'
handshake openssl-legacy-smtps-tls1_1 "$SMTP_LEGACY" ok TLSv1.1 -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'

# --- 5. "STARTTLS\r\nRSET\r\n" in one write: only the 220 before the handshake, and after
# it no reply to the RSET sent in the clear (RFC 3207 section 6).
outcome=$(python3 "$here/smtpcheck.py" --port "$SMTP_PLAIN" --ca "$PROXY_CA" --timeout 20 starttls-injection)
case $outcome in
  clean) pass "${TAG}starttls-injection" ;;
  *) fail "${TAG}starttls-injection" "$outcome"; failed=1 ;;
esac

# --- 6. MAIL before AUTH gets 530; after AUTH, MAIL with SIZE=999999999999 (over the SIZE
# popbridge offers) gets 552 and the session goes on (a plain MAIL 250, RSET 250, QUIT 221).
before=$(sink_count)
outcome=$(python3 "$here/smtpcheck.py" --port "$SMTP_PLAIN" --ca "$PROXY_CA" mail-before-auth alice alice-secret)
read -r -a codes <<< "$outcome"
if [[ ${codes[0]:-} == 530 ]]; then
  pass "${TAG}mail-before-auth-530"
else
  fail "${TAG}mail-before-auth-530" "MAIL before AUTH (after STARTTLS) got: $outcome"
  failed=1
fi
if [[ ${codes[*]:1} == "235 552 250 250 221" && $(sink_count) -eq $before ]]; then
  pass "${TAG}mail-size-over-552"
else
  fail "${TAG}mail-size-over-552" "AUTH, MAIL SIZE=999999999999, MAIL, RSET, QUIT got: ${codes[*]:1} (expected 235 552 250 250 221); sink $before -> $(sink_count) messages"
  failed=1
fi

# --- 3b. a wrong password (smtplib over smtps) gets 535, a MAIL after it 530, and nothing
# is delivered. Last: Dovecot then slows logins from 127.0.0.1 until one succeeds.
before=$(sink_count)
outcome=$(python3 "$here/smtpcheck.py" --port "$SMTP_TLS" --tls implicit --ca "$PROXY_CA" \
  wrong-password alice not-the-password 2>&1 || true)
sleep 1
if [[ $outcome == "535 530" && $(sink_count) -eq $before ]]; then
  pass "${TAG}smtplib-wrong-password-535"
else
  fail "${TAG}smtplib-wrong-password-535" "login with a wrong password, then MAIL, got: $outcome (expected 535 530); sink $before -> $(sink_count) messages"
  failed=1
fi

# No secret in popbridge's log: neither alice's password nor its base64 forms (AUTH LOGIN
# sends it alone, AUTH PLAIN with the user name).
log=$workdir/$name.log
secrets="alice-secret|$(printf 'alice-secret' | base64)|$(printf '\0alice\0alice-secret' | base64)"
if grep -qE "$secrets" "$log"; then
  fail "${TAG}log-no-auth-secrets" "alice's password or its base64 appears in $log"
  failed=1
else
  pass "${TAG}log-no-auth-secrets"
fi
exit "$failed"
