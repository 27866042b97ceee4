-- Who a mini-program session is: shared by the roster (bense_roster, which opens and reads
-- sessions) and the activities (bense_activity), whose member check-in finds its caller in
-- the same step as the check-in itself, one call to Redis instead of two. The build puts
-- this file right after each library's first line; it is not a library of its own. Keys:
-- see roster.lua.

local session_prefix = 'bense:{roster}:session:'
local ident_prefix = 'bense:{roster}:ident:'

-- Session `hash`'s fields {ident, slid_at}, with `binding` also {..., member, proxy} (the
-- copy of its identity's binding), or nil when there is no such session. Slides its expiry
-- to `ttl_ms` at most once an hour (`now`, Unix seconds): every request would otherwise be a
-- write (and a line of the append-only file), and an hour is nothing against a month. When
-- it last slid is read with the identity, in one call: each call costs more than the command.
local function session_fields(hash, ttl_ms, now, binding)
    local key = session_prefix .. hash
    local s
    if binding then
        s = redis.call('HMGET', key, 'ident', 'slid_at', 'member', 'proxy')
    else
        s = redis.call('HMGET', key, 'ident', 'slid_at')
    end
    if not s[1] then return nil end
    -- Both are numbers as text: `-` converts each once, tonumber() twice (points_core.lua).
    if now - (s[2] or 0) >= 3600 then  -- a session from before slid_at slides now
        redis.call('PEXPIRE', key, ttl_ms)
        redis.call('HSET', key, 'slid_at', now)
    end
    return s
end

-- The identity of session `hash`, or nil when there is no such session (sliding as above).
local function session_ident(hash, ttl_ms, now)
    local s = session_fields(hash, ttl_ms, now, false)
    return s and s[1]
end

-- The member number an identity is bound to and whether it is a family proxy's ('1' or '0'),
-- or nil when it is bound to nobody.
local function binding_of(ident)
    local b = redis.call('HMGET', ident_prefix .. ident, 'member', 'proxy')
    if not b[1] then return nil end
    return b[1], b[2] or '0'
end

-- The identity of session `hash` and whom it acts for: (ident, member number, proxy '1' or
-- '0'), the member nil when the identity is bound to nobody; nil when there is no such
-- session. The session carries a copy of its identity's binding (copy_binding() in
-- roster.lua keeps it); one opened before sessions carried it reads the identity.
local function session_binding(hash, ttl_ms, now)
    local s = session_fields(hash, ttl_ms, now, true)
    if not s then return nil end
    if s[3] then return s[1], s[3], s[4] or '0' end
    return s[1], binding_of(s[1])
end
