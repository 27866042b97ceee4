// The runtime's error table. Adding an errc means adding its row here, in enum order:
// errors_test walks the enum and fails on a missing or misplaced row.
#include "server/errors.hpp"

#include <array>
#include <string>

namespace bense::server {
namespace {

using boost::beast::http::status;

constexpr std::array<ErrorRow, kErrcCount> kRows{{
    {"request.bad", status::bad_request, "error.request.bad"},
    {"request.bad_json", status::bad_request, "error.request.bad_json"},
    {"request.too_large", status::payload_too_large, "error.request.too_large"},
    {"request.header_too_large", status::request_header_fields_too_large,
     "error.request.header_too_large"},
    {"route.not_found", status::not_found, "error.route.not_found"},
    {"route.method_not_allowed", status::method_not_allowed, "error.route.method_not_allowed"},
    {"request.timeout", status::request_timeout, "error.request.timeout"},
    {"auth.unauthorized", status::unauthorized, "error.auth.unauthorized"},
    {"auth.forbidden", status::forbidden, "error.auth.forbidden"},
    {"server.internal", status::internal_server_error, "error.server.internal"},
    {"server.busy", status::service_unavailable, "error.server.busy"},
    {"server.shutting_down", status::service_unavailable, "error.server.shutting_down"},
    {"store.unavailable", status::service_unavailable, "error.store.unavailable"},
    {"store.timeout", status::service_unavailable, "error.store.timeout"},
    {"store.disconnected", status::service_unavailable, "error.store.disconnected"},
    {"store.error", status::internal_server_error, "error.store.error"},
    {"upstream.unavailable", status::bad_gateway, "error.upstream.unavailable"},
    {"upstream.timeout", status::gateway_timeout, "error.upstream.timeout"},
}};

class ServerCategory final : public boost::system::error_category {
public:
    char const* name() const noexcept override { return "bense.server"; }
    std::string message(int ev) const override {
        if (ev < 1 || ev > kErrcCount) {
            return "unknown server error";
        }
        return std::string(kRows[ev - 1].code);
    }
};

}  // namespace

ErrorRow const& error_row(errc e) { return kRows.at(static_cast<std::size_t>(e) - 1); }

std::span<ErrorRow const> all_error_rows() { return kRows; }

boost::system::error_category const& server_category() noexcept {
    static ServerCategory const category;
    return category;
}

}  // namespace bense::server
