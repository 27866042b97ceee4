// Unit tests for wechat/menu: a valid menu survives a round trip, every rule of
// wechat-protocol.md 5.5 is broken once and named with its JSON path, and the menu shipped in
// config/menu.json is valid.
#include "wechat/menu.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

using bense::wechat::check_menu;
using bense::wechat::Menu;
using bense::wechat::menu_to_json;
using bense::wechat::MenuButton;
using bense::wechat::parse_menu;
using Catch::Matchers::Contains;

namespace {

// Every type once, written compactly in the writer's field order.
std::string const kFullMenu =
    R"({"button":[{"type":"click","name":"签到","key":"CHECKIN"},)"
    R"({"name":"学习","sub_button":[{"type":"view","name":"网页","url":"https://example.com/a?b=1"},)"
    R"({"type":"miniprogram","name":"小程序","url":"http://example.com","appid":"wx1234567890abcdef",)"
    R"("pagepath":"pages/index/index"},{"type":"scancode_push","name":"扫码","key":"SCAN"},)"
    R"({"type":"pic_weixin","name":"发图","key":"PIC"},{"type":"location_select","name":"位置","key":"LOC"}]},)"
    R"({"name":"更多","sub_button":[{"type":"media_id","name":"素材","media_id":"MEDIA"},)"
    R"({"type":"article_id","name":"文章","article_id":"ARTICLE"},)"
    R"({"type":"article_view_limited","name":"图文","article_id":"A2"},)"
    R"({"type":"view_limited","name":"旧图文","media_id":"M2"},)"
    R"({"type":"scancode_waitmsg","name":"引号\"和\\","key":"WAIT"}]}]})";

// The problems parse_menu reports for `json`, or "" when it accepts it.
std::string problems(std::string const& json) {
    auto menu = parse_menu(json);
    return menu ? std::string() : menu.error();
}

// A one-button menu whose only button has the given members (JSON text without braces).
std::string one(std::string const& members) { return R"({"button":[{)" + members + "}]}"; }

// A menu whose second button has these sub buttons (JSON array elements).
std::string subs(std::string const& elements) {
    return R"({"button":[{"type":"click","name":"a","key":"A"},{"name":"b","sub_button":[)" +
           elements + "]}]}";
}

std::string read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("menu: a valid menu round-trips exactly", "[wechat][menu]") {
    auto menu = parse_menu(kFullMenu);
    INFO((menu ? std::string() : menu.error()));
    REQUIRE(menu.has_value());
    REQUIRE(menu->buttons.size() == 3);
    CHECK(menu->buttons[0].key == "CHECKIN");
    CHECK(menu->buttons[1].sub_buttons.size() == 5);
    CHECK(menu->buttons[1].sub_buttons[1].appid == "wx1234567890abcdef");
    CHECK(menu->buttons[2].sub_buttons[4].name == "引号\"和\\");
    CHECK(menu_to_json(*menu) == kFullMenu);
    CHECK(check_menu(*menu).empty());
    auto again = parse_menu(menu_to_json(*menu));
    REQUIRE(again.has_value());
    CHECK(*again == *menu);
}

TEST_CASE("menu: config/menu.json is valid", "[wechat][menu]") {
    auto text = read_file(BENSE_SOURCE_DIR "/config/menu.json");
    REQUIRE_FALSE(text.empty());
    auto menu = parse_menu(text);
    INFO((menu ? std::string() : menu.error()));
    REQUIRE(menu.has_value());
    CHECK(menu->buttons.front().key == "CHECKIN");
    CHECK_THAT(menu_to_json(*menu), Contains(R"("name":"投诉建议","key":"FEEDBACK")"));
    CHECK(*parse_menu(menu_to_json(*menu)) == *menu);
}

