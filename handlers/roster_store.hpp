// The roster in Redis, through the bense_roster functions of roster.lua: each call is one
// atomic step in the {roster} slot. This class turns their answers into values or errors;
// what to ask and what the answers mean is the routes' business.
#pragma once

#include "server/errors.hpp"
#include "server/net.hpp"
#include "server/redis_client.hpp"

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// The audit stream; also the key every roster function is routed by.
inline constexpr std::string_view kRosterAuditKey = "bense:{roster}:audit";
// A bureau token's hash (roster.lua): "<prefix><sha256>" -> id name created_at.
inline constexpr std::string_view kBureauTokenKeyPrefix = "bense:{roster}:token:";

// Who acts, from where, when, and over what: "*" (the bureau) or one branch id.
struct Acting {
    std::string actor;   // "token:<id>", "member:<number>", "cli", "wx:<app>:<openid>"
    std::string origin;  // the client's address, "chat" or "cli"
    std::int64_t now = 0;
    std::string scope;
};

// A member as the binding and session functions describe them.
struct MemberSummary {
    std::string number;
    std::string name;
    std::string branch;
    std::string branch_name;
    std::vector<std::string> roles;
    std::string status;
    bool proxy = false;  // the WeChat user acts for this member (a family member)

    bool has_role(std::string_view role) const;
};

// A failed call: the error, and what the function added (a name, a JSON list of problems).
struct StoreError {
    error_code ec;
    std::string detail;
};

class RosterStore {
public:
    // `library`: the prefix of the functions called (bense_points_ for the points ledger).
    explicit RosterStore(server::RedisClient& redis, std::string_view library = "bense_roster_")
        : redis_(redis), library_(library) {}

    server::RedisClient& redis() const { return redis_; }

    // FCALL <library><function> with `args`; the values after 'ok', or the error the
    // function named (roster_error_from_code), or the store's own failure.
    net::awaitable<result<std::vector<server::RedisReply>, StoreError>> call(std::string_view function,
                                                                            std::vector<std::string> args);

    // The same, with acting.actor, origin, now and scope first.
    net::awaitable<result<std::vector<server::RedisReply>, StoreError>> call(std::string_view function,
                                                                            Acting const& acting,
                                                                            std::vector<std::string> args);

private:
    server::RedisClient& redis_;
    std::string_view library_;
};

// The arguments of a call, as a vector. Call sites use this rather than a braced list: GCC 12
// cannot keep a braced list's backing array alive across co_await ("array used as
// initializer").
template <class... T>
std::vector<std::string> fcall_args(T&&... values) {
    std::vector<std::string> v;
    v.reserve(sizeof...(T));
    (v.emplace_back(std::forward<T>(values)), ...);
    return v;
}

// A function's answer: {'ok', values...} as the values, {'err', code, detail} as the error
// it names (roster_error_from_code).
result<std::vector<server::RedisReply>, StoreError> read_answer(server::RedisReply reply);
// The answers of a function that carried `count` calls ({'ok', answer, answer, ...}), each
// read by `read` (RedisReply -> result<T, StoreError>); the function's own failure, or a
// count that does not match, answers every one.
template <class T, class Read>
std::vector<result<T, StoreError>> read_each(result<std::vector<server::RedisReply>, StoreError> r,
                                             std::size_t count, Read read) {
    std::vector<result<T, StoreError>> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (!r) {
            out.emplace_back(r.error());
        } else if (r->size() != count) {
            out.emplace_back(StoreError{server::errc::store_error, "unexpected answer of many"});
        } else {
            out.emplace_back(read(std::move((*r)[i])));
        }
    }
    return out;
}

// The integer a field holds as text (a packed field, a hash field); 0 when it holds none.
template <class Int>
Int integer_in(std::string_view text) {
    Int v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

// The N fields of an answer that a function packed into one string, joined by newlines (a
// batch's answers: one reply each for the server to read, not one per field). The last field
// takes the rest, newlines and all: the one place for text a person typed. nullopt when
// there are fewer.
template <std::size_t N>
std::optional<std::array<std::string_view, N>> packed_fields(std::string_view packed) {
    std::array<std::string_view, N> f;
    for (std::size_t i = 0; i + 1 < N; ++i) {
        auto const end = packed.find('\n');
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        f[i] = packed.substr(0, end);
        packed.remove_prefix(end + 1);
    }
    f[N - 1] = packed;
    return f;
}

// A summary array {number, name, branch, branch_name, roles, status, proxy}; nullopt when the
// reply is not one.
std::optional<MemberSummary> read_summary(server::RedisReply const& reply);
// A flat {field, value, ...} array as a map.
std::map<std::string, std::string, std::less<>> read_fields(server::RedisReply const& reply);
// "<ms>-<seq>", as Redis names stream entries (the audit stream, the points ledger).
bool is_stream_id(std::string_view id);
// "a,b" -> {"a", "b"}
std::vector<std::string> split_list(std::string_view text, char separator = ',');

// The embedded Lua library (bense_roster).
std::string_view roster_redis_library();

}  // namespace bense::handlers
