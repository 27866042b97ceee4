// See simulator.hpp. A blocking client is fine here: one request, from a terminal.
#include "wechat/simulator.hpp"

#include "server/net.hpp"
#include "wechat/message.hpp"
#include "wechat/signature.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>

#include <ostream>

namespace bense::wechat {
namespace {

std::string cdata(std::string_view tag, std::string_view value) {
    return "<" + std::string(tag) + "><![CDATA[" + std::string(value) + "]]></" + std::string(tag) + ">";
}

struct HostPort {
    std::string host;
    std::string port;
};

std::optional<HostPort> parse_http_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) {
        return std::nullopt;
    }
    url.remove_prefix(kScheme.size());
    url = url.substr(0, url.find('/'));
    auto const colon = url.rfind(':');
    if (colon == std::string_view::npos) {
        return HostPort{std::string(url), "80"};
    }
    return HostPort{std::string(url.substr(0, colon)), std::string(url.substr(colon + 1))};
}

// Prints what a member would see: the text of a text reply, else the reply as it is.
void print_reply(std::string const& xml, std::ostream& out) {
    auto m = parse_message_xml(xml);
    if (m && m->msg_type == "text") {
        out << m->content << "\n";
        return;
    }
    out << xml << "\n";
}

}  // namespace

std::string sim_message_xml(SimArgs const& a, std::int64_t now) {
    auto const msg_id = a.msg_id.empty() ? std::to_string(now) + "000" : a.msg_id;
    std::string x = "<xml>" + cdata("ToUserName", "gh_sim") + cdata("FromUserName", a.openid) + "<CreateTime>" +
                    std::to_string(now) + "</CreateTime>";
    if (a.kind == "text") {
        return x + cdata("MsgType", "text") + cdata("Content", a.content) + "<MsgId>" + msg_id + "</MsgId></xml>";
    }
    if (a.kind == "voice") {
        return x + cdata("MsgType", "voice") + cdata("MediaId", "sim_media") + cdata("Format", "amr") +
               cdata("Recognition", a.content) + "<MsgId>" + msg_id + "</MsgId></xml>";
    }
    std::string event = a.kind == "click" ? "CLICK" : a.kind == "scan" ? "SCAN" : "subscribe";
    std::string key = a.kind == "subscribe" && !a.content.empty() ? "qrscene_" + a.content : a.content;
    return x + cdata("MsgType", "event") + cdata("Event", event) + cdata("EventKey", key) + "</xml>";
}

result<SimRequest, std::string> build_sim_request(SimArgs const& a, EndpointConfig const& endpoint,
                                                   std::int64_t now) {
    auto const ts = std::to_string(now);
    std::string const nonce = "1357924680";
    SimRequest r;
    r.body = sim_message_xml(a, now);
    r.target = "/wechat/oa?signature=" + url_signature(endpoint.token, ts, nonce) + "&timestamp=" + ts +
               "&nonce=" + nonce + "&openid=" + a.openid;
    if (a.safe) {
        auto keys = endpoint.key_ring();
        if (!keys) {
            return {boost::system::in_place_error, "--safe needs wechat.oa.encoding_aes_key in the config"};
        }
        auto enc = keys->key(0).encrypt(r.body);
        if (!enc) {
            return {boost::system::in_place_error, "encrypt: " + enc.error().message()};
        }
        r.target += "&encrypt_type=aes&msg_signature=" + msg_signature(endpoint.token, ts, nonce, *enc);
        r.body = "<xml>" + cdata("ToUserName", "gh_sim") + cdata("Encrypt", *enc) + "</xml>";
    }
    return r;
}

int write_sim_requests(SimArgs a, EndpointConfig const& endpoint, int count, std::ostream& out,
                       std::ostream& err) {
    auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    auto const base = static_cast<long long>(now) * 1000000;
    for (int i = 0; i < count; ++i) {
        a.msg_id = std::to_string(base + i);
        a.openid = "o_bench_" + std::to_string(i % 1000);
        auto r = build_sim_request(a, endpoint, now);
        if (!r) {
            err << "sim: " << r.error() << "\n";
            return 2;
        }
        out << r->target << '\t' << r->body << '\n';
    }
    return 0;
}

result<SimHttpAnswer, std::string> sim_http_post(std::string const& url, std::string const& target,
                                                 std::string const& content_type, std::string const& body) {
    auto const hp = parse_http_url(url);
    if (!hp) {
        return {boost::system::in_place_error, url + ": not an http:// URL"};
    }
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    error_code ec;
    auto const endpoints = resolver.resolve(hp->host, hp->port, ec);
    if (!ec) {
        stream.connect(endpoints, ec);
    }
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, hp->host);
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) {
        http::write(stream, req, ec);
    }
    if (!ec) {
        http::read(stream, buffer, res, ec);
    }
    if (ec) {
        return {boost::system::in_place_error, url + ": " + ec.message()};
    }
    return SimHttpAnswer{res.result_int(), std::move(res.body())};
}

int run_sim(SimArgs const& a, EndpointConfig const& endpoint, std::ostream& out, std::ostream& err) {
    auto const hp = parse_http_url(a.url);
    if (!hp || !endpoint.enabled) {
        err << "sim: need an http:// URL and a \"wechat\": {\"oa\": ...} block in the config\n";
        return 2;
    }
    auto const since = std::chrono::system_clock::now().time_since_epoch();
    auto const now = std::chrono::duration_cast<std::chrono::seconds>(since).count();
    // Without --msg-id, a message id from the microsecond: two messages sent within one
    // second are two messages, not WeChat's retry of one.
    SimArgs args = a;
    if (args.msg_id.empty()) {
        args.msg_id = std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(since).count());
    }
    auto request = build_sim_request(args, endpoint, now);
    if (!request) {
        err << "sim: " << request.error() << "\n";
        return 2;
    }
    auto keys = endpoint.key_ring();
    auto answer = sim_http_post(a.url, request->target, "text/xml", request->body);
    if (!answer) {
        err << "sim: " << answer.error() << "\n";
        return 1;
    }
    auto const& res = *answer;
    if (res.status != 200) {
        err << "sim: HTTP " << res.status << ": " << res.body << "\n";
        return 1;
    }
    if (res.body == "success" || !a.safe) {
        print_reply(res.body, out);
        return 0;
    }
    auto env = parse_envelope_xml(res.body);
    if (!env) {
        err << "sim: reply is not an encrypted envelope: " << res.body << "\n";
        return 1;
    }
    auto plain = keys->decrypt(env->encrypt);
    if (!plain) {
        err << "sim: reply not decrypted: " << plain.error().message() << "\n";
        return 1;
    }
    print_reply(plain->message.msg, out);
    return 0;
}

}  // namespace bense::wechat
