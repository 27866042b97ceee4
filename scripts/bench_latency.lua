-- For scripts/bench.sh, run by every wrk run of it (alone, or through dofile() from a route's
-- script): done() writes the run's requests and its latency percentiles (µs) to the file named
-- by BENSE_BENCH_LATENCY_OUT, so that bench.sh can pool a route's slices into one distribution:
-- the p99 of all its requests, not the worst of its slices' (a 2 s slice's p99 rests on a few
-- hundred requests, and one pause of the VM moves it).
function done(summary, latency, requests)
    local path = os.getenv("BENSE_BENCH_LATENCY_OUT")
    if not path then
        return
    end
    local f = assert(io.open(path, "w"))
    f:write(string.format("requests %d\n", summary.requests))
    local function put(p)
        f:write(string.format("%g %d\n", p, latency:percentile(p)))
    end
    for p = 1, 99 do
        put(p)
    end
    for p = 99.1, 99.95, 0.1 do
        put(p)
    end
    put(99.99)
    f:write(string.format("100 %d\n", latency.max))  -- percentile(100) reads 0
    f:close()
end
