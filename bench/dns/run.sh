#!/usr/bin/env bash
# Brightline's DNS filter vs Unbound, side by side in one run, on loopback.
#
#   upstream  Unbound on 127.0.0.1:5301, authoritative-style: every name below the 8 benchmark TLDs
#             answers A 192.0.2.1 (local-zone redirect), TTL 3600, so nothing leaves the machine and
#             cached answers never expire during a run.
#   (a)       Brightline: bench/Brightline.Bench.DnsHost (Brightline.Filtering + Brightline.Dns.DnsFilterServer
#             + the engine-to-DNS adapter) on 127.0.0.1:5302 with blocklist-1m.txt, forwarding to the upstream.
#   (b)       Unbound on 127.0.0.1:5303 with the same 1 M names as local-zone always_nxdomain
#             (UNBOUND_MODE=localzone, default) or as the RPZ zone Brightline's RpzWriter exported
#             (UNBOUND_MODE=rpz), forwarding to the same upstream; one thread, validator off.
#
# Both filters answer blocked names NXDOMAIN and allowed names from their cache (warmed first).
# Each round drives each server with the same dnsperf query file:
#   throughput: -l DURATION seconds, CLIENTS sockets, OUTSTANDING queries in flight, no rate limit;
#   latency:    -l LAT_DURATION seconds at a fixed LAT_QPS (same offered load for both), -v, and the
#               per-query latencies dnsperf prints are sorted for p50/p99.
# Servers are pinned to SERVER_CPU, dnsperf and the upstream to LOAD_CPU (taskset), so each server
# gets one core and never competes with its own load generator. Rounds alternate which server goes
# first; the summary is the median over ROUNDS. VmRSS/VmHWM are read from /proc/PID/status after
# loading and after the last round. Every process started here is stopped by PID on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${BRIGHTLINE_BENCH_DATA:-$ROOT/bench/results/data}
OUT=${BENCH_RESULTS:-$ROOT/bench/results}
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
DURATION=${DURATION:-20}
LAT_DURATION=${LAT_DURATION:-10}
LAT_QPS=${LAT_QPS:-10000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-4}
OUTSTANDING=${OUTSTANDING:-64}
UNBOUND_MODE=${UNBOUND_MODE:-localzone}
SERVER_CPU=${SERVER_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
UP_PORT=5301; BL_PORT=5302; UB_PORT=5303
QUERIES=$DATA/queries-dns.txt
HOST_DLL=$ART/bin/Brightline.Bench.DnsHost/release/Brightline.Bench.DnsHost.dll

for tool in dnsperf unbound dig taskset dotnet; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y dnsperf unbound bind9-dnsutils)" >&2; exit 2; }
done
[[ -f $QUERIES && -f $DATA/blocklist-1m.txt ]] || { echo "no data in $DATA: run bench/run.sh (or the gen verb) first" >&2; exit 2; }
# Always build (incremental, seconds): a stale host binary once measured old server code.
(cd "$ROOT" && BRIGHTLINE_ARTIFACTS=$ART dotnet build bench/Brightline.Bench.DnsHost -c Release -v q -nologo >/dev/null)
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/brightline-dnsbench.XXXXXX)
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
mem() { awk -v k="$2" '$1==k":"{printf "%.1f", $2/1024}' "/proc/$1/status"; }

# --- upstream -----------------------------------------------------------------------------------
{
  echo "server:"
  echo "  interface: 127.0.0.1"
  echo "  port: $UP_PORT"
  echo "  do-daemonize: no"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  directory: \"$WORK\""
  echo "  pidfile: \"\""
  echo "  use-syslog: no"
  echo "  logfile: \"$WORK/upstream.log\""
  echo "  num-threads: 1"
  echo "  module-config: \"iterator\""
  for tld in com net org co.uk info io uk de; do
    echo "  local-zone: \"$tld.\" redirect"
    echo "  local-data: \"$tld. 3600 IN A 192.0.2.1\""
  done
} > "$WORK/upstream.conf"
taskset -c "$LOAD_CPU" unbound -c "$WORK/upstream.conf" & PIDS+=($!)

# --- (b) Unbound filter ---------------------------------------------------------------------------
{
  echo "server:"
  echo "  interface: 127.0.0.1"
  echo "  port: $UB_PORT"
  echo "  do-daemonize: no"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  directory: \"$WORK\""
  echo "  pidfile: \"\""
  echo "  use-syslog: no"
  echo "  logfile: \"$WORK/unbound.log\""
  echo "  num-threads: 1"
  echo "  do-not-query-localhost: no"
  echo "  qname-minimisation: no"
  if [[ $UNBOUND_MODE == rpz ]]; then
    echo "  module-config: \"respip iterator\""
  else
    echo "  module-config: \"iterator\""
    echo "  include: \"$DATA/unbound-blocklist-1m.conf\""
  fi
  echo "forward-zone:"
  echo "  name: \".\""
  echo "  forward-addr: 127.0.0.1@$UP_PORT"
  if [[ $UNBOUND_MODE == rpz ]]; then
    echo "rpz:"
    echo "  name: rpz.bench"
    echo "  zonefile: \"$DATA/rpz-1m.zone\""
  fi
} > "$WORK/unbound.conf"
# The include file starts with "server:", which is fine: clauses may repeat.
UB_START=$(date +%s.%N)
taskset -c "$SERVER_CPU" unbound -c "$WORK/unbound.conf" & UB_PID=$!; PIDS+=($UB_PID)

