// Writing a JSON answer's members one line each: strings, numbers, flags, absent times,
// nested objects and arrays of objects; no I/O.
#include "handlers/json_fields.hpp"
#include "support/json_checks.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace bense::handlers::json_fields;
using bense::test::parse;
using bense::test::str;

TEST_CASE("an answer's members are written in order, times of 0 as null", "[json]") {
    std::vector<int> const items{1, 2};
    auto const text = object_json([&](JsonWriter& w) {
        field(w, "name", "党课");
        field(w, "count", 3LL);
        flag_field(w, "held", true);
        time_field(w, "at", 0);
        time_field(w, "start", 1796432400);
        object_field(w, "counts", [](JsonWriter& w) { field(w, "present", 1LL); });
        array_field(w, "rows", items, [](JsonWriter& w, int i) { field(w, "n", static_cast<long long>(i)); });
    });
    CHECK(text == R"({"name":"党课","count":3,"held":true,"at":null,"start":1796432400,"counts":{"present":1},)"
                  R"("rows":[{"n":1},{"n":2}]})");
    auto const j = parse(text);
    CHECK(str(j["name"]) == "党课");
    CHECK(object_json([](JsonWriter&) {}) == "{}");
}
