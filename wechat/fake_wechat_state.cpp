// Fake WeChat API behaviour. JSON shapes and error codes follow the real API (see the
// protocol notes): success bodies of /cgi-bin/token and jscode2session carry no errcode,
// every failure is {"errcode":N,"errmsg":"... rid: ..."} with HTTP 200.
#include "wechat/fake_wechat_state.hpp"

#include "server/json.hpp"
#include "server/url.hpp"

#include <rapidjson/document.h>

namespace bense::wechat {
namespace {

using server::JsonWriter;
using server::write_key;
using server::write_string;

FakeReply json_reply(std::string body) { return FakeReply{200, "application/json", std::move(body)}; }

FakeReply error_reply(int errcode, std::string_view what) {
    return json_reply(fmt::format(R"({{"errcode":{},"errmsg":"{} rid: 6a1b2c3d-fake"}})", errcode, what));
}

FakeReply ok_reply() { return json_reply(R"({"errcode":0,"errmsg":"ok"})"); }

std::string param(std::string_view query, std::string_view name) {
    return server::query_param(query, name).value_or("");
}

std::string member_string(rapidjson::Document const& doc, char const* name) {
    if (doc.IsObject() && doc.HasMember(name) && doc[name].IsString()) {
        return doc[name].GetString();
    }
    return {};
}

rapidjson::Document parse(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    return doc;
}

}  // namespace

FakeWechatState::FakeWechatState(Options options, Clock now)
    : options_(std::move(options)), now_(std::move(now)) {}

int FakeWechatState::calls(std::string_view path) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(path);
    return it == calls_.end() ? 0 : it->second;
}

FakeReply FakeWechatState::handle(http::verb, std::string_view target, std::string_view body) {
    auto const t = server::split_target(target);
    std::lock_guard lock(mutex_);
    std::string const path(t.path);
    if (!path.starts_with("/_fake/")) {
        ++calls_[path];
        if (auto it = failures_.find(path); it != failures_.end() && it->second.count > 0) {
            auto& f = it->second;
            --f.count;
            FakeReply r = f.errcode != 0 ? error_reply(f.errcode, "fake failure") : route(t.path, t.query, body);
            r.delay = f.delay;
            r.drop = f.drop;
            return r;
        }
    }
    return route(t.path, t.query, body);
}

FakeReply FakeWechatState::route(std::string_view path, std::string_view query, std::string_view body) {
    if (path.starts_with("/_fake/")) {
        return control(path, body);
    }
    if (path == "/cgi-bin/token") {
        return issue_token(query);
    }
    if (path == "/cgi-bin/stable_token") {
        return stable_token(body);
    }
    if (path == "/sns/jscode2session") {
        return jscode2session(query);
    }
    if (int const bad = check_token(query); bad != 0) {
        return error_reply(bad, bad == 42001 ? "access_token expired" : "invalid credential");
    }
    if (path == "/wxa/business/getuserphonenumber") {
        return phone_number(body);
    }
    if (path == "/cgi-bin/message/custom/send" || path == "/cgi-bin/menu/create") {
        return record_send(path, body, false);
    }
    if (path == "/cgi-bin/message/template/send" || path == "/cgi-bin/message/subscribe/send") {
        return record_send(path, body, true);
    }
    if (path == "/wxa/getwxacodeunlimit") {
        return wxacode(body);
    }
    if (path == "/wxa/msg_sec_check") {
        return msg_sec_check(body);
    }
    return error_reply(40066, "invalid url");
}

std::string FakeWechatState::new_token(std::string_view source) {
    auto& list = tokens_[std::string(source)];
    auto const now = now_();
    // The current token enters its grace period; tokens past it are forgotten.
    for (auto& t : list) {
        t.expires = std::min(t.expires, now + options_.grace);
    }
    std::erase_if(list, [&](Token const& t) { return t.expires <= now; });
    auto const n = ++counter_;
    auto value = fmt::format("fake-{}-{}-{:08x}", source, n, static_cast<unsigned>(n * 2654435761u));
    list.push_back({value, now + options_.token_lifetime});
    return value;
}

FakeReply FakeWechatState::issue_token(std::string_view query) {
    if (param(query, "grant_type") != "client_credential") {
        return error_reply(40002, "invalid grant_type");
    }
    if (param(query, "appid").empty()) {
        return error_reply(40013, "invalid appid");
    }
    if (param(query, "secret").empty()) {
        return error_reply(40125, "invalid appsecret");
    }
    auto token = new_token("token");
    return json_reply(fmt::format(R"({{"access_token":"{}","expires_in":{}}})", token,
                                  options_.token_lifetime.count()));
}

FakeReply FakeWechatState::stable_token(std::string_view body) {
    auto doc = parse(body);
    if (member_string(doc, "grant_type") != "client_credential") {
        return error_reply(40002, "invalid grant_type");
    }
    if (member_string(doc, "appid").empty()) {
        return error_reply(40013, "invalid appid");
    }
    if (member_string(doc, "secret").empty()) {
        return error_reply(40125, "invalid appsecret");
    }
    bool const force = doc.HasMember("force_refresh") && doc["force_refresh"].IsBool() &&
                       doc["force_refresh"].GetBool();
    auto const now = now_();
    auto& list = tokens_["stable"];
    if (force) {
        list.clear();  // force_refresh invalidates the old token at once
    }
    if (list.empty() || list.back().expires <= now) {
        new_token("stable");
    }
    auto const& current = tokens_["stable"].back();
    auto const left = std::chrono::duration_cast<std::chrono::seconds>(current.expires - now).count();
    return json_reply(fmt::format(R"({{"access_token":"{}","expires_in":{}}})", current.value, left));
}

