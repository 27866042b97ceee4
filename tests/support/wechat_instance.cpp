// Test instance set-up and orderly teardown (clients die on their own thread).
#include "support/wechat_instance.hpp"

#include "server/runtime.hpp"
#include "support/test_server.hpp"

#include <stdexcept>

namespace bense::test {

WechatInstance::WechatInstance(wechat::FakeWechat& fake, std::string redis_address,
                               std::chrono::milliseconds request_timeout) {
    server::RedisClient::Options ro;
    ro.config.address = std::move(redis_address);
    ro.function_libraries = {server::server_redis_library(), wechat::token_redis_library()};
    redis_ = std::make_unique<server::RedisClient>(ioc_.get_executor(), std::move(ro));
    server::HttpsClientOptions ho;
    ho.base_url = fake.base_url();
    ho.trust_system_store = false;
    ho.extra_trusted_pem = fake.cert_pem();
    ho.request_timeout = request_timeout;
    auto https = server::HttpsClient::create(ioc_.get_executor(), ho);
    if (!https) {
        throw std::runtime_error(https.error());
    }
    https_ = std::move(*https);
    wechat::AppCredentials creds{"wxfakeappid", "fakesecret"};
    tokens_ = std::make_unique<wechat::AccessTokenManager>(creds, wechat::TokenSource::stable, *redis_, *https_);
    api_ = std::make_unique<wechat::ApiClient>(creds, *https_, *tokens_, *redis_, &metrics_.shard(0));
    redis_->start();
    thread_ = std::thread([this] { ioc_.run(); });
    if (!eventually([this] { return redis_->ready(); })) {
        throw std::runtime_error("redis not ready");
    }
}

WechatInstance::~WechatInstance() {
    net::post(ioc_, [this] {
        api_.reset();
        tokens_.reset();
        https_.reset();
        redis_.reset();
    });
    guard_.reset();
    thread_.join();
}

}  // namespace bense::test
