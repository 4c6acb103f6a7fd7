#!/usr/bin/env bash
# The DNS decision log at trust volume (issue 18 part 4), on PostgreSQL:
#   1. insert rate through the host's real sink (DnsDecisionStore: binary COPY of the rows and, in the same
#      transaction, the upserts of the batch's daily summaries) behind the DNS server's queue (DnsDecisionLog), for
#      each batch size in BATCHES and each name distribution in INSERT_NAMES, INSERT_ROWS rows each
#      (bench/Brightline.Bench.DecisionLog);
#   2. a large log generated in SQL (generate_series): DAYS day partitions of ROWS_PER_DAY rows over 50 schools
#      (interleaved in time, as a trust's are), each row's name drawn from NAMES names with the k-th about 1/k as
#      likely (the 2,000 commonest shared by every school, the rest each school's own), blocked by name (a fifth of
#      the names); each day loaded into a plain table and attached (the partitioned table's indexes are built on
#      attach), then given its own (SchoolId, Name, At) index as the hourly upkeep gives a day over for an hour
#      (DnsDecisionPartitions.IndexNamesAsync, V0049; timed), and its rows summarised into dns_decision_days (counts)
#      and dns_decision_names (names) by the same GROUP BY the V0048 migration uses to backfill them (the store adds
#      the same, batch by batch); then today so far (TODAY_ROWS, by default ROWS_PER_DAY's rate up to now), which has
#      no name index yet, so the name searches also read today's rows through (SchoolId, At) as they do in a running system;
#   3. the log page's and the trends page's queries on it, as the portal sends them, timed (median of 3) and
#      EXPLAINed (explain.txt); "name contains" is the page's sequence of statements (name_search.sql, auto_explain
#      for the plans), and the old single-statement search is timed once for comparison;
#   4. the purge: one day dropped whole (count per school for the audit, then DROP TABLE) against the batched
#      delete (2,000 rows a statement, as DnsDecisionRetention does) of PURGE_DELETE_ROWS rows of another day.
# Uses a database of its own (DB, default bench_dlog) on the PostgreSQL server PG (default the dev server at
# 127.0.0.1:55432), made at the start and dropped at the end (KEEP=1 keeps it). Needs about 0.42 GB of disk per
# million rows: the script stops if the disk would keep less than 20 GB free. Writes bench/results/decisions/log-*.tsv
# and explain.txt.
# Knobs: DAYS (20), ROWS_PER_DAY (1,000,000), TODAY_ROWS, GEN_BATCH (500), NAMES (30,000), INSERT_ROWS (1,000,000), BATCHES ("500 5000"),
# INSERT_NAMES ("cycle skewed"), PURGE_DELETE_ROWS (200,000), ONLY_INSERT=1 (stop after step 1), SKIP_INSERT=1,
# VACUUM_LOG=0, KEEP=1, BENCH_PGOPTIONS (e.g. "-c work_mem=256MB" for the generation's GROUP BYs), DB, PGHOST/PGPORT/PGUSER.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/decisions
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-55432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER PGOPTIONS="-c client_min_messages=warning ${BENCH_PGOPTIONS:-}"
DB=${DB:-bench_dlog}
DAYS=${DAYS:-20}
ROWS_PER_DAY=${ROWS_PER_DAY:-1000000}
# Today's rows up to a minute ago, at the same rate as the generated days.
TODAY_SECONDS=$(( $(date -u +%s) % 86400 - 60 )); (( TODAY_SECONDS > 0 )) || TODAY_SECONDS=1
TODAY_ROWS=${TODAY_ROWS:-$(( ROWS_PER_DAY * TODAY_SECONDS / 86400 ))}
NAMES=${NAMES:-30000}
INSERT_NAMES=${INSERT_NAMES:-cycle skewed}
INSERT_ROWS=${INSERT_ROWS:-1000000}
BATCHES=${BATCHES:-500 5000}
# The generated days' rows as a DNS node's batches of GEN_BATCH rows put them in the heap, each batch school by school
# (DnsDecisionStore.BySchool); 500 is a second of a 50-school trust's school-hours rate through one node for them all,
# the least clustered layout a trust has (a node per site writes one school a batch). 0: rows interleaved one school a row.
GEN_BATCH=${GEN_BATCH:-500}
PURGE_DELETE_ROWS=${PURGE_DELETE_ROWS:-200000}
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet psql pg_isready df; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }; done
pg_isready -q || { echo "PostgreSQL at $PGHOST:$PGPORT is not ready" >&2; exit 2; }

