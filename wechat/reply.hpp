// Passive replies to OA pushes (wechat-protocol.md 3) and the encrypted reply envelope (1.5),
// rendered to the exact bytes of the HTTP response body. Pure: the caller stamps create_time
// from its clock and does the encryption.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bense::wechat {

struct Reply {
    enum class Kind { none, text, image, voice, video, music, news };

    Kind kind = Kind::none;
    std::string to_user;           // the user's openid: the request's FromUserName
    std::string from_user;         // our gh_ id: the request's ToUserName
    std::int64_t create_time = 0;  // unix seconds; set by the caller before rendering

    std::string content;         // text; newlines and <a href> links are allowed
    std::string media_id;        // image, voice, video (from the material upload APIs)
    std::string title;           // video (optional), music, news
    std::string description;     // video (optional), music, news
    std::string music_url;       // music
    std::string hq_music_url;    // music
    std::string thumb_media_id;  // music (required by WeChat)
    std::string pic_url;         // news
    std::string url;             // news

    // No reply: renders "success", which WeChat takes as "answered, don't retry".
    static Reply none();
    static Reply text(std::string to, std::string from, std::string content);
    static Reply image(std::string to, std::string from, std::string media_id);
    static Reply voice(std::string to, std::string from, std::string media_id);
    static Reply video(std::string to, std::string from, std::string media_id, std::string title = {},
                       std::string description = {});
    static Reply music(std::string to, std::string from, std::string title, std::string description,
                       std::string music_url, std::string hq_music_url, std::string thumb_media_id);
    // One article: WeChat allows only one in replies to user messages.
    static Reply news(std::string to, std::string from, std::string title, std::string description, std::string pic_url,
                      std::string url);
};

// The plaintext response body: "success" for Kind::none (never encrypted, even in safe
// mode), else the reply XML with every text in CDATA. A "]]>" in a text is split across two
// CDATA sections; bytes XML 1.0 forbids (C0 controls other than tab, LF, CR) are dropped.
std::string render_reply_xml(Reply const& reply);

// The safe-mode response body:
// <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>, with `signature` =
// msg_signature(token, timestamp, nonce, encrypt) computed over these same strings.
// `encrypt` is base64 (MessageCrypto::encrypt) and `signature` hex digits: both are written
// as they are. The nonce, echoed from the request, is escaped like any other text.
std::string render_encrypted_reply_xml(std::string_view encrypt, std::string_view signature, std::string_view timestamp,
                                       std::string_view nonce);

// The MP JSON-mode variant: {"Encrypt","MsgSignature","TimeStamp","Nonce"} in that order,
// TimeStamp a JSON number (a string if `timestamp` is not a decimal integer), Nonce a string.
std::string render_encrypted_reply_json(std::string_view encrypt, std::string_view signature,
                                        std::string_view timestamp, std::string_view nonce);

}  // namespace bense::wechat
