// A Redis command in the wire format (RESP): "*<n>\r\n" and then "$<len>\r\n<arg>\r\n" per
// argument. hiredis would build the same bytes with sdscatfmt, one format string an argument,
// which cost about as much as the rest of a command's trip through the client.
#pragma once

#include <string>
#include <vector>

namespace bense::server {

std::string resp_command(std::vector<std::string> const& argv);

}  // namespace bense::server
