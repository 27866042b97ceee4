// One member, 500 check-ins at once through every channel (typed code, scanned code,
// geofence tap, the secretary's proxy), over many connections to a server of several threads:
// one record, one award.
#include "handlers/module.hpp"
#include "support/activity_fixture.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <vector>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

constexpr int kConnections = 10;
constexpr int kPerConnection = 50;

struct Tally {
    int created = 0;
    int already = 0;
    int other = 0;
};

}  // namespace

TEST_CASE("500 concurrent check-ins of one member by mixed channels make one record and one award",
          "[activity][concurrency]") {
    ActivityFixture a;
    auto const id = a.create(start_json("主题党日", kStart, R"(,"lat":34.8,"lng":117.5,"radius":100)"), a.secretary);
    a.f.clock->set(kStart + 60);
    auto const code = a.code(id);
    auto const scene = a.scene(id);

    TestServerOptions options;
    options.configure = [](server::Config& c) { c.server.threads = 4; };
    options.add_routes = [&](server::Router& r) { handlers::add_routes(r, a.f.settings, a.f.clock, &server::system_random_bytes); };
    options.redis_libraries = handlers::redis_libraries();
    options.worker_setup = handlers::worker_setup();
    TestServer burst(std::move(options));
    REQUIRE(burst.wait_redis_ready());

    struct Call {
        std::string target;
        std::string body;
        std::string const* token;
    };
    std::vector<Call> const calls{
        {"/api/v1/checkins", R"({"code":")" + code + R"("})", &a.li},
        {"/api/v1/checkins", R"({"scene":")" + scene + R"("})", &a.li},
        {"/api/v1/checkins", R"({"activity":")" + id + R"(","lat":34.8001,"lng":117.5})", &a.li},
        {"/api/v1/admin/activities/" + id + "/checkins", R"({"member":"m2"})", &a.secretary},
    };
    std::vector<std::future<Tally>> connections;
    for (int c = 0; c < kConnections; ++c) {
        connections.push_back(std::async(std::launch::async, [&, c] {
            HttpClient client(burst.port());
            Tally t;
            for (int i = 0; i < kPerConnection; ++i) {
                auto const& call = calls[(c + i) % calls.size()];
                auto res = client.post(call.target, call.body,
                                       {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + *call.token}});
                if (res.result_int() == 201) {
                    ++t.created;
                } else if (res.result_int() == 200 && res.body().find(R"("already":true)") != std::string::npos) {
                    ++t.already;
                } else {
                    ++t.other;
                }
            }
            return t;
        }));
    }
    Tally all;
    for (auto& c : connections) {
        auto t = c.get();
        all.created += t.created;
        all.already += t.already;
        all.other += t.other;
    }
    CHECK(all.created == 1);
    CHECK(all.already == kConnections * kPerConnection - 1);
    CHECK(all.other == 0);

    auto att = a.get("/" + id + "/attendance", a.bureau);
    REQUIRE(att.status == 200);
    CHECK(att.json["activity"]["checked_in"].GetInt64() == 1);
    CHECK(att.json["counts"]["present"].GetInt64() + att.json["counts"]["proxied"].GetInt64() == 1);
    CHECK(shared_redis().command({"HLEN", "bense:{roster}:activity:" + id + ":checkins"}).integer == 1);
    CHECK(shared_redis().command({"XLEN", "bense:{roster}:points:m2:ledger"}).integer == 1);
    auto points = a.f.call(verb::get, "/api/v1/me/points", {}, a.li);
    CHECK(points.json["total"].GetInt64() == 5);
    REQUIRE(points.json["entries"].Size() == 1);
    CHECK(str(points.json["entries"][0]["action"]) == "checkin.party_day");
    // The member's own taps (all but the proxy's) went through the worker's batches.
    HttpClient client(burst.port());
    int taps = 0;
    for (int c = 0; c < kConnections; ++c) {
        for (int i = 0; i < kPerConnection; ++i) {
            taps += calls[(c + i) % calls.size()].token == &a.li ? 1 : 0;
        }
    }
    auto metrics = client.get("/metrics").body();
    CHECK(metrics.find("bense_checkin_taps_total " + std::to_string(taps) + "\n") != std::string::npos);
}