need_gb=$(( (DAYS * ROWS_PER_DAY + TODAY_ROWS + INSERT_ROWS * 3) * 42 / 100 / 1000000 + 1 ))
free_gb=$(df -BG --output=avail "$(psql -Atqc 'SHOW data_directory' 2>/dev/null || echo /)" 2>/dev/null | tail -1 | tr -dc 0-9)
free_gb=${free_gb:-$(df -BG --output=avail / | tail -1 | tr -dc 0-9)}
if (( free_gb - need_gb < 20 )); then
  echo "the log would need ~${need_gb} GB and leave less than 20 GB free (${free_gb} GB now): lower DAYS or ROWS_PER_DAY" >&2; exit 2
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
q() { psql -d "$DB" -Atq -v ON_ERROR_STOP=1 "$@"; }
cleanup() { [[ ${KEEP:-0} == 1 ]] || psql -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
psql -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
CS="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=$DB"

echo "== build (Release)"
dotnet build bench/Brightline.Bench.DecisionLog -c Release -v q -nologo >/dev/null
BENCH_DLL=$ART/bin/Brightline.Bench.DecisionLog/release/Brightline.Bench.DecisionLog.dll

if [[ ${SKIP_INSERT:-0} != 1 ]]; then
echo "== insert through DnsDecisionStore (binary COPY + summaries), $INSERT_ROWS rows per batch size and name distribution"
printf 'batch\tnames\trows\tseconds\trows_per_s\tclient_cpu_s\tserver_cpu_s\trows_per_server_cpu_s\tsummary_name_rows\tload_before\tload_after\n' > "$OUT/log-insert.tsv"
for names in $INSERT_NAMES; do
for b in $BATCHES; do
  before=$(load)
  line=$(timeout 900 dotnet "$BENCH_DLL" --provider postgres --connection "$CS" --rows "$INSERT_ROWS" --batch "$b" --names "$names")
  summary_rows=$(q -c "SELECT count(*) FROM dns_decision_names")
  echo "  $names: $line summary_name_rows=$summary_rows (load $before)"
  f() { tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1==k{print $2}'; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$names" "$(f rows)" "$(f seconds)" "$(f rows_per_s)" \
    "$(f client_cpu_s)" "$(f server_cpu_s)" "$(f rows_per_server_cpu_s)" "$summary_rows" "$before" "$(load)" >> "$OUT/log-insert.tsv"
  q -c "TRUNCATE dns_decisions, dns_decision_days, dns_decision_names"
done
done
if [[ ${ONLY_INSERT:-0} == 1 ]]; then column -t -s$'\t' "$OUT/log-insert.tsv"; exit 0; fi
else
  # The schema without the insert step: the bench program migrates an empty database and writes nothing.
  dotnet "$BENCH_DLL" --provider postgres --connection "$CS" --rows 0 --batch 500 >/dev/null
  q -c "TRUNCATE dns_decisions, dns_decision_days, dns_decision_names"
fi

echo "== generate $DAYS days × $ROWS_PER_DAY rows and today's $TODAY_ROWS (50 schools, names from $NAMES, skewed)"
gen_start=$(date +%s); gen_load=$(load)
index_ms=0; indexed_days=0
# gen_day D ROWS SECONDS: the day D days ago (0 = today), ROWS rows spread over its first SECONDS seconds.
gen_day() {
  local d=$1 rows=$2 span=$3 day name
  day=$(date -u -d "-$d days" +%Y-%m-%d); name=dns_decisions_p$(date -u -d "-$d days" +%Y%m%d)
  # Rows reach the heap as DnsDecisionStore writes them: batch by batch, each batch's rows school by school.
  local gen_order=""; (( GEN_BATCH > 0 )) && gen_order="ORDER BY i / $GEN_BATCH, i % 50, i"
  q <<SQL
DROP TABLE IF EXISTS $name;
CREATE TABLE $name (LIKE dns_decisions INCLUDING DEFAULTS);
SELECT setseed(1.0 / ($d + 1));
INSERT INTO $name ("Id","SchoolId","At","ClientAddress","PersonId","Name","QueryType","Decision","Category","Profile","Reason")
SELECT nextval(pg_get_serial_sequence('dns_decisions','Id')),
       'bench-school-' || lpad((i % 50)::text, 3, '0'),
       TIMESTAMPTZ '$day 00:00:00+00' + (i * interval '$span seconds' / $rows),
       '10.' || (i % 200) || '.' || (i / 200 % 250) || '.' || (1 + i % 250),
       CASE WHEN i % 4 = 0 THEN md5((i % 1000)::text)::uuid END,
       CASE WHEN k <= 2000 THEN 'n' || k || '.site' || (k % 97) || '.test' ELSE 'n' || k || '.site' || (k % 97) || '.s' || (i % 50) || '.test' END, 'A',
       CASE WHEN k % 5 = 0 THEN 'blocked' ELSE 'forwarded' END,
       CASE WHEN k % 5 = 0 THEN (ARRAY['social-networking','games','gambling','adult'])[1 + k / 5 % 4] END,
       (ARRAY['pupils','staff','ks1'])[1 + i % 3],
       CASE WHEN k % 5 = 0 THEN 'category blocked for the group' END
FROM (SELECT i, least($NAMES, floor(exp(random() * ln($NAMES)))::int) AS k FROM generate_series(1, $rows) AS i) AS g
$gen_order;
ALTER TABLE dns_decisions ATTACH PARTITION $name FOR VALUES FROM ('$day 00:00:00+00') TO (TIMESTAMPTZ '$day 00:00:00+00' + interval '1 day');
INSERT INTO dns_decision_days ("SchoolId", "Day", "Decision", "Profile", "Category", "Count")
SELECT "SchoolId", ("At" AT TIME ZONE 'Europe/London')::date, "Decision", coalesce("Profile", ''), coalesce("Category", ''), count(*)
FROM $name WHERE "SchoolId" IS NOT NULL GROUP BY 1, 2, 3, 4, 5
ON CONFLICT ("SchoolId", "Day", "Decision", "Profile", "Category") DO UPDATE SET "Count" = dns_decision_days."Count" + excluded."Count";
INSERT INTO dns_decision_names ("SchoolId", "Day", "Name")
SELECT "SchoolId", ("At" AT TIME ZONE 'Europe/London')::date, "Name"
FROM $name WHERE "SchoolId" IS NOT NULL GROUP BY 1, 2, 3
ON CONFLICT ("SchoolId", "Day", "Name") DO NOTHING;
SQL
  # The day's name index as the hourly upkeep builds it (DnsDecisionPartitions.IndexNamesAsync), once the day has been
  # over for an hour: every generated day but yesterday in the first hour after midnight, never today.
  if (( d > 1 || (d == 1 && $(date -u +%s) % 86400 >= 3600) )); then
    local t0; t0=$(date +%s%N)
    q -c "CREATE INDEX IF NOT EXISTS ${name}_name ON $name (\"SchoolId\", \"Name\", \"At\")"
    index_ms=$(( index_ms + ($(date +%s%N) - t0) / 1000000 )); indexed_days=$((indexed_days + 1))
  fi
}
for d in $(seq "$DAYS" -1 1); do
  gen_day "$d" "$ROWS_PER_DAY" 86399
  printf '.'
done
if (( TODAY_ROWS > 0 )); then gen_day 0 "$TODAY_ROWS" "$TODAY_SECONDS"; printf 't'; fi
echo
# VACUUM_LOG=0 only analyses the log (a vacuum of 100 M fresh rows takes many minutes; the log's page queries read
# the heap anyway). The summaries are always vacuumed, as autovacuum keeps them in a running system, so the name
# search can match names from the summary's key alone (an index-only scan).
if [[ ${VACUUM_LOG:-1} == 1 ]]; then q -c "VACUUM ANALYZE dns_decisions" 2>/dev/null || q -c "ANALYZE dns_decisions"; else q -c "ANALYZE dns_decisions"; fi
q -c "VACUUM ANALYZE dns_decision_days" -c "VACUUM ANALYZE dns_decision_names"
gen_seconds=$(( $(date +%s) - gen_start ))
total=$(q -c "SELECT count(*) FROM dns_decisions")
size=$(q -c "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'dns_decisions'::regclass")
name_index=$(q -c "SELECT pg_size_pretty(coalesce(sum(pg_relation_size(c.oid)), 0)) FROM pg_class c WHERE c.relkind = 'i' AND c.relname LIKE 'dns\_decisions\_p%\_name'")
index_per_day_s=$(awk -v ms="$index_ms" -v n="$indexed_days" 'BEGIN { printf "%.1f", (n > 0 ? ms / n / 1000 : 0) }')
days_rows=$(q -c "SELECT count(*) FROM dns_decision_days"); days_size=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('dns_decision_days'))")
names_rows=$(q -c "SELECT count(*) FROM dns_decision_names"); names_size=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('dns_decision_names'))")
per_school_day=$(q -c "SELECT round(avg(c)) || ' (' || min(c) || '–' || max(c) || ')' FROM (SELECT count(*) AS c FROM dns_decision_names GROUP BY \"SchoolId\", \"Day\") x")
printf 'rows\tdays\ttoday_rows\tseconds\tsize\tname_index\tname_index_build_s_per_day\tdays_rows\tdays_size\tnames_rows\tnames_size\tnames_per_school_day\tload_before\tload_after\n%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
  "$total" "$DAYS" "$TODAY_ROWS" "$gen_seconds" "$size" "$name_index" "$index_per_day_s" "$days_rows" "$days_size" "$names_rows" "$names_size" "$per_school_day" "$gen_load" "$(load)" > "$OUT/log-generate.tsv"
