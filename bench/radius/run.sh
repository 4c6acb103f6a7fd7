#!/usr/bin/env bash
# Network sign-ins through the real FreeRADIUS 3.2 → Brightline (issue 13's target: ≥ 1,000 authentications/s on two
# cores, p99 < 50 ms, and ≥ 0.5× the rate of FreeRADIUS answering the same users from its own `files` module).
#
#   1. `brightline serve` (Release build) on a throw-away SQLite database and/or PostgreSQL database; it seeds the
#      demo school on first start. The example policy is loaded again with its Wi-Fi controller on loopback.
#   2. seed.py copies the demo school's signed pupils and staff (kind, year group, class, signatures) to USERS people,
#      each with a portal account and its own password (HASHES distinct PBKDF2 hashes at the full 100,000 rounds).
#   3. `brightline radius config` writes FreeRADIUS's configuration; FreeRADIUS runs from it (`-f`, no debug output).
#   4. The bench verb `radius` (bench/Brightline.Benchmarks/RadiusStep.cs: RFC 2865 PAP, Message-Authenticator,
#      every answer's authenticator checked) sends Access-Requests as a Wi-Fi controller does:
#        cold  — every user once, COLD_CONCURRENCY at a time: each password's first check (the full PBKDF2 check);
#        max   — random users, CONCURRENCY in flight (closed loop) for BENCH_SECONDS: the highest rate, REPEAT times;
#        rate  — random users due at RATE/s whatever the answers do (open loop; latency from the moment each request
#                was due, so a queue cannot hide) for BENCH_SECONDS: p99 at RATE, REPEAT times.
#      "max" and "rate" are the scenario "a trust's devices rejoining after a controller restart": Brightline stayed
#      up, so each password was checked before (the cold pass) and is warm.
#   5. The peer: FreeRADIUS alone, the same users in its `files` module (cleartext passwords, the same VLAN reply),
#      the same max and rate runs.
# Client, FreeRADIUS, Brightline and the database share the machine (as the target's "two cores" means). The load
# average is recorded with every run.
# Each provider runs twice (ANSWERS, "repeat live"): "repeat" with FreeRADIUS answering repeat sign-ins itself from
# what Brightline's last live Accept left (Brightline:Radius:AnswerCaches set; docs/network.md), "live" with every
# sign-in Brightline's.
# Knobs: PROVIDERS ("sqlite postgres"), ANSWERS ("repeat live"), USERS (3000), HASHES (200), CONCURRENCY (32), COLD_CONCURRENCY (4), RATE (1000), BENCH_SECONDS (15),
# REPEAT (3), COLD_SECONDS (900, the cold pass's bound), BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER (127.0.0.1, 5432,
# postgres; a PostgreSQL the script may create and drop a database in). Writes bench/results/radius/*.tsv and prints the summary.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/radius
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROVIDERS=${PROVIDERS:-sqlite postgres}
USERS=${USERS:-3000}
HASHES=${HASHES:-200}
CONCURRENCY=${CONCURRENCY:-32}
COLD_CONCURRENCY=${COLD_CONCURRENCY:-4}  # two cores hash two passwords at a time; more only queues past rlm_rest's 3 s timeout
RATE=${RATE:-1000}
SECONDS_RUN=${BENCH_SECONDS:-15}  # not SECONDS: bash keeps its own SECONDS
REPEAT=${REPEAT:-3}
COLD_SECONDS=${COLD_SECONDS:-900}
ANSWERS=${ANSWERS:-repeat live}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
BENCH_DLL=$ART/bin/Brightline.Benchmarks/release/Brightline.Benchmarks.dll
APP_DLL=$ART/bin/Brightline/release/brightline.dll
FREERADIUS=${FREERADIUS:-/usr/sbin/freeradius}
mkdir -p "$OUT"
cd "$ROOT"
for tool in dotnet python3 curl "$FREERADIUS"; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install freeradius freeradius-rest)" >&2; exit 2; }; done

