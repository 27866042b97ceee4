// See points_cli_commands.hpp.
#include "handlers/points_cli_commands.hpp"

#include "handlers/assessment_facts.hpp"
#include "handlers/points_views.hpp"
#include "handlers/roster_errors.hpp"

#include <ostream>

namespace bense::handlers {

int points_ledger_export_command(RosterCliContext const& ctx, std::string const& member, std::ostream& out,
                                 std::ostream& err) {
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto found = co_await store.call("member_get", fcall_args("*", member));
        if (!found) {
            if (found.error().ec == roster_errc::member_not_found) {
                err << "没有编号为“" << member << "”的党员，请核对编号。\n";
                co_return 1;
            }
            err << "bense points export: 存储出错：" << found.error().ec.message() << "\n";
            co_return 2;
        }
        auto h = co_await whole_ledger(store.redis(), member, beijing_year(ctx.deps.clock->now_seconds()));
        if (!h) {
            err << "bense points export: 存储出错：" << h.error().ec.message() << "\n";
            co_return 2;
        }
        out << ledger_csv(member, *h, ctx.deps.points);
        co_return 0;
    });
}

int assessment_export_command(RosterCliContext const& ctx, std::string const& half_text, std::ostream& out,
                              std::ostream& err) {
    auto const now = ctx.deps.clock->now_seconds();
    auto half = half_text.empty() ? std::optional<HalfYear>(half_year_of(now)) : parse_half_year(half_text);
    if (!half) {
        err << "半年写错了：“" << half_text << "”。请写 2026H1（上半年）或 2026H2（下半年）。\n";
        return 1;
    }
    return run_on_store(ctx, [&](RosterStore& store) -> net::awaitable<int> {
        auto ids = co_await all_branch_ids(store.redis());
        if (!ids) {
            err << "bense points export: 存储出错：" << ids.error().ec.message() << "\n";
            co_return 2;
        }
        auto all = co_await assess_branches(store.redis(), ctx.deps.assessment, "*", *half, now, std::move(*ids));
        if (!all) {
            err << "bense points export: 存储出错：" << all.error().ec.message() << "\n";
            co_return 2;
        }
        out << assessment_csv(*all);
        co_return 0;
    });
}

}  // namespace bense::handlers
