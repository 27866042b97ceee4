#!lua name=bense_activity
-- Activities (主题党日, 三会一课, lectures ...) and who came: one record per member per
-- activity, whatever the channel (rotating code, scanned code, geofence tap, proxy) and the
-- retries. In the {roster} slot beside the members, so that a check-in is checked against the
-- member's branch and written in one atomic step (KEYS[1] is the roster's audit stream, which
-- records every change to an activity; a check-in is its own record, with who acted for whom).
--
-- Keys (P = bense:{roster}:)
--   P activity:seq              counter of activity ids: a1, a2, ...
--   P activity:<id>             hash id type title branch ('*': city-wide) start end place lat lng
--                               radius opens closes status (scheduled|cancelled) secret created_by
--                               created_at updated_at summary recorded_by recorded_at cancel_reason
--   P activities:<branch>       zset start -> id, per branch and '*' for the city-wide ones
--   P activity:<id>:checkins    hash member -> "at|channel|by|for"
--   P activity:<id>:leave       hash member -> "at|by|for|reason"
--   P fail:checkin:<member>     wrong codes typed in the last hour
--
-- Times are Unix seconds from the caller's clock (tests inject one). Answers: {'ok', ...} or
-- {'err', code[, detail]}, codes being the roster's errors.

-- P, err and the points ledger's grant() come from points_core.lua, which the build puts in
-- front of this file's code: a check-in and its points are one atomic step.

local function audit(keys, actor, origin, now, action, target, branch, detail, acting_for)
    redis.call('XADD', keys[1], '*', 'at', now, 'actor', actor, 'for', acting_for or '', 'action', action,
        'target', target or '', 'branch', branch or '', 'from', origin, 'detail', detail or '')
end

local function in_scope(scope, branch)
    return scope == '*' or scope == branch
end

local function akey(id) return P .. 'activity:' .. id end

