// See roster_store.hpp.
#include "handlers/roster_store.hpp"

#include "handlers/roster_errors.hpp"

#include <algorithm>

namespace bense::embedded {
extern std::string_view const handlers_roster_functions;
}  // namespace bense::embedded

namespace bense::handlers {

std::string_view roster_redis_library() { return embedded::handlers_roster_functions; }

bool MemberSummary::has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool is_stream_id(std::string_view id) {
    auto const dash = id.find('-');
    auto digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return dash != std::string_view::npos && digits(id.substr(0, dash)) && digits(id.substr(dash + 1));
}

std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto const at = text.find(separator);
        auto const part = text.substr(0, at);
        if (!part.empty()) {
            out.emplace_back(part);
        }
        if (at == std::string_view::npos) {
            break;
        }
        text.remove_prefix(at + 1);
    }
    return out;
}

net::awaitable<result<std::vector<server::RedisReply>, StoreError>> RosterStore::call(std::string_view function,
                                                                                     std::vector<std::string> args) {
    server::RedisClient::Argv argv;
    argv.reserve(args.size() + 4);
    argv.emplace_back("FCALL");
    argv.emplace_back(library_).append(function);
    argv.emplace_back("1");
    argv.emplace_back(kRosterAuditKey);
    for (auto& a : args) {
        argv.push_back(std::move(a));
    }
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    if (ec) {
        co_return StoreError{ec, {}};
    }
    co_return read_answer(std::move(reply));
}

result<std::vector<server::RedisReply>, StoreError> read_answer(server::RedisReply reply) {
    if (reply.type != server::RedisReply::Type::array || reply.elements.empty()) {
        return StoreError{server::errc::store_error, "unexpected answer"};
    }
    auto const head = reply.elements.front().text();
    if (head && *head == "err") {
        auto code = reply.elements.size() > 1 ? reply.elements[1].text() : std::nullopt;
        auto detail = reply.elements.size() > 2 ? reply.elements[2].text() : std::nullopt;
        return StoreError{roster_error_from_code(code.value_or("")), std::string(detail.value_or(""))};
    }
    if (!head || *head != "ok") {
        return StoreError{server::errc::store_error, "unexpected answer"};
    }
    reply.elements.erase(reply.elements.begin());
    return std::move(reply.elements);
}

net::awaitable<result<std::vector<server::RedisReply>, StoreError>> RosterStore::call(std::string_view function,
                                                                                     Acting const& acting,
                                                                                     std::vector<std::string> args) {
    std::vector<std::string> all{acting.actor, acting.origin, std::to_string(acting.now), acting.scope};
    all.insert(all.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
    co_return co_await call(function, std::move(all));
}

std::optional<MemberSummary> read_summary(server::RedisReply const& reply) {
    if (reply.type != server::RedisReply::Type::array || reply.elements.size() != 7) {
        return std::nullopt;
    }
    auto text = [&](std::size_t i) { return std::string(reply.elements[i].text().value_or("")); };
    MemberSummary s{text(0), text(1), text(2), text(3), split_list(text(4)), text(5), text(6) == "1"};
    if (s.number.empty()) {
        return std::nullopt;
    }
    return s;
}

std::map<std::string, std::string, std::less<>> read_fields(server::RedisReply const& reply) {
    std::map<std::string, std::string, std::less<>> out;
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        out.emplace(reply.elements[i].text().value_or(""), reply.elements[i + 1].text().value_or(""));
    }
    return out;
}

}  // namespace bense::handlers
