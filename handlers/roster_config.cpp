// See roster_config.hpp.
#include "handlers/roster_config.hpp"

namespace bense::handlers {
namespace {

void read_seconds(server::JsonObjectReader& r, std::string_view key, std::chrono::seconds& out, std::int64_t min,
                  std::int64_t max) {
    std::int64_t v = out.count();
    r.read(key, v, min, max);
    out = std::chrono::seconds(v);
}

}  // namespace

void read_roster_config(server::JsonObjectReader& r, RosterConfig& out) {
    r.read_secret("phone_hash_secret", out.phone_hash_secret);
    std::int64_t days = out.code_ttl.count() / 86400;
    r.read("code_ttl_days", days, 1, 365);
    out.code_ttl = std::chrono::seconds(days * 86400);
    days = out.session_ttl.count() / 86400;
    r.read("session_ttl_days", days, 1, 365);
    out.session_ttl = std::chrono::seconds(days * 86400);
    r.read("max_user_failures", out.max_user_failures, 1, 100);
    r.read("max_code_attempts", out.max_code_attempts, 1, 1000);
    read_seconds(r, "failure_window_seconds", out.failure_window, 60, 86400);
    r.finish();
    if (r.ok() && out.phone_hash_secret.size() < 16) {
        r.fail(r.path_of("phone_hash_secret") + ": expected a secret of at least 16 characters");
    }
}

}  // namespace bense::handlers
