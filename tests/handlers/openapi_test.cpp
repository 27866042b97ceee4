// docs/openapi.json against the real route table: every /api/v1 route has its operation and
// every operation its route, each answers some 2xx (and 401 when it needs a token), its path
// parameters are the router's, and every error code it names is a row of the runtime's or the
// roster's error table, documented under that row's status.
#include "handlers/module.hpp"
#include "handlers/roster_errors.hpp"
#include "server/errors.hpp"
#include "server/json.hpp"
#include "server/router.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using Operation = std::pair<std::string, std::string>;  // {path pattern, lower-case method}
using Names = std::vector<std::string>;

constexpr std::string_view kApiPrefix = "/api/v1";
constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string str(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

std::string name_of(Operation const& op) { return op.second + " " + op.first; }

rapidjson::Document load_document() {
    std::ifstream in(BENSE_SOURCE_DIR "/docs/openapi.json", std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    auto doc = bense::server::parse_json(text.str());
    if (!doc) {
        FAIL("docs/openapi.json is not JSON: " << doc.error());
    }
    REQUIRE(doc->IsObject());
    REQUIRE(doc->HasMember("paths"));
    REQUIRE((*doc)["paths"].IsObject());
    return std::move(*doc);
}

// The service's /api/v1 routes, as the production table has them.
std::set<Operation> api_routes() {
    bense::server::Router router;
    bense::handlers::Settings settings;
    settings.roster.phone_hash_secret = "0123456789abcdef0123";
    bense::handlers::add_routes(router, settings);
    std::set<Operation> out;
    for (auto const* route : router.routes()) {
        if (route->pattern.starts_with(kApiPrefix)) {
            out.emplace(route->pattern, lower(boost::beast::http::to_string(route->verb)));
        }
    }
    return out;
}

// Every operation of the document, by path and method.
std::map<Operation, rapidjson::Value const*> document_operations(rapidjson::Document const& doc) {
    std::map<Operation, rapidjson::Value const*> out;
    for (auto const& path : doc["paths"].GetObject()) {
        REQUIRE(path.value.IsObject());
        for (auto const& m : path.value.GetObject()) {
            auto const method = str(m.name);
            if (std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end()) {
                REQUIRE(m.value.IsObject());
                out.emplace(Operation{str(path.name), method}, &m.value);
            }
        }
    }
    return out;
}

// Every error code the service knows, with its status.
std::map<std::string, int> error_statuses() {
    std::map<std::string, int> out;
    for (auto const& rows :
         {bense::server::all_error_rows(), bense::handlers::all_roster_error_rows()}) {
        for (auto const& row : rows) {
            out.emplace(std::string(row.code), static_cast<int>(row.status));
        }
    }
    return out;
}

// The operation's security requirements, or the document's when it has none of its own.
rapidjson::Value const* security_of(rapidjson::Document const& doc, rapidjson::Value const& op) {
    if (op.HasMember("security")) {
        return &op["security"];
    }
    return doc.HasMember("security") ? &doc["security"] : nullptr;
}

// The {name} segments of a pattern.
std::set<std::string> pattern_params(std::string const& pattern) {
    std::set<std::string> out;
    for (std::size_t open = pattern.find('{'); open != std::string::npos;
         open = pattern.find('{', open + 1)) {
        auto const close = pattern.find('}', open);
        REQUIRE(close != std::string::npos);
        out.insert(pattern.substr(open + 1, close - open - 1));
    }
    return out;
}

// The names of the path's and the operation's parameters that are `in: path`.
std::set<std::string> declared_path_params(rapidjson::Document const& doc, Operation const& op) {
    std::set<std::string> out;
    auto const& path = doc["paths"][op.first.c_str()];
    for (auto const* holder : {&path, &path[op.second.c_str()]}) {
        if (!holder->HasMember("parameters")) {
            continue;
        }
        for (auto const& p : (*holder)["parameters"].GetArray()) {
            REQUIRE(p.HasMember("in"));
            if (str(p["in"]) == "path") {
                CHECK(p.HasMember("required"));
                out.insert(str(p["name"]));
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every /api/v1 route has its operation in docs/openapi.json", "[openapi]") {
    auto const doc = load_document();
    auto const routes = api_routes();
    REQUIRE(routes.size() >= 20);
    auto const ops = document_operations(doc);
    Names missing;
    for (auto const& route : routes) {
        if (!ops.contains(route)) {
            missing.push_back(name_of(route));
        }
    }
    CHECK(missing == Names{});
}

TEST_CASE("every operation in docs/openapi.json is a real route", "[openapi]") {
    auto const doc = load_document();
    auto const routes = api_routes();
    Names unknown;
    for (auto const& [op, value] : document_operations(doc)) {
        if (!routes.contains(op)) {
            unknown.push_back(name_of(op));
        }
    }
    CHECK(unknown == Names{});
}

TEST_CASE("every operation answers a 2xx, and 401 when it needs a token", "[openapi]") {
    auto const doc = load_document();
    for (auto const& [op, value] : document_operations(doc)) {
        INFO(name_of(op));
        REQUIRE(value->HasMember("responses"));
        auto const& responses = (*value)["responses"];
        bool success = false;
        for (auto const& r : responses.GetObject()) {
            success = success || str(r.name).starts_with("2");
        }
        CHECK(success);
        auto const* security = security_of(doc, *value);
        bool const needs_token = security != nullptr && !security->Empty();
        if (needs_token) {
            CHECK(responses.HasMember("401"));
        }
        // x-auth says in words what security says in schemes: none is the only one without.
        REQUIRE(value->HasMember("x-auth"));
        CHECK(needs_token == (str((*value)["x-auth"]) != "none"));
    }
}

TEST_CASE("path parameters in docs/openapi.json are the router's", "[openapi]") {
    auto const doc = load_document();
    for (auto const& [op, value] : document_operations(doc)) {
        INFO(name_of(op));
        CHECK(declared_path_params(doc, op) == pattern_params(op.first));
    }
}

TEST_CASE("every error code in docs/openapi.json is in an error table, under its status",
          "[openapi]") {
    auto const doc = load_document();
    auto const statuses = error_statuses();
    REQUIRE(doc.HasMember("components"));
    REQUIRE(doc["components"].HasMember("x-error-catalogue"));
    auto const& catalogue = doc["components"]["x-error-catalogue"];
    for (auto const& [op, value] : document_operations(doc)) {
        INFO(name_of(op));
        REQUIRE(value->HasMember("x-error-codes"));
        auto const& responses = (*value)["responses"];
        std::set<std::string> answered;  // statuses some listed code answers with
        for (auto const& c : (*value)["x-error-codes"].GetArray()) {
            REQUIRE(c.IsString());
            auto const code = str(c);
            INFO("code " << code);
            auto const row = statuses.find(code);
            REQUIRE(row != statuses.end());
            CHECK(catalogue.HasMember(code.c_str()));
            auto const status = std::to_string(row->second);
            answered.insert(status);
            REQUIRE(responses.HasMember(status.c_str()));
            auto const& response = responses[status.c_str()];
            REQUIRE(response.HasMember("description"));
            CHECK(str(response["description"]).find("`" + code + "`") != std::string::npos);
        }
        for (auto const& r : responses.GetObject()) {
            auto const status = str(r.name);
            if (status.starts_with("4") || status.starts_with("5")) {
                INFO("status " << status);
                CHECK(answered.contains(status));
            }
        }
    }
    // The catalogue of codes with their statuses and messages agrees with the tables.
    for (auto const& entry : catalogue.GetObject()) {
        auto const code = str(entry.name);
        INFO("catalogue " << code);
        auto const row = statuses.find(code);
        REQUIRE(row != statuses.end());
        REQUIRE(entry.value.HasMember("status"));
        CHECK(entry.value["status"].GetInt() == row->second);
    }
}
