// One coroutine per connection: read a request (header first, so the route's body limit
// applies before the body is read), dispatch it, write the response; repeat while keep-alive.
#pragma once

#include "server/net.hpp"

namespace bense::server {

class Worker;

net::awaitable<void> run_session(Worker& worker, tcp::socket socket);
// Answers 503 server.busy and closes: the connection limit is reached.
net::awaitable<void> reject_busy(Worker& worker, tcp::socket socket);

}  // namespace bense::server
