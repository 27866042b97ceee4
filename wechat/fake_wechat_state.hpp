// The behaviour of the fake WeChat API, without any I/O: tokens that rotate and expire,
// one-time login and phone codes, recorded sends, and failures a test asks for. The server
// in fake_wechat.cpp only maps HTTP onto handle(). Thread-safe.
#pragma once

#include "server/net.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace bense::wechat {

struct FakeReply {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::chrono::milliseconds delay{0};
    bool drop = false;
};

class FakeWechatState {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    struct Options {
        std::chrono::seconds token_lifetime{7200};
        std::chrono::seconds grace{300};  // an old token still works this long after rotation
        std::vector<std::string> risky_words{"违禁词"};
    };

    explicit FakeWechatState(Options options, Clock now = &std::chrono::system_clock::now);

    // One API call. `target` is path plus query, `body` the request body.
    FakeReply handle(http::verb verb, std::string_view target, std::string_view body);

    int calls(std::string_view path) const;

private:
    struct Token {
        std::string value;
        std::chrono::system_clock::time_point expires;
    };
    struct Failure {
        int errcode = 0;
        int count = 0;
        std::chrono::milliseconds delay{0};
        bool drop = false;
    };
    struct Sent {
        std::string path;
        std::string body;
        std::int64_t at = 0;
    };

    FakeReply route(std::string_view path, std::string_view query, std::string_view body);
    FakeReply issue_token(std::string_view query);
    FakeReply stable_token(std::string_view body);
    FakeReply jscode2session(std::string_view query);
    FakeReply phone_number(std::string_view body);
    FakeReply record_send(std::string_view path, std::string_view body, bool with_msgid);
    FakeReply wxacode(std::string_view body);
    FakeReply msg_sec_check(std::string_view body);
    FakeReply control(std::string_view path, std::string_view body);
    // 0 when the access_token in the query is valid, else the errcode WeChat would give.
    int check_token(std::string_view query) const;
    std::string new_token(std::string_view source);
    std::string new_code();
    std::string sent_json() const;
    std::string stats_json() const;

    Options options_;
    Clock now_;
    mutable std::mutex mutex_;
    // Per source ("token", "stable"): the current token and those still in their grace.
    std::map<std::string, std::vector<Token>, std::less<>> tokens_;
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> login_codes_;  // code -> openid, unionid
    std::map<std::string, std::string, std::less<>> phone_codes_;                           // code -> phone
    std::map<std::string, bool, std::less<>> used_codes_;
    std::map<std::string, Failure, std::less<>> failures_;  // by path
    std::map<std::string, int, std::less<>> calls_;
    std::vector<Sent> sent_;
    std::uint64_t counter_ = 0;
};

}  // namespace bense::wechat
