// The list of features. A feature joins the service by adding itself to these functions.
#include "handlers/module.hpp"

namespace bense::handlers {

void add_routes(server::Router&) {}

server::SectionParsers config_sections() { return {}; }

std::vector<server::TemplateNeed> template_needs() { return {}; }

std::vector<std::string_view> redis_libraries() { return {}; }

}  // namespace bense::handlers