# --- (a) Brightline -------------------------------------------------------------------------------
BL_START=$(date +%s.%N)
taskset -c "$SERVER_CPU" dotnet "$HOST_DLL" --list "$DATA/blocklist-1m.txt" \
  --listen "127.0.0.1:$BL_PORT" --upstream "127.0.0.1:$UP_PORT" --max-seconds 1800 --udp-loops "${UDP_LOOPS:-0}" > "$WORK/brightline.log" 2>&1 &
BL_PID=$!; PIDS+=($BL_PID)

wait_ready() { # name port pid deadline-seconds
  local i
  for i in $(seq 1 $(( $4 * 2 ))); do
    kill -0 "$3" 2>/dev/null || { echo "$1 exited during start-up" >&2; return 1; }
    if dig @127.0.0.1 -p "$2" +tries=1 +time=1 +short ready-probe.ok-x.com A 2>/dev/null | grep -q 192.0.2.1; then return 0; fi
    sleep 0.5
  done
  echo "$1 not ready after $4 s" >&2; return 1
}
wait_ready upstream $UP_PORT "${PIDS[0]}" 30
wait_ready brightline $BL_PORT $BL_PID 180; BL_READY=$(date +%s.%N)
wait_ready unbound $UB_PORT $UB_PID 600; UB_READY=$(date +%s.%N)
BL_LOAD=$(printf "%.1f" "$(echo "$BL_READY - $BL_START" | bc)"); UB_LOAD=$(printf "%.1f" "$(echo "$UB_READY - $UB_START" | bc)")
BL_RSS_IDLE=$(mem $BL_PID VmRSS); UB_RSS_IDLE=$(mem $UB_PID VmRSS)
echo "ready: brightline ${BL_LOAD}s (RSS ${BL_RSS_IDLE} MB), unbound ${UB_LOAD}s (RSS ${UB_RSS_IDLE} MB); load $(loadavg)"

# --- correctness spot checks: same answers from both ----------------------------------------------
BLOCKED=$(awk '$1 !~ /(^|\.)ok-/{print $1; exit}' "$QUERIES")
ALLOWED=$(awk '$1 ~ /(^|\.)ok-/{print $1; exit}' "$QUERIES")
for port in $BL_PORT $UB_PORT; do
  b=$(dig @127.0.0.1 -p $port +tries=1 +time=2 "$BLOCKED" A | awk '/status:/{print $6}' | tr -d ,)
  a=$(dig @127.0.0.1 -p $port +tries=1 +time=2 +short "$ALLOWED" A)
  [[ $b == NXDOMAIN && $a == 192.0.2.1 ]] || { echo "port $port: $BLOCKED -> $b, $ALLOWED -> $a (expected NXDOMAIN, 192.0.2.1)" >&2; exit 1; }
done

# --- warm the caches: every distinct name once, then 5 s of load ----------------------------------
for port in $BL_PORT $UB_PORT; do
  timeout 120 taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $port -d "$QUERIES" -n 1 -c "$CLIENTS" -q "$OUTSTANDING" -t 5 > "$WORK/warm-$port.txt" 2>&1
  timeout 60 taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $port -d "$QUERIES" -l 5 -c "$CLIENTS" -q "$OUTSTANDING" -t 2 >> "$WORK/warm-$port.txt" 2>&1
done

field() { awk -v k="$2" 'index($0,k){sub(/.*: */,""); print $1; exit}' "$1"; }
percentile() { awk -v p="$2" 'NR==1{n=$1; next} {a[NR-1]=$1} END{i=int(n*p/100); if(i<1)i=1; if(i>n)i=n; printf "%.3f", a[i]*1000}' "$1"; }

