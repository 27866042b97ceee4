// A Redis reply as a plain value: a deep copy of hiredis's reply, which hiredis frees as soon
// as the reply callback returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace bense::server {

struct RedisReply {
    enum class Type { nil, string, status, error, integer, array };

    Type type = Type::nil;
    std::string str;         // string, status and error replies
    long long integer = 0;   // integer replies
    std::vector<RedisReply> elements;

    bool is_nil() const { return type == Type::nil; }
    bool is_error() const { return type == Type::error; }
    // The text of a string or status reply; nullopt for any other type.
    std::optional<std::string_view> text() const;
    // An integer reply, or a string reply that holds a decimal integer.
    std::optional<long long> as_integer() const;

    static RedisReply from_hiredis(redisReply const* r);
};

}  // namespace bense::server
