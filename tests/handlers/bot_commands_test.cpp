// Which command a text names, and its argument.
#include "handlers/bot_commands.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace bense::handlers;

namespace {

CommandTable table() {
    CommandTable t;
    t.add("签到", {"打卡"});
    t.add("帮助", {"help", "?"});
    t.add("签到记录", {});
    return t;
}

}  // namespace

TEST_CASE("a command matches with or without a space before its argument", "[bot]") {
    auto const t = table();
    for (auto text : {"签到 4821", "签到4821", "签到四八二一", "  签到　４８２１ ", "签 到 4 8 2 1", "打卡4821"}) {
        INFO(text);
        auto m = t.match(text);
        REQUIRE(m);
        CHECK(m->name == "签到");
        CHECK(m->argument == "4821");
    }
}

TEST_CASE("the longest name wins and aliases map to the name", "[bot]") {
    auto const t = table();
    auto m = t.match("签到记录");
    REQUIRE(m);
    CHECK(m->name == "签到记录");
    CHECK(m->argument.empty());
    auto h = t.match("HELP");
    REQUIRE(h);
    CHECK(h->name == "帮助");
    auto q = t.match("？");
    REQUIRE(q);
    CHECK(q->name == "帮助");
}

TEST_CASE("text that names no command matches nothing", "[bot]") {
    auto const t = table();
    CHECK_FALSE(t.match("你好"));
    CHECK_FALSE(t.match(""));
    CHECK_FALSE(t.match("签"));
}

TEST_CASE("a name or alias can be registered once only", "[bot]") {
    CommandTable t;
    t.add("帮助", {"help"});
    CHECK_THROWS_AS(t.add("求助", {"ＨＥＬＰ"}), std::invalid_argument);
    CHECK_THROWS_AS(t.add(" ", {}), std::invalid_argument);
}
