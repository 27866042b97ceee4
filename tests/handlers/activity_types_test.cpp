// The kinds of activity: found by code or name, named by a title, and each earning a rule.
#include "handlers/activity_types.hpp"
#include "handlers/points_rules.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("every activity type is found by code and by name, and its rule is in the shipped file",
          "[activity]") {
    auto rules = load_points_rules(BENSE_SOURCE_DIR "/config/points.jsonc");
    REQUIRE(rules.has_value());
    CHECK(activity_types().size() == 11);
    for (auto const& t : activity_types()) {
        INFO(t.code);
        CHECK(find_activity_type(t.code)->name == t.name);
        CHECK(find_activity_type(t.name)->code == t.code);
        CHECK(rules->find(t.points) != nullptr);
    }
    CHECK_FALSE(find_activity_type("party"));
    CHECK_FALSE(find_activity_type(""));
}

TEST_CASE("a title names its type, anything else is 其他", "[activity]") {
    CHECK(activity_type_of_title("12月主题党日：重温入党誓词").code == "party_day");
    CHECK(activity_type_of_title("第四季度支部党员大会").code == "general_meeting");
    CHECK(activity_type_of_title("支委会").code == "committee");
    CHECK(activity_type_of_title("党课：红色家风").code == "party_lecture");
    CHECK(activity_type_of_title("银发本色讲堂第三讲").code == "silver_lecture");
    CHECK(activity_type_of_title("社区志愿服务").code == "volunteer");
    CHECK(activity_type_of_title("重阳节座谈").code == "other");
}
