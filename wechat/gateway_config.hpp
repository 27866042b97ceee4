// Configuration of the WeChat callback gateway: the "wechat" section of the config file, one
// block per endpoint (official account, mini-program) plus the timing rules both share.
// Secrets may be written as "env:NAME". Checked once at start; immutable afterwards.
#pragma once

#include "server/json.hpp"
#include "wechat/crypto.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace bense::wechat {

enum class BodyFormat { xml, json };

struct EndpointConfig {
    bool enabled = false;          // the block is present in the config file
    std::string appid;             // the trailer checked after decryption
    std::string token;             // 3..32 chars, for the SHA1 signatures
    std::string aes_key;           // EncodingAESKey, 43 chars; empty: plain mode only
    std::string previous_aes_key;  // the key before the last change, kept during rotation
    BodyFormat format = BodyFormat::xml;  // mini-program only; the official account is XML
    // Whether a reply may ride in the HTTP response. Mini-program pushes cannot carry one
    // (protocol 2.3): their replies always go out later, as customer-service messages.
    bool passive_replies = true;

    // The key ring for safe mode; nullopt when no aes_key is set.
    std::optional<KeyRing> key_ring() const;
};

struct GatewayConfig {
    EndpointConfig oa;
    EndpointConfig mp;
    // A callback whose timestamp is further than this from now is refused (replay guard).
    std::int64_t timestamp_window_seconds = 300;
    // WeChat gives up after 5 s; past this the gateway answers "success" and the reply goes
    // out later.
    std::chrono::milliseconds handler_deadline{4000};
    // How long a callback's claim and stored reply live: WeChat's retries come within ~15 s.
    std::chrono::milliseconds reply_ttl{60000};
};

// Reads the "wechat" section; problems are reported through `r` with their JSON path.
void read_gateway_config(server::JsonObjectReader& r, GatewayConfig& out);

}  // namespace bense::wechat
