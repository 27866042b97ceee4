// See roster_fields.hpp and the value functions of roster_csv.hpp: every word a roster cell
// may hold, in one place. Text is valid UTF-8 here (roster_text_to_utf8 ran first).
#include "handlers/roster_fields.hpp"

#include <algorithm>
#include <array>

namespace bense::handlers {
namespace {

template <typename T>
struct Alias {
    std::string_view text;  // as a person writes it; ASCII letters compare in any case
    T value;
};

constexpr auto kRoleAliases = std::to_array<Alias<std::string_view>>({
    {"党员", "member"},
    {"member", "member"},
    {"支委", "committee"},
    {"支委委员", "committee"},
    {"委员", "committee"},
    {"committee", "committee"},
    {"书记", "secretary"},
    {"支部书记", "secretary"},
    {"secretary", "secretary"},
    {"联络员", "liaison"},
    {"党建指导员", "liaison"},
    {"liaison", "liaison"},
    {"老干部局", "bureau"},
    {"局机关", "bureau"},
    {"bureau", "bureau"},
});

constexpr auto kStatusAliases = std::to_array<Alias<MemberStatus>>({
    {"", MemberStatus::active},
    {"正常", MemberStatus::active},
    {"在册", MemberStatus::active},
    {"active", MemberStatus::active},
    {"转出", MemberStatus::transferred},
    {"已转出", MemberStatus::transferred},
    {"transferred", MemberStatus::transferred},
    {"去世", MemberStatus::deceased},
    {"已故", MemberStatus::deceased},
    {"逝世", MemberStatus::deceased},
    {"deceased", MemberStatus::deceased},
});

constexpr auto kSmartphoneAliases = std::to_array<Alias<bool>>({
    {"是", true},
    {"有", true},
    {"会", true},
    {"y", true},
    {"yes", true},
    {"1", true},
    {"true", true},
    {"否", false},
    {"无", false},
    {"不会", false},
    {"n", false},
    {"no", false},
    {"0", false},
    {"false", false},
});

constexpr auto kTierAliases = std::to_array<Alias<std::string_view>>({
    {"", ""},
    {"规范化", "standard"},
    {"规范化支部", "standard"},
    {"standard", "standard"},
    {"先进", "advanced"},
    {"先进支部", "advanced"},
    {"advanced", "advanced"},
    {"过硬", "strong"},
    {"过硬支部", "strong"},
    {"strong", "strong"},
});

constexpr auto kRoleNames =
    std::to_array<std::string_view>({"member", "committee", "secretary", "liaison", "bureau"});

constexpr std::size_t kShownCodePoints = 20;

template <typename T, std::size_t N>
std::optional<T> find_alias(std::array<Alias<T>, N> const& aliases, std::string_view text) {
    for (auto const& alias : aliases) {
        if (roster::iequals_ascii(alias.text, text)) {
            return alias.value;
        }
    }
    return std::nullopt;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

//------------------------------------------------------------------------------
// Cell text (roster_fields.hpp)

namespace roster {

std::string_view trim_cell(std::string_view s) {
    auto const blank_at_front = [](std::string_view t) -> std::size_t {
        if (!t.empty() && (t.front() == ' ' || t.front() == '\t')) {
            return 1;
        }
        return t.starts_with(kIdeographicSpace) ? kIdeographicSpace.size() : 0;
    };
    auto const blank_at_back = [](std::string_view t) -> std::size_t {
        if (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
            return 1;
        }
        return t.ends_with(kIdeographicSpace) ? kIdeographicSpace.size() : 0;
    };
    while (std::size_t const n = blank_at_front(s)) {
        s.remove_prefix(n);
    }
    while (std::size_t const n = blank_at_back(s)) {
        s.remove_suffix(n);
    }
    return s;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b,
                              [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::ranges::count_if(s, [](char c) { return !is_continuation(c); }));
}

std::string quote_value(std::string_view value) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!is_continuation(value[i]) && seen++ == kShownCodePoints) {
            return "“" + std::string(value.substr(0, i)) + "…”";
        }
    }
    return "“" + std::string(value) + "”";
}

std::optional<MemberStatus> parse_status_cell(std::string_view cell) {
    return find_alias(kStatusAliases, cell);
}

std::optional<bool> parse_smartphone_cell(std::string_view cell) {
    return find_alias(kSmartphoneAliases, cell);
}

std::optional<std::string_view> parse_tier_cell(std::string_view cell) {
    return find_alias(kTierAliases, cell);
}

}  // namespace roster

//------------------------------------------------------------------------------
// Values (roster_csv.hpp)

std::optional<std::string> parse_role(std::string_view text) {
    if (auto role = find_alias(kRoleAliases, roster::trim_cell(text))) {
        return std::string(*role);
    }
    return std::nullopt;
}

bool is_valid_role(std::string_view role) {
    return std::ranges::find(kRoleNames, role) != kRoleNames.end();
}

std::string_view status_name(MemberStatus s) {
    switch (s) {
        case MemberStatus::active:
            return "active";
        case MemberStatus::transferred:
            return "transferred";
        case MemberStatus::deceased:
            return "deceased";
    }
    return "active";
}

std::optional<MemberStatus> parse_status_name(std::string_view s) {
    for (auto status : {MemberStatus::active, MemberStatus::transferred, MemberStatus::deceased}) {
        if (status_name(status) == s) {
            return status;
        }
    }
    return std::nullopt;
}

bool is_valid_roster_id(std::string_view id) {
    return !id.empty() && id.size() <= 32 && std::ranges::all_of(id, [](char c) {
        return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
               c == '-';
    });
}

std::optional<std::string> normalise_phone(std::string_view text) {
    static constexpr auto kDropped = std::to_array<std::string_view>(
        {" ", "\t", "-", "(", ")", "（", "）", roster::kIdeographicSpace});
    std::string digits;
    for (std::size_t pos = 0; pos < text.size();) {
        auto const drop = std::ranges::find_if(
            kDropped, [&](std::string_view d) { return text.substr(pos).starts_with(d); });
        if (drop != kDropped.end()) {
            pos += drop->size();
        } else {
            digits.push_back(text[pos++]);
        }
    }
    for (std::string_view prefix : {"+86", "86"}) {
        if (digits.starts_with(prefix) && digits.size() == prefix.size() + 11) {
            digits.erase(0, prefix.size());
            break;
        }
    }
    if (digits.size() != 11 || digits.front() != '1' || !std::ranges::all_of(digits, is_digit)) {
        return std::nullopt;
    }
    return digits;
}

}  // namespace bense::handlers
