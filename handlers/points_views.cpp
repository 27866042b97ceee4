// See points_views.hpp.
#include "handlers/points_views.hpp"

#include "handlers/beijing_time.hpp"
#include "handlers/csv_writer.hpp"
#include "server/errors.hpp"
#include "server/json.hpp"


#include <algorithm>
#include <charconv>

namespace bense::handlers {
namespace {

constexpr int kExportPage = 500;

template <class Int>
Int number_in(std::string const& text) {
    Int v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

long long integer_of(server::RedisReply const& r) {
    if (auto i = r.as_integer()) {
        return *i;
    }
    return number_in<long long>(std::string(r.text().value_or("")));
}

std::string text_of(server::RedisReply const& r) { return std::string(r.text().value_or("")); }

PointsEntry entry_of(server::RedisReply const& e) {
    auto f = read_fields(e.elements[1]);
    PointsEntry entry;
    entry.id = text_of(e.elements[0]);
    entry.action = f["action"];
    entry.points = number_in<long long>(f["points"]);
    entry.capped = f["capped"];
    entry.at = number_in<std::int64_t>(f["at"]);
    entry.reason = f["reason"];
    entry.status = f["status"];
    entry.reference = f["reference"];
    entry.by = f["by"];
    entry.acting_for = f["for"];
    entry.about = !f["reverses"].empty() ? f["reverses"] : f["decides"];
    return entry;
}

std::string const& name_of(PointsRules const& rules, std::string const& action) {
    auto const* rule = rules.find(action);
    return rule ? rule->name : action;
}

void write_strings(server::JsonWriter& w, std::initializer_list<std::pair<char const*, std::string const*>> fields) {
    for (auto [k, v] : fields) {
        server::write_key(w, k);
        server::write_string(w, *v);
    }
}

void write_int(server::JsonWriter& w, char const* key, long long v) {
    server::write_key(w, key);
    w.Int64(v);
}

std::string_view status_name(std::string_view status) {
    if (status == "pending") return "待确认";
    if (status == "confirmed") return "已确认";
    if (status == "rejected") return "未通过";
    if (status == "reversal") return "冲正";
    return "";
}

}  // namespace

net::awaitable<result<PointsHistory, StoreError>> points_history(server::RedisClient& redis,
                                                                 std::string const& member, int year,
                                                                 std::string const& before, int count) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("history", fcall_args(member, std::to_string(year), before, std::to_string(count)));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 3) {
        co_return StoreError{server::errc::store_error, "unexpected history answer"};
    }
    PointsHistory h;
    h.total = v[0].as_integer().value_or(0);
    h.year_total = v[1].as_integer().value_or(0);
    for (auto const& e : v[2].elements) {
        if (e.elements.size() == 2) {
            h.entries.push_back(entry_of(e));
        }
    }
    co_return h;
}

net::awaitable<result<PointsHistory, StoreError>> whole_ledger(server::RedisClient& redis,
                                                               std::string const& member, int year) {
    PointsHistory all;
    std::string before;
    for (;;) {
        auto page = co_await points_history(redis, member, year, before, kExportPage);
        if (!page) {
            co_return std::move(page.error());
        }
        all.total = page->total;
        all.year_total = page->year_total;
        bool const last = page->entries.size() < static_cast<std::size_t>(kExportPage);
        if (!page->entries.empty()) {
            before = page->entries.back().id;
        }
        std::move(page->entries.begin(), page->entries.end(), std::back_inserter(all.entries));
        if (last) {
            co_return all;
        }
    }
}

std::string points_history_json(PointsHistory const& h, int year, PointsRules const& rules, bool for_admin) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    write_int(w, "year", year);
    write_int(w, "year_total", h.year_total);
    write_int(w, "total", h.total);
    server::write_key(w, "entries");
    w.StartArray();
    for (auto const& e : h.entries) {
        w.StartObject();
        write_strings(w, {{"id", &e.id}, {"action", &e.action}, {"name", &name_of(rules, e.action)},
                          {"capped", &e.capped}, {"reason", &e.reason}});
        write_int(w, "points", e.points);
        write_int(w, "at", e.at);
        if (for_admin) {
            write_strings(w, {{"status", &e.status}, {"reference", &e.reference}, {"by", &e.by},
                              {"for", &e.acting_for}, {"about", &e.about}});
        }
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

net::awaitable<result<BranchPoints, StoreError>> branch_points(server::RedisClient& redis, std::string const& scope,
                                                               std::string const& branch, int year) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("branch", fcall_args(scope, branch, std::to_string(year)));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() < 4) {
        co_return StoreError{server::errc::store_error, "unexpected branch answer"};
    }
    BranchPoints b{branch, text_of(v[0]), integer_of(v[1]), integer_of(v[2]), 0, text_of(v[3]) == "1", {}};
    for (auto it = v.begin() + 4; it != v.end(); ++it) {
        if (it->elements.size() == 4) {
            b.people.push_back({text_of(it->elements[0]), text_of(it->elements[1]), integer_of(it->elements[2]),
                                integer_of(it->elements[3])});
        }
    }
    b.members = static_cast<long long>(b.people.size());
    co_return b;
}

