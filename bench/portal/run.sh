#!/usr/bin/env bash
# Every portal page's time at the demo size and at trust size, side by side (issue 18 §2 and its benchmark).
#
# Shapes (SHAPES, default "demo school-40k trust-100"), each on a fresh database per provider (PROVIDERS):
#   demo        the demo school `serve` creates on an empty database (~450 people).
#   school-40k  the demo school plus PUPILS_BIG (20,000) pupils with two parents each — about 40,000 people in one
#               school — imported through `brightline people import` (the real path; its time is recorded).
#   trust-100   the demo school plus SCHOOLS-1 (99) more schools, each the example policy under its own id loaded with
#               `brightline policy load`, with PUPILS_SMALL (500) pupils and their parents imported into each.
# Then the bench verb `pages` (bench/Brightline.Benchmarks/PagesStep.cs) creates the first administrator through the
# set-up link `serve` prints, turns on two-factor sign-in with a code computed from the key the page shows, and for
# each page sends WARMUP GETs (not counted) then up to REQUESTS GETs one after another (at most BENCH_SECONDS a page).
# Each time runs from sending the request to the body's last byte on loopback: an upper bound of the server time.
# Client, server and database share the machine; the load average is recorded with every page.
# Knobs: PROVIDERS ("sqlite postgres"), SHAPES, PUPILS_BIG, SCHOOLS, PUPILS_SMALL, REQUESTS (30), WARMUP (3),
# BENCH_SECONDS (20), TARGET_MS (300), BUILD (1), PAGES_MATCH (a regex: time only the pages whose line matches), KEEP_DB (a folder: keep the SQLite databases there, and each PostgreSQL database as brightline_portalbench_kept_SHAPE), BENCH_PG_HOST/PORT/USER (127.0.0.1, 5432, postgres).
# Writes bench/results/portal/pages.tsv, seed.tsv and summary.tsv; exits 1 when a page's p95 is over TARGET_MS.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/portal
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROVIDERS=${PROVIDERS:-sqlite postgres}
SHAPES=${SHAPES:-demo school-40k trust-100}
PUPILS_BIG=${PUPILS_BIG:-20000}
SCHOOLS=${SCHOOLS:-100}
PUPILS_SMALL=${PUPILS_SMALL:-500}
REQUESTS=${REQUESTS:-30}
WARMUP=${WARMUP:-3}
SECONDS_RUN=${BENCH_SECONDS:-20}  # not SECONDS: bash keeps its own SECONDS
TARGET_MS=${TARGET_MS:-300}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
BENCH_DLL=$ART/bin/Brightline.Benchmarks/release/Brightline.Benchmarks.dll
APP_DLL=$ART/bin/Brightline/release/brightline.dll
EMAIL=bench.admin@example.school
PASSWORD="Bench-portal-$(date +%s%N | sha256sum | cut -c1-12)!"
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet python3 curl; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done

WORK=$(mktemp -d /tmp/brightline-portalbench.XXXXXX)
PIDS=()
PG_DB=""
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
drop_pg() {
  if [[ -n $PG_DB ]]; then psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  PG_DB=""
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  drop_pg
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
SCHOOL=$(awk '/^  id:/{print $2; exit}' policies/example.yaml)

if [[ ${BUILD:-1} == 1 ]]; then
  echo "== build (Release)"
  dotnet build src/Brightline -c Release -v q -nologo >/dev/null
  dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo >/dev/null
fi

import_pupils() { # file school log
  dotnet "$APP_DLL" people import "$1" --kind pupils --school "$2" > "$3" 2>&1 \
    || { echo "the import into $2 failed (see $3)" >&2; tail -20 "$3" >&2; exit 1; }
}

printf 'provider\tshape\tpage\tpath\tstatus\tbytes\tcount\tp50_ms\tp95_ms\tp99_ms\tmax_ms\tload_average\n' > "$OUT/pages.tsv"
printf 'provider\tshape\tstep\tseconds\tpeople_in_school\tload_average\n' > "$OUT/seed.tsv"
for provider in $PROVIDERS; do
  for shape in $SHAPES; do
    echo "== $shape on $provider"
    case $provider in
      sqlite)
        rm -f "$WORK"/portal.db*
        conn="Data Source=$WORK/portal.db" ;;
      postgres)
        command -v psql >/dev/null || { echo "missing psql" >&2; exit 2; }
        PG_DB="brightline_portalbench_$$"
        psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
        conn="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DB;Pooling=true;Maximum Pool Size=50" ;;
      *) echo "unknown provider $provider" >&2; exit 2 ;;
    esac
    export Brightline__Database__Provider=$provider Brightline__Database__ConnectionString=$conn
    export Brightline__Email__SmtpHost="" Brightline__Filtering__ListRoot="$ROOT/policies"
    port=$(free_port)
    start=$(date +%s.%N)
    dotnet "$APP_DLL" serve --urls "http://127.0.0.1:$port" > "$OUT/serve-$provider-$shape.log" 2>&1 &
    serve_pid=$!; PIDS+=("$serve_pid")
    setup=""
    for _ in $(seq 1 600); do
      setup=$(grep -o 'http://[^ ]*/setup?token=[^ ]*' "$OUT/serve-$provider-$shape.log" | head -1 || true)
      [[ -n $setup ]] && curl -s -o /dev/null "http://127.0.0.1:$port/" && break
      kill -0 "$serve_pid" 2>/dev/null || { echo "serve exited (see $OUT/serve-$provider-$shape.log)" >&2; exit 1; }
      sleep 0.5
    done
    [[ -n $setup ]] || { echo "serve printed no set-up link (see $OUT/serve-$provider-$shape.log)" >&2; exit 1; }
    printf '%s\t%s\tstart with demo school\t%s\t\t%s\n' "$provider" "$shape" "$(elapsed "$start")" "$(loadavg)" >> "$OUT/seed.tsv"

    case $shape in
      demo) ;;
      school-40k)
        python3 bench/portal/gen.py pupils --count "$PUPILS_BIG" --prefix T --out "$WORK/pupils-big.csv"
        start=$(date +%s.%N)
        import_pupils "$WORK/pupils-big.csv" "$SCHOOL" "$OUT/import-$provider-$shape.log"
        printf '%s\t%s\timport %s pupils with parents\t%s\t\t%s\n' "$provider" "$shape" "$PUPILS_BIG" "$(elapsed "$start")" "$(loadavg)" >> "$OUT/seed.tsv" ;;
      trust-100)
        python3 bench/portal/gen.py pupils --count "$PUPILS_SMALL" --prefix S --out "$WORK/pupils-small.csv"
        start=$(date +%s.%N)
        for n in $(seq 2 "$SCHOOLS"); do
          id=$(printf 'trust-school-%03d' "$n")
          python3 bench/portal/gen.py policy --from policies/example.yaml --id "$id" --name "Trust Primary $n" --out "$WORK/$id.yaml"
          dotnet "$APP_DLL" policy load "$WORK/$id.yaml" --actor bench > "$WORK/load.log" 2>&1 \
            || { echo "loading $id failed" >&2; tail -20 "$WORK/load.log" >&2; exit 1; }
          import_pupils "$WORK/pupils-small.csv" "$id" "$WORK/import.log"
        done
        printf '%s\t%s\tload %s schools of %s pupils with parents\t%s\t\t%s\n' "$provider" "$shape" "$(( SCHOOLS - 1 ))" "$PUPILS_SMALL" "$(elapsed "$start")" "$(loadavg)" >> "$OUT/seed.tsv" ;;
      *) echo "unknown shape $shape" >&2; exit 2 ;;
    esac

    cat > "$WORK/pages.tsv" <<EOF
