#!/usr/bin/env bash
# Brightline's monitoring: phrase-matcher throughput vs ripgrep and Hyperscan, and ingestion events/s
# on SQLite and PostgreSQL. One run, everything on 127.0.0.1, every process stopped by PID on exit.
#
#   corpus   ≥ CORPUS_MB (100) MB of real text from this machine: /usr/share/doc/**/*.txt, gunzipped
#            changelogs and /usr/share/dict word lists, in sorted path order, repeated until large
#            enough, with a phrase planted every PLANT_EVERY lines (awk srand(SEED)).
#   phrases  every English weighted e2guardian phrase (bench verb `phrases`: E2GuardianImporter.ImportTree,
#            weight > 0, language en, files weighted*; each term of a combination too; lower-cased, ASCII).
#   scan     one core (taskset -c SCAN_CPU), median of REPEAT runs, MB = corpus bytes / 1e6:
#            (a) rg -F -i -c -f phrases corpus       (counts matching LINES; wall time via /usr/bin/time)
#            (b) hs_count phrases corpus             (Hyperscan, caseless literals, counts every match)
#            (c) scan --mode raw                     (Brightline, substring rules, counts every match)
#            (d) scan --mode normalised              (Brightline, full TextNormaliser pipeline)
#            Counts are each tool's own; only throughput is compared (raw Brightline and Hyperscan
#            count the same thing — every (phrase, end) occurrence — so those two should agree).
#   ingest   `brightline serve --no-demo` (Release build), policy loaded, one device token inserted with
#            its SHA-256 (DeviceTokens.Hash), then the bench verb `ingest`: SENDERS concurrent HttpClient
#            senders posting batches of 100 distinct events for INGEST_SECONDS (≤ INGEST_BATCHES), median of
#            INGEST_REPEAT; on SQLite and on a throw-away PostgreSQL (initdb in a temp dir, as the postgres
#            user when run as root, as test.sh does). Ingestion only: SKIP_SCAN=1.
#            After each run it waits (≤ DRAIN_MAX s) for the scoring worker to clear the backlog: drain_s.
# Knobs: SEED, CORPUS_MB, REPEAT, SCAN_CPU, SKIP_SCAN=1, SKIP_INGEST=1, SKIP_SQLITE=1, SKIP_PG=1, SENDERS, INGEST_SECONDS,
# INGEST_BATCHES, INGEST_REPEAT, DRAIN_MAX. Writes bench/results/monitoring/*.tsv and monitoring.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/monitoring
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SEED=${SEED:-20250601}
CORPUS_MB=${CORPUS_MB:-100}
PLANT_EVERY=${PLANT_EVERY:-400}
REPEAT=${REPEAT:-3}
SCAN_CPU=${SCAN_CPU:-1}
SENDERS=${SENDERS:-16}
INGEST_SECONDS=${INGEST_SECONDS:-15}
INGEST_BATCHES=${INGEST_BATCHES:-20000}
INGEST_REPEAT=${INGEST_REPEAT:-3}
DRAIN_MAX=${DRAIN_MAX:-300}
E2G=/etc/e2guardian/lists/phraselists
BENCH_DLL=$ART/bin/Brightline.Benchmarks/release/Brightline.Benchmarks.dll
APP_DLL=$ART/bin/Brightline/release/brightline.dll
mkdir -p "$OUT"
cd "$ROOT"

# SKIP_SCAN=1 (ingestion only) needs none of the scan tools, the phrase list or the corpus.
SCAN=1; [[ ${SKIP_SCAN:-0} == 1 ]] && SCAN=0
tools=(dotnet sha256sum python3 curl); ((SCAN)) && tools+=(rg gcc taskset)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y e2guardian ripgrep libhyperscan-dev)" >&2; exit 2; }
done
((SCAN)) && { [[ -d $E2G ]] || { echo "no $E2G (apt-get install -y e2guardian)" >&2; exit 2; }; }

WORK=$(mktemp -d /tmp/brightline-monbench.XXXXXX)
PIDS=()
CLEAN_DIRS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK" "${CLEAN_DIRS[@]}"
}
trap cleanup EXIT INT TERM

median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "n/a"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
field() { tr '\t' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }

echo "== build (Release)"
dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo >/dev/null
BENCH="dotnet $BENCH_DLL"

