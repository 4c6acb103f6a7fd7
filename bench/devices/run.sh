#!/usr/bin/env bash
# The device register's pages at size (issue 14's last "done when": pages hold 5,000 devices and 50,000 loan records
# with paging and stay under 300 ms server time).
#
#   1. `brightline serve` (Release build) on a throw-away SQLite database and/or PostgreSQL database; it seeds the
#      demo school on first start.
#   2. seed.py csv writes DEVICES devices as the register's CSV and `brightline devices import` imports them (the
#      real import path: devices and their history rows are written by the app). seed.py rest then inserts, shaped as
#      the app writes them, LOANS device_loans (most returned, some out now, some overdue; classes and adults; one
#      device with a long history) with their loan.out/loan.returned history rows, found devices, device requests,
#      leaver checklists, and a computing lead's portal account.
#   3. The bench verb `pages` (bench/Brightline.Benchmarks/PagesStep.cs) signs in through the login form as that
#      computing lead and, for each page, sends WARMUP GETs (not counted) then up to REQUESTS GETs one after another,
#      at most BENCH_SECONDS per page (at least 3). Each time runs from sending the request to the body's last byte on
#      loopback: server time plus the loopback transfer, an upper bound of the server time. p50 and p95 per page.
# Client, server and database share the machine; the load average is recorded with every page.
# Knobs: PROVIDERS ("sqlite postgres"), DEVICES (5000), LOANS (50000), REQUESTS (30), WARMUP (3), BENCH_SECONDS (20),
# TARGET_MS (300), BUILD (1; 0 uses the binaries already built), BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER (127.0.0.1, 5432, postgres; a PostgreSQL the script may
# create and drop a database in). Writes bench/results/devices/*.tsv and prints the summary; exits 1 when a page's
# p95 is over TARGET_MS.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/devices
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROVIDERS=${PROVIDERS:-sqlite postgres}
DEVICES=${DEVICES:-5000}
LOANS=${LOANS:-50000}
REQUESTS=${REQUESTS:-30}
WARMUP=${WARMUP:-3}
SECONDS_RUN=${BENCH_SECONDS:-20}  # not SECONDS: bash keeps its own SECONDS
TARGET_MS=${TARGET_MS:-300}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
BENCH_DLL=$ART/bin/Brightline.Benchmarks/release/Brightline.Benchmarks.dll
APP_DLL=$ART/bin/Brightline/release/brightline.dll
EMAIL=bench.computing@example.school
PASSWORD="Bench-pages-$(date +%s%N | sha256sum | cut -c1-12)!"
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet python3 curl; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done

WORK=$(mktemp -d /tmp/brightline-devbench.XXXXXX)
PIDS=()
PG_DB=""
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ -n $PG_DB ]]; then psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.5; done; return 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

SCHOOL=$(awk '/^  id:/{print $2; exit}' policies/example.yaml)

if [[ ${BUILD:-1} == 1 ]]; then
  echo "== build (Release)"
  dotnet build src/Brightline -c Release -v q -nologo >/dev/null
  dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo >/dev/null
fi