net::awaitable<result<std::vector<BranchPoints>, StoreError>> all_branch_points(server::RedisClient& redis,
                                                                                std::string const& scope, int year) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("branches", fcall_args(scope, std::to_string(year)));
    if (!r) {
        co_return std::move(r.error());
    }
    std::vector<BranchPoints> all;
    for (auto const& e : *r) {
        if (e.elements.size() == 5) {
            all.push_back({text_of(e.elements[0]), text_of(e.elements[1]), integer_of(e.elements[2]),
                           integer_of(e.elements[3]), integer_of(e.elements[4]), false, {}});
        }
    }
    co_return all;
}

std::string branch_points_json(BranchPoints const& b, int year) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    write_strings(w, {{"id", &b.id}, {"name", &b.name}});
    write_int(w, "year", year);
    write_int(w, "year_total", b.year_total);
    write_int(w, "total", b.total);
    server::write_key(w, "ranking_enabled");
    w.Bool(b.ranking);
    server::write_key(w, "members");
    w.StartArray();
    for (auto const& m : b.people) {
        w.StartObject();
        write_strings(w, {{"number", &m.number}, {"name", &m.name}});
        write_int(w, "year_total", m.year_total);
        write_int(w, "total", m.total);
        w.EndObject();
    }
    w.EndArray();
    if (b.ranking) {
        // Most points this year first; equal totals share a rank (1, 2, 2, 4).
        auto ranked = b.people;
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](MemberPoints const& x, MemberPoints const& y) { return x.year_total > y.year_total; });
        server::write_key(w, "ranking");
        w.StartArray();
        for (std::size_t i = 0, rank = 1; i < ranked.size(); ++i) {
            if (i > 0 && ranked[i].year_total != ranked[i - 1].year_total) {
                rank = i + 1;
            }
            w.StartObject();
            write_int(w, "rank", static_cast<long long>(rank));
            write_strings(w, {{"number", &ranked[i].number}, {"name", &ranked[i].name}});
            write_int(w, "year_total", ranked[i].year_total);
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
    return buf.GetString();
}

std::string all_branch_points_json(std::vector<BranchPoints> const& all, int year) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    write_int(w, "year", year);
    server::write_key(w, "branches");
    w.StartArray();
    for (auto const& b : all) {
        w.StartObject();
        write_strings(w, {{"id", &b.id}, {"name", &b.name}});
        write_int(w, "year_total", b.year_total);
        write_int(w, "total", b.total);
        write_int(w, "members", b.members);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

net::awaitable<result<void, StoreError>> set_branch_ranking(server::RedisClient& redis, Acting const& acting,
                                                            std::string const& branch, bool on) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("set_ranking", acting, fcall_args(branch, on ? "1" : "0"));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return result<void, StoreError>{};
}

net::awaitable<result<std::vector<PendingEntry>, StoreError>> pending_entries(server::RedisClient& redis,
                                                                              std::string const& scope,
                                                                              std::string const& branch) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("pending", fcall_args(scope, branch));
    if (!r) {
        co_return std::move(r.error());
    }
    std::vector<PendingEntry> out;
    for (auto const& e : *r) {
        if (e.elements.size() == 8) {
            auto const& x = e.elements;
            out.push_back({text_of(x[0]), text_of(x[1]), text_of(x[2]), text_of(x[3]), integer_of(x[4]),
                           integer_of(x[5]), text_of(x[6]), text_of(x[7])});
        }
    }
    co_return out;
}

std::string pending_json(std::string const& branch, std::vector<PendingEntry> const& pending,
                         PointsRules const& rules) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    write_strings(w, {{"branch", &branch}});
    server::write_key(w, "pending");
    w.StartArray();
    for (auto const& p : pending) {
        w.StartObject();
        write_strings(w, {{"number", &p.number}, {"name", &p.name}, {"entry", &p.entry}, {"action", &p.action},
                          {"action_name", &name_of(rules, p.action)}, {"by", &p.by}, {"for", &p.acting_for}});
        write_int(w, "points", p.asked);
        write_int(w, "at", p.at);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

std::string ledger_csv(std::string const& member, PointsHistory const& h, PointsRules const& rules) {
    std::string out = csv_bom();
    append_csv_row(out, {"党员编号", "时间（北京时间）", "项目", "积分", "状态", "封顶", "原因", "经办", "代办对象",
                         "关联", "条目编号", "所涉条目"});
    for (auto it = h.entries.rbegin(); it != h.entries.rend(); ++it) {
        auto const& e = *it;
        std::string capped = e.capped == "daily" ? "当日已达上限" : e.capped == "yearly" ? "本年已达上限" : "";
        append_csv_row(out, {member, beijing_minute(e.at), name_of(rules, e.action), std::to_string(e.points),
                             std::string(status_name(e.status)), capped, e.reason, e.by, e.acting_for, e.reference,
                             e.id, e.about});
    }
    return out;
}

}  // namespace bense::handlers
