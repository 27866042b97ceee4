-- wrk script for scripts/bench.sh: replays pre-made signed WeChat callbacks. The first argument
-- is a file prefix: thread i reads "<prefix>.<i>", which holds that thread's whole HTTP requests
-- back to back, each after a line with its length in bytes (made by bench.sh from `bense sim
-- requests`), so that no callback is sent twice: a repeat would be a retry, answered from the
-- store, and cheaper than the real work.
--
-- Each request is read from the file as it is sent, through a large buffer:
-- - wrk runs a thread's init() before it starts the next thread and starts its clock after the
--   last one, so whatever init() does is time in which the first thread sends uncounted
--   (reading the whole file there took 0.1-0.2 s of a 2 s slice);
-- - cut out of one big string, each request left a copy for Lua's collector: a cycle's tens of
--   megabytes of garbage went back to the kernel and were faulted in again, a page fault every
--   four to seven requests, and a page fault costs about 12 µs on the VM the bench runs on.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    file = assert(io.open(args[1] .. "." .. id, "rb"))
    file:setvbuf("full", 1024 * 1024)
end

function request()
    local length = file:read("*n")
    if not length then
        file:seek("set", 0)  -- the pool ran out: repeats from here on (bench.sh notes it)
        length = assert(file:read("*n"), "no requests in the file")
    end
    file:read(1)  -- the newline after the length
    return file:read(length)
end

dofile("scripts/bench_latency.lua")  -- done(): the latency percentiles for bench.sh
