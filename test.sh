#!/usr/bin/env bash
# Runs every test against real servers: PostgreSQL and an SMTP sink on loopback, Debian's Chromium
# for the browser tests. Installs what is missing, stops what it started (by PID), and ends with
# "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RUN=$ROOT/.test-run
rm -rf "$RUN"; mkdir -p "$RUN"

log() { printf '==> %s\n' "$*"; }

# --- 1. Debian packages --------------------------------------------------------------------------
need=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v smtp-sink >/dev/null 2>&1 || [ -x /usr/sbin/smtp-sink ] || need+=(postfix)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi liberation || need+=(fonts-liberation)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || need+=(unbound)
[ -d /etc/e2guardian/lists/phraselists ] || need+=(e2guardian)
[ -f /usr/share/dict/british-english ] || need+=(wbritish)
# Issue 13: FreeRADIUS with rlm_rest, radclient/radtest, eapol_test (tests/Brightline.Tests/Network).
[ -x /usr/sbin/freeradius ] || need+=(freeradius)
[ -f /usr/lib/freeradius/rlm_rest.so ] || need+=(freeradius-rest)
command -v radclient >/dev/null 2>&1 || need+=(freeradius-utils)
command -v eapol_test >/dev/null 2>&1 || need+=(eapoltest)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$RUN/apt.log" 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$RUN/apt.log" 2>&1 || { echo "apt-get install failed; see $RUN/apt.log"; tail -20 "$RUN/apt.log"; }
fi

# --- 2. npm packages for the browser tests (axe-core) --------------------------------------------
if [ ! -f tests/Brightline.EndToEnd/node_modules/axe-core/axe.min.js ] && [ -f tests/Brightline.EndToEnd/package.json ]; then
  log "npm install (axe-core)"
  (cd tests/Brightline.EndToEnd && npm install --no-audit --no-fund --silent >"$RUN/npm.log" 2>&1) || { echo "npm install failed"; cat "$RUN/npm.log"; }
fi

# --- 2b. The browser extension (clients/chrome), bundled by esbuild into dist/ for the browser tests ----
if [ -f clients/chrome/package.json ]; then
  if [ ! -x clients/chrome/node_modules/.bin/esbuild ]; then
    log "npm ci (browser extension)"
    (cd clients/chrome && npm ci --no-audit --no-fund --silent >"$RUN/npm-extension.log" 2>&1) || { echo "npm ci for the extension failed"; cat "$RUN/npm-extension.log"; }
  fi
  log "building the browser extension"
  (cd clients/chrome && npm run --silent build >>"$RUN/npm-extension.log" 2>&1) || { echo "extension build failed"; cat "$RUN/npm-extension.log"; }
fi

# --- 3. PostgreSQL on loopback -----------------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGDATA=$RUN/pg
PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
PGPID=""
cleanup() {
  if [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; then
    kill -INT "$PGPID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$PGPID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
if [ -n "$PGBIN" ]; then
  log "starting PostgreSQL on 127.0.0.1:$PGPORT"
  id postgres >/dev/null 2>&1 || useradd -r -m postgres
  mkdir -p "$PGDATA"; chown -R postgres "$RUN"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$RUN/initdb.log" 2>&1 \
    || su postgres -s /bin/sh -c "$PGBIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8" >"$RUN/initdb.log" 2>&1
  su postgres -s /bin/sh -c "exec $PGBIN/postgres -D '$PGDATA' -h 127.0.0.1 -p $PGPORT -k '$PGDATA' -c fsync=off -c synchronous_commit=off -c max_connections=500" >"$RUN/postgres.log" 2>&1 &
  PGPID=$!
  for _ in $(seq 1 100); do
    "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" >/dev/null 2>&1 && break
    sleep 0.2
  done
  export BRIGHTLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20"
else
  echo "PostgreSQL is not installed; the PostgreSQL pass will fail in CI."
fi

# --- 4. Build and test -------------------------------------------------------------------------
export BRIGHTLINE_REPO=$ROOT
export BRIGHTLINE_CHROMIUM=${BRIGHTLINE_CHROMIUM:-/usr/bin/chromium}
# The server reads its Chromium like every setting (Brightline:Chromium:Path); BRIGHTLINE_CHROMIUM is the end-to-end tests' browser.
export Brightline__Chromium__Path=${Brightline__Chromium__Path:-$BRIGHTLINE_CHROMIUM}
log "building"
if ! dotnet build Brightline.slnx -c Release -nologo -v q 2>&1 | tee "$RUN/build.log" | grep -E "error|Warn.*error" ; then :; fi
if ! grep -q "Build succeeded" "$RUN/build.log" && grep -q "error" "$RUN/build.log"; then
  echo "build failed"; tail -30 "$RUN/build.log"; echo "0 passed, 1 failed"; exit 1
fi

passed=0; failed=0; skipped=0; status=0

# The extension's own unit tests (node --test: the capture back-off and the excluded-site rule), counted as one test.
if [ -f clients/chrome/package.json ]; then
  log "testing the browser extension (node --test)"
  if (cd clients/chrome && npm test --silent >"$RUN/extension-tests.log" 2>&1); then
    passed=$((passed+1))
  else
    echo "extension unit tests failed"; tail -30 "$RUN/extension-tests.log"; failed=$((failed+1)); status=1
  fi
fi

for proj in tests/*/; do
  name=$(basename "$proj")
  [ -f "$proj/$name.csproj" ] || continue
  log "testing $name"
  trx="$RUN/$name.trx"
  dotnet test "$proj" -c Release --no-build -nologo --logger "trx;LogFileName=$trx" --logger "console;verbosity=minimal" 2>&1 | tee "$RUN/$name.log" | grep -E "^\s*(Failed|Passed!|Failed!|Skipped) |error" | head -60
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  if [ -f "$trx" ]; then
    read -r p f s < <(python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns={'t':'http://microsoft.com/schemas/VisualStudio/TeamTest/2010'}
c=ET.parse(sys.argv[1]).getroot().find('.//t:ResultSummary/t:Counters',ns)
print(c.get('passed'), int(c.get('failed'))+int(c.get('error'))+int(c.get('timeout'))+int(c.get('aborted')), c.get('notExecuted'))
PY
)
    passed=$((passed+p)); failed=$((failed+f)); skipped=$((skipped+s))
    # A failure's message and the top of its stack, so a CI log alone says what broke (bounded per test and per project).
    if [ "$f" -gt 0 ]; then
      python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns={'t':'http://microsoft.com/schemas/VisualStudio/TeamTest/2010'}
root=ET.parse(sys.argv[1]).getroot()
for r in [r for r in root.iter('{%s}UnitTestResult' % ns['t']) if r.get('outcome') != 'Passed' and r.get('outcome') != 'NotExecuted'][:10]:
    print('--- ' + r.get('testName', '?'))
    msg=r.find('.//t:ErrorInfo/t:Message', ns); st=r.find('.//t:ErrorInfo/t:StackTrace', ns)
    for text, limit in ((msg, 30), (st, 12)):
        if text is not None and text.text:
            for line in text.text.splitlines()[:limit]: print('    ' + line[:300])
PY
    fi
  else
    echo "no results for $name"; failed=$((failed+1)); status=1
  fi
done

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
