// The roster's error table, in enum order: roster_errors_test walks the enum.
#include "handlers/roster_errors.hpp"

#include <array>
#include <string>

namespace bense::handlers {
namespace {

using boost::beast::http::status;
using server::ErrorRow;

constexpr std::array<ErrorRow, kRosterErrcCount> kRows{{
    {"member.not_bound", status::forbidden, "error.member.not_bound"},
    {"member.inactive", status::forbidden, "error.member.inactive"},
    {"member.not_found", status::not_found, "error.member.not_found"},
    {"member.exists", status::conflict, "error.member.exists"},
    {"branch.not_found", status::not_found, "error.branch.not_found"},
    {"branch.exists", status::conflict, "error.branch.exists"},
    {"branch.name_taken", status::conflict, "error.branch.name_taken"},
    {"branch.not_empty", status::conflict, "error.branch.not_empty"},
    {"login.code_invalid", status::bad_request, "error.login.code_invalid"},
    {"login.code_used", status::unauthorized, "error.login.code_used"},
    {"bind.code_wrong", status::bad_request, "error.bind.code_wrong"},
    {"bind.code_expired", status::bad_request, "error.bind.code_expired"},
    {"bind.code_used", status::bad_request, "error.bind.code_used"},
    {"bind.too_many", status::too_many_requests, "error.bind.too_many"},
    {"bind.already", status::conflict, "error.bind.already"},
    {"bind.taken", status::conflict, "error.bind.taken"},
    {"bind.phone_unknown", status::not_found, "error.bind.phone_unknown"},
    {"bind.phone_shared", status::conflict, "error.bind.phone_shared"},
    {"request.bad_field", status::bad_request, "error.request.bad_field"},
    {"roster.import_invalid", status::bad_request, "error.roster.import_invalid"},
    {"token.exists", status::conflict, "error.token.exists"},
    {"token.not_found", status::not_found, "error.token.not_found"},
    {"bind.phone_code_invalid", status::bad_request, "error.bind.phone_code_invalid"},
    {"points.unknown_action", status::bad_request, "error.points.unknown_action"},
    {"points.reason_required", status::bad_request, "error.points.reason_required"},
    {"points.bad_amount", status::bad_request, "error.points.bad_amount"},
    {"points.entry_not_found", status::not_found, "error.points.entry_not_found"},
    {"points.not_pending", status::conflict, "error.points.not_pending"},
    {"points.not_reversible", status::conflict, "error.points.not_reversible"},
    {"activity.not_found", status::not_found, "error.activity.not_found"},
    {"activity.cancelled", status::conflict, "error.activity.cancelled"},
    {"activity.branch_fixed", status::bad_request, "error.activity.branch_fixed"},
    {"activity.not_started", status::conflict, "error.activity.not_started"},
    {"checkin.code_wrong", status::bad_request, "error.checkin.code_wrong"},
    {"checkin.code_expired", status::bad_request, "error.checkin.code_expired"},
    {"checkin.nothing_open", status::conflict, "error.checkin.nothing_open"},
    {"checkin.not_open", status::conflict, "error.checkin.not_open"},
    {"checkin.closed", status::conflict, "error.checkin.closed"},
    {"checkin.other_branch", status::forbidden, "error.checkin.other_branch"},
    {"checkin.cancelled", status::conflict, "error.checkin.cancelled"},
    {"checkin.too_far", status::conflict, "error.checkin.too_far"},
    {"checkin.no_geofence", status::conflict, "error.checkin.no_geofence"},
    {"checkin.too_many", status::too_many_requests, "error.checkin.too_many"},
    {"checkin.scene_invalid", status::bad_request, "error.checkin.scene_invalid"},
    {"leave.too_late", status::conflict, "error.leave.too_late"},
    {"leave.checked_in", status::conflict, "error.leave.checked_in"},
    {"checkin.qrcode_unavailable", status::service_unavailable, "error.checkin.qrcode_unavailable"},
}};

class RosterCategory final : public boost::system::error_category {
public:
    char const* name() const noexcept override { return "bense.roster"; }
    std::string message(int ev) const override {
        if (ev < 1 || ev > kRosterErrcCount) {
            return "unknown roster error";
        }
        return std::string(kRows[ev - 1].code);
    }
};

}  // namespace

ErrorRow const& error_row(roster_errc e) { return kRows.at(static_cast<std::size_t>(e) - 1); }

std::span<ErrorRow const> all_roster_error_rows() { return kRows; }

ErrorRow const& roster_error_row(boost::system::error_code ec) {
    if (ec.category() == roster_category() && ec.value() >= 1 && ec.value() <= kRosterErrcCount) {
        return kRows[ec.value() - 1];
    }
    if (ec.category() == server::server_category() && ec.value() >= 1 && ec.value() <= server::kErrcCount) {
        return server::error_row(static_cast<server::errc>(ec.value()));
    }
    return server::error_row(server::errc::internal);
}

boost::system::error_code roster_error_from_code(std::string_view code) {
    // The Redis functions also name two of the runtime's codes, and these Lua-only spellings.
    if (code == "auth.forbidden") {
        return server::errc::forbidden;
    }
    if (code == "auth.unauthorized") {
        return server::errc::unauthorized;
    }
    if (code == "import.invalid") {
        return roster_errc::import_invalid;
    }
    // A step of a batch that failed inside Redis (checkin_sessions in activity.lua).
    if (code == "store.error") {
        return server::errc::store_error;
    }
    // Every candidate code was taken: near-impossible, and worth a retry, not a 500.
    if (code == "code.exhausted") {
        return server::errc::server_busy;
    }
    for (int i = 0; i < kRosterErrcCount; ++i) {
        if (kRows[i].code == code) {
            return static_cast<roster_errc>(i + 1);
        }
    }
    return server::errc::internal;
}

std::vector<server::TemplateNeed> roster_error_template_needs() {
    std::vector<server::TemplateNeed> needs;
    for (auto const& row : kRows) {
        needs.push_back({row.template_key, {}});
    }
    for (int i = 1; i <= kRosterErrcCount; ++i) {
        if (auto p = roster_error_placeholder(static_cast<roster_errc>(i)); !p.empty()) {
            needs[i - 1].placeholders = {p};
        }
    }
    return needs;
}

std::string_view roster_error_placeholder(roster_errc e) {
    switch (e) {
    case roster_errc::bind_already: return "name";
    case roster_errc::bad_field: return "reason";
    case roster_errc::import_invalid: return "count";
    case roster_errc::checkin_not_open: return "time";
    case roster_errc::checkin_too_far: return "distance";
    default: return "";
    }
}

boost::system::error_category const& roster_category() noexcept {
    static RosterCategory const category;
    return category;
}

}  // namespace bense::handlers
