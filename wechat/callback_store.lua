#!lua name=bense_wechat
-- The WeChat callback store: one hash per callback, bense:{user:<openid>}:wx:<endpoint>:<dedupe key>,
-- with `state` and `reply` (the plain reply XML). States:
--   running     the first delivery claimed it and its handler is working
--   late        a waiter's deadline passed first: the reply must go out later, not in a response
--   done        the reply is stored; every retry gets it
--   sent_later  the reply came after a waiter gave up and was queued for sending later
-- Each function is one read-then-write, so the handler finishing and a waiter giving up can
-- never both deliver the reply, or both drop it, whatever instance each runs on.

-- KEYS[1] the callback hash; KEYS[2], optional, a key of the sender's own state (in the same
-- hash slot) that the handler will need; ARGV[1] TTL in ms.
-- Returns {'claimed', '', state} to the first delivery (state: KEYS[2]'s string value, or
-- false when it has none), else {state, reply} of the one before. Reading the handler's state
-- here saves the first delivery a round trip.
local function claim(keys, args)
    local cur = redis.call('HMGET', keys[1], 'state', 'reply')
    if cur[1] then
        return {cur[1], cur[2] or ''}
    end
    redis.call('HSET', keys[1], 'state', 'running')
    redis.call('PEXPIRE', keys[1], args[1])
    local user_state = false
    if keys[2] then
        user_state = redis.call('GET', keys[2])
    end
    return {'claimed', '', user_state}
end

-- KEYS[1] the callback hash; ARGV[1] the plain reply XML, ARGV[2] TTL in ms.
-- Returns 'late' when a waiter has already answered "success" (the caller queues the reply
-- for later), else 'stored'.
local function finish(keys, args)
    local state = redis.call('HGET', keys[1], 'state')
    local outcome = 'stored'
    local next_state = 'done'
    if state == 'late' then
        outcome = 'late'
        next_state = 'sent_later'
    end
    redis.call('HSET', keys[1], 'state', next_state, 'reply', args[1])
    redis.call('PEXPIRE', keys[1], args[2])
    return outcome
end

-- KEYS[1] the callback hash. A waiter's deadline has passed: returns {'done', reply} when
-- the reply made it after all, else marks a running callback late and returns {state, ''}.
local function give_up(keys, args)
    local cur = redis.call('HMGET', keys[1], 'state', 'reply')
    if cur[1] == 'done' then
        return {'done', cur[2] or ''}
    end
    if cur[1] == 'running' then
        redis.call('HSET', keys[1], 'state', 'late')
        return {'late', ''}
    end
    return {cur[1] or 'gone', ''}
end

redis.register_function('bense_wx_claim', claim)
redis.register_function('bense_wx_finish', finish)
redis.register_function('bense_wx_give_up', give_up)
