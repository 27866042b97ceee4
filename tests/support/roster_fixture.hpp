// The whole member side in-process: the real routes (session, binding, admin, chat) on the
// shared private Redis, the fake WeChat over HTTPS for wx.login and phone codes, a fixed
// clock, and helpers to log in, call the API and read Redis.
#pragma once

#include "handlers/module.hpp"
#include "server/clock.hpp"
#include "support/callback_signer.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"
#include "wechat/fake_wechat.hpp"

#include <rapidjson/document.h>

#include <memory>
#include <string>

namespace bense::test {

inline constexpr std::string_view kPhoneSecret = "test-phone-secret-0123456789";

// The members and branches most tests start from: branch b1 (secretary m1 王建国, members
// m2 李秀英 with phone 13800000002, m3 张德明), branch b2 (secretary m9 陈志强).
std::string demo_branches_csv();
std::string demo_members_csv();

struct ApiAnswer {
    unsigned status = 0;
    std::string body;
    rapidjson::Document json;  // parsed body (Null when not JSON)
    std::string error_code() const;  // error.code, or ""
};

class RosterFixture {
public:
    RosterFixture();
    ~RosterFixture();

    ApiAnswer call(http::verb verb, std::string const& target, std::string const& body = {},
                   std::string const& token = {}, std::string const& content_type = "application/json");

    // A wx.login code for openid (and unionid) from the fake.
    std::string login_code(std::string const& openid, std::string const& unionid = {});
    // Logs in through POST /api/v1/session; returns the session token.
    std::string login(std::string const& openid, std::string const& unionid = {});
    // A bureau API token made straight in the store (as `bense admin token create` does).
    std::string bureau_token(std::string const& id = "bureau");
    // Imports the demo roster through the API with a bureau token.
    void import_demo();
    // A new binding code of `kind` for a member, through the admin API.
    std::string code_for(std::string const& number, std::string const& kind = "self");
    // Logs in as openid and binds with a fresh code of the member; returns the session token.
    std::string bound_session(std::string const& openid, std::string const& number);

    // Points straight through the ledger's Redis function (no caps), as a check-in would give;
    // `pending` leaves them waiting for the secretary. Returns the entry id.
    std::string award(std::string const& member, std::string const& action, std::string const& reference,
                      int points, std::int64_t at, bool pending = false);

    long long audit_length() const;
    // Every key and value of the {roster} slot, to prove a refused request changed nothing
    // (sessions and failure counters left out: they are not the roster).
    std::string roster_snapshot() const;

    // The gateway's instant (callback_signer.hpp), so that chat and API share one clock.
    std::shared_ptr<server::FixedClock> clock;
    wechat::FakeWechat fake;
    handlers::Settings settings;

private:
    std::string cert_file_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<HttpClient> client_;
};

}  // namespace bense::test
