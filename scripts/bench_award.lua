-- wrk script for scripts/bench.sh: manual awards through the admin API, POST
-- /api/v1/admin/members/<n>/points with the bureau token (first argument) to the members
-- n1..n<count> (second argument) in turn. Every request has its own request id (the slice,
-- third argument, thread and counter), so each is a new ledger entry, never the cheaper
-- duplicate answer. The headers are joined once; a request only adds its path, length and
-- body.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    members = tonumber(args[2])
    slice = args[3] or "1"
    counter = 0
    headers = " HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port .. "\r\nAuthorization: Bearer " .. args[1] ..
        "\r\nContent-Type: application/json\r\nContent-Length: "
end

function request()
    counter = counter + 1
    local body = string.format('{"action":"manual.award","points":1,"reason":"压测","request_id":"bench-%s-%d-%d"}',
        slice, id, counter)
    return "POST /api/v1/admin/members/n" .. (counter % members + 1) .. "/points" .. headers .. #body .. "\r\n\r\n" ..
        body
end

dofile("scripts/bench_latency.lua")  -- done(): the latency percentiles for bench.sh
