#!lua name=bense_points
-- Learning points (学习积分): an append-only ledger per member, applied once per reference.
-- In the {roster} slot, beside the members it credits, so that an award, its caps, the
-- member's totals and the branch's aggregate move in one atomic step (KEYS[1] is the roster's
-- audit stream, the key a cluster routes by; the ledger is its own history).
--   P points:<no>:ledger       stream: action points asked rule_version reference by for at reason capped
--   P points:<no>:refs         hash reference -> ledger entry id (the once-only guard, durable)
--   P points:<no>              hash total, y:<year>, y:<year>:<action>
--   P points:<no>:day:<day>    hash action -> points that day; gone three days later
--   P points:branch:<id>       hash y:<year>, total
-- Points are encouragement and a personal record: nothing here ranks members.

local P = 'bense:{roster}:'

local function err(code, detail)
    return {'err', code, detail or ''}
end

-- ARGV: member action points daily_cap yearly_cap rule_version reference acted_by acting_for
--       at day year reason
-- Positive points are cut to what the daily and yearly caps leave (possibly 0: the entry is
-- still written, with the cap that applied, so the member sees why). Negative points (a
-- deduction or a reversal) are never capped. Answers {'ok', 'awarded'|'duplicate', entry id,
-- points granted, capped ('', 'daily', 'yearly')}.
local function award(keys, args)
    local no, action, asked = args[1], args[2], tonumber(args[3])
    local daily_cap, yearly_cap, version, ref = tonumber(args[4]), tonumber(args[5]), args[6], args[7]
    local by, acting_for, at, day, year, reason = args[8], args[9], args[10], args[11], args[12], args[13]
    local mkey = P .. 'points:' .. no
    local done = redis.call('HGET', mkey .. ':refs', ref)
    if done then
        local e = redis.call('XRANGE', mkey .. ':ledger', done, done)
        local f = e[1] and e[1][2] or {}
        local granted, capped = '0', ''
        for i = 1, #f, 2 do
            if f[i] == 'points' then granted = f[i + 1] end
            if f[i] == 'capped' then capped = f[i + 1] end
        end
        return {'ok', 'duplicate', done, tonumber(granted), capped}
    end
    local branch = redis.call('HGET', P .. 'member:' .. no, 'branch')
    if not branch then return err('member.not_found') end
    local daykey = mkey .. ':day:' .. day
    local granted, capped = asked, ''
    if asked > 0 then
        if daily_cap > 0 then
            local left = daily_cap - tonumber(redis.call('HGET', daykey, action) or '0')
            if left < granted then granted, capped = math.max(left, 0), 'daily' end
        end
        if yearly_cap > 0 then
            local left = yearly_cap - tonumber(redis.call('HGET', mkey, 'y:' .. year .. ':' .. action) or '0')
            if left < granted then granted, capped = math.max(left, 0), 'yearly' end
        end
    end
    local id = redis.call('XADD', mkey .. ':ledger', '*', 'action', action, 'points', granted, 'asked', asked,
        'rule_version', version, 'reference', ref, 'by', by, 'for', acting_for, 'at', at, 'reason', reason,
        'capped', capped)
    redis.call('HSET', mkey .. ':refs', ref, id)
    if granted ~= 0 then
        redis.call('HINCRBY', mkey, 'total', granted)
        redis.call('HINCRBY', mkey, 'y:' .. year, granted)
        redis.call('HINCRBY', mkey, 'y:' .. year .. ':' .. action, granted)
        redis.call('HINCRBY', daykey, action, granted)
        redis.call('EXPIRE', daykey, 3 * 86400)
        redis.call('HINCRBY', P .. 'points:branch:' .. branch, 'y:' .. year, granted)
        redis.call('HINCRBY', P .. 'points:branch:' .. branch, 'total', granted)
    end
    return {'ok', 'awarded', id, granted, capped}
end

-- ARGV: member year before count. {'ok', lifetime total, total of that year, entries}: the
-- ledger newest first, `count` entries older than `before` ('' for the newest).
local function points_history(keys, args)
    local mkey = P .. 'points:' .. args[1]
    local t = redis.call('HMGET', mkey, 'total', 'y:' .. args[2])
    local upto = '+'
    if args[3] ~= '' then upto = '(' .. args[3] end
    local entries = redis.call('XREVRANGE', mkey .. ':ledger', upto, '-', 'COUNT', args[4])
    return {'ok', tonumber(t[1] or '0'), tonumber(t[2] or '0'), entries}
end

redis.register_function('bense_points_award', award)
redis.register_function{function_name = 'bense_points_history', callback = points_history, flags = {'no-writes'}}