TEST_CASE("menu: the document must be an object holding only button", "[wechat][menu]") {
    CHECK_THAT(problems("{"), Contains("/: not JSON at offset 1"));
    CHECK_THAT(problems(kFullMenu + "x"), Contains("/: not JSON"));
    CHECK_THAT(problems("{\"button\":[{\"type\":\"click\",\"name\":\"\xC0\xAF\",\"key\":\"A\"}]}"),
               Contains("/: not JSON"));  // invalid UTF-8
    CHECK(problems("[]") == "/: expected an object");
    CHECK(problems("{}") == "/button: required");
    CHECK(problems(R"({"button":{}})") == "/button: expected an array");
    CHECK(problems(R"({"button":[]})") == "/button: expected 1 to 3 buttons, got 0");
    std::string const b = R"({"type":"click","name":"a","key":"A"})";
    CHECK(problems(R"({"button":[)" + b + "," + b + "," + b + "]}").empty());
    CHECK(problems(R"({"button":[)" + b + "," + b + "," + b + "," + b + "]}") ==
          "/button: expected 1 to 3 buttons, got 4");
    CHECK(problems(R"({"button":[)" + b + R"(],"menuid":"1"})") == "/menuid: unknown key");
    CHECK(problems(R"({"button":[)" + b + R"(],"button":[)" + b + "]}") == "/button: repeated key");
}

TEST_CASE("menu: button shape, keys and JSON types", "[wechat][menu]") {
    CHECK(problems(R"({"button":["click"]})") == "/button/0: expected an object");
    CHECK(problems(one(R"("type":"click","name":"a","key":"A","keys":"B")")) ==
          "/button/0/keys: unknown key");
    CHECK(problems(one(R"("type":"click","name":"a","key":"A","key":"B")")) ==
          "/button/0/key: repeated key");
    CHECK(problems(one(R"("type":"click","name":"a","key":7)")) ==
          "/button/0/key: expected a string");
    CHECK(problems(one(R"("type":"click","name":"a","key":"")")) == "/button/0/key: is empty");
    CHECK(problems(one(R"("name":"a","sub_button":{})")) ==
          "/button/0/sub_button: expected an array\n/button/0: needs a type or sub_button");
    CHECK(problems(one(R"("type":"click","name":"a","key":"A","sub_button":[])")).empty());
    CHECK(problems(one(R"("type":"click","key":"A")")) == "/button/0/name: is empty");
    CHECK(problems(one(R"("type":"click","name":"","key":"A")")) == "/button/0/name: is empty");
}

TEST_CASE("menu: a button has a type or 1 to 5 sub buttons, not both", "[wechat][menu]") {
    std::string const sub = R"({"type":"click","name":"s","key":"S"})";
    CHECK(problems(one(R"("type":"click","name":"a","key":"A","sub_button":[)" + sub + "]")) ==
          "/button/0: has both type and sub_button");
    CHECK(problems(one(R"("name":"a")")) == "/button/0: needs a type or sub_button");
    CHECK(problems(one(R"("name":"a","sub_button":[])")) ==
          "/button/0: needs a type or sub_button");
    CHECK(problems(subs(sub + "," + sub + "," + sub + "," + sub + "," + sub)).empty());
    CHECK(problems(subs(sub + "," + sub + "," + sub + "," + sub + "," + sub + "," + sub)) ==
          "/button/1/sub_button: expected 1 to 5 buttons, got 6");
    CHECK(problems(subs(R"({"name":"s","sub_button":[)" + sub + "]}")) ==
          "/button/1/sub_button/0/sub_button: only top-level buttons have sub_button");
    CHECK(problems(subs(R"({"name":"s"})")) == "/button/1/sub_button/0: needs a type");
}

TEST_CASE("menu: name limits are 16 bytes on top and 60 below", "[wechat][menu]") {
    auto top = [](std::string const& name) {
        return problems(one(R"("type":"click","name":")" + name + R"(","key":"A")"));
    };
    CHECK(top(std::string(16, 'n')).empty());
    CHECK(top("本色家园").empty());
    CHECK(top(std::string(17, 'n')) == "/button/0/name: longer than 16 bytes (17)");
    CHECK(top("本色家园党建") == "/button/0/name: longer than 16 bytes (18)");
    std::string const ok_sub = R"({"type":"click","name":"s","key":"S"})";
    auto sub = [&](std::string const& name) {
        return problems(subs(ok_sub + "," + ok_sub + "," + ok_sub + R"(,{"type":"click","name":")" +
                             name + R"(","key":"A"})"));
    };
    CHECK(sub(std::string(60, 'n')).empty());
    CHECK(sub(std::string(61, 'n')) == "/button/1/sub_button/3/name: longer than 60 bytes (61)");
    CHECK(sub("二十个汉字二十个汉字二十个汉字二十个汉字").empty());  // exactly 60 bytes
    CHECK_THAT(sub("二十个汉字二十个汉字二十个汉字二十个汉字x"),
               Contains("/button/1/sub_button/3/name: longer than 60 bytes"));
}

