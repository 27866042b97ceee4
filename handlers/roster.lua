#!lua name=bense_roster
-- The roster: branches, members, the WeChat identities bound to members, binding codes,
-- sessions, bureau API tokens and the audit stream. Every key is under the hash tag {roster},
-- so each function is one atomic step in one slot (KEYS[1] is always the audit stream, the key
-- a cluster routes by). Checks of form (lengths, digits, words) are done by the caller; these
-- functions check what only the store knows (existence, scope, bindings, one-time codes).
--
-- Keys (P = bense:{roster}:)
--   P branches                 set of branch ids
--   P branch:<id>              hash id name unit community tier feature created_at updated_at
--   P branch_name:<name>       the id of the branch of that name (names are unique)
--   P branch:<id>:members      set of member numbers
--   P members                  set of every member number
--   P member:<no>              hash number name branch roles status smartphone phone_hash
--                              created_at updated_at code_self code_proxy
--   P phone:<hmac>             set of member numbers with that phone (a couple may share one)
--   P member:<no>:idents       set of identities bound to the member
--   P ident:<app>:<openid>     hash member proxy via at (app: mp, oa, union)
--   P ident:<app>:<openid>:sessions  set of the sessions opened for a mini-program identity
--   P code:<digits>            hash member kind expires_at used_at used_by; gone a week after expiry
--   P session:<sha256>         hash ident openid unionid session_key created_at slid_at, and member
--                              proxy while its identity is bound (copy_binding()); sliding TTL
--   P token:<sha256>           hash id name created_at (read natively by roster_auth.cpp)
--   P tokens                   hash token id -> sha256, for listing and revoking
--   P fail:ident:<ident>       failed binding attempts of an identity in the window
--   P fail:code:<digits>       attempts on one code value in the window
--   P audit                    stream: at actor for action target branch from detail
--
-- Answers: {'ok', ...} or {'err', code[, detail]}; codes are roster errors of the caller.

local P = 'bense:{roster}:'

local function err(code, detail)
    return {'err', code, detail or ''}
end

local function audit(keys, actor, origin, now, action, target, branch, detail, acting_for)
    redis.call('XADD', keys[1], '*', 'at', now, 'actor', actor, 'for', acting_for or '', 'action', action,
        'target', target or '', 'branch', branch or '', 'from', origin, 'detail', detail or '')
end

-- Pairs in ARGV from index i on (field, value, field, value ...) as a table.
local function pairs_from(args, i)
    local t = {}
    while args[i] do
        t[args[i]] = args[i + 1] or ''
        i = i + 2
    end
    return t
end

local function in_scope(scope, branch)
    return scope == '*' or scope == branch
end

