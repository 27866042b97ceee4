// Unit tests for wechat/reply: exact passive-reply XML per kind, CDATA splitting of "]]>"
// proven by parsing the output back, and the encrypted reply envelopes (XML and JSON) against
// the official safe-mode vector.
#include "wechat/reply.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "wechat/crypto.hpp"
#include "wechat/message.hpp"
#include "wechat/signature.hpp"

using namespace bense::wechat;

namespace {

Reply stamped(Reply reply) {
    reply.create_time = 1714112446;
    return reply;
}

Message parse_back(Reply const& reply) {
    auto const xml = render_reply_xml(reply);
    auto parsed = parse_message_xml(xml);
    if (!parsed) {
        FAIL(xml << ": " << parsed.error().message());
    }
    return std::move(*parsed);
}

constexpr char kHeader[] =
    "<xml><ToUserName><![CDATA[oUser]]></ToUserName><FromUserName><![CDATA[gh_me]]></FromUserName>"
    "<CreateTime>1714112446</CreateTime>";

}  // namespace

TEST_CASE("reply: none renders success", "[wechat][reply]") {
    CHECK(render_reply_xml(Reply::none()) == "success");
    auto ignored = Reply::none();
    ignored.content = "never sent";
    CHECK(render_reply_xml(ignored) == "success");
}

TEST_CASE("reply: text XML is exact", "[wechat][reply]") {
    auto const reply = stamped(Reply::text("oUser", "gh_me", "你好"));
    CHECK(render_reply_xml(reply) ==
          std::string(kHeader) + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>");
}

TEST_CASE("reply: text round-trips through parse_message_xml", "[wechat][reply]") {
    for (std::string const text : {"签到成功 ✓\n积分 +5", "a]]>b", "]]>", "]]>]]>", "]]]>>", "ends with ]]", ">starts",
                                   "<a href=\"https://example.org/?a=1&b=2\">链接</a>", "CDATA[x]]",
                                   "<![CDATA[nested]]>", "\xF0\x9F\x98\x80 emoji"}) {
        INFO(text);
        auto const reply = stamped(Reply::text("oUser", "gh_me", text));
        auto const m = parse_back(reply);
        CHECK(m.content == text);
        CHECK(m.to_user == "oUser");
        CHECK(m.from_user == "gh_me");
        CHECK(m.create_time == 1714112446);
        CHECK(m.msg_type == "text");
    }
    auto const split = render_reply_xml(stamped(Reply::text("o", "g", "a]]>b")));
    CHECK(split.find("<Content><![CDATA[a]]]]><![CDATA[>b]]></Content>") != std::string::npos);
}

TEST_CASE("reply: bytes XML forbids are dropped", "[wechat][reply]") {
    auto const m = parse_back(stamped(Reply::text("o", "g",
                                                  std::string("a\x01\x08\x0B\x1F"
                                                              "b\tc\nd\0e",
                                                              13))));
    CHECK(m.content == "ab\tc\nde");
}


// The text is looked at eight bytes at a time: a "]]>" or a forbidden byte must be found at
// any offset, also when it straddles two words or sits in the short tail.
TEST_CASE("reply: CDATA ends and forbidden bytes are handled at every offset", "[wechat][reply]") {
    std::string const chinese = "学习强国本色家园老干部支部";  // 39 bytes, no ASCII
    for (std::string_view const special : {"]]>", "]", "]]", "\x01", "]\x02]]>"}) {
        for (std::size_t at = 0; at <= 24; ++at) {
            std::string text = chinese.substr(0, at / 3 * 3) + std::string(at % 3, 'x');
            text += special;
            text += chinese;
            std::string expected;
            for (char c : text) {
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\n') {
                    expected += c;
                }
            }
            INFO(at << " " << text);
            auto const xml = render_reply_xml(stamped(Reply::text("o", "g", text)));
            CHECK(xml.find('\x01') == std::string::npos);
            CHECK(parse_back(stamped(Reply::text("o", "g", text))).content == expected);
        }
    }
}
TEST_CASE("reply: image, voice, video XML", "[wechat][reply]") {
    CHECK(render_reply_xml(stamped(Reply::image("oUser", "gh_me", "MEDIA"))) ==
          std::string(kHeader) +
              "<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[MEDIA]]></MediaId></Image></xml>");
    CHECK(render_reply_xml(stamped(Reply::voice("oUser", "gh_me", "VOICE"))) ==
          std::string(kHeader) +
              "<MsgType><![CDATA[voice]]></MsgType><Voice><MediaId><![CDATA[VOICE]]></MediaId></Voice></xml>");
    CHECK(render_reply_xml(stamped(Reply::video("oUser", "gh_me", "VID"))) ==
          std::string(kHeader) +
              "<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[VID]]></MediaId></Video></xml>");
    auto const video = parse_back(stamped(Reply::video("oUser", "gh_me", "VID", "标题", "说明")));
    CHECK(video.msg_type == "video");
    CHECK(video.media_id == "VID");
    CHECK(video.title == "标题");
    CHECK(video.description == "说明");
}

