#!lua name=bense_points
-- Learning points (学习积分): an append-only ledger per member, applied once per reference.
-- In the {roster} slot, beside the members it credits, so that an award, its caps, the
-- member's totals and the branch's aggregate move in one atomic step (KEYS[1] is the roster's
-- audit stream, the key a cluster routes by; the ledger is its own history).
--   P points:<no>:ledger       stream: action points asked rule_version reference by for at day year reason capped
--                              status ('' | pending | confirmed | rejected | reversal) decides reverses
--   P points:<no>              hash total, y:<year>, y:<year>:<action>, d:<action> (the points
--                              of its last two days: "<day>=<points>,<day>=<points>"),
--                              r:<reference> -> ledger entry id (the once-only guard, durable),
--                              refs = 'in' (no reference left in the old points:<no>:refs)
--   P points:branch:<id>       hash y:<year>, total, n:<half>:<action> (entries counted, e.g.
--                              lectures published in 2026H2, for the branch assessment)
--   P points:pending:<branch>  hash "<no> <entry id>" -> at: entries waiting for the secretary
--   P points:settings:<branch> hash ranking ('1': the bureau shows a ranking inside the branch)
-- Points are encouragement and a personal record: nothing here ranks members.

-- P, err and the ledger's own steps (grant, entry_of, add_totals ...) come from
-- points_core.lua, which the build puts in front of this file's code.

-- Who acted, when the server left the bureau token for this call to find (acted_by
-- "bureau_token:<sha256>", points_ledger.hpp): "token:<id>", or nil when there is no such
-- token (revoked, or never made); any other acted_by as it is. With `batch`, each acted_by
-- is worked out once a call: a bureau's list is one token, and matching its 77 characters
-- against the pattern was 3% of an award in Redis (callgrind).
local function bureau_actor(by, batch)
    local known = batch and batch.actors[by]
    if known ~= nil then return known or nil end
    local actor = by
    local hash = string.match(by, '^bureau_token:(%x+)$')
    if hash then
        local id = redis.call('HGET', P .. 'token:' .. hash, 'id')
        actor = id and ('token:' .. id) or false
    end
    if batch then batch.actors[by] = actor end
    return actor or nil
end

-- ARGV: member action points daily_cap yearly_cap rule_version reference acted_by acting_for
--       at day year reason scope pending
-- `scope` is the caller's ('*' for the service itself): a member of another branch is
-- refused. `acted_by` may be a bureau token's hash, found first (bureau_actor()). The rest
-- is grant() (points_core.lua), with `batch` as there. Answers {'ok', 'awarded'|'duplicate',
-- entry id, points granted (as text), capped ('', 'daily', 'yearly'), status}.
local function award_one(args, batch)
    local no, scope = args[1], args[14]
    local by = bureau_actor(args[8], batch)
    if not by then return err('auth.unauthorized') end
    local branch = redis.call('HGET', P .. 'member:' .. no, 'branch')
    if not branch then return err('member.not_found') end
    if scope ~= '*' and scope ~= branch then return err('auth.forbidden') end
    local rule = {action = args[2], points = args[3] + 0, points_text = args[3], daily_cap = tonumber(args[4]),
        yearly_cap = tonumber(args[5]), version = args[6]}
    return grant(no, branch, rule, args[7], by, args[9], args[10], args[11], args[12], args[13], args[15] == '1',
        false, batch)
end

local function award(keys, args)
    return award_one(args)
end

-- ARGV: award()'s, for one award after another. Many awards in one call: what a worker sends
-- while Redis is busy with its previous ones (a vote, a lecture's readers, a secretary's
-- list). Each is answered as it would be alone, in order: {'ok', answer, answer, ...}, an
-- answer that went well packed into one string (packed_award()); each branch's totals are
-- written once, at the end. An award that fails inside Redis answers 'store.error' and leaves
-- the others be.
local award_width = 15

-- award_one()'s answer; when it went well, without its 'ok' and packed (points_core.lua; none
-- of its fields is typed by a person).
local function packed_award(args, batch)
    local a = award_one(args, batch)
    if a[1] ~= 'ok' then return a end
    return a[2] .. '\n' .. a[3] .. '\n' .. a[4] .. '\n' .. a[5] .. '\n' .. a[6]
end

