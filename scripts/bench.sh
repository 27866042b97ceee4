#!/usr/bin/env bash
# Benchmarks the server on loopback with wrk and prints, per route, requests/s, p50/p99
# latency and the server's RSS, and each route's requests/s as a ratio of the ceiling route
# measured in the same run (absolute numbers depend on the machine; ratios travel).
#   scripts/bench.sh [seconds per route, default 10] [connections, default 64]
#   BENSE_BENCH_ONLY="award checkin" scripts/bench.sh   # the ceiling and these routes only
#   BENSE_BENCH_DURABLE=1 scripts/bench.sh               # Redis as scripts/run.sh runs it (below)
# Routes: (a) GET /livez touches nothing: the ceiling; (b) GET /healthz: one Redis round trip;
# (c) and (d) a signed text message "帮助" through the WeChat gateway to the bot's help reply,
# plain and safe mode, every callback distinct (made up front by `bense sim requests`);
# (e) GET /api/v1/me of bound members, each request one of 500 sessions (made up front in
# Redis through the roster's own functions); (f) manual awards through the admin API, each a
# new ledger entry; (g) bursts of check-ins at city-wide activities, each by 10,000 members
# once (a geofence tap through the mini-program API), one activity after another.
# The machine's speed drifts, by half within minutes on some VMs, so each route runs in slices
# (BENSE_BENCH_SLICES, default 5) that alternate with slices of the ceiling: ceiling, route,
# ceiling, ..., route, ceiling. A route's ratio is its requests/s over all its slices against
# the ceiling's over the slices around them; its p50 and p99 are of all its requests, its
# slices pooled.
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