# ---- phrases and corpus -------------------------------------------------------------------------
if ((SCAN)); then
gcc -O2 -Wall -o "$OUT/hs_count" bench/monitoring/hs_count.c -lhs
PHRASES=$OUT/phrases.txt
CORPUS=$OUT/corpus.txt
$BENCH phrases --e2g "$E2G" --out "$PHRASES"
if [[ "$(cat "$OUT/corpus.key" 2>/dev/null)" != "$SEED $CORPUS_MB $PLANT_EVERY $(sha256sum < "$PHRASES" | cut -c1-16)" ]]; then
  echo "== corpus (≥ $CORPUS_MB MB, seed $SEED)"
  {
    find /usr/share/doc -type f -name '*.txt' 2>/dev/null | LC_ALL=C sort | xargs -r cat 2>/dev/null || true
    find /usr/share/doc -type f -name 'changelog*.gz' 2>/dev/null | LC_ALL=C sort | xargs -r zcat -f 2>/dev/null || true
    find /usr/share/dict -type f 2>/dev/null | LC_ALL=C sort | xargs -r cat 2>/dev/null || true
  } | LC_ALL=C tr -d '\r' | iconv -f UTF-8 -t UTF-8 -c > "$WORK/base.txt"
  base=$(stat -c %s "$WORK/base.txt")
  (( base > 1000000 )) || { echo "too little text on this machine ($base bytes)" >&2; exit 2; }
  reps=$(( (CORPUS_MB * 1000000 + base - 1) / base ))
  for ((i = 0; i < reps && i < 1000; i++)); do cat "$WORK/base.txt"; done \
    | awk -v seed="$SEED" -v every="$PLANT_EVERY" -v pf="$PHRASES" '
        BEGIN { srand(seed); while ((getline p < pf) > 0) ph[n++] = p }
        { print }
        NR % every == 0 { print "planted: she said " ph[int(rand() * n)] " yesterday" }' > "$CORPUS"
  echo "$SEED $CORPUS_MB $PLANT_EVERY $(sha256sum < "$PHRASES" | cut -c1-16)" > "$OUT/corpus.key"
  echo "base text $(( base / 1000000 )) MB × $reps"
fi
CORPUS_BYTES=$(stat -c %s "$CORPUS")
echo "corpus: $CORPUS_BYTES bytes, $(wc -l < "$PHRASES") phrases"
fi

# ---- scan throughput ----------------------------------------------------------------------------
if ((SCAN)); then
  echo "== scan: one core (cpu $SCAN_CPU), median of $REPEAT"
  cat "$CORPUS" > /dev/null   # page cache
  printf 'tool\trun\tcount\tcpu_s\twall_s\tcpu_mbps\twall_mbps\n' > "$OUT/scan-runs.tsv"
  for ((r = 1; r <= REPEAT; r++)); do
    # (a) ripgrep: user+sys CPU and wall from GNU time; -j1 and taskset keep it on one core.
    /usr/bin/time -f '%U %S %e' -o "$WORK/rg.time" timeout 600 taskset -c "$SCAN_CPU" rg -j1 -F -i -c -f "$PHRASES" "$CORPUS" > "$WORK/rg.count"
    read -r u s e < "$WORK/rg.time"
    awk -v r="$r" -v c="$(cat "$WORK/rg.count")" -v u="$u" -v s="$s" -v e="$e" -v b="$CORPUS_BYTES" \
      'BEGIN{ printf "ripgrep\t%d\t%s\t%.3f\t%.3f\t%.1f\t%.1f\n", r, c, u+s, e, b/1e6/(u+s), b/1e6/e }' >> "$OUT/scan-runs.tsv"
    # (b) Hyperscan
    line=$(timeout 600 taskset -c "$SCAN_CPU" "$OUT/hs_count" "$PHRASES" "$CORPUS")
    printf 'hyperscan\t%d\t%s\t%s\t%s\t%s\t%s\n' "$r" "$(field matches <<<"$line")" "$(field cpu_s <<<"$line")" \
      "$(field wall_s <<<"$line")" "$(field cpu_mbps <<<"$line")" "$(field wall_mbps <<<"$line")" >> "$OUT/scan-runs.tsv"
    # (c), (d) Brightline
    for mode in raw normalised; do
      line=$(timeout 900 taskset -c "$SCAN_CPU" env DOTNET_TieredPGO=1 $BENCH scan --mode "$mode" --phrases "$PHRASES" --corpus "$CORPUS")
      echo "$line" >> "$OUT/scan-brightline.log"
      printf 'brightline-%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$r" "$(field matches <<<"$line")" "$(field cpu_s <<<"$line")" \
        "$(field wall_s <<<"$line")" "$(field cpu_mbps <<<"$line")" "$(field wall_mbps <<<"$line")" >> "$OUT/scan-runs.tsv"
    done
    tail -4 "$OUT/scan-runs.tsv"
  done
  {
    printf 'tool\tcount\tcpu_mbps\twall_mbps\n'
    for t in ripgrep hyperscan brightline-raw brightline-normalised; do
      printf '%s\t%s\t%s\t%s\n' "$t" "$(awk -F'\t' -v t="$t" '$1==t{print $3; exit}' "$OUT/scan-runs.tsv")" \
        "$(awk -F'\t' -v t="$t" '$1==t{print $6}' "$OUT/scan-runs.tsv" | median)" \
        "$(awk -F'\t' -v t="$t" '$1==t{print $7}' "$OUT/scan-runs.tsv" | median)"
    done
  } > "$OUT/scan-summary.tsv"
  column -t -s$'\t' "$OUT/scan-summary.tsv"
