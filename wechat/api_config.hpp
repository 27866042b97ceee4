// Configuration of outbound WeChat API calls: the "wechat_api" section. Points at real
// WeChat, or at the fake that scripts/run.sh starts on loopback (its certificate trusted by
// file). Secrets may be written as "env:NAME".
#pragma once

#include "server/json.hpp"
#include "wechat/access_token.hpp"

#include <chrono>
#include <string>

namespace bense::wechat {

struct ApiConfig {
    bool enabled = false;  // the section is present
    std::string base_url = "https://api.weixin.qq.com";
    std::string trusted_cert_file;  // extra PEM trust anchor; empty for real WeChat
    TokenSource token_source = TokenSource::stable;
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{5000};
    std::size_t max_connections = 8;
    AppCredentials oa;  // official account (服务号)
    AppCredentials mp;  // mini-program
};

void read_api_config(server::JsonObjectReader& r, ApiConfig& out);

}  // namespace bense::wechat
