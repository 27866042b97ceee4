// `bense wx menu`: checks config/menu.json against WeChat's menu rules and, when it passes,
// publishes it to the official account through the API client (token shared via Redis).
#pragma once

#include "server/config.hpp"
#include "wechat/api_config.hpp"

#include <string>

namespace bense::wechat {

// Returns the process exit code: 0 published, 1 WeChat or Redis refused, 2 the menu or the
// config is wrong (nothing sent).
int run_menu_command(ApiConfig const& api, server::RedisConfig const& redis, std::string const& menu_file,
                     bool check_only);

}  // namespace bense::wechat
