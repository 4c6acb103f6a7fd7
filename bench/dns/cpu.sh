#!/usr/bin/env bash
# CPU per query at fixed offered loads (issue 18 §5): the product's own `brightline dns` (with its
# decision log written to the database and the access gate deciding every query) beside Unbound and
# PowerDNS Recursor, and the engine-only bench host, one server at a time on the same pinned core.
#
#   upstream  Unbound on 127.0.0.1:5301 answering every name below the benchmark TLDs (as run.sh).
#   servers   each pinned alone to SERVER_CPU, forwarding to the upstream:
#             brightline-dns   `brightline dns`, SQLite database, policies/example.yaml with its staff network
#                              moved to 127.0.0.1/32 (so every query is a known client whose group is decided
#                              by the gate) and the decision log on (every answer is stored);
#             brightline-dns-pg  the same on PostgreSQL, as a trust's DNS node runs (issue 18: one PostgreSQL for the
#                              trust, the log written by binary COPY in batches of DecisionLogBatchSize 5,000 as
#                              docs/deployment.md advises). Its own CPU is the DNS node's; the database's share of
#                              logging is reported beside it (db_cpu_s: utime + stime of every `postgres` process
#                              over the run, which runs on another machine in a trust). Needs the PostgreSQL at
#                              PGHOST:PGPORT (default the dev server 127.0.0.1:55432); its database bench_dnscpu is
#                              made at the start and dropped at the end. Not in the default SERVERS.
#             bench-host       bench/Brightline.Bench.DnsHost: the engine + DNS server, 1 M-name list, no log;
#             unbound          1 M names as local-zone always_nxdomain, one thread;
#             pdns-recursor    forwarding, one thread, no list (the cheapest it can be).
# For each RATE (default 1000 10000 30000 q/s), dnsperf offers that load for DURATION seconds from
# LOAD_CPU; the server's CPU time is read from /proc/PID/stat (utime + stime of every thread) before
# and after, so the figure is CPU per answered query, independent of what else the machine does, and
# % of a core = CPU seconds / wall seconds. Peak QPS is not measured here: on two cores one dnsperf
# saturates its own core near 110 k q/s, so it cannot separate the servers (see run.sh).
# Results: bench/results/dns-cpu.md and dns-cpu.tsv (with the load average at each step); THREADS=1 also writes
# dns-cpu-threads-SERVER-RATE.tsv, the CPU ticks of each thread over the run (to see where a server spends it);
# PERF=1 samples each run with `perf record -g` (the .NET servers write their JIT symbols with DOTNET_PerfMapEnabled, W^X off so perf can read them)
# and writes dns-cpu-perf-SERVER-RATE.txt, the hottest symbols (self time), beside the samples (.data) for perf report. perf adds its own cost: read the CPU
# figures from a run without it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BRIGHTLINE_BENCH_DATA:-$ROOT/bench/results/data}
OUT=${BENCH_RESULTS:-$ROOT/bench/results}
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
DURATION=${DURATION:-10}
WARM_SECONDS=${WARM_SECONDS:-180}
RATES=${RATES:-"1000 10000 30000"}
SERVERS=${SERVERS:-"brightline-dns bench-host unbound pdns-recursor"}
CLIENTS=${CLIENTS:-4}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
UP_PORT=5301; PORT=5310
QUERIES=$DATA/queries-dns.txt
APP_DLL=$ART/bin/Brightline/release/brightline.dll
HOST_DLL=$ART/bin/Brightline.Bench.DnsHost/release/Brightline.Bench.DnsHost.dll
TICKS=$(getconf CLK_TCK)

PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-55432} PGUSER=${PGUSER:-postgres}
PG_DB=bench_dnscpu
PG_CS="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=$PG_DB"
for tool in dnsperf unbound pdns_recursor dig taskset dotnet; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y dnsperf unbound pdns-recursor bind9-dnsutils)" >&2; exit 2; }
done
[[ -f $QUERIES && -f $DATA/blocklist-1m.txt ]] || { echo "no data in $DATA: run bench/run.sh (or the gen verb) first" >&2; exit 2; }
(cd "$ROOT" && BRIGHTLINE_ARTIFACTS=$ART dotnet build src/Brightline -c Release -v q -nologo >/dev/null \
  && BRIGHTLINE_ARTIFACTS=$ART dotnet build bench/Brightline.Bench.DnsHost -c Release -v q -nologo >/dev/null)
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/brightline-dnscpu.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
  [[ " $SERVERS " == *" brightline-dns-pg "* ]] && psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Every PostgreSQL process's CPU ticks (a backend that exits during the run loses its share: a small undercount).
