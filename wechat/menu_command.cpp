// The menu command: a one-off client on its own io_context.
#include "wechat/menu_command.hpp"

#include "server/redis_client.hpp"
#include "wechat/api_services.hpp"
#include "wechat/menu.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace bense::wechat {

int run_menu_command(ApiConfig const& api, server::RedisConfig const& redis_config,
                     std::string const& menu_file, bool check_only) {
    std::ifstream in(menu_file);
    if (!in) {
        std::cerr << "bense wx menu: cannot read " << menu_file << "\n";
        return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto menu = parse_menu(text.str());
    if (!menu) {
        std::cerr << "bense wx menu: " << menu_file << ": " << menu.error() << "\n";
        return 2;
    }
    if (check_only) {
        std::cout << menu_file << ": ok\n";
        return 0;
    }
    if (!api.enabled || api.oa.appid.empty()) {
        std::cerr << "bense wx menu: the config has no wechat_api section with an oa app\n";
        return 2;
    }
    auto setup = make_api_setup(api);
    if (!setup) {
        std::cerr << "bense wx menu: " << setup.error() << "\n";
        return 2;
    }
    net::io_context ioc(1);
    server::RedisClient::Options options;
    options.config = redis_config;
    options.function_libraries = {token_redis_library()};
    server::RedisClient redis(ioc.get_executor(), options);
    redis.start();
    server::HttpsClientOptions https_options;
    https_options.base_url = api.base_url;
    https_options.request_timeout = api.request_timeout;
    if (!api.trusted_cert_file.empty()) {
        std::ifstream pem_in(api.trusted_cert_file);
        std::stringstream pem;
        pem << pem_in.rdbuf();
        https_options.extra_trusted_pem = pem.str();
    }
    auto https = server::HttpsClient::create(ioc.get_executor(), https_options);
    if (!https) {
        std::cerr << "bense wx menu: " << https.error() << "\n";
        return 2;
    }
    AccessTokenManager tokens(api.oa, api.token_source, redis, **https);
    ApiClient client(api.oa, **https, tokens, redis);
    auto done = net::co_spawn(
        ioc,
        [&]() -> net::awaitable<result<void, ApiError>> {
            auto r = co_await client.create_menu(menu_to_json(*menu));
            redis.close();
            co_return r;
        },
        net::use_future);
    ioc.run();
    auto r = done.get();
    if (!r) {
        std::cerr << "bense wx menu: WeChat refused the menu: " << r.error().describe() << "\n";
        return 1;
    }
    std::cout << "menu published (" << menu->buttons.size() << " buttons)\n";
    return 0;
}

}  // namespace bense::wechat