printf 'provider\tpage\tpath\tstatus\tbytes\tcount\tp50_ms\tp95_ms\tp99_ms\tmax_ms\tload_average\n' > "$OUT/pages.tsv"
: > "$OUT/seed.tsv"
for provider in $PROVIDERS; do
  echo "== Brightline on $provider"
  case $provider in
    sqlite)
      conn="Data Source=$WORK/devices.db"
      db_args=(sqlite "$WORK/devices.db") ;;
    postgres)
      command -v psql >/dev/null || { echo "missing psql" >&2; exit 2; }
      PG_DB="brightline_devbench_$$"
      psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
      conn="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DB;Pooling=true;Maximum Pool Size=50"
      db_args=(postgres "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=$PG_DB") ;;
    *) echo "unknown provider $provider" >&2; exit 2 ;;
  esac
  export Brightline__Database__Provider=$provider Brightline__Database__ConnectionString=$conn
  port=$(free_port)
  dotnet "$APP_DLL" serve --urls "http://127.0.0.1:$port" > "$OUT/serve-$provider.log" 2>&1 &
  serve_pid=$!; PIDS+=("$serve_pid")
  wait_http "$port" || { echo "serve did not start (see $OUT/serve-$provider.log)" >&2; exit 1; }

  python3 bench/devices/seed.py csv "${db_args[@]}" --school "$SCHOOL" --devices "$DEVICES" --csv "$WORK/devices.csv"
  start=$(date +%s.%N)
  dotnet "$APP_DLL" devices import --school "$SCHOOL" "$WORK/devices.csv" > "$OUT/import-$provider.log" 2>&1 \
    || { echo "the import failed (see $OUT/import-$provider.log)" >&2; tail -20 "$OUT/import-$provider.log" >&2; exit 1; }
  import_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "  imported $DEVICES devices through \`brightline devices import\` in ${import_s} s"
  python3 bench/devices/seed.py rest "${db_args[@]}" --school "$SCHOOL" --loans "$LOANS" --email "$EMAIL" --password "$PASSWORD" --out "$WORK/ids.tsv"
  printf '%s\timport_s\t%s\n' "$provider" "$import_s" >> "$OUT/seed.tsv"
  sed "s/^/$provider\t/" "$WORK/ids.tsv" >> "$OUT/seed.tsv"
  id() { awk -F'\t' -v k="$1" '$1==k{print $2}' "$WORK/ids.tsv"; }
  hot=$(id hot_device); person=$(id person); class=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$(id class)")
  cat > "$WORK/pages.tsv" <<EOF
devices (first page)	/devices
devices search	/devices?Q=Chromebook%2004
devices filter	/devices?Kind=chromebook&State=in_use
devices late page	/devices?p=100
device detail (long history)	/devices/$hot
devices export (CSV)	/devices?handler=Csv
devices labels (first page, 120)	/devices/labels
devices labels (a search)	/devices/labels?Q=BL-000
loans (out now)	/loans
loans all	/loans?status=all
loans overdue	/loans?status=overdue
loans search	/loans?status=all&q=Chromebook
loans late page	/loans?status=all&p=990
loans kiosk	/loans/kiosk
device loan history	/loans/devices/$hot
person loan history	/loans?person=$person
class loan history	/loans?class=$class
loans export (CSV)	/loans?handler=Csv&status=all
device requests	/devices/requests
found devices	/devices/found
leavers	/devices/leavers
api devices	/api/v1/devices?school=$SCHOOL
api devices late page	/api/v1/devices?school=$SCHOOL&page=100
api loans	/api/v1/loans?school=$SCHOOL&status=all
api loans late page	/api/v1/loans?school=$SCHOOL&status=all&page=990
EOF
  echo "== pages on $provider: $REQUESTS requests each after $WARMUP warm-up, at most ${BENCH_SECONDS:-20} s a page (load $(loadavg))"
  set +e
  timeout 1800 dotnet "$BENCH_DLL" pages --server "http://127.0.0.1:$port" --email "$EMAIL" --password "$PASSWORD" --pages "$WORK/pages.tsv" \
    --requests "$REQUESTS" --warmup "$WARMUP" --seconds "$SECONDS_RUN" > "$WORK/run.tsv"
  rc=$?
  set -e
  sed "s/^/$provider\t/" "$WORK/run.tsv" >> "$OUT/pages.tsv"
  [[ $rc == 0 ]] || { echo "the pages run failed ($rc): a page did not answer 200 (see $OUT/pages.tsv, $OUT/serve-$provider.log)" >&2; }
  stop_pid "$serve_pid"
  unset -f id
done

{
  printf 'provider\tpage\tp50_ms\tp95_ms\tcount\tbytes\tstatus\tunder_%s_ms\tload_average\n' "$TARGET_MS"
  awk -F'\t' -v t="$TARGET_MS" 'NR > 1 { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $7, $8, $6, $5, $4, ($8 + 0 < t && $4 == 200) ? "yes" : "NO", $11 }' "$OUT/pages.tsv"
} > "$OUT/summary.tsv"
column -t -s$'\t' "$OUT/summary.tsv"
if awk -F'\t' 'NR > 1 && $8 != "yes" { bad = 1 } END { exit bad ? 0 : 1 }' "$OUT/summary.tsv"; then
  echo "some pages are over ${TARGET_MS} ms p95 (or did not answer 200)" >&2
  exit 1
fi
