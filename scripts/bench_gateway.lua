-- wrk script for scripts/bench.sh: replays pre-made signed WeChat callbacks. The first argument
-- is a file prefix: thread i reads "<prefix>.<i>", which holds that thread's whole HTTP requests
-- back to back, each after a line with its length in bytes (made by bench.sh from `bense sim
-- requests`), so that no callback is sent twice: a repeat would be a retry, answered from the
-- store, and cheaper than the real work.
--
-- wrk starts each thread as soon as its init() is done and starts the clock only after the
-- last one: a slow init lets the first thread run uncounted time and inflates requests/s. So
-- init() only reads the file, in one go, and request() cuts out the next request.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local f = assert(io.open(args[1] .. "." .. id, "rb"))
    data = f:read("*a")
    f:close()
    pos = 1
end

function request()
    if pos > #data then
        pos = 1  -- the pool ran out: repeats from here on (bench.sh notes it)
    end
    local eol = string.find(data, "\n", pos, true)
    local length = tonumber(string.sub(data, pos, eol - 1))
    pos = eol + 1 + length
    return string.sub(data, eol + 1, pos - 1)
end

dofile("scripts/bench_latency.lua")  -- done(): the latency percentiles for bench.sh
