// Passive reply rendering, by hand: the format is fixed and small, and writing it directly
// keeps control of CDATA splitting (pugixml would write "]]>" into one CDATA section as is).
#include "wechat/reply.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <utility>

namespace bense::wechat {

namespace {

constexpr bool is_forbidden_in_xml(char c) {
    auto const byte = static_cast<unsigned char>(c);
    return byte < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// Whether any of the eight bytes at `p` is a ']' or below 0x20: the bit tricks find a zero
// byte in `word ^ "]]]]]]]]"` and a byte below 0x20 in `word`, exactly (no false answers).
bool may_stop_among(char const* p) {
    constexpr std::uint64_t kOnes = 0x0101010101010101;
    constexpr std::uint64_t kHighs = 0x8080808080808080;
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    std::uint64_t const brackets = word ^ (kOnes * ']');
    std::uint64_t const bracket_found = (brackets - kOnes) & ~brackets & kHighs;
    std::uint64_t const control_found = (word - kOnes * 0x20) & ~word & kHighs;
    return (bracket_found | control_found) != 0;
}

// <name><![CDATA[text]]></name>. "]]>" ends a CDATA section, so it is written as "]]" at the
// end of one section and ">" at the start of the next; readers join adjacent sections.
void append_cdata(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += "><![CDATA[";
    // Copies runs of ordinary characters whole; only "]]>" and control characters stop a run.
    // A reply is mostly long Chinese text, so eight bytes at a time are first asked whether
    // any of them may stop a run (a ']' or a byte below 0x20); only a word that has one is
    // looked at byte by byte, with one table lookup a byte.
    static constexpr auto kMayStop = [] {
        std::array<bool, 256> stops{};
        for (int c = 0; c < 256; ++c) {
            stops[c] = c == ']' || is_forbidden_in_xml(static_cast<char>(c));
        }
        return stops;
    }();
    std::size_t run = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.size() - i >= 8 && !may_stop_among(text.data() + i)) {
            i += 8;
            continue;
        }
        for (auto const end = std::min(text.size(), i + 8); i < end; ++i) {
            if (!kMayStop[static_cast<unsigned char>(text[i])]) {
                continue;
            }
            bool const split = text.compare(i, 3, "]]>") == 0;
            if (!split && !is_forbidden_in_xml(text[i])) {
                continue;  // a lone ']'
            }
            out.append(text, run, i - run);
            if (split) {
                out += "]]]]><![CDATA[>";
                i += 2;
            }
            run = i + 1;
        }
    }
    out.append(text, run, std::string_view::npos);
    out += "]]></";
    out += name;
    out += '>';
}

// <name><![CDATA[text]]></name> for text that holds neither "]]>" nor a byte XML forbids, as
// base64 and hex digits never do: copied whole, without append_cdata's look at every byte
// (a safe-mode reply's Encrypt is about 1.6 KB).
void append_cdata_verbatim(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += "><![CDATA[";
    out += text;
    out += "]]></";
    out += name;
    out += '>';
}

// <name>text</name> with the five XML escapes, for values that are plain text by convention.
void append_plain(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    for (char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (!is_forbidden_in_xml(c)) {
                    out += c;
                }
        }
    }
    out += "</";
    out += name;
    out += '>';
}

char const* msg_type(Reply::Kind kind) {
    switch (kind) {
        case Reply::Kind::text:
            return "text";
        case Reply::Kind::image:
            return "image";
        case Reply::Kind::voice:
            return "voice";
        case Reply::Kind::video:
            return "video";
        case Reply::Kind::music:
            return "music";
        case Reply::Kind::news:
            return "news";
        case Reply::Kind::none:
            break;
    }
    return "";
}

Reply addressed(Reply::Kind kind, std::string to, std::string from) {
    Reply reply;
    reply.kind = kind;
    reply.to_user = std::move(to);
    reply.from_user = std::move(from);
    return reply;
}

}  // namespace

Reply Reply::none() { return Reply{}; }

Reply Reply::text(std::string to, std::string from, std::string content) {
    auto reply = addressed(Kind::text, std::move(to), std::move(from));
    reply.content = std::move(content);
    return reply;
}

Reply Reply::image(std::string to, std::string from, std::string media_id) {
    auto reply = addressed(Kind::image, std::move(to), std::move(from));
    reply.media_id = std::move(media_id);
    return reply;
}

Reply Reply::voice(std::string to, std::string from, std::string media_id) {
    auto reply = addressed(Kind::voice, std::move(to), std::move(from));
    reply.media_id = std::move(media_id);
    return reply;
}