RAW=$OUT/dns-rounds.tsv
echo -e "round\tserver\tqps\tlost\tavg_ms\tlat_qps\tp50_ms\tp99_ms\tcodes\tloadavg" > "$RAW"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then order="brightline unbound"; else order="unbound brightline"; fi
  for server in $order; do
    port=$([[ $server == brightline ]] && echo $BL_PORT || echo $UB_PORT)
    la=$(loadavg)
    t=$WORK/tp-$server-$round.txt
    timeout $(( DURATION + 30 )) taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $port -d "$QUERIES" \
      -l "$DURATION" -c "$CLIENTS" -q "$OUTSTANDING" -t 2 > "$t" 2>&1
    qps=$(printf "%.0f" "$(field "$t" "Queries per second")")
    lost=$(field "$t" "Queries lost")
    avg=$(awk '/Average Latency/{printf "%.3f", $4*1000}' "$t")
    codes=$(grep 'Response codes' "$t" | sed 's/.*codes: *//; s/ /_/g')
    l=$WORK/lat-$server-$round.txt
    timeout $(( LAT_DURATION + 30 )) taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p $port -d "$QUERIES" \
      -l "$LAT_DURATION" -c "$CLIENTS" -q "$OUTSTANDING" -Q "$LAT_QPS" -t 2 -v > "$l" 2>&1
    lqps=$(printf "%.0f" "$(field "$l" "Queries per second")")
    awk '/^> /{print $NF}' "$l" | sort -g > "$l.sorted"
    { wc -l < "$l.sorted"; cat "$l.sorted"; } > "$l.n"
    p50=$(percentile "$l.n" 50); p99=$(percentile "$l.n" 99)
    echo -e "$round\t$server\t$qps\t$lost\t$avg\t$lqps\t$p50\t$p99\t$codes\t$la" | tee -a "$RAW"
    rm -f "$l" "$l.sorted" "$l.n"
  done
done

BL_RSS=$(mem $BL_PID VmRSS); BL_HWM=$(mem $BL_PID VmHWM)
UB_RSS=$(mem $UB_PID VmRSS); UB_HWM=$(mem $UB_PID VmHWM)

median() { sort -g | awk '{a[NR]=$1} END{if(NR%2==1) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F'\t' -v s="$1" -v c="$2" 'NR>1 && $2==s{print $c}' "$RAW" | median; }
BL_QPS=$(col brightline 3); UB_QPS=$(col unbound 3)
BL_P50=$(col brightline 7); UB_P50=$(col unbound 7)
BL_P99=$(col brightline 8); UB_P99=$(col unbound 8)
QPS_RATIO=$(printf "%.2f" "$(echo "scale=4; $BL_QPS / $UB_QPS" | bc)")
MEM_RATIO=$(printf "%.2f" "$(echo "scale=4; $BL_RSS / $UB_RSS" | bc)")

SUMMARY=$OUT/dns.md
{
  echo "## DNS filter: Brightline vs Unbound ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "1 M-domain list, $(wc -l < "$QUERIES") distinct names (50 % blocked, 50 % allowed, cache-warm), UDP on 127.0.0.1;"
  echo "servers pinned to CPU $SERVER_CPU, dnsperf + upstream to CPU $LOAD_CPU; throughput: -l $DURATION -c $CLIENTS -q $OUTSTANDING;"
  echo "latency: -l $LAT_DURATION -Q $LAT_QPS (same offered load for both), percentiles of dnsperf -v per-query latencies;"
  echo "Unbound mode: $UNBOUND_MODE; median of $ROUNDS rounds; load average at start of each run is in dns-rounds.tsv."
  echo
  echo "| Server | QPS (median) | p50 ms @ ${LAT_QPS} q/s | p99 ms @ ${LAT_QPS} q/s | VmRSS after run MB | VmHWM MB | RSS idle after load MB | Start-up to first answer s |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| Brightline | $BL_QPS | $BL_P50 | $BL_P99 | $BL_RSS | $BL_HWM | $BL_RSS_IDLE | $BL_LOAD |"
  echo "| Unbound $(unbound -V | awk 'NR==1{print $2}') | $UB_QPS | $UB_P50 | $UB_P99 | $UB_RSS | $UB_HWM | $UB_RSS_IDLE | $UB_LOAD |"
  echo
  echo "Brightline / Unbound: QPS ${QPS_RATIO}× (target ≥ 1.0×), VmRSS ${MEM_RATIO}× (target ≤ 0.5×)."
  echo
  echo "Per round:"
  echo
  echo '```'
  column -t -s $'\t' "$RAW"
  echo '```'
} > "$SUMMARY"
echo -e "ratio\t$QPS_RATIO\t$MEM_RATIO" > "$OUT/dns-ratio.tsv"
echo -e "brightline\t$BL_QPS\t$BL_P50\t$BL_P99\t$BL_RSS\t$BL_HWM\t$BL_LOAD\nunbound\t$UB_QPS\t$UB_P50\t$UB_P99\t$UB_RSS\t$UB_HWM\t$UB_LOAD" > "$OUT/dns-summary.tsv"
kill -TERM $BL_PID 2>/dev/null || true
for _ in $(seq 1 50); do kill -0 $BL_PID 2>/dev/null || break; sleep 0.1; done
cp "$WORK/brightline.log" "$OUT/dns-brightline-host.log" 2>/dev/null || true
cat "$SUMMARY"
