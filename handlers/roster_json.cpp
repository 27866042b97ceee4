// See roster_json.hpp.
#include "handlers/roster_json.hpp"

#include "handlers/roster_csv.hpp"
#include "handlers/roster_fields.hpp"
#include "server/digest.hpp"
#include "server/json.hpp"
#include "server/utf8.hpp"

#include <charconv>

namespace bense::handlers {
namespace {

using Error = FieldError;

// A string member: nullopt when absent; an error when present but not a string.
result<std::optional<std::string>, Error> string_member(rapidjson::Value const& body, char const* key,
                                                        std::string_view label) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd() || it->value.IsNull()) {
        return std::optional<std::string>{};
    }
    if (!it->value.IsString()) {
        return Error{std::string(label.empty() ? std::string_view(key) : label) + "应是文字。"};
    }
    std::string_view raw(it->value.GetString(), it->value.GetStringLength());
    if (!server::is_valid_utf8(raw)) {
        return Error{std::string(label) + "含有无法识别的字符。"};
    }
    return std::optional<std::string>(std::string(roster::trim_cell(raw)));
}

// A free text of at most `max` characters; `required` ones must not be empty.
result<void, Error> check_text(std::string_view label, std::string const& value, std::size_t max, bool required) {
    if (required && value.empty()) {
        return Error{std::string(label) + "不能为空。"};
    }
    if (roster::code_points(value) > max) {
        return Error{std::string(label) + "太长了，最多" + std::to_string(max) + "个字。"};
    }
    return {};
}

bool has_unknown_keys(rapidjson::Value const& body, std::initializer_list<std::string_view> known,
                      std::string& which) {
    for (auto const& m : body.GetObject()) {
        std::string_view name(m.name.GetString(), m.name.GetStringLength());
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            which = std::string(name);
            return true;
        }
    }
    return false;
}

void put(std::vector<std::string>& fields, std::string name, std::string value) {
    fields.push_back(std::move(name));
    fields.push_back(std::move(value));
}

// Reads a text field into `fields` under `name`; returns the error, if any.
std::optional<Error> read_text(rapidjson::Value const& body, char const* key, std::string_view label,
                               std::size_t max, bool required, std::vector<std::string>& fields) {
    auto v = string_member(body, key, label);
    if (!v) {
        return v.error();
    }
    if (!*v) {
        return required ? std::optional<Error>(Error{std::string(label) + "不能为空。"}) : std::nullopt;
    }
    // A name may be left out of an update, but never blanked.
    bool const is_name = std::string_view(key) == "name";
    if (auto ok = check_text(label, **v, max, required || is_name); !ok) {
        return ok.error();
    }
    put(fields, key, std::move(**v));
    return std::nullopt;
}

// The record's id (`key`: "id" or "number"): required and valid when creating, refused on an
// update (ids never change).
result<std::string, FieldError> read_id(rapidjson::Value const& body, char const* key, std::string_view label,
                                        bool creating) {
    auto id = string_member(body, key, label);
    if (!id) {
        return id.error();
    }
    if (creating && (!*id || !is_valid_roster_id(**id))) {
        return Error{std::string(label) + "只能是1到32位字母、数字、- 或 _。"};
    }
    if (!creating && *id) {
        return Error{std::string(label) + "不能修改。"};
    }
    return result<std::string, FieldError>(boost::system::in_place_value, id->value_or(""));
}

std::int64_t to_int(FieldMap const& f, std::string_view key) {
    auto it = f.find(key);
    std::int64_t v = 0;
    if (it != f.end()) {
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    }
    return v;
}

std::string get(FieldMap const& f, std::string_view key) {
    auto it = f.find(key);
    return it == f.end() ? std::string{} : it->second;
}

void write_roles(server::JsonWriter& w, std::vector<std::string> const& roles) {
    w.StartArray();
    for (auto const& r : roles) {
        server::write_string(w, r);
    }
    w.EndArray();
}

