// A self-signed certificate made at start-up, for servers that only ever run on loopback
// (the fake WeChat API of tests and local runs). Never used for anything public.
#pragma once

#include "server/net.hpp"

#include <string>

namespace bense::server {

struct SelfSignedCert {
    std::string cert_pem;  // also the trust anchor a client adds to accept it
    std::string key_pem;
};

// An EC P-256 certificate for CN=`common_name` with subjectAltName IP:127.0.0.1 and
// DNS:localhost, valid for 30 days from now. Returns a reason on failure.
result<SelfSignedCert, std::string> make_self_signed_cert(std::string const& common_name);

}  // namespace bense::server
