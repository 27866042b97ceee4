#include "server/templates.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace bense::server;

TEST_CASE("template loading names the file and key of a problem", "[templates]") {
    auto dir = std::filesystem::temp_directory_path() / "bense-templates-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a.jsonc") << "// comment\n{\"k\": \"v\"}";
    std::ofstream(dir / "b.jsonc") << "{\"k\": \"again\"}";
    auto dup = Templates::load_dir(dir.string());
    REQUIRE_FALSE(dup.has_value());
    CHECK(dup.error().find("/k: defined twice") != std::string::npos);
    std::ofstream(dir / "b.jsonc", std::ios::trunc) << "{\"n\": 3}";
    auto bad = Templates::load_dir(dir.string());
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().find("/n: expected a string") != std::string::npos);
    std::filesystem::remove_all(dir);
}
