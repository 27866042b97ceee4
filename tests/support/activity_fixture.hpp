// Where the activities API's integration tests start: the demo roster imported (roster_fixture.hpp),
// the bureau's token and sessions bound for both secretaries and a member, and the admin API's
// steps every such test takes: creating an activity and reading its codes.
#pragma once

#include "support/json_checks.hpp"
#include "support/roster_fixture.hpp"

#include <cstdint>
#include <string>

namespace bense::test {

inline constexpr std::int64_t kDay = 86400;
// Tomorrow at the fixture clock's instant: the start of most activities in these tests.
inline constexpr std::int64_t kStart = kWxNow + kDay;

// {"title": title, "start": start ...}: a new activity's body; `extra` adds members, each
// with its leading comma (R"(,"place":"活动室")").
std::string start_json(std::string const& title, std::int64_t start, std::string const& extra = {});

struct ActivityFixture {
    RosterFixture f;
    std::string bureau;        // the bureau's API token
    std::string secretary;     // m1 王建国, secretary of b1
    std::string secretary_b2;  // m9 陈志强, secretary of b2
    std::string li;            // m2 李秀英, a member of b1

    ActivityFixture();

    // POST and GET /api/v1/admin/activities<path> as `token`.
    ApiAnswer post(std::string const& path, std::string const& body, std::string const& token);
    ApiAnswer get(std::string const& path, std::string const& token);
    // Creates the activity of `body` as `token` (the test stops unless 201); returns its id.
    std::string create(std::string const& body, std::string const& token);
    // The activity's current 4-digit code, and the scene of its scanned code, as the bureau
    // reads them (the test stops unless 200).
    std::string code(std::string const& id);
    std::string scene(std::string const& id);

private:
    // The string member `what` of GET .../<id>/<what> by the bureau.
    std::string bureau_reads(std::string const& id, char const* what);
};

}  // namespace bense::test
