// See roster_fixture.hpp.
#include "support/roster_fixture.hpp"

#include "handlers/activity_store.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/roster_auth.hpp"
#include "handlers/roster_store.hpp"
#include "server/digest.hpp"
#include "server/json.hpp"
#include "support/callback_signer.hpp"
#include "support/redis_server.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_services.hpp"
#include "wechat/callback_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace bense::test {

std::string demo_branches_csv() {
    return "支部编号,支部名称,原单位,社区,等级,特色\n"
           "b1,示范第一党支部,市直机关,光明路社区,规范化,银发讲堂\n"
           "b2,示范第二党支部,市教育局,青檀路社区,先进,\n";
}

std::string demo_members_csv() {
    return "编号,姓名,支部,手机号,角色,状态,使用智能手机\n"
           "m1,王建国,b1,13800000001,书记,正常,是\n"
           "m2,李秀英,示范第一党支部,13800000002,,正常,是\n"
           "m3,张德明,b1,,党员,正常,否\n"
           "m9,陈志强,b2,13800000009,书记,正常,是\n";
}

std::string ApiAnswer::error_code() const {
    if (json.IsObject() && json.HasMember("error") && json["error"].IsObject() && json["error"].HasMember("code")) {
        return json["error"]["code"].GetString();
    }
    return {};
}

RosterFixture::RosterFixture() : clock(std::make_shared<server::FixedClock>(kWxNow)) {
    shared_redis().flushall();
    settings.wechat = test_gateway_config();
    settings.roster.phone_hash_secret = std::string(kPhoneSecret);
    auto rules = handlers::load_points_rules(BENSE_SOURCE_DIR "/config/points.jsonc");
    if (!rules) {
        throw std::runtime_error(rules.error());
    }
    settings.points = std::move(*rules);
    auto assessment = handlers::load_assessment_rules(BENSE_SOURCE_DIR "/config/assessment.jsonc");
    if (!assessment) {
        throw std::runtime_error(assessment.error());
    }
    settings.assessment = std::move(*assessment);
    char path[] = "/tmp/bense-fake-cert-XXXXXX";
    int fd = ::mkstemp(path);
    if (fd < 0) {
        throw std::runtime_error("mkstemp failed");
    }
    ::close(fd);
    cert_file_ = path;
    std::ofstream(cert_file_) << fake.cert_pem();
    wechat::ApiConfig api;
    api.enabled = true;
    api.base_url = fake.base_url();
    api.trusted_cert_file = cert_file_;
    api.oa = {"wxoa000000000test", "oa-secret"};
    api.mp = {"wxmp000000000test", "mp-secret"};
    auto setup = wechat::make_api_setup(api);
    if (!setup) {
        throw std::runtime_error(setup.error());
    }
    TestServerOptions options;
    options.add_routes = [this](server::Router& r) {
        handlers::add_routes(r, settings, clock, &server::system_random_bytes);
    };
    options.redis_libraries = {wechat::token_redis_library(), wechat::callback_redis_library(),
                               handlers::roster_redis_library(), handlers::points_redis_library(),
                               handlers::activity_redis_library()};
    options.worker_setup = handlers::worker_setup();
    options.worker_setup.push_back(std::move(*setup));
    server_ = std::make_unique<TestServer>(std::move(options));
    if (!server_->wait_redis_ready()) {
        throw std::runtime_error("Redis not ready");
    }
    client_ = std::make_unique<HttpClient>(server_->port());
}

RosterFixture::~RosterFixture() {
    client_.reset();
    server_.reset();
    std::remove(cert_file_.c_str());
}

ApiAnswer RosterFixture::call(http::verb verb, std::string const& target, std::string const& body,
                              std::string const& token, std::string const& content_type) {
    Headers headers{{"Content-Type", content_type}};
    if (!token.empty()) {
        headers.emplace_back("Authorization", "Bearer " + token);
    }
    auto res = client_->request(verb, target, body, headers);
    ApiAnswer a;
    a.status = res.result_int();
    a.body = res.body();
    a.json.Parse(a.body.c_str());
    if (a.json.HasParseError()) {
        a.json.SetNull();
    }
    return a;
}

