// Custom menu: a strict reader from JSON into Menu, the rule check on Menu (so menus built in
// code are checked the same way), and the writer back to JSON. Paths in problems are JSON
// Pointers into the menu/create body, so an operator can find the line at once.
#include "wechat/menu.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <utility>

namespace bense::wechat {

namespace {

// The string fields of a button, in the order WeChat's documents write them.
struct StringField {
    std::string_view name;
    std::string MenuButton::*member;
};

constexpr StringField kFields[] = {
    {"type", &MenuButton::type},         {"name", &MenuButton::name},
    {"key", &MenuButton::key},           {"url", &MenuButton::url},
    {"appid", &MenuButton::appid},       {"pagepath", &MenuButton::pagepath},
    {"media_id", &MenuButton::media_id}, {"article_id", &MenuButton::article_id},
};

// The fields each type needs; every other optional field is refused on that type.
struct TypeSpec {
    std::string_view type;
    std::vector<std::string_view> fields;
};

std::vector<TypeSpec> const& type_specs() {
    static std::vector<TypeSpec> const specs = {
        {"click", {"key"}},
        {"scancode_push", {"key"}},
        {"scancode_waitmsg", {"key"}},
        {"pic_sysphoto", {"key"}},
        {"pic_photo_or_album", {"key"}},
        {"pic_weixin", {"key"}},
        {"location_select", {"key"}},
        {"view", {"url"}},
        {"miniprogram", {"url", "appid", "pagepath"}},
        {"media_id", {"media_id"}},
        {"view_limited", {"media_id"}},  // older documents' name; it takes a media_id
        {"article_id", {"article_id"}},
        {"article_view_limited", {"article_id"}},
    };
    return specs;
}

using Problems = std::vector<std::string>;

void add(Problems& problems, std::string const& path, std::string_view what) {
    problems.push_back(path + ": " + std::string(what));
}

void check_length(Problems& problems, std::string const& path, std::string const& value,
                  std::size_t limit) {
    if (value.size() > limit) {
        add(problems, path,
            "longer than " + std::to_string(limit) + " bytes (" + std::to_string(value.size()) +
                ")");
    }
}

// Checks the optional fields of one button against what its type (or, for a button that
// opens sub buttons, nothing) requires.
void check_fields(Problems& problems, MenuButton const& b, std::string const& path) {
    std::vector<std::string_view> needed;
    std::string owner = "a button with sub_button";
    if (!b.type.empty()) {
        auto const& specs = type_specs();
        auto const spec = std::find_if(specs.begin(), specs.end(),
                                       [&](TypeSpec const& s) { return s.type == b.type; });
        if (spec == specs.end()) {
            add(problems, path + "/type", "unknown type \"" + b.type + "\"");
            return;
        }
        needed = spec->fields;
        owner = "type " + b.type;
    }
    for (auto const& field : kFields) {
        if (field.name == "type" || field.name == "name") {
            continue;
        }
        bool const is_needed = std::find(needed.begin(), needed.end(), field.name) != needed.end();
        bool const present = !(b.*field.member).empty();
        auto const at = path + "/" + std::string(field.name);
        if (is_needed && !present) {
            add(problems, at, "required for " + owner);
        } else if (!is_needed && present) {
            add(problems, at, "not used by " + owner);
        }
    }
    check_length(problems, path + "/key", b.key, 128);
    check_length(problems, path + "/url", b.url, 1024);
    if (!b.url.empty() && !b.url.starts_with("http://") && !b.url.starts_with("https://")) {
        add(problems, path + "/url", "must start with http:// or https://");
    }
}

void check_button(Problems& problems, MenuButton const& b, std::string const& path, bool top) {
    if (b.name.empty()) {
        add(problems, path + "/name", "is empty");
    }
    check_length(problems, path + "/name", b.name, top ? 16 : 60);
    if (!top && !b.sub_buttons.empty()) {
        add(problems, path + "/sub_button", "only top-level buttons have sub_button");
    } else if (!b.type.empty() && !b.sub_buttons.empty()) {
        add(problems, path, "has both type and sub_button");
    } else if (b.type.empty() && b.sub_buttons.empty()) {
        add(problems, path, top ? "needs a type or sub_button" : "needs a type");
    } else if (b.sub_buttons.size() > 5) {
        add(problems, path + "/sub_button",
            "expected 1 to 5 buttons, got " + std::to_string(b.sub_buttons.size()));
    }
    if (!b.type.empty() || !b.sub_buttons.empty()) {
        check_fields(problems, b, path);
    }
    for (std::size_t i = 0; i < b.sub_buttons.size() && top; ++i) {
        check_button(problems, b.sub_buttons[i], path + "/sub_button/" + std::to_string(i), false);
    }
}

//------------------------------------------------------------------------------
// Reading JSON

std::string_view view(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

MenuButton read_button(Problems& problems, rapidjson::Value const& v, std::string const& path) {
    MenuButton b;
    if (!v.IsObject()) {
        add(problems, path, "expected an object");
        return b;
    }
    std::set<std::string_view> seen;
    for (auto const& m : v.GetObject()) {
        auto const name = view(m.name);
        auto const at = path + "/" + std::string(name);
        auto const field = std::find_if(std::begin(kFields), std::end(kFields),
                                        [&](StringField const& f) { return f.name == name; });
        if (!seen.insert(name).second) {
            add(problems, at, "repeated key");
        } else if (name == "sub_button") {
            if (!m.value.IsArray()) {
                add(problems, at, "expected an array");
                continue;
            }
            for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
                b.sub_buttons.push_back(
                    read_button(problems, m.value[i], at + "/" + std::to_string(i)));
            }
        } else if (field == std::end(kFields)) {
            add(problems, at, "unknown key");
        } else if (!m.value.IsString()) {
            add(problems, at, "expected a string");
        } else if (m.value.GetStringLength() == 0) {
            add(problems, at, "is empty");
        } else {
            b.*field->member = std::string(view(m.value));
        }
    }
    return b;
}

// True when the problem's path is `path` or lies below it.
bool is_under(std::string const& problem, std::string const& path) {
    auto const end = problem.find(": ");
    return problem.starts_with(path) && (end == path.size() || problem[path.size()] == '/');
}

//------------------------------------------------------------------------------
// Writing JSON

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_button(Writer& w, MenuButton const& b) {
    w.StartObject();
    for (auto const& field : kFields) {
        if (!(b.*field.member).empty()) {
            write_string(w, field.name);
            write_string(w, b.*field.member);
        }
    }
    if (!b.sub_buttons.empty()) {
        write_string(w, "sub_button");
        w.StartArray();
        for (auto const& sub : b.sub_buttons) {
            write_button(w, sub);
        }
        w.EndArray();
    }
    w.EndObject();
}

}  // namespace

std::vector<std::string> check_menu(Menu const& menu) {
    Problems problems;
    if (menu.buttons.empty() || menu.buttons.size() > 3) {
        add(problems, "/button",
            "expected 1 to 3 buttons, got " + std::to_string(menu.buttons.size()));
    }
    for (std::size_t i = 0; i < menu.buttons.size(); ++i) {
        check_button(problems, menu.buttons[i], "/button/" + std::to_string(i), true);
    }
    return problems;
}

boost::system::result<Menu, std::string> parse_menu(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    if (doc.HasParseError()) {
        return "/: not JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
               rapidjson::GetParseError_En(doc.GetParseError());
    }
    if (!doc.IsObject()) {
        return std::string("/: expected an object");
    }
    Problems problems;
    Menu menu;
    bool has_button = false;
    for (auto const& m : doc.GetObject()) {
        auto const at = "/" + std::string(view(m.name));
        if (view(m.name) != "button") {
            add(problems, at, "unknown key");
        } else if (std::exchange(has_button, true)) {
            add(problems, at, "repeated key");
        } else if (!m.value.IsArray()) {
            add(problems, at, "expected an array");
        } else {
            for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
                menu.buttons.push_back(
                    read_button(problems, m.value[i], at + "/" + std::to_string(i)));
            }
        }
    }
    if (!has_button) {
        add(problems, "/button", "required");
    }
    // A problem found while reading explains the value better than the rule check of what
    // was left of it, so the check adds only problems outside the paths reported so far.
    auto const read_problems = problems;
    for (auto& p : check_menu(menu)) {
        bool const covered =
            std::any_of(read_problems.begin(), read_problems.end(),
                        [&](auto const& r) { return is_under(p, r.substr(0, r.find(": "))); });
        if (!covered) {
            problems.push_back(std::move(p));
        }
    }
    if (problems.empty()) {
        return menu;
    }
    std::string joined;
    for (auto const& p : problems) {
        joined += (joined.empty() ? "" : "\n") + p;
    }
    return joined;
}

std::string menu_to_json(Menu const& menu) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    write_string(w, "button");
    w.StartArray();
    for (auto const& b : menu.buttons) {
        write_button(w, b);
    }
    w.EndArray();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

}  // namespace bense::wechat
