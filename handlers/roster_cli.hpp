// The roster's operator commands of the `bense` binary: `roster import FILE`, `roster codes`
// (binding codes to hand out at a branch meeting), `admin token create|list|revoke`
// (bureau API tokens) and `points export ledger|assessment` (CSV for Excel). main.cpp adds them to its command line and runs whichever was given;
// each reads the real config (the roster section validated) and talks to Redis directly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bense::handlers {

class RosterCommands {
public:
    // `other_sections`: top-level config sections that modules outside the domain read
    // (wechat_api), which these commands accept without reading them.
    RosterCommands(CLI::App& app, std::vector<std::string> other_sections);
    ~RosterCommands();

    // After parsing: the exit code of the command that was given, or nullopt for none of ours.
    std::optional<int> run() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bense::handlers
