-- wrk script for scripts/bench.sh: GET /api/v1/me with the session tokens of the file given as
-- the first argument (one a line), each request the next token, so that many members'
-- sessions are looked up and slid, not one hot key. Requests are formatted once, up front,
-- so that wrk's own Lua costs no more than for a plain GET.
function init(args)
    requests = {}
    for line in io.lines(args[1]) do
        requests[#requests + 1] = wrk.format("GET", "/api/v1/me", {["Authorization"] = "Bearer " .. line})
    end
    next_index = 0
end

function request()
    next_index = next_index % #requests + 1
    return requests[next_index]
end

dofile("scripts/bench_latency.lua")  -- done(): the latency percentiles for bench.sh
