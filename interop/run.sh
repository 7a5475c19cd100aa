#!/usr/bin/env bash
# The popbridge interop suite: a private Dovecot, a generated corpus of tricky mail,
# popbridge in front of it, and real clients (curl, fetchmail, openssl s_client, a
# scripted socket client) whose results through popbridge must equal Dovecot's own.
#
# usage: bash interop/run.sh [--direct] [--keep]
#   --direct  point the checks at Dovecot itself instead of popbridge (validates the
#             suite without a proxy; strict-TLS, shutdown, legacy-TLS, filter, routes and
#             SMTP checks are skipped)
#   --keep    keep the work directory (also INTEROP_KEEP=1)
# Prints PASS/FAIL lines and ends with "interop: N passed, N failed"; exits 1 if any failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"

direct=0
keep=${INTEROP_KEEP:-0}
for arg in "$@"; do
  case $arg in
    --direct) direct=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: run.sh [--direct] [--keep]" >&2; exit 2 ;;
  esac
done

workdir=$(mktemp -d /tmp/popbridge-interop.XXXXXX)
results=$workdir/results
: > "$results"
started=()
sink_pid=
idp_pid=

cleanup() {
  local name
  if [[ -n $sink_pid ]]; then
    stop_pid "$sink_pid" 5 || true
    sink_pid=
  fi
  if [[ -n $idp_pid ]]; then
    stop_pid "$idp_pid" 5 || true
    idp_pid=
  fi
  for name in "${started[@]}"; do
    bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  done
  started=()
  bash "$here/dovecot.sh" stop "$workdir" || true
  bash "$here/dovecot-trusted.sh" stop "$workdir" || true
  bash "$here/dovecot-oauth.sh" stop "$workdir" || true
  bash "$here/dovecot-resume.sh" stop "$workdir" || true
  if [[ $keep -eq 1 ]]; then
    echo "interop: work directory kept: $workdir"
  else
    rm -rf "$workdir"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

note() { echo "$1" | tee -a "$results"; }

# netty's leak detector at its most thorough in every popbridge started here (popbridge turns it
# off by default for speed); any report fails the log-no-leaks check. An explicit level in
# POPBRIDGE_JAVA_OPTS comes later on the command line, and wins.
export POPBRIDGE_JAVA_OPTS="-Dio.netty.leakDetection.level=paranoid ${POPBRIDGE_JAVA_OPTS:-}"

# Every test user's password (dovecot.sh): none may appear in a popbridge log.
passwords='alice-secret|bob-secret|carol-secret|dave-secret|erin-secret|frank-secret'

summary() {
  local passed failed
  passed=$(grep -c '^PASS ' "$results" || true)
  failed=$(grep -c '^FAIL ' "$results" || true)
  trap - EXIT
  cleanup
  echo "interop: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

# run_check SCRIPT ARGS...: runs checks/SCRIPT (bounded to 4 minutes); its PASS/FAIL
# lines count. A script that fails without a FAIL line counts as one failure.
run_check() {
  local script=$1; shift
  local out=$workdir/last-check.out err=$workdir/last-check.err rc t0=$SECONDS
  set +e
  timeout -k 5 240 bash "$here/checks/$script" "$workdir" "$@" 2> "$err" | tee "$out" | tee -a "$results"
  rc=${PIPESTATUS[0]}
  set -e
  if [[ $rc -ne 0 ]] && ! grep -q '^FAIL ' "$out"; then
    note "FAIL ${TAG}${script%.sh}: the check script exited $rc: $(tail -n 3 "$err" | tr '\n' ' ' | cut -c1-300)"
  fi
  if [[ -s $err ]]; then
    sed 's/^/  (stderr) /' "$err" | tail -n 10
  fi
  echo "  (${TAG}${script} took $((SECONDS - t0)) s)"
  return 0
}

# --- the jar, and the release archive ------------------------------------------------
# One group (stls-upstream) runs popbridge through the bin/popbridge of the release archive
# (packaging/target/popbridge-VERSION.tar.gz), unpacked here; the others run the jar.
jar=$root/proxy/target/popbridge.jar
release_archives() {
  local found
  shopt -s nullglob
  found=("$root"/packaging/target/popbridge-*.tar.gz)
  shopt -u nullglob
  archives=("${found[@]}")
}
archives=()
release_archives
if [[ $direct -eq 0 && ( ! -f $jar || ${#archives[@]} -eq 0 ) ]]; then
  echo "interop: building $jar and the release archive"
  if ! (cd "$root" && mvn -B -q package -DskipTests) > "$workdir/build.log" 2>&1; then
    tail -n 30 "$workdir/build.log"
    note "FAIL build: mvn -B -q package -DskipTests failed"
    summary
    exit 1
  fi
  release_archives
fi
launcher=
if [[ $direct -eq 0 ]]; then
  if [[ ${#archives[@]} -ne 1 ]]; then
    note "FAIL release/unpack: expected one packaging/target/popbridge-*.tar.gz, found ${#archives[@]} (mvn clean package); stls-upstream runs the jar instead"
  elif ! (mkdir -p "$workdir/release" && tar -xzf "${archives[0]}" -C "$workdir/release") 2> "$workdir/release.err"; then
    note "FAIL release/unpack: tar -xzf ${archives[0]}: $(head -c 300 "$workdir/release.err"); stls-upstream runs the jar instead"
  else
    launcher=$workdir/release/$(basename "${archives[0]}" .tar.gz)/bin/popbridge
    if [[ ! -x $launcher ]]; then
      note "FAIL release/unpack: no executable bin/popbridge in ${archives[0]}; stls-upstream runs the jar instead"
      launcher=
    fi
  fi
fi

# --- Dovecot, corpus, reference ------------------------------------------------------
if ! bash "$here/dovecot.sh" start "$workdir"; then
  note "FAIL dovecot-start: see the messages above"
  summary
  exit 1
fi
python3 "$here/corpus.py" "$workdir"
bash "$here/reference.sh" "$workdir"
export DIRECT_HOST DIRECT_PLAIN DIRECT_TLS PROXY_HOST PROXY_PLAIN PROXY_TLS
export TAG=dovecot/
run_check corpus-served.sh

full_checks() {
  run_check curl.sh
  run_check wire.sh
  run_check fetchmail.sh
  run_check openssl.sh
  run_check pipelining.sh
  run_check concurrent.sh
  run_check truncation.sh
  run_check noloss.sh
}

# The IMAP group's checks (issue 5), in the order both kinds of run use: the ones that read
# dave's corpus first, then those that change erin's mailbox (each seeds it afresh first).
imap_checks() {
  run_check imap-listing.sh
  run_check imap-content.sh
  run_check imap-clients.sh
  run_check imap-truncation.sh
  run_check imap-auth.sh
  run_check imap-seen.sh
  run_check imap-dele.sh
  run_check imap-expunged.sh
}

if [[ $direct -eq 1 ]]; then
  export TAG=direct/ PROXY_PLAIN=$DIRECT_PLAIN PROXY_TLS=$DIRECT_TLS PROXY_CA=$workdir/tls/ca.crt
  full_checks
  # The IMAP group against Dovecot's own POP3 on the same mailboxes: the reference
  # (Dovecot's IMAP) agrees with a real POP3 server, but for the form of UIDL.
  python3 "$here/imap-corpus.py" "$workdir"
  export TAG=direct-imap/ IMAP_UIDL=dovecot IMAP_MARK_SEEN=yes
  imap_checks
  summary
  exit $?
fi

# --- popbridge ------------------------------------------------------------------------
state=$workdir/popbridge-state
export PROXY_CA=$state/self-signed.crt
listen=(--listen "pop3://$PROXY_HOST:$PROXY_PLAIN" --listen "pop3s://$PROXY_HOST:$PROXY_TLS")

# start_popbridge NAME ARGS...: starts popbridge; PASS/FAIL NAME/start.
start_popbridge() {
  local name=$1; shift
  export TAG=$name/
  if ! bash "$here/popbridge.sh" start "$workdir" "$name" "${listen[@]}" --state-dir "$state" "$@"; then
    note "FAIL ${TAG}start: popbridge did not start: ${POPBRIDGE_LAUNCHER:-java -jar proxy/target/popbridge.jar} ${listen[*]} --state-dir $state $*"
    return 1
  fi
  started+=("$name")
  if [[ ! -s $PROXY_CA ]]; then
    note "FAIL ${TAG}start: no self-signed certificate at $PROXY_CA"
    return 1
  fi
  note "PASS ${TAG}start"
}

# after_popbridge NAME FAILS_BEFORE: secrets and leak checks on its log, and its log tail if a
# check of this run failed.
after_popbridge() {
  local name=$1 fails_before=$2 log=$workdir/$1.log
  if grep -qE "$passwords" "$log"; then
    note "FAIL ${name}/log-no-passwords: a password appears in popbridge's log ($(grep -cE "$passwords" "$log") lines)"
  else
    note "PASS ${name}/log-no-passwords"
  fi
  if grep -q 'LEAK:' "$log"; then
    note "FAIL ${name}/log-no-leaks: netty reported a buffer never released: $(grep -m1 'LEAK:' "$log" | cut -c1-300)"
  else
    note "PASS ${name}/log-no-leaks"
  fi
  # A library logging past popbridge's log, its format and its level: java.util.logging's
  # two-line format ("Dec 06, 2026 4:06:25 PM class method", then "SEVERE: ..."), SLF4J's
  # own complaints ("SLF4J(W): ..."), Logback's status lines ("... |-WARN in ch.qos.logback...").
  local foreign='^(SEVERE|WARNING|INFO|FINE): |^[A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2} [AP]M |^SLF4J|[|]-(WARN|ERROR) in ch[.]qos[.]logback'
  if grep -qE "$foreign" "$log"; then
    note "FAIL ${name}/log-one-format: a line outside popbridge's log format: $(grep -m1 -E "$foreign" "$log" | cut -c1-300)"
  else
    note "PASS ${name}/log-one-format"
  fi
  if [[ $(grep -c '^FAIL ' "$results" || true) -gt $fails_before ]]; then
    echo "--- last 40 lines of popbridge's log ($name) ---"
    tail -n 40 "$log" | cut -c1-300
    echo "---"
  fi
}

# mode NAME held|idle ARGS...: popbridge with ARGS; all checks; then SIGTERM with a
# session holding a DELE (held) or with none (idle).
mode() {
  local name=$1 stop=$2; shift 2
  local fails_before
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  if start_popbridge "$name" "$@"; then
    full_checks
    run_check stls-injection.sh
    if [[ $stop == held ]]; then
      run_check shutdown.sh "$name"
    else
      run_check shutdown.sh "$name" --idle
    fi
  else
    bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  fi
  after_popbridge "$name" "$fails_before"
}

mode pop3s-upstream held --upstream pop3s://localhost:21995 --upstream-ca "$workdir/tls/ca.crt" \
  --shutdown-grace 5s
# Through the release archive's bin/popbridge (issue 13): it must find java and its jar from
# another directory and exec java, so that shutdown.sh's SIGTERM reaches popbridge itself.
if [[ -n $launcher ]]; then
  export POPBRIDGE_LAUNCHER=$launcher
fi
mode stls-upstream idle --upstream pop3+stls://localhost:21110 --upstream-ca "$workdir/tls/ca.crt"
unset POPBRIDGE_LAUNCHER

# Issue 15: the same checks with io_uring carrying the sockets (transport.type io_uring; epoll
# is the default). popbridge refuses to start where the kernel does not allow io_uring, saying
# why: that is a failed start here, as the transport is this mode's subject.
printf 'transport:\n  type: io_uring\n' > "$workdir/io-uring.yaml"
mode io-uring held --config "$workdir/io-uring.yaml" --upstream pop3s://localhost:21995 \
  --upstream-ca "$workdir/tls/ca.crt" --shutdown-grace 5s
if grep -q 'transport: io_uring (native)' "$workdir/io-uring.log"; then
  note "PASS io-uring/transport"
else
  note "FAIL io-uring/transport: popbridge's log does not name io_uring as its transport: $(grep -m1 -E 'transport:|io_uring' "$workdir/io-uring.log" | cut -c1-300)"
fi

# Strict TLS by default: no --upstream-ca, so Dovecot's test CA is not trusted.
name=unverified-upstream
fails_before=$(grep -c '^FAIL ' "$results" || true)
if start_popbridge "$name" --upstream pop3s://localhost:21995; then
  run_check strict-tls.sh
fi
bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
after_popbridge "$name" "$fails_before"

# Issue 3: a local CA's certificate on a legacy-profile and a modern listener.
export TAG=local-ca-legacy-tls/
run_check legacy-tls.sh

# Issue 4: the filter chain. carol's mailbox (filter-corpus.py) through popbridge with
# interop/filters.yaml (log, spam-tag, headers, hide) on listeners of its own, upstream
# pop3s. The mailbox is seeded afresh before the group and again after it (its DELE check
# changes it), so a re-run starts from the same mailbox and no other group sees it.

# carol_idle: true once Dovecot has ended every session carol logged in (10 s bound), so
# her maildir can be replaced without a Dovecot process writing into it.
carol_idle() {
  local i
  for ((i = 0; i < 50; i++)); do
    [[ $(sessions_ended "$workdir" carol) -ge $(logins "$workdir" carol) ]] && return 0
    sleep 0.2
  done
  return 1
}

filters_group() {
  local name=filters fails_before
  local plain=$PROXY_PLAIN tls=$PROXY_TLS saved_listen=("${listen[@]}")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  carol_idle || echo "interop: carol still has a Dovecot session; re-seeding anyway"
  python3 "$here/filter-corpus.py" "$workdir"
  bash "$here/reference.sh" "$workdir" carol
  export PROXY_PLAIN=22120 PROXY_TLS=22121
  listen=(--listen "pop3://$PROXY_HOST:$PROXY_PLAIN" --listen "pop3s://$PROXY_HOST:$PROXY_TLS")
  if start_popbridge "$name" --config "$here/filters.yaml" --upstream pop3s://localhost:21995 \
      --upstream-ca "$workdir/tls/ca.crt" --shutdown-grace 2s; then
    run_check filters-listing.sh # first: its first session finds no outcome cached
    run_check filters-content.sh
    run_check filters-fetchmail.sh
    run_check filters-dele.sh
    run_check filters-audit.sh "$name" # last: it reads the other checks' sessions too
  fi
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
  carol_idle || echo "interop: carol still has a Dovecot session; re-seeding anyway"
  python3 "$here/filter-corpus.py" "$workdir"
  export PROXY_PLAIN=$plain PROXY_TLS=$tls
  listen=("${saved_listen[@]}")
}
filters_group

# Issue 5: POP3 clients served from an IMAP upstream. popbridge on listeners of its own in
# front of Dovecot's IMAP, for dave (imap-corpus.py: the tricky corpus; only its \Seen flags
# change) and erin (small messages, seeded afresh over IMAP by each check that changes them),
# two users no other group logs in as. First upstream imap://127.0.0.1:21143 with the
# defaults (INBOX, RETR marks \Seen) on 22130/22131, every check; then upstream
# imaps://localhost:21993 trusting the test CA, with mark-seen: false, on 22132/22133:
# listing, content (TOP n 0 and 5 only) and \Seen again. Each popbridge gets a generated
# --config.
imap_group() {
  local plain=$PROXY_PLAIN tls=$PROXY_TLS saved_listen=("${listen[@]}") fails_before conf
  python3 "$here/imap-corpus.py" "$workdir"
  mkdir -p "$workdir/imap"

  conf=$workdir/imap/imap.yaml
  cat > "$conf" <<YAML
upstream:
  url: imap://127.0.0.1:21143
YAML
  export PROXY_PLAIN=22130 PROXY_TLS=22131 IMAP_UIDL=popbridge IMAP_MARK_SEEN=yes
  listen=(--listen "pop3://$PROXY_HOST:$PROXY_PLAIN" --listen "pop3s://$PROXY_HOST:$PROXY_TLS")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  if start_popbridge imap --config "$conf" --shutdown-grace 2s; then
    imap_checks
  fi
  bash "$here/popbridge.sh" stop "$workdir" imap >/dev/null 2>&1 || true
  after_popbridge imap "$fails_before"

  conf=$workdir/imap/imaps.yaml
  cat > "$conf" <<YAML
upstream:
  url: imaps://localhost:21993
  ca: $workdir/tls/ca.crt
  mark-seen: false
YAML
  export PROXY_PLAIN=22132 PROXY_TLS=22133 IMAP_MARK_SEEN=no IMAP_TOP_LINES=0,5
  listen=(--listen "pop3://$PROXY_HOST:$PROXY_PLAIN" --listen "pop3s://$PROXY_HOST:$PROXY_TLS")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  if start_popbridge imaps --config "$conf" --shutdown-grace 2s; then
    run_check imap-listing.sh
    run_check imap-content.sh
    run_check imap-seen.sh
  fi
  bash "$here/popbridge.sh" stop "$workdir" imaps >/dev/null 2>&1 || true
  after_popbridge imaps "$fails_before"

  unset IMAP_TOP_LINES
  export PROXY_PLAIN=$plain PROXY_TLS=$tls
  listen=("${saved_listen[@]}")
}
imap_group

# Routing users by name (README "Routing users to several mail servers"): one popbridge on
# 22140/22141 whose generated --config has no top-level upstream, only routes: users at
# imap.test go to Dovecot's IMAPS with the domain stripped (dave@imap.test reads dave's
# corpus, written by imap_group above; only \Seen flags change), the user frank to Dovecot's
# POP3S as frank@pop.test (a copy of alice's corpus, read only); anyone else is refused at
# login. Both upstreams trust the test CA through their own ca:.
routes_group() {
  local plain=$PROXY_PLAIN tls=$PROXY_TLS saved_listen=("${listen[@]}") fails_before
  local conf=$workdir/routes/routes.yaml
  mkdir -p "$workdir/routes"
  cat > "$conf" <<YAML
routes:
  - match: "*@imap.test"
    strip-domain: true
    upstream:
      url: imaps://localhost:21993
      ca: $workdir/tls/ca.crt
  - match: frank
    add-domain: pop.test
    upstream:
      url: pop3s://localhost:21995
      ca: $workdir/tls/ca.crt
  - match: "*@migrated.test"
    strip-domain: true
    upstream:
      url: imaps://localhost:21993
      ca: $workdir/tls/ca.crt
      mark-seen: false
      uidl-format: "%08Xu%08Xv"
YAML
  export PROXY_PLAIN=22140 PROXY_TLS=22141
  listen=(--listen "pop3://$PROXY_HOST:$PROXY_PLAIN" --listen "pop3s://$PROXY_HOST:$PROXY_TLS")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  if start_popbridge routes --config "$conf" --shutdown-grace 2s; then
    run_check routes.sh routes
  fi
  bash "$here/popbridge.sh" stop "$workdir" routes >/dev/null 2>&1 || true
  after_popbridge routes "$fails_before"
  export PROXY_PLAIN=$plain PROXY_TLS=$tls
  listen=("${saved_listen[@]}")
}
routes_group

# The reload group (issue 13): popbridge with --config in front of Dovecot's POP3S, whose
# file checks/reload.sh edits and reloads with `popbridge reload --state-dir` (22180, and
# 22181 once the file adds it); it logs in JSON (--log-format json) and serves metrics on
# 22189, which the check reads with curl after its sessions.
reload_group() {
  local name=reload fails_before conf saved_listen=("${listen[@]}")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=$name/ RELOAD_PLAIN=22180 RELOAD_ADDED=22181 RELOAD_METRICS=22189
  mkdir -p "$workdir/reload"
  conf=$workdir/reload/reload.yaml
  cat > "$conf" <<YAML
listen:
  - pop3://$PROXY_HOST:$RELOAD_PLAIN
upstream:
  url: pop3s://localhost:21995
  ca: $workdir/tls/ca.crt
filters:
  - headers:
      add: { X-Reload: one }
metrics:
  listen: 127.0.0.1:$RELOAD_METRICS
YAML
  export POPBRIDGE_WAIT="pop3://$PROXY_HOST:$RELOAD_PLAIN"
  listen=()
  if start_popbridge "$name" --config "$conf" --shutdown-grace 1s --log-format json; then
    run_check reload.sh "$name" "$conf" "$state"
  fi
  unset POPBRIDGE_WAIT
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
  listen=("${saved_listen[@]}")
}
reload_group

# Issue 11: SMTP submission. Dovecot's own submission service (dovecot.sh: 21587 STARTTLS,
# 21465 implicit TLS, only with dovecot-submissiond installed) relays every message to
# smtpsink.py on 21525, which stores each in WORKDIR/sink; it runs for this group only,
# started and stopped here by its PID. popbridge, with a generated --config holding its
# listeners, smtp:// on 22150, smtps:// on 22151 and smtps:// with the legacy TLS profile on
# 22152, sends through --submission smtp+starttls://localhost:21587 trusting the test CA.
# Last, as its wrong-password check makes Dovecot slow logins from 127.0.0.1 for a while.
smtp_group() {
  local name=smtp fails_before conf saved_listen=("${listen[@]}")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=$name/
  if [[ ! -x /usr/lib/dovecot/submission-login ]] || ! command -v swaks >/dev/null 2>&1; then
    note "FAIL ${TAG}prerequisites: the SMTP group needs dovecot-submissiond and swaks (apt-get install dovecot-submissiond swaks; .ci/run installs them)"
    return 0
  fi
  python3 "$here/smtpsink.py" --port 21525 "$workdir/sink" > "$workdir/smtpsink.log" 2>&1 < /dev/null &
  sink_pid=$!
  if ! wait_port 127.0.0.1 21525 10 "$sink_pid"; then
    note "FAIL ${TAG}sink: smtpsink.py did not listen on 21525: $(tail -n 3 "$workdir/smtpsink.log" | tr '\n' ' ' | cut -c1-300)"
    stop_pid "$sink_pid" 5 || true
    sink_pid=
    return 0
  fi
  mkdir -p "$workdir/smtp"
  conf=$workdir/smtp/smtp.yaml
  export SMTP_PLAIN=22150 SMTP_TLS=22151 SMTP_LEGACY=22152
  # The file's submission: names a port nothing listens on: --submission below must override
  # it (were it used, every login would fail). popbridge refuses an SMTP listener in a file
  # without a submission: there even when --submission is given, so the file needs one.
  cat > "$conf" <<YAML
listen:
  - smtp://$PROXY_HOST:$SMTP_PLAIN
  - smtps://$PROXY_HOST:$SMTP_TLS
  - url: smtps://$PROXY_HOST:$SMTP_LEGACY
    tls:
      profile: legacy
submission: smtp+starttls://localhost:21599
YAML
  export POPBRIDGE_WAIT="smtp://$PROXY_HOST:$SMTP_PLAIN smtps://$PROXY_HOST:$SMTP_TLS smtps://$PROXY_HOST:$SMTP_LEGACY"
  listen=()
  if start_popbridge "$name" --config "$conf" --submission smtp+starttls://localhost:21587 \
      --upstream-ca "$workdir/tls/ca.crt" --shutdown-grace 2s; then
    run_check smtp.sh "$name"
  fi
  unset POPBRIDGE_WAIT
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
  smtp_filters
  stop_pid "$sink_pid" 5 || true
  sink_pid=
  listen=("${saved_listen[@]}")
}

# The SMTP group's second popbridge: outgoing filters in front of the same Dovecot and sink.
smtp_filters() {
  local name=smtp-filters fails_before conf
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=$name/ SMTP_FILTERED=22153
  conf=$workdir/smtp/smtp-filters.yaml
  cat > "$conf" <<YAML
listen:
  - smtp://$PROXY_HOST:$SMTP_FILTERED
submission:
  url: smtp+starttls://localhost:21587
  ca: $workdir/tls/ca.crt
filters:
  - log: {}
  - headers:
      direction: outgoing
      remove: [X-Originating-IP]
      add: { X-Sent-Via: popbridge }
  - sender-policy: { domain: example.test }
  - rate-limit: { messages: 3, per: 1h }
YAML
  export POPBRIDGE_WAIT="smtp://$PROXY_HOST:$SMTP_FILTERED"
  if start_popbridge "$name" --config "$conf" --shutdown-grace 2s; then
    run_check smtp-filters.sh "$name" "$conf"
  fi
  unset POPBRIDGE_WAIT
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
}
smtp_group

# The abuse group (issue 12): tight limits in front of the real Dovecot, probed as an attacker would.
abuse_group() {
  local name=abuse fails_before conf saved_listen=("${listen[@]}")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=$name/ ABUSE_PLAIN=22160 ABUSE_TLS=22161 DOVECOT_POP3=21110
  mkdir -p "$workdir/abuse"
  conf=$workdir/abuse/abuse.yaml
  cat > "$conf" <<YAML
listen:
  - pop3://$PROXY_HOST:$ABUSE_PLAIN
  - pop3s://$PROXY_HOST:$ABUSE_TLS
upstream: pop3://127.0.0.1:$DOVECOT_POP3
limits:
  connections-per-ip: 5
  login-timeout: 30s
  idle-timeout: 4s
  auth-failures: 2
  auth-failure-delay: 500ms
YAML
  export POPBRIDGE_WAIT="pop3://$PROXY_HOST:$ABUSE_PLAIN pop3s://$PROXY_HOST:$ABUSE_TLS"
  listen=()
  if start_popbridge "$name" --config "$conf" --shutdown-grace 1s; then
    run_check abuse.sh "$name"
  fi
  unset POPBRIDGE_WAIT
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
  listen=("${saved_listen[@]}")
}
abuse_group

# The forwarding group (issue 12): does the mail server learn the real client's address?
# A second Dovecot (dovecot-trusted.sh: POP3 21210, POP3 after a PROXY header 21216, IMAP
# 21212, submission 21214 relaying to smtpsink.py on 21526) trusts popbridge; popbridge's listeners, pop3:// on 22170 and smtp://
# on 22171, trust PROXY headers from 127.0.0.1, so a client can play a load balancer that
# names 203.0.113.7. Upstreams forward it (alice: POP3 XCLIENT; erin: IMAP ID; dave: a PROXY
# v2 header; SMTP: XCLIENT) but for carol's route, the control. Both servers are stopped here by their PIDs.
forwarding_group() {
  local name=forwarding fails_before conf saved_listen=("${listen[@]}")
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=$name/ FORWARD_POP3=22170 FORWARD_SMTP=22171
  if [[ ! -x /usr/lib/dovecot/submission-login ]]; then
    note "FAIL ${TAG}prerequisites: the forwarding group needs dovecot-submissiond (apt-get install dovecot-submissiond; .ci/run installs it)"
    return 0
  fi
  if ! bash "$here/dovecot-trusted.sh" start "$workdir"; then
    note "FAIL ${TAG}dovecot-start: see the messages above"
    return 0
  fi
  python3 "$here/smtpsink.py" --port 21526 "$workdir/forward-sink" > "$workdir/forward-sink.log" 2>&1 < /dev/null &
  sink_pid=$!
  if ! wait_port 127.0.0.1 21526 10 "$sink_pid"; then
    note "FAIL ${TAG}sink: smtpsink.py did not listen on 21526: $(tail -n 3 "$workdir/forward-sink.log" | tr '\n' ' ' | cut -c1-300)"
  else
    mkdir -p "$workdir/forwarding"
    conf=$workdir/forwarding/forwarding.yaml
    cat > "$conf" <<YAML
listen:
  - url: pop3://$PROXY_HOST:$FORWARD_POP3
    proxy-protocol:
      trusted: [127.0.0.1/32]
  - url: smtp://$PROXY_HOST:$FORWARD_SMTP
    proxy-protocol:
      trusted: [127.0.0.1/32]
upstream:
  url: pop3://127.0.0.1:21210
  forward-client-address: true
routes:
  - match: erin
    upstream:
      url: imap://127.0.0.1:21212
      forward-client-address: true
  - match: dave
    upstream:
      url: pop3://127.0.0.1:21216
      proxy-protocol: v2
  - match: carol
    upstream: pop3://127.0.0.1:21210
submission:
  url: smtp+starttls://localhost:21214
  ca: $workdir/tls/ca.crt
  forward-client-address: true
YAML
    export POPBRIDGE_WAIT="pop3://$PROXY_HOST:$FORWARD_POP3 smtp://$PROXY_HOST:$FORWARD_SMTP"
    listen=()
    if start_popbridge "$name" --config "$conf" --shutdown-grace 1s; then
      run_check forwarding.sh "$name"
    fi
    unset POPBRIDGE_WAIT
    bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
    after_popbridge "$name" "$fails_before"
    listen=("${saved_listen[@]}")
  fi
  stop_pid "$sink_pid" 5 || true
  sink_pid=
  bash "$here/dovecot-trusted.sh" stop "$workdir" || true
}
forwarding_group

# The TLS resumption group (issue 15): a fourth Dovecot (dovecot-resume.sh: POP3S 21411, one
# pop3-login process, so it resumes every ticket it issued) behind two popbridges, one per TLS
# engine: --tls-engine openssl on pop3:// 22200 (metrics 22208), --tls-engine jdk on 22201
# (metrics 22209). Each must resume the first login's session for the logins after it.
resumption_group() {
  local engine port metrics name fails_before conf upstream=pop3s://localhost:21411
  export TAG=resumption/
  if ! bash "$here/dovecot-resume.sh" start "$workdir"; then
    note "FAIL ${TAG}dovecot-start: see the messages above"
    return 0
  fi
  mkdir -p "$workdir/resumption"
  for engine in openssl jdk; do
    name=resumption-$engine
    fails_before=$(grep -c '^FAIL ' "$results" || true)
    if [[ $engine == openssl ]]; then port=22200 metrics=22208; else port=22201 metrics=22209; fi
    conf=$workdir/resumption/$engine.yaml
    cat > "$conf" <<YAML
upstream:
  url: $upstream
  ca: $workdir/tls/ca.crt
tls:
  engine: $engine
metrics:
  listen: 127.0.0.1:$metrics
YAML
    if bash "$here/popbridge.sh" start "$workdir" "$name" --config "$conf" --listen "pop3://$PROXY_HOST:$port" \
        --state-dir "$workdir/resumption/state-$engine" --shutdown-grace 1s; then
      started+=("$name")
      note "PASS ${TAG}${name}-start"
      run_check tls-resumption.sh "$name" "$port" "$metrics" "$upstream"
    else
      note "FAIL ${TAG}${name}-start: popbridge did not start with --config $conf --tls-engine $engine"
    fi
    bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
    after_popbridge "$name" "$fails_before"
  done
  bash "$here/dovecot-resume.sh" stop "$workdir" || true
}
resumption_group

# The OAuth group (issue 14): a stand-in identity provider (idp.py on 21390: device flow, token
# endpoint, RFC 7662 introspection, RFC 7009 revocation, test control calls) and a third
# Dovecot (dovecot-oauth.sh: POP3 21310, IMAP 21312, submission 21314 relaying to smtpsink.py
# on 21320) whose oauth2 passdb asks idp.py about every XOAUTH2/OAUTHBEARER token.
# oauth-direct.sh proves the pair with real clients and no popbridge; the popbridge checks of
# issue 14 (auth: oauth2 upstreams, enrolment, refresh, revocation) will join this group, run
# after it against the same idp.py and Dovecot. All three servers are stopped here by their
# PIDs (and by cleanup, should the run be interrupted).
# oauth_popbridge: popbridge with auth: oauth2 on all three servers (its own config and state
# dir, which the `popbridge oauth` commands of the check share), in front of the OAuth Dovecot:
# pop3:// 22190, pop3s:// 22191, smtp:// 22192 (STARTTLS), metrics 22199; then
# oauth-popbridge.sh. Called by oauth_group with idp.py, the Dovecot and the sink running.
oauth_popbridge() {
  local name=oauth-popbridge fails_before conf dir=$workdir/oauth-popbridge provider
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export OAUTH_PB_POP3=22190 OAUTH_PB_POP3S=22191 OAUTH_PB_SMTP=22192 OAUTH_PB_METRICS=22199
  # The client secret reaches popbridge and its oauth commands only through the environment.
  export POPBRIDGE_OAUTH_SECRET=popbridge-secret PROXY_CA=$workdir/tls/ca.crt
  mkdir -p "$dir/state"
  conf=$dir/popbridge.yaml
  # The same provider for all three, so one enrolment serves them all (idp.py's scope "mail").
  provider="provider:
  type: generic
  token-url: $OAUTH_IDP/token
  device-authorization-url: $OAUTH_IDP/device
  client-id: popbridge
  client-secret-env: POPBRIDGE_OAUTH_SECRET
  scopes: [mail]"
  cat > "$conf" <<YAML
state-dir: $dir/state
listen:
  - url: pop3://$PROXY_HOST:$OAUTH_PB_POP3
  - url: pop3s://$PROXY_HOST:$OAUTH_PB_POP3S
  - url: smtp://$PROXY_HOST:$OAUTH_PB_SMTP
tls:
  cert: $workdir/tls/server.crt
  key: $workdir/tls/server.key
upstream:
  url: pop3+stls://localhost:21310
  ca: $workdir/tls/ca.crt
  auth: oauth2
$(sed 's/^/  /' <<< "$provider")
routes:
  - match: bob
    upstream:
      url: imap+starttls://localhost:21312
      ca: $workdir/tls/ca.crt
      auth: oauth2
$(sed 's/^/      /' <<< "$provider")
submission:
  url: smtp+starttls://localhost:21314
  ca: $workdir/tls/ca.crt
  auth: oauth2
$(sed 's/^/  /' <<< "$provider")
limits:
  # fifty-sessions-one-refresh logs alice in 50 times at once from 127.0.0.1.
  connections-per-ip: 200
  connections-per-user-ip: 100
metrics:
  listen: 127.0.0.1:$OAUTH_PB_METRICS
YAML
  export POPBRIDGE_WAIT="pop3://$PROXY_HOST:$OAUTH_PB_POP3 pop3s://$PROXY_HOST:$OAUTH_PB_POP3S smtp://$PROXY_HOST:$OAUTH_PB_SMTP"
  export TAG=oauth/
  if bash "$here/popbridge.sh" start "$workdir" "$name" --config "$conf" --shutdown-grace 1s; then
    started+=("$name")
    note "PASS ${TAG}popbridge-start"
    run_check oauth-popbridge.sh "$name" "$conf"
  else
    note "FAIL ${TAG}popbridge-start: popbridge did not start with --config $conf"
  fi
  unset POPBRIDGE_WAIT
  bash "$here/popbridge.sh" stop "$workdir" "$name" >/dev/null 2>&1 || true
  after_popbridge "$name" "$fails_before"
}

oauth_group() {
  local fails_before
  fails_before=$(grep -c '^FAIL ' "$results" || true)
  export TAG=oauth/ OAUTH_IDP=http://127.0.0.1:21390 OAUTH_IDP_LOG=$workdir/idp.log \
    OAUTH_SINK=$workdir/oauth-sink OAUTH_IDP_SECRETS=$workdir/idp-secrets
  if [[ ! -x /usr/lib/dovecot/submission-login ]]; then
    note "FAIL ${TAG}prerequisites: the OAuth group needs dovecot-submissiond (apt-get install dovecot-submissiond; .ci/run installs it)"
    return 0
  fi
  python3 "$here/idp.py" --port 21390 --secrets-file "$OAUTH_IDP_SECRETS" 2> "$OAUTH_IDP_LOG" > /dev/null < /dev/null &
  idp_pid=$!
  if ! wait_port 127.0.0.1 21390 10 "$idp_pid"; then
    note "FAIL ${TAG}idp-start: idp.py did not listen on 21390: $(tail -n 3 "$OAUTH_IDP_LOG" | tr '\n' ' ' | cut -c1-300)"
  elif ! bash "$here/dovecot-oauth.sh" start "$workdir"; then
    note "FAIL ${TAG}dovecot-start: see the messages above"
  else
    python3 "$here/smtpsink.py" --port 21320 "$OAUTH_SINK" > "$workdir/oauth-sink.log" 2>&1 < /dev/null &
    sink_pid=$!
    if ! wait_port 127.0.0.1 21320 10 "$sink_pid"; then
      note "FAIL ${TAG}sink: smtpsink.py did not listen on 21320: $(tail -n 3 "$workdir/oauth-sink.log" | tr '\n' ' ' | cut -c1-300)"
    else
      run_check oauth-direct.sh
      oauth_popbridge
    fi
    stop_pid "$sink_pid" 5 || true
    sink_pid=
    bash "$here/dovecot-oauth.sh" stop "$workdir" || true
  fi
  if [[ $(grep -c '^FAIL ' "$results" || true) -gt $fails_before ]]; then
    echo "--- last 20 lines of idp.py's log ---"
    tail -n 20 "$OAUTH_IDP_LOG" | cut -c1-300
    echo "--- last 20 lines of the OAuth Dovecot's log ---"
    tail -n 20 "$workdir/oauth/dovecot/dovecot.log" 2>/dev/null | cut -c1-300
    echo "---"
  fi
  if ! stop_pid "$idp_pid" 5; then
    note "FAIL ${TAG}idp-stop: idp.py did not exit within 5 s of SIGTERM"
  fi
  idp_pid=
}
oauth_group

summary
