-- The points ledger's steps, shared by the bense_points library and the activities'
-- (bense_activity), so that a check-in and its points are one atomic step. The build puts
-- this file right after each library's first line; it is not a library of its own. Keys:
-- see points.lua.

local P = 'bense:{roster}:'

local function err(code, detail)
    return {'err', code, detail or ''}
end

-- The fields of ledger entry `id` of member key `mkey` as a table; nil when there is none.
local function entry_of(mkey, id)
    local e = redis.call('XRANGE', mkey .. ':ledger', id, id)
    if not e[1] then return nil end
    local t, f = {}, e[1][2]
    for i = 1, #f, 2 do t[f[i]] = f[i + 1] end
    return t
end

-- The answer for a reference already applied: what that entry granted.
local function duplicate(mkey, id)
    local f = entry_of(mkey, id) or {}
    return {'ok', 'duplicate', id, tonumber(f.points or '0'), f.capped or '', f.status or ''}
end

-- Points granted after the caps of `action` for member key `mkey`: (granted, capped).
local function apply_caps(mkey, action, asked, daily_cap, yearly_cap, day, year)
    local granted, capped = asked, ''
    if asked > 0 then
        if daily_cap > 0 then
            local left = daily_cap - tonumber(redis.call('HGET', mkey .. ':day:' .. day, action) or '0')
            if left < granted then granted, capped = math.max(left, 0), 'daily' end
        end
        if yearly_cap > 0 then
            local left = yearly_cap - tonumber(redis.call('HGET', mkey, 'y:' .. year .. ':' .. action) or '0')
            if left < granted then granted, capped = math.max(left, 0), 'yearly' end
        end
    end
    return granted, capped
end

-- Adds `points` to the member's and the branch's totals of `year` (and to the day's count
-- of `action`, which the daily cap reads, when `day` is given).
local function add_totals(mkey, branch, action, points, day, year)
    if points == 0 then return end
    redis.call('HINCRBY', mkey, 'total', points)
    redis.call('HINCRBY', mkey, 'y:' .. year, points)
    redis.call('HINCRBY', mkey, 'y:' .. year .. ':' .. action, points)
    if day then
        redis.call('HINCRBY', mkey .. ':day:' .. day, action, points)
        redis.call('EXPIRE', mkey .. ':day:' .. day, 3 * 86400)
    end
    redis.call('HINCRBY', P .. 'points:branch:' .. branch, 'y:' .. year, points)
    redis.call('HINCRBY', P .. 'points:branch:' .. branch, 'total', points)
end

-- "2026H2" for the Beijing day "2026-12-01": the half-year a branch is assessed by.
local function half_of(day)
    if not day or day == '' then return nil end
    return string.sub(day, 1, 4) .. 'H' .. (tonumber(string.sub(day, 6, 7)) <= 6 and '1' or '2')
end

-- Counts one more (or, with -1, one less) entry of `action` in the branch's half-year: how
-- many lectures a branch published, whatever the caps left of their points.
local function count_entry(branch, action, day, by)
    local half = half_of(day)
    if half then redis.call('HINCRBY', P .. 'points:branch:' .. branch, 'n:' .. half .. ':' .. action, by) end
end

-- Appends an entry to the member's ledger and marks `ref` as applied by it.
local function append(mkey, ref, fields)
    local id = redis.call('XADD', mkey .. ':ledger', '*', unpack(fields))
    redis.call('HSET', mkey .. ':refs', ref, id)
    return id
end

-- Applies `rule` ({action, points, daily_cap, yearly_cap, version}) to member `no` of
-- `branch` once per reference `ref`. Positive points are cut to what the daily and yearly
-- caps leave (possibly 0: the entry is still written, with the cap that applied, so the member
-- sees why); negative points (a deduction) are never capped. With `pending` the entry is
-- written with 0 points and status 'pending' until a secretary decides. {'ok', 'awarded'|
-- 'duplicate', entry id, points granted, capped ('', 'daily', 'yearly'), status}.
local function grant(no, branch, rule, ref, by, acting_for, at, day, year, reason, pending)
    local mkey = P .. 'points:' .. no
    local done = redis.call('HGET', mkey .. ':refs', ref)
    if done then return duplicate(mkey, done) end
    local action, asked = rule.action, rule.points
    local granted, capped, status = 0, '', 'pending'
    if not pending then
        granted, capped = apply_caps(mkey, action, asked, rule.daily_cap, rule.yearly_cap, day, year)
        status = ''
    end
    local id = append(mkey, ref, {'action', action, 'points', granted, 'asked', asked, 'rule_version', rule.version,
        'reference', ref, 'by', by, 'for', acting_for, 'at', at, 'day', day, 'year', year, 'reason', reason,
        'capped', capped, 'status', status})
    if pending then
        redis.call('HSET', P .. 'points:pending:' .. branch, no .. ' ' .. id, at)
    else
        -- The day's count only feeds a daily cap: without one, it is not kept.
        add_totals(mkey, branch, action, granted, rule.daily_cap > 0 and day or nil, year)
        if asked > 0 then count_entry(branch, action, day, 1) end
    end
    return {'ok', 'awarded', id, granted, capped, status}
end