WORK=$(mktemp -d /tmp/brightline-radbench.XXXXXX)
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
median() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) print "n/a"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
free_udp_pair() {
  python3 -c '
import socket
for _ in range(50):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    try:
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", p + 1)); b.close(); a.close(); print(p); break
    except OSError:
        a.close()'
}
wait_http() { for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.5; done; return 1; }
wait_radius() { for _ in $(seq 1 120); do grep -q "Ready to process requests" "$1/log/radius.log" 2>/dev/null && return 0; sleep 0.5; done; return 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

SCHOOL=$(awk '/^  id:/{print $2; exit}' policies/example.yaml)
KEY="rad_bench$(date +%s%N | sha256sum | cut -c1-32)"
SECRET="bench-secret-$(date +%s%N | sha256sum | cut -c1-16)"
# The example policy with its Wi-Fi controller on loopback, where the load generator is (as the tests do).
sed 's/address: 10.0.0.2, secret_setting: wifi-controller/address: 127.0.0.1, secret_setting: wifi-controller/' policies/example.yaml > "$WORK/policy.yaml"
grep -q 'address: 127.0.0.1, secret_setting: wifi-controller' "$WORK/policy.yaml" || { echo "the example policy's wifi-controller line changed; update run.sh" >&2; exit 1; }
APP_ENV=("Brightline__Radius__MachineKeys__$SCHOOL=$KEY" "Brightline__Radius__ClientSecrets__wifi-controller=$SECRET"
         "Brightline__Radius__ClientSecrets__core-switch=$SECRET-switch")

echo "== build (Release)"
dotnet build src/Brightline -c Release -v q -nologo >/dev/null
dotnet build bench/Brightline.Benchmarks -c Release -v q -nologo >/dev/null

# CPU time (ms, user + system) a process has used so far: where each authentication's time goes, per process.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
SERVE_PID=0
RADIUS_PID=0

# One load run; prints its line, with the CPU milliseconds Brightline and FreeRADIUS spent per answer, and appends it
# with the load average to runs.tsv.
load() {
  local label=$1 port=$2 users=$3; shift 3
  local line app0 rad0 app1 rad1 answered
  app0=$(cpu_ms "$SERVE_PID"); rad0=$(cpu_ms "$RADIUS_PID")
  line=$(timeout $((COLD_SECONDS + SECONDS_RUN + 120)) dotnet "$BENCH_DLL" radius --server "127.0.0.1:$port" --secret "$SECRET" --users "$users" "$@")
  app1=$(cpu_ms "$SERVE_PID"); rad1=$(cpu_ms "$RADIUS_PID")
  answered=$(( $(field accepted <<<"$line") + $(field rejected <<<"$line") ))
  line="$line $(awk -v a="$app0" -v b="$app1" -v c="$rad0" -v d="$rad1" -v n="$answered" 'BEGIN { n = n > 0 ? n : 1; printf "brightline_cpu_ms=%.3f freeradius_cpu_ms=%.3f", (b - a) / n, (d - c) / n }')"
  echo "  $label: $line (load $(loadavg))"
  printf '%s\t%s\t%s\n' "$label" "$(loadavg)" "$line" >> "$OUT/runs.tsv"
  if [[ $(field lost <<<"$line") != 0 ]]; then
    # Overloaded: FreeRADIUS still holds the requests it queued (up to max_request_time, 30 s). Let them drain, so
    # the next run measures the servers, not this run's backlog.
    sleep "${DRAIN_SECONDS:-35}"
  fi
}

# max and rate runs against one FreeRADIUS: REPEAT of each, interleaved.
warm_runs() {
  local label=$1 port=$2 users=$3
  for r in $(seq 1 "$REPEAT"); do
    load "$label max" "$port" "$users" --mode closed --concurrency "$CONCURRENCY" --seconds "$SECONDS_RUN" --seed "$r"
    load "$label rate" "$port" "$users" --mode open --rate "$RATE" --seconds "$SECONDS_RUN" --seed "$((r + 100))"
  done
}

: > "$OUT/runs.tsv"
PEER_USERS=""
for provider in $PROVIDERS; do
  echo "== Brightline on $provider"
  case $provider in
    sqlite)
      conn="Data Source=$WORK/radius.db"
      seed_args=(sqlite "$WORK/radius.db") ;;
    postgres)
      command -v psql >/dev/null || { echo "missing psql" >&2; exit 2; }
      PG_DB="brightline_radbench_$$"
      psql "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" -X -q -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
      conn="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Database=$PG_DB;Pooling=true;Maximum Pool Size=50"
      seed_args=(postgres "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=$PG_DB") ;;
    *) echo "unknown provider $provider" >&2; exit 2 ;;
  esac
  seeded=""
  for answers in $ANSWERS; do
    # repeat: FreeRADIUS answers a repeat sign-in itself (Brightline:Radius:AnswerCaches names its CoA listener);
    # live: every sign-in is Brightline's (the setting left out).
    cport=$(free_port)
    mode_env=()
    [[ $answers == repeat ]] && mode_env=("Brightline__Radius__AnswerCaches__${SCHOOL}__0=127.0.0.1:$cport")
    [[ $answers == repeat || $answers == live ]] || { echo "ANSWERS takes repeat and/or live, not '$answers'" >&2; exit 2; }
    port=$(free_port)
    env "${APP_ENV[@]}" "${mode_env[@]}" Brightline__Database__Provider="$provider" Brightline__Database__ConnectionString="$conn" \
      dotnet "$APP_DLL" serve --urls "http://127.0.0.1:$port" > "$OUT/serve-$provider-$answers.log" 2>&1 &
    serve_pid=$!; PIDS+=("$serve_pid"); SERVE_PID=$serve_pid
    wait_http "$port" || { echo "serve did not start (see $OUT/serve-$provider-$answers.log)" >&2; exit 1; }
    if [[ -z $seeded ]]; then
      env "${APP_ENV[@]}" Brightline__Database__Provider="$provider" Brightline__Database__ConnectionString="$conn" \
        dotnet "$APP_DLL" policy load "$WORK/policy.yaml" >/dev/null
      python3 bench/radius/seed.py "${seed_args[@]}" --school "$SCHOOL" --users "$USERS" --hashes "$HASHES" --out "$WORK/$provider"
      [[ -n $PEER_USERS ]] || PEER_USERS=$WORK/$provider
      seeded=yes
    fi

    rport=$(free_udp_pair)
    dir="$WORK/radius-$provider-$answers"
    env "${APP_ENV[@]}" Brightline__Database__Provider="$provider" Brightline__Database__ConnectionString="$conn" \
      dotnet "$APP_DLL" radius config --school "$SCHOOL" --out "$dir" --url "http://127.0.0.1:$port" --listen 127.0.0.1 --port "$rport" --coa-port "$cport" >/dev/null
    mkdir -p "$dir/log"
    "$FREERADIUS" -f -d "$dir" > "$OUT/freeradius-$provider-$answers.log" 2>&1 &
    radius_pid=$!; PIDS+=("$radius_pid"); RADIUS_PID=$radius_pid
    wait_radius "$dir" || { echo "FreeRADIUS did not start:" >&2; cat "$OUT/freeradius-$provider-$answers.log" "$dir/log/radius.log" >&2; exit 1; }
    [[ -n ${PEER_DIR:-} ]] || PEER_DIR=$dir

    load "$provider $answers cold" "$rport" "$WORK/$provider/users.tsv" --mode closed --concurrency "$COLD_CONCURRENCY" --once --seconds "$COLD_SECONDS" --timeout-ms 10000
    warm_runs "$provider $answers" "$rport" "$WORK/$provider/users.tsv"
    stop_pid "$radius_pid"; stop_pid "$serve_pid"
  done
