// The bot's command table: which command a text names, and its argument. Matching forgives
// full-width forms, spaces (or none) between command and argument, and Chinese numerals in
// a numeric argument. Pure: no I/O, unit-tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

struct CommandMatch {
    std::string name;      // the command's own name, whichever alias was typed
    std::string argument;  // after normalise_argument: "4821" for "四八二一"
};

class CommandTable {
public:
    // Adds a command under its name and aliases. Throws std::invalid_argument when a name or
    // alias is empty or already taken: the table is built at start-up.
    void add(std::string const& name, std::vector<std::string> const& aliases = {});

    // The command whose name or alias starts the text (the longest one wins), skipping spaces
    // inside and after it; nullopt when none does.
    std::optional<CommandMatch> match(std::string_view text) const;

    bool contains(std::string_view name) const;

private:
    struct Entry {
        std::string key;  // normalised, without spaces
        std::string name;
    };
    std::vector<Entry> entries_;  // longest key first
};

}  // namespace bense::handlers
