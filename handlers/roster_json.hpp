// The roster's JSON: reading what the admin API is sent into checked field lists for the
// Redis functions, and writing what they answer. Pure: unit-tested without I/O. Reasons are
// one Chinese sentence each, shown to the clerk as they are.
#pragma once

#include "handlers/roster_store.hpp"
#include "server/net.hpp"

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

namespace bense::handlers {

using FieldMap = std::map<std::string, std::string, std::less<>>;

// Why an input was refused: one Chinese sentence for the clerk.
struct FieldError {
    std::string reason;
};

// What a create or update asks for: the record's id and the {field, value} pairs to write.
struct RosterInput {
    std::string id;
    std::vector<std::string> fields;  // field, value, field, value ...
};

// A branch: {id (create only), name, unit, community, tier (规范化/先进/过硬 or the code), feature}.
// Creating needs id and name; an update needs at least one field, may not send id and may
// not blank the name.
result<RosterInput, FieldError> parse_branch_input(rapidjson::Value const& body, bool creating);

// A member: {number, name, branch (create only), phone, status, smartphone}; roles have their
// own route. Creating needs number, name and branch; a name is never blank. `phone_key` makes
// the phone's HMAC ("" or null clears it).
result<RosterInput, FieldError> parse_member_input(rapidjson::Value const& body, bool creating,
                                                    std::string const& phone_key);

// {"roles": ["secretary", "支委", ...]}: the completed role list, as "a,b".
result<std::string, FieldError> parse_roles_input(rapidjson::Value const& body);

// The JSON objects the API answers with.
std::string member_json(FieldMap const& fields);
std::string branch_json(FieldMap const& fields);
std::string summary_json(MemberSummary const& member);
// [obj, obj] from pre-rendered objects.
std::string json_array(std::vector<std::string> const& objects);

}  // namespace bense::handlers
