-- The points ledger's steps, shared by the bense_points library and the activities'
-- (bense_activity), so that a check-in and its points are one atomic step. The build puts
-- this file right after each library's first line; it is not a library of its own. Keys:
-- see points.lua.

local P = 'bense:{roster}:'

local function err(code, detail)
    return {'err', code, detail or ''}
end

-- Numbers on the busy paths (a check-in, an award), measured with callgrind on redis-server:
-- Lua 5.1's tonumber(s) converts a string twice (strtod in lua_isnumber, then again in
-- lua_tonumber), `s + 0` once; a number handed to redis.call() is formatted with "%.17g"
-- and a number in an answer or a concatenation with "%.14g", each a slow float print. So a
-- string known to hold a number (ours, or the server's) is converted by `+ 0`, and a number
-- that came in as text (a rule's points, a time) goes on as that text.

-- A batch's answer of several fields is one string, the fields joined by newlines: the server
-- reads one reply an answer instead of one a field. Only the last field may hold a newline
-- (packed_fields() in handlers/roster_store.hpp reads them). Each is joined by one chain of
-- `..`, which Lua makes in one step: a table and table.concat() cost a check-in tap about 4,000
-- instructions more (callgrind on redis-server, see README.md).

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
    return {'ok', 'duplicate', id, f.points or '0', f.capped or '', f.status or ''}
end

-- The points of `action` a member earned on `day`, from the member's field d:<action>:
-- "<day>=<points>" for the last two days it was counted on. One field per action in the
-- member's hash rather than a key per day: it is read and written with the totals, in the
-- same two calls, and never grows. The day before is kept for a server whose clock is a
-- moment behind at midnight.
local function day_points(counted, day)
    for d, n in string.gmatch(counted or '', '([^=,]+)=(%-?%d+)') do
        if d == day then return n + 0 end
    end
    return 0
end

-- Field d:<action>'s value after `points` more on `day` (`today`: day_points() of it): that
-- day's count and the latest other day's.
local function day_count(counted, day, today, points)
    local out, other, other_n = day .. '=' .. string.format('%d', today + points), nil, nil
    for d, n in string.gmatch(counted or '', '([^=,]+)=(%-?%d+)') do
        if d ~= day and (not other or d > other) then other, other_n = d, n end
    end
    if other then out = out .. ',' .. other .. '=' .. other_n end
    return out
end

-- The once-only guard of a member's references: field r:<reference> of the member's hash, the
-- ledger entry that applied it. It is read with the totals and written with them (two calls
-- fewer a grant than a hash of its own). Field refs = 'in' says that the member's references
-- are all there: they were once kept in a hash of their own, points:<no>:refs.
local function ref_field(ref)
    return 'r:' .. ref
end

-- Moves member `mkey`'s references out of their old hash, once per member (the first time
-- the member is touched after the upgrade). Returns the old hash as a table, reference ->
-- entry ({} when there was none). Every later write of the member's hash carries the marker.
local function refs_moved(mkey)
    local old_key = mkey .. ':refs'
    local old = redis.call('HGETALL', old_key)
    local by_ref = {}
    if #old == 0 then return by_ref end
    -- In slices: unpack() of a long-lived member's thousands of fields would overflow Lua's stack.
    for first = 1, #old, 1000 do
        local fields = {'refs', 'in'}
        for i = first, math.min(first + 999, #old), 2 do
            by_ref[old[i]] = old[i + 1]
            fields[#fields + 1] = ref_field(old[i])
            fields[#fields + 1] = old[i + 1]
        end
        redis.call('HSET', mkey, unpack(fields))
    end
    redis.call('DEL', old_key)
    return by_ref
end

-- The member's fields that a grant of `action` starts from, read in one call: {total, year,
-- action_year, day_counts (d:<action>'s value or nil), done (the entry that applied `ref`, or
-- nil; `ref` nil: not asked), year_field and action_field (their names, made once)}. With
-- `no_day` the day's count is not asked either (a rule without a daily cap keeps none): a
-- field the hash lacks is a scan of all of it while the hash is small, and a member's hash
-- holds a reference for every entry.
local function member_totals(mkey, action, year, ref, no_day)
    local year_field = 'y:' .. year
    local action_field = year_field .. ':' .. action
    local v = redis.call('HMGET', mkey, 'total', year_field, action_field,
        no_day and 'refs' or 'd:' .. action, 'refs', ref and ref_field(ref) or 'refs')
    local t = {total = (v[1] or 0) + 0, year = (v[2] or 0) + 0, action_year = (v[3] or 0) + 0,
        day_counts = not no_day and v[4] or nil, done = ref and v[6] or nil,
        year_field = year_field, action_field = action_field}
    if not v[5] then
        local old = refs_moved(mkey)
        if ref then t.done = old[ref] end
    end
    return t
end

-- The entry that applied `ref` to the member, or nil.
local function ref_done(mkey, ref)
    local v = redis.call('HMGET', mkey, 'refs', ref_field(ref))
    if v[1] then return v[2] or nil end
    return refs_moved(mkey)[ref]
end

-- The points of the rule's action the member earned on `day`, read from `t` (member_totals())
-- once: the cap and the write both need it.
local function today_of(t, day)
    if not t.today then t.today = day_points(t.day_counts, day) end
    return t.today
end

-- Points granted after the caps, from the member's totals `t` (member_totals()):
-- (granted, capped).
local function apply_caps(t, asked, daily_cap, yearly_cap, day)
    local granted, capped = asked, ''
    if asked > 0 then
        if daily_cap > 0 then
            local left = daily_cap - today_of(t, day)
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

-- count_field(), made once per day and action for all of `batch`'s grants (or now, without).
local function batch_count_field(batch, action, day)
    if not batch then return count_field(action, day) end
    batch.count_fields = batch.count_fields or {}
    local by_action = batch.count_fields[day or '']
    if not by_action then
        by_action = {}
        batch.count_fields[day or ''] = by_action
    end
    local field = by_action[action]
    if field == nil then
        field = count_field(action, day) or false
        by_action[action] = field
    end
    return field or nil
end

-- The changes to branch totals `bkey` that `batch` keeps for flush_branch_totals(): field -> by.
local function kept_for_branch(batch, bkey)
    local kept = batch.branches[bkey]
    if not kept then
        kept = {}
        batch.branches[bkey] = kept
        batch.branch_order[#batch.branch_order + 1] = bkey
    end
    return kept
end

-- Writes `points` more to the member's and the branch's totals of `year` (and to the day's
-- count of `action`, which the daily cap reads, when `day` is given), with the reference of
-- the entry that granted them: `applied` is {ref, entry id}, written in the same call as the
-- member's totals. `t` is the member's totals as member_totals() read them (nil: read here).
-- `counted` (a count_field()) is one more entry counted in the same write of the branch's
-- totals. With `batch` (many grants in one call) the branch's changes are kept for
-- flush_branch_totals(), one write for the whole batch.
local function add_totals(mkey, branch, action, points, day, year, counted, t, batch, applied)
    local bkey = P .. 'points:branch:' .. branch
    if points == 0 then  -- nothing earned (a cap reached): the reference, and the branch's count
        redis.call('HSET', mkey, ref_field(applied[1]), applied[2], 'refs', 'in')
        if counted and batch then
            local kept = kept_for_branch(batch, bkey)
            kept[counted] = (kept[counted] or 0) + 1
        elseif counted then
            redis.call('HINCRBY', bkey, counted, 1)
        end
        return
    end
    t = t or member_totals(mkey, action, year, nil, not day)
    local ref, id = ref_field(applied[1]), applied[2]
    local total = string.format('%d', t.total + points)
    local year_total = string.format('%d', t.year + points)
    local action_total = string.format('%d', t.action_year + points)
    -- The fields straight into the call (no table and unpack()): every award and check-in
    -- that earns points comes here.
    if day then
        redis.call('HSET', mkey, ref, id, 'refs', 'in', 'total', total, t.year_field, year_total,
            t.action_field, action_total, 'd:' .. action, day_count(t.day_counts, day, today_of(t, day), points))
    else
        redis.call('HSET', mkey, ref, id, 'refs', 'in', 'total', total, t.year_field, year_total,
            t.action_field, action_total)
    end
    if not batch then
        local b = {t.year_field, points, 'total', points}
        if counted then
            b[5], b[6] = counted, 1
        end
        return add_fields(bkey, b)
    end
    local kept = kept_for_branch(batch, bkey)
    kept[t.year_field] = (kept[t.year_field] or 0) + points
    kept.total = (kept.total or 0) + points
    if counted then kept[counted] = (kept[counted] or 0) + 1 end
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

-- Appends an entry to the member's ledger; its reference is marked applied with the
-- member's totals (add_totals(), or the pending write of grant()).
local function append(mkey, fields)
    return redis.call('XADD', mkey .. ':ledger', '*', unpack(fields))
end

-- Applies `rule` ({action, points, daily_cap, yearly_cap, version, and optionally
-- points_text: the points as the caller wrote them}) to member `no` of `branch` once per
-- reference `ref`. Positive points are cut to what the daily and yearly
-- caps leave (possibly 0: the entry is still written, with the cap that applied, so the member
-- sees why); negative points (a deduction) are never capped. With `pending` the entry is
-- written with 0 points and status 'pending' until a secretary decides. With `fresh` the
-- caller knows that `ref` cannot have been applied (it has just made the record that the
-- reference is only ever granted with), and it is not looked up. With `batch` the branch's
-- totals wait for flush_branch_totals() (add_totals()). {'ok', 'awarded'|'duplicate', entry
-- id, points granted (as text), capped ('', 'daily', 'yearly'), status}.
local function grant(no, branch, rule, ref, by, acting_for, at, day, year, reason, pending, fresh, batch)
    local mkey = P .. 'points:' .. no
    local action, asked = rule.action, rule.points
    local t = member_totals(mkey, action, year, not fresh and ref or nil, rule.daily_cap <= 0)
    if t.done then return duplicate(mkey, t.done) end
    local granted, capped, status = 0, '', 'pending'
    if not pending then
        granted, capped = apply_caps(t, asked, rule.daily_cap, rule.yearly_cap, day)
        status = ''
    end
    -- As text (see the top of this file); the rule's own when nothing was cut.
    local asked_text = rule.points_text or string.format('%d', asked)
    local granted_text = granted == asked and asked_text or string.format('%d', granted)
    -- The entry's fields straight into the call, not through a table and unpack() as append()
    -- does: this is every check-in's and every award's entry.
    local id = redis.call('XADD', mkey .. ':ledger', '*', 'action', action, 'points', granted_text, 'asked', asked_text,
        'rule_version', rule.version, 'reference', ref, 'by', by, 'for', acting_for, 'at', at, 'day', day,
        'year', year, 'reason', reason, 'capped', capped, 'status', status)
    if pending then
        redis.call('HSET', mkey, ref_field(ref), id, 'refs', 'in')
        redis.call('HSET', P .. 'points:pending:' .. branch, no .. ' ' .. id, at)
    else
        -- The day's count only feeds a daily cap: without one, it is not kept.
        add_totals(mkey, branch, action, granted, rule.daily_cap > 0 and day or nil, year,
            asked > 0 and batch_count_field(batch, action, day) or nil, t, batch, {ref, id})
    end
    return {'ok', 'awarded', id, granted_text, capped, status}
end
