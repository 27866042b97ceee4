// Reads and checks the "wechat_api" section.
#include "wechat/api_config.hpp"

namespace bense::wechat {
namespace {

void read_app(server::JsonObjectReader& parent, char const* key, AppCredentials& app) {
    auto const* v = parent.member(key);
    if (v == nullptr) {
        return;
    }
    server::JsonObjectReader r(*v, parent.path_of(key));
    r.read("appid", app.appid);
    r.read_secret("secret", app.secret);
    r.finish();
    if (r.ok() && (app.appid.empty() || app.secret.empty())) {
        r.fail(parent.path_of(key) + ": appid and secret are both required");
    }
    if (!r.ok()) {
        parent.fail(r.error());
    }
}

}  // namespace

void read_api_config(server::JsonObjectReader& r, ApiConfig& out) {
    out.enabled = r.member("base_url") != nullptr;
    r.read("base_url", out.base_url);
    r.read("trusted_cert_file", out.trusted_cert_file);
    std::string source = out.token_source == TokenSource::stable ? "stable" : "classic";
    r.read("token_source", source);
    if (source != "stable" && source != "classic") {
        r.fail(r.path_of("token_source") + ": expected \"stable\" or \"classic\"");
    }
    out.token_source = source == "stable" ? TokenSource::stable : TokenSource::classic;
    r.read_ms("connect_timeout_ms", out.connect_timeout, 100, 60'000);
    r.read_ms("request_timeout_ms", out.request_timeout, 100, 60'000);
    r.read("max_connections", out.max_connections, 1, 1000);
    read_app(r, "oa", out.oa);
    read_app(r, "mp", out.mp);
    if (out.enabled && !out.base_url.starts_with("https://")) {
        r.fail(r.path_of("base_url") + ": expected https://…");
    }
}

}  // namespace bense::wechat