std::string RosterFixture::login_code(std::string const& openid, std::string const& unionid) {
    auto reply = fake.state().handle(http::verb::post, "/_fake/code",
                                     R"({"openid":")" + openid + R"(","unionid":")" + unionid + R"("})");
    rapidjson::Document doc;
    doc.Parse(reply.body.c_str());
    return doc["code"].GetString();
}

std::string RosterFixture::login(std::string const& openid, std::string const& unionid) {
    auto a = call(http::verb::post, "/api/v1/session", R"({"code":")" + login_code(openid, unionid) + R"("})");
    REQUIRE(a.status == 200);
    return a.json["token"].GetString();
}

std::string RosterFixture::bureau_token(std::string const& id) {
    auto const token = std::string(handlers::kBureauTokenPrefix) + "test-" + id;
    auto r = shared_redis().command({"FCALL", "bense_roster_token_create", "1", std::string(handlers::kRosterAuditKey),
                                     "cli", "cli", std::to_string(kWxNow), server::sha256_hex(token), id,
                                     "老干部局"});
    REQUIRE(r.type == server::RedisReply::Type::array);
    return token;
}

void RosterFixture::import_demo() {
    auto const token = bureau_token("importer");
    REQUIRE(call(http::verb::post, "/api/v1/admin/roster/import", demo_branches_csv(), token, "text/csv").status == 200);
    REQUIRE(call(http::verb::post, "/api/v1/admin/roster/import", demo_members_csv(), token, "text/csv").status == 200);
}

std::string RosterFixture::code_for(std::string const& number, std::string const& kind) {
    auto a = call(http::verb::post, "/api/v1/admin/members/" + number + "/binding-codes",
                  R"({"kind":")" + kind + R"("})", bureau_token("issuer"));
    REQUIRE(a.status == 200);
    return a.json["codes"][0]["code"].GetString();
}

std::string RosterFixture::bound_session(std::string const& openid, std::string const& number) {
    auto const token = login(openid);
    auto const code = code_for(number);
    auto a = call(http::verb::post, "/api/v1/binding", R"({"code":")" + code + R"("})", token);
    INFO("binding " << openid << " to " << number << " with " << code << ": " << a.body);
    REQUIRE(a.status == 200);
    return token;
}

std::string RosterFixture::award(std::string const& member, std::string const& action, std::string const& reference,
                          int points, std::int64_t at, bool pending) {
    auto r = shared_redis().command({"FCALL", "bense_points_award", "1", std::string(handlers::kRosterAuditKey), member,
                                     action, std::to_string(points), "0", "0", "1", reference, "cli", "",
                                     std::to_string(at), handlers::beijing_day(at),
                                     std::to_string(handlers::beijing_year(at)), "", "*", pending ? "1" : "0"});
    REQUIRE(r.type == server::RedisReply::Type::array);
    return std::string(r.elements.at(2).str);
}

long long RosterFixture::audit_length() const {
    return shared_redis().command({"XLEN", std::string(handlers::kRosterAuditKey)}).integer;
}

std::string RosterFixture::roster_snapshot() const {
    auto keys = shared_redis().command({"KEYS", "bense:{roster}:*"});
    std::vector<std::string> names;
    for (auto const& k : keys.elements) {
        if (k.str.find(":session:") == std::string::npos && k.str.find(":fail:") == std::string::npos) {
            names.push_back(k.str);
        }
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (auto const& k : names) {
        auto dump = shared_redis().command({"DUMP", k});
        out += k + "=" + server::sha256_hex(dump.str) + "\n";
    }
    return out;
}

}  // namespace bense::test