local function award_many(keys, args)
    local batch = {branches = {}, branch_order = {}, actors = {}}
    local out = {'ok'}
    for i = 1, #args - award_width + 1, award_width do
        local done, answer = pcall(packed_award, {unpack(args, i, i + award_width - 1)}, batch)
        if not done then answer = err('store.error', tostring(answer)) end
        out[#out + 1] = answer
    end
    flush_branch_totals(batch)
    return out
end

-- What a change to entry `entry` of member `no` starts from: the member's ledger key, branch
-- and the entry's fields. Returns (nil, answer) when the change must stop here: an error, or
-- the duplicate answer when `ref` was applied already.
local function change_target(scope, no, entry, ref)
    local mkey = P .. 'points:' .. no
    local branch = redis.call('HGET', P .. 'member:' .. no, 'branch')
    if not branch then return nil, err('member.not_found') end
    if scope ~= '*' and scope ~= branch then return nil, err('auth.forbidden') end
    local done = ref_done(mkey, ref)
    if done then return nil, duplicate(mkey, done) end
    local f = entry_of(mkey, entry)
    if not f then return nil, err('points.entry_not_found') end
    return {mkey = mkey, branch = branch, f = f}
end

-- ARGV: scope member entry decision(confirm|reject) acted_by at day year reason, then
--       (action daily_cap yearly_cap) for each rule that needs a confirmation
-- A secretary's decision on a pending entry: a new entry (reference "decide:<entry>") that
-- grants the asked points within the caps of the day of the decision, or 0 when rejected.
-- The pending entry itself stays as it was written: the ledger is append-only.
local function decide(keys, args)
    local scope, no, entry, decision, by, at, day, year, reason = unpack(args, 1, 9)
    local caps = {}
    for i = 10, #args - 2, 3 do caps[args[i]] = {tonumber(args[i + 1]), tonumber(args[i + 2])} end
    local ref = 'decide:' .. entry
    local t, answer = change_target(scope, no, entry, ref)
    if not t then return answer end
    local mkey, branch, f = t.mkey, t.branch, t.f
    if f.status ~= 'pending' then return err('points.not_pending') end
    local granted, capped, status, totals = 0, '', 'rejected', nil
    if decision == 'confirm' then
        local cap = caps[f.action] or {0, 0}  -- a rule since removed: no caps left to apply
        totals = member_totals(mkey, f.action, year)
        granted, capped = apply_caps(totals, tonumber(f.asked), cap[1], cap[2], day)
        status = 'confirmed'
    end
    local id = append(mkey, {'action', f.action, 'points', granted, 'asked', f.asked,
        'rule_version', f.rule_version, 'reference', ref, 'by', by, 'for', f['for'], 'at', at, 'day', day,
        'year', year, 'reason', reason, 'capped', capped, 'status', status, 'decides', entry})
    redis.call('HDEL', P .. 'points:pending:' .. branch, no .. ' ' .. entry)
    add_totals(mkey, branch, f.action, granted, day, year, status == 'confirmed' and count_field(f.action, day) or nil,
        totals, nil, {ref, id})
    return {'ok', 'awarded', id, granted, capped, status}
end

-- ARGV: scope member entry acted_by at reason year_now
-- A reversal (冲正): a new entry (reference "reverse:<entry>") taking back exactly what entry
-- granted, counted in the year of the original so that its yearly cap is freed. Once per
-- entry; a reversal itself, a pending entry or one that granted nothing cannot be reversed.
local function reverse(keys, args)
    local scope, no, entry, by, at, reason, year_now = unpack(args, 1, 7)
    local ref = 'reverse:' .. entry
    local t, answer = change_target(scope, no, entry, ref)
    if not t then return answer end
    local mkey, branch, f = t.mkey, t.branch, t.f
    local points = tonumber(f.points or '0')
    if f.reverses or f.status == 'pending' or points == 0 then return err('points.not_reversible') end
    local year = f.year or year_now  -- entries written before the year was recorded
    local id = append(mkey, {'action', f.action, 'points', -points, 'asked', -points,
        'rule_version', f.rule_version, 'reference', ref, 'by', by, 'for', f['for'], 'at', at, 'year', year,
        'reason', reason, 'capped', '', 'status', 'reversal', 'reverses', entry})
    add_totals(mkey, branch, f.action, -points, nil, year, nil, nil, nil, {ref, id})
    if points > 0 then count_entry(branch, f.action, f.day, -1) end
    return {'ok', 'awarded', id, -points, '', 'reversal'}
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

-- ARGV: scope branch year. A branch's totals and each member's, in member-number order
-- (never by points), and whether the bureau turned the in-branch ranking on:
-- {'ok', name, year_total, total, ranking ('0'|'1'), {number, name, year_total, total}...}.
local function branch_points(keys, args)
    local scope, branch, year = args[1], args[2], args[3]
    if scope ~= '*' and scope ~= branch then return err('auth.forbidden') end
    local name = redis.call('HGET', P .. 'branch:' .. branch, 'name')
    if not name then return err('branch.not_found') end
    local t = redis.call('HMGET', P .. 'points:branch:' .. branch, 'y:' .. year, 'total')
    local ranking = redis.call('HGET', P .. 'points:settings:' .. branch, 'ranking') or '0'
    local out = {'ok', name, tonumber(t[1] or '0'), tonumber(t[2] or '0'), ranking}
    local numbers = redis.call('SMEMBERS', P .. 'branch:' .. branch .. ':members')
    table.sort(numbers)
    for _, no in ipairs(numbers) do
        local m = redis.call('HMGET', P .. 'points:' .. no, 'y:' .. year, 'total')
        out[#out + 1] = {no, redis.call('HGET', P .. 'member:' .. no, 'name') or '', tonumber(m[1] or '0'),
            tonumber(m[2] or '0')}
    end
    return out
end

-- ARGV: scope year. Every branch's totals (the bureau's view), by branch id:
-- {'ok', {id, name, year_total, total, members}...}.
local function branches_points(keys, args)
    local scope, year = args[1], args[2]
    if scope ~= '*' then return err('auth.forbidden') end
    local ids = redis.call('SMEMBERS', P .. 'branches')
    table.sort(ids)
    local out = {'ok'}
    for _, id in ipairs(ids) do
        local t = redis.call('HMGET', P .. 'points:branch:' .. id, 'y:' .. year, 'total')
        out[#out + 1] = {id, redis.call('HGET', P .. 'branch:' .. id, 'name') or '', tonumber(t[1] or '0'),
            tonumber(t[2] or '0'), redis.call('SCARD', P .. 'branch:' .. id .. ':members')}
    end
    return out
