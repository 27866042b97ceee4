// See admin_support.hpp.
#include "handlers/admin_support.hpp"

#include "server/digest.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

namespace bense::handlers::admin {

net::awaitable<result<Acting, server::Response>> admin_acting(server::Request& req, RosterDeps const& deps) {
    auto caller = co_await authenticate_admin(req, deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    co_return caller->acting(req, deps.clock->now_seconds());
}

net::awaitable<result<AdminRequest, server::Response>> admin_json_request(server::Request& req,
                                                                         RosterDeps const& deps) {
    auto acting = co_await admin_acting(req, deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    co_return AdminRequest{std::move(*acting), std::move(*body)};
}

server::Response ok(std::string json) { return server::json_response(http::status::ok, std::move(json)); }

std::optional<server::Response> failed(server::Request const& req, Reply const& r) {
    if (r) {
        return std::nullopt;
    }
    return store_error_response(req, r.error());
}

std::vector<std::string> code_candidates(RosterDeps const& deps, std::size_t n) {
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(server::random_digits(deps.random, 6));
    }
    return out;
}

std::string list_json(std::string_view key, std::vector<server::RedisReply> const& views,
                      std::string (*render)(FieldMap const&)) {
    std::vector<std::string> items;
    items.reserve(views.size());
    for (auto const& view : views) {
        items.push_back(render(read_fields(view)));
    }
    return "{\"" + std::string(key) + "\":" + json_array(items) + "}";
}

std::optional<std::string> code_kind(rapidjson::Value const& body) {
    auto it = body.FindMember("kind");
    if (it == body.MemberEnd()) {
        return "self";
    }
    if (!it->value.IsString()) {
        return std::nullopt;
    }
    std::string kind(it->value.GetString(), it->value.GetStringLength());
    if (kind != "self" && kind != "proxy") {
        return std::nullopt;
    }
    return kind;
}

std::string issued_codes_json(std::vector<server::RedisReply> const& issued) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartArray();
    for (auto const& row : issued) {
        if (row.elements.size() != 4) {
            continue;
        }
        w.StartObject();
        for (std::size_t i = 0; i < 3; ++i) {
            server::write_key(w, std::array{"number", "name", "code"}[i]);
            server::write_string(w, row.elements[i].text().value_or(""));
        }
        server::write_key(w, "expires_at");
        w.Int64(row.elements[3].as_integer().value_or(0));
        w.EndObject();
    }
    w.EndArray();
    return buf.GetString();
}

}  // namespace bense::handlers::admin