echo "  $total rows, $size (day name indexes $name_index, built in ${index_per_day_s}s a day), ${gen_seconds}s; summaries: $days_rows day rows ($days_size), $names_rows name rows ($names_size), names per school-day $per_school_day"

echo "== queries (median of 3, ms)"
q < bench/decisions/name_search.sql
S=bench-school-007
mid=$(q -c "SELECT \"At\" FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" < now() - interval '$(( (DAYS + 1) / 2 )) days' ORDER BY \"At\" DESC LIMIT 1")
midid=$(q -c "SELECT \"Id\" FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" = '$mid' ORDER BY \"Id\" DESC LIMIT 1")
WINDOW="\"SchoolId\" = '$S' AND \"At\" >= now() - interval '31 days'"
COLS='"Id","SchoolId","At","ClientAddress","PersonId","Name","QueryType","Decision","Category","Profile","Reason"'
# A rare name of this school: one of its own (not shared) names asked for on 2 or 3 ended days of the window.
rare=$(q -c "SELECT \"Name\" FROM dns_decision_names WHERE \"SchoolId\" = '$S' AND \"Name\" LIKE '%.s7.test' GROUP BY \"Name\" HAVING count(*) BETWEEN 2 AND 3 AND max(\"Day\") < (now() AT TIME ZONE 'Europe/London')::date ORDER BY \"Name\" LIMIT 1")
# A rare name asked for today (no name index yet) and on one or two earlier days.
rare_today=$(q -c "SELECT \"Name\" FROM dns_decision_names WHERE \"SchoolId\" = '$S' AND \"Name\" LIKE '%.s7.test' GROUP BY \"Name\" HAVING count(*) BETWEEN 2 AND 3 AND max(\"Day\") = (now() AT TIME ZONE 'Europe/London')::date ORDER BY \"Name\" LIMIT 1")
search() { echo "SELECT count(*) FROM bench_name_search('$S', '$1', now() - interval '31 days', 51)"; }
declare -A Q=(
  [log_newest]="SELECT $COLS FROM dns_decisions WHERE $WINDOW ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_older_page_half_way_back]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND \"At\" <= '$mid' AND (\"At\" < '$mid' OR \"Id\" < $midid) ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_blocked_only]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND \"Decision\" = 'blocked' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [log_one_day]="SELECT $COLS FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" >= date_trunc('day', now()) - interval '5 days' AND \"At\" < date_trunc('day', now()) - interval '4 days' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [name_contains_one_common_name]="$(search n3.site3.test)"
  [name_contains_rare_name]="$(search "$rare")"
  [name_contains_rare_name_asked_today]="$(search "${rare_today:-nowhere.test}")"
  [name_contains_nobody_asked_for]="$(search nowhere.test)"
  [name_contains_many_names]="$(search site7.test)"
  [name_contains_very_broad]="$(search n1)"
  [trends_30_days]="SELECT \"Profile\", \"Category\", sum(\"Count\") FROM dns_decision_days WHERE \"SchoolId\" = '$S' AND \"Day\" >= current_date - 29 AND \"Decision\" LIKE 'blocked%' AND \"Category\" <> '' GROUP BY \"Profile\", \"Category\""
)
ORDER=(log_newest log_older_page_half_way_back log_blocked_only log_one_day name_contains_one_common_name name_contains_rare_name
  name_contains_rare_name_asked_today name_contains_nobody_asked_for name_contains_many_names name_contains_very_broad trends_30_days)