# Redis is started from config/redis.conf, as scripts/run.sh starts it, so that a setting
# there is one the bench measures, but keeps nothing on disk by default, as README's tables
# were measured. BENSE_BENCH_DURABLE=1 keeps its persistence too: the append-only file (fsync
# once a second) and snapshots, their rewrites and forks as they fall. Every write then costs
# Redis more (README, "With Redis as scripts/run.sh runs it").
persistence=(--save "" --appendonly no)
[ -z "${BENSE_BENCH_DURABLE:-}" ] || persistence=()
redis-server config/redis.conf --port "$redis_port" --dir "$work" --logfile "$work/redis.log" \
    "${persistence[@]}" &
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
# CPU time (user + system, in clock ticks) the server and Redis have used so far, and their
# page faults (minor: a fresh page touched; each costs 12-14 µs on the VM of README's figures);
# then the whole machine's ticks from /proc/stat: idle (with I/O wait), stolen by the host, and
# all of them: "server-ticks redis-ticks server-faults redis-faults idle steal all". One awk
# reads the three files, each once, so that they are read as close together as can be.
cpu_ticks() {
    awk 'FILENAME == "/proc/stat" {
             if ($1 == "cpu") machine = ($5 + $6) " " $9 " " ($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9)
             next
         }
         {ticks = ticks sep ($14 + $15); faults = faults " " $10; sep = " "}
         END {print ticks faults, machine}' "/proc/$bense_pid/stat" "/proc/$redis_pid/stat" /proc/stat
}
# Sets children_cpu_now to the CPU seconds (user + system) of this shell's finished children so
# far, wrk's among them. `times` runs in this shell, not in a command substitution's subshell,
# which has no children of its own.
children_cpu() {
    times >"$work/times"
    children_cpu_now=$(awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, p, "m"); t += p[1] * 60 + p[2]} print t}' \
        "$work/times")
}
threads=$(nproc)
slices=${BENSE_BENCH_SLICES:-5}
[ "$slices" -ge 1 ] && [ "$slices" -le "$duration" ] || slices=$duration  # wrk takes whole seconds
slice_seconds=$((duration / slices))
ran() { [ "$1" = ceiling ] || [ -z "${BENSE_BENCH_ONLY:-}" ] || [[ " $BENSE_BENCH_ONLY " == *" $1 "* ]]; }
# Totals per route over its slices: requests, seconds, CPU ticks and page faults (server, Redis)
# and the machine's idle, stolen and all ticks (as cpu_ticks()); the most requests of a slice,
# and each slice's.
declare -A requests seconds cpu_ticks_used wrk_cpu slice_most slice_counts
perf_ctl=""
runs=0
# One wrk run of a slice; adds to the route's totals. run_slice NAME URL [ARGS [SCRIPT]]: with
# a script, ARGS are its arguments, split at spaces; without, ARGS is the file prefix that
# bench_gateway.lua replays (each thread its own file of it).
run_slice() {
    local out name=$1 url=$2 args=${3:-} script=${4:-}
    local cpu_before; cpu_before=$(cpu_ticks)
    [ -n "$perf_ctl" ] && [ "$name" != ceiling ] && echo enable >"$perf_ctl"
    runs=$((runs + 1))
    export BENSE_BENCH_LATENCY_OUT="$work/latency.$name.$runs"  # see bench_latency.lua
    children_cpu; local wrk_before=$children_cpu_now
    if [ -n "$script" ]; then
        # shellcheck disable=SC2086
        out=$(wrk -t"$threads" -c"$connections" -d"${slice_seconds}s" -s "$script" "$url" -- $args)
    elif [ -z "$args" ]; then
        out=$(wrk -t"$threads" -c"$connections" -d"${slice_seconds}s" -s scripts/bench_latency.lua "$url")
    else
        out=$(wrk -t"$threads" -c"$connections" -d"${slice_seconds}s" -s scripts/bench_gateway.lua "$url" -- "$args")
    fi
    children_cpu; local wrk_after=$children_cpu_now
    [ -n "$perf_ctl" ] && [ "$name" != ceiling ] && echo disable >"$perf_ctl"
    local cpu_after; cpu_after=$(cpu_ticks)
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$name: some answers were not 2xx:" >&2; echo "$out" >&2; exit 1
    fi
    if grep -q "Socket errors" <<<"$out"; then
        echo "$name: $(grep "Socket errors" <<<"$out")" >&2
    fi
    # wrk's "N requests in 2.00s".
    local n t
    read -r n t < <(awk '/requests in/ {sub(",", "", $4); sub("s$", "", $4); print $1, $4}' <<<"$out")
    requests[$name]=$(( ${requests[$name]:-0} + n ))
    slice_most[$name]=$(( n > ${slice_most[$name]:-0} ? n : ${slice_most[$name]:-0} ))
    slice_counts[$name]="${slice_counts[$name]:-} $n"
    seconds[$name]=$(awk -v a="${seconds[$name]:-0}" -v b="$t" 'BEGIN {print a + b}')
    wrk_cpu[$name]=$(awk -v a="${wrk_cpu[$name]:-0}" -v b="$wrk_before" -v c="$wrk_after" 'BEGIN {print a + c - b}')
    cpu_ticks_used[$name]=$(awk -v used="${cpu_ticks_used[$name]:-0 0 0 0 0 0 0}" -v b="$cpu_before" -v a="$cpu_after" \
        'BEGIN {split(used, u, " "); split(b, x, " "); split(a, y, " ");
                for (i = 1; i <= 7; i++) printf "%d%s", u[i] + y[i] - x[i], i < 7 ? " " : "\n"}')
    if [ "$name" = ceiling ]; then
        ceiling_slices+=("$(awk -v n="$n" -v t="$t" 'BEGIN {printf "%.0f", n / t}')")
    fi
}
rps_of() { awk -v n="${requests[$1]}" -v t="${seconds[$1]}" 'BEGIN {printf "%.2f", n / t}'; }
# pooled NAME P: the P-th percentile latency (ms) of all NAME's requests, its slices pooled: the
# least latency that at least P% of them did not exceed, each slice's share read off its
# percentiles (bench_latency.lua; between two of them, the lower one: this errs high).
pooled() {
    local f s=0
    for f in "$work"/latency."$1".*; do  # "-1 slice requests", then "latency slice percentile"
        s=$((s + 1))
        awk -v s="$s" 'FNR == 1 {print -1, s, $2; next} {print $2, s, $1}' "$f"
    done | sort -n -k1,1 | awk -v want="$2" '
        $1 < 0 { n[$2] = $3; total += $3; next }
        $1 != last && seen && below >= total * want / 100 { exit }
        { below += n[$2] * ($3 - f[$2]) / 100; f[$2] = $3; last = $1; seen = 1 }
        END { printf "%.2f", last / 1000 }'
}
# run_route NAME PATH [ARGS [SCRIPT]]: the route's slices between the ceiling's. In ARGS, "%s"
# stands for the slice's number (1, 2, ...), for inputs that no two slices may share.
run_route() {
    local name=$1 url="http://127.0.0.1:$http_port$2" args=${3:-} script=${4:-} k
    local perf_pid="" ceiling_requests=${requests[ceiling]:-0} ceiling_seconds=${seconds[ceiling]:-0}
    if ! ran "$name"; then
        return 0
    fi
    if [ "${BENSE_BENCH_PERF:-}" = "$name" ]; then  # a profile of the server (or Redis) on this route
        local target=(-p "$bense_pid")
        [ "${BENSE_BENCH_PERF_TARGET:-}" = redis ] && target=(-p "$redis_pid")
        [ "${BENSE_BENCH_PERF_TARGET:-}" = all ] && target=(-a)  # wrk, the server, Redis and idle
        perf_ctl="$work/perf.ctl"; mkfifo "$perf_ctl"
        # Started with its events off: on during the route's slices only, not the ceiling's.
        perf record -g -D -1 --control "fifo:$perf_ctl" -o "${BENSE_BENCH_PERF_OUT:-perf.data}" "${target[@]}" \
            2>/dev/null &
        perf_pid=$!
        exec 3<>"$perf_ctl"  # held open, so that each echo above does not end perf's reading
    fi
    [ -n "${BENSE_BENCH_REDIS_STATS:-}" ] && rcli CONFIG RESETSTAT >/dev/null
    [ -z "$args" ] && [ -z "$script" ] && wrk -t"$threads" -c"$connections" -d2s "$url" >/dev/null  # warm-up
    for k in $(seq "$slices"); do
        run_slice ceiling "http://127.0.0.1:$http_port/livez"
        # shellcheck disable=SC2059
        run_slice "$name" "$url" "$(printf "$args" "$k")" "$script"
    done
    run_slice ceiling "http://127.0.0.1:$http_port/livez"
    if [ -n "$perf_pid" ]; then
        exec 3>&-
        kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
        rm -f "$perf_ctl"; perf_ctl=""
    fi
    # The ceiling of this route: the ceiling's slices around its own.
    ceiling_of[$name]=$(awk -v n=$((requests[ceiling] - ceiling_requests)) -v t="${seconds[ceiling]}" \
        -v t0="$ceiling_seconds" 'BEGIN {printf "%.2f", n / (t - t0)}')
    if [ -n "${BENSE_BENCH_REDIS_STATS:-}" ]; then  # where Redis spent its time on this route
        # Then the cores' idle share: idle cores while requests wait are throughput lost to the
        # pipeline (README: where the idle time of the member routes goes); the ceiling's share
        # says what the machine leaves idle.
        awk -v name="$name" -v hz="$(getconf CLK_TCK)" -v n="${requests[$name]}" -v used="${cpu_ticks_used[$name]}" \
            -v wrk="${wrk_cpu[$name]}" -v ceiling_wrk="${wrk_cpu[ceiling]}" -v ceiling_n="${requests[ceiling]}" \
            -v ceiling="${cpu_ticks_used[ceiling]}" \
            'BEGIN {split(used, u, " "); split(ceiling, c, " ");
             printf "%s: CPU per request: server %.1f µs, Redis %.1f µs, wrk %.1f µs" \
             " (on the ceiling so far %.1f); page faults per request: server %.3f, Redis %.3f\n",
             name, u[1] * 1e6 / hz / n, u[2] * 1e6 / hz / n, wrk * 1e6 / n, ceiling_wrk * 1e6 / ceiling_n,
             u[3] / n, u[4] / n
             printf "%s: the cores idle %.1f%% of its slices (the ceiling'"'"'s so far %.1f%%), stolen by the host %.1f%%\n",
             name, 100 * u[5] / u[7], 100 * c[5] / c[7], 100 * u[6] / u[7]}' >&2
        echo "$name: Redis commands by total time (µs), calls inside functions included:" >&2
        rcli INFO commandstats | tr ':,=' '   ' | awk '/^cmdstat_/ {sub("cmdstat_", "", $1); print $5, $3, $7, $1}' \
            | sort -rn | head -12 | awk '{printf "    %-24s %8d calls %7.2f µs/call %10d µs\n", $4, $2, $3, $1}' >&2
    fi
}
declare -A ceiling_of
ceiling_slices=()
# The first ceiling, warmed up, before any route.
wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$http_port/livez" >/dev/null
run_slice ceiling "http://127.0.0.1:$http_port/livez"

