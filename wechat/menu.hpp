// The official account's custom menu (wechat-protocol.md 5.5): read from the exact body of
// POST /cgi-bin/menu/create, checked against WeChat's limits so that menu/create cannot fail
// with 40016-40025, and written back as that body. Pure: no I/O; the caller reads the file.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bense::wechat {

// One button. Optional strings are empty when absent; which ones a type needs is listed at
// check_menu().
struct MenuButton {
    std::string name;
    std::string type;        // empty for a button that only opens sub_buttons
    std::string key;         // click, scancode_push, scancode_waitmsg, pic_*, location_select
    std::string url;         // view; miniprogram (opened by clients without mini-programs)
    std::string appid;       // miniprogram
    std::string pagepath;    // miniprogram
    std::string media_id;    // media_id, view_limited
    std::string article_id;  // article_id, article_view_limited
    std::vector<MenuButton> sub_buttons;  // top-level buttons without a type only

    friend bool operator==(MenuButton const&, MenuButton const&) = default;
};

struct Menu {
    std::vector<MenuButton> buttons;

    friend bool operator==(Menu const&, Menu const&) = default;
};

// Problems with a menu, each of the form "<JSON path>: <what is wrong>", for example
// "/button/1/sub_button/3/name: longer than 60 bytes (61)"; empty when WeChat would accept
// it. The rules:
//   - 1 to 3 buttons; each has either a type or 1 to 5 sub_buttons, never both; sub buttons
//     have a type and no sub_buttons of their own;
//   - name non-empty, at most 16 bytes of UTF-8 at the top level and 60 in a sub button
//     (WeChat counts bytes; older documents said 40);
//   - the type is one of those listed at MenuButton, and the fields it names there are
//     required; any other field is refused, so a misplaced field is not silently dropped;
//   - key at most 128 bytes; url at most 1024 bytes and starting with http:// or https://.
std::vector<std::string> check_menu(Menu const& menu);

// Parses the body of POST /cgi-bin/menu/create, {"button":[...]}, and checks it with
// check_menu(). Unknown or repeated keys, wrong JSON types, empty strings and invalid UTF-8
// are refused too. An empty "sub_button": [] on a button with a type is accepted and dropped,
// because WeChat's GET /cgi-bin/menu/get writes one on every such button, and a menu copied
// from there should load. On failure the error holds every problem found, one per line.
boost::system::result<Menu, std::string> parse_menu(std::string_view json);

// Writes the menu as the body of POST /cgi-bin/menu/create, fields in WeChat's own order
// and absent fields left out, so parse_menu(menu_to_json(m)) gives m back. Expects a menu
// that check_menu() accepts; it writes any other menu as it stands.
std::string menu_to_json(Menu const& menu);

}  // namespace bense::wechat