int FakeWechatState::check_token(std::string_view query) const {
    auto token = param(query, "access_token");
    if (token.empty()) {
        return 41001;
    }
    auto const now = now_();
    for (auto const& [source, list] : tokens_) {
        for (auto const& t : list) {
            if (t.value == token) {
                return t.expires > now ? 0 : 42001;
            }
        }
    }
    return 40001;
}

std::string FakeWechatState::new_code() { return fmt::format("fakecode{:06}", ++counter_); }

FakeReply FakeWechatState::jscode2session(std::string_view query) {
    auto code = param(query, "js_code");
    if (used_codes_.contains(code)) {
        return error_reply(40163, "code been used");
    }
    auto it = login_codes_.find(code);
    if (it == login_codes_.end()) {
        return error_reply(40029, "invalid code");
    }
    auto [openid, unionid] = it->second;
    login_codes_.erase(it);
    used_codes_[code] = true;
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "openid");
    write_string(w, openid);
    write_key(w, "session_key");
    write_string(w, "ZmFrZS1zZXNzaW9uLWtleQ==");
    if (!unionid.empty()) {
        write_key(w, "unionid");
        write_string(w, unionid);
    }
    w.EndObject();
    return json_reply(buf.GetString());
}

FakeReply FakeWechatState::phone_number(std::string_view body) {
    auto code = member_string(parse(body), "code");
    auto it = phone_codes_.find(code);
    if (it == phone_codes_.end()) {
        return error_reply(40029, "invalid code");
    }
    auto phone = it->second;
    phone_codes_.erase(it);
    return json_reply(fmt::format(
        R"({{"errcode":0,"errmsg":"ok","phone_info":{{"phoneNumber":"{}","purePhoneNumber":"{}","countryCode":"86","watermark":{{"timestamp":{},"appid":"fake"}}}}}})",
        phone, phone, std::chrono::system_clock::to_time_t(now_())));
}

FakeReply FakeWechatState::record_send(std::string_view path, std::string_view body, bool with_msgid) {
    auto doc = parse(body);
    if (doc.HasParseError() || !doc.IsObject()) {
        return error_reply(47001, "data format error");
    }
    sent_.push_back({std::string(path), std::string(body), std::chrono::system_clock::to_time_t(now_())});
    if (!with_msgid) {
        return ok_reply();
    }
    // Real msgids exceed 2^53: callers must not read them as doubles.
    return json_reply(fmt::format(R"({{"errcode":0,"errmsg":"ok","msgid":{}}})",
                                  3487542469355618313ull + sent_.size()));
}

FakeReply FakeWechatState::wxacode(std::string_view body) {
    auto scene = member_string(parse(body), "scene");
    if (scene.empty() || scene.size() > 32) {
        return error_reply(40169, "invalid length for scene");
    }
    // A PNG signature and the scene: enough for callers to tell an image from a JSON error.
    return FakeReply{200, "image/png", std::string("\x89PNG\r\n\x1a\n", 8) + scene};
}

FakeReply FakeWechatState::msg_sec_check(std::string_view body) {
    auto content = member_string(parse(body), "content");
    for (auto const& word : options_.risky_words) {
        if (content.find(word) != std::string::npos) {
            return json_reply(R"({"errcode":0,"errmsg":"ok","result":{"suggest":"risky","label":20001},"trace_id":"fake"})");
        }
    }
    return json_reply(R"({"errcode":0,"errmsg":"ok","result":{"suggest":"pass","label":100},"trace_id":"fake"})");
}

FakeReply FakeWechatState::control(std::string_view path, std::string_view body) {
    auto doc = parse(body);
    if (path == "/_fake/code" || path == "/_fake/phone_code") {
        auto code = new_code();
        if (path == "/_fake/code") {
            login_codes_[code] = {member_string(doc, "openid"), member_string(doc, "unionid")};
        } else {
            phone_codes_[code] = member_string(doc, "phone");
        }
        return json_reply(fmt::format(R"({{"code":"{}"}})", code));
    }
    if (path == "/_fake/fail") {
        Failure f;
        f.errcode = doc.HasMember("errcode") && doc["errcode"].IsInt() ? doc["errcode"].GetInt() : 0;
        f.count = doc.HasMember("count") && doc["count"].IsInt() ? doc["count"].GetInt() : 1;
        f.delay = std::chrono::milliseconds(doc.HasMember("delay_ms") && doc["delay_ms"].IsInt() ? doc["delay_ms"].GetInt() : 0);
        f.drop = doc.HasMember("drop") && doc["drop"].IsBool() && doc["drop"].GetBool();
        failures_[member_string(doc, "path")] = f;
        return ok_reply();
    }
    if (path == "/_fake/sent") {
        return json_reply(sent_json());
    }
    if (path == "/_fake/stats") {
        return json_reply(stats_json());
    }
    if (path == "/_fake/reset") {
        failures_.clear();
        sent_.clear();
        calls_.clear();
        return ok_reply();
    }
    return error_reply(40066, "invalid url");
}

std::string FakeWechatState::sent_json() const {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "sent");
    w.StartArray();
    for (auto const& s : sent_) {
        w.StartObject();
        write_key(w, "path");
        write_string(w, s.path);
        write_key(w, "at");
        w.Int64(s.at);
        write_key(w, "body");
        w.RawValue(s.body.data(), s.body.size(), rapidjson::kObjectType);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

std::string FakeWechatState::stats_json() const {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "calls");
    w.StartObject();
    for (auto const& [path, n] : calls_) {
        write_key(w, path);
        w.Int(n);
    }
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

}  // namespace bense::wechat
