// The public WeChat test vectors (tests/fixtures/wechat-vectors.json) for the unit tests that
// prove our signatures and message crypto match WeChat's. Reads a file of the source tree only.
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace bense::test {

inline rapidjson::Document const& vectors() {
    static rapidjson::Document const doc = [] {
        std::ifstream file(BENSE_SOURCE_DIR "/tests/fixtures/wechat-vectors.json", std::ios::binary);
        std::string const text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        rapidjson::Document d;
        d.Parse(text.c_str());
        return d;
    }();
    return doc;
}

inline rapidjson::Value const& vector_by_id(std::string const& id) {
    REQUIRE(vectors().IsObject());
    for (auto const& v : vectors()["vectors"].GetArray()) {
        if (id == v["id"].GetString()) {
            return v;
        }
    }
    FAIL("no vector " << id);
    return vectors();
}

inline std::string str(rapidjson::Value const& object, char const* key) {
    REQUIRE(object.HasMember(key));
    REQUIRE(object[key].IsString());
    return object[key].GetString();
}

inline int num(rapidjson::Value const& object, char const* key) {
    REQUIRE(object.HasMember(key));
    REQUIRE(object[key].IsInt());
    return object[key].GetInt();
}

}  // namespace bense::test
