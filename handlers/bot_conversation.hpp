// A member's place in a guided conversation (e.g. 新建活动 → title → time → place → confirm),
// kept in Redis per user with a timeout, and its encoding there. Pure apart from the key.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bense::handlers {

struct ConversationState {
    std::string name;  // the conversation, as registered with the bot
    int step = 0;      // which question was asked last
    std::string data;  // what the conversation has collected so far, its own format

    bool operator==(ConversationState const&) const = default;
};

// How long a conversation waits for the next answer before it is forgotten.
inline constexpr std::chrono::minutes kConversationTimeout{10};

// bense:{user:<openid>}:conversation
std::string conversation_key(std::string_view openid);

// "<name>\n<step>\n<data>": one string value, so that saving it and its timeout is one SET.
std::string encode_conversation(ConversationState const& state);
// nullopt for anything encode_conversation did not write.
std::optional<ConversationState> decode_conversation(std::string_view text);

}  // namespace bense::handlers
