// The HttpClient (http_client.h) the naming client uses in production, over cpp-httplib. Only its
// implementation (internal/httplib_client.cc) includes httplib.h.
//
//   std::unique_ptr<failover::naming::HttpClient> http = failover::naming::NewHttplibClient();
#ifndef FAILOVER_NAMING_CLIENT_HTTPLIB_CLIENT_H_
#define FAILOVER_NAMING_CLIENT_HTTPLIB_CLIENT_H_

#include <memory>

#include "naming-client/http_client.h"

namespace failover {
namespace naming {

// One TCP connection per request (no keep-alive): the naming client polls every few seconds, so
// a fresh connection costs little and never meets a socket the server closed. Plain HTTP only.
// A read that fails after at least the request timeout is DEADLINE_EXCEEDED, earlier it is
// UNAVAILABLE (httplib reports both the same way). Thread-safe; shares nothing between calls.
std::unique_ptr<HttpClient> NewHttplibClient();

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_HTTPLIB_CLIENT_H_
