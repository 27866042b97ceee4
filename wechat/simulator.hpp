// `bense sim`: plays the WeChat server against a running Bense, for chatting with the local
// bot from a terminal. Builds a callback as WeChat would (signed, and in safe mode
// encrypted) from the endpoint config in the same config file, posts it, and opens the reply.
#pragma once

#include "wechat/gateway_config.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace bense::wechat {

struct SimArgs {
    std::string kind;  // text, voice, click, subscribe, scan
    std::string url = "http://127.0.0.1:8480";
    std::string openid = "o_sim_user";
    std::string content;  // text: the words; voice: the recognition text; click: key; scan: scene
    bool safe = false;
    std::string msg_id;  // default: derived from the time, so each run is a new message
};

// The callback body WeChat would send for `args` at `now`.
std::string sim_message_xml(SimArgs const& args, std::int64_t now);

// Sends one callback to args.url + "/wechat/oa" and prints the reply's text (or the raw
// reply) to `out`. Returns 0 on a 200 answer, 1 otherwise, 2 for unusable arguments.
int run_sim(SimArgs const& args, EndpointConfig const& endpoint, std::ostream& out, std::ostream& err);

// A plain-HTTP answer: the status and the body.
struct SimHttpAnswer {
    unsigned status = 0;
    std::string body;
};
// POSTs `body` to `url` (http://host[:port]) + `target`, blocking; a transport failure comes
// back as "url: reason".
result<SimHttpAnswer, std::string> sim_http_post(std::string const& url, std::string const& target,
                                                 std::string const& content_type, std::string const& body);

// One signed (and with args.safe, encrypted) callback: the request target and body.
struct SimRequest {
    std::string target;
    std::string body;
};
result<SimRequest, std::string> build_sim_request(SimArgs const& args, EndpointConfig const& endpoint,
                                                  std::int64_t now);

// `bense sim requests`: prints `count` distinct callbacks (own MsgId, one of 1000 senders),
// one per line as "target<TAB>body", for the benchmark's load generator.
int write_sim_requests(SimArgs args, EndpointConfig const& endpoint, int count, std::ostream& out,
                       std::ostream& err);

}  // namespace bense::wechat
