#!/usr/bin/env bash
# Benchmarks the server on loopback with wrk and prints, per route, requests/s, p50/p99
# latency and the server's RSS, and each route's requests/s as a ratio of the ceiling route
# measured in the same run (absolute numbers depend on the machine; ratios travel).
#   scripts/bench.sh [seconds per route, default 10] [connections, default 64]
#   BENSE_BENCH_ONLY="award checkin" scripts/bench.sh   # the ceiling and these routes only
# Routes: (a) GET /livez touches nothing: the ceiling; (b) GET /healthz: one Redis round trip;
# (c) and (d) a signed text message "帮助" through the WeChat gateway to the bot's help reply,
# plain and safe mode, every callback distinct (made up front by `bense sim requests`);
# (e) GET /api/v1/me of bound members, each request one of 500 sessions (made up front in
# Redis through the roster's own functions); (f) manual awards through the admin API, each a
# new ledger entry; (g) bursts of check-ins at city-wide activities, each by 10,000 members
# once (a geofence tap through the mini-program API), one activity after another.
# The ceiling is measured again after each route, and each ratio is taken against the mean of
# the ceilings just before and just after the route: the machine's speed drifts.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
redis_port=${BENSE_BENCH_REDIS_PORT:-6391}
http_port=${BENSE_BENCH_HTTP_PORT:-8491}

scripts/install-deps.sh wrk perl  # perl: Digest::SHA for the seeded sessions
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
    "roster": {"phone_hash_secret": "bense-bench-phone-secret"},
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