dashboard	/
people	/people
people search	/people?q=jones
people late page	/people?p=40
people overdue	/people?state=overdue
agreements	/agreements
agreements trends	/agreements/trends
monitoring devices	/monitoring/devices
incidents	/incidents
filtering	/filtering
filtering log	/filtering/log
approvals	/approvals?view=all
custody	/custody
consents	/consents
devices	/devices
loans	/loans
reports	/reports
policy	/policy
audit	/audit
users	/users
access rights	/access-rights
access rights search	/access-rights?q=jones
filtering trends	/filtering/trends
incidents trends	/incidents/trends
network	/network
network rejects	/network/rejects
devices leavers	/devices/leavers
governors report	/reports/governors
policy review	/policy/review
EOF
    if [[ -n ${PAGES_MATCH:-} ]]; then grep -E "$PAGES_MATCH" "$WORK/pages.tsv" > "$WORK/pages.only" || true; mv "$WORK/pages.only" "$WORK/pages.tsv"; fi
    echo "== pages ($shape, $provider): $REQUESTS requests each after $WARMUP warm-up, at most $SECONDS_RUN s a page (load $(loadavg))"
    set +e
    timeout 2400 dotnet "$BENCH_DLL" pages --server "http://127.0.0.1:$port" --setup "$setup" --email "$EMAIL" --password "$PASSWORD" \
      --pages "$WORK/pages.tsv" --requests "$REQUESTS" --warmup "$WARMUP" --seconds "$SECONDS_RUN" > "$WORK/run.tsv"
    rc=$?
    set -e
    sed "s/^/$provider\t$shape\t/" "$WORK/run.tsv" >> "$OUT/pages.tsv"
    [[ $rc == 0 ]] || echo "the pages run failed ($rc): a page did not answer 200 (see $OUT/pages.tsv, $OUT/serve-$provider-$shape.log)" >&2
    stop_pid "$serve_pid"
    # KEEP_DB=dir keeps each SQLite database for looking at query plans afterwards.
    if [[ -n ${KEEP_DB:-} && $provider == sqlite ]]; then mkdir -p "$KEEP_DB"; cp "$WORK"/portal.db* "$KEEP_DB/" && mv "$KEEP_DB/portal.db" "$KEEP_DB/$shape.db"; fi
    # On PostgreSQL the database is kept as brightline_portalbench_kept_SHAPE (replacing an earlier one).
    if [[ -n ${KEEP_DB:-} && $provider == postgres ]]; then
      kept="brightline_portalbench_kept_${shape//-/_}"
      psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "DROP DATABASE IF EXISTS \"$kept\" WITH (FORCE)" \
        -c "ALTER DATABASE \"$PG_DB\" RENAME TO \"$kept\"" >/dev/null && PG_DB=""
    fi
    [[ $provider == postgres ]] && drop_pg
  done
done

{
  printf 'provider\tshape\tpage\tp50_ms\tp95_ms\tp99_ms\tstatus\tunder_%s_ms\tload_average\n' "$TARGET_MS"
  awk -F'\t' -v t="$TARGET_MS" 'NR > 1 { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $2, $3, $8, $9, $10, $5, ($9 + 0 < t && $5 == 200) ? "yes" : "NO", $12 }' "$OUT/pages.tsv"
} > "$OUT/summary.tsv"
column -t -s$'\t' "$OUT/summary.tsv"
column -t -s$'\t' "$OUT/seed.tsv"
if awk -F'\t' 'NR > 1 && $8 != "yes" { bad = 1 } END { exit bad ? 0 : 1 }' "$OUT/summary.tsv"; then
  echo "some pages are over ${TARGET_MS} ms at p95 (or did not answer 200)" >&2
  exit 1
fi
