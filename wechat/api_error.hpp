// How a WeChat API call failed: WeChat's own errcode, or a transport or store failure, and
// whether the request may have been acted on (then it must not be blindly sent again).
#pragma once

#include "server/net.hpp"

#include <string>

namespace bense::wechat {

struct ApiError {
    int errcode = 0;     // WeChat's errcode; 0 when WeChat gave no answer
    std::string errmsg;  // WeChat's errmsg (with its rid), for the log only
    error_code transport;  // set when WeChat gave no (readable) answer, or Redis failed
    bool unknown_outcome = false;

    std::string describe() const;
};

// Errcodes that mean "this access_token is not (or no longer) good".
inline bool is_token_error(int errcode) {
    return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

}  // namespace bense::wechat
