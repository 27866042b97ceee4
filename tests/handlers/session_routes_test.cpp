#include "handlers/session_routes.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("a binding code is six digits in any writing", "[roster][session]") {
    CHECK(read_binding_code("123456") == "123456");
    CHECK(read_binding_code(" 123 456 ") == "123456");
    CHECK(read_binding_code("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96") == "123456");
    CHECK(read_binding_code("一二三四五六") == "123456");
    CHECK(read_binding_code("幺两三四五零") == "123450");
    CHECK_FALSE(read_binding_code("12345"));
    CHECK_FALSE(read_binding_code("1234567"));
    CHECK_FALSE(read_binding_code("12345a"));
    CHECK_FALSE(read_binding_code(""));
    CHECK_FALSE(read_binding_code("绑定"));
}