TEST_CASE("reply: music and news XML", "[wechat][reply]") {
    CHECK(render_reply_xml(stamped(Reply::music("oUser", "gh_me", "T", "D", "http://m", "http://hq", "THUMB"))) ==
          std::string(kHeader) +
              "<MsgType><![CDATA[music]]></MsgType><Music><Title><![CDATA[T]]></Title>"
              "<Description><![CDATA[D]]></Description><MusicUrl><![CDATA[http://m]]></MusicUrl>"
              "<HQMusicUrl><![CDATA[http://hq]]></HQMusicUrl><ThumbMediaId><![CDATA[THUMB]]></ThumbMediaId>"
              "</Music></xml>");
    CHECK(render_reply_xml(stamped(Reply::news("oUser", "gh_me", "T", "D", "http://p", "http://u?a=1&b=2"))) ==
          std::string(kHeader) +
              "<MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item>"
              "<Title><![CDATA[T]]></Title><Description><![CDATA[D]]></Description>"
              "<PicUrl><![CDATA[http://p]]></PicUrl><Url><![CDATA[http://u?a=1&b=2]]></Url></item></Articles></xml>");
    auto const news = parse_back(stamped(Reply::news("o", "g", "学习", "第一讲", "http://p", "http://u")));
    CHECK(news.fields.at("ArticleCount") == "1");
    CHECK(news.title == "学习");
    CHECK(news.url == "http://u");
}

TEST_CASE("reply: encrypted envelopes match the official safe-mode vector", "[wechat][reply]") {
    std::ifstream file(BENSE_SOURCE_DIR "/tests/fixtures/wechat-vectors.json", std::ios::binary);
    std::string const text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    REQUIRE(doc.IsObject());
    rapidjson::Value const* vector = nullptr;
    for (auto const& v : doc["vectors"].GetArray()) {
        if (std::string(v["id"].GetString()) == "official-doc-safe-mode-json") {
            vector = &v;
        }
    }
    REQUIRE(vector != nullptr);
    auto const& reply = (*vector)["reply"];
    std::string const encrypt = reply["encrypt"].GetString();
    std::string const signature = reply["msg_signature"].GetString();
    std::string const timestamp = reply["timestamp"].GetString();
    std::string const nonce = reply["nonce"].GetString();

    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    reply["reply_json"].Accept(writer);
    CHECK(render_encrypted_reply_json(encrypt, signature, timestamp, nonce) == buffer.GetString());

    CHECK(render_encrypted_reply_xml(encrypt, signature, timestamp, nonce) ==
          "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt><MsgSignature><![CDATA[" + signature +
              "]]></MsgSignature><TimeStamp>" + timestamp + "</TimeStamp><Nonce><![CDATA[" + nonce +
              "]]></Nonce></xml>");

    // A timestamp that is not an integer stays a string rather than breaking the JSON.
    CHECK(render_encrypted_reply_json("e", "s", "12x", "n") ==
          R"({"Encrypt":"e","MsgSignature":"s","TimeStamp":"12x","Nonce":"n"})");
    CHECK(render_encrypted_reply_json("e\"", "s", "", "n\\") ==
          R"({"Encrypt":"e\"","MsgSignature":"s","TimeStamp":"","Nonce":"n\\"})");
}

TEST_CASE("reply: a full safe-mode reply opens on the other side", "[wechat][reply]") {
    auto const crypto =
        MessageCrypto::from_encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
    REQUIRE(crypto.has_value());
    auto const plain = render_reply_xml(stamped(Reply::text("oUser", "gh_me", "已签到 ]]> 谢谢")));
    auto const encrypted = crypto->encrypt(plain);
    REQUIRE(encrypted.has_value());
    auto const signature = msg_signature("pamtest", "1714112446", "nonce1", *encrypted);
    auto const body = render_encrypted_reply_xml(*encrypted, signature, "1714112446", "nonce1");

    auto const envelope = parse_envelope_xml(body);
    REQUIRE(envelope.has_value());
    CHECK(constant_time_equal(msg_signature("pamtest", "1714112446", "nonce1", envelope->encrypt), signature));
    auto const opened = crypto->decrypt(envelope->encrypt);
    REQUIRE(opened.has_value());
    CHECK(opened->msg == plain);
    auto const message = parse_message_xml(opened->msg);
    REQUIRE(message.has_value());
    CHECK(message->content == "已签到 ]]> 谢谢");
}
