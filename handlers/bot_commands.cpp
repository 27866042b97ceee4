// See bot_commands.hpp.
#include "handlers/bot_commands.hpp"

#include "handlers/bot_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace bense::handlers {
namespace {

std::string without_spaces(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c != ' ') {
            out.push_back(c);
        }
    }
    return out;
}

// Where `key` ends in `text` when `text` starts with it, spaces in `text` skipped; npos if not.
std::size_t prefix_end(std::string_view text, std::string_view key) {
    std::size_t t = 0;
    for (char k : key) {
        while (t < text.size() && text[t] == ' ') {
            ++t;
        }
        if (t >= text.size() || text[t] != k) {
            return std::string_view::npos;
        }
        ++t;
    }
    return t;
}

}  // namespace

void CommandTable::add(std::string const& name, std::vector<std::string> const& aliases) {
    std::vector<std::string> keys{name};
    keys.insert(keys.end(), aliases.begin(), aliases.end());
    for (auto const& k : keys) {
        auto key = without_spaces(normalise_text(k));
        if (key.empty()) {
            throw std::invalid_argument("bot command " + name + ": empty name or alias");
        }
        for (auto const& e : entries_) {
            if (e.key == key) {
                throw std::invalid_argument("bot command " + name + ": '" + k + "' is taken by " + e.name);
            }
        }
        entries_.push_back({std::move(key), name});
    }
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](Entry const& a, Entry const& b) { return a.key.size() > b.key.size(); });
}

std::optional<CommandMatch> CommandTable::match(std::string_view text) const {
    auto const normal = normalise_text(text);
    for (auto const& e : entries_) {
        auto const end = prefix_end(normal, e.key);
        if (end != std::string_view::npos) {
            return CommandMatch{e.name, normalise_argument(std::string_view(normal).substr(end))};
        }
    }
    return std::nullopt;
}

bool CommandTable::contains(std::string_view name) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](Entry const& e) { return e.name == name; });
}

}  // namespace bense::handlers
