// The wx-* operator commands: thin glue over signature, crypto, message and reply, so that a
// support engineer can replay a logged callback by hand and see which check rejects it.
#include "wechat/cli_tools.hpp"

#include <istream>
#include <iterator>
#include <ostream>
#include <string_view>

#include "server/utf8.hpp"
#include "wechat/crypto.hpp"
#include "wechat/message.hpp"
#include "wechat/reply.hpp"
#include "wechat/signature.hpp"

namespace bense::wechat {

using server::trim_space;

namespace {

constexpr int kOk = 0;
constexpr int kCheckFailed = 1;
constexpr int kUsage = 2;

std::string read_all(std::istream& in) {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int fail(std::ostream& err, std::string_view command, boost::system::error_code ec) {
    err << command << ": " << ec.message() << " (" << ec.value() << ")\n";
    return kCheckFailed;
}

// The Encrypt text from a body: an XML envelope, a JSON envelope, or the bare base64.
result<std::string> encrypt_text(std::string_view body) {
    if (body.starts_with('<')) {
        auto envelope = parse_envelope_xml(body);
        if (!envelope) {
            return envelope.error();
        }
        return std::move(envelope->encrypt);
    }
    if (body.starts_with('{')) {
        auto envelope = parse_envelope_json(body);
        if (!envelope) {
            return envelope.error();
        }
        return std::move(envelope->encrypt);
    }
    return std::string(body);
}

}  // namespace

int wx_sign(WxSignArgs const& args, std::ostream& out, std::ostream&) {
    if (args.encrypt) {
        out << msg_signature(args.token, args.timestamp, args.nonce, *args.encrypt) << '\n';
    } else {
        out << url_signature(args.token, args.timestamp, args.nonce) << '\n';
    }
    return kOk;
}

int wx_decrypt(WxDecryptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err) {
    int const signature_parts =
        args.token.has_value() + args.timestamp.has_value() + args.nonce.has_value() + args.msg_signature.has_value();
    if (signature_parts != 0 && signature_parts != 4) {
        err << "wx-decrypt: checking msg_signature needs token, timestamp, nonce and msg_signature\n";
        return kUsage;
    }
    auto crypto = MessageCrypto::from_encoding_aes_key(args.aes_key, args.appid);
    if (!crypto) {
        return fail(err, "wx-decrypt", crypto.error());
    }
    std::string const body = read_all(in);
    auto encrypt = encrypt_text(trim_space(body));
    if (!encrypt) {
        return fail(err, "wx-decrypt", encrypt.error());
    }
    if (signature_parts == 4) {
        auto const expected = msg_signature(*args.token, *args.timestamp, *args.nonce, *encrypt);
        if (!constant_time_equal(expected, *args.msg_signature)) {
            err << "wx-decrypt: signature check failed: expected " << expected << '\n';
            return kCheckFailed;
        }
    }
    auto decrypted = crypto->decrypt(*encrypt);
    if (!decrypted) {
        return fail(err, "wx-decrypt", decrypted.error());
    }
    out << decrypted->msg << '\n';
    return kOk;
}

int wx_encrypt(WxEncryptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err) {
    if (args.timestamp.empty() || args.nonce.empty() || args.token.empty()) {
        err << "wx-encrypt: token, timestamp and nonce are required\n";
        return kUsage;
    }
    if (args.random && args.random->size() != MessageCrypto::kRandomSize) {
        err << "wx-encrypt: random must be exactly 16 characters\n";
        return kUsage;
    }
    auto crypto = MessageCrypto::from_encoding_aes_key(args.aes_key, args.appid);
    if (!crypto) {
        return fail(err, "wx-encrypt", crypto.error());
    }
    std::string message = read_all(in);
    if (message.ends_with('\n')) {
        message.pop_back();
        if (message.ends_with('\r')) {
            message.pop_back();
        }
    }
    auto encrypted = args.random ? crypto->encrypt(message, *args.random) : crypto->encrypt(message);
    if (!encrypted) {
        return fail(err, "wx-encrypt", encrypted.error());
    }
    auto const signature = msg_signature(args.token, args.timestamp, args.nonce, *encrypted);
    out << render_encrypted_reply_xml(*encrypted, signature, args.timestamp, args.nonce) << '\n';
    return kOk;
}

}  // namespace bense::wechat
