// JSON helpers: parse a request body, write small documents, and a strict reader for config
// objects that names the JSON path of every problem and rejects keys nobody asked for.
#pragma once

#include "server/net.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace bense::server {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses text as strict JSON (no comments) in UTF-8. Returns the document or a one-line reason.
result<rapidjson::Document, std::string> parse_json(std::string_view text);
// Same, with // and /* */ comments and trailing commas allowed (config files).
result<rapidjson::Document, std::string> parse_jsonc(std::string_view text);
// parse_json() for a request's body, read as a NUL-terminated string: the parser's faster stream.
result<rapidjson::Document, std::string> parse_json_body(std::string const& body);

// Writes a JSON string value from UTF-8 bytes.
inline void write_string(JsonWriter& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(JsonWriter& w, std::string_view s) {
    w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// {"error":{"code":code,"message":message}}
std::string error_envelope(std::string_view code, std::string_view message);

// Reads members of one JSON object with type and range checks. Each read marks the key as
// known; unknown_keys_error() then names any key that was not read. Errors accumulate
// (first one wins) so a loader can read everything and report once.
class JsonObjectReader {
public:
    JsonObjectReader(rapidjson::Value const& object, std::string path);

    void read(std::string_view key, std::string& out);
    void read(std::string_view key, bool& out);
    void read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max);
    template <class Int>
    void read(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
        std::int64_t v = static_cast<std::int64_t>(out);
        read(key, v, min, max);
        out = static_cast<Int>(v);
    }
    void read_ms(std::string_view key, std::chrono::milliseconds& out, std::int64_t min,
                 std::int64_t max);
    // A secret may be written inline or as "env:NAME" to read it from the environment.
    void read_secret(std::string_view key, std::string& out);
    // Returns the member if present (and marks it known), else nullptr.
    rapidjson::Value const* member(std::string_view key);
    std::string path_of(std::string_view key) const { return path_ + "/" + std::string(key); }

    // Marks every key of the object as known: for a section another module reads.
    void accept_all_keys();

    void fail(std::string message);
    void finish();  // records an error for the first unknown key
    bool ok() const { return error_.empty(); }
    std::string const& error() const { return error_; }

private:
    rapidjson::Value const& object_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
    std::string error_;
};

}  // namespace bense::server
