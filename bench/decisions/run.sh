#!/usr/bin/env bash
# The browser extension's decision API (issue 12's performance target: ≥ 20,000 decisions/s on two cores with
# p99 < 5 ms for batches of 10), side by side with the DNS filter's own decision rate.
#
#   1. `brightline serve` (Release build) on a throw-away SQLite database; it seeds the demo school (the example
#      policy and a few hundred people with signed agreements) on first start.
#   2. An enrolment key is inserted with its SHA-256 (as ExtensionKeys stores it), and a person of the demo school
#      with a signed agreement (so the gate lets them through) is chosen by email.
#   3. The bench verb `decisions` enrols as the extension does, warms up for 2 s, then SENDERS concurrent senders
#      post batches of BATCH URLs (a fixed mix of allowed and blocked sites) for BENCH_SECONDS; median of REPEAT runs.
#   4. WITH_DNS=1 also runs bench/dns/run.sh (dnsperf against the DNS filter and Unbound; see its knobs) for the DNS
#      filter's queries/s on the same machine in the same session; otherwise compare with docs/benchmarks.md.
# Client and server share the machine (as the target's "two cores" means). Knobs: SENDERS (4), BATCH (10),
# BENCH_SECONDS (15), REPEAT (3), WITH_DNS. Writes bench/results/decisions/*.tsv and prints the summary.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/decisions
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SENDERS=${SENDERS:-4}
BATCH=${BATCH:-10}
SECONDS_RUN=${BENCH_SECONDS:-15}  # not SECONDS: bash keeps its own SECONDS (time since the shell started)
REPEAT=${REPEAT:-3}
BENCH_DLL=$ART/bin/Brightline.Benchmarks/release/Brightline.Benchmarks.dll
APP_DLL=$ART/bin/Brightline/release/brightline.dll
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet python3 curl sha256sum; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done

WORK=$(mktemp -d /tmp/brightline-decbench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "n/a"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
field() { tr '\t' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.5; done; return 1; }

echo "== build (Release)"
dotnet build src/Brightline -c Release -v q -nologo >/dev/null
dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo >/dev/null

DB=$WORK/decisions.db
export Brightline__Database__Provider=sqlite Brightline__Database__ConnectionString="Data Source=$DB"
port=$(free_port)
dotnet "$APP_DLL" serve --urls "http://127.0.0.1:$port" > "$OUT/serve.log" 2>&1 &
serve_pid=$!; PIDS+=("$serve_pid")
wait_http "$port" || { echo "serve did not start (see $OUT/serve.log)" >&2; exit 1; }

key="blk_bench$(date +%s%N | sha256sum | cut -c1-32)"
hash=$(printf '%s' "$key" | sha256sum | cut -c1-64)
school=$(awk '/^  id:/{print $2; exit}' policies/example.yaml)
email=$(python3 - "$DB" "$school" "$hash" "${key:0:10}" <<'PY'
import sqlite3, sys, time, uuid
db, school, h, prefix = sys.argv[1:]
c = sqlite3.connect(db)
# DateTimeOffsetToBinaryConverter: (UtcTicks / 1000) << 11 (offset 0); Guid as upper-case TEXT (EF Core SQLite).
at = ((int(time.time() * 10**7) + 621355968000000000) // 1000) << 11
c.execute('INSERT INTO extension_enrolment_keys ("Id","SchoolId","KeyHash","KeyPrefix","CreatedAt","CreatedBy") VALUES (?,?,?,?,?,?)',
          (str(uuid.uuid4()).upper(), school, h, prefix, at, 'bench'))
c.commit()
row = c.execute('''SELECT p."Email" FROM people p WHERE p."SchoolId" = ? AND p."Email" IS NOT NULL AND p."LeftOn" IS NULL
                   AND EXISTS (SELECT 1 FROM signatures s WHERE s."PersonId" = p."Id") ORDER BY p."Email" LIMIT 1''', (school,)).fetchone()
print(row[0] if row else '')
PY
)
[[ -n $email ]] || { echo "no person with a signed agreement in the demo school" >&2; exit 1; }
echo "== decisions: $SENDERS senders, batches of $BATCH, ${SECONDS_RUN}s × $REPEAT, as $email"
: > "$OUT/runs.tsv"
for r in $(seq 1 "$REPEAT"); do
  line=$(timeout $((SECONDS_RUN + 120)) dotnet "$BENCH_DLL" decisions --server "http://127.0.0.1:$port" --key "$key" --email "$email" \
    --senders "$SENDERS" --seconds "$SECONDS_RUN" --batch "$BATCH")
  echo "run $r: $line"
  printf '%d\t%s\t%s\n' "$r" "$(cut -d' ' -f1-3 /proc/loadavg)" "$line" >> "$OUT/runs.tsv"
done
{
  printf 'decisions_per_s\tp50_ms\tp99_ms\tcpus\n'
  printf '%s\t%s\t%s\t%s\n' \
    "$(cut -f3- "$OUT/runs.tsv" | while read -r l; do field decisions_per_s <<<"$l"; done | median)" \
    "$(cut -f3- "$OUT/runs.tsv" | while read -r l; do field p50_ms <<<"$l"; done | median)" \
    "$(cut -f3- "$OUT/runs.tsv" | while read -r l; do field p99_ms <<<"$l"; done | median)" \
    "$(nproc)"
} > "$OUT/summary.tsv"
column -t -s$'\t' "$OUT/summary.tsv"

if [[ ${WITH_DNS:-0} == 1 ]]; then
  echo "== the DNS filter on the same machine (bench/dns/run.sh)"
  # The DNS run reads the generated block list and query files; make them (bench/run.sh's seed) if they are not there.
  export BRIGHTLINE_BENCH_DATA=${BRIGHTLINE_BENCH_DATA:-$ROOT/bench/results/data}
  seed=${SEED:-20250601}
  if [[ "$(cat "$BRIGHTLINE_BENCH_DATA/SEED" 2>/dev/null)" != "$seed" ]]; then
    dotnet "$BENCH_DLL" gen --seed "$seed"
  fi
  bash bench/dns/run.sh
fi
