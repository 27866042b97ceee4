-- wrk script for scripts/bench.sh: bursts of check-ins at city-wide activities, each burst
-- all the members of the token file (first argument, one session a line) at one activity,
-- by a tap inside its geofence (POST /api/v1/checkins). The activities (listed in the file of
-- the third argument, one a line) follow one another, so every request is a member's first
-- check-in there, never the cheaper "already". Thread i of N (second argument) takes every
-- Nth member.
--
-- init() only reads the tokens (a slow init lets a thread run uncounted time: see
-- bench_gateway.lua); request() joins a request from parts made once.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local stride = tonumber(args[2])
    local i = 0
    tokens = {}
    for line in io.lines(args[1]) do
        if i % stride == id then
            tokens[#tokens + 1] = line
        end
        i = i + 1
    end
    local head = "POST /api/v1/checkins HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port ..
        "\r\nContent-Type: application/json\r\n"
    tails = {}  -- per activity: the length header and the body
    for activity in io.lines(args[3]) do
        local body = string.format('{"activity":"%s","lat":34.8101,"lng":117.3232}', activity)
        tails[#tails + 1] = "Content-Length: " .. #body .. "\r\n\r\n" .. body
    end
    auth = head .. "Authorization: Bearer "
    member, burst = 0, 1
    -- wrk calls request() once on its first thread before the run, to check the script; that
    -- request is never sent, so it must not use up a member.
    unsent_check = id == 0
end

function request()
    if unsent_check then
        unsent_check = false
        return auth .. tokens[1] .. "\r\n" .. tails[1]
    end
    member = member + 1
    if member > #tokens then
        member, burst = 1, burst % #tails + 1
    end
    return auth .. tokens[member] .. "\r\n" .. tails[burst]
end

dofile("scripts/bench_latency.lua")  -- done(): the latency percentiles for bench.sh
