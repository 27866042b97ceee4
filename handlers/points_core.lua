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

-- The points of `action` a member earned on `day`, from the member's field d:<action>:
-- "<day>=<points>" for the last two days it was counted on. One field per action in the
-- member's hash rather than a key per day: it is read and written with the totals, in the
-- same two calls, and never grows. The day before is kept for a server whose clock is a
-- moment behind at midnight.
local function day_points(counted, day)
    for d, n in string.gmatch(counted or '', '([^=,]+)=(%-?%d+)') do
        if d == day then return tonumber(n) end
    end
    return 0
end

-- Field d:<action>'s value after `points` more on `day`: that day's count and the latest
-- other day's.
local function day_count(counted, day, points)
    local out, other, other_n = day .. '=' .. string.format('%d', day_points(counted, day) + points), nil, nil
    for d, n in string.gmatch(counted or '', '([^=,]+)=(%-?%d+)') do
        if d ~= day and (not other or d > other) then other, other_n = d, n end
    end
    if other then out = out .. ',' .. other .. '=' .. other_n end
    return out
end

-- The member's fields that the caps and the totals of `action` start from, read in one call:
-- {total, year, action_year, day_counts} (numbers, and d:<action>'s value or nil).
local function member_totals(mkey, action, year)
    local v = redis.call('HMGET', mkey, 'total', 'y:' .. year, 'y:' .. year .. ':' .. action, 'd:' .. action)
    return {total = tonumber(v[1] or '0'), year = tonumber(v[2] or '0'), action_year = tonumber(v[3] or '0'),
        day_counts = v[4] or nil}
end

-- Points granted after the caps, from the member's totals `t` (member_totals()):
-- (granted, capped).
local function apply_caps(t, asked, daily_cap, yearly_cap, day)
    local granted, capped = asked, ''
    if asked > 0 then
        if daily_cap > 0 then
            local left = daily_cap - day_points(t.day_counts, day)
            if left < granted then granted, capped = math.max(left, 0), 'daily' end
        end
        if yearly_cap > 0 then
            local left = yearly_cap - t.action_year
            if left < granted then granted, capped = math.max(left, 0), 'yearly' end
        end
    end
    return granted, capped
end

-- Adds to fields of hash `key`: `changes` is {field, by, field, by ...}. Several fields are
-- read in one call and written in one, not one HINCRBY each: each call costs more than the
-- command itself.
local function add_fields(key, changes)
    local names = {}
    for i = 1, #changes, 2 do names[#names + 1] = changes[i] end
    local current = redis.call('HMGET', key, unpack(names))
    local out = {}
    for i = 1, #changes, 2 do
        out[#out + 1] = changes[i]
        out[#out + 1] = string.format('%d', tonumber(current[(i + 1) / 2] or '0') + changes[i + 1])
    end
    redis.call('HSET', key, unpack(out))
end

-- "2026H2" for the Beijing day "2026-12-01": the half-year a branch is assessed by.
local function half_of(day)
    if not day or day == '' then return nil end
    return string.sub(day, 1, 4) .. 'H' .. (tonumber(string.sub(day, 6, 7)) <= 6 and '1' or '2')
end

-- The branch's field counting entries of `action` in the half-year of `day` (how many
-- lectures a branch published, whatever the caps left of their points); nil without a day.
local function count_field(action, day)
    local half = half_of(day)
    return half and ('n:' .. half .. ':' .. action) or nil
end

-- Adds `points` to the member's and the branch's totals of `year` (and to the day's count
-- of `action`, which the daily cap reads, when `day` is given). `t` is the member's totals as
-- member_totals() read them (nil: read here). `counted` (a count_field()) is one more entry
-- counted in the same write of the branch's totals. With `batch` (many grants in one call) the
-- branch's changes are kept for flush_branch_totals(), one write for the whole batch.
local function add_totals(mkey, branch, action, points, day, year, counted, t, batch)
    local bkey = P .. 'points:branch:' .. branch
    if points == 0 then
        if counted then redis.call('HINCRBY', bkey, counted, 1) end
        return
    end
    t = t or member_totals(mkey, action, year)
    local m = {'total', string.format('%d', t.total + points), 'y:' .. year, string.format('%d', t.year + points),
        'y:' .. year .. ':' .. action, string.format('%d', t.action_year + points)}
    if day then
        m[#m + 1] = 'd:' .. action
        m[#m + 1] = day_count(t.day_counts, day, points)
    end
    redis.call('HSET', mkey, unpack(m))
    local b = {'y:' .. year, points, 'total', points}
    if counted then
        b[#b + 1] = counted
        b[#b + 1] = 1
    end
    if not batch then return add_fields(bkey, b) end
    local kept = batch.branches[bkey]
    if not kept then
        kept = {}
        batch.branches[bkey] = kept
        batch.branch_order[#batch.branch_order + 1] = bkey
    end
    for i = 1, #b, 2 do kept[b[i]] = (kept[b[i]] or 0) + b[i + 1] end
end

-- Writes the branches' totals that add_totals() kept for `batch`: one read and one write per
-- branch, whatever the number of grants.
local function flush_branch_totals(batch)
    for _, bkey in ipairs(batch.branch_order) do
        local changes = {}
        for field, by in pairs(batch.branches[bkey]) do
            changes[#changes + 1] = field
            changes[#changes + 1] = by
        end
        add_fields(bkey, changes)
    end
end

-- Counts one more (or, with -1, one less) entry of `action` in the branch's half-year.
local function count_entry(branch, action, day, by)
    local field = count_field(action, day)
    if field then redis.call('HINCRBY', P .. 'points:branch:' .. branch, field, by) end
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
-- written with 0 points and status 'pending' until a secretary decides. With `fresh` the
-- caller knows that `ref` cannot have been applied (it has just made the record that the
-- reference is only ever granted with), and it is not looked up. With `batch` the branch's
-- totals wait for flush_branch_totals() (add_totals()). {'ok', 'awarded'|'duplicate', entry
-- id, points granted, capped ('', 'daily', 'yearly'), status}.
local function grant(no, branch, rule, ref, by, acting_for, at, day, year, reason, pending, fresh, batch)
    local mkey = P .. 'points:' .. no
    if not fresh then
        local done = redis.call('HGET', mkey .. ':refs', ref)
        if done then return duplicate(mkey, done) end
    end
    local action, asked = rule.action, rule.points
    local granted, capped, status, t = 0, '', 'pending', nil
    if not pending then
        t = member_totals(mkey, action, year)
        granted, capped = apply_caps(t, asked, rule.daily_cap, rule.yearly_cap, day)
        status = ''
    end
    local id = append(mkey, ref, {'action', action, 'points', granted, 'asked', asked, 'rule_version', rule.version,
        'reference', ref, 'by', by, 'for', acting_for, 'at', at, 'day', day, 'year', year, 'reason', reason,
        'capped', capped, 'status', status})
    if pending then
        redis.call('HSET', P .. 'points:pending:' .. branch, no .. ' ' .. id, at)
    else
        -- The day's count only feeds a daily cap: without one, it is not kept.
        add_totals(mkey, branch, action, granted, rule.daily_cap > 0 and day or nil, year,
            asked > 0 and count_field(action, day) or nil, t, batch)
    end
    return {'ok', 'awarded', id, granted, capped, status}
end
