// Unit tests for wechat/message: one fixture per message/event type under
// tests/fixtures/wechat/, the structural fixtures and decrypted messages of the public vectors,
// and hostile input (DOCTYPE/entities, invalid UTF-8, truncation, missing fields, deep nesting).
#include "wechat/message.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <string>

using namespace bense::wechat;

namespace {

std::string read_file(std::string const& path) {
    std::ifstream file(path, std::ios::binary);
    REQUIRE(file.good());
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string fixture(std::string const& name) { return read_file(BENSE_SOURCE_DIR "/tests/fixtures/wechat/" + name); }

Message xml_fixture(std::string const& name) {
    INFO(name);
    auto parsed = parse_message_xml(fixture(name));
    if (!parsed) {
        FAIL(name << ": " << parsed.error().message());
    }
    return std::move(*parsed);
}

Message json_fixture(std::string const& name) {
    INFO(name);
    auto parsed = parse_message_json(fixture(name));
    if (!parsed) {
        FAIL(name << ": " << parsed.error().message());
    }
    return std::move(*parsed);
}

rapidjson::Document const& vectors() {
    static rapidjson::Document const doc = [] {
        auto const text = read_file(BENSE_SOURCE_DIR "/tests/fixtures/wechat-vectors.json");
        rapidjson::Document d;
        d.Parse(text.c_str());
        return d;
    }();
    return doc;
}

rapidjson::Value const& find_by_id(char const* array, std::string const& id) {
    for (auto const& v : vectors()[array].GetArray()) {
        if (id == v["id"].GetString()) {
            return v;
        }
    }
    FAIL("no entry " << id);
    return vectors();
}

std::string to_json(rapidjson::Value const& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

boost::system::error_code xml_error(std::string const& xml) {
    auto const parsed = parse_message_xml(xml);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error();
}

boost::system::error_code json_error(std::string const& json) {
    auto const parsed = parse_message_json(json);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error();
}

constexpr char kGh[] = "gh_7f083739789a";
constexpr char kOpenId[] = "oia2TjuEGTNoeX76QEjQNrcURxG8";

void check_oa_header(Message const& m, std::string const& type) {
    CHECK(m.to_user == kGh);
    CHECK(m.from_user == kOpenId);
    CHECK(m.create_time == 1714112445);
    CHECK(m.msg_type == type);
}

}  // namespace

//------------------------------------------------------------------------------------------
// Ordinary messages (protocol 2.1)

TEST_CASE("message: text", "[wechat][message]") {
    auto const m = xml_fixture("text.xml");
    check_oa_header(m, "text");
    CHECK(m.content == "签到 3");
    CHECK(m.msg_id == "23637352235060880");
    CHECK(m.msg_data_id == "2247483652");
    CHECK(m.idx == "1");
    CHECK(m.event.empty());
    CHECK(m.fields.at("Content") == "签到 3");
    CHECK(dedupe_key(m) == "msg:23637352235060880");
}

TEST_CASE("message: image, video, shortvideo", "[wechat][message]") {
    auto const image = xml_fixture("image.xml");
    check_oa_header(image, "image");
    CHECK(image.pic_url == "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0");
    CHECK(image.media_id == "media_id_image_1");
    CHECK(image.msg_id == "1234567890123456");

    auto const video = xml_fixture("video.xml");
    check_oa_header(video, "video");
    CHECK(video.media_id == "media_id_video");
    CHECK(video.thumb_media_id == "thumb_media_id_video");

    auto const shortvideo = xml_fixture("shortvideo.xml");
    check_oa_header(shortvideo, "shortvideo");
    CHECK(shortvideo.media_id == "media_id_short");
    CHECK(shortvideo.thumb_media_id == "thumb_media_id_short");
    CHECK(shortvideo.msg_id == "1234567890123458");
}

TEST_CASE("message: voice with Recognition, pretty-printed XML", "[wechat][message]") {
    auto const m = xml_fixture("voice.xml");
    check_oa_header(m, "voice");
    CHECK(m.media_id == "media_id_voice_1");
    CHECK(m.format == "amr");
    CHECK(m.recognition == "我要签到");
    CHECK(m.fields.at("MediaId16K") == "media_id_voice_16k");
    CHECK(m.msg_id == "9223372036854775807");
}

TEST_CASE("message: location and link", "[wechat][message]") {
    auto const location = xml_fixture("location.xml");
    check_oa_header(location, "location");
    CHECK(location.location_x == Approx(23.134521));
    CHECK(location.location_y == Approx(113.358803));
    CHECK(location.scale == Approx(20));
    CHECK(location.label == "广州市天河区");
    CHECK(location.fields.at("Location_X") == "23.134521");

    auto const link = xml_fixture("link.xml");
    check_oa_header(link, "link");
    CHECK(link.title == "公众平台官网链接");
    CHECK(link.description == "公众平台官网链接");
    CHECK(link.url == "https://mp.weixin.qq.com/");
    CHECK(link.msg_id == "1234567890123460");
}

//------------------------------------------------------------------------------------------
// Events (protocol 2.2)

TEST_CASE("message: subscribe, plain and via parametric QR code", "[wechat][message]") {
    auto const plain = xml_fixture("subscribe.xml");
    check_oa_header(plain, "event");
    CHECK(plain.event == "subscribe");
    CHECK(plain.event_key.empty());
    CHECK(plain.scene.empty());
    CHECK(plain.msg_id.empty());
    CHECK(dedupe_key(plain) == std::string("evt:") + kOpenId + ":1714112445:subscribe");

    auto const qr = xml_fixture("subscribe_qrscene.xml");
    CHECK(qr.event == "subscribe");
    CHECK(qr.event_key == "qrscene_act:42");
    CHECK(qr.scene == "act:42");
    CHECK(qr.ticket == "gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2t6QmJ1TDZsVTIAAgQ");
}

TEST_CASE("message: unsubscribe, SCAN, LOCATION", "[wechat][message]") {
    auto const unsubscribe = xml_fixture("unsubscribe.xml");
    CHECK(unsubscribe.event == "unsubscribe");
    CHECK(dedupe_key(unsubscribe) == std::string("evt:") + kOpenId + ":1714112445:unsubscribe");

    auto const scan = xml_fixture("scan.xml");
    CHECK(scan.event == "SCAN");
    CHECK(scan.event_key == "123123");
    CHECK(scan.scene == "123123");  // SCAN carries the scene without the prefix
    CHECK(scan.ticket == "TICKET_SCAN");

    auto const location = xml_fixture("location_event.xml");
    CHECK(location.event == "LOCATION");
    CHECK(location.latitude == Approx(23.137466));
    CHECK(location.longitude == Approx(113.352425));
    CHECK(location.precision == Approx(119.385040));
    CHECK_FALSE(location.location_x.has_value());
}

TEST_CASE("message: menu events CLICK, VIEW, view_miniprogram", "[wechat][message]") {
    auto const click = xml_fixture("click.xml");
    CHECK(click.event == "CLICK");
    CHECK(click.event_key == "MENU_CHECKIN");
    CHECK(click.scene.empty());

    auto const view = xml_fixture("view.xml");
    CHECK(view.event == "VIEW");
    CHECK(view.event_key == "https://example.org/lectures?a=1&b=2");
    CHECK(view.menu_id == "208379533");

    auto const mini = xml_fixture("view_miniprogram.xml");
    CHECK(mini.event == "view_miniprogram");
    CHECK(mini.event_key == "pages/index/index");
    CHECK(mini.menu_id == "MENUID");
}

TEST_CASE("message: scancode_push and scancode_waitmsg", "[wechat][message]") {
    auto const push = xml_fixture("scancode_push.xml");
    CHECK(push.event == "scancode_push");
    CHECK(push.event_key == "6");
    CHECK(push.scan_type == "qrcode");
    CHECK(push.scan_result == "1");

    auto const wait = xml_fixture("scancode_waitmsg.xml");
    CHECK(wait.event == "scancode_waitmsg");
    CHECK(wait.scan_type == "barcode");
    CHECK(wait.scan_result == "EAN_13,6901234567892");
}

TEST_CASE("message: pic_sysphoto, pic_photo_or_album, pic_weixin", "[wechat][message]") {
    auto const sys = xml_fixture("pic_sysphoto.xml");
    CHECK(sys.event == "pic_sysphoto");
    CHECK(sys.pic_count == 1);
    CHECK(sys.pic_md5_sums == std::vector<std::string>{"1b5f7c23b5bf75682a53e7b6d163e185"});

    auto const album = xml_fixture("pic_photo_or_album.xml");
    CHECK(album.event == "pic_photo_or_album");
    CHECK(album.pic_count == 2);
    CHECK(album.pic_md5_sums ==
          std::vector<std::string>{"5a75aaca956d97be686719218f275c6b", "9f3ad3d1b8ac4b5d7f1b3f0e2a1c4d5e"});

    auto const weixin = xml_fixture("pic_weixin.xml");
    CHECK(weixin.event == "pic_weixin");
    CHECK(weixin.pic_count == 1);
    CHECK(weixin.pic_md5_sums.size() == 1);
}

TEST_CASE("message: location_select", "[wechat][message]") {
    auto const m = xml_fixture("location_select.xml");
    CHECK(m.event == "location_select");
    CHECK(m.event_key == "6");
    CHECK(m.location_x == Approx(23));
    CHECK(m.location_y == Approx(113));
    CHECK(m.scale == Approx(15));
    CHECK(m.label == " 广州市海珠区客村艺苑路 106号");  // leading space kept: values are not trimmed
    CHECK(m.poiname.empty());
    CHECK(m.fields.count("Poiname") == 1);
}

TEST_CASE("message: TEMPLATESENDJOBFINISH keeps a 64-bit MsgID exact", "[wechat][message]") {
    auto const m = xml_fixture("templatesendjobfinish.xml");
    CHECK(m.event == "TEMPLATESENDJOBFINISH");
    CHECK(m.msg_id == "3487542469355618313");  // > 2^53: a double would make it ...8300
    CHECK(m.status == "failed: system failed");
    CHECK(dedupe_key(m) == "msg:3487542469355618313");
}

TEST_CASE("message: MASSSENDJOBFINISH", "[wechat][message]") {
    auto const m = xml_fixture("masssendjobfinish.xml");
    CHECK(m.event == "MASSSENDJOBFINISH");
    CHECK(m.msg_id == "1988");
    CHECK(m.status == "sendsuccess");
    CHECK(m.fields.at("TotalCount") == "100");
    CHECK(m.fields.at("FilterCount") == "80");
    CHECK(m.fields.at("SentCount") == "75");
    CHECK(m.fields.at("ErrorCount") == "5");
    CHECK(m.fields.at("CheckState") == "1");
}

TEST_CASE("message: subscribe_msg_popup_event with two List entries", "[wechat][message]") {
    auto const m = xml_fixture("subscribe_msg_popup_event.xml");
    CHECK(m.event == "subscribe_msg_popup_event");
    REQUIRE(m.subscriptions.size() == 2);
    CHECK(m.subscriptions[0].template_id == "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc");
    CHECK(m.subscriptions[0].status == "accept");
    CHECK(m.subscriptions[0].popup_scene == "2");
    CHECK(m.subscriptions[1].template_id == "9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI");
    CHECK(m.subscriptions[1].status == "reject");
    CHECK(m.fields.count("TemplateId") == 0);  // List entries live only in `subscriptions`
    CHECK(dedupe_key(m) == std::string("evt:") + kOpenId + ":1714112445:subscribe_msg_popup_event");
}

TEST_CASE("message: subscribe_msg_change_event under the popup wrapper", "[wechat][message]") {
    // The official doc sample used <SubscribeMsgPopupEvent> for a change event.
    auto const m = xml_fixture("subscribe_msg_change_event.xml");
    CHECK(m.event == "subscribe_msg_change_event");
    REQUIRE(m.subscriptions.size() == 1);
    CHECK(m.subscriptions[0].status == "reject");
}

TEST_CASE("message: subscribe_msg_sent_event", "[wechat][message]") {
    auto const m = xml_fixture("subscribe_msg_sent_event.xml");
    CHECK(m.event == "subscribe_msg_sent_event");
    REQUIRE(m.subscriptions.size() == 2);
    CHECK(m.subscriptions[0].msg_id == "1700827132819554304");
    CHECK(m.subscriptions[0].error_code == "0");
    CHECK(m.subscriptions[0].error_status == "success");
    CHECK(m.subscriptions[1].msg_id == "1700827132819554305");
    CHECK(m.subscriptions[1].error_code == "20001");
    CHECK(m.msg_id.empty());  // only a top-level MsgId/MsgID is the message id
    CHECK(m.fields.count("MsgID") == 0);
}

TEST_CASE("message: WxJava kitchen sink with uppercase MsgID", "[wechat][message]") {
    auto const m = xml_fixture("kitchen_sink.xml");
    CHECK(m.to_user == "toUser");
    CHECK(m.from_user == "fromUser");
    CHECK(m.create_time == 1348831860);
    CHECK(m.msg_type == "event");
    CHECK(m.msg_id == "1234567890123456");
    CHECK(m.content == "this is a test");
    CHECK(m.pic_url == "this is a url");
    CHECK(m.media_id == "media_id");
    CHECK(m.format == "Format");
    CHECK(m.thumb_media_id == "thumb_media_id");
    CHECK(m.location_x == Approx(23.134521));  // first occurrence wins over SendLocationInfo's
    CHECK(m.location_y == Approx(113.358803));
    CHECK(m.scale == Approx(20));
    CHECK(m.label == "位置信息");
    CHECK(m.url == "url");
    CHECK(m.event == "subscribe");
    CHECK(m.event_key == "qrscene_123123");
    CHECK(m.scene == "123123");
    CHECK(m.ticket == "TICKET");
    CHECK(m.latitude == Approx(23.137466));
    CHECK(m.longitude == Approx(113.352425));
    CHECK(m.precision == Approx(119.385040));
    CHECK(m.scan_type == "qrcode");
    CHECK(m.scan_result == "1");
    CHECK(m.pic_count == 1);
    CHECK(m.pic_md5_sums == std::vector<std::string>{"1b5f7c23b5bf75682a53e7b6d163e185"});
    CHECK(m.poiname == "wo de poi");
}

//------------------------------------------------------------------------------------------
// Mini-program pushes (protocol 2.3), XML and JSON

TEST_CASE("message: mini-program miniprogrampage and user_enter_tempsession (XML)", "[wechat][message]") {
    auto const page = xml_fixture("miniprogrampage.xml");
    CHECK(page.msg_type == "miniprogrampage");
    CHECK(page.msg_id == "6417389562389462391");
    CHECK(page.title == "本色家园");
    CHECK(page.app_id == "wxba5fad812f8e6fb9");
    CHECK(page.page_path == "pages/checkin/index?act=42");
    CHECK(page.thumb_url == "https://example.org/thumb.jpg");
    CHECK(page.thumb_media_id == "thumb_media_id_mp");

    auto const session = xml_fixture("user_enter_tempsession.xml");
    CHECK(session.event == "user_enter_tempsession");
    CHECK(session.session_from == "checkin-help");
    CHECK(session.create_time == 1714037059);
}

TEST_CASE("message: mini-program JSON pushes, numbers as numbers or strings", "[wechat][message]") {
    auto const text = json_fixture("mp_text.json");
    CHECK(text.to_user == "gh_97417a04a28d");
    CHECK(text.from_user == "o9AgO5Kd5ggOC-bXrbNODIiE3bGY");
    CHECK(text.create_time == 1714037059);
    CHECK(text.content == "你好 ]]> <xml>");
    CHECK(text.msg_id == "23637352235060880");  // a JSON number, kept as its digits

    auto const image = json_fixture("mp_image.json");
    CHECK(image.create_time == 1714037060);  // a JSON string
    CHECK(image.msg_id == "49d72d67b16d115e7935ac386f2f0fa41535298877_1555684067");
    CHECK(image.media_id == "media_id_mp_image");

    auto const page = json_fixture("mp_miniprogrampage.json");
    CHECK(page.msg_id == "9223372036854775807");
    CHECK(page.page_path == "pages/index/index");
    CHECK(page.app_id == "wxba5fad812f8e6fb9");

    auto const session = json_fixture("mp_user_enter_tempsession.json");
    CHECK(session.event == "user_enter_tempsession");
    CHECK(session.session_from == "checkin-help");
}

TEST_CASE("message: JSON List as an object and as an array", "[wechat][message]") {
    auto const single = json_fixture("mp_event.json");
    CHECK(single.event == "subscribe_msg_popup_event");
    CHECK(single.create_time == 1610968440);
    REQUIRE(single.subscriptions.size() == 1);
    CHECK(single.subscriptions[0].template_id == "hD-ixGOhYmUfjOnI8MCzQMPshzGVeux_2vBgzPSFnyw");
    CHECK(single.subscriptions[0].status == "accept");
    CHECK(single.subscriptions[0].popup_scene == "0");

    auto const many = json_fixture("mp_event_list_array.json");
    CHECK(many.event == "subscribe_msg_sent_event");
    REQUIRE(many.subscriptions.size() == 2);
    CHECK(many.subscriptions[0].msg_id == "1864323726461255680");
    CHECK(many.subscriptions[0].error_code == "0");
    CHECK(many.subscriptions[0].error_status == "success");
    CHECK(many.subscriptions[1].msg_id == "1864323726461255681");
    CHECK(many.subscriptions[1].error_code == "43101");
}

TEST_CASE("message: JSON nested objects and arrays feed fields", "[wechat][message]") {
    auto const m = parse_message_json(
        R"({"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"event","Event":"pic_weixin",)"
        R"("SendPicsInfo":{"Count":2,"PicList":[{"PicMd5Sum":"a"},{"PicMd5Sum":"b"}]},"Flag":true,"Nothing":null,)"
        R"("Price":1.50})");
    REQUIRE(m.has_value());
    CHECK(m->pic_count == 2);
    CHECK(m->pic_md5_sums == std::vector<std::string>{"a", "b"});
    CHECK(m->fields.at("Flag") == "true");
    CHECK(m->fields.at("Nothing").empty());
    CHECK(m->fields.at("Price") == "1.50");  // exact digits, not a re-printed double
}

//------------------------------------------------------------------------------------------
// Messages from the public vectors

TEST_CASE("message: structural fixtures of the vectors file", "[wechat][message]") {
    auto const& subs = find_by_id("structural_fixtures", "fixture-subscribe-msg-events");
    auto const popup = parse_message_xml(subs["xml_popup"].GetString());
    REQUIRE(popup.has_value());
    REQUIRE(popup->subscriptions.size() == 1);
    CHECK(popup->subscriptions[0].template_id == "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc");
    CHECK(popup->subscriptions[0].popup_scene == "0");

    for (char const* key : {"json_change_single", "json_change_array"}) {
        INFO(key);
        auto const change = parse_message_json(subs[key].GetString());
        REQUIRE(change.has_value());
        CHECK(change->create_time == 1610968440);
        REQUIRE(change->subscriptions.size() == 1);
        CHECK(change->subscriptions[0].template_id == "BEwX0BOT3MqK3Uc5oTU3CGBqzjpndk2jzUf7VfExd8");
        CHECK(change->subscriptions[0].status == "reject");
    }

    auto const sent = parse_message_xml(subs["xml_sent"].GetString());
    REQUIRE(sent.has_value());
    REQUIRE(sent->subscriptions.size() == 1);
    CHECK(sent->subscriptions[0].msg_id == "1864323726461255680");
    CHECK(sent->subscriptions[0].error_code == "0");
    CHECK(sent->subscriptions[0].error_status == "success");

    auto const& job = find_by_id("structural_fixtures", "fixture-templatesendjobfinish");
    auto const finish = parse_message_xml(job["xml"].GetString());
    REQUIRE(finish.has_value());
    CHECK(finish->msg_id == "200163836");
    CHECK(finish->status == "success");
    // Every documented and observed Status value survives as-is.
    for (auto const* list : {"status_values", "also_seen_in_the_wild"}) {
        for (auto const& status : job[list].GetArray()) {
            std::string xml = job["xml"].GetString();
            auto const at = xml.find("success");
            xml.replace(at, 7, status.GetString());
            auto const parsed = parse_message_xml(xml);
            REQUIRE(parsed.has_value());
            CHECK(parsed->status == status.GetString());
        }
    }
}

TEST_CASE("message: official plain-mode JSON push and decrypted safe-mode push", "[wechat][message]") {
    auto const plain =
        parse_message_json(to_json(find_by_id("vectors", "official-doc-plain-post")["input"]["body_json"]));
    REQUIRE(plain.has_value());
    CHECK(plain->event == "debug_demo");
    CHECK(plain->create_time == 1714037059);
    CHECK(plain->fields.at("debug_str") == "hello world");
    CHECK(dedupe_key(*plain) == "evt:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1714037059:debug_demo");

    auto const& safe = find_by_id("vectors", "official-doc-safe-mode-json");
    auto const decrypted = parse_message_json(safe["expected"]["msg"].GetString());
    REQUIRE(decrypted.has_value());
    CHECK(decrypted->to_user == "gh_97417a04a28d");
    CHECK(decrypted->create_time == 1714112445);
    auto const envelope = parse_envelope_json(to_json(safe["input"]["body_json"]));
    REQUIRE(envelope.has_value());
    CHECK(envelope->to_user == "gh_97417a04a28d");
    CHECK(envelope->encrypt == safe["input"]["body_json"]["Encrypt"].GetString());
}

TEST_CASE("message: decrypted XML of the sample vectors", "[wechat][message]") {
    auto const& python = find_by_id("vectors", "official-python-sample-decrypt-compat-mode");
    auto const compat = parse_message_xml(python["input"]["post_body"].GetString());  // plaintext half
    REQUIRE(compat.has_value());
    CHECK(compat->content == "abcdteT");
    CHECK(compat->msg_id == "6054768590064713728");
    CHECK(compat->fields.count("Encrypt") == 1);
    auto const inner = parse_message_xml(python["expected"]["msg"].GetString());  // with newlines
    REQUIRE(inner.has_value());
    CHECK(inner->from_user == "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    CHECK(inner->create_time == 1409735668);
    CHECK(inner->msg_id == "6054768590064713728");

    auto const easy = parse_message_xml(find_by_id("vectors", "easywechat-decrypt")["expected"]["msg"].GetString());
    REQUIRE(easy.has_value());
    CHECK(easy->content == "hello");
    CHECK(easy->msg_id == "12345");
    CHECK(easy->fields.at("URL") == "http://wechat.laravel.so/server");

    auto const& work = find_by_id("vectors", "wechatpy-work-crypto");
    auto const wecom = parse_message_xml(work["cases"][2]["expected_msg"].GetString());
    REQUIRE(wecom.has_value());
    CHECK(wecom->msg_id == "4363689963896700987");
    CHECK(wecom->fields.at("AgentID") == "1");
    auto const reply = parse_message_xml(work["cases"][1]["plaintext"].GetString());
    REQUIRE(reply.has_value());
    CHECK(reply->content == "test");

    auto const& java = find_by_id("vectors", "official-java-sample-encrypt-fixed-random");
    auto const video = parse_message_xml(java["cases"][1]["plaintext"].GetString());
    REQUIRE(video.has_value());
    CHECK(video->to_user == "oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw");
    CHECK(video->media_id == "eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0");
    CHECK(video->title == "testCallBackReplyVideo");
}

//------------------------------------------------------------------------------------------
// Envelopes

TEST_CASE("message: envelope extraction keeps Encrypt byte for byte", "[wechat][message]") {
    auto const xml = parse_envelope_xml(
        "<xml><ToUserName><![CDATA[gh_x]]></ToUserName>"
        "<Encrypt><![CDATA[ ab+/\r\ncd= ]]></Encrypt></xml>");
    REQUIRE(xml.has_value());
    CHECK(xml->to_user == "gh_x");
    CHECK(xml->encrypt == " ab+/\r\ncd= ");
    auto const plain_text = parse_envelope_xml("<xml><Encrypt>abc+def=</Encrypt></xml>");
    REQUIRE(plain_text.has_value());
    CHECK(plain_text->encrypt == "abc+def=");
    CHECK(plain_text->to_user.empty());

    CHECK(parse_envelope_xml("<xml><ToUserName>gh</ToUserName></xml>").error() == crypto_errc::missing_field);
    CHECK(parse_envelope_xml("<xml><Encrypt></Encrypt></xml>").error() == crypto_errc::missing_field);
    CHECK(parse_envelope_xml("<xml><Encrypt>abc</Encrypt>").error() == crypto_errc::xml_parse);
    CHECK(parse_envelope_xml("<!DOCTYPE xml><xml><Encrypt>abc</Encrypt></xml>").error() == crypto_errc::xml_parse);
    CHECK(parse_envelope_json(R"({"Encrypt":"abc"})")->encrypt == "abc");
    CHECK(parse_envelope_json(R"({"ToUserName":"gh"})").error() == crypto_errc::missing_field);
    CHECK(parse_envelope_json(R"({"Encrypt":12})").error() == crypto_errc::missing_field);
    CHECK(parse_envelope_json(R"(["Encrypt"])").error() == crypto_errc::json_parse);
    CHECK(parse_envelope_json("{\"Encrypt\":\"a\xff\"}").error() == crypto_errc::json_parse);
}

//------------------------------------------------------------------------------------------
// Hostile and broken input

TEST_CASE("message: DOCTYPE and ENTITY are rejected before parsing", "[wechat][message]") {
    std::string const laughs =
        R"(<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>)"
        R"(<xml><ToUserName>&lol2;</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>)";
    CHECK(xml_error(laughs) == crypto_errc::xml_parse);
    std::string const xxe =
        R"(<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName>)"
        R"(<FromUserName>o</FromUserName><MsgType>text</MsgType></xml>)";
    CHECK(xml_error(xxe) == crypto_errc::xml_parse);
    CHECK(xml_error("<!doctype xml><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
                    "<MsgType>text</MsgType></xml>") == crypto_errc::xml_parse);
    CHECK(xml_error("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType>"
                    "<X><![CDATA[<!EnTiTy x 'y'>]]></X></xml>") == crypto_errc::xml_parse);
}

TEST_CASE("message: malformed XML", "[wechat][message]") {
    std::string const good = fixture("text.xml");
    REQUIRE(parse_message_xml(good).has_value());
    CHECK(xml_error("") == crypto_errc::xml_parse);
    CHECK(xml_error("   \n") == crypto_errc::xml_parse);
    CHECK(xml_error("hello world") == crypto_errc::xml_parse);
    CHECK(xml_error(R"({"ToUserName":"gh"})") == crypto_errc::xml_parse);
    CHECK(xml_error(good.substr(0, good.size() / 2)) == crypto_errc::xml_parse);  // truncated
    CHECK(xml_error(good.substr(0, good.rfind("</xml>"))) == crypto_errc::xml_parse);
    CHECK(xml_error("<xml><ToUserName>a</FromUserName></xml>") == crypto_errc::xml_parse);
    CHECK(xml_error(good + "<xml/>") == crypto_errc::xml_parse);  // two roots
    CHECK(xml_error(good + "trailing") == crypto_errc::xml_parse);
    CHECK(xml_error("<root><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
                    "<MsgType>text</MsgType></root>") == crypto_errc::xml_parse);
    auto with_nul = good;
    with_nul.insert(with_nul.find("签到"), 1, '\0');
    CHECK(xml_error(with_nul) == crypto_errc::xml_parse);
    CHECK(parse_message_xml(good + "\n<!-- a comment after the root -->\n").has_value());
}

TEST_CASE("message: invalid UTF-8 anywhere is rejected", "[wechat][message]") {
    std::string const good = fixture("text.xml");
    auto broken = good;
    broken.replace(broken.find("签到"), 3, "\xE7\xAD");  // a truncated CJK char inside CDATA
    CHECK(xml_error(broken) == crypto_errc::xml_parse);
    CHECK(xml_error(good + "\xFF") == crypto_errc::xml_parse);
    CHECK(xml_error("<xml><ToUserName>\xC0\xAF</ToUserName></xml>") == crypto_errc::xml_parse);  // overlong
    CHECK(json_error("{\"ToUserName\":\"gh\xED\xA0\x80\"}") == crypto_errc::json_parse);         // surrogate
}

TEST_CASE("message: missing or malformed header fields", "[wechat][message]") {
    auto const without = [](std::string const& field) {
        std::string xml = fixture("click.xml");
        auto const open = xml.find("<" + field + ">");
        auto const close = xml.find("</" + field + ">");
        REQUIRE(open != std::string::npos);
        xml.erase(open, close + field.size() + 3 - open);
        return xml;
    };
    CHECK(parse_message_xml(fixture("click.xml")).has_value());
    for (char const* field : {"ToUserName", "FromUserName", "MsgType", "Event"}) {
        INFO(field);
        CHECK(xml_error(without(field)) == crypto_errc::missing_field);
    }
    auto const no_time = parse_message_xml(without("CreateTime"));
    REQUIRE(no_time.has_value());
    CHECK(no_time->create_time == 0);

    CHECK(xml_error("<xml><ToUserName><![CDATA[]]></ToUserName><FromUserName>o</FromUserName>"
                    "<MsgType>text</MsgType></xml>") == crypto_errc::missing_field);
    CHECK(xml_error("<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><CreateTime>12a</CreateTime>"
                    "<MsgType>text</MsgType></xml>") == crypto_errc::missing_field);
    CHECK(xml_error("<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName>"
                    "<CreateTime>99999999999999999999</CreateTime><MsgType>text</MsgType></xml>") ==
          crypto_errc::missing_field);
    auto const spaced = parse_message_xml(
        "<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName>"
        "<CreateTime>\n 1409735668 \n</CreateTime><MsgType>text</MsgType></xml>");
    REQUIRE(spaced.has_value());
    CHECK(spaced->create_time == 1409735668);

    CHECK(json_error(R"({"FromUserName":"o","MsgType":"text"})") == crypto_errc::missing_field);
    CHECK(json_error(R"({"ToUserName":"g","FromUserName":"o","MsgType":"event"})") == crypto_errc::missing_field);
    CHECK(json_error(R"({"ToUserName":"g","FromUserName":"o","MsgType":"text","CreateTime":1.5})") ==
          crypto_errc::missing_field);
}

TEST_CASE("message: malformed JSON", "[wechat][message]") {
    CHECK(json_error("") == crypto_errc::json_parse);
    CHECK(json_error("<xml/>") == crypto_errc::json_parse);
    CHECK(json_error(R"(["ToUserName"])") == crypto_errc::json_parse);
    CHECK(json_error(R"("text")") == crypto_errc::json_parse);
    CHECK(json_error(R"({"ToUserName":"gh",)") == crypto_errc::json_parse);
    CHECK(json_error(fixture("mp_text.json") + "x") == crypto_errc::json_parse);
}

TEST_CASE("message: deep nesting is refused without exhausting the stack", "[wechat][message]") {
    std::string xml = "<xml><ToUserName>g</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType>";
    for (int i = 0; i < 20000; ++i) {
        xml += "<a>";
    }
    for (int i = 0; i < 20000; ++i) {
        xml += "</a>";
    }
    CHECK(xml_error(xml + "</xml>") == crypto_errc::xml_parse);

    std::string json = R"({"ToUserName":"g","FromUserName":"o","MsgType":"text","Deep":)";
    json += std::string(20000, '[') + std::string(20000, ']') + "}";
    CHECK(json_error(json) == crypto_errc::json_parse);
    std::string objects = R"({"ToUserName":"g","FromUserName":"o","MsgType":"text")";
    for (int i = 0; i < 20000; ++i) {
        objects += R"(,"a":{"b":0)";
    }
    CHECK(json_error(objects + std::string(20000, '}') + "}") == crypto_errc::json_parse);
}

TEST_CASE("message: dedupe keys", "[wechat][message]") {
    Message m;
    m.from_user = "o";
    m.create_time = 7;
    m.event = "CLICK";
    CHECK(dedupe_key(m) == "evt:o:7:CLICK");
    m.msg_id = "42";
    CHECK(dedupe_key(m) == "msg:42");
}

TEST_CASE("message: leaf fields keep each name's first text, in document order", "[wechat][message]") {
    auto const m = parse_message_xml(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType>"
        "<Note>first</Note><Deep><Note>second</Note><Zeta>z</Zeta></Deep><Note>third</Note>"
        "<Alpha>a</Alpha></xml>");
    REQUIRE(m.has_value());
    CHECK(m->fields.at("Note") == "first");
    CHECK(m->fields.size() == 6);
    CHECK(m->fields.find("Deep") == nullptr);  // not a leaf
    CHECK_THROWS_AS(m->fields.at("Absent"), std::out_of_range);
    std::vector<std::string> names;
    for (auto const& [name, text] : m->fields) {
        names.push_back(name);
    }
    CHECK(names == std::vector<std::string>{"ToUserName", "FromUserName", "MsgType", "Note", "Zeta", "Alpha"});
}

// A push has under a hundred leaves; a body with more is refused before its repeats cost a
// search each.
TEST_CASE("message: more than kMaxLeaves leaves are refused", "[wechat][message]") {
    auto const xml_with = [](std::size_t extra) {
        std::string xml = "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType>";
        for (std::size_t i = 0; i < extra; ++i) {
            xml += fmt::format("<L{}>{}</L{}>", i % 7, i, i % 7);
        }
        return xml + "</xml>";
    };
    auto const fits = parse_message_xml(xml_with(kMaxLeaves - 3));
    REQUIRE(fits.has_value());
    CHECK(fits->fields.at("L6") == "6");
    CHECK(fits->fields.size() == 10);
    auto const over = parse_message_xml(xml_with(kMaxLeaves - 2));
    REQUIRE_FALSE(over.has_value());
    CHECK(over.error() == crypto_errc::xml_parse);

    auto const json_with = [](std::size_t extra) {
        std::string json = R"({"ToUserName":"gh","FromUserName":"o","MsgType":"text","List":[)";
        for (std::size_t i = 0; i < extra; ++i) {
            json += fmt::format(R"({}{{"N":{}}})", i == 0 ? "" : ",", i);
        }
        return json + "]}";
    };
    CHECK(parse_message_json(json_with(kMaxLeaves - 3)).has_value());
    auto const json_over = parse_message_json(json_with(kMaxLeaves - 2));
    REQUIRE_FALSE(json_over.has_value());
    CHECK(json_over.error() == crypto_errc::json_parse);
}
