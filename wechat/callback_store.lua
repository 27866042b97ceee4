#!lua name=bense_wechat
-- The WeChat callback store: one string per callback, bense:{user:<openid>}:cb:<endpoint>:<dedupe key>.
-- Its value is the state, and for the last two the plain reply XML after a newline:
--   running              the first delivery claimed it and its handler is working
--   late                 a waiter's deadline passed first: the reply must go out later, not in a response
--   done\n<reply>        the reply is stored; every retry gets it
--   sent_later\n<reply>  the reply came after a waiter gave up and was queued for sending later
-- The claim is a plain SET NX (callback_store.cpp). Finish and give-up are a read-then-write
-- each, here, so that the handler finishing and a waiter giving up can never both deliver the
-- reply, or both drop it, whatever instance each runs on. Each redis.call costs about as much
-- as a whole native command, so the common path makes one.

-- KEYS[1] the callback; ARGV[1] the plain reply XML, ARGV[2] TTL in ms.
-- Returns 'late' when a waiter has already answered "success" (the caller queues the reply
-- for later), else 'stored'.
local function finish(keys, args)
    local before = redis.call('SET', keys[1], 'done\n' .. args[1], 'PX', args[2], 'GET')
    if before == 'late' then
        redis.call('SET', keys[1], 'sent_later\n' .. args[1], 'PX', args[2])
        return 'late'
    end
    return 'stored'
end

-- KEYS[1] the callback. A waiter's deadline has passed: marks a running callback late and
-- returns 'late'; else returns the value as it is (nil when gone).
local function give_up(keys, args)
    local cur = redis.call('GET', keys[1])
    if cur == 'running' then
        redis.call('SET', keys[1], 'late', 'KEEPTTL')
        return 'late'
    end
    return cur
end

redis.register_function('bense_wx_finish', finish)
redis.register_function('bense_wx_give_up', give_up)
