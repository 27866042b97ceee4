// Conversion from hiredis's reply tree; the only file besides the client that sees hiredis types.
#include "server/redis_reply.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

namespace bense::server {

std::optional<std::string_view> RedisReply::text() const {
    if (type == Type::string || type == Type::status) {
        return std::string_view(str);
    }
    return std::nullopt;
}

std::optional<long long> RedisReply::as_integer() const {
    if (type == Type::integer) {
        return integer;
    }
    if (type == Type::string) {
        long long v = 0;
        auto [end, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
        if (ec == std::errc() && end == str.data() + str.size()) {
            return v;
        }
    }
    return std::nullopt;
}

RedisReply RedisReply::from_hiredis(redisReply const* r) {
    RedisReply out;
    if (r == nullptr) {
        return out;
    }
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = Type::string;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_STATUS:
        out.type = Type::status;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_ERROR:
        out.type = Type::error;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        out.type = Type::integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = Type::array;
        out.elements.reserve(r->elements);
        for (std::size_t i = 0; i < r->elements; ++i) {
            out.elements.push_back(from_hiredis(r->element[i]));
        }
        break;
    default:
        out.type = Type::nil;
        break;
    }
    return out;
}

}  // namespace bense::server