rcli() { redis-cli -p "$redis_port" "$@"; }
# CPU time (user + system, in clock ticks) the server and Redis have used so far: "server redis".
cpu_ticks() { echo "$(awk '{print $14 + $15}' "/proc/$bense_pid/stat") $(awk '{print $14 + $15}' "/proc/$redis_pid/stat")"; }
threads=$(nproc)
declare -A rps p50 p99
ran() { [ "$1" = ceiling ] || [ -z "${BENSE_BENCH_ONLY:-}" ] || [[ " $BENSE_BENCH_ONLY " == *" $1 "* ]]; }
run_route() {  # run_route NAME PATH [FILE [SCRIPT]]: with a file prefix, bench_gateway.lua replays
    # each thread's file of it; with a script, FILE is the script's arguments, split at spaces
    local out name=$1 url="http://127.0.0.1:$http_port$2" file=${3:-} script=${4:-}
    local perf_pid=""
    if ! ran "$name"; then
        return 0
    fi
    if [ "${BENSE_BENCH_PERF:-}" = "$name" ]; then  # a profile of the server (or Redis) on this route
        local target=(-p "$bense_pid")
        [ "${BENSE_BENCH_PERF_TARGET:-}" = redis ] && target=(-p "$redis_pid")
        [ "${BENSE_BENCH_PERF_TARGET:-}" = all ] && target=(-a)  # wrk, the server, Redis and idle
        perf record -g -o "${BENSE_BENCH_PERF_OUT:-perf.data}" "${target[@]}" 2>/dev/null &
        perf_pid=$!
    fi
    [ -n "${BENSE_BENCH_REDIS_STATS:-}" ] && rcli CONFIG RESETSTAT >/dev/null
    [ -z "$file" ] && [ -z "$script" ] && wrk -t"$threads" -c"$connections" -d2s "$url" >/dev/null  # warm-up
    local cpu_before; cpu_before=$(cpu_ticks)
    if [ -n "$script" ]; then
        # shellcheck disable=SC2086
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$url" -- $file)
    elif [ -z "$file" ]; then
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$url")
    else
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s scripts/bench_gateway.lua \
              "$url" -- "$file")
    fi
    [ -n "$perf_pid" ] && kill -INT "$perf_pid" && { wait "$perf_pid" 2>/dev/null || true; }
    if [ -n "${BENSE_BENCH_REDIS_STATS:-}" ]; then  # where Redis spent its time on this route
        awk -v name="$name" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' <<<"$out")" \
            'NR == 1 {s = $1; r = $2} NR == 2 {printf "%s: CPU per request: server %.1f µs, Redis %.1f µs\n",
             name, ($1 - s) * 1e6 / hz / n, ($2 - r) * 1e6 / hz / n}' <<<"$cpu_before"$'\n'"$(cpu_ticks)" >&2
        echo "$name: Redis commands by total time (µs), calls inside functions included:" >&2
        rcli INFO commandstats | tr ':,=' '   ' | awk '/^cmdstat_/ {sub("cmdstat_", "", $1); print $5, $3, $7, $1}' \
            | sort -rn | head -12 | awk '{printf "    %-24s %8d calls %7.2f µs/call %10d µs\n", $4, $2, $3, $1}' >&2
    fi
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$name: some answers were not 2xx:" >&2; echo "$out" >&2; exit 1
    fi
    if grep -q "Socket errors" <<<"$out"; then
        echo "$name: $(grep "Socket errors" <<<"$out")" >&2
    fi
    rps[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50[$name]=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99[$name]=$(awk '$1 == "99%" {print $2}' <<<"$out")
    sent[$name]=$(awk '/requests in/ {print $1}' <<<"$out")
    # Every other route is followed by a ceiling (see the top of this file).
    if [ "$name" = ceiling ]; then
        [ ${#ceilings[@]} -eq 0 ] && first_ceiling="${rps[ceiling]} ${p50[ceiling]} ${p99[ceiling]}"
        ceilings+=("${rps[ceiling]}")
    else
        ceiling_before[$name]=${rps[ceiling]}
        run_route ceiling /livez
        ceiling_after[$name]=${rps[ceiling]}
    fi
}
declare -A sent ceiling_before ceiling_after
ceilings=()

run_route ceiling /livez
run_route redis /healthz
# Enough distinct callbacks for the run: a repeat would only measure the retry path.
pool=$((40000 * duration))
for mode in plain safe; do
    ran "$mode" || continue
    # Ready-made HTTP requests, thread i's in "$mode.requests.<i>", each after its length: wrk's
    # script then has nothing to build (see bench_gateway.lua).
    build/bense sim requests --config "$work/bench.jsonc" --count "$pool" --content 帮助 \
        $([ $mode = safe ] && echo --safe) | LC_ALL=C awk -F '\t' -v threads="$threads" \
        -v host="127.0.0.1:$http_port" -v out="$work/$mode.requests" '{
            r = "POST " $1 " HTTP/1.1\r\nHost: " host "\r\nContent-Type: text/xml\r\nContent-Length: " \
                length($2) "\r\n\r\n" $2
            printf "%d\n%s", length(r), r > (out "." ((NR - 1) % threads))
        }'
    run_route "$mode" / "$work/$mode.requests"
    if [ "${sent[$mode]}" -gt "$pool" ]; then
        echo "note: $mode sent ${sent[$mode]} callbacks from a pool of $pool; repeats were retries" >&2
    fi
done
# The routes of members (e, f, g) need 10,000 of them seeded first, which takes a while.
if ran me || ran award || ran checkin; then
    # Members of one branch, each with a bound mini-program session, as the service would have
    # made them: a binding code issued, then bound, then a session opened. The first 500 serve
    # (e) and (f); all 10,000 check in at (g).
    audit="bense:{roster}:audit"
    now=$(date +%s)
    members=10000
    rcli FCALL bense_roster_branch_put 1 "$audit" bench bench "$now" '*' create bench name 压测支部 >/dev/null
    # The sessions' tokens, and their SHA-256 (all that is stored) from one process: a hashing
    # process per member took most of the seeding's minutes.
    salt="$RANDOM$RANDOM"
    for i in $(seq "$members"); do echo "bench-session-token-$i-$salt"; done > "$work/all-tokens"
    perl -MDigest::SHA=sha256_hex -nle 'print sha256_hex($_)' "$work/all-tokens" > "$work/all-hashes"
    i=0
    while read -r hash; do
        i=$((i + 1))
        printf -v code '%06d' "$i"
        printf 'FCALL bense_roster_member_put 1 %s bench bench %s * create n%s name 成员%s branch bench\n' \
            "$audit" "$now" "$i" "$i"
        printf 'FCALL bense_roster_issue_codes 1 %s bench bench %s * 86400000 self 0 "" n%s %s\n' \
            "$audit" "$now" "$i" "$code"
        printf 'FCALL bense_roster_bind_code 1 %s mp:o-bench-%s %s %s bench 5 10 3600000\n' "$audit" "$i" "$code" "$now"
        printf 'FCALL bense_roster_session_open 1 %s %s 2592000000 %s o-bench-%s "" key\n' "$audit" "$hash" "$now" "$i"
    done < "$work/all-hashes" | rcli > "$work/seed.log"
    grep -q "^err" "$work/seed.log" && { echo "seeding the members failed:" >&2; grep -m3 -A2 "^err" "$work/seed.log" >&2; exit 1; }
    head -500 "$work/all-tokens" > "$work/tokens"
    curl -fsS -H "Authorization: Bearer $(head -1 "$work/tokens")" "http://127.0.0.1:$http_port/api/v1/me" >/dev/null \
        || { echo "GET /api/v1/me does not answer 200 for a seeded session" >&2; exit 1; }
    run_route me /api/v1/me "$work/tokens" scripts/bench_me.lua
    # A bureau token for the admin API (only its SHA-256 is stored, as `bense admin token` does).
    bureau="bt_bench-bureau-token-$RANDOM$RANDOM"
    rcli FCALL bense_roster_token_create 1 "$audit" bench bench "$now" \
        "$(printf '%s' "$bureau" | sha256sum | cut -d' ' -f1)" bench 压测 >/dev/null
    run_route award /api/v1/admin/members "$bureau $((members < 500 ? members : 500))" scripts/bench_award.lua
    # City-wide activities whose check-in windows are open for the whole run, each with a
    # geofence around the point every member taps from: enough bursts of 10,000 first check-ins
    # to fill the run (a repeat would be answered "already", which is cheaper).
    bursts=$(( (duration * 25000 + members - 1) / members ))  # room for 25,000 check-ins/s
    activities=""
    for _ in $(seq "$bursts"); do
        id=$(rcli FCALL bense_activity_put 1 "$audit" bench bench "$now" '*' create "" "bench-$RANDOM$RANDOM" \
            type party_day title 压测主题党日 branch '*' start $((now + 1800)) end $((now + 9000)) place 广场 \
            lat 34.810000 lng 117.323000 radius 500 opens $((now - 3600)) closes $((now + 12600)) | sed -n 2p)
        activities="$activities${activities:+,}$id"
    done
    run_route checkin / "$work/all-tokens $threads $activities" scripts/bench_checkin.lua
    first=${activities%%,*}
    recorded=$(rcli HLEN "bense:{roster}:activity:$first:checkins")
    ! ran checkin || [ "$recorded" -eq "$members" ] || {
        echo "checkin: $recorded records at $first for $members members" >&2
        grep -i "error\|warn" "$work/bense.log" | tail -5 >&2
        exit 1
    }
    if ran checkin && [ "${sent[checkin]}" -gt $((bursts * members)) ]; then
        echo "note: checkin sent ${sent[checkin]} requests for $((bursts * members)) first check-ins; the rest were repeats" >&2
    fi
fi
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$bense_pid/status)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $threads threads, $connections connections, ${duration}s per route"
printf '%-28s %12s %10s %10s %8s\n' route requests/s p50 p99 ratio
for r in ceiling redis plain safe me award checkin; do
    ran "$r" || continue
    case $r in
        ceiling) label="(a) GET /livez";;
        redis) label="(b) GET /healthz (Redis)";;
        plain) label="(c) callback, plain";;
        safe) label="(d) callback, safe mode";;
        me) label="(e) GET /api/v1/me";;
        award) label="(f) award, admin API";;
        checkin) label="(g) check-in bursts, 10k";;
    esac
    if [ "$r" = ceiling ]; then
        # The first ceiling's figures; the ratios below use the ceilings next to each route.
        # shellcheck disable=SC2086
        printf '%-28s %12s %10s %10s %8s\n' "$label" $first_ceiling 1.00
        continue
    fi
    ratio=$(awk -v a="${rps[$r]}" -v b="${ceiling_before[$r]}" -v c="${ceiling_after[$r]}" \
        'BEGIN {printf "%.2f", a / ((b + c) / 2)}')
    printf '%-28s %12s %10s %10s %8s\n' "$label" "${rps[$r]}" "${p50[$r]}" "${p99[$r]}" "$ratio"
done
echo "ceiling of each route: the mean of the ceilings measured just before and after it; all ceilings: ${ceilings[*]}"
echo "server peak RSS: $((rss_kb / 1024)) MiB"