done

echo "== the peer: FreeRADIUS alone, the same users in its files module"
PEER=$WORK/radius-peer
cp -r "$PEER_DIR" "$PEER"
rm -f "$PEER"/sites-enabled/* "$PEER"/mods-enabled/rest "$PEER"/log/radius.log
cp "$PEER_USERS/peer-users" "$PEER/peer-users"
qport=$(free_udp_pair)
cat > "$PEER/mods-enabled/files" <<'EOF'
files {
	filename = ${confdir}/peer-users
}
EOF
cat > "$PEER/mods-enabled/pap" <<'EOF'
pap {
	normalise = yes
}
EOF
cat > "$PEER/sites-enabled/peer" <<EOF
# The peer: the same users answered from FreeRADIUS's own users file (cleartext passwords), no Brightline.
server peer {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $qport
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	post-auth {
	}
}
EOF
"$FREERADIUS" -f -d "$PEER" > "$OUT/freeradius-peer.log" 2>&1 &
peer_pid=$!; PIDS+=("$peer_pid"); SERVE_PID=0; RADIUS_PID=$peer_pid
wait_radius "$PEER" || { echo "the peer FreeRADIUS did not start:" >&2; cat "$OUT/freeradius-peer.log" "$PEER/log/radius.log" >&2; exit 1; }
warm_runs "peer" "$qport" "$PEER_USERS/users.tsv"
stop_pid "$peer_pid"

{
  printf 'run\tauth_per_s\tp50_ms\tp99_ms\taccepted\trejected\tlost\tbrightline_cpu_ms\tfreeradius_cpu_ms\tload_average\tusers\tcpus\n'
  for label in $(cut -f1 "$OUT/runs.tsv" | awk '!seen[$0]++' | tr ' ' '_'); do
    rows=$(awk -F'\t' -v l="${label//_/ }" '$1==l' "$OUT/runs.tsv")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${label//_/ }" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field auth_per_s <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field p50_ms <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field p99_ms <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field accepted <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field rejected <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field lost <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field brightline_cpu_ms <<<"$l"; done | median)" \
      "$(cut -f3 <<<"$rows" | while read -r l; do field freeradius_cpu_ms <<<"$l"; done | median)" \
      "$(cut -f2 <<<"$rows" | paste -sd' ')" "$USERS" "$(nproc)"
  done
} > "$OUT/summary.tsv"
column -t -s$'\t' "$OUT/summary.tsv"