end

-- ARGV: scope branch. The entries waiting for the secretary, oldest first:
-- {'ok', {number, name, entry id, action, asked, at, by, for}...}.
local function pending_list(keys, args)
    local scope, branch = args[1], args[2]
    if scope ~= '*' and scope ~= branch then return err('auth.forbidden') end
    if redis.call('EXISTS', P .. 'branch:' .. branch) == 0 then return err('branch.not_found') end
    local all = redis.call('HGETALL', P .. 'points:pending:' .. branch)
    local items = {}
    for i = 1, #all, 2 do
        local no, id = string.match(all[i], '^(%S+) (%S+)$')
        local f = entry_of(P .. 'points:' .. no, id) or {}
        items[#items + 1] = {no, redis.call('HGET', P .. 'member:' .. no, 'name') or '', id, f.action or '',
            f.asked or '0', f.at or '0', f.by or '', f['for'] or ''}
    end
    table.sort(items, function(a, b) return a[3] < b[3] end)
    local out = {'ok'}
    for _, item in ipairs(items) do out[#out + 1] = item end
    return out
end

-- ARGV: actor origin now scope branch on('1'|'0'). The bureau's setting that shows the
-- secretary a ranking inside one branch; off unless set. Audited in the roster's stream.
local function set_ranking(keys, args)
    local actor, origin, now, scope, branch, on = unpack(args, 1, 6)
    if scope ~= '*' then return err('auth.forbidden') end
    if redis.call('EXISTS', P .. 'branch:' .. branch) == 0 then return err('branch.not_found') end
    local old = redis.call('HGET', P .. 'points:settings:' .. branch, 'ranking') or '0'
    if old == on then return {'ok', 'unchanged'} end
    redis.call('HSET', P .. 'points:settings:' .. branch, 'ranking', on)
    redis.call('XADD', keys[1], '*', 'at', now, 'actor', actor, 'for', '', 'action', 'points.ranking',
        'target', branch, 'branch', branch, 'from', origin, 'detail', on == '1' and 'on' or 'off')
    return {'ok', 'updated'}
end

redis.register_function('bense_points_award', award)
redis.register_function('bense_points_award_many', award_many)
redis.register_function{function_name = 'bense_points_history', callback = points_history, flags = {'no-writes'}}
redis.register_function('bense_points_decide', decide)
redis.register_function('bense_points_reverse', reverse)
redis.register_function('bense_points_set_ranking', set_ranking)
redis.register_function{function_name = 'bense_points_branch', callback = branch_points, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_points_branches', callback = branches_points, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_points_pending', callback = pending_list, flags = {'no-writes'}}