TEST_CASE("menu: types and the fields they need", "[wechat][menu]") {
    CHECK(problems(one(R"("type":"clik","name":"a","key":"A")")) ==
          "/button/0/type: unknown type \"clik\"");
    for (char const* type : {"click", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
                             "pic_photo_or_album", "pic_weixin", "location_select"}) {
        INFO(type);
        CHECK(problems(one(R"("type":")" + std::string(type) + R"(","name":"a")")) ==
              "/button/0/key: required for type " + std::string(type));
    }
    CHECK(problems(one(R"("type":"view","name":"a")")) == "/button/0/url: required for type view");
    CHECK(problems(one(R"("type":"miniprogram","name":"a")")) ==
          "/button/0/url: required for type miniprogram\n"
          "/button/0/appid: required for type miniprogram\n"
          "/button/0/pagepath: required for type miniprogram");
    CHECK(problems(one(R"("type":"media_id","name":"a")")) ==
          "/button/0/media_id: required for type media_id");
    CHECK(problems(one(R"("type":"view_limited","name":"a")")) ==
          "/button/0/media_id: required for type view_limited");
    CHECK(problems(one(R"("type":"article_id","name":"a")")) ==
          "/button/0/article_id: required for type article_id");
    CHECK(problems(one(R"("type":"article_view_limited","name":"a")")) ==
          "/button/0/article_id: required for type article_view_limited");
    CHECK(problems(one(R"("type":"click","name":"a","key":"A","url":"https://x")")) ==
          "/button/0/url: not used by type click");
    CHECK(
        problems(
            R"({"button":[{"name":"b","key":"K","sub_button":[{"type":"click","name":"s","key":"S"}]}]})") ==
        "/button/0/key: not used by a button with sub_button");
}

TEST_CASE("menu: key and url limits", "[wechat][menu]") {
    auto key = [](std::string const& k) {
        return problems(one(R"("type":"click","name":"a","key":")" + k + "\""));
    };
    CHECK(key(std::string(128, 'K')).empty());
    CHECK(key(std::string(129, 'K')) == "/button/0/key: longer than 128 bytes (129)");
    auto url = [](std::string const& u) {
        return problems(one(R"("type":"view","name":"a","url":")" + u + "\""));
    };
    std::string const base = "https://example.com/";
    CHECK(url(base + std::string(1024 - base.size(), 'p')).empty());
    CHECK(url(base + std::string(1025 - base.size(), 'p')) ==
          "/button/0/url: longer than 1024 bytes (1025)");
    CHECK(url("http://example.com").empty());
    CHECK(url("ftp://example.com") == "/button/0/url: must start with http:// or https://");
    CHECK(url("example.com") == "/button/0/url: must start with http:// or https://");
}

TEST_CASE("menu: every problem is reported at once", "[wechat][menu]") {
    auto const text =
        problems(R"({"button":[{"type":"click","name":"很长很长的名字","key":"A"},)"
                 R"({"name":"b","sub_button":[{"type":"view","name":"v","url":"x"},7]}]})");
    CHECK(text ==
          "/button/1/sub_button/1: expected an object\n"
          "/button/0/name: longer than 16 bytes (21)\n"
          "/button/1/sub_button/0/url: must start with http:// or https://");
}

TEST_CASE("menu: check_menu checks a menu built in code", "[wechat][menu]") {
    MenuButton checkin;
    checkin.name = "签到";
    checkin.type = "click";
    checkin.key = "CHECKIN";
    Menu menu;
    menu.buttons.push_back(checkin);
    CHECK(check_menu(menu).empty());
    MenuButton study;
    study.name = "学习";
    study.sub_buttons.emplace_back().name = "课";
    menu.buttons.push_back(study);
    REQUIRE(check_menu(menu).size() == 1);
    CHECK(check_menu(menu)[0] == "/button/1/sub_button/0: needs a type");
    CHECK(check_menu(Menu{}) ==
          std::vector<std::string>{"/button: expected 1 to 3 buttons, got 0"});
}
