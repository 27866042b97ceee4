#!/usr/bin/env bash
# Benchmarks the server on loopback with wrk and prints, per route, requests/s, p50/p99
# latency and the server's RSS, and each route's requests/s as a ratio of the ceiling route
# measured in the same run (absolute numbers depend on the machine; ratios travel).
#   scripts/bench.sh [seconds per route, default 10] [connections, default 64]
# Routes: (a) GET /livez touches nothing: the ceiling; (b) GET /healthz: one Redis round trip;
# (c) and (d) a signed text message "帮助" through the WeChat gateway to the bot's help reply,
# plain and safe mode, every callback distinct (made up front by `bense sim requests`).
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
    "templates_dir": "$PWD/templates",
    "wechat": {
        "oa": {"appid": "wxoa000000000demo", "token": "bense_bench_token",
               "encoding_aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
    }
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
run_route() {  # run_route NAME PATH [REQUESTS-FILE]: with a file, replays it (bench_gateway.lua)
    local out name=$1 url="http://127.0.0.1:$http_port$2" file=${3:-}
    if [ -z "$file" ]; then
        wrk -t"$threads" -c"$connections" -d2s "$url" >/dev/null  # warm-up
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$url")
    else
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s scripts/bench_gateway.lua \
              "$url" -- "$file" "$threads")
    fi
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$name: some answers were not 2xx:" >&2; echo "$out" >&2; exit 1
    fi
    rps[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50[$name]=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99[$name]=$(awk '$1 == "99%" {print $2}' <<<"$out")
    sent[$name]=$(awk '/requests in/ {print $1}' <<<"$out")
}
declare -A sent

run_route ceiling /livez
run_route redis /healthz
# Enough distinct callbacks for the run: a repeat would only measure the retry path.
pool=$((40000 * duration))
for mode in plain safe; do
    build/bense sim requests --config "$work/bench.jsonc" --count "$pool" --content 帮助 \
        $([ $mode = safe ] && echo --safe) > "$work/$mode.requests"
    run_route "$mode" / "$work/$mode.requests"
    if [ "${sent[$mode]}" -gt "$pool" ]; then
        echo "note: $mode sent ${sent[$mode]} callbacks from a pool of $pool; repeats were retries" >&2
    fi
done
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$bense_pid/status)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $threads threads, $connections connections, ${duration}s per route"
printf '%-28s %12s %10s %10s %8s\n' route requests/s p50 p99 ratio
for r in ceiling redis plain safe; do
    case $r in
        ceiling) label="(a) GET /livez";;
        redis) label="(b) GET /healthz (Redis)";;
        plain) label="(c) callback, plain";;
        safe) label="(d) callback, safe mode";;
    esac
    ratio=$(awk -v a="${rps[$r]}" -v c="${rps[ceiling]}" 'BEGIN {printf "%.2f", a / c}')
    printf '%-28s %12s %10s %10s %8s\n' "$label" "${rps[$r]}" "${p50[$r]}" "${p99[$r]}" "$ratio"
done
echo "server peak RSS: $((rss_kb / 1024)) MiB"
