// Per-worker WeChat API set-up.
#include "wechat/api_services.hpp"

#include "server/http_server.hpp"

#include <fstream>
#include <sstream>

namespace bense::wechat {

result<std::function<void(server::Worker&)>, std::string> make_api_setup(ApiConfig const& config) {
    server::HttpsClientOptions options;
    options.base_url = config.base_url;
    options.connect_timeout = config.connect_timeout;
    options.request_timeout = config.request_timeout;
    options.max_connections = config.max_connections;
    if (!config.trusted_cert_file.empty()) {
        std::ifstream in(config.trusted_cert_file);
        if (!in) {
            return "wechat_api: cannot read trusted_cert_file " + config.trusted_cert_file;
        }
        std::stringstream pem;
        pem << in.rdbuf();
        options.extra_trusted_pem = pem.str();
    }
    // Fail at start, not on the first request, when the URL or certificate is unusable.
    net::io_context probe;
    if (auto check = server::HttpsClient::create(probe.get_executor(), options); !check) {
        return "wechat_api: " + check.error();
    }
    return std::function<void(server::Worker&)>([config, options](server::Worker& worker) {
        worker.server().metrics().describe("bense_wechat_api_errors_total", "counter",
                                           "WeChat API error answers by path and errcode (45009: daily quota gone).");
        auto api = std::make_shared<WechatApi>();
        api->https = std::move(*server::HttpsClient::create(worker.ioc().get_executor(), options));
        if (!config.oa.appid.empty()) {
            api->oa_tokens = std::make_unique<AccessTokenManager>(config.oa, config.token_source,
                                                                  worker.redis(), *api->https);
            api->oa = std::make_unique<ApiClient>(config.oa, *api->https, *api->oa_tokens, worker.redis(),
                                                   &worker.metrics());
        }
        if (!config.mp.appid.empty()) {
            api->mp_tokens = std::make_unique<AccessTokenManager>(config.mp, config.token_source,
                                                                  worker.redis(), *api->https);
            api->mp = std::make_unique<ApiClient>(config.mp, *api->https, *api->mp_tokens, worker.redis(),
                                                   &worker.metrics());
        }
        worker.set_service(std::move(api));
    });
}

}  // namespace bense::wechat
