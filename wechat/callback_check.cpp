// Callback checks and reply rendering for the gateway. See callback_check.hpp.
#include "wechat/callback_check.hpp"

#include "wechat/reply.hpp"
#include "wechat/signature.hpp"

#include <array>
#include <charconv>

namespace bense::wechat {
namespace {

using server::ErrorRow;
namespace status = boost::beast::http;

constexpr std::array<ErrorRow, 5> kRows{{
    {"wechat.bad_signature", status::status::unauthorized, "error.wechat.bad_signature"},
    {"wechat.stale_timestamp", status::status::forbidden, "error.wechat.stale_timestamp"},
    {"wechat.bad_body", status::status::bad_request, "error.wechat.bad_body"},
    {"wechat.bad_encryption", status::status::bad_request, "error.wechat.bad_encryption"},
    {"wechat.wrong_appid", status::status::bad_request, "error.wechat.wrong_appid"},
}};

CallbackError fail(CallbackFailure f, std::string detail) { return {f, std::move(detail)}; }

// Signature first, then the timestamp: an unsigned request learns nothing about our clock.
std::optional<CallbackError> check_signature_and_time(EndpointConfig const& endpoint, CallbackQuery const& q,
                                                      std::int64_t now, std::int64_t window) {
    if (q.signature.empty() || q.timestamp.empty() || q.nonce.empty()) {
        return fail(CallbackFailure::bad_signature, "signature, timestamp or nonce missing");
    }
    if (!constant_time_equal(url_signature(endpoint.token, q.timestamp, q.nonce), q.signature)) {
        return fail(CallbackFailure::bad_signature, "signature mismatch");
    }
    std::int64_t ts = 0;
    auto const* end = q.timestamp.data() + q.timestamp.size();
    auto [ptr, ec] = std::from_chars(q.timestamp.data(), end, ts);
    if (ec != std::errc{} || ptr != end) {
        return fail(CallbackFailure::stale_timestamp, "timestamp is not a number: " + q.timestamp);
    }
    if (ts < now - window || ts > now + window) {
        return fail(CallbackFailure::stale_timestamp,
                    "timestamp " + q.timestamp + " is " + std::to_string(now - ts) + " s from now");
    }
    return std::nullopt;
}

result<std::shared_ptr<Message>, CallbackError> parse_body(EndpointConfig const& endpoint, std::string_view body) {
    auto m = endpoint.format == BodyFormat::json ? parse_message_json(body) : parse_message_xml(body);
    if (!m) {
        return fail(CallbackFailure::bad_body, m.error().message());
    }
    return std::make_shared<Message>(std::move(*m));
}

}  // namespace

std::string_view failure_label(CallbackFailure f) {
    return kRows.at(static_cast<std::size_t>(f)).code.substr(7);  // without "wechat."
}

ErrorRow const& error_row(CallbackFailure f) { return kRows.at(static_cast<std::size_t>(f)); }

std::vector<server::TemplateNeed> callback_template_needs() {
    std::vector<server::TemplateNeed> needs;
    for (auto const& row : kRows) {
        needs.push_back({row.template_key, {}});
    }
    return needs;
}

result<std::string, CallbackError> verify_url(EndpointConfig const& endpoint, CallbackQuery const& q,
                                              std::int64_t now, std::int64_t window) {
    if (auto e = check_signature_and_time(endpoint, q, now, window)) {
        return std::move(*e);
    }
    if (q.echostr.empty()) {
        return fail(CallbackFailure::bad_body, "echostr missing");
    }
    return q.echostr;
}

result<VerifiedCallback, CallbackError> verify_push(EndpointConfig const& endpoint, KeyRing const* keys,
                                                    CallbackQuery const& q, std::string_view body,
                                                    std::int64_t now, std::int64_t window) {
    if (auto e = check_signature_and_time(endpoint, q, now, window)) {
        return std::move(*e);
    }
    VerifiedCallback v;
    if (q.encrypt_type.empty() || q.encrypt_type == "raw") {
        auto m = parse_body(endpoint, body);
        if (!m) {
            return m.error();
        }
        v.message = std::move(*m);
        return v;
    }
    if (q.encrypt_type != "aes") {
        return fail(CallbackFailure::bad_body, "unknown encrypt_type " + q.encrypt_type);
    }
    if (keys == nullptr) {
        return fail(CallbackFailure::bad_encryption, "encrypted callback, but no encoding_aes_key configured");
    }
    // Compatible mode carries the plaintext fields too; only the encrypted copy is trusted.
    auto env = endpoint.format == BodyFormat::json ? parse_envelope_json(body) : parse_envelope_xml(body);
    if (!env) {
        return fail(CallbackFailure::bad_body, "envelope: " + env.error().message());
    }
    if (q.msg_signature.empty() ||
        !constant_time_equal(msg_signature(endpoint.token, q.timestamp, q.nonce, env->encrypt), q.msg_signature)) {
        return fail(CallbackFailure::bad_signature, "msg_signature mismatch");
    }
    auto plain = keys->decrypt(env->encrypt);
    if (!plain) {
        auto const f = plain.error() == crypto_errc::appid ? CallbackFailure::wrong_appid
                                                            : CallbackFailure::bad_encryption;
        return fail(f, plain.error().message());
    }
    auto m = parse_body(endpoint, plain->message.msg);
    if (!m) {
        return m.error();
    }
    v.message = std::move(*m);
    v.encrypted = true;
    v.key_index = plain->key_index;
    return v;
}

result<ReplyBody> render_reply_body(std::string const& plain_xml, EndpointConfig const& endpoint,
                                    KeyRing const* keys, VerifiedCallback const& v,
                                    std::string_view nonce, std::int64_t now, server::RandomPool& random) {
    if (plain_xml == "success") {
        return ReplyBody{plain_xml, "text/plain; charset=utf-8"};
    }
    if (!v.encrypted || keys == nullptr) {
        return ReplyBody{plain_xml, "application/xml; charset=utf-8"};
    }
    std::array<unsigned char, MessageCrypto::kRandomSize> random16{};
    if (!random.fill(random16)) {
        return crypto_errc::encrypt;
    }
    auto encrypt = keys->key(v.key_index)
                       .encrypt(plain_xml, std::string_view(reinterpret_cast<char const*>(random16.data()),
                                                            random16.size()));
    if (!encrypt) {
        return encrypt.error();
    }
    auto const ts = std::to_string(now);
    auto const sig = msg_signature(endpoint.token, ts, nonce, *encrypt);
    if (endpoint.format == BodyFormat::json) {
        return ReplyBody{render_encrypted_reply_json(*encrypt, sig, ts, nonce), "application/json; charset=utf-8"};
    }
    return ReplyBody{render_encrypted_reply_xml(*encrypt, sig, ts, nonce), "application/xml; charset=utf-8"};
}

bool is_known_message(Message const& m) {
    static constexpr std::array<std::string_view, 8> kTypes{
        "text", "image", "voice", "video", "shortvideo", "location", "link", "miniprogrampage"};
    static constexpr std::array<std::string_view, 19> kEvents{
        "subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "scancode_push",
        "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select",
        "view_miniprogram", "TEMPLATESENDJOBFINISH", "MASSSENDJOBFINISH", "subscribe_msg_popup_event",
        "subscribe_msg_change_event", "subscribe_msg_sent_event", "user_enter_tempsession"};
    if (m.msg_type == "event") {
        return std::find(kEvents.begin(), kEvents.end(), m.event) != kEvents.end();
    }
    return std::find(kTypes.begin(), kTypes.end(), m.msg_type) != kTypes.end();
}

}  // namespace bense::wechat
