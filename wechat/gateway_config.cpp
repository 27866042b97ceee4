// Reading and checking the "wechat" config section.
#include "wechat/gateway_config.hpp"

namespace bense::wechat {
namespace {

void check_key(server::JsonObjectReader& r, std::string_view name, std::string const& key) {
    if (!key.empty() && !MessageCrypto::from_encoding_aes_key(key, "")) {
        r.fail(r.path_of(name) + ": expected an EncodingAESKey of 43 letters and digits");
    }
}

void read_endpoint(server::JsonObjectReader& top, std::string_view name, EndpointConfig& out,
                   bool is_mp) {
    auto const* v = top.member(name);
    if (v == nullptr) {
        return;
    }
    server::JsonObjectReader r(*v, top.path_of(name));
    out.enabled = true;
    r.read("appid", out.appid);
    r.read_secret("token", out.token);
    r.read_secret("encoding_aes_key", out.aes_key);
    r.read_secret("previous_encoding_aes_key", out.previous_aes_key);
    if (is_mp) {
        std::string format = "xml";
        r.read("format", format);
        if (format == "json") {
            out.format = BodyFormat::json;
        } else if (format != "xml") {
            r.fail(r.path_of("format") + ": expected \"xml\" or \"json\"");
        }
        out.passive_replies = false;
    }
    if (out.appid.empty()) {
        r.fail(r.path_of("appid") + ": required");
    }
    if (out.token.size() < 3 || out.token.size() > 32) {
        r.fail(r.path_of("token") + ": expected 3..32 characters");
    }
    check_key(r, "encoding_aes_key", out.aes_key);
    check_key(r, "previous_encoding_aes_key", out.previous_aes_key);
    if (out.aes_key.empty() && !out.previous_aes_key.empty()) {
        r.fail(r.path_of("previous_encoding_aes_key") + ": set only with encoding_aes_key");
    }
    r.finish();
    if (!r.ok()) {
        top.fail(r.error());
    }
}

}  // namespace

std::optional<KeyRing> EndpointConfig::key_ring() const {
    if (aes_key.empty()) {
        return std::nullopt;
    }
    auto current = MessageCrypto::from_encoding_aes_key(aes_key, appid);
    if (!current) {
        return std::nullopt;  // ruled out when the config was read
    }
    std::optional<MessageCrypto> previous;
    if (!previous_aes_key.empty()) {
        if (auto p = MessageCrypto::from_encoding_aes_key(previous_aes_key, appid)) {
            previous = std::move(*p);
        }
    }
    return KeyRing(std::move(*current), std::move(previous));
}

void read_gateway_config(server::JsonObjectReader& r, GatewayConfig& out) {
    r.read("timestamp_window_seconds", out.timestamp_window_seconds, 1, 86400);
    r.read_ms("handler_deadline_ms", out.handler_deadline, 50, 4800);
    r.read_ms("reply_ttl_ms", out.reply_ttl, 10000, 3600000);
    read_endpoint(r, "oa", out.oa, false);
    read_endpoint(r, "mp", out.mp, true);
}

}  // namespace bense::wechat
