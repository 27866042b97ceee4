// See activity_config.hpp.
#include "handlers/activity_config.hpp"

namespace bense::handlers {
namespace {

void read_seconds(server::JsonObjectReader& r, std::string_view key, std::chrono::seconds& out, std::int64_t min,
                  std::int64_t max, std::int64_t unit = 1) {
    std::int64_t v = out.count() / unit;
    r.read(key, v, min, max);
    out = std::chrono::seconds(v * unit);
}

}  // namespace

void read_activity_config(server::JsonObjectReader& r, ActivityConfig& out) {
    read_seconds(r, "code_period_seconds", out.code_period, 60, 3600);
    read_seconds(r, "code_grace_seconds", out.code_grace, 0, 600);
    read_seconds(r, "checkin_opens_before_minutes", out.opens_before, 0, 24 * 60, 60);
    read_seconds(r, "checkin_closes_after_minutes", out.closes_after, 0, 24 * 60, 60);
    r.read("max_code_failures", out.max_code_failures, 1, 1000);
    r.read_secret("scene_secret", out.scene_secret);
    r.finish();
    if (r.ok() && out.code_grace >= out.code_period) {
        r.fail(r.path_of("code_grace_seconds") + ": expected less than code_period_seconds");
    }
    if (r.ok() && !out.scene_secret.empty() && out.scene_secret.size() < 16) {
        r.fail(r.path_of("scene_secret") + ": expected a secret of at least 16 characters");
    }
}

}  // namespace bense::handlers
