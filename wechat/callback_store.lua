#!lua name=bense_wechat
-- The WeChat callback store: one string per callback, bense:{user:<openid>}:cb:<endpoint>:<dedupe key>.
-- Its value is a state, and once the handler has finished, the plain reply XML after a newline:
--   running           the first delivery claimed it and its handler is working
--   late              a waiter's deadline passed first: the reply must go out later, not in a response
--   running\n<reply>  done: the reply is stored; every retry gets it
--   late\n<reply>     the reply came after a waiter gave up and was queued for sending later
-- The claim is a native SET NX, the finish a native APPEND (callback_store.cpp): appending
-- freezes the state in front, and give-up below changes only a bare "running", so the handler
-- finishing and a waiter giving up can never both deliver the reply, or both drop it, whatever
-- instance each runs on. Only give-up, rare, needs a read-then-write here.

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

redis.register_function('bense_wx_give_up', give_up)