run_route redis /healthz
# Enough distinct callbacks for each slice: a repeat would only measure the retry path.
slice_pool=$((40000 * slice_seconds))
for mode in plain safe; do
    ran "$mode" || continue
    # Ready-made HTTP requests, slice k's for thread i in "$mode.requests.s<k>.<i>", each after
    # its length: wrk's script then has nothing to build (see bench_gateway.lua).
    build/bense sim requests --config "$work/bench.jsonc" --count $((slice_pool * slices)) --content 帮助 \
        $([ $mode = safe ] && echo --safe) | LC_ALL=C awk -F '\t' -v threads="$threads" -v pool="$slice_pool" \
        -v host="127.0.0.1:$http_port" -v out="$work/$mode.requests" '{
            r = "POST " $1 " HTTP/1.1\r\nHost: " host "\r\nContent-Type: text/xml\r\nContent-Length: " \
                length($2) "\r\n\r\n" $2
            printf "%d\n%s", length(r), r > (out ".s" (int((NR - 1) / pool) + 1) "." ((NR - 1) % threads))
        }'
    run_route "$mode" / "$work/$mode.requests.s%s"
    if [ "${slice_most[$mode]}" -gt "$slice_pool" ]; then
        echo "note: a $mode slice sent ${slice_most[$mode]} callbacks from a pool of $slice_pool; repeats were retries" >&2
    fi
    # Each route starts from the same Redis: the replies stored for WeChat's retries (kept a
    # minute, as the protocol page says), a quarter of a million after a route, are removed, or
    # the next route would run beside them and the routes after it while Redis expired them.
    rcli --scan --pattern 'bense:{user:*}:cb:*' | awk '{keys = keys " " $0} NR % 1000 == 0 {print "UNLINK" keys;
        keys = ""} END {if (keys != "") print "UNLINK" keys}' | rcli >/dev/null
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
    run_route award /api/v1/admin/members "$bureau $((members < 500 ? members : 500)) %s" scripts/bench_award.lua
    # City-wide activities whose check-in windows are open for the whole run, each with a
    # geofence around the point every member taps from: enough bursts of 10,000 first check-ins
    # for each slice (a repeat would be answered "already", which is cheaper), slice k's listed
    # in "activities.s<k>". Room for 40,000 check-ins/s: each wrk thread walks its own share of
    # the members, and one may run well ahead of the other.
    bursts=$(( (slice_seconds * 40000 + members - 1) / members ))
    for k in $(seq "$slices"); do
        for _ in $(seq "$bursts"); do
            rcli FCALL bense_activity_put 1 "$audit" bench bench "$now" '*' create "" "bench-$RANDOM$RANDOM" \
                type party_day title 压测主题党日 branch '*' start $((now + 1800)) end $((now + 9000)) place 广场 \
                lat 34.810000 lng 117.323000 radius 500 opens $((now - 3600)) closes $((now + 12600)) | sed -n 2p
        done > "$work/activities.s$k"
    done
    run_route checkin / "$work/all-tokens $threads $work/activities.s%s" scripts/bench_checkin.lua
    if ran checkin; then
        # Every check-in that was sent made its record: as many as the slices' requests, each
        # slice's up to its bursts' room, and up to a request a connection more (wrk does not
        # count what was still in flight when a slice ended).
        recorded=$(cat "$work"/activities.s* | while read -r id; do rcli HLEN "bense:{roster}:activity:$id:checkins"; done \
            | awk '{s += $1} END {print s}')
        expected=$(tr ' ' '\n' <<<"${slice_counts[checkin]}" | awk -v room=$((bursts * members)) \
            'NF {s += ($1 < room ? $1 : room)} END {print s}')
        [ "$recorded" -ge "$expected" ] && [ "$recorded" -le $((expected + connections * slices)) ] || {
            echo "checkin: $recorded records for $expected first check-ins sent" >&2
            grep -i "error\|warn" "$work/bense.log" | tail -5 >&2
            exit 1
        }
        if [ "${slice_most[checkin]}" -gt $((bursts * members)) ]; then
            echo "note: a checkin slice sent ${slice_most[checkin]} requests for $((bursts * members)) first check-ins; the rest were repeats" >&2
        fi
    fi
fi
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$bense_pid/status)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $threads threads, $connections connections, $((slices * slice_seconds))s per route in $slices slices"
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
    # The ceiling's row: all its slices; a route's ratio: against the ceiling's slices around its own.
    ratio=1.00
    [ "$r" = ceiling ] || ratio=$(awk -v a="$(rps_of "$r")" -v c="${ceiling_of[$r]}" 'BEGIN {printf "%.2f", a / c}')
    printf '%-28s %12s %10s %10s %8s\n' "$label" "$(rps_of "$r")" "$(pooled "$r" 50)ms" "$(pooled "$r" 99)ms" "$ratio"
done
echo "p50, p99: of all a route's requests, its slices pooled. Ceiling slices (requests/s): ${ceiling_slices[*]}"
echo "server peak RSS: $((rss_kb / 1024)) MiB"
