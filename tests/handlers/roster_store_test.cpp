// The readers of the store's answers that need no Redis: a batch's answers one by one, and
// answers packed into one string.
#include "handlers/roster_store.hpp"

#include "handlers/roster_errors.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace bense;
using namespace bense::handlers;

namespace {

server::RedisReply text(std::string s) {
    server::RedisReply r;
    r.type = server::RedisReply::Type::string;
    r.str = std::move(s);
    return r;
}

result<std::string, StoreError> read_text(server::RedisReply r) {
    if (r.type != server::RedisReply::Type::string) {
        return StoreError{server::errc::store_error, "not text"};
    }
    return r.str;
}

}  // namespace

TEST_CASE("packed fields: the last takes the rest, newlines and all", "[store]") {
    auto f = packed_fields<3>("a\n\nc\nd\n");
    REQUIRE(f.has_value());
    CHECK((*f)[0] == "a");
    CHECK((*f)[1].empty());
    CHECK((*f)[2] == "c\nd\n");
    auto empty_last = packed_fields<2>("awarded\n");
    REQUIRE(empty_last.has_value());
    CHECK((*empty_last)[1].empty());
    CHECK_FALSE(packed_fields<3>("a\nb").has_value());
    CHECK_FALSE(packed_fields<2>("").has_value());
    auto one = packed_fields<1>("all of it\n");
    REQUIRE(one.has_value());
    CHECK((*one)[0] == "all of it\n");
}

TEST_CASE("a batch's answers are read one by one, or all fail together", "[store]") {
    std::vector<server::RedisReply> two{text("x"), server::RedisReply{}};
    auto each = read_each<std::string>(two, 2, &read_text);
    REQUIRE(each.size() == 2);
    REQUIRE(each[0].has_value());
    CHECK(*each[0] == "x");
    CHECK_FALSE(each[1].has_value());
    // An answer for each call or none: a count that does not match fails every call.
    auto short_of_one = read_each<std::string>(two, 3, &read_text);
    REQUIRE(short_of_one.size() == 3);
    for (auto const& a : short_of_one) {
        REQUIRE_FALSE(a.has_value());
        CHECK(a.error().ec == server::errc::store_error);
    }
    auto failed = read_each<std::string>(StoreError{server::errc::store_unavailable, {}}, 2, &read_text);
    REQUIRE(failed.size() == 2);
    CHECK(failed[1].error().ec == server::errc::store_unavailable);
}
