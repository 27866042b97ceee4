// One "server instance" talking to the fake WeChat: its own thread, Redis connection, HTTPS
// client, token manager and API client, as each worker of each process would have.
#pragma once

#include "server/https_client.hpp"
#include "server/metrics.hpp"
#include "server/redis_client.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_client.hpp"
#include "wechat/fake_wechat.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <thread>

namespace bense::test {

class WechatInstance {
public:
    WechatInstance(wechat::FakeWechat& fake, std::string redis_address,
                   std::chrono::milliseconds request_timeout = std::chrono::milliseconds(2000));
    ~WechatInstance();

    // Runs a coroutine on the instance's thread and waits for its result.
    template <class T>
    T run(net::awaitable<T> work) {
        return net::co_spawn(ioc_, std::move(work), net::use_future).get();
    }

    net::io_context& ioc() { return ioc_; }
    server::RedisClient& redis() { return *redis_; }
    wechat::AccessTokenManager& tokens() { return *tokens_; }
    wechat::ApiClient& api() { return *api_; }
    std::string metrics_text() const { return metrics_.render(); }

private:
    server::Metrics metrics_{1};
    net::io_context ioc_{1};
    net::executor_work_guard<net::io_context::executor_type> guard_{ioc_.get_executor()};
    std::unique_ptr<server::RedisClient> redis_;
    std::unique_ptr<server::HttpsClient> https_;
    std::unique_ptr<wechat::AccessTokenManager> tokens_;
    std::unique_ptr<wechat::ApiClient> api_;
    std::thread thread_;
};

}  // namespace bense::test
