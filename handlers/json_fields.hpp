// Writing the members of a JSON answer one line each: a string, a number, a flag, a time that
// may be absent, and nested objects and arrays of objects, so that a render function reads
// as the list of fields it writes. Header-only; writes nothing but what it is given.
#pragma once

#include "server/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bense::handlers::json_fields {

using server::JsonWriter;

inline void field(JsonWriter& w, std::string_view key, std::string_view value) {
    server::write_key(w, key);
    server::write_string(w, value);
}

inline void field(JsonWriter& w, std::string_view key, long long value) {
    server::write_key(w, key);
    w.Int64(value);
}

// Named apart from field(): a bool overload would make every integer argument ambiguous.
inline void flag_field(JsonWriter& w, std::string_view key, bool value) {
    server::write_key(w, key);
    w.Bool(value);
}

// A time in Unix seconds, or null when there is none (0).
inline void time_field(JsonWriter& w, std::string_view key, std::int64_t value) {
    server::write_key(w, key);
    if (value == 0) {
        w.Null();
    } else {
        w.Int64(value);
    }
}

// The text of one JSON object whose members `members(w)` writes.
template <class Members>
std::string object_json(Members&& members) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    members(w);
    w.EndObject();
    return buf.GetString();
}

// "key": {members(w)}
template <class Members>
void object_field(JsonWriter& w, std::string_view key, Members&& members) {
    server::write_key(w, key);
    w.StartObject();
    members(w);
    w.EndObject();
}

// "key": [{members(w, item)}, ...], one object per item of `items`, in order.
template <class Items, class Members>
void array_field(JsonWriter& w, std::string_view key, Items const& items, Members&& members) {
    server::write_key(w, key);
    w.StartArray();
    for (auto const& item : items) {
        w.StartObject();
        members(w, item);
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace bense::handlers::json_fields
