// The operator commands of the `bense` binary for WeChat callbacks: `wx sign`, `wx decrypt`,
// `wx encrypt` (thin wiring of cli_tools.hpp) and `sim` (plays the WeChat server against a
// running Bense). main.cpp adds them to its command line and runs whichever was given.
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace bense::wechat {

class OperatorCommands {
public:
    explicit OperatorCommands(CLI::App& app);
    ~OperatorCommands();

    // After parsing: the exit code of the command that was given, or nullopt for none of ours.
    std::optional<int> run() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bense::wechat
