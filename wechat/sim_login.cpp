// See sim_login.hpp. One code from the fake on its own io_context, then one blocking POST.
#include "wechat/sim_login.hpp"

#include "server/https_client.hpp"
#include "server/json.hpp"
#include "wechat/simulator.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <fstream>
#include <ostream>
#include <sstream>

namespace bense::wechat {
namespace {

// The "code" of the fake's answer; "" when there is none.
std::string code_of(std::string const& body) {
    auto doc = server::parse_json(body);
    if (!doc || !doc->IsObject() || !doc->HasMember("code") || !(*doc)["code"].IsString()) {
        return {};
    }
    return (*doc)["code"].GetString();
}

// A wx.login code from the fake, or what went wrong.
result<std::string, std::string> fake_login_code(SimLoginArgs const& a, std::string pem) {
    net::io_context ioc(1);
    server::HttpsClientOptions options;
    options.base_url = a.fake;
    options.extra_trusted_pem = std::move(pem);
    auto https = server::HttpsClient::create(ioc.get_executor(), options);
    if (!https) {
        return {boost::system::in_place_error, https.error()};
    }
    auto done = net::co_spawn(
        ioc, (*https)->request(http::verb::post, "/_fake/code", fake_code_request_json(a)), net::use_future);
    ioc.run();
    auto const r = done.get();
    if (r.ec) {
        return {boost::system::in_place_error, a.fake + ": " + r.detail};
    }
    auto code = code_of(r.response.body);
    if (r.response.status != 200 || code.empty()) {
        return {boost::system::in_place_error,
                a.fake + "/_fake/code: HTTP " + std::to_string(r.response.status) + ": " + r.response.body};
    }
    return {boost::system::in_place_value, std::move(code)};
}

}  // namespace

std::string fake_code_request_json(SimLoginArgs const& a) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "openid");
    server::write_string(w, a.openid);
    server::write_key(w, "unionid");
    server::write_string(w, a.unionid);
    w.EndObject();
    return buf.GetString();
}

int run_sim_login(SimLoginArgs const& a, std::ostream& out, std::ostream& err) {
    std::ifstream in(a.cert);
    std::stringstream pem;
    if (in) {
        pem << in.rdbuf();
    }
    if (pem.str().empty()) {
        err << "sim login: cannot read the fake WeChat's certificate " << a.cert
            << " (scripts/run.sh writes it when it starts the fake)\n";
        return 2;
    }
    auto code = fake_login_code(a, pem.str());
    if (!code) {
        err << "sim login: no wx.login code from the fake WeChat: " << code.error() << "\n";
        return 1;
    }
    rapidjson::StringBuffer body;
    server::JsonWriter w(body);
    w.StartObject();
    server::write_key(w, "code");
    server::write_string(w, *code);
    w.EndObject();
    auto answer = sim_http_post(a.url, "/api/v1/session", "application/json", body.GetString());
    if (!answer) {
        err << "sim login: " << answer.error() << "\n";
        return 1;
    }
    if (answer->status != 200) {
        err << "sim login: HTTP " << answer->status << ": " << answer->body << "\n";
        return 1;
    }
    out << answer->body << "\n";
    return 0;
}

}  // namespace bense::wechat
