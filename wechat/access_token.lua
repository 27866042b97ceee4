#!lua name=bense_wechat_token
-- The access-token cache and its refresh lock both need "delete only if it still holds what
-- I saw": one step in Redis, or another instance's fresh value could be deleted.
redis.register_function('bense_del_if_equal', function(keys, args)
    if redis.call('GET', keys[1]) == args[1] then
        return redis.call('DEL', keys[1])
    end
    return 0
end)
