#include "naming-client/http_client.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace naming {

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(absl::string_view server) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("server address '", server, "': ", why));
  };
  absl::string_view host;
  absl::string_view port_text;
  if (!server.empty() && server.front() == '[') {
    const size_t close = server.find(']');
    if (close == absl::string_view::npos) return bad("'[' without ']'");
    host = server.substr(1, close - 1);
    if (close + 1 >= server.size() || server[close + 1] != ':') return bad("no ':port' after ']'");
    port_text = server.substr(close + 2);
  } else {
    const size_t colon = server.rfind(':');
    if (colon == absl::string_view::npos) return bad("no ':port'");
    host = server.substr(0, colon);
    port_text = server.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) return bad("IPv6 hosts must be in brackets");
  }
  if (host.empty()) return bad("empty host");
  int port = 0;
  if (!absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
    return bad(absl::StrCat("port '", port_text, "' is not a number in 1..65535"));
  }
  return std::make_pair(std::string(host), port);
}

}  // namespace naming
}  // namespace failover
