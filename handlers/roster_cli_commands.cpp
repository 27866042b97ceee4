// See roster_cli_commands.hpp. A blocking one-off run is fine here: one command from a
// terminal or run.sh, never from the server's threads.
#include "handlers/roster_cli_commands.hpp"

#include "handlers/roster_auth.hpp"
#include "handlers/roster_cli_text.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_import.hpp"
#include "handlers/roster_store.hpp"
#include "server/digest.hpp"
#include "server/redis_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <charconv>
#include <chrono>
#include <future>
#include <fstream>
#include <ostream>
#include <sstream>

namespace bense::handlers {
namespace {

// How often a new token id is drawn when the one drawn is taken (4 random bytes: never twice
// in practice, but the store is the judge).
constexpr int kTokenIdTries = 3;

Acting cli_acting(RosterCliContext const& ctx) { return Acting{"cli", "cli", ctx.deps.clock->now_seconds(), "*"}; }

// "store.unavailable（Redis 127.0.0.1:6390）" and the function's detail, if any.
std::string describe(RosterCliContext const& ctx, StoreError const& e) {
    std::string out = e.ec.message();
    if (!e.detail.empty()) {
        out += " " + e.detail;
    }
    return out + "（Redis " + ctx.redis.address + "）";
}

std::size_t count_of(std::string_view text) {
    std::size_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
}

}  // namespace

//------------------------------------------------------------------------------------------
// bense roster import

int roster_import_command(RosterCliContext const& ctx, std::string const& file, std::ostream& out,
                          std::ostream& err) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        err << "bense roster import: 无法读取文件 " << file << "\n";
        return 2;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string const bytes = buf.str();
    Acting const acting = cli_acting(ctx);
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto r = co_await import_roster(store, acting, bytes, ctx.deps.config.phone_hash_secret);
        if (r) {
            out << import_summary(*r) << "\n";
            co_return 0;
        }
        auto const& failure = r.error();
        if (!failure.problems.empty()) {
            for (auto const& p : failure.problems) {
                err << problem_line(p) << "\n";
            }
            err << file << "：有 " << failure.problems.size() << " 处问题，一行也没有导入；改正后请重新导入。\n";
            co_return 1;
        }
        err << "bense roster import: 存储出错：" << describe(ctx, failure.error) << "；一行也没有导入。\n";
        co_return 2;
    });
}

//------------------------------------------------------------------------------------------
// bense roster codes

int roster_codes_command(RosterCliContext const& ctx, std::string const& branch, std::string const& kind,
                         bool fresh, std::ostream& out, std::ostream& err) {
    Acting const acting = cli_acting(ctx);
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto found = co_await store.call("branch_get", fcall_args(branch));
        if (!found) {
            if (found.error().ec == roster_errc::branch_not_found) {
                err << "没有编号为“" << branch << "”的支部；请先导入支部表（bense roster import），或核对编号。\n";
                co_return 1;
            }
            err << "bense roster codes: 存储出错：" << describe(ctx, found.error()) << "\n";
            co_return 2;
        }
        auto fields = read_fields(found->front());
        auto const ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.deps.config.code_ttl);
        std::vector<std::string> args =
            fcall_args(std::to_string(ttl_ms.count()), kind, fresh ? "0" : "1", branch, "");
        // Twice as many candidates as members, and some: issue_codes skips those in use.
        std::size_t const members = count_of(fields["members"]);
        std::size_t const candidates = 2 * members + 8;
        for (std::size_t i = 0; i < candidates; ++i) {
            args.push_back(server::random_digits(ctx.deps.random, 6));
        }
        auto issued = co_await store.call("issue_codes", acting, std::move(args));
        if (!issued) {
            err << "bense roster codes: 存储出错：" << describe(ctx, issued.error()) << "\n";
            co_return 2;
        }
        auto const codes = read_issued_codes(*issued);
        std::string const title = fields["name"] + "（" + branch + "）";
        if (codes.empty()) {
            out << title << (members == 0 ? "还没有成员；请先导入成员表（bense roster import）。\n"
                                          : "：在册成员都已本人绑定，不需要绑定码。\n");
            co_return 0;
        }
        out << title << (kind == "proxy" ? "家人代办绑定码" : "本人绑定码") << "，共 " << codes.size() << " 个：\n"
            << codes_table(codes);
        co_return 0;
    });
}

//------------------------------------------------------------------------------------------
// bense admin token

int token_create_command(RosterCliContext const& ctx, std::string const& name, std::ostream& out,
                         std::ostream& err) {
    Acting const acting = cli_acting(ctx);
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        std::string const token = std::string(kBureauTokenPrefix) + new_token(ctx.deps);
        for (int attempt = 0; attempt < kTokenIdTries; ++attempt) {
            std::string const id = token_id_from(ctx.deps.random(4));
            // token_create and token_revoke take no scope (only the bureau's own tools call them).
            auto r = co_await store.call("token_create",
                                         fcall_args(acting.actor, acting.origin, std::to_string(acting.now),
                                                    server::sha256_hex(token), id, name));
            if (!r && r.error().ec == roster_errc::token_exists) {
                continue;
            }
            if (!r) {
                err << "bense admin token create: 存储出错：" << describe(ctx, r.error()) << "\n";
                co_return 2;
            }
            out << "令牌已创建：编号 " << id << "，名称 " << name << "\n"
                << token << "\n"
                << "这个令牌只显示这一次，请现在妥善保存（Bense 只存它的 SHA-256）；丢失后请吊销"
                   "（bense admin token revoke --id "
                << id << "）再新建。\n";
            co_return 0;
        }
        err << "bense admin token create: 连续 " << kTokenIdTries << " 次抽到已有的编号，请重试。\n";
        co_return 2;
    });
}

int token_list_command(RosterCliContext const& ctx, std::ostream& out, std::ostream& err) {
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto r = co_await store.call("token_list", std::vector<std::string>());
        if (!r) {
            err << "bense admin token list: 存储出错：" << describe(ctx, r.error()) << "\n";
            co_return 2;
        }
        auto rows = read_token_rows(*r);
        if (rows.empty()) {
            out << "还没有令牌；用 bense admin token create --name 名称 新建。\n";
            co_return 0;
        }
        out << tokens_table(std::move(rows));
        co_return 0;
    });
}

int token_revoke_command(RosterCliContext const& ctx, std::string const& id, std::ostream& out,
                         std::ostream& err) {
    Acting const acting = cli_acting(ctx);
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto r = co_await store.call("token_revoke",
                                     fcall_args(acting.actor, acting.origin, std::to_string(acting.now), id));
        if (!r) {
            if (r.error().ec == roster_errc::token_not_found) {
                err << "没有编号为“" << id << "”的令牌（bense admin token list 列出全部）。\n";
                co_return 1;
            }
            err << "bense admin token revoke: 存储出错：" << describe(ctx, r.error()) << "\n";
            co_return 2;
        }
        out << "令牌 " << id << " 已吊销，用它的请求从现在起得到 401。\n";
        co_return 0;
    });
}

}  // namespace bense::handlers
