#!lua name=bense_wechat
-- The WeChat callback store: one string per callback, bense:{user:<openid>}:cb:<endpoint>:<dedupe key>.
-- Its value is a state, and once the handler has finished, the plain reply XML after a newline:
--   running           the first delivery claimed it and its handler is working
--   late              a waiter's deadline passed first: the reply must go out later, not in a response
--   running\n<reply>  the reply is stored: done, unless the callback's late mark (below) is set
--   late\n<reply>     the same as running\n<reply> with the mark: what give-up returns for it
-- The late mark, <callback>:late, exists when a waiter gave up while the handler was still
-- working: the reply was queued to go out later, so no response may carry it too.
-- The claim is a native SET NX and the finish a native SET GET (callback_store.cpp): the
-- finish learns from the value it replaced whether a waiter gave up first, and give-up below
-- changes only a bare "running", so the handler finishing and a waiter giving up can never
-- both deliver the reply, or both drop it, whatever instance each runs on. Only give-up, rare,
-- needs a read-then-write here.

-- KEYS[1] the callback, KEYS[2] its late mark; ARGV[1] the mark's time to live in ms. A
-- waiter's deadline has passed: marks a running callback late and returns 'late'; returns a
-- stored reply as late\n<reply> when the mark is set; else returns the value as it is (nil
-- when gone).
local function give_up(keys, args)
    local cur = redis.call('GET', keys[1])
    if cur == 'running' then
        redis.call('SET', keys[1], 'late', 'KEEPTTL')
        redis.call('SET', keys[2], '1', 'PX', args[1])
        return 'late'
    end
    if cur and redis.call('EXISTS', keys[2]) == 1 then
        local nl = string.find(cur, '\n', 1, true)
        if nl then return 'late' .. string.sub(cur, nl) end
    end
    return cur
end

redis.register_function('bense_wx_give_up', give_up)
