// What the admin route files share: the caller's Acting, and answering a store call.
// Private to admin_*.cpp.
#pragma once

#include "handlers/roster_auth.hpp"
#include "handlers/roster_config.hpp"
#include "handlers/roster_json.hpp"
#include "handlers/roster_store.hpp"
#include "server/http_types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace bense::handlers::admin {

using Deps = std::shared_ptr<RosterDeps const>;
using Reply = result<std::vector<server::RedisReply>, StoreError>;

// An admin caller's Acting, or the response refusing the request.
net::awaitable<result<Acting, server::Response>> admin_acting(server::Request& req, RosterDeps const& deps);

// An admin caller and the JSON object they sent.
struct AdminRequest {
    Acting acting;
    rapidjson::Document body;
};
// The same for a request that must carry a JSON object body.
net::awaitable<result<AdminRequest, server::Response>> admin_json_request(server::Request& req,
                                                                         RosterDeps const& deps);

// 200 with `json`.
server::Response ok(std::string json);
// The envelope of a failed call, or nullopt when it succeeded.
std::optional<server::Response> failed(server::Request const& req, Reply const& r);

// Random 6-digit candidates for issue_codes (the function skips those in use).
std::vector<std::string> code_candidates(RosterDeps const& deps, std::size_t n);

// {"<key>":[render(view), ...]} from a list function's answer.
std::string list_json(std::string_view key, std::vector<server::RedisReply> const& views,
                      std::string (*render)(FieldMap const&));

// The "kind" of a codes request: "self" when absent; nullopt when neither self nor proxy.
std::optional<std::string> code_kind(rapidjson::Value const& body);
inline constexpr std::string_view kBadCodeKind = "kind 只能是 self（本人）或 proxy（家人代办）。";

// [{"number","name","code","expires_at"}...] from issue_codes' answer.
std::string issued_codes_json(std::vector<server::RedisReply> const& issued);

}  // namespace bense::handlers::admin
