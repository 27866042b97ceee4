// `bense sim login`: plays the mini-program's login against a running Bense. Asks the fake
// WeChat for a wx.login code (POST /_fake/code over HTTPS, trusting the fake's certificate
// file), then opens a session with it (POST /api/v1/session) and prints Bense's answer.
// Only for local runs: real WeChat mints no codes on request.
#pragma once

#include <iosfwd>
#include <string>

namespace bense::wechat {

struct SimLoginArgs {
    std::string openid;   // required: who logs in
    std::string unionid;  // "" for a user without one
    std::string url = "http://127.0.0.1:8480";          // Bense
    std::string fake = "https://127.0.0.1:8443";        // the fake WeChat
    std::string cert = "var/fake-wechat/cert.pem";      // the fake's certificate (PEM)
};

// {"openid":…,"unionid":…}, the body of /_fake/code.
std::string fake_code_request_json(SimLoginArgs const& args);

// Prints the session's JSON ({token, expires_in, bound, member}) to `out`. Returns 0 on a 200
// answer, 1 when the fake or Bense failed or refused, 2 for an unreadable certificate file.
int run_sim_login(SimLoginArgs const& args, std::ostream& out, std::ostream& err);

}  // namespace bense::wechat
