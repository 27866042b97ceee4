-- Who a mini-program session is: shared by the roster (bense_roster, which opens and reads
-- sessions) and the activities (bense_activity), whose member check-in finds its caller in
-- the same step as the check-in itself, one call to Redis instead of two. The build puts
-- this file right after each library's first line; it is not a library of its own. Keys:
-- see roster.lua.

local session_prefix = 'bense:{roster}:session:'
local ident_prefix = 'bense:{roster}:ident:'

-- The identity of session `hash`, or nil when there is no such session. Slides its expiry
-- to `ttl_ms` at most once an hour (`now`, Unix seconds): every request would otherwise be a
-- write (and a line of the append-only file), and an hour is nothing against a month. When
-- it last slid is read with the identity, in one call: each call costs more than the command.
local function session_ident(hash, ttl_ms, now)
    local key = session_prefix .. hash
    local s = redis.call('HMGET', key, 'ident', 'slid_at')
    if not s[1] then return nil end
    -- Both are numbers as text: `-` converts each once, tonumber() twice (points_core.lua).
    if now - (s[2] or 0) >= 3600 then  -- a session from before slid_at slides now
        redis.call('PEXPIRE', key, ttl_ms)
        redis.call('HSET', key, 'slid_at', now)
    end
    return s[1]
end

-- The member number an identity is bound to and whether it is a family proxy's ('1' or '0'),
-- or nil when it is bound to nobody.
local function binding_of(ident)
    local b = redis.call('HMGET', ident_prefix .. ident, 'member', 'proxy')
    if not b[1] then return nil end
    return b[1], b[2] or '0'
end
