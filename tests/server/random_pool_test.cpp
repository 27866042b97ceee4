#include "server/random_pool.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>
#include <vector>

using namespace bense::server;

TEST_CASE("random pool: every draw is fresh, across refills", "[random]") {
    RandomPool pool;
    std::set<std::string> seen;
    // 1,000 draws of 16 bytes span four refills of the pool (4,096 bytes each).
    for (int i = 0; i < 1000; ++i) {
        std::array<unsigned char, 16> bytes{};
        REQUIRE(pool.fill(bytes));
        seen.emplace(bytes.begin(), bytes.end());
    }
    CHECK(seen.size() == 1000);
}

TEST_CASE("random pool: a draw across the end of the pool takes fresh bytes", "[random]") {
    RandomPool pool;
    std::vector<unsigned char> most(RandomPool::kDrawSize - 10);
    REQUIRE(pool.fill(most));
    std::array<unsigned char, 16> tail{};
    REQUIRE(pool.fill(tail));
    CHECK(std::vector<unsigned char>(tail.begin(), tail.end()) != std::vector<unsigned char>(16, 0));
}

TEST_CASE("random pool: a draw larger than the pool is refused", "[random]") {
    RandomPool pool;
    std::vector<unsigned char> too_many(RandomPool::kDrawSize + 1);
    CHECK_FALSE(pool.fill(too_many));
    std::vector<unsigned char> whole(RandomPool::kDrawSize);
    CHECK(pool.fill(whole));
}
