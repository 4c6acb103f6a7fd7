#!/usr/bin/env bash
# One command for the whole benchmark table (engine + DNS). Writes bench/results/*.md and prints
# bench/results/summary.md. Knobs (environment): SEED, LOAD_REPEAT, SKIP_ENGINE=1, SKIP_DNS=1, SKIP_DNS_CPU=1, SKIP_MONITORING=1
# (bench/monitoring/run.sh), SKIP_DETECTION=1 (bench/detection/run.sh), and
# the bench/dns/run.sh knobs (DURATION, ROUNDS, LAT_QPS, CLIENTS, OUTSTANDING, UNBOUND_MODE, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BRIGHTLINE_ARTIFACTS=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_BENCH_DATA=${BRIGHTLINE_BENCH_DATA:-$ROOT/bench/results/data}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
OUT=$ROOT/bench/results
SEED=${SEED:-20250601}
LOAD_REPEAT=${LOAD_REPEAT:-3}
BIN=$BRIGHTLINE_ARTIFACTS/bin
mkdir -p "$OUT"
cd "$ROOT"

echo "== build (Release)"
dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo
dotnet build bench/Brightline.Bench.DnsHost -c Release -v q -nologo
BENCH="dotnet $BIN/Brightline.Benchmarks/release/Brightline.Benchmarks.dll"

if [[ "$(cat "$BRIGHTLINE_BENCH_DATA/SEED" 2>/dev/null)" != "$SEED" ]]; then
  echo "== generate data (seed $SEED)"
  $BENCH gen --seed "$SEED"
fi

{
  echo "- when: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- cpu: $(nproc) × $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "- memory: $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- dotnet $(dotnet --version), unbound $(unbound -V | awk 'NR==1{print $2}'), dnsperf $(dnsperf -h 2>&1 | awk '/^Version/{print $2; exit}')"
  echo "- data seed: $SEED"
} > "$OUT/machine.md"

if [[ ${SKIP_ENGINE:-0} != 1 ]]; then
  echo "== engine: load time and memory (fresh process per size, median of $LOAD_REPEAT)"
  for size in 1000000 5000000; do
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/engine-load-$size.loadavg"
    timeout 600 $BENCH load --size $size --repeat "$LOAD_REPEAT"
  done
  if [[ ${SKIP_BDN:-0} != 1 ]]; then
    echo "== engine: lookups (BenchmarkDotNet)"
    cut -d' ' -f1-3 /proc/loadavg > "$OUT/engine-bdn.loadavg"
    timeout 1800 $BENCH engine --filter '*' > "$OUT/engine-bdn.log"
    grep -E '^\|' "$OUT/engine-bdn.log" | tail -12 || true
    cut -d' ' -f1-3 /proc/loadavg >> "$OUT/engine-bdn.loadavg"
  fi
fi

if [[ ${SKIP_DNS:-0} != 1 ]]; then
  echo "== DNS: Brightline vs Unbound"
  bench/dns/run.sh
fi

if [[ ${SKIP_DNS_CPU:-0} != 1 ]]; then
  echo "== DNS: CPU per query at fixed loads (brightline dns, bench host, Unbound, PowerDNS Recursor)"
  bench/dns/cpu.sh
fi

if [[ ${SKIP_MONITORING:-0} != 1 ]]; then
  echo "== monitoring: phrase matcher vs ripgrep/Hyperscan, ingestion on SQLite and PostgreSQL"
  bench/monitoring/run.sh
fi

if [[ ${SKIP_DETECTION:-0} != 1 ]]; then
  echo "== detection quality: Brightline vs e2guardian's lists vs obscenity (docs/detection.md)"
  bench/detection/run.sh
fi

# ---- the table -----------------------------------------------------------------------------------
ns_to_rate() { awk -v ns="$1" 'BEGIN{ if (ns > 0) printf "%.2f M/s", 1000/ns; else print "n/a" }'; }
bdn() { awk -F'\t' -v m="$1" -v d="$2" '$1==m && $2==d{print $3}' "$OUT/engine-bdn.tsv" 2>/dev/null; }
{
  echo "# Brightline benchmark results"
  echo
  cat "$OUT/machine.md"
  echo
  if [[ -f $OUT/engine-bdn.tsv ]]; then
    echo "## Engine (single thread = per core; median of 15 iterations)"
    echo
    echo "| Domains | Load + build s (median) | Retained MB | MB per million | Peak working set MB | Warm Decide ns (rate) | Warm Decide per CPU-second | Warm Contains ns (rate) | Cold Decide ns (rate) | Cold Contains ns (rate) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for size in 1000000 5000000; do
      IFS=$'\t' read -r count load _all retained _structure permillion peak _wallmps cpumps < "$OUT/engine-load-$size.tsv"
      wd=$(bdn WarmDecide $size); wc=$(bdn WarmContains $size); cd_=$(bdn ColdDecide $size); cc=$(bdn ColdContains $size)
      echo "| $count | $load | $retained | $permillion | $peak | $wd ($(ns_to_rate "$wd")) | ${cpumps} M/s | $wc ($(ns_to_rate "$wc")) | $cd_ ($(ns_to_rate "$cd_")) | $cc ($(ns_to_rate "$cc")) |"
    done
    echo
    echo "Load average before/after the lookup benchmarks: $(tr '\n' ' ' < "$OUT/engine-bdn.loadavg")"
    echo
  fi
  if [[ -f $OUT/dns.md ]]; then
    sed 's/^## /## /' "$OUT/dns.md"
  fi
  if [[ -f $OUT/dns-cpu.md ]]; then
    echo
    cat "$OUT/dns-cpu.md"
  fi
} > "$OUT/summary.md"
echo
cat "$OUT/summary.md"
