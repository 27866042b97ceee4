// The "wechat.crypto" error category: one English message per crypto_errc value, each
// naming the check that failed so operators can tell a wrong key from a wrong app id.
#include "wechat/crypto_error.hpp"

#include <string>

namespace bense::wechat {

namespace {

class CryptoCategory final : public boost::system::error_category {
public:
    char const* name() const noexcept override { return "wechat.crypto"; }

    std::string message(int value) const override {
        switch (static_cast<crypto_errc>(value)) {
            case crypto_errc::signature:
                return "signature check failed";
            case crypto_errc::xml_parse:
                return "XML parse failed";
            case crypto_errc::sha:
                return "SHA1 computation failed";
            case crypto_errc::illegal_aes_key:
                return "illegal AES key";
            case crypto_errc::appid:
                return "app id check failed";
            case crypto_errc::encrypt:
                return "AES encrypt failed";
            case crypto_errc::decrypt:
                return "AES decrypt failed";
            case crypto_errc::illegal_buffer:
                return "illegal buffer: message length field out of range";
            case crypto_errc::base64_encode:
                return "base64 encode failed";
            case crypto_errc::base64_decode:
                return "base64 decode failed";
            case crypto_errc::xml_generate:
                return "XML generate failed";
            case crypto_errc::padding:
                return "padding check failed";
            case crypto_errc::length:
                return "ciphertext length check failed";
            case crypto_errc::missing_field:
                return "required message field missing or malformed";
            case crypto_errc::json_parse:
                return "JSON parse failed";
        }
        return "unknown wechat.crypto error " + std::to_string(value);
    }
};

}  // namespace

boost::system::error_category const& crypto_category() noexcept {
    static CryptoCategory const category;
    return category;
}

boost::system::error_code make_error_code(crypto_errc e) noexcept { return {static_cast<int>(e), crypto_category()}; }

}  // namespace bense::wechat
