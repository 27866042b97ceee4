// The typed WeChat API calls: each builds its JSON body, posts it through ApiClient::post
// (which owns the retry rules) and reads the answer into a value.
#include "server/errors.hpp"
#include "server/json.hpp"
#include "wechat/api_client.hpp"

#include <spdlog/spdlog.h>

namespace bense::wechat {
namespace {

using server::JsonWriter;
using server::write_key;
using server::write_string;

void write_field(JsonWriter& w, std::string_view key, std::string_view value) {
    write_key(w, key);
    write_string(w, value);
}

// {"key":{"value":"..."},...}
template <class Pairs, class KeyOf, class ValueOf>
void write_data(JsonWriter& w, Pairs const& pairs, KeyOf key_of, ValueOf value_of) {
    write_key(w, "data");
    w.StartObject();
    for (auto const& p : pairs) {
        write_key(w, key_of(p));
        w.StartObject();
        write_field(w, "value", value_of(p));
        w.EndObject();
    }
    w.EndObject();
}

// The msgid of a send answer as text: it can exceed 2^53, so never through a double.
std::string msgid_of(std::string const& body) {
    auto doc = server::parse_json(body);
    if (doc && doc->IsObject() && doc->HasMember("msgid")) {
        auto const& v = (*doc)["msgid"];
        if (v.IsUint64()) {
            return std::to_string(v.GetUint64());
        }
        if (v.IsInt64()) {
            return std::to_string(v.GetInt64());
        }
        if (v.IsString()) {
            return v.GetString();
        }
    }
    return {};
}

// {"touser":..,"msgtype":type,type:{fields}}
std::string custom_message(std::string const& openid, std::string_view type,
                           std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
                           bool as_article) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "touser", openid);
    write_field(w, "msgtype", type);
    write_key(w, type);
    w.StartObject();
    if (as_article) {  // news carries its one article in an array
        write_key(w, "articles");
        w.StartArray();
        w.StartObject();
    }
    for (auto const& [k, v] : fields) {
        write_field(w, k, v);
    }
    if (as_article) {
        w.EndObject();
        w.EndArray();
    }
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

}  // namespace

net::awaitable<result<void, ApiError>> ApiClient::send_custom_news(std::string const& openid,
                                                                   std::string const& title,
                                                                   std::string const& description,
                                                                   std::string const& url,
                                                                   std::string const& picurl) {
    auto body = custom_message(openid, "news",
                               {{"title", title}, {"description", description}, {"url", url}, {"picurl", picurl}},
                               true);
    co_return co_await post_void("/cgi-bin/message/custom/send", std::move(body));
}

net::awaitable<result<void, ApiError>> ApiClient::send_custom_miniprogram_page(
    std::string const& openid, std::string const& title, std::string const& appid,
    std::string const& pagepath, std::string const& thumb_media_id) {
    auto body = custom_message(openid, "miniprogrampage",
                               {{"title", title}, {"appid", appid}, {"pagepath", pagepath},
                                {"thumb_media_id", thumb_media_id}},
                               false);
    co_return co_await post_void("/cgi-bin/message/custom/send", std::move(body));
}

net::awaitable<result<std::string, ApiError>> ApiClient::phone_number(std::string const& code) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "code", code);
    w.EndObject();
    auto r = co_await post("/wxa/business/getuserphonenumber", buf.GetString());
    if (!r) {
        co_return r.error();
    }
    auto doc = server::parse_json(*r);
    if (doc && doc->IsObject() && doc->HasMember("phone_info") && (*doc)["phone_info"].IsObject()) {
        auto const& info = (*doc)["phone_info"];
        if (info.HasMember("purePhoneNumber") && info["purePhoneNumber"].IsString()) {
            co_return std::string(info["purePhoneNumber"].GetString());
        }
    }
    co_return ApiError{-1, "phone answer without purePhoneNumber", server::errc::upstream_unavailable, false};
}

net::awaitable<result<std::string, ApiError>> ApiClient::send_template(TemplateMessage const& m) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "touser", m.touser);
    write_field(w, "template_id", m.template_id);
    if (!m.url.empty()) {
        write_field(w, "url", m.url);
    }
    if (!m.miniprogram_appid.empty()) {
        write_key(w, "miniprogram");
        w.StartObject();
        write_field(w, "appid", m.miniprogram_appid);
        write_field(w, "pagepath", m.miniprogram_pagepath);
        w.EndObject();
    }
    if (!m.client_msg_id.empty()) {
        write_field(w, "client_msg_id", m.client_msg_id);
    }
    write_data(w, m.data, [](auto const& p) { return p.first; }, [](auto const& p) { return p.second; });
    w.EndObject();
    auto r = co_await post("/cgi-bin/message/template/send", buf.GetString());
    if (!r) {
        co_return r.error();
    }
    co_return msgid_of(*r);
}

net::awaitable<result<std::string, ApiError>> ApiClient::send_subscribe(SubscribeMessage const& m) {
    auto problems = check_subscribe_data(m.data, m.enum_values);
    if (!problems.empty()) {
        std::string reasons;
        for (auto const& p : problems) {
            reasons += (reasons.empty() ? "" : "; ") + p.key + ": " + p.reason;
        }
        spdlog::error("wechat: subscribe message {} not sent, its data breaks WeChat's rules: {}",
                      m.template_id, reasons);
        // The same code WeChat would answer, without spending a send on it.
        co_return ApiError{47003, reasons, {}, false};
    }
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "touser", m.touser);
    write_field(w, "template_id", m.template_id);
    if (!m.page.empty()) {
        write_field(w, "page", m.page);
    }
    write_field(w, "miniprogram_state", m.miniprogram_state);
    write_field(w, "lang", "zh_CN");
    write_data(w, m.data, [](auto const& f) { return f.key; }, [](auto const& f) { return f.value; });
    w.EndObject();
    auto r = co_await post("/cgi-bin/message/subscribe/send", buf.GetString());
    if (!r) {
        co_return r.error();
    }
    co_return msgid_of(*r);
}

net::awaitable<result<std::string, ApiError>> ApiClient::wxacode_unlimited(std::string const& scene,
                                                                           std::string const& page) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "scene", scene);
    if (!page.empty()) {
        write_field(w, "page", page);
        w.Key("check_path");
        w.Bool(false);
    }
    w.EndObject();
    co_return co_await post("/wxa/getwxacodeunlimit", buf.GetString(), true);
}

net::awaitable<result<ContentVerdict, ApiError>> ApiClient::check_text(std::string const& openid,
                                                                      std::string const& content) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_field(w, "content", content);
    write_key(w, "version");
    w.Int(2);
    write_key(w, "scene");
    w.Int(2);
    write_field(w, "openid", openid);
    w.EndObject();
    auto r = co_await post("/wxa/msg_sec_check", buf.GetString());
    if (!r) {
        co_return r.error();
    }
    auto doc = server::parse_json(*r);
    std::string suggest;
    if (doc && doc->IsObject() && doc->HasMember("result") && (*doc)["result"].IsObject() &&
        (*doc)["result"].HasMember("suggest") && (*doc)["result"]["suggest"].IsString()) {
        suggest = (*doc)["result"]["suggest"].GetString();
    }
    if (suggest == "pass") {
        co_return ContentVerdict::pass;
    }
    // Anything but a clear pass is held for a person to look at.
    co_return suggest == "risky" ? ContentVerdict::risky : ContentVerdict::review;
}

net::awaitable<result<void, ApiError>> ApiClient::create_menu(std::string menu_json) {
    co_return co_await post_void("/cgi-bin/menu/create", std::move(menu_json));
}

}  // namespace bense::wechat