# Before the summaries: the page's single statement (read once each; they take seconds).
declare -A OLD=(
  [old_name_contains_nobody_asked_for]="SELECT $COLS FROM dns_decisions WHERE $WINDOW AND lower(\"Name\") LIKE '%nowhere.test%' ORDER BY \"At\" DESC, \"Id\" DESC LIMIT 51"
  [old_trends_30_days_from_the_log]="SELECT \"Profile\", \"Category\", count(*) FROM dns_decisions WHERE \"SchoolId\" = '$S' AND \"At\" >= now() - interval '30 days' AND \"Decision\" LIKE 'blocked%' AND \"Category\" IS NOT NULL GROUP BY \"Profile\", \"Category\""
)
printf 'query\tmedian_ms\trows\tload\n' > "$OUT/log-queries.tsv"
{ echo "rare name: $rare; rare name asked for today: ${rare_today:-(none: no rows today)}"; echo; } > "$OUT/explain.txt"
EXPLAIN_NESTED="LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET auto_explain.log_timing = off; SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; SET client_min_messages = notice;"
for name in "${ORDER[@]}"; do
  sql=${Q[$name]}
  ms=$(for _ in 1 2 3; do q -c '\timing on' -c "$sql" | awk '/^Time:/{print $2}'; done | sort -g | sed -n 2p)
  rows=$(q -c "SELECT count(*) FROM ($sql) x" 2>/dev/null || echo "?")
  [[ $sql == *bench_name_search* ]] && rows=$(q -c "$sql")
  printf '%s\t%s\t%s\t%s\n' "$name" "$ms" "$rows" "$(load)" >> "$OUT/log-queries.tsv"
  if [[ $sql == *bench_name_search* ]]; then
    { echo "== $name"; echo "$sql"; psql -d "$DB" -Atq -c "$EXPLAIN_NESTED" -c "$sql" 2>&1 \
      | awk '/^NOTICE:/{keep=0; head=$0; next} /^Query Text: SELECT/{keep=1; print head} keep' || true; echo; } >> "$OUT/explain.txt"
  else
    { echo "== $name"; echo "$sql"; q -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $sql"; echo; } >> "$OUT/explain.txt"
  fi
  printf '  %-36s %s ms (%s rows)\n' "$name" "$ms" "$rows"
done
for name in old_name_contains_nobody_asked_for old_trends_30_days_from_the_log; do
  sql=${OLD[$name]}
  ms=$(q -c '\timing on' -c "$sql" | awk '/^Time:/{print $2}')
  printf '%s\t%s\t%s\t%s\n' "$name" "$ms" "-" "$(load)" >> "$OUT/log-queries.tsv"
  printf '  %-36s %s ms (once)\n' "$name" "$ms"
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
# (SKIP_INSERT=1 leaves no insert table of this run.)
for t in insert generate queries purge; do
  [[ -f $OUT/log-$t.tsv ]] && { column -t -s$'\t' "$OUT/log-$t.tsv"; echo; }
done
