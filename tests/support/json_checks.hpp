// Checking the pure parse_* and *_json functions without I/O: a JSON object from text, a
// string's value, and the value of a result that must hold one (its reason shown when it
// does not). Header-only, so that the unit tests, which link no support/*.cpp, can use it.
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace bense::test {

// `json` parsed; the test stops unless it is one JSON object.
inline rapidjson::Document parse(std::string const& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    REQUIRE(d.IsObject());
    return d;
}

// A JSON string's value, with any NUL bytes it holds.
inline std::string str(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

// The value of a result that must hold one; the test stops with the reason of one that does not.
template <class R>
auto valid(R r) {
    INFO((r ? std::string() : r.error().reason));
    REQUIRE(r.has_value());
    return std::move(*r);
}

}  // namespace bense::test
