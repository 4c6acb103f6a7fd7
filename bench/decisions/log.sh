#!/usr/bin/env bash
# The DNS decision log at trust volume (issue 18 part 4), on PostgreSQL:
#   1. insert rate through the host's real sink (DnsDecisionStore: binary COPY) behind the DNS server's queue
#      (DnsDecisionLog), for each batch size in BATCHES, INSERT_ROWS rows each (bench/Brightline.Bench.DecisionLog);
#   2. a large log generated in SQL (generate_series): DAYS day partitions of ROWS_PER_DAY rows over 50 schools
#      (interleaved in time, as a trust's are; a fifth blocked, independently of the school),
#      each day loaded into a plain table and attached (the partitioned table's indexes are built on attach);
#   3. the log page's and the trends page's queries on it, as the portal sends them, timed (median of 3) and
#      EXPLAINed (explain.txt), with the old page's COUNT(*) for comparison;
#   4. the purge: one day dropped whole (count per school for the audit, then DROP TABLE) against the batched
#      delete (2,000 rows a statement, as DnsDecisionRetention does) of PURGE_DELETE_ROWS rows of another day.
# Uses a database of its own (DB, default bench_dlog) on the PostgreSQL server PG (default the dev server at
# 127.0.0.1:55432), made at the start and dropped at the end. Needs about 0.35 GB of disk per million rows: the
# script stops if the disk would keep less than 20 GB free. Writes bench/results/decisions/log-*.tsv and explain.txt.
# Knobs: DAYS (20), ROWS_PER_DAY (1,000,000), INSERT_ROWS (1,000,000), BATCHES ("500 5000"), PURGE_DELETE_ROWS
# (200,000), ONLY_INSERT=1 (stop after step 1), DB, PGHOST/PGPORT/PGUSER.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/decisions
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-55432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER PGOPTIONS='-c client_min_messages=warning'
DB=${DB:-bench_dlog}
DAYS=${DAYS:-20}
ROWS_PER_DAY=${ROWS_PER_DAY:-1000000}
INSERT_ROWS=${INSERT_ROWS:-1000000}
BATCHES=${BATCHES:-500 5000}
PURGE_DELETE_ROWS=${PURGE_DELETE_ROWS:-200000}
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet psql pg_isready df; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
pg_isready -q || { echo "PostgreSQL at $PGHOST:$PGPORT is not ready" >&2; exit 2; }

