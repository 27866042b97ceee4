// Every text a person reads lives in templates/*.jsonc as key -> text with {named} placeholders.
// Loaded once at start and checked against what each module needs, so a missing template
// or placeholder fails start-up, never a user's request. Immutable after loading.
#pragma once

#include "server/net.hpp"

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bense::server {

// What a module needs: a template key and the placeholders its callers fill in.
struct TemplateNeed {
    std::string_view key;
    std::vector<std::string_view> placeholders;
};

using TemplateArgs = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Templates {
public:
    // Reads every *.jsonc file in `dir` (comments allowed). A key defined twice, a value that is
    // not a string or a file that does not parse is an error naming the file and key.
    static result<Templates, std::string> load_dir(std::string const& dir);
    // For tests: build from literal pairs.
    static Templates from_map(std::map<std::string, std::string, std::less<>> texts);

    // Checks that every need exists with exactly the placeholders it names; returns one line
    // per problem (empty when all is well).
    std::vector<std::string> check(std::vector<TemplateNeed> const& needs) const;

    bool has(std::string_view key) const;
    // Fills {name} placeholders from args. An unknown key renders as the key itself, which
    // check() at start-up rules out for every key the code uses.
    std::string render(std::string_view key, TemplateArgs args = {}) const;
    std::string_view raw(std::string_view key) const;

private:
    std::map<std::string, std::string, std::less<>> texts_;
};

// The placeholder names in a template text, in order of first appearance.
std::vector<std::string> placeholders_of(std::string_view text);

// The templates the runtime itself needs (error messages).
std::vector<TemplateNeed> server_template_needs();

}  // namespace bense::server
