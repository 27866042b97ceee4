// The bodies of `bense roster import|codes` and `bense admin token create|list|revoke`, and
// how they (and `bense points export`) reach Redis: each
// runs one-off on its own io_context with its own Redis client (the shape of `bense wx
// menu`), acts as Acting{"cli", "cli", now, "*"} and returns the process exit code.
// Private to roster_cli.cpp, which reads the command line and the config.
#pragma once

#include "handlers/activity_store.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/roster_config.hpp"
#include "handlers/roster_store.hpp"
#include "server/config.hpp"
#include "server/redis_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <iosfwd>
#include <string>

namespace bense::handlers {

struct RosterCliContext {
    server::RedisConfig redis;
    RosterDeps deps;  // the sections, the clock and the random source
};

// Runs `body(store)` on a fresh io_context with a Redis client of its own that loads the
// roster's functions, and returns what it returned. Runs only until body has finished: the
// client's command-deadline timer stays armed after close() (server/redis_client.cpp
// arm_deadline_timer), so running the io_context dry would wait out command_timeout. The
// client's destructor frees what close() started to take down.
template <class Body>
int run_on_store(RosterCliContext const& ctx, Body body) {
    net::io_context ioc(1);
    server::RedisClient::Options options;
    options.config = ctx.redis;
    options.function_libraries = {roster_redis_library(), points_redis_library(), activity_redis_library()};
    server::RedisClient redis(ioc.get_executor(), options);
    redis.start();
    auto done = net::co_spawn(
        ioc,
        [&]() -> net::awaitable<int> {
            RosterStore store(redis);
            int code = 2;
            try {
                code = co_await body(store);
            } catch (...) {
                redis.close();
                throw;
            }
            redis.close();
            co_return code;
        },
        net::use_future);
    auto const finished = [&done] { return done.wait_for(std::chrono::seconds(0)) == std::future_status::ready; };
    while (!finished() && ioc.run_one() > 0) {
    }
    return finished() ? done.get() : 2;
}

// Imports a members or branches file: 0 imported (the summary on `out`), 1 the file has
// problems (each as 第N行：reason on `err`; nothing imported), 2 the file cannot be read or
// the store failed.
int roster_import_command(RosterCliContext const& ctx, std::string const& file, std::ostream& out,
                          std::ostream& err);

// Issues binding codes of `kind` ("self" or "proxy") to every active member of `branch` not
// yet bound in person; with `fresh` new codes replace codes still valid. 0 with the table on
// `out`, 1 no such branch, 2 the store failed.
int roster_codes_command(RosterCliContext const& ctx, std::string const& branch, std::string const& kind,
                         bool fresh, std::ostream& out, std::ostream& err);

// A new bureau token named `name`, printed once: 0, or 2 when the store failed.
int token_create_command(RosterCliContext const& ctx, std::string const& name, std::ostream& out,
                         std::ostream& err);
// Every token's id, name and creation time (never the token): 0, or 2.
int token_list_command(RosterCliContext const& ctx, std::ostream& out, std::ostream& err);
// Revokes the token `id`: 0, 1 no such token, 2 the store failed.
int token_revoke_command(RosterCliContext const& ctx, std::string const& id, std::ostream& out,
                         std::ostream& err);

}  // namespace bense::handlers
