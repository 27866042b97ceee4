// The fake WeChat API server: FakeWechatState behind a loopback HTTPS server with a
// self-signed certificate. Used by the tests, and by `bense fake-wechat` for local runs.
#pragma once

#include "server/loopback_https_server.hpp"
#include "wechat/fake_wechat_state.hpp"

#include <string>

namespace bense::wechat {

class FakeWechat {
public:
    explicit FakeWechat(FakeWechatState::Options options = {}, std::string bind_address = "127.0.0.1",
                        std::uint16_t port = 0);

    std::uint16_t port() const { return server_.port(); }
    std::string base_url() const { return server_.base_url(); }
    std::string const& cert_pem() const { return server_.cert_pem(); }
    FakeWechatState& state() { return state_; }

private:
    FakeWechatState state_;
    server::LoopbackHttpsServer server_;
};

// `bense fake-wechat`: serves the fake on 127.0.0.1:`port`, writes its certificate to
// `cert_file` (so the service can trust it), and runs until SIGINT or SIGTERM.
int run_fake_wechat(std::uint16_t port, std::string const& cert_file);

}  // namespace bense::wechat
