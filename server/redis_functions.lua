#!lua name=bense_server
-- Redis functions of the runtime itself. bense_health answers 'ok' only when this library is
-- loaded, so /healthz proves both that Redis answers and that our functions are in place
-- (the client loads them on every connect, so a restarted Redis gets them back).
redis.register_function{
    function_name = 'bense_health',
    callback = function() return 'ok' end,
    flags = {'no-writes', 'allow-stale'},
}
