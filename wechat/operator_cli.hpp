// The operator commands of the `bense` binary for WeChat callbacks: `wx sign`, `wx decrypt`,
// `wx encrypt` (thin wiring of cli_tools.hpp) and `sim` (plays the WeChat server against a
// running Bense; `sim login` plays the mini-program's login). main.cpp adds them to its
// command line and runs whichever was given.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bense::wechat {

class OperatorCommands {
public:
    // `other_sections`: top-level config sections that other modules read, which `wx menu`
    // accepts without reading them.
    OperatorCommands(CLI::App& app, std::vector<std::string> other_sections);
    ~OperatorCommands();

    // After parsing: the exit code of the command that was given, or nullopt for none of ours.
    std::optional<int> run() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bense::wechat