pg_ticks() { local p t=0; for p in $(pgrep -x postgres); do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo $t; }
# One line per thread: tid, CPU ticks, name (the comm field may hold spaces, so it is cut at the parentheses).
thread_ticks() { local s; for s in /proc/$1/task/*/stat; do awk -v f="$s" '{ o = index($0, "("); c = index($0, ") "); n = substr($0, o + 1, c - o - 1); split(substr($0, c + 2), r, " "); split(f, p, "/"); gsub(/ /, "_", n); print p[5], r[12] + r[13], n }' "$s" 2>/dev/null; done; }
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
wait_ready() { # name port pid deadline-seconds
  local i
  for i in $(seq 1 $(( $4 * 2 ))); do
    kill -0 "$3" 2>/dev/null || { echo "$1 exited during start-up" >&2; return 1; }
    if dig @127.0.0.1 -p "$2" +tries=1 +time=1 +short ready-probe.ok-x.com A 2>/dev/null | grep -q 192.0.2.1; then return 0; fi
    sleep 0.5
  done
  echo "$1 not ready after $4 s" >&2; return 1
}

# --- upstream (as run.sh) -----------------------------------------------------------------------
unbound_common() { # port logname
  echo "server:"
  echo "  interface: 127.0.0.1"
  echo "  port: $1"
  echo "  do-daemonize: no"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  directory: \"$WORK\""
  echo "  pidfile: \"\""
  echo "  use-syslog: no"
  echo "  logfile: \"$WORK/$2.log\""
  echo "  num-threads: 1"
}
{
  unbound_common $UP_PORT upstream
  echo "  module-config: \"iterator\""
  for tld in com net org co.uk info io uk de; do
    echo "  local-zone: \"$tld.\" redirect"
    echo "  local-data: \"$tld. 3600 IN A 192.0.2.1\""
  done
} > "$WORK/upstream.conf"
taskset -c "$LOAD_CPU" unbound -c "$WORK/upstream.conf" & UP_PID=$!; PIDS+=($UP_PID)
wait_ready upstream $UP_PORT $UP_PID 30

# --- the product's database: the example school, its staff network on loopback ------------------
sed -e 's|cidr: 10.30.0.0/16, group: staff|cidr: 127.0.0.1/32, group: staff|' "$ROOT/policies/example.yaml" > "$WORK/policy.yaml"
grep -q 'cidr: 127.0.0.1/32, group: staff' "$WORK/policy.yaml" || { echo "policies/example.yaml no longer has the staff network this script moves" >&2; exit 1; }
product_env() {
  export Brightline__Database__Provider=sqlite
  export Brightline__Database__ConnectionString="Data Source=$WORK/brightline.db"
  export Brightline__Filtering__ListRoot="$ROOT/policies"
  export Brightline__Email__SmtpHost=""
  export Brightline__Demo__Enabled=false
  export Brightline__Dns__Listen__0="127.0.0.1:$PORT"
  export Brightline__Dns__Upstreams__0="127.0.0.1:$UP_PORT"
  export Logging__LogLevel__Default=Warning
  [[ ${PERF:-0} == 1 ]] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
  return 0
}
(product_env; cd "$WORK" && dotnet "$APP_DLL" policy load "$WORK/policy.yaml" --actor bench > "$WORK/load.log" 2>&1) \
  || { cat "$WORK/load.log" >&2; exit 1; }
product_env_pg() {
  product_env
  export Brightline__Database__Provider=postgres
  export Brightline__Database__ConnectionString="$PG_CS"
  export Brightline__Dns__DecisionLogBatchSize=5000
}
if [[ " $SERVERS " == *" brightline-dns-pg "* ]]; then
  command -v psql >/dev/null && command -v pgrep >/dev/null || { echo "brightline-dns-pg needs psql and pgrep" >&2; exit 2; }
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null \
    || { echo "no PostgreSQL at $PGHOST:$PGPORT for brightline-dns-pg" >&2; exit 2; }
  (product_env_pg; cd "$WORK" && dotnet "$APP_DLL" policy load "$WORK/policy.yaml" --actor bench > "$WORK/load-pg.log" 2>&1) \
    || { cat "$WORK/load-pg.log" >&2; exit 1; }
fi

start_server() { # name → sets SPID
  case $1 in
    brightline-dns)
      (product_env; cd "$WORK" && exec taskset -c "$SERVER_CPU" dotnet "$APP_DLL" dns) > "$WORK/$1.log" 2>&1 & SPID=$! ;;
    brightline-dns-pg)
      (product_env_pg; cd "$WORK" && exec taskset -c "$SERVER_CPU" dotnet "$APP_DLL" dns) > "$WORK/$1.log" 2>&1 & SPID=$! ;;
    bench-host)
      DOTNET_PerfMapEnabled=${PERF:-0} DOTNET_EnableWriteXorExecute=$(( 1 - ${PERF:-0} )) taskset -c "$SERVER_CPU" dotnet "$HOST_DLL" --list "$DATA/blocklist-1m.txt" \
        --listen "127.0.0.1:$PORT" --upstream "127.0.0.1:$UP_PORT" --max-seconds 1800 > "$WORK/$1.log" 2>&1 & SPID=$! ;;
    unbound)
      {
        unbound_common $PORT unbound
        echo "  do-not-query-localhost: no"
        echo "  qname-minimisation: no"
        echo "  module-config: \"iterator\""
        echo "  include: \"$DATA/unbound-blocklist-1m.conf\""
        echo "forward-zone:"
        echo "  name: \".\""
        echo "  forward-addr: 127.0.0.1@$UP_PORT"
      } > "$WORK/unbound.conf"
      taskset -c "$SERVER_CPU" unbound -c "$WORK/unbound.conf" > "$WORK/$1.log" 2>&1 & SPID=$! ;;
    pdns-recursor)
      mkdir -p "$WORK/pdns"
      {
        echo "local-address=127.0.0.1"
        echo "local-port=$PORT"
        echo "threads=1"
        echo "pdns-distributes-queries=no"
        echo "forward-zones-recurse=.=127.0.0.1:$UP_PORT"
        echo "dont-query="
        echo "socket-dir=$WORK/pdns"
        echo "daemon=no"
        echo "write-pid=no"
        echo "disable-syslog=yes"
        echo "loglevel=3"
        echo "dnssec=off"
      } > "$WORK/pdns/recursor.conf"
      taskset -c "$SERVER_CPU" pdns_recursor --config-dir="$WORK/pdns" > "$WORK/$1.log" 2>&1 & SPID=$! ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
  PIDS+=($SPID)
}

RAW=$OUT/dns-cpu.tsv
echo -e "server\toffered_qps\tanswered_qps\tlost\tcpu_s\tcore_pct\tus_per_query\tloadavg\tdb_cpu_s\tdb_us_per_query" > "$RAW"
for server in $SERVERS; do
  start_server "$server"
  wait_ready "$server" $PORT $SPID 600 || { tail -20 "$WORK/$server.log" >&2; exit 1; }
  # Warm: every distinct name once, so every run below answers from cache;
  timeout 120 taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $PORT -d "$QUERIES" -n 1 -c "$CLIENTS" -q 64 -t 5 > "$WORK/warm.txt" 2>&1 || true
  # then WARM_SECONDS at 10k q/s: a .NET server compiles its hot methods again, optimised, in its first minutes (the
  # "Tiered Compilation" thread), which is start-up cost, not the steady cost per query a long-running node pays. The
  # query path is done within a minute; code the product runs every second or so (the access-change and sign-in
  # feeds, the log's batches) needs its calls counted twice over, and was still being compiled at 60 s.
  if (( WARM_SECONDS > 0 )); then
    timeout $(( WARM_SECONDS + 30 )) taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $PORT -d "$QUERIES" \
      -l "$WARM_SECONDS" -c "$CLIENTS" -q 200 -Q 10000 -t 2 > "$WORK/warm2.txt" 2>&1 || true
  fi
  for rate in $RATES; do
    la=$(loadavg)
    before=$(cpu_ticks $SPID)
    [[ $server == brightline-dns-pg ]] && db_before=$(pg_ticks)
    [[ ${THREADS:-0} == 1 ]] && thread_ticks $SPID > "$WORK/threads-before.txt"
    t=$WORK/run-$server-$rate.txt
    if [[ ${PERF:-0} == 1 ]]; then
      perf record -q -F ${PERF_HZ:-999} -g -p "$SPID" -o "$OUT/dns-cpu-perf-$server-$rate.data" -- sleep "$DURATION" > /dev/null 2>&1 & PERF_PID=$!
    fi
    timeout $(( DURATION + 30 )) taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $PORT -d "$QUERIES" \
      -l "$DURATION" -c "$CLIENTS" -q 200 -Q "$rate" -t 2 > "$t" 2>&1
    after=$(cpu_ticks $SPID)
    # The log's last batch of the run reaches the database up to a flush interval (1 s) later.
    [[ $server == brightline-dns-pg ]] && { sleep 2; db_after=$(pg_ticks); }
    if [[ ${THREADS:-0} == 1 ]]; then
      thread_ticks $SPID > "$WORK/threads-after.txt"
      # CPU ticks per thread over the run, busiest first (threads that started during the run count from 0).
      awk 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d > 0) printf "%s\t%s\t%s\n", d, $1, $3 }' \
        "$WORK/threads-before.txt" "$WORK/threads-after.txt" | sort -rn > "$OUT/dns-cpu-threads-$server-$rate.tsv"
    fi
    if [[ ${PERF:-0} == 1 ]]; then
      wait "$PERF_PID" || true
      perf report -q -i "$OUT/dns-cpu-perf-$server-$rate.data" --no-children --sort comm,dso,symbol --percent-limit 0.3 -g none 2>/dev/null \
        | sed 's/[[:space:]]*$//' > "$OUT/dns-cpu-perf-$server-$rate.txt" || true
    fi
    completed=$(awk '/Queries completed/{print $3; exit}' "$t")
    lost=$(awk '/Queries lost/{print $3; exit}' "$t")
    answered=$(awk '/Queries per second/{printf "%.0f", $4; exit}' "$t")
    cpu=$(echo "scale=3; ($after - $before) / $TICKS" | bc)
    pct=$(echo "scale=1; 100 * $cpu / $DURATION" | bc)
    us=$(echo "scale=1; 1000000 * $cpu / $completed" | bc)
    db_cpu=-; db_us=-
    if [[ $server == brightline-dns-pg ]]; then
      db_cpu=$(echo "scale=3; ($db_after - $db_before) / $TICKS" | bc)
      db_us=$(echo "scale=1; 1000000 * $db_cpu / $completed" | bc)
    fi
    echo -e "$server\t$rate\t$answered\t$lost\t$cpu\t$pct\t$us\t$la\t$db_cpu\t$db_us" | tee -a "$RAW"
  done
  stop_pid $SPID
done

col() { awk -F'\t' -v s="$1" -v r="$2" -v c="$3" 'NR>1 && $1==s && $2==r{print $c}' "$RAW"; }
{
  echo "## DNS CPU per query at fixed offered loads ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Each server alone on CPU $SERVER_CPU, dnsperf on CPU $LOAD_CPU (-c $CLIENTS, -Q rate, -l $DURATION s), answers from a warm cache"
  echo "(the bench TLDs' names; the product's example lists block some). CPU = utime + stime of every thread of the"
  echo "server process over the run. Load average at each step is in dns-cpu.tsv. For brightline-dns-pg the database's"
  echo "CPU for the same run (every postgres process) is db_cpu_s there, per query db_us_per_query."
  echo
  echo "| Server | $(for r in $RATES; do echo -n "$r q/s: % core · µs/query | "; done)"
  echo "|---|$(for r in $RATES; do echo -n "---|"; done)"
  for server in $SERVERS; do
    echo -n "| $server | "
    for r in $RATES; do echo -n "$(col "$server" "$r" 6) % · $(col "$server" "$r" 7) µs | "; done
    echo
  done
  echo
  echo '```'
  column -t -s $'\t' "$RAW"
  echo '```'
} > "$OUT/dns-cpu.md"
cat "$OUT/dns-cpu.md"