local function split(s, sep)
    local out = {}
    for part in string.gmatch(s .. sep, '(.-)' .. sep) do out[#out + 1] = part end
    return out
end

-- The activity's fields as a table; nil when there is none.
local function activity(id)
    local flat = redis.call('HGETALL', akey(id))
    if #flat == 0 then return nil end
    local t = {}
    for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
    return t
end

-- The fields a caller may see (never the secret), as a flat array, with the counts.
local view_fields = {'id', 'type', 'title', 'branch', 'start', 'end', 'place', 'lat', 'lng', 'radius', 'opens',
    'closes', 'status', 'created_by', 'created_at', 'updated_at', 'summary', 'recorded_by', 'recorded_at',
    'cancel_reason'}
local function view_of(a)
    local v = {}
    for _, f in ipairs(view_fields) do
        v[#v + 1] = f
        v[#v + 1] = a[f] or ''
    end
    v[#v + 1] = 'checked_in'
    v[#v + 1] = tostring(redis.call('HLEN', akey(a.id) .. ':checkins'))
    v[#v + 1] = 'on_leave'
    v[#v + 1] = tostring(redis.call('HLEN', akey(a.id) .. ':leave'))
    return v
end

--------------------------------------------------------------------------------------------
-- Creating, changing, cancelling and recording

local put_fields = {'type', 'title', 'branch', 'start', 'end', 'place', 'lat', 'lng', 'radius', 'opens', 'closes'}

-- ARGV: actor origin now scope mode(create|update) id secret field value ...
-- Create: id is '' (a new one is made) and every field is given; the secret keys the rotating
-- code and is never shown. Update: the fields to change (the caller has checked them
-- together with the stored ones). A secretary acts in their own branch; city-wide ('*')
-- activities are the bureau's. {'ok', id, outcome}.
local function put(keys, args)
    local actor, origin, now, scope, mode, id, secret = unpack(args, 1, 7)
    local fields = {}
    for i = 8, #args, 2 do fields[args[i]] = args[i + 1] or '' end
    local a
    if mode == 'create' then
        a = {status = 'scheduled', secret = secret, created_by = actor, created_at = now}
    else
        a = activity(id)
        if not a then return err('activity.not_found') end
        if not in_scope(scope, a.branch) then return err('auth.forbidden') end
        if a.status == 'cancelled' then return err('activity.cancelled') end
        if fields.branch and fields.branch ~= a.branch then return err('activity.branch_fixed') end
    end
    local branch = fields.branch or a.branch
    if not in_scope(scope, branch) then return err('auth.forbidden') end
    if branch ~= '*' and redis.call('EXISTS', P .. 'branch:' .. branch) == 0 then return err('branch.not_found') end
    if mode == 'create' then
        -- Only now: a refused create leaves the counter, like everything else, as it was.
        id = 'a' .. redis.call('INCR', P .. 'activity:seq')
        a.id = id
    end
    local changed = {}
    for _, f in ipairs(put_fields) do
        local v = fields[f]
        if v and v ~= (a[f] or '') then
            a[f] = v
            changed[#changed + 1] = f
        end
    end
    if mode ~= 'create' and #changed == 0 then return {'ok', id, 'unchanged'} end
    a.updated_at = now
    local flat = {}
    for f, v in pairs(a) do
        flat[#flat + 1] = f
        flat[#flat + 1] = v
    end
    redis.call('HSET', akey(id), unpack(flat))
    redis.call('ZADD', P .. 'activities:' .. branch, a.start, id)
    audit(keys, actor, origin, now, 'activity.' .. mode, id, branch, table.concat(changed, ','))
    return {'ok', id, mode == 'create' and 'created' or 'updated'}
end

-- ARGV: actor origin now scope id reason. Cancelling keeps the activity and its records;
-- members trying to check in are told it was cancelled.
local function cancel(keys, args)
    local actor, origin, now, scope, id, reason = unpack(args, 1, 6)
    local a = activity(id)
    if not a then return err('activity.not_found') end
    if not in_scope(scope, a.branch) then return err('auth.forbidden') end
    if a.status == 'cancelled' then return {'ok', id, 'unchanged'} end
    redis.call('HSET', akey(id), 'status', 'cancelled', 'cancel_reason', reason, 'updated_at', now)
    audit(keys, actor, origin, now, 'activity.cancel', id, a.branch, reason)
    return {'ok', id, 'cancelled'}
end

-- ARGV: actor origin now scope id summary. The record after the activity (完善活动记录);
-- who attended are the check-ins (the secretary adds the missing ones as proxy check-ins).
local function record(keys, args)
    local actor, origin, now, scope, id, summary = unpack(args, 1, 6)
    local a = activity(id)
    if not a then return err('activity.not_found') end
    if not in_scope(scope, a.branch) then return err('auth.forbidden') end
    if a.status == 'cancelled' then return err('activity.cancelled') end
    if tonumber(now) < tonumber(a.start) then return err('activity.not_started') end
    redis.call('HSET', akey(id), 'summary', summary, 'recorded_by', actor, 'recorded_at', now, 'updated_at', now)
    audit(keys, actor, origin, now, 'activity.record', id, a.branch, '')
    return {'ok', id, 'recorded'}
end

--------------------------------------------------------------------------------------------
-- Reading

-- ARGV: id. {'ok', view} for any caller; the routes decide who may see it.
local function get(keys, args)
    local a = activity(args[1])
    if not a then return err('activity.not_found') end
    return {'ok', view_of(a)}
end

-- ARGV: from to member branch... The activities of the branches (and '*') starting in
-- [from, to], by start; with `member` (may be ''), each view ends with that member's state
-- ('present', 'leave' or '') and the time of it.
local function list(keys, args)
    local from, to, member = args[1], args[2], args[3]
    local all = {}
    for i = 4, #args do
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'activities:' .. args[i], from, to)) do
            local a = activity(id)
            if a then all[#all + 1] = a end
        end
    end
    table.sort(all, function(x, y)
        if tonumber(x.start) ~= tonumber(y.start) then return tonumber(x.start) < tonumber(y.start) end
        return x.id < y.id
    end)
    local out = {'ok'}
    for _, a in ipairs(all) do
        local v = view_of(a)
        if member ~= '' then
            local c = redis.call('HGET', akey(a.id) .. ':checkins', member)
            local l = redis.call('HGET', akey(a.id) .. ':leave', member)
            v[#v + 1] = 'mine'
            v[#v + 1] = (c and 'present') or (l and 'leave') or ''
            v[#v + 1] = 'mine_at'
            v[#v + 1] = (c and split(c, '|')[1]) or (l and split(l, '|')[1]) or ''
        end
        out[#out + 1] = v
    end
    return out
end

--------------------------------------------------------------------------------------------
-- The rotating code: 4 digits from the activity's secret and the time step, so that nothing
-- is stored per step and every server agrees. A forwarded code dies within a step or two.

local function code_at(secret, step)
    return string.format('%04d', tonumber(string.sub(redis.sha1hex(secret .. ':' .. step), 1, 8), 16) % 10000)
end

-- ARGV: scope id now period. {'ok', code, valid_until, title, start, closes} for the
-- activity's admins; the code of the current step.
local function code(keys, args)
    local scope, id, now, period = args[1], args[2], tonumber(args[3]), tonumber(args[4])
    local a = activity(id)
    if not a then return err('activity.not_found') end
    if not in_scope(scope, a.branch) then return err('auth.forbidden') end
    if a.status == 'cancelled' then return err('activity.cancelled') end
    if now > tonumber(a.closes) then return err('checkin.closed', a.closes) end
    local step = math.floor(now / period)
    return {'ok', code_at(a.secret, step), (step + 1) * period, a.title, a.start, a.closes}
end

-- Which open activity of the candidates `code` belongs to: the current step's code, or the
-- previous step's within `grace` seconds of the change. Returns (activity, nil) or (nil,
-- 'expired') when it is a code of the last half hour, (nil, nil) when it is no code at all.
local function match_code(candidates, typed, now, period, grace)
    local step = math.floor(now / period)
    local expired = false
    for _, a in ipairs(candidates) do
        if code_at(a.secret, step) == typed then return a end
        if now - step * period < grace and code_at(a.secret, step - 1) == typed then return a end
        for back = 1, math.ceil(1800 / period) do
            if code_at(a.secret, step - back) == typed then expired = true end
        end
    end
    return nil, expired and 'expired' or nil
end

-- The activities of the member's branch and the city-wide ones around `now` (not cancelled),
-- the member's branch first: where a typed code is looked for.
local function nearby(branch, now)
    local out = {}
    for _, b in ipairs({branch, '*'}) do
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'activities:' .. b, now - 3 * 86400, now + 86400)) do
            local a = activity(id)
            if a and a.status ~= 'cancelled' and tonumber(a.opens) <= now and now <= tonumber(a.closes) then
                out[#out + 1] = a
            end
        end
    end
    return out
end

-- Metres between two points on the Earth: the equirectangular approximation at their mean
-- latitude, within a metre of the great-circle distance up to tens of kilometres (a city).
-- One cosine and one square root: the haversine's nine maths calls were 2-3% of a geofence
-- tap's work in Redis (callgrind).
local function distance(lat1, lng1, lat2, lng2)
    local r = math.pi / 180
    local x, y = (lng2 - lng1) * math.cos((lat1 + lat2) * r / 2), lat2 - lat1
    return 6371000 * r * math.sqrt(x * x + y * y)
end

--------------------------------------------------------------------------------------------
-- Check-in and leave

-- Field `f` of activity `a` as a number: checkin_activity() converts them once per batch.
local function number_in(a, f)
    local n = a.numbers
    return n and n[f] or tonumber(a[f])
end

-- Whether member `m` (a table with branch) may take part in `a` now; an err otherwise.
local function refuse(a, m, now)
    if a.status == 'cancelled' then return err('checkin.cancelled', a.title) end
    if a.branch ~= '*' and a.branch ~= m.branch then return err('checkin.other_branch', a.title) end
    if now < number_in(a, 'opens') then return err('checkin.not_open', a.opens) end
    if now > number_in(a, 'closes') then return err('checkin.closed', a.closes) end
    return nil
end

local function member_of(no)
    local f = redis.call('HMGET', P .. 'member:' .. no, 'branch', 'status')
    if not f[1] then return nil end
    return {no = no, branch = f[1], status = f[2]}
end

-- The points rule of a check-in at `a` from `rules` ("type action points daily_cap yearly_cap
-- needs_confirmation;..." for every activity type) and the rules' version; nil for a type
-- not in it. One string rather than 66 arguments: Redis parses every argument of every call.
-- With `batch` (checkin_sessions()), a type's rule is looked up once for all its taps.
local function find_checkin_rule(rules, version, a)
    local pattern = '([%w_]+) ([%w_.]+) (%-?%d+) (%d+) (%d+) ([01]);'
    for t, action, points, daily, yearly, confirm in string.gmatch(rules, pattern) do
        if t == a.type then
            return {action = action, points = tonumber(points), points_text = points, daily_cap = tonumber(daily),
                yearly_cap = tonumber(yearly), version = version}, confirm == '1'
        end
    end
    return nil
end
local function checkin_rule(rules, version, a, batch)
    if not batch then return find_checkin_rule(rules, version, a) end
    local known = batch.rules[a.type]
    if not known then
        local rule, pending = find_checkin_rule(rules, version, a)
        known = {rule = rule, pending = pending}
        batch.rules[a.type] = known
    end
    return known.rule, known.pending
end

-- The check-in's answer: the record's, then the points' (grant()'s without its 'ok'). With
-- `batch` (checkin_sessions()), without its 'ok' and packed (points_core.lua), the title
-- last: the only text in it that a person typed, it may hold anything, newlines too.
local function checked_in(outcome, a, at, channel, by, award, batch)
    if batch then
        return outcome .. '\n' .. a.id .. '\n' .. at .. '\n' .. channel .. '\n' .. a.type .. '\n' .. by .. '\n' ..
            award[2] .. '\n' .. award[3] .. '\n' .. award[4] .. '\n' .. award[5] .. '\n' .. award[6] .. '\n' .. a.title
    end
    return {'ok', outcome, a.id, at, channel, a.type, a.title, by, award[2], award[3], award[4], award[5], award[6]}
end

-- The fields of activity `id` that a check-in reads, as a table; nil when there is none.
-- Fewer than activity() reads: a check-in at a city-wide activity is the busiest call there is.
-- With `batch`, each activity is read once for all the batch's taps (false: there is none).
-- Its times and geofence are also kept as numbers (`numbers`), converted once, not per tap.
local checkin_fields = {'id', 'type', 'title', 'branch', 'start', 'opens', 'closes', 'status', 'lat', 'lng', 'radius'}
local function checkin_activity(id, batch)
    local known = batch and batch.activities[id]
    if known ~= nil then return known or nil end
    local v = redis.call('HMGET', akey(id), unpack(checkin_fields))
    local t = false
    if v[1] then
        t = {}
        for i, f in ipairs(checkin_fields) do t[f] = v[i] or nil end
        t.numbers = {start = tonumber(t.start), opens = tonumber(t.opens), closes = tonumber(t.closes),
            lat = tonumber(t.lat or ''), lng = tonumber(t.lng or ''), radius = tonumber(t.radius or '')}
    end
    if batch then batch.activities[id] = t end
    return t or nil
end

-- Why member `m` may not check in at `a` now by `channel` (an err), or nil when they may.
local function refusal(a, m, channel, now, lat, lng)
    if channel == 'record' then
        -- Filled in afterwards by the secretary: the window does not apply, the start does.
        if a.status == 'cancelled' then return err('checkin.cancelled', a.title) end
        if a.branch ~= '*' and a.branch ~= m.branch then return err('checkin.other_branch', a.title) end
        if now < number_in(a, 'start') then return err('activity.not_started') end
    else
        local no_go = refuse(a, m, now)
        if no_go then return no_go end
    end
    if channel == 'geo' then
        if (a.lat or '') == '' or (a.radius or '') == '' then return err('checkin.no_geofence') end
        local d = distance(lat + 0, lng + 0, number_in(a, 'lat'), number_in(a, 'lng'))  -- the server checked both
        if d > number_in(a, 'radius') then return err('checkin.too_far', tostring(math.floor(d + 0.5))) end
    end
    return nil
end

-- The answer to member `m` (member_of()'s table) who checked in at `a` before: `done` is the
-- record. The points were granted with the record; grant() answers that entry (or makes it,
-- for a record written before check-ins carried their points).
local function already(no, m, a, rule, pending, ref, day, year, done, batch)
    local d = split(done, '|')
    local award = grant(no, m.branch, rule, ref, d[3], d[4], d[1], day, year, '', pending)
    return checked_in('already', a, d[1], d[2], d[3], award, batch)
end

-- checkin() for member `m` (member_of()'s table), found by the caller; `batch` as in
-- checkin_sessions().
local function check_in(keys, args, m, batch)
    local at, no, channel, id, typed, lat, lng, by, acting_for, scope = unpack(args, 1, 10)
    -- `at` (the string) is what is written and answered: a number would be formatted back on
    -- every write (see the top of points_core.lua, also for `+ 0`).
    local now = at + 0
    local period, grace, max_failures = tonumber(args[11]), tonumber(args[12]), tonumber(args[13])
    if m.status and m.status ~= '' and m.status ~= 'active' then return err('member.inactive') end
    if (channel == 'proxy' or channel == 'record') and not in_scope(scope, m.branch) then
        return err('auth.forbidden')
    end
    local a
    if channel == 'code' then
        local fails = P .. 'fail:checkin:' .. no
        if tonumber(redis.call('GET', fails) or '0') >= max_failures then return err('checkin.too_many') end
        local candidates = nearby(m.branch, now)
        local why
        a, why = match_code(candidates, typed, now, period, grace)
        if not a then
            if redis.call('INCR', fails) == 1 then redis.call('EXPIRE', fails, 3600) end
            if why == 'expired' then return err('checkin.code_expired') end
            if #candidates == 0 then return err('checkin.nothing_open') end
            return err('checkin.code_wrong')
        end
    else
        a = checkin_activity(id, batch)
        if not a then return err('activity.not_found') end
    end
    local rule, pending = checkin_rule(args[17], args[16], a, batch)
    if not rule then return err('points.unknown_action', a.type) end
    local day, year, ref = args[14], args[15], 'checkin:' .. a.id
    local records = akey(a.id) .. ':checkins'
    -- A member who checked in before is told so, whatever the window or the place says now.
    local no_go = refusal(a, m, channel, now, lat, lng)
    if no_go then
        local done = redis.call('HGET', records, no)
        if done then return already(no, m, a, rule, pending, ref, day, year, done, batch) end
        return no_go
    end
    -- HSETNX both asks whether there is a record and makes it: one call, not two.
    if redis.call('HSETNX', records, no, at .. '|' .. channel .. '|' .. by .. '|' .. acting_for) == 0 then
        return already(no, m, a, rule, pending, ref, day, year, redis.call('HGET', records, no), batch)
    end
    if channel == 'proxy' or channel == 'record' then
        audit(keys, by, 'api', at, 'activity.' .. channel, no, m.branch, a.id, '')
    end
    -- The record was just made, and its reference is granted only with it: not applied yet.
    local award = grant(no, m.branch, rule, ref, by, acting_for, at, day, year, '', pending, true, batch)
    return checked_in('checked_in', a, at, channel, by, award, batch)
end

-- ARGV: now member channel(code|scene|geo|proxy|record) activity code lat lng by for scope
--       period grace max_failures day year rules_version rules (see checkin_rule)
-- One record per member per activity. `activity` is '' for a typed code (the code finds it).
-- `scope` is the acting admin's for proxy and record ('' otherwise): the member must be in
-- it. The check-in's points are granted in the same step, once per activity (reference
-- "checkin:<id>"). {'ok', 'checked_in'|'already', activity id, at, channel, type, title, by,
-- 'awarded'|'duplicate', entry, points, capped, status}.
local function checkin(keys, args)
    local m = member_of(args[2])
    if not m then return err('member.not_found') end
    return check_in(keys, args, m)
end

-- ARGV: checkin()'s, with member, by and for '' (the session tells them), then session_hash
-- ttl_ms. A member's own check-in from the mini-program, the caller found in the same step
-- as the check-in (one call to Redis, not two): 'auth.unauthorized' without such a session,
-- 'member.not_bound' when its identity acts for nobody on the roster; else checkin()'s
-- answer, by 'member:<no>', or by 'wx:<ident>' for the member when a family proxy tapped.
local function checkin_session(keys, args, batch)
    local ident, no, proxy = session_binding(args[18], args[19], args[1])
    if not ident then return err('auth.unauthorized') end
    local m = no and member_of(no)
    if not m then return err('member.not_bound') end
    args[2] = no
    if proxy == '1' then
        args[8], args[9] = 'wx:' .. ident, no
    else
        args[8], args[9] = 'member:' .. no, ''
    end
    return check_in(keys, args, m, batch)
end

-- ARGV: period grace max_failures rules_version rules ttl_ms, then for each tap: now day year
--       session_hash channel activity code lat lng
-- Members' own check-ins, many in one call: what the server sends while Redis is busy with the
-- previous ones. Each tap is checkin_session()'s, answered as it would be alone, in order:
-- {'ok', answer, answer, ...}, each answer that went well packed into one string (checked_in()).
-- Only the reading is shared: each activity and its type's rule are read once, and each
-- branch's totals are written once at the end, with every tap's points. A tap that fails
-- inside Redis answers 'store.error' and leaves the others be.
local tap_width = 9

local function checkin_sessions(keys, args)
    local period, grace, max_failures, version, rules, ttl_ms = unpack(args, 1, 6)
    period, grace, max_failures = tonumber(period), tonumber(grace), tonumber(max_failures)  -- once, not per tap
    local batch = {activities = {}, rules = {}, branches = {}, branch_order = {}}
    local out = {'ok'}
    for i = 7, #args - tap_width + 1, tap_width do
        local now, day, year, session, channel, id, typed, lat, lng = unpack(args, i, i + tap_width - 1)
        local tap = {now, '', channel, id, typed, lat, lng, '', '', '', period, grace, max_failures, day, year,
            version, rules, session, ttl_ms}
        local done, answer = pcall(checkin_session, keys, tap, batch)
        if not done then answer = err('store.error', tostring(answer)) end
        out[#out + 1] = answer
    end
    flush_branch_totals(batch)
    return out
end

-- ARGV: now member activity reason by for. Leave (请假) before the start; a second request
-- replaces the reason. {'ok', 'on_leave'|'updated', activity id, title, start}.
local function leave(keys, args)
    local now, no, id, reason, by, acting_for = unpack(args, 1, 6)
    now = tonumber(now)
    local m = member_of(no)
    if not m then return err('member.not_found') end
    local a = activity(id)
    if not a then return err('activity.not_found') end
    if a.status == 'cancelled' then return err('checkin.cancelled', a.title) end
    if a.branch ~= '*' and a.branch ~= m.branch then return err('checkin.other_branch', a.title) end
    if now >= tonumber(a.start) then return err('leave.too_late', a.start) end
    if redis.call('HEXISTS', akey(id) .. ':checkins', no) == 1 then return err('leave.checked_in') end
    local outcome = redis.call('HEXISTS', akey(id) .. ':leave', no) == 1 and 'updated' or 'on_leave'
    redis.call('HSET', akey(id) .. ':leave', no, now .. '|' .. by .. '|' .. acting_for .. '|' .. reason)
    return {'ok', outcome, id, a.title, a.start}
end

--------------------------------------------------------------------------------------------
-- Attendance

-- The members expected at `a` as seen by `scope`: the branch's members, or for a city-wide
-- activity everyone (a secretary: their own branch's members).
local function expected(a, scope)
    local b = a.branch
    if b == '*' and scope ~= '*' then b = scope end
    if b == '*' then return redis.call('SMEMBERS', P .. 'members') end
    return redis.call('SMEMBERS', P .. 'branch:' .. b .. ':members')
end

-- ARGV: scope id. {'ok', view, {number, name, state, at, channel, by, for, reason}...} for
-- every expected member (and anyone else who checked in), by number; state is 'present',
-- 'proxied' (someone acted for them), 'leave' or 'absent' (not yet checked in).
local function attendance(keys, args)
    local scope, id = args[1], args[2]
    local a = activity(id)
    if not a then return err('activity.not_found') end
    if a.branch ~= '*' and not in_scope(scope, a.branch) then return err('auth.forbidden') end
    local numbers, seen = {}, {}
    for _, no in ipairs(expected(a, scope)) do
        numbers[#numbers + 1] = no
        seen[no] = true
    end
    if scope == '*' or a.branch ~= '*' then
        for _, no in ipairs(redis.call('HKEYS', akey(id) .. ':checkins')) do
            if not seen[no] then numbers[#numbers + 1] = no end
        end
    end
    table.sort(numbers)
    local out = {'ok', view_of(a)}
    for _, no in ipairs(numbers) do
        local name = redis.call('HGET', P .. 'member:' .. no, 'name') or ''
        local c = redis.call('HGET', akey(id) .. ':checkins', no)
        local l = redis.call('HGET', akey(id) .. ':leave', no)
        if c then
            local d = split(c, '|')
            local state = (d[2] == 'proxy' or d[2] == 'record' or d[4] ~= '') and 'proxied' or 'present'
            out[#out + 1] = {no, name, state, d[1], d[2], d[3], d[4], ''}
        elseif l then
            local d = split(l, '|')
            out[#out + 1] = {no, name, 'leave', d[1], '', d[2], d[3], table.concat(d, '|', 4)}
        else
            out[#out + 1] = {no, name, 'absent', '', '', '', '', ''}
        end
    end
    return out
end

-- ARGV: scope from to branch... Per branch, its activities starting in [from, to] (its own
-- and the city-wide ones) with counts: {'ok', {branch, name, members, {id, type, title, start,
-- status, expected, present, proxied, leave}...}...}. The bureau passes every branch.
local function month(keys, args)
    local scope, from, to = args[1], args[2], args[3]
    local out = {'ok'}
    for i = 4, #args do
        local b = args[i]
        if not in_scope(scope, b) then return err('auth.forbidden') end
        local name = redis.call('HGET', P .. 'branch:' .. b, 'name')
        if not name then return err('branch.not_found') end
        local members = redis.call('SMEMBERS', P .. 'branch:' .. b .. ':members')
        local item = {b, name, #members}
        local ids = {}
        for _, key in ipairs({b, '*'}) do
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'activities:' .. key, from, to)) do
                ids[#ids + 1] = id
            end
        end
        for _, id in ipairs(ids) do
            local a = activity(id)
            local present, proxied, on_leave = 0, 0, 0
            for _, no in ipairs(members) do
                local c = redis.call('HGET', akey(id) .. ':checkins', no)
                if c then
                    local d = split(c, '|')
                    if d[2] == 'proxy' or d[2] == 'record' or d[4] ~= '' then
                        proxied = proxied + 1
                    else
                        present = present + 1
                    end
                elseif redis.call('HEXISTS', akey(id) .. ':leave', no) == 1 then
                    on_leave = on_leave + 1
                end
            end
            item[#item + 1] = {id, a.type, a.title, tonumber(a.start), a.status, #members, present, proxied, on_leave}
        end
        out[#out + 1] = item
    end
    return out
end

-- ARGV: scope from to now counter branch... What a branch did in [from, to] for its
-- half-year assessment: per branch {branch, name, tier, members, lectures published (the
-- points ledger's count `counter`, "<half>:lecture.publish"), {type, start, expected,
-- attended}...} for every activity of its
-- own that was not cancelled and has started by `now`. Expected is the branch's members
-- now, less those on leave; attended are check-ins in person or by proxy.
local function assessment_facts(keys, args)
    local scope, from, to, now, counter = args[1], args[2], args[3], tonumber(args[4]), args[5]
    local out = {'ok'}
    for i = 6, #args do
        local b = args[i]
        if not in_scope(scope, b) then return err('auth.forbidden') end
        local info = redis.call('HMGET', P .. 'branch:' .. b, 'name', 'tier')
        if not info[1] then return err('branch.not_found') end
        local members = redis.call('SMEMBERS', P .. 'branch:' .. b .. ':members')
        local lectures = redis.call('HGET', P .. 'points:branch:' .. b, 'n:' .. counter) or '0'
        local item = {b, info[1], info[2] or '', #members, tonumber(lectures)}
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'activities:' .. b, from, to)) do
            local a = activity(id)
            if a and a.status ~= 'cancelled' and tonumber(a.start) <= now then
                local on_leave, attended = 0, 0
                for _, no in ipairs(members) do
                    if redis.call('HEXISTS', akey(id) .. ':checkins', no) == 1 then
                        attended = attended + 1
                    elseif redis.call('HEXISTS', akey(id) .. ':leave', no) == 1 then
                        on_leave = on_leave + 1
                    end
                end
                item[#item + 1] = {a.type, tonumber(a.start), #members - on_leave, attended}
            end
        end
        out[#out + 1] = item
    end
    return out
end

redis.register_function('bense_activity_put', put)
redis.register_function('bense_activity_cancel', cancel)
redis.register_function('bense_activity_record', record)
redis.register_function('bense_activity_checkin', checkin)
redis.register_function('bense_activity_checkin_session', checkin_session)
redis.register_function('bense_activity_checkin_sessions', checkin_sessions)
redis.register_function('bense_activity_leave', leave)
redis.register_function{function_name = 'bense_activity_get', callback = get, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_activity_list', callback = list, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_activity_code', callback = code, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_activity_attendance', callback = attendance, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_activity_month', callback = month, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_activity_assessment', callback = assessment_facts,
    flags = {'no-writes'}}
