#!/usr/bin/env bash
# Benchmarks the server on loopback with wrk and prints, per route, requests/s, p50/p99
# latency and the server's RSS, and each route's requests/s as a ratio of the ceiling route
# measured in the same run (absolute numbers depend on the machine; ratios travel).
#   scripts/bench.sh [seconds per route, default 10] [connections, default 64]
# Routes: (a) GET /livez touches nothing: the ceiling; (b) GET /healthz: one Redis round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
redis_port=${BENSE_BENCH_REDIS_PORT:-6391}
http_port=${BENSE_BENCH_HTTP_PORT:-8491}

scripts/install-deps.sh wrk
scripts/build.sh >/dev/null

work=$(mktemp -d)
redis_pid=""; bense_pid=""
cleanup() {
    [ -n "$bense_pid" ] && kill -TERM "$bense_pid" 2>/dev/null && wait "$bense_pid" 2>/dev/null
    [ -n "$redis_pid" ] && kill -TERM "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --logfile "$work/redis.log" &
redis_pid=$!
# The bench config: the example's defaults, its own ports, and warn-level logs so that
# writing a log line per request does not become what is measured.
cat > "$work/bench.jsonc" <<CFG
{
    "server": {"port": $http_port},
    "redis": {"address": "127.0.0.1:$redis_port"},
    "log": {"level": "warn"},
    "templates_dir": "$PWD/templates"
}
CFG
build/bense serve --config "$work/bench.jsonc" >"$work/bense.log" 2>&1 &
bense_pid=$!
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null || { cat "$work/bense.log"; exit 1; }

threads=$(nproc)
declare -A rps p50 p99
run_route() {  # run_route NAME PATH
    local out
    wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$http_port$2" >/dev/null  # warm-up
    out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$http_port$2")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$1: some answers were not 2xx:" >&2; echo "$out" >&2; exit 1
    fi
    rps[$1]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50[$1]=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99[$1]=$(awk '$1 == "99%" {print $2}' <<<"$out")
}

run_route ceiling /livez
run_route redis /healthz
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$bense_pid/status)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $threads threads, $connections connections, ${duration}s per route"
printf '%-28s %12s %10s %10s %8s\n' route requests/s p50 p99 ratio
for r in ceiling redis; do
    case $r in ceiling) label="(a) GET /livez";; redis) label="(b) GET /healthz (Redis)";; esac
    ratio=$(awk -v a="${rps[$r]}" -v c="${rps[ceiling]}" 'BEGIN {printf "%.2f", a / c}')
    printf '%-28s %12s %10s %10s %8s\n' "$label" "${rps[$r]}" "${p50[$r]}" "${p99[$r]}" "$ratio"
done
echo "server peak RSS: $((rss_kb / 1024)) MiB"
