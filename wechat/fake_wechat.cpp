// Maps HTTPS requests onto the fake's state machine.
#include "wechat/fake_wechat.hpp"

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

}  // namespace bense::wechat