need_gb=$(( (DAYS * ROWS_PER_DAY + INSERT_ROWS * 3) * 35 / 100 / 1000000 + 1 ))
free_gb=$(df -BG --output=avail "$(psql -Atqc 'SHOW data_directory' 2>/dev/null || echo /)" 2>/dev/null | tail -1 | tr -dc 0-9)
free_gb=${free_gb:-$(df -BG --output=avail / | tail -1 | tr -dc 0-9)}
if (( free_gb - need_gb < 20 )); then
  echo "the log would need ~${need_gb} GB and leave less than 20 GB free (${free_gb} GB now): lower DAYS or ROWS_PER_DAY" >&2; exit 2
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
q() { psql -d "$DB" -Atq -v ON_ERROR_STOP=1 "$@"; }
cleanup() { psql -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
psql -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
CS="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=$DB"

echo "== build (Release)"
dotnet build bench/Brightline.Bench.DecisionLog -c Release -v q -nologo >/dev/null
BENCH_DLL=$ART/bin/Brightline.Bench.DecisionLog/release/Brightline.Bench.DecisionLog.dll

echo "== insert through DnsDecisionStore (binary COPY), $INSERT_ROWS rows per batch size"
printf 'batch\trows\tseconds\trows_per_s\tclient_cpu_s\tserver_cpu_s\trows_per_server_cpu_s\tload_before\tload_after\n' > "$OUT/log-insert.tsv"
for b in $BATCHES; do
  before=$(load)
  line=$(timeout 900 dotnet "$BENCH_DLL" --provider postgres --connection "$CS" --rows "$INSERT_ROWS" --batch "$b")
  echo "  $line (load $before)"
  f() { tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1==k{print $2}'; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$(f rows)" "$(f seconds)" "$(f rows_per_s)" \
    "$(f client_cpu_s)" "$(f server_cpu_s)" "$(f rows_per_server_cpu_s)" "$before" "$(load)" >> "$OUT/log-insert.tsv"
done
q -c "TRUNCATE dns_decisions"
if [[ ${ONLY_INSERT:-0} == 1 ]]; then column -t -s$'\t' "$OUT/log-insert.tsv"; exit 0; fi

echo "== generate $DAYS days × $ROWS_PER_DAY rows (50 schools)"
gen_start=$(date +%s); gen_load=$(load)
for d in $(seq "$DAYS" -1 1); do
  day=$(date -u -d "-$d days" +%Y-%m-%d); name=dns_decisions_p$(date -u -d "-$d days" +%Y%m%d)
  q <<SQL
DROP TABLE IF EXISTS $name;
CREATE TABLE $name (LIKE dns_decisions INCLUDING DEFAULTS);
INSERT INTO $name ("Id","SchoolId","At","ClientAddress","PersonId","Name","QueryType","Decision","Category","Profile","Reason")
SELECT nextval(pg_get_serial_sequence('dns_decisions','Id')),
       'bench-school-' || lpad((i % 50)::text, 3, '0'),
       TIMESTAMPTZ '$day 00:00:00+00' + (i * interval '86399 seconds' / $ROWS_PER_DAY),
       '10.' || (i % 200) || '.' || (i / 200 % 250) || '.' || (1 + i % 250),
       CASE WHEN i % 4 = 0 THEN md5((i % 1000)::text)::uuid END,
       'host' || (i % 50000) || '.example' || (i % 97) || '.test', 'A',
       CASE WHEN i / 50 % 5 = 0 THEN 'blocked' ELSE 'forwarded' END,
       CASE WHEN i / 50 % 5 = 0 THEN (ARRAY['social-networking','games','gambling','adult'])[1 + i / 250 % 4] END,
       (ARRAY['pupils','staff','ks1'])[1 + i % 3],
       CASE WHEN i / 50 % 5 = 0 THEN 'category blocked for the group' END
FROM generate_series(1, $ROWS_PER_DAY) AS i;
ALTER TABLE dns_decisions ATTACH PARTITION $name FOR VALUES FROM ('$day 00:00:00+00') TO (TIMESTAMPTZ '$day 00:00:00+00' + interval '1 day');
SQL
  printf '.'
done
echo
q -c "VACUUM ANALYZE dns_decisions" 2>/dev/null || q -c "ANALYZE dns_decisions"
gen_seconds=$(( $(date +%s) - gen_start ))
total=$(q -c "SELECT count(*) FROM dns_decisions")
size=$(q -c "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'dns_decisions'::regclass")
printf 'rows\tdays\tseconds\tsize\tload_before\tload_after\n%s\t%s\t%s\t%s\t%s\t%s\n' "$total" "$DAYS" "$gen_seconds" "$size" "$gen_load" "$(load)" > "$OUT/log-generate.tsv"
echo "  $total rows, $size, ${gen_seconds}s"

echo "== queries (median of 3, ms)"
S=bench-school-007
mid=$(q -c "SELECT \"At\" FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" < now() - interval '$(( (DAYS + 1) / 2 )) days' ORDER BY \"At\" DESC LIMIT 1")
midid=$(q -c "SELECT \"Id\" FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" = '$mid' ORDER BY \"Id\" DESC LIMIT 1")
WINDOW="\"SchoolId\" = '$S' AND \"At\" >= now() - interval '31 days'"
COLS='"Id","SchoolId","At","ClientAddress","PersonId","Name","QueryType","Decision","Category","Profile","Reason"'
declare -A Q=(
  [log_newest]="SELECT $COLS FROM dns_decisions WHERE $WINDOW ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_older_page_half_way_back]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND \"At\" <= '$mid' AND (\"At\" < '$mid' OR \"Id\" < $midid) ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_blocked_only]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND \"Decision\" = 'blocked' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_name_search_common]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND lower(\"Name\") LIKE '%example7.test%' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_name_search_absent]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND lower(\"Name\") LIKE '%nowhere.test%' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_one_day]="SELECT $COLS FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" >= date_trunc('day', now()) - interval '5 days' AND \"At\" < date_trunc('day', now()) - interval '4 days' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [trends_30_days]="SELECT \"Profile\", \"Category\", count(*) FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" >= now() - interval '30 days' AND \"Decision\" LIKE 'blocked%' AND \"Category\" IS NOT NULL GROUP BY \"Profile\", \"Category\""
  [old_page_count_all]="SELECT count(*) FROM dns_decisions WHERE \"SchoolId\" = '$S'"
)
printf 'query\tmedian_ms\tload\n' > "$OUT/log-queries.tsv"
: > "$OUT/explain.txt"
for name in log_newest log_older_page_half_way_back log_blocked_only log_name_search_common log_name_search_absent log_one_day trends_30_days old_page_count_all; do
  sql=${Q[$name]}
  ms=$(for _ in 1 2 3; do q -c '\timing on' -c "$sql" | awk '/^Time:/{print $2}'; done | sort -g | sed -n 2p)
  printf '%s\t%s\t%s\n' "$name" "$ms" "$(load)" >> "$OUT/log-queries.tsv"
  { echo "== $name"; echo "$sql"; q -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $sql"; echo; } >> "$OUT/explain.txt"
  printf '  %-30s %s ms\n' "$name" "$ms"
done

echo "== purge: drop a day against batched delete"
old=dns_decisions_p$(date -u -d "-$DAYS days" +%Y%m%d)
old_rows=$(q -c "SELECT count(*) FROM $old")
t0=$(date +%s%N)
q -c "BEGIN; SELECT coalesce(\"SchoolId\", ''), count(*) FROM $old GROUP BY 1; DROP TABLE $old; COMMIT;" >/dev/null
drop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
victim_day=$(date -u -d "-$((DAYS - 1)) days" +%Y-%m-%d)
t0=$(date +%s%N)
deleted=0
while (( deleted < PURGE_DELETE_ROWS )); do
  # The statement shape of DnsDecisionRetention: the oldest 2,000 ids of one school before the cut-off, then delete them.
  n=$(q -c "WITH ids AS (SELECT \"Id\" FROM dns_decisions WHERE \"SchoolId\" = 'bench-school-'||lpad(($deleted / 2000 % 50)::text, 3, '0') AND \"At\" < TIMESTAMPTZ '$victim_day 00:00:00+00' + interval '1 day' ORDER BY \"At\" LIMIT 2000),
            gone AS (DELETE FROM dns_decisions WHERE \"Id\" IN (SELECT \"Id\" FROM ids) AND \"At\" < TIMESTAMPTZ '$victim_day 00:00:00+00' + interval '1 day' RETURNING 1)
            SELECT count(*) FROM gone")
  [[ -n $n && $n -gt 0 ]] || break
  deleted=$((deleted + n))
done
delete_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
{
  printf 'method\trows\tms\trows_per_s\tload\n'
  printf 'drop_partition\t%s\t%s\t%s\t%s\n' "$old_rows" "$drop_ms" "$(( old_rows * 1000 / (drop_ms > 0 ? drop_ms : 1) ))" "$(load)"
  printf 'batched_delete_2000\t%s\t%s\t%s\t%s\n' "$deleted" "$delete_ms" "$(( deleted * 1000 / (delete_ms > 0 ? delete_ms : 1) ))" "$(load)"
} > "$OUT/log-purge.tsv"
column -t -s$'\t' "$OUT/log-insert.tsv"; echo; column -t -s$'\t' "$OUT/log-generate.tsv"; echo
column -t -s$'\t' "$OUT/log-queries.tsv"; echo; column -t -s$'\t' "$OUT/log-purge.tsv"
