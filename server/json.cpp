// JSON helpers and the strict object reader used by every config section.
#include "server/json.hpp"

#include "server/utf8.hpp"

#include <rapidjson/error/en.h>

#include <cstdlib>
#include <optional>
#include <utility>

namespace bense::server {
namespace {

// A parsed document, or where and why its parse failed. Taken by reference, so that a body's
// document is moved once, into the result, as before this helper.
result<rapidjson::Document, std::string> parsed(rapidjson::Document&& doc) {
    if (doc.HasParseError()) {
        return fmt::format("offset {}: {}", doc.GetErrorOffset(), rapidjson::GetParseError_En(doc.GetParseError()));
    }
    return std::move(doc);
}

template <unsigned Flags>
result<rapidjson::Document, std::string> parse_with(std::string_view text) {
    rapidjson::Document doc;
    doc.Parse<Flags>(text.data(), text.size());
    return parsed(std::move(doc));
}

// Why `text` cannot be JSON before it is parsed: a NUL byte (never part of JSON text, and
// parse_json_body() would stop there) or bytes that are not UTF-8. RapidJSON's own check
// (kParseValidateEncodingFlag) costs it about a third of parsing a small body; this one reads
// ASCII eight bytes at a time. What it refuses is what RapidJSON's check refused: bytes above
// 0x7F outside a string are not JSON either.
std::optional<std::string> unfit_text(std::string_view text) {
    if (auto const nul = text.find('\0'); nul != std::string_view::npos) {
        return fmt::format("offset {}: a NUL byte", nul);
    }
    if (!is_valid_utf8(text)) {
        return std::string("invalid UTF-8");
    }
    return std::nullopt;
}

}  // namespace

result<rapidjson::Document, std::string> parse_json(std::string_view text) {
    if (auto why = unfit_text(text)) {
        return std::move(*why);
    }
    return parse_with<rapidjson::kParseNoFlags>(text);
}

result<rapidjson::Document, std::string> parse_json_body(std::string const& body) {
    if (auto why = unfit_text(body)) {
        return std::move(*why);
    }
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseNoFlags>(body.c_str());  // NUL-terminated: the parser's fast stream
    return parsed(std::move(doc));
}

result<rapidjson::Document, std::string> parse_jsonc(std::string_view text) {
    return parse_with<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseCommentsFlag |
                      rapidjson::kParseTrailingCommasFlag>(text);
}

std::string error_envelope(std::string_view code, std::string_view message) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "error");
    w.StartObject();
    write_key(w, "code");
    write_string(w, code);
    write_key(w, "message");
    write_string(w, message);
    w.EndObject();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

JsonObjectReader::JsonObjectReader(rapidjson::Value const& object, std::string path)
    : object_(object), path_(std::move(path)) {
    if (!object_.IsObject()) {
        fail(fmt::format("{}: expected an object", path_.empty() ? "/" : path_));
    }
}

void JsonObjectReader::fail(std::string message) {
    if (error_.empty()) {
        error_ = std::move(message);
    }
}

rapidjson::Value const* JsonObjectReader::member(std::string_view key) {
    known_.emplace(key);
    if (!object_.IsObject()) {
        return nullptr;
    }
    auto it = object_.FindMember(
        rapidjson::Value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
    return it == object_.MemberEnd() ? nullptr : &it->value;
}

void JsonObjectReader::read(std::string_view key, std::string& out) {
    if (auto const* v = member(key)) {
        if (!v->IsString()) {
            return fail(path_of(key) + ": expected a string");
        }
        out.assign(v->GetString(), v->GetStringLength());
    }
}

void JsonObjectReader::read(std::string_view key, bool& out) {
    if (auto const* v = member(key)) {
        if (!v->IsBool()) {
            return fail(path_of(key) + ": expected true or false");
        }
        out = v->GetBool();
    }
}

void JsonObjectReader::read(std::string_view key, std::int64_t& out, std::int64_t min,
                            std::int64_t max) {
    if (auto const* v = member(key)) {
        if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) {
            return fail(fmt::format("{}: expected integer {}..{}", path_of(key), min, max));
        }
        out = v->GetInt64();
    }
}

void JsonObjectReader::read_ms(std::string_view key, std::chrono::milliseconds& out,
                               std::int64_t min, std::int64_t max) {
    std::int64_t v = out.count();
    read(key, v, min, max);
    out = std::chrono::milliseconds(v);
}

void JsonObjectReader::read_secret(std::string_view key, std::string& out) {
    std::string raw = out;
    read(key, raw);
    constexpr std::string_view kEnvPrefix = "env:";
    if (raw.starts_with(kEnvPrefix)) {
        auto const name = raw.substr(kEnvPrefix.size());
        char const* value = std::getenv(name.c_str());
        if (value == nullptr) {
            return fail(path_of(key) + ": environment variable " + name + " is not set");
        }
        out = value;
        return;
    }
    out = std::move(raw);
}

void JsonObjectReader::accept_all_keys() {
    if (!object_.IsObject()) {
        return;
    }
    for (auto const& m : object_.GetObject()) {
        known_.emplace(m.name.GetString(), m.name.GetStringLength());
    }
}

void JsonObjectReader::finish() {
    if (!object_.IsObject()) {
        return;
    }
    for (auto const& m : object_.GetObject()) {
        std::string_view name(m.name.GetString(), m.name.GetStringLength());
        if (!known_.contains(name)) {
            return fail(path_of(name) + ": unknown key");
        }
    }
}

}  // namespace bense::server
