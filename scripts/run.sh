#!/usr/bin/env bash
# Starts Bense locally: installs what is missing, builds (Release), starts a Redis with
# config/redis.conf (AOF on, data in var/redis, loopback, port 6390) unless one already
# answers there, starts the fake WeChat API when the config points wechat_api at loopback,
# then runs `bense serve` with config/bense.example.jsonc. With a local config (the fake
# WeChat on loopback) it then seeds the demo branch of config/demo/ and prints its binding
# codes: idempotent, so every run prints the same codes while they are valid.
# Ctrl-C stops them all cleanly (the Redis only if this script started it).
#   scripts/run.sh [path/to/config.jsonc]
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-config/bense.example.jsonc}
redis_port=6390

scripts/install-deps.sh
scripts/build.sh

redis_pid=""
bense_pid=""
fake_pid=""
stop_all() {
    trap - INT TERM EXIT
    if [ -n "$bense_pid" ] && kill -0 "$bense_pid" 2>/dev/null; then
        kill -TERM "$bense_pid" 2>/dev/null || true
        wait "$bense_pid" 2>/dev/null || true
    fi
    if [ -n "$fake_pid" ] && kill -0 "$fake_pid" 2>/dev/null; then
        kill -TERM "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
        # SHUTDOWN writes the data out before Redis exits.
        redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || kill -TERM "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
    echo "stopped."
}
trap stop_all INT TERM EXIT

# The demo roster: unchanged rows import as unchanged, and codes still valid are given again.
seed_demo() {
    build/bense roster import config/demo/branches.csv --config "$config" &&
        build/bense roster import config/demo/members.csv --config "$config" || return 1
    echo
    echo "Binding codes of the demo branch (the same on every run while valid; use one with POST /api/v1/binding, or send 绑定 <code> with bense sim text):"
    build/bense roster codes --branch demo --config "$config"
}

wait_for() {  # wait_for SECONDS COMMAND...: retries the command until it succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    echo "using the Redis already running on 127.0.0.1:$redis_port"
else
    mkdir -p var/redis
    redis-server config/redis.conf --dir "$PWD/var/redis" --logfile "$PWD/var/redis/redis.log" &
    redis_pid=$!
    wait_for 10 redis-cli -p "$redis_port" ping || { echo "Redis did not start; see var/redis/redis.log" >&2; exit 1; }
    echo "Redis started on 127.0.0.1:$redis_port (data in var/redis)"
fi

# The fake WeChat API: started when the config sends API calls to loopback (the example
# does); a config for real WeChat points elsewhere and runs without it.
fake_url=$(grep -oE 'https://127\.0\.0\.1:[0-9]+' "$config" | head -1 || true)
if [ -n "$fake_url" ]; then
    fake_port=${fake_url##*:}
    rm -f var/fake-wechat/cert.pem
    build/bense fake-wechat --port "$fake_port" --cert-file var/fake-wechat/cert.pem &
    fake_pid=$!
    wait_for 10 test -s var/fake-wechat/cert.pem || { echo "the fake WeChat did not start" >&2; exit 1; }
fi

build/bense serve --config "$config" &
bense_pid=$!
port=$(grep -oE '"port": *[0-9]+' "$config" | head -1 | grep -oE '[0-9]+$')
if wait_for 15 curl -fsS "http://127.0.0.1:$port/healthz"; then
    cat <<MSG

Bense is running on http://127.0.0.1:$port  (Ctrl-C stops it)
  curl http://127.0.0.1:$port/healthz     # 200 when Redis answers
  curl http://127.0.0.1:$port/metrics     # Prometheus metrics
MSG
    [ -n "$fake_url" ] && echo "  curl -k $fake_url/_fake/sent   # what the service \"sent\" to WeChat"
    if [ -n "$fake_url" ]; then
        echo
        seed_demo || echo "seeding the demo roster failed; see above (the service keeps running)" >&2
    fi
else
    echo "bense did not become healthy within 15 s; see the log above" >&2
fi
wait "$bense_pid"