fi

# ---- ingestion ----------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.5; done; return 1; }

unscanned() { # provider connection-string → events stored but not yet scored
  if [[ $1 == sqlite ]]; then
    local db=${2#Data Source=}; db=${db%%;*}
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM monitoring_events WHERE \"ScannedAt\" IS NULL").fetchone()[0])' "$db"
  else
    "$PGBIN/psql" -tA -h 127.0.0.1 -p "$PG_PORT" -U bench -d brightline -c 'SELECT count(*) FROM monitoring_events WHERE "ScannedAt" IS NULL'
  fi
}

ingest_one() { # provider connection-string
  local provider=$1 cs=$2 port token hash prefix serve_pid
  export Brightline__Database__Provider=$provider Brightline__Database__ConnectionString=$cs
  dotnet "$APP_DLL" policy load policies/example.yaml > "$OUT/ingest-$provider-policy.log" 2>&1
  token="bld_bench$(printf '%s' "$SEED" | sha256sum | cut -c1-32)"
  hash=$(printf '%s' "$token" | sha256sum | cut -c1-64)
  prefix=${token:0:10}
  school=$(awk '/^  id:/{print $2; exit}' policies/example.yaml)
  if [[ $provider == sqlite ]]; then
    local db=${cs#Data Source=}; db=${db%%;*}
    # DateTimeOffsetToBinaryConverter: (UtcTicks / 1000) << 11 (offset 0); Guid as upper-case TEXT (EF Core SQLite).
    local at; at=$(python3 -c 'import time; print(((int(time.time()*10**7) + 621355968000000000) // 1000) << 11)')
    python3 - "$db" "$school" "$hash" "$prefix" "$at" <<'PY'
import sqlite3, sys
db, school, h, prefix, at = sys.argv[1:]
c = sqlite3.connect(db)
c.execute('DELETE FROM monitoring_devices WHERE "TokenHash"=?', (h,))
c.execute('INSERT INTO monitoring_devices ("Id","SchoolId","Name","TokenHash","TokenPrefix","CreatedAt","CreatedBy") VALUES (?,?,?,?,?,?,?)',
          ('0B0E0C4E-0000-4000-8000-000000000001', school, 'bench', h, prefix, int(at), 'bench'))
c.commit()
PY
  else
    "$PGBIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U bench -d brightline -v ON_ERROR_STOP=1 -c \
      "DELETE FROM monitoring_devices WHERE \"TokenHash\"='$hash'; INSERT INTO monitoring_devices (\"Id\",\"SchoolId\",\"Name\",\"TokenHash\",\"TokenPrefix\",\"CreatedAt\",\"CreatedBy\") VALUES ('0b0e0c4e-0000-4000-8000-000000000001','$school','bench','$hash','$prefix',now(),'bench')"
  fi
  port=$(free_port)
  dotnet "$APP_DLL" serve --no-demo --urls "http://127.0.0.1:$port" > "$OUT/ingest-$provider-serve.log" 2>&1 &
  serve_pid=$!; PIDS+=("$serve_pid")
  wait_http "$port" || { echo "serve did not start (see $OUT/ingest-$provider-serve.log)" >&2; return 1; }
  # warm-up (JIT, connection pool), not counted
  timeout 120 $BENCH ingest --url "http://127.0.0.1:$port/api/v1/monitoring/events" --token "$token" --senders 4 --batches 600 --seconds 15 --run "warm-$provider-$$" > /dev/null
  for _ in $(seq 1 "$DRAIN_MAX"); do (( $(unscanned "$provider" "$cs") == 0 )) && break; sleep 1; done   # warm-up's scoring done
  for ((r = 1; r <= INGEST_REPEAT; r++)); do
    line=$(timeout $((INGEST_SECONDS + 120)) $BENCH ingest --url "http://127.0.0.1:$port/api/v1/monitoring/events" --token "$token" \
      --senders "$SENDERS" --batches "$INGEST_BATCHES" --seconds "$INGEST_SECONDS" --run "$provider-$$-$r") || true
    # Scoring runs after the answer (ScoringWorker): time how long the backlog left at the end of the run
    # takes to clear, i.e. how late the last accepted event's alert could be. Also keeps runs independent.
    local backlog drained=0 t0=$SECONDS
    backlog=$(unscanned "$provider" "$cs")
    while (( $(unscanned "$provider" "$cs") > 0 )); do
      (( SECONDS - t0 > DRAIN_MAX )) && { drained=-1; break; }
      sleep 0.5
    done
    (( drained == 0 )) && drained=$((SECONDS - t0))
    line+=$'\t'"backlog=$backlog"$'\t'"drain_s=$drained"
    echo "$line"
    printf '%s\t%d\t%s\n' "$provider" "$r" "$line" >> "$OUT/ingest-runs.tsv"
  done
  kill -TERM "$serve_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
}

if [[ ${SKIP_INGEST:-0} != 1 ]]; then
  # Always (incrementally) rebuilt: a stale brightline.dll would measure old code.
  dotnet build src/Brightline -c Release -v q -nologo >/dev/null
  : > "$OUT/ingest-runs.tsv"
  if [[ ${SKIP_SQLITE:-0} != 1 ]]; then
    echo "== ingest: SQLite"
    rm -f "$OUT/ingest.db" "$OUT/ingest.db-wal" "$OUT/ingest.db-shm"
    ingest_one sqlite "Data Source=$OUT/ingest.db"
  fi
  if [[ ${SKIP_PG:-0} != 1 ]]; then
    echo "== ingest: PostgreSQL"
    # PostgreSQL refuses to run as root: as root (like test.sh) initdb and postgres run as the postgres
    # user, in a throw-away directory it owns. Default durability (fsync on, synchronous_commit on), so an
    # acknowledged batch is on disk as it would be in production; loopback only.
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n $PGBIN ]] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }
    PGROOT=$(mktemp -d /tmp/brightline-monbench-pg.XXXXXX); PGDATA=$PGROOT/data
    CLEAN_DIRS+=("$PGROOT")
    as_pg() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
    if [[ $(id -u) == 0 ]]; then
      id postgres >/dev/null 2>&1 || useradd -r -m postgres
      chown postgres "$PGROOT"
    fi
    as_pg "$PGBIN/initdb -D '$PGDATA' -U bench --auth=trust -E UTF8" > "$OUT/pg-initdb.log" 2>&1 \
      || { echo "initdb failed (see $OUT/pg-initdb.log)" >&2; exit 1; }
    PG_PORT=$(free_port)
    as_pg "exec $PGBIN/postgres -D '$PGDATA' -h 127.0.0.1 -p $PG_PORT -k '$PGROOT' -c max_connections=200" > "$OUT/pg.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 100); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
    # The postmaster itself (not only su) is stopped by its PID on exit.
    PIDS+=("$(head -1 "$PGDATA/postmaster.pid")")
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U bench brightline
    ingest_one postgres "Host=127.0.0.1;Port=$PG_PORT;Username=bench;Database=brightline"
  fi
  {
    printf 'database\tsenders\tevents_per_s\tp50_ms\tp99_ms\tscoring_drain_s\n'
    for p in sqlite postgres; do
      grep -q "^$p	" "$OUT/ingest-runs.tsv" || continue
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$SENDERS" \
        "$(awk -F'\t' -v p="$p" '$1==p' "$OUT/ingest-runs.tsv" | cut -f3- | while read -r l; do field events_per_s <<<"$l"; done | median)" \
        "$(awk -F'\t' -v p="$p" '$1==p' "$OUT/ingest-runs.tsv" | cut -f3- | while read -r l; do field p50_ms <<<"$l"; done | median)" \
        "$(awk -F'\t' -v p="$p" '$1==p' "$OUT/ingest-runs.tsv" | cut -f3- | while read -r l; do field p99_ms <<<"$l"; done | median)" \
        "$(awk -F'\t' -v p="$p" '$1==p' "$OUT/ingest-runs.tsv" | cut -f3- | while read -r l; do field drain_s <<<"$l"; done | median)"
    done
  } > "$OUT/ingest-summary.tsv"
  column -t -s$'\t' "$OUT/ingest-summary.tsv"
fi
