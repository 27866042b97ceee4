// The WeChat API client of one worker thread: its HTTPS connection pool, and a token manager
// and API client per app (official account, mini-program). Attached to each worker at start.
#pragma once

#include "server/https_client.hpp"
#include "server/runtime.hpp"
#include "server/worker.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_client.hpp"
#include "wechat/api_config.hpp"

#include <functional>
#include <memory>

namespace bense::wechat {

struct WechatApi {
    std::unique_ptr<server::HttpsClient> https;
    std::unique_ptr<AccessTokenManager> oa_tokens;
    std::unique_ptr<AccessTokenManager> mp_tokens;
    std::unique_ptr<ApiClient> oa;  // null when the official account is not configured
    std::unique_ptr<ApiClient> mp;  // null when the mini-program is not configured
};

// Checks the config (reads the trusted certificate file) and returns the per-worker set-up
// to add to Runtime::worker_setup; a reason when the config cannot work.
result<std::function<void(server::Worker&)>, std::string> make_api_setup(ApiConfig const& config);

// The worker's API client, or null when wechat_api is not configured.
inline WechatApi* wechat_api(server::Worker& worker) { return worker.service<WechatApi>(); }

}  // namespace bense::wechat
