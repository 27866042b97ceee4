#include "server/templates.hpp"

#include <catch2/catch.hpp>

using namespace bense::server;

TEST_CASE("templates render named placeholders and leave other braces alone", "[templates]") {
    auto t = Templates::from_map({{"checkin.done", "您已于 {time} 签到，{name}。"},
                                  {"braces", "集合 {A} 与 {} 不是占位符 {x"}});
    CHECK(t.render("checkin.done", {{"time", "9:02"}, {"name", "张三"}}) == "您已于 9:02 签到，张三。");
    CHECK(t.render("braces") == "集合 {A} 与 {} 不是占位符 {x");
    CHECK(t.render("checkin.done", {{"time", "9:02"}}) == "您已于 9:02 签到，{name}。");
}

TEST_CASE("template check reports missing keys and placeholder mismatches", "[templates]") {
    auto t = Templates::from_map({{"a", "x {one} {two}"}, {"b", "plain"}});
    CHECK(t.check({{"a", {"one", "two"}}, {"b", {}}}).empty());
    auto problems = t.check({{"a", {"one"}}, {"b", {"who"}}, {"c", {}}});
    REQUIRE(problems.size() == 3);
    CHECK(problems[0] == "template a has {two}, which no caller fills");
    CHECK(problems[1] == "template b lacks {who}");
    CHECK(problems[2] == "template c is missing");
}

TEST_CASE("placeholders_of lists names once, in order", "[templates]") {
    CHECK(placeholders_of("{a} {b} {a}") == std::vector<std::string>{"a", "b"});
    CHECK(placeholders_of("no {Upper} {} here").empty());
}

TEST_CASE("the project's templates load and satisfy the runtime", "[templates]") {
    auto t = Templates::load_dir(BENSE_SOURCE_DIR "/templates");
    REQUIRE(t.has_value());
    CHECK(t->check(server_template_needs()).empty());
}
