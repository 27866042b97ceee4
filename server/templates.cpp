// Template loading, checking and rendering. Placeholders are `{name}` with name in [a-z0-9_];
// any other brace is literal text.
#include "server/templates.hpp"

#include "server/errors.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bense::server {
namespace {

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Calls on_text(literal) and on_name(name) for each part of a template text.
template <class OnText, class OnName>
void scan_template(std::string_view text, OnText on_text, OnName on_name) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find('{', pos);
        if (open == std::string_view::npos) {
            break;
        }
        auto close = open + 1;
        while (close < text.size() && is_name_char(text[close])) {
            ++close;
        }
        if (close < text.size() && text[close] == '}' && close > open + 1) {
            on_text(text.substr(pos, open - pos));
            on_name(text.substr(open + 1, close - open - 1));
            pos = close + 1;
        } else {
            on_text(text.substr(pos, open + 1 - pos));
            pos = open + 1;
        }
    }
    on_text(text.substr(pos));
}

}  // namespace

std::vector<std::string> placeholders_of(std::string_view text) {
    std::vector<std::string> names;
    scan_template(
        text, [](std::string_view) {},
        [&](std::string_view name) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.emplace_back(name);
            }
        });
    return names;
}

result<Templates, std::string> Templates::load_dir(std::string const& dir) {
    namespace fs = std::filesystem;
    std::error_code fs_ec;
    std::vector<fs::path> files;
    for (auto const& entry : fs::directory_iterator(dir, fs_ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".jsonc") {
            files.push_back(entry.path());
        }
    }
    if (fs_ec) {
        return "templates: cannot read directory " + dir + ": " + fs_ec.message();
    }
    std::sort(files.begin(), files.end());
    Templates out;
    for (auto const& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        auto const text = buf.str();
        rapidjson::Document doc;
        doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(text.data(),
                                                                                       text.size());
        if (doc.HasParseError()) {
            return fmt::format("{}: offset {}: {}", path.string(), doc.GetErrorOffset(),
                               rapidjson::GetParseError_En(doc.GetParseError()));
        }
        if (!doc.IsObject()) {
            return path.string() + ": expected an object of key -> text";
        }
        for (auto const& member : doc.GetObject()) {
            std::string key(member.name.GetString(), member.name.GetStringLength());
            if (!member.value.IsString()) {
                return path.string() + ": /" + key + ": expected a string";
            }
            if (out.texts_.contains(key)) {
                return path.string() + ": /" + key + ": defined twice";
            }
            out.texts_.emplace(std::move(key), std::string(member.value.GetString(),
                                                           member.value.GetStringLength()));
        }
    }
    return out;
}

Templates Templates::from_map(std::map<std::string, std::string, std::less<>> texts) {
    Templates out;
    out.texts_ = std::move(texts);
    return out;
}

std::vector<std::string> Templates::check(std::vector<TemplateNeed> const& needs) const {
    std::vector<std::string> problems;
    for (auto const& need : needs) {
        auto it = texts_.find(need.key);
        if (it == texts_.end()) {
            problems.push_back(fmt::format("template {} is missing", need.key));
            continue;
        }
        auto const found = placeholders_of(it->second);
        for (auto const& name : need.placeholders) {
            if (std::find(found.begin(), found.end(), name) == found.end()) {
                problems.push_back(fmt::format("template {} lacks {{{}}}", need.key, name));
            }
        }
        for (auto const& name : found) {
            if (std::find(need.placeholders.begin(), need.placeholders.end(), name) ==
                need.placeholders.end()) {
                problems.push_back(
                    fmt::format("template {} has {{{}}}, which no caller fills", need.key, name));
            }
        }
    }
    return problems;
}

bool Templates::has(std::string_view key) const { return texts_.find(key) != texts_.end(); }

std::string_view Templates::raw(std::string_view key) const {
    auto it = texts_.find(key);
    return it == texts_.end() ? key : std::string_view(it->second);
}

std::string Templates::render(std::string_view key, TemplateArgs args) const {
    std::string out;
    scan_template(
        raw(key), [&](std::string_view literal) { out.append(literal); },
        [&](std::string_view name) {
            for (auto const& [arg_name, value] : args) {
                if (arg_name == name) {
                    out.append(value);
                    return;
                }
            }
            out.append("{").append(name).append("}");
        });
    return out;
}

std::vector<TemplateNeed> server_template_needs() {
    std::vector<TemplateNeed> needs;
    for (auto const& row : all_error_rows()) {
        needs.push_back({row.template_key, {}});
    }
    return needs;
}

}  // namespace bense::server
