// See bot_conversation.hpp.
#include "handlers/bot_conversation.hpp"

#include "wechat/callback_store.hpp"

#include <charconv>

namespace bense::handlers {

std::string conversation_key(std::string_view openid) { return wechat::user_key_prefix(openid) + "conversation"; }

std::string encode_conversation(ConversationState const& state) {
    return state.name + "\n" + std::to_string(state.step) + "\n" + state.data;
}

std::optional<ConversationState> decode_conversation(std::string_view text) {
    auto const first = text.find('\n');
    if (first == std::string_view::npos || first == 0) {
        return std::nullopt;
    }
    auto const second = text.find('\n', first + 1);
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    ConversationState s;
    s.name = std::string(text.substr(0, first));
    auto const step = text.substr(first + 1, second - first - 1);
    auto [ptr, ec] = std::from_chars(step.data(), step.data() + step.size(), s.step);
    if (ec != std::errc{} || ptr != step.data() + step.size()) {
        return std::nullopt;
    }
    s.data = std::string(text.substr(second + 1));
    return s;
}

}  // namespace bense::handlers
