-- wrk script for scripts/bench.sh: replays pre-made signed WeChat callbacks, one per line of
-- the file given as the first argument ("target<TAB>body"). Each wrk thread takes every
-- Nth line (N = the second argument, the thread count), so no callback is sent twice: a
-- repeat would be a retry, answered from the store, and cheaper than the real work.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    requests = {}
    for line in io.lines(args[1]) do
        local target, body = line:match("^([^\t]*)\t(.*)$")
        requests[#requests + 1] = wrk.format("POST", target, {["Content-Type"] = "text/xml"}, body)
    end
    stride = tonumber(args[2])
    next_index = id
end

function request()
    local r = requests[next_index % #requests + 1]
    next_index = next_index + stride
    return r
end