void write_people(server::JsonWriter& w, std::string const& lines) {
    w.StartArray();
    for (auto const& line : split_list(lines, '\n')) {
        auto const colon = line.find(':');
        w.StartObject();
        server::write_key(w, "number");
        server::write_string(w, line.substr(0, colon));
        server::write_key(w, "name");
        server::write_string(w, colon == std::string::npos ? "" : line.substr(colon + 1));
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

//------------------------------------------------------------------------------------------
// Reading

result<RosterInput, FieldError> parse_branch_input(rapidjson::Value const& body, bool creating) {
    std::string unknown;
    if (has_unknown_keys(body, {"id", "name", "unit", "community", "tier", "feature"}, unknown)) {
        return Error{"不认识的项目“" + unknown + "”。"};
    }
    RosterInput in;
    auto id = read_id(body, "id", "支部编号", creating);
    if (!id) {
        return id.error();
    }
    in.id = std::move(*id);
    if (auto e = read_text(body, "name", "支部名称", 64, creating, in.fields)) {
        return *e;
    }
    for (auto [key, label] : {std::pair{"unit", "原单位"}, {"community", "社区"}, {"feature", "特色"}}) {
        if (auto e = read_text(body, key, label, 128, false, in.fields)) {
            return *e;
        }
    }
    auto tier = string_member(body, "tier", "等级");
    if (!tier) {
        return tier.error();
    }
    if (*tier) {
        auto code = roster::parse_tier_cell(**tier);
        if (!code) {
            return Error{std::string("“等级”只能填 规范化、先进 或 过硬。")};
        }
        put(in.fields, "tier", std::string(*code));
    }
    if (!creating && in.fields.empty()) {
        return Error{std::string("没有要修改的内容。")};
    }
    return in;
}

result<RosterInput, FieldError> parse_member_input(rapidjson::Value const& body, bool creating,
                                                    std::string const& phone_key) {
    std::string unknown;
    if (has_unknown_keys(body, {"number", "name", "branch", "phone", "status", "smartphone"}, unknown)) {
        return Error{unknown == "roles" ? std::string("角色请用“设置角色”修改。") : "不认识的项目“" + unknown + "”。"};
    }
    RosterInput in;
    auto number = read_id(body, "number", "编号", creating);
    if (!number) {
        return number.error();
    }
    in.id = std::move(*number);
    if (auto e = read_text(body, "name", "姓名", 32, creating, in.fields)) {
        return *e;
    }
    auto branch = string_member(body, "branch", "支部");
    if (!branch) {
        return branch.error();
    }
    if (creating) {
        if (!*branch || (*branch)->empty()) {
            return Error{std::string("支部不能为空。")};
        }
        put(in.fields, "branch", **branch);
    } else if (*branch) {
        return Error{std::string("换支部请用“转接”。")};
    }
    auto phone = string_member(body, "phone", "手机号");
    if (!phone) {
        return phone.error();
    }
    if (body.HasMember("phone")) {
        if (!*phone || (*phone)->empty()) {
            put(in.fields, "phone_hash", "");
        } else if (auto digits = normalise_phone(**phone)) {
            put(in.fields, "phone_hash", server::hmac_sha256_hex(phone_key, *digits));
        } else {
            return Error{"手机号" + roster::quote_value(**phone) + "不是11位手机号。"};
        }
    }
    auto status = string_member(body, "status", "状态");
    if (!status) {
        return status.error();
    }
    if (*status) {
        auto s = roster::parse_status_cell(**status);
        if (!s || (*status)->empty()) {
            return Error{std::string("“状态”只能填 正常、转出 或 去世。")};
        }
        put(in.fields, "status", std::string(status_name(*s)));
    }
    if (auto it = body.FindMember("smartphone"); it != body.MemberEnd() && !it->value.IsNull()) {
        if (!it->value.IsBool()) {
            return Error{std::string("“使用智能手机”应填 是 或 否。")};
        }
        put(in.fields, "smartphone", it->value.GetBool() ? "1" : "0");
    }
    if (!creating && in.fields.empty()) {
        return Error{std::string("没有要修改的内容。")};
    }
    return in;
}

result<std::string, FieldError> parse_roles_input(rapidjson::Value const& body) {
    auto it = body.FindMember("roles");
    if (it == body.MemberEnd() || !it->value.IsArray()) {
        return Error{std::string("请给出角色列表，例如 [\"member\", \"secretary\"]。")};
    }
    std::vector<std::string> roles;
    for (auto const& v : it->value.GetArray()) {
        if (!v.IsString()) {
            return Error{std::string("角色应是文字。")};
        }
        std::string_view word(v.GetString(), v.GetStringLength());
        auto role = parse_role(word);
        if (!role) {
            return Error{"角色" + roster::quote_value(word) + "不认识，只能填 党员、支委、书记、联络员 或 老干部局。"};
        }
        roles.push_back(std::move(*role));
    }
    std::string joined;
    for (auto const& r : complete_roles(std::move(roles))) {
        joined += joined.empty() ? "" : ",";
        joined += r;
    }
    // A reason is constructible from a string too: say which side this is.
    return result<std::string, FieldError>(boost::system::in_place_value, std::move(joined));
}

//------------------------------------------------------------------------------------------
// Writing

std::string member_json(FieldMap const& f) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    for (auto key : {"number", "name"}) {
        server::write_key(w, key);
        server::write_string(w, get(f, key));
    }
    server::write_key(w, "branch");
    w.StartObject();
    server::write_key(w, "id");
    server::write_string(w, get(f, "branch"));
    server::write_key(w, "name");
    server::write_string(w, get(f, "branch_name"));
    w.EndObject();
    server::write_key(w, "roles");
    write_roles(w, split_list(get(f, "roles")));
    server::write_key(w, "status");
    server::write_string(w, get(f, "status"));
    server::write_key(w, "smartphone");
    auto const phone = get(f, "smartphone");
    phone.empty() ? w.Null() : w.Bool(phone == "1");
    server::write_key(w, "has_phone");
    w.Bool(get(f, "has_phone") == "1");
    server::write_key(w, "bound");
    w.Bool(to_int(f, "self_bindings") > 0);
    server::write_key(w, "proxies");
    w.Int64(to_int(f, "proxy_bindings"));
    server::write_key(w, "created_at");
    w.Int64(to_int(f, "created_at"));
    server::write_key(w, "updated_at");
    w.Int64(to_int(f, "updated_at"));
    w.EndObject();
    return buf.GetString();
}

std::string branch_json(FieldMap const& f) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    for (auto key : {"id", "name", "unit", "community", "tier", "feature"}) {
        server::write_key(w, key);
        server::write_string(w, get(f, key));
    }
    server::write_key(w, "members");
    w.Int64(to_int(f, "members"));
    server::write_key(w, "secretaries");
    write_people(w, get(f, "secretaries"));
    server::write_key(w, "liaisons");
    write_people(w, get(f, "liaisons"));
    server::write_key(w, "created_at");
    w.Int64(to_int(f, "created_at"));
    server::write_key(w, "updated_at");
    w.Int64(to_int(f, "updated_at"));
    w.EndObject();
    return buf.GetString();
}

std::string summary_json(MemberSummary const& m) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "number");
    server::write_string(w, m.number);
    server::write_key(w, "name");
    server::write_string(w, m.name);
    server::write_key(w, "branch");
    w.StartObject();
    server::write_key(w, "id");
    server::write_string(w, m.branch);
    server::write_key(w, "name");
    server::write_string(w, m.branch_name);
    w.EndObject();
    server::write_key(w, "roles");
    write_roles(w, m.roles);
    server::write_key(w, "status");
    server::write_string(w, m.status);
    server::write_key(w, "acting_as");
    server::write_string(w, m.proxy ? "proxy" : "self");
    w.EndObject();
    return buf.GetString();
}

std::string json_array(std::vector<std::string> const& objects) {
    std::string out = "[";
    for (std::size_t i = 0; i < objects.size(); ++i) {
        out += i ? "," : "";
        out += objects[i];
    }
    out += "]";
    return out;
}

}  // namespace bense::handlers
