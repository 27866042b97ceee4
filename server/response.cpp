// Response builders. Content types are set here so every handler answers alike.
#include "server/response.hpp"

#include "server/json.hpp"
#include "server/templates.hpp"
#include "server/url.hpp"
#include "server/worker.hpp"

namespace bense::server {

Response json_response(http::status status, std::string body) {
    return text_response(status, std::move(body), "application/json; charset=utf-8");
}

Response text_response(http::status status, std::string body, std::string_view content_type) {
    Response res{status, 11};
    res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    return res;
}

Response error_response(Templates const& templates, ErrorRow const& row) {
    return json_response(row.status, error_envelope(row.code, templates.render(row.template_key)));
}

Response error_response(Templates const& templates, ErrorRow const& row, TemplateArgs args) {
    return json_response(row.status, error_envelope(row.code, templates.render(row.template_key, args)));
}

Response error_response(Request const& req, ErrorRow const& row) {
    return error_response(req.worker->templates(), row);
}

Response error_response(Request const& req, errc e) { return error_response(req, error_row(e)); }

result<rapidjson::Document, Response> read_json_object(Request const& req) {
    auto doc = parse_json_body(req.msg.body());
    if (!doc || !doc->IsObject()) {
        return error_response(req, errc::bad_json);
    }
    return std::move(*doc);
}

std::string_view Request::param(std::string_view name) const {
    for (auto const& [k, v] : params) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    return server::query_param(query, name);
}

std::string_view Request::header(http::field f) const {
    auto it = msg.find(f);
    return it == msg.end() ? std::string_view{} : std::string_view(it->value());
}

}  // namespace bense::server
