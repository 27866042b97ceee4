// Maps HTTPS requests onto the fake's state machine.
#include "wechat/fake_wechat.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace bense::wechat {

FakeWechat::FakeWechat(FakeWechatState::Options options, std::string bind_address, std::uint16_t port)
    : state_(std::move(options)),
      server_(
          [this](http::request<http::string_body> const& req) {
              auto reply = state_.handle(req.method(), req.target(), req.body());
              server::HttpsAnswer answer;
              answer.response.result(reply.status);
              answer.response.version(11);
              answer.response.set(http::field::content_type, reply.content_type);
              answer.response.body() = std::move(reply.body);
              answer.delay = reply.delay;
              answer.drop = reply.drop;
              return answer;
          },
          std::move(bind_address), port) {}



int run_fake_wechat(std::uint16_t port, std::string const& cert_file) {
    try {
        FakeWechat fake({}, "127.0.0.1", port);
        std::filesystem::path path(cert_file);
        if (path.has_parent_path()) {
            std::filesystem::create_directories(path.parent_path());
        }
        std::ofstream(path, std::ios::trunc) << fake.cert_pem();
        std::printf("fake WeChat API on %s (certificate: %s)\n"
                    "  mint a wx.login code: curl -k -d '{\"openid\":\"o-demo\"}' %s/_fake/code\n"
                    "  see what was sent:    curl -k %s/_fake/sent\n",
                    fake.base_url().c_str(), cert_file.c_str(), fake.base_url().c_str(),
                    fake.base_url().c_str());
        std::fflush(stdout);
        net::io_context ioc(1);
        net::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([](error_code, int) {});
        ioc.run();
        return 0;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "bense fake-wechat: %s\n", e.what());
        return 1;
    }
}

}  // namespace bense::wechat
