// The pure half of the callback gateway: checking a callback's signature, timestamp and body
// (plain, compatible or safe mode) into a Message, and rendering the reply body (encrypted
// when the request was). No I/O; the clock comes in as `now`, so tests pick the instant, and
// randomness from the caller's pool.
#pragma once

#include "server/errors.hpp"
#include "server/net.hpp"
#include "server/random_pool.hpp"
#include "server/templates.hpp"
#include "wechat/crypto.hpp"
#include "wechat/gateway_config.hpp"
#include "wechat/message.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::wechat {

// The query parameters WeChat sends; absent ones are empty.
struct CallbackQuery {
    std::string signature;
    std::string timestamp;
    std::string nonce;
    std::string echostr;
    std::string encrypt_type;  // "", "raw" (plain) or "aes" (compatible and safe mode)
    std::string msg_signature;
};

// Why a callback was refused. Each has a row (status, envelope code) and a metric label.
enum class CallbackFailure {
    bad_signature,    // 401: signature or msg_signature wrong or missing; no body work done
    stale_timestamp,  // 403: signed correctly, but outside the window (a replay, or a bad clock)
    bad_body,         // 400: not XML/JSON, DOCTYPE, truncated, invalid UTF-8, missing fields
    bad_encryption,   // 400: base64, length, padding, AES, or no key configured for safe mode
    wrong_appid,      // 400: decrypted fine, but for another app id
};

struct CallbackError {
    CallbackFailure failure;
    std::string detail;  // for the log only: which check failed and how
};

std::string_view failure_label(CallbackFailure f);
server::ErrorRow const& error_row(CallbackFailure f);
// The texts the error rows refer to.
std::vector<server::TemplateNeed> callback_template_needs();

struct VerifiedCallback {
    // Shared from the start: the handler that may outlive the request keeps it, and a message
    // (some thirty strings) was moved four times on its way there.
    std::shared_ptr<Message> message;
    bool encrypted = false;     // encrypt_type=aes: the reply is encrypted too
    std::size_t key_index = 0;  // the key that opened it (0 current, 1 previous)
};

// GET URL verification: returns echostr when the signature holds and the timestamp is within
// `window` seconds of `now`.
result<std::string, CallbackError> verify_url(EndpointConfig const& endpoint, CallbackQuery const& q,
                                              std::int64_t now, std::int64_t window);

// POST: signature first (before looking at the body), then timestamp, then the body in the
// mode encrypt_type asks for. `keys` is null when the endpoint has no EncodingAESKey.
result<VerifiedCallback, CallbackError> verify_push(EndpointConfig const& endpoint, KeyRing const* keys,
                                                    CallbackQuery const& q, std::string_view body,
                                                    std::int64_t now, std::int64_t window);

struct ReplyBody {
    std::string body;
    std::string_view content_type;
};

// The HTTP body for a rendered plain reply: "success" as is (never encrypted); otherwise the
// XML, or in safe mode the encrypted envelope (XML, or JSON for a JSON endpoint) signed with
// `now` and the request's nonce, encrypted with the key that opened the request and 16 bytes
// from `random`.
result<ReplyBody> render_reply_body(std::string const& plain_xml, EndpointConfig const& endpoint,
                                    KeyRing const* keys, VerifiedCallback const& v,
                                    std::string_view nonce, std::int64_t now, server::RandomPool& random);

// Message types and events the gateway hands to the message handler; others are logged and
// answered "success".
bool is_known_message(Message const& m);

}  // namespace bense::wechat
