// What the domain contributes to the runtime: its routes, config sections, templates and
// Redis function libraries. main.cpp asks here, so it never lists features one by one.
#pragma once

#include "server/config.hpp"
#include "server/router.hpp"
#include "server/templates.hpp"

#include <string_view>
#include <vector>

namespace bense::handlers {

void add_routes(server::Router& router);
server::SectionParsers config_sections();
std::vector<server::TemplateNeed> template_needs();
std::vector<std::string_view> redis_libraries();

}  // namespace bense::handlers
