// Unit tests for wechat/crypto_error: the category, the official values and the messages.
#include "wechat/crypto_error.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using bense::wechat::crypto_errc;

TEST_CASE("crypto_error: codes keep the official values", "[wechat][crypto]") {
    CHECK(static_cast<int>(crypto_errc::signature) == -40001);
    CHECK(static_cast<int>(crypto_errc::xml_parse) == -40002);
    CHECK(static_cast<int>(crypto_errc::illegal_aes_key) == -40004);
    CHECK(static_cast<int>(crypto_errc::appid) == -40005);
    CHECK(static_cast<int>(crypto_errc::illegal_buffer) == -40008);
    CHECK(static_cast<int>(crypto_errc::base64_decode) == -40010);
    CHECK(static_cast<int>(crypto_errc::xml_generate) == -40011);
}

TEST_CASE("crypto_error: error_code conversion, category and messages", "[wechat][crypto]") {
    boost::system::error_code const ec = crypto_errc::padding;
    CHECK(ec == crypto_errc::padding);
    CHECK(ec != crypto_errc::length);
    CHECK(std::string(ec.category().name()) == "wechat.crypto");
    CHECK(ec.message().find("padding") != std::string::npos);

    struct Expect {
        crypto_errc code;
        char const* word;
    };
    Expect const expectations[] = {
        {crypto_errc::signature, "signature"},   {crypto_errc::base64_decode, "base64"},
        {crypto_errc::length, "length"},         {crypto_errc::padding, "padding"},
        {crypto_errc::appid, "app id"},          {crypto_errc::illegal_aes_key, "AES key"},
        {crypto_errc::illegal_buffer, "length"}, {crypto_errc::xml_parse, "XML"},
        {crypto_errc::json_parse, "JSON"},       {crypto_errc::missing_field, "field"},
    };
    for (auto const& e : expectations) {
        INFO(static_cast<int>(e.code));
        CHECK(make_error_code(e.code).message().find(e.word) != std::string::npos);
    }

    std::set<int> values;
    std::set<std::string> messages;
    for (int v = -40011; v <= -40001; ++v) {
        values.insert(v);
        messages.insert(make_error_code(static_cast<crypto_errc>(v)).message());
    }
    for (int v = -40104; v <= -40101; ++v) {
        values.insert(v);
        messages.insert(make_error_code(static_cast<crypto_errc>(v)).message());
    }
    CHECK(messages.size() == values.size());  // every code has its own text
    CHECK(make_error_code(static_cast<crypto_errc>(7)).message().find("unknown") != std::string::npos);
}