-- The fields of `changes` that differ from what the hash holds; writes them. Returns the
-- changed names as "a,b" ('' when nothing changed).
local function write_changes(key, changes, now)
    local changed = {}
    for f, v in pairs(changes) do
        local cur = redis.call('HGET', key, f)
        if cur ~= v and not (cur == false and v == '') then
            redis.call('HSET', key, f, v)
            changed[#changed + 1] = f
        end
    end
    table.sort(changed)
    if #changed > 0 then
        redis.call('HSET', key, 'updated_at', now)
    end
    return table.concat(changed, ',')
end

-- The answer of a create, update or upsert of `kind` ('branch' or 'member'), with its audit
-- entry: 'created', 'updated' (fields changed) or 'unchanged' (nothing written, not audited).
local function put_outcome(keys, actor, origin, now, kind, id, branch, existed, changed)
    if not existed then
        audit(keys, actor, origin, now, kind .. '.create', id, branch, changed)
        return 'created'
    end
    if changed ~= '' then
        audit(keys, actor, origin, now, kind .. '.update', id, branch, changed)
        return 'updated'
    end
    return 'unchanged'
end

--------------------------------------------------------------------------------------------
-- Branches

local branch_fields = {'name', 'unit', 'community', 'tier', 'feature'}

local function branch_key(id) return P .. 'branch:' .. id end

-- A branch by id, else by its name; nil when neither.
local function resolve_branch(ref)
    if redis.call('SISMEMBER', P .. 'branches', ref) == 1 then
        return ref
    end
    local id = redis.call('GET', P .. 'branch_name:' .. ref)
    if id then
        return id
    end
    return nil
end

-- create, update or upsert one branch; returns 'created', 'updated', 'unchanged' or an err.
local function put_branch(keys, actor, origin, now, scope, mode, id, fields)
    local key = branch_key(id)
    local exists = redis.call('EXISTS', key) == 1
    if mode == 'create' and exists then return err('branch.exists') end
    if mode == 'update' and not exists then return err('branch.not_found') end
    if not in_scope(scope, id) or (not exists and scope ~= '*') then return err('auth.forbidden') end
    if fields.tier and scope ~= '*' and fields.tier ~= (redis.call('HGET', key, 'tier') or '') then
        return err('auth.forbidden')
    end
    if fields.name then
        local holder = redis.call('GET', P .. 'branch_name:' .. fields.name)
        if holder and holder ~= id then return err('branch.name_taken') end
    end
    local old_name = redis.call('HGET', key, 'name')
    local changes = {}
    for _, f in ipairs(branch_fields) do
        if fields[f] then changes[f] = fields[f] end
    end
    if not exists then
        redis.call('HSET', key, 'id', id, 'created_at', now, 'updated_at', now)
        redis.call('SADD', P .. 'branches', id)
    end
    local changed = write_changes(key, changes, now)
    if fields.name and old_name and old_name ~= fields.name then
        redis.call('DEL', P .. 'branch_name:' .. old_name)
    end
    if fields.name then
        redis.call('SET', P .. 'branch_name:' .. fields.name, id)
    end
    return put_outcome(keys, actor, origin, now, 'branch', id, id, exists, changed)
end

-- ARGV: actor origin now scope mode id field value ... for put(): an err as it is, else {'ok', outcome}.
local function put_call(put, keys, args)
    local r = put(keys, args[1], args[2], args[3], args[4], args[5], args[6], pairs_from(args, 7))
    if type(r) == 'table' then return r end
    return {'ok', r}
end

local function branch_put(keys, args)
    return put_call(put_branch, keys, args)
end

local function branch_delete(keys, args)
    local actor, origin, now, scope, id = args[1], args[2], args[3], args[4], args[5]
    if scope ~= '*' then return err('auth.forbidden') end
    local key = branch_key(id)
    if redis.call('EXISTS', key) == 0 then return err('branch.not_found') end
    if redis.call('SCARD', key .. ':members') > 0 then return err('branch.not_empty') end
    local name = redis.call('HGET', key, 'name')
    if name then redis.call('DEL', P .. 'branch_name:' .. name) end
    redis.call('DEL', key)
    redis.call('SREM', P .. 'branches', id)
    audit(keys, actor, origin, now, 'branch.delete', id, id, name or '')
    return {'ok', 'deleted'}
end

-- {fields of HGETALL..., 'members', n, 'secretaries', 'a,b', 'liaisons', 'c'}
local function branch_view(id)
    local key = branch_key(id)
    local view = redis.call('HGETALL', key)
    if #view == 0 then return nil end
    local secretaries, liaisons = {}, {}
    local numbers = redis.call('SMEMBERS', key .. ':members')
    table.sort(numbers)
    for _, no in ipairs(numbers) do
        local m = redis.call('HMGET', P .. 'member:' .. no, 'roles', 'name', 'status')
        if m[3] == 'active' and m[1] then
            local roles = ',' .. m[1] .. ','
            if roles:find(',secretary,', 1, true) then secretaries[#secretaries + 1] = no .. ':' .. m[2] end
            if roles:find(',liaison,', 1, true) then liaisons[#liaisons + 1] = no .. ':' .. m[2] end
        end
    end
    view[#view + 1] = 'members'
    view[#view + 1] = tostring(#numbers)
    view[#view + 1] = 'secretaries'
    view[#view + 1] = table.concat(secretaries, '\n')
    view[#view + 1] = 'liaisons'
    view[#view + 1] = table.concat(liaisons, '\n')
    return view
end

local function branch_get(keys, args)
    local view = branch_view(args[1])
    if not view then return err('branch.not_found') end
    return {'ok', view}
end

local function branch_list(keys, args)
    local scope = args[1]
    local ids
    if scope == '*' then
        ids = redis.call('SMEMBERS', P .. 'branches')
    else
        ids = {scope}
    end
    table.sort(ids)
    local out = {'ok'}
    for _, id in ipairs(ids) do
        local view = branch_view(id)
        if view then out[#out + 1] = view end
    end
    return out
end

--------------------------------------------------------------------------------------------
-- Members

local member_fields = {'name', 'roles', 'status', 'smartphone', 'phone_hash'}
local elevated = {secretary = true, liaison = true, bureau = true}

local function member_key(no) return P .. 'member:' .. no end

-- Whether a caller of `scope` may change `old` roles into `new` (comma lists): a branch may
-- give and take member and committee only.
local function roles_allowed(scope, old, new)
    if scope == '*' then return true end
    local function set_of(s)
        local t = {}
        for r in string.gmatch(s or '', '[^,]+') do t[r] = true end
        return t
    end
    local a, b = set_of(old), set_of(new)
    for r in pairs(elevated) do
        if (a[r] or false) ~= (b[r] or false) then return false end
    end
    return true
end

local function set_phone(no, old_hash, new_hash)
    if old_hash and old_hash ~= '' and old_hash ~= new_hash then
        redis.call('SREM', P .. 'phone:' .. old_hash, no)
    end
    if new_hash and new_hash ~= '' then
        redis.call('SADD', P .. 'phone:' .. new_hash, no)
    end
end

-- create, update or upsert one member (fields may include branch on create and upsert).
local function put_member(keys, actor, origin, now, scope, mode, no, fields)
    local key = member_key(no)
    local exists = redis.call('EXISTS', key) == 1
    if mode == 'create' and exists then return err('member.exists') end
    if mode == 'update' and not exists then return err('member.not_found') end
    local branch = redis.call('HGET', key, 'branch')
    local target_branch = branch
    if fields.branch then
        target_branch = resolve_branch(fields.branch)
        if not target_branch then return err('branch.not_found', fields.branch) end
    end
    if not target_branch then return err('branch.not_found') end
    if (branch and not in_scope(scope, branch)) or not in_scope(scope, target_branch) then
        return err('auth.forbidden')
    end
    local old_roles = redis.call('HGET', key, 'roles') or 'member'
    if fields.roles and not roles_allowed(scope, old_roles, fields.roles) then
        return err('auth.forbidden')
    end
    local changes = {}
    for _, f in ipairs(member_fields) do
        if fields[f] then changes[f] = fields[f] end
    end
    local old_phone = redis.call('HGET', key, 'phone_hash')
    if not exists then
        redis.call('HSET', key, 'number', no, 'created_at', now, 'updated_at', now, 'status', 'active',
            'roles', 'member')
        redis.call('SADD', P .. 'members', no)
    end
    if target_branch ~= branch then
        changes.branch = target_branch
        if branch then redis.call('SREM', branch_key(branch) .. ':members', no) end
        redis.call('SADD', branch_key(target_branch) .. ':members', no)
    end
    local changed = write_changes(key, changes, now)
    if fields.phone_hash then set_phone(no, old_phone, fields.phone_hash) end
    return put_outcome(keys, actor, origin, now, 'member', no, target_branch, exists, changed)
end

local function member_put(keys, args)
    return put_call(put_member, keys, args)
end

-- The sessions of identity `ident` still open; the set forgets the others on the way.
local function open_sessions(ident)
    local skey = P .. 'ident:' .. ident .. ':sessions'
    local open = {}
    for _, h in ipairs(redis.call('SMEMBERS', skey)) do
        if redis.call('EXISTS', P .. 'session:' .. h) == 1 then
            open[#open + 1] = h
        else
            redis.call('SREM', skey, h)
        end
    end
    return open
end

-- A session carries its identity's binding (member, proxy), so that a member's own check-in,
-- the busiest call there is, finds its caller without reading the identity: one call less
-- a tap (session_binding() in session_core.lua). Every change of a binding goes through
-- bind() or unbind_all(), which pass it on to the identity's open sessions here (`no` nil:
-- bound to nobody now). A session without the copy, opened before sessions carried one,
-- reads the identity.
local function copy_binding(ident, no, proxy)
    for _, h in ipairs(open_sessions(ident)) do
        if no then
            redis.call('HSET', P .. 'session:' .. h, 'member', no, 'proxy', proxy)
        else
            redis.call('HDEL', P .. 'session:' .. h, 'member', 'proxy')
        end
    end
end

local function unbind_all(no)
    local idents = redis.call('SMEMBERS', member_key(no) .. ':idents')
    for _, ident in ipairs(idents) do
        redis.call('DEL', P .. 'ident:' .. ident)
        copy_binding(ident, nil)
    end
    redis.call('DEL', member_key(no) .. ':idents')
    return #idents
end

local function drop_codes(no)
    for _, f in ipairs({'code_self', 'code_proxy'}) do
        local code = redis.call('HGET', member_key(no), f)
        if code then redis.call('DEL', P .. 'code:' .. code) end
    end
    redis.call('HDEL', member_key(no), 'code_self', 'code_proxy')
end

-- Whether a caller of `scope` may delete, move or unbind member `no` of `branch`: within the
-- branch, and only the bureau touches someone holding an elevated role.
local function may_manage(scope, no, branch)
    if scope == '*' then return true end
    if not in_scope(scope, branch) then return false end
    return roles_allowed(scope, redis.call('HGET', member_key(no), 'roles') or 'member', 'member')
end

local function member_delete(keys, args)
    local actor, origin, now, scope, no = args[1], args[2], args[3], args[4], args[5]
    local key = member_key(no)
    local m = redis.call('HMGET', key, 'branch', 'phone_hash', 'name')
    if not m[1] then return err('member.not_found') end
    if not may_manage(scope, no, m[1]) then return err('auth.forbidden') end
    unbind_all(no)
    drop_codes(no)
    set_phone(no, m[2], nil)
    redis.call('SREM', branch_key(m[1]) .. ':members', no)
    redis.call('SREM', P .. 'members', no)
    redis.call('DEL', key)
    audit(keys, actor, origin, now, 'member.delete', no, m[1], m[3] or '')
    return {'ok', 'deleted'}
end

local function transfer(keys, args)
    local actor, origin, now, scope, no, to = args[1], args[2], args[3], args[4], args[5], args[6]
    local key = member_key(no)
    local from = redis.call('HGET', key, 'branch')
    if not from then return err('member.not_found') end
    if not may_manage(scope, no, from) then return err('auth.forbidden') end
    local target = resolve_branch(to)
    if not target then return err('branch.not_found', to) end
    if target == from then return {'ok', 'unchanged'} end
    redis.call('SREM', branch_key(from) .. ':members', no)
    redis.call('SADD', branch_key(target) .. ':members', no)
    redis.call('HSET', key, 'branch', target, 'updated_at', now)
    audit(keys, actor, origin, now, 'member.transfer', no, from, from .. '->' .. target)
    return {'ok', 'updated'}
end

-- {HGETALL fields without the secrets..., 'branch_name', n, 'self_bindings', n, 'proxy_bindings', n}
local function member_view(no)
    local key = member_key(no)
    local all = redis.call('HGETALL', key)
    if #all == 0 then return nil end
    local view = {}
    local branch = ''
    for i = 1, #all, 2 do
        local f = all[i]
        if f == 'branch' then branch = all[i + 1] end
        if f == 'phone_hash' then
            view[#view + 1] = 'has_phone'
            view[#view + 1] = all[i + 1] ~= '' and '1' or '0'
        elseif f ~= 'code_self' and f ~= 'code_proxy' then
            view[#view + 1] = f
            view[#view + 1] = all[i + 1]
        end
    end
    local selves, proxies = 0, 0
    for _, ident in ipairs(redis.call('SMEMBERS', key .. ':idents')) do
        if redis.call('HGET', P .. 'ident:' .. ident, 'proxy') == '1' then
            proxies = proxies + 1
        else
            selves = selves + 1
        end
    end
    view[#view + 1] = 'branch_name'
    view[#view + 1] = redis.call('HGET', branch_key(branch), 'name') or ''
    view[#view + 1] = 'self_bindings'
    view[#view + 1] = tostring(selves)
    view[#view + 1] = 'proxy_bindings'
    view[#view + 1] = tostring(proxies)
    return view
end

local function member_get(keys, args)
    local scope, no = args[1], args[2]
    local view = member_view(no)
    if not view then return err('member.not_found') end
    if not in_scope(scope, redis.call('HGET', member_key(no), 'branch')) then return err('auth.forbidden') end
    return {'ok', view}
end

local function member_list(keys, args)
    local scope, branch = args[1], args[2]
    if branch ~= '' and not in_scope(scope, branch) then return err('auth.forbidden') end
    if branch == '' and scope ~= '*' then branch = scope end
    if branch ~= '' and redis.call('EXISTS', branch_key(branch)) == 0 then return err('branch.not_found') end
    local numbers
    if branch == '' then
        numbers = redis.call('SMEMBERS', P .. 'members')
    else
        numbers = redis.call('SMEMBERS', branch_key(branch) .. ':members')
    end
    table.sort(numbers)
    local out = {'ok'}
    for _, no in ipairs(numbers) do
        out[#out + 1] = member_view(no)
    end
    return out
end

--------------------------------------------------------------------------------------------
-- Import: every row checked against the store first; then all applied, or none.

-- ARGV: actor origin now scope kind json; json is an array of rows, each {line=, id/number=, ...}.
-- Nothing is written until every row has passed, and no write below can fail after that:
-- a Redis function is not rolled back when it stops half-way.
local function import(keys, args)
    local actor, origin, now, scope, kind = args[1], args[2], args[3], args[4], args[5]
    if scope ~= '*' then return err('auth.forbidden') end
    local rows = cjson.decode(args[6])
    local problems = {}
    if kind == 'members' then
        for _, row in ipairs(rows) do
            if not resolve_branch(row.branch) then
                problems[#problems + 1] = {line = row.line, branch = row.branch}
            end
        end
    else
        local seen = {}
        for _, row in ipairs(rows) do
            local holder = redis.call('GET', P .. 'branch_name:' .. row.name)
            if (holder and holder ~= row.id) or (seen[row.name] and seen[row.name] ~= row.id) then
                problems[#problems + 1] = {line = row.line, name = row.name}
            end
            seen[row.name] = row.id
        end
    end
    if #problems > 0 then
        return err('import.invalid', cjson.encode(problems))
    end
    local counts = {created = 0, updated = 0, unchanged = 0}
    for _, row in ipairs(rows) do
        local r
        if kind == 'members' then
            local fields = {name = row.name, branch = row.branch, roles = row.roles, status = row.status}
            if row.smartphone then fields.smartphone = row.smartphone end
            if row.phone_hash then fields.phone_hash = row.phone_hash end
            r = put_member(keys, actor, origin, now, '*', 'upsert', row.number, fields)
        else
            r = put_branch(keys, actor, origin, now, '*', 'upsert', row.id, {name = row.name, unit = row.unit,
                community = row.community, tier = row.tier, feature = row.feature})
        end
        counts[r] = counts[r] + 1
    end
    return {'ok', counts.created, counts.updated, counts.unchanged}
end

--------------------------------------------------------------------------------------------
-- Binding codes

-- ARGV: actor origin now scope ttl_ms kind reuse branch numbers_csv candidate...
-- Issues a code of `kind` (self or proxy) to each member named (or, with numbers empty, to
-- every active member of `branch` not yet bound in person). With reuse = '1' a member's code
-- still unused and valid is given again instead of a new one. Answers {'ok', {no, name, code,
-- expires_at}...}; 'code.exhausted' when the candidates ran out (the caller sends more).
local function issue_codes(keys, args)
    local actor, origin, now, scope, ttl, kind, reuse = args[1], args[2], tonumber(args[3]), args[4],
        tonumber(args[5]), args[6], args[7]
    local branch, list = args[8], args[9]
    local numbers = {}
    if list ~= '' then
        for no in string.gmatch(list, '[^,]+') do numbers[#numbers + 1] = no end
    else
        if not in_scope(scope, branch) then return err('auth.forbidden') end
        if redis.call('EXISTS', branch_key(branch)) == 0 then return err('branch.not_found') end
        local all = redis.call('SMEMBERS', branch_key(branch) .. ':members')
        table.sort(all)
        for _, no in ipairs(all) do
            local bound = false
            for _, ident in ipairs(redis.call('SMEMBERS', member_key(no) .. ':idents')) do
                if redis.call('HGET', P .. 'ident:' .. ident, 'proxy') == '0' then bound = true end
            end
            if not bound and redis.call('HGET', member_key(no), 'status') == 'active' then
                numbers[#numbers + 1] = no
            end
        end
    end
    local field = 'code_' .. kind
    local next_candidate = 10
    local out = {'ok'}
    for _, no in ipairs(numbers) do
        local m = redis.call('HMGET', member_key(no), 'branch', 'status', 'name', field)
        if not m[1] then return err('member.not_found', no) end
        if not in_scope(scope, m[1]) then return err('auth.forbidden') end
        if m[2] ~= 'active' then return err('member.inactive', no) end
        local code, expires
        if reuse == '1' and m[4] then
            local c = redis.call('HMGET', P .. 'code:' .. m[4], 'expires_at', 'used_at')
            if c[1] and not c[2] and tonumber(c[1]) > now + 86400 then
                code, expires = m[4], c[1]
            end
        end
        if not code then
            while not code do
                local candidate = args[next_candidate]
                if not candidate then return err('code.exhausted') end
                next_candidate = next_candidate + 1
                if redis.call('EXISTS', P .. 'code:' .. candidate) == 0 then code = candidate end
            end
            if m[4] then redis.call('DEL', P .. 'code:' .. m[4]) end
            expires = tostring(now + math.floor(ttl / 1000))
            local ckey = P .. 'code:' .. code
            redis.call('HSET', ckey, 'member', no, 'kind', kind, 'expires_at', expires)
            -- Kept a week past expiry, so that a late try is told "expired", not "wrong". A
            -- relative TTL: Redis's clock need not be the caller's.
            redis.call('PEXPIRE', ckey, ttl + 7 * 86400 * 1000)
            redis.call('HSET', member_key(no), field, code)
            audit(keys, actor, origin, now, 'code.issue', no, m[1], kind)
        end
        out[#out + 1] = {no, m[3], code, expires}
    end
    return out
end

--------------------------------------------------------------------------------------------
-- Binding a WeChat identity

-- {number, name, branch, branch_name, roles, status, proxy}
local function summary(no, proxy)
    local m = redis.call('HMGET', member_key(no), 'name', 'branch', 'roles', 'status')
    if not m[1] then return nil end
    local bname = redis.call('HGET', branch_key(m[2]), 'name') or ''
    return {no, m[1], m[2], bname, m[3] or 'member', m[4] or 'active', proxy}
end

-- The member an identity acts for, or nil.
local function bound(ident)
    local no, proxy = binding_of(ident)
    if not no then return nil end
    return summary(no, proxy)
end

local function bind(ident, no, proxy, via, now)
    redis.call('HSET', P .. 'ident:' .. ident, 'member', no, 'proxy', proxy, 'via', via, 'at', now)
    redis.call('SADD', member_key(no) .. ':idents', ident)
    copy_binding(ident, no, proxy)
end

-- Whether the identity, or the code (when given), is over its limit of failed attempts.
local function limited(ident, code, max_ident, max_code)
    if tonumber(redis.call('GET', P .. 'fail:ident:' .. ident) or '0') >= max_ident then return true end
    return code ~= nil and tonumber(redis.call('GET', P .. 'fail:code:' .. code) or '0') >= max_code
end

-- Counts a failed attempt of the identity, and on the code when given.
local function count_failure(ident, code, window)
    local k = P .. 'fail:ident:' .. ident
    if redis.call('INCR', k) == 1 then redis.call('PEXPIRE', k, window) end
    if code then
        local c = P .. 'fail:code:' .. code
        if redis.call('INCR', c) == 1 then redis.call('PEXPIRE', c, window) end
    end
end

-- ARGV: ident code now origin max_ident_fails max_code_fails window_ms
local function bind_code(keys, args)
    local ident, code, now, origin = args[1], args[2], tonumber(args[3]), args[4]
    local max_ident, max_code, window = tonumber(args[5]), tonumber(args[6]), args[7]
    if limited(ident, code, max_ident, max_code) then return err('bind.too_many') end
    local already = bound(ident)
    if already then return err('bind.already', already[2]) end
    local c = redis.call('HMGET', P .. 'code:' .. code, 'member', 'kind', 'expires_at', 'used_at')
    if not c[1] then
        count_failure(ident, code, window)
        return err('bind.code_wrong')
    end
    if c[4] then
        count_failure(ident, code, window)
        return err('bind.code_used')
    end
    if tonumber(c[3]) <= now then
        count_failure(ident, code, window)
        return err('bind.code_expired')
    end
    local no = c[1]
    local m = redis.call('HMGET', member_key(no), 'status', 'branch')
    if not m[1] then return err('member.not_found') end
    if m[1] ~= 'active' then return err('member.inactive') end
    local proxy = c[2] == 'proxy' and '1' or '0'
    if proxy == '0' then
        -- One person, one account per app: a second phone needs the secretary to unbind first.
        local app = ident:match('^[^:]+')
        for _, other in ipairs(redis.call('SMEMBERS', member_key(no) .. ':idents')) do
            if other:match('^[^:]+') == app and redis.call('HGET', P .. 'ident:' .. other, 'proxy') == '0' then
                return err('bind.taken')
            end
        end
    end
    bind(ident, no, proxy, 'code', now)
    redis.call('HSET', P .. 'code:' .. code, 'used_at', now, 'used_by', ident)
    redis.call('HDEL', member_key(no), 'code_' .. c[2])
    audit(keys, 'wx:' .. ident, origin, now, proxy == '1' and 'bind.proxy' or 'bind.self', no, m[2], 'code',
        proxy == '1' and no or '')
    return {'ok', summary(no, proxy)}
end

-- ARGV: ident phone_hmac now origin max_ident_fails window_ms
local function bind_phone(keys, args)
    local ident, hash, now, origin, max_ident, window = args[1], args[2], tonumber(args[3]), args[4],
        tonumber(args[5]), args[6]
    if limited(ident, nil, max_ident) then return err('bind.too_many') end
    local already = bound(ident)
    if already then return err('bind.already', already[2]) end
    local numbers = redis.call('SMEMBERS', P .. 'phone:' .. hash)
    local active = {}
    for _, no in ipairs(numbers) do
        if redis.call('HGET', member_key(no), 'status') == 'active' then active[#active + 1] = no end
    end
    if #active == 0 then
        count_failure(ident, nil, window)
        return err('bind.phone_unknown')
    end
    if #active > 1 then return err('bind.phone_shared') end
    local no = active[1]
    local app = ident:match('^[^:]+')
    for _, other in ipairs(redis.call('SMEMBERS', member_key(no) .. ':idents')) do
        if other:match('^[^:]+') == app and redis.call('HGET', P .. 'ident:' .. other, 'proxy') == '0' then
            return err('bind.taken')
        end
    end
    bind(ident, no, '0', 'phone', now)
    audit(keys, 'wx:' .. ident, origin, now, 'bind.self', no, redis.call('HGET', member_key(no), 'branch'), 'phone')
    return {'ok', summary(no, '0')}
end

-- ARGV: actor origin now scope number
local function unbind(keys, args)
    local actor, origin, now, scope, no = args[1], args[2], args[3], args[4], args[5]
    local branch = redis.call('HGET', member_key(no), 'branch')
    if not branch then return err('member.not_found') end
    if not may_manage(scope, no, branch) then return err('auth.forbidden') end
    local n = unbind_all(no)
    audit(keys, actor, origin, now, 'member.unbind', no, branch, tostring(n))
    return {'ok', n}
end

-- ARGV: ident. The member an identity acts for: {'ok', summary} or {'ok'} when unbound.
local function whois(keys, args)
    local s = bound(args[1])
    if not s then return {'ok'} end
    return {'ok', s}
end

--------------------------------------------------------------------------------------------
-- Sessions of the mini-program

-- ARGV: session_hash ttl_ms now openid unionid session_key
-- Links the mini-program identity and the unionid both ways (whichever is bound binds the
-- other), then opens the session. {'ok', summary} or {'ok'} when not bound yet.
local function session_open(keys, args)
    local hash, ttl, now, openid, unionid, session_key = args[1], args[2], args[3], args[4], args[5], args[6]
    local ident = 'mp:' .. openid
    if unionid ~= '' then
        local union = 'union:' .. unionid
        local b_mp = redis.call('HMGET', P .. 'ident:' .. ident, 'member', 'proxy')
        local b_un = redis.call('HMGET', P .. 'ident:' .. union, 'member', 'proxy')
        if b_mp[1] and not b_un[1] then bind(union, b_mp[1], b_mp[2], 'unionid', now) end
        if b_un[1] and not b_mp[1] then bind(ident, b_un[1], b_un[2], 'unionid', now) end
    end
    local key = P .. 'session:' .. hash
    local fields = {'ident', ident, 'openid', openid, 'unionid', unionid, 'session_key', session_key,
        'created_at', now, 'slid_at', now}
    local no, proxy = binding_of(ident)  -- read once: the copy and the answer's summary
    if no then  -- the binding's copy (copy_binding())
        fields[13], fields[14], fields[15], fields[16] = 'member', no, 'proxy', proxy
    end
    redis.call('HSET', key, unpack(fields))
    redis.call('PEXPIRE', key, ttl)
    -- The identity's sessions, for copy_binding(); the expired ones leave the set now, so it
    -- holds no more than the sessions of one session lifetime.
    open_sessions(ident)
    redis.call('SADD', P .. 'ident:' .. ident .. ':sessions', hash)
    local s = no and summary(no, proxy)
    if not s then return {'ok'} end
    return {'ok', s}
end

-- ARGV: session_hash ttl_ms now. Slides the session's expiry (see session_ident).
-- {'ok', ident, summary?}, or 'auth.unauthorized' when there is no such session.
local function session_whoami(keys, args)
    local ident = session_ident(args[1], args[2], args[3])
    if not ident then return err('auth.unauthorized') end
    local m = bound(ident)
    if not m then return {'ok', ident} end
    return {'ok', ident, m}
end

local function session_close(keys, args)
    local key = P .. 'session:' .. args[1]
    local ident = redis.call('HGET', key, 'ident')
    if ident then redis.call('SREM', P .. 'ident:' .. ident .. ':sessions', args[1]) end
    return {'ok', redis.call('DEL', key)}
end

--------------------------------------------------------------------------------------------
-- Bureau API tokens (only their SHA-256 is kept). No scope argument: tokens are made and
-- revoked only from the command line, which acts for the bureau.

-- ARGV: actor origin now token_hash id name
local function token_create(keys, args)
    local actor, origin, now, hash, id, name = args[1], args[2], args[3], args[4], args[5], args[6]
    if redis.call('HEXISTS', P .. 'tokens', id) == 1 then return err('token.exists') end
    redis.call('HSET', P .. 'token:' .. hash, 'id', id, 'name', name, 'created_at', now)
    redis.call('HSET', P .. 'tokens', id, hash)
    audit(keys, actor, origin, now, 'token.create', id, '', name)
    return {'ok', id}
end

-- ARGV: actor origin now id
local function token_revoke(keys, args)
    local actor, origin, now, id = args[1], args[2], args[3], args[4]
    local hash = redis.call('HGET', P .. 'tokens', id)
    if not hash then return err('token.not_found') end
    local name = redis.call('HGET', P .. 'token:' .. hash, 'name') or ''
    redis.call('DEL', P .. 'token:' .. hash)
    redis.call('HDEL', P .. 'tokens', id)
    audit(keys, actor, origin, now, 'token.revoke', id, '', name)
    return {'ok', id}
end

local function token_list(keys, args)
    local out = {'ok'}
    local all = redis.call('HGETALL', P .. 'tokens')
    for i = 1, #all, 2 do
        local t = redis.call('HMGET', P .. 'token:' .. all[i + 1], 'id', 'name', 'created_at')
        out[#out + 1] = {t[1] or all[i], t[2] or '', t[3] or ''}
    end
    return out
end

redis.register_function('bense_roster_branch_put', branch_put)
redis.register_function('bense_roster_branch_delete', branch_delete)
redis.register_function{function_name = 'bense_roster_branch_get', callback = branch_get, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_roster_branch_list', callback = branch_list, flags = {'no-writes'}}
redis.register_function('bense_roster_member_put', member_put)
redis.register_function('bense_roster_member_delete', member_delete)
redis.register_function('bense_roster_transfer', transfer)
redis.register_function{function_name = 'bense_roster_member_get', callback = member_get, flags = {'no-writes'}}
redis.register_function{function_name = 'bense_roster_member_list', callback = member_list, flags = {'no-writes'}}
redis.register_function('bense_roster_import', import)
redis.register_function('bense_roster_issue_codes', issue_codes)
redis.register_function('bense_roster_bind_code', bind_code)
redis.register_function('bense_roster_bind_phone', bind_phone)
redis.register_function('bense_roster_unbind', unbind)
redis.register_function{function_name = 'bense_roster_whois', callback = whois, flags = {'no-writes'}}
redis.register_function('bense_roster_session_open', session_open)
redis.register_function('bense_roster_session_whoami', session_whoami)
redis.register_function('bense_roster_session_close', session_close)
redis.register_function('bense_roster_token_create', token_create)
redis.register_function('bense_roster_token_revoke', token_revoke)
redis.register_function{function_name = 'bense_roster_token_list', callback = token_list, flags = {'no-writes'}}
