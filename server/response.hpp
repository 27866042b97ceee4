// Building responses: JSON, plain text, and the error envelope from an error table row.
#pragma once

#include "server/errors.hpp"
#include "server/http_types.hpp"
#include "server/templates.hpp"

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace bense::server {

Response json_response(http::status status, std::string body);
Response text_response(http::status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");

// {"error":{"code":row.code,"message":<template text>}} with row.status.
Response error_response(Templates const& templates, ErrorRow const& row);
// The same with the template's {placeholders} filled from `args`.
Response error_response(Templates const& templates, ErrorRow const& row, TemplateArgs args);
// The same for a runtime error, using the request's templates.
Response error_response(Request const& req, errc e);
Response error_response(Request const& req, ErrorRow const& row);

// Parses the request body as a JSON object. On failure the result holds the 400
// request.bad_json response to return as is.
result<rapidjson::Document, Response> read_json_object(Request const& req);

}  // namespace bense::server
