-- wrk script for scripts/bench.sh: bursts of check-ins at city-wide activities, each burst
-- all the members of the token file (first argument, one session a line) at one activity,
-- by a tap inside its geofence (POST /api/v1/checkins). The activities (third argument,
-- comma-separated) follow one another, so every request is a member's first check-in there,
-- never the cheaper "already". Thread i of N (second argument) takes every Nth member.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local stride = tonumber(args[2])
    local tokens, i = {}, 0
    for line in io.lines(args[1]) do
        if i % stride == id then
            tokens[#tokens + 1] = line
        end
        i = i + 1
    end
    requests = {}
    for activity in string.gmatch(args[3], "[^,]+") do
        local body = string.format('{"activity":"%s","lat":34.8101,"lng":117.3232}', activity)
        for _, token in ipairs(tokens) do
            requests[#requests + 1] = wrk.format("POST", "/api/v1/checkins",
                {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
        end
    end
    next_index = 0
    -- wrk calls request() once on its first thread before the run, to check the script; that
    -- request is never sent, so it must not use up a member.
    unsent_check = id == 0
end

function request()
    if unsent_check then
        unsent_check = false
        return requests[1]
    end
    next_index = next_index % #requests + 1
    return requests[next_index]
end
