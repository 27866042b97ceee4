// Command-line wiring of the domain's operator commands (roster_cli_commands.hpp and
// points_cli_commands.hpp do the work). The flags are part of the interface: scripts/run.sh seeds the demo with them.
#include "handlers/roster_cli.hpp"

#include "handlers/module.hpp"
#include "handlers/points_cli_commands.hpp"
#include "handlers/roster_cli_commands.hpp"
#include "server/config.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace bense::handlers {

struct RosterCommands::State {
    std::vector<std::string> other_sections;
    std::string config = "config/bense.example.jsonc";
    CLI::App* import = nullptr;
    std::string import_file;
    CLI::App* codes = nullptr;
    std::string codes_branch;
    std::string codes_kind = "self";
    bool codes_fresh = false;
    CLI::App* token_create = nullptr;
    std::string token_name;
    CLI::App* token_list = nullptr;
    CLI::App* token_revoke = nullptr;
    std::string token_id;
    CLI::App* export_ledger = nullptr;
    std::string export_member;
    CLI::App* export_assessment = nullptr;
    std::string export_half;
    std::string export_out;  // "" or "-": stdout

    // The Redis address and the roster section of `config`, every section checked;
    // nullopt (after saying why on stderr) when the file is wrong.
    std::optional<RosterCliContext> load(std::string const& command) const;
    // Runs an export into --out (written whole, only when the export succeeded) or stdout.
    int export_to_file(CLI::App const* cmd, RosterCliContext const& ctx) const;
};

int RosterCommands::State::export_to_file(CLI::App const* cmd, RosterCliContext const& ctx) const {
    std::ostringstream csv;
    int const code = cmd == export_ledger ? points_ledger_export_command(ctx, export_member, csv, std::cerr)
                                          : assessment_export_command(ctx, export_half, csv, std::cerr);
    if (code != 0) {
        return code;
    }
    if (export_out.empty() || export_out == "-") {
        std::cout << csv.str();
        return 0;
    }
    std::ofstream file(export_out, std::ios::binary);
    file << csv.str();
    if (!file.flush()) {
        std::cerr << "bense points export: 无法写入 " << export_out << "\n";
        return 2;
    }
    std::cerr << "已写入 " << export_out << "\n";
    return 0;
}

std::optional<RosterCliContext> RosterCommands::State::load(std::string const& command) const {
    Settings settings;
    auto sections = config_sections(settings);
    for (auto const& name : other_sections) {
        sections.emplace(name, [](server::JsonObjectReader& r) { r.accept_all_keys(); });
    }
    auto loaded = server::load_config(config, sections);
    if (!loaded) {
        std::cerr << "bense " << command << ": " << loaded.error() << "\n";
        return std::nullopt;
    }
    RosterCliContext ctx;
    ctx.redis = loaded->redis;
    ctx.deps.config = settings.roster;
    ctx.deps.points = settings.points;
    ctx.deps.assessment = settings.assessment;
    return ctx;
}

RosterCommands::RosterCommands(CLI::App& app, std::vector<std::string> other_sections)
    : state_(std::make_unique<State>()) {
    auto& s = *state_;
    s.other_sections = std::move(other_sections);
    auto add_config = [&s](CLI::App* cmd) {
        cmd->add_option("-c,--config", s.config, "Config file (redis and roster sections)")->capture_default_str();
    };

    auto* roster = app.add_subcommand("roster", "Members and branches: import a roster file, issue binding codes");
    roster->require_subcommand(1);
    s.import = roster->add_subcommand("import", "Import a members or branches CSV file (all rows or none)");
    s.import->add_option("file", s.import_file, "CSV file (UTF-8 or GB18030, as Excel saves it)")->required();
    add_config(s.import);
    s.codes = roster->add_subcommand(
        "codes", "Issue binding codes to the branch's active members not yet bound, and print them");
    s.codes->add_option("--branch", s.codes_branch, "Branch id (支部编号)")->required();
    s.codes->add_option("--kind", s.codes_kind, "self: the member's own WeChat; proxy: a family member's")
        ->check(CLI::IsMember({"self", "proxy"}))
        ->capture_default_str();
    s.codes->add_flag("--new", s.codes_fresh, "Replace codes still valid with new ones");
    add_config(s.codes);

    auto* admin = app.add_subcommand("admin", "Bureau administration: API tokens");
    admin->require_subcommand(1);
    auto* token = admin->add_subcommand("token", "Bureau API tokens (Authorization: Bearer bt_...)");
    token->require_subcommand(1);
    s.token_create = token->add_subcommand("create", "Create a token and print it once");
    s.token_create->add_option("--name", s.token_name, "Who holds it, e.g. 老干部局")->required();
    add_config(s.token_create);
    s.token_list = token->add_subcommand("list", "List tokens: id, name, created (never the token)");
    add_config(s.token_list);
    s.token_revoke = token->add_subcommand("revoke", "Revoke a token by its id");
    s.token_revoke->add_option("--id", s.token_id, "The token's id (see list)")->required();
    add_config(s.token_revoke);

    auto* points = app.add_subcommand("points", "Learning points: CSV exports for Excel");
    points->require_subcommand(1);
    auto* exports = points->add_subcommand("export", "Write a CSV (UTF-8 with BOM) to --out or stdout");
    exports->require_subcommand(1);
    s.export_ledger = exports->add_subcommand("ledger", "A member's whole points ledger, oldest first");
    s.export_ledger->add_option("--member", s.export_member, "The member's number (编号)")->required();
    s.export_assessment = exports->add_subcommand("assessment", "Every branch's half-year assessment, best first");
    s.export_assessment->add_option("--half", s.export_half, "2026H1 or 2026H2 (default: the current half-year)");
    for (auto* cmd : {s.export_ledger, s.export_assessment}) {
        cmd->add_option("-o,--out", s.export_out, "File to write (default: stdout)");
        add_config(cmd);
    }
}

RosterCommands::~RosterCommands() = default;

std::optional<int> RosterCommands::run() const {
    auto& s = *state_;
    struct Command {
        CLI::App* cmd;
        char const* name;
    };
    for (auto [cmd, name] : {Command{s.import, "roster import"}, Command{s.codes, "roster codes"},
                             Command{s.token_create, "admin token create"}, Command{s.token_list, "admin token list"},
                             Command{s.token_revoke, "admin token revoke"},
                             Command{s.export_ledger, "points export ledger"},
                             Command{s.export_assessment, "points export assessment"}}) {
        if (!cmd->parsed()) {
            continue;
        }
        // The Redis client's info lines ("redis: ready at ...") are noise on a terminal.
        spdlog::set_level(spdlog::level::warn);
        auto ctx = s.load(name);
        if (!ctx) {
            return 2;
        }
        if (cmd == s.import) {
            return roster_import_command(*ctx, s.import_file, std::cout, std::cerr);
        }
        if (cmd == s.codes) {
            return roster_codes_command(*ctx, s.codes_branch, s.codes_kind, s.codes_fresh, std::cout, std::cerr);
        }
        if (cmd == s.token_create) {
            return token_create_command(*ctx, s.token_name, std::cout, std::cerr);
        }
        if (cmd == s.token_list) {
            return token_list_command(*ctx, std::cout, std::cerr);
        }
        if (cmd == s.export_ledger || cmd == s.export_assessment) {
            return s.export_to_file(cmd, *ctx);
        }
        return token_revoke_command(*ctx, s.token_id, std::cout, std::cerr);
    }
    return std::nullopt;
}

}  // namespace bense::handlers