Reply Reply::video(std::string to, std::string from, std::string media_id, std::string title, std::string description) {
    auto reply = addressed(Kind::video, std::move(to), std::move(from));
    reply.media_id = std::move(media_id);
    reply.title = std::move(title);
    reply.description = std::move(description);
    return reply;
}

Reply Reply::music(std::string to, std::string from, std::string title, std::string description, std::string music_url,
                   std::string hq_music_url, std::string thumb_media_id) {
    auto reply = addressed(Kind::music, std::move(to), std::move(from));
    reply.title = std::move(title);
    reply.description = std::move(description);
    reply.music_url = std::move(music_url);
    reply.hq_music_url = std::move(hq_music_url);
    reply.thumb_media_id = std::move(thumb_media_id);
    return reply;
}

Reply Reply::news(std::string to, std::string from, std::string title, std::string description, std::string pic_url,
                  std::string url) {
    auto reply = addressed(Kind::news, std::move(to), std::move(from));
    reply.title = std::move(title);
    reply.description = std::move(description);
    reply.pic_url = std::move(pic_url);
    reply.url = std::move(url);
    return reply;
}

std::string render_reply_xml(Reply const& reply) {
    if (reply.kind == Reply::Kind::none) {
        return "success";
    }
    // One allocation for the whole reply: the tags and ids take about 200 bytes.
    std::string out;
    out.reserve(256 + reply.content.size() + reply.title.size() + reply.description.size() + reply.url.size() +
                reply.pic_url.size());
    out += "<xml>";
    append_cdata(out, "ToUserName", reply.to_user);
    append_cdata(out, "FromUserName", reply.from_user);
    append_plain(out, "CreateTime", std::to_string(reply.create_time));
    append_cdata(out, "MsgType", msg_type(reply.kind));
    switch (reply.kind) {
        case Reply::Kind::text:
            append_cdata(out, "Content", reply.content);
            break;
        case Reply::Kind::image:
        case Reply::Kind::voice:
            out += reply.kind == Reply::Kind::image ? "<Image>" : "<Voice>";
            append_cdata(out, "MediaId", reply.media_id);
            out += reply.kind == Reply::Kind::image ? "</Image>" : "</Voice>";
            break;
        case Reply::Kind::video:
            out += "<Video>";
            append_cdata(out, "MediaId", reply.media_id);
            if (!reply.title.empty()) {
                append_cdata(out, "Title", reply.title);
            }
            if (!reply.description.empty()) {
                append_cdata(out, "Description", reply.description);
            }
            out += "</Video>";
            break;
        case Reply::Kind::music:
            out += "<Music>";
            append_cdata(out, "Title", reply.title);
            append_cdata(out, "Description", reply.description);
            append_cdata(out, "MusicUrl", reply.music_url);
            append_cdata(out, "HQMusicUrl", reply.hq_music_url);
            append_cdata(out, "ThumbMediaId", reply.thumb_media_id);
            out += "</Music>";
            break;
        case Reply::Kind::news:
            out += "<ArticleCount>1</ArticleCount><Articles><item>";
            append_cdata(out, "Title", reply.title);
            append_cdata(out, "Description", reply.description);
            append_cdata(out, "PicUrl", reply.pic_url);
            append_cdata(out, "Url", reply.url);
            out += "</item></Articles>";
            break;
        case Reply::Kind::none:
            break;
    }
    out += "</xml>";
    return out;
}

std::string render_encrypted_reply_xml(std::string_view encrypt, std::string_view signature, std::string_view timestamp,
                                       std::string_view nonce) {
    std::string out;
    out.reserve(160 + encrypt.size() + signature.size() + timestamp.size() + nonce.size());
    out += "<xml>";
    append_cdata_verbatim(out, "Encrypt", encrypt);
    append_cdata_verbatim(out, "MsgSignature", signature);
    append_plain(out, "TimeStamp", timestamp);
    append_cdata(out, "Nonce", nonce);
    out += "</xml>";
    return out;
}

std::string render_encrypted_reply_json(std::string_view encrypt, std::string_view signature,
                                        std::string_view timestamp, std::string_view nonce) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    auto const string = [&writer](std::string_view text) {
        writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    };
    writer.StartObject();
    writer.Key("Encrypt");
    string(encrypt);
    writer.Key("MsgSignature");
    string(signature);
    writer.Key("TimeStamp");
    std::int64_t number = 0;
    auto const [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), number);
    if (!timestamp.empty() && ec == std::errc{} && end == timestamp.data() + timestamp.size()) {
        writer.Int64(number);
    } else {
        string(timestamp);
    }
    writer.Key("Nonce");
    string(nonce);
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace bense::wechat
