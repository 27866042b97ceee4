// See activity_fixture.hpp.
#include "support/activity_fixture.hpp"

#include <catch2/catch.hpp>

namespace bense::test {

std::string start_json(std::string const& title, std::int64_t start, std::string const& extra) {
    return R"({"title":")" + title + R"(","start":)" + std::to_string(start) + extra + "}";
}

ActivityFixture::ActivityFixture() {
    f.import_demo();
    bureau = f.bureau_token();
    secretary = f.bound_session("o-wang", "m1");
    secretary_b2 = f.bound_session("o-chen", "m9");
    li = f.bound_session("o-li", "m2");
}

ApiAnswer ActivityFixture::post(std::string const& path, std::string const& body, std::string const& token) {
    return f.call(http::verb::post, "/api/v1/admin/activities" + path, body, token);
}

ApiAnswer ActivityFixture::get(std::string const& path, std::string const& token) {
    return f.call(http::verb::get, "/api/v1/admin/activities" + path, {}, token);
}

std::string ActivityFixture::create(std::string const& body, std::string const& token) {
    auto a = post("", body, token);
    INFO(a.body);
    REQUIRE(a.status == 201);
    return str(a.json["id"]);
}

std::string ActivityFixture::code(std::string const& id) { return bureau_reads(id, "code"); }

std::string ActivityFixture::scene(std::string const& id) { return bureau_reads(id, "scene"); }

std::string ActivityFixture::bureau_reads(std::string const& id, char const* what) {
    auto a = get("/" + id + "/" + what, bureau);
    INFO(a.body);
    REQUIRE(a.status == 200);
    return str(a.json[what]);
}

}  // namespace bense::test
