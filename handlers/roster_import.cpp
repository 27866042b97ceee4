// See roster_import.hpp.
#include "handlers/roster_import.hpp"

#include "handlers/roster_errors.hpp"
#include "handlers/roster_fields.hpp"
#include "server/digest.hpp"
#include "server/json.hpp"

namespace bense::handlers {
namespace {

std::string rows_json(RosterFile const& file, std::string const& phone_key) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    auto field = [&w](char const* key, std::string const& value) {
        server::write_key(w, key);
        server::write_string(w, value);
    };
    w.StartArray();
    if (file.kind == RosterKind::members) {
        for (auto const& m : file.members) {
            w.StartObject();
            server::write_key(w, "line");
            w.Uint64(m.line);
            field("number", m.number);
            field("name", m.name);
            field("branch", m.branch);
            std::string roles;
            for (auto const& r : m.roles) {
                roles += roles.empty() ? r : "," + r;
            }
            field("roles", roles);
            field("status", std::string(status_name(m.status)));
            if (m.smartphone) {
                field("smartphone", *m.smartphone ? "1" : "0");
            }
            if (!m.phone.empty()) {
                field("phone_hash", server::hmac_sha256_hex(phone_key, m.phone));
            }
            w.EndObject();
        }
    } else {
        for (auto const& b : file.branches) {
            w.StartObject();
            server::write_key(w, "line");
            w.Uint64(b.line);
            field("id", b.id);
            field("name", b.name);
            field("unit", b.unit);
            field("community", b.community);
            field("tier", b.tier);
            field("feature", b.feature);
            w.EndObject();
        }
    }
    w.EndArray();
    return buf.GetString();
}

// The store's problems ([{line, branch}] or [{line, name}]) in words.
std::vector<RosterProblem> store_problems(std::string const& detail) {
    std::vector<RosterProblem> out;
    auto doc = server::parse_json(detail);
    if (!doc || !doc->IsArray()) {
        return out;
    }
    for (auto const& p : doc->GetArray()) {
        if (!p.IsObject() || !p.HasMember("line") || !p["line"].IsUint64()) {
            continue;
        }
        RosterProblem problem{p["line"].GetUint64(), {}};
        if (p.HasMember("branch") && p["branch"].IsString()) {
            problem.reason = "支部" + roster::quote_value(p["branch"].GetString()) +
                             "不存在，请先导入或建立这个支部，或核对支部名称。";
        } else if (p.HasMember("name") && p["name"].IsString()) {
            problem.reason = "支部名称" + roster::quote_value(p["name"].GetString()) + "已被别的支部使用。";
        }
        out.push_back(std::move(problem));
    }
    return out;
}

}  // namespace

net::awaitable<result<ImportReport, ImportFailure>> import_roster(RosterStore& store, Acting const& acting,
                                                                  std::string_view bytes,
                                                                  std::string const& phone_key) {
    auto file = parse_roster_csv(bytes);
    if (!file.problems.empty()) {
        co_return ImportFailure{std::move(file.problems), {}};
    }
    ImportReport report;
    report.kind = file.kind;
    report.rows = file.kind == RosterKind::members ? file.members.size() : file.branches.size();
    auto args = fcall_args(file.kind == RosterKind::members ? "members" : "branches", rows_json(file, phone_key));
    auto r = co_await store.call("import", acting, std::move(args));
    if (!r) {
        if (r.error().ec == roster_errc::import_invalid) {
            co_return ImportFailure{store_problems(r.error().detail), r.error()};
        }
        co_return ImportFailure{{}, r.error()};
    }
    report.created = (*r)[0].as_integer().value_or(0);
    report.updated = (*r)[1].as_integer().value_or(0);
    report.unchanged = (*r)[2].as_integer().value_or(0);
    co_return report;
}

std::string import_report_json(ImportReport const& report) {
    return fmt::format(R"({{"kind":"{}","rows":{},"created":{},"updated":{},"unchanged":{}}})",
                       report.kind == RosterKind::members ? "members" : "branches", report.rows, report.created,
                       report.updated, report.unchanged);
}

std::string problems_json(std::vector<RosterProblem> const& problems) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartArray();
    for (auto const& p : problems) {
        w.StartObject();
        server::write_key(w, "line");
        w.Uint64(p.line);
        server::write_key(w, "reason");
        server::write_string(w, p.reason);
        w.EndObject();
    }
    w.EndArray();
    return buf.GetString();
}

}  // namespace bense::handlers
