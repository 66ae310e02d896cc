#include "core/metrics/export/internal/listen_address.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace failover {
namespace export_internal {
namespace {

absl::Status Invalid(absl::string_view property, absl::string_view listen,
                     absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(property, ": '", listen, "' ", problem, " (expected host:port or [ipv6]:port)"));
}

// strerror_r's GNU form returns the text (maybe not in `buffer`); thread-safe unlike strerror.
std::string ErrnoText(int error) {
  char buffer[128] = {};
  return strerror_r(error, buffer, sizeof(buffer));
}

// The outcome of binding (and listening on) one resolved address: 0 or an errno value.
int TryBind(const addrinfo& address) {
  const int fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol);
  if (fd < 0) return errno;
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  int error = 0;
  if (bind(fd, address.ai_addr, address.ai_addrlen) != 0 || listen(fd, 1) != 0) error = errno;
  close(fd);
  return error;
}

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view listen,
                                                 absl::string_view property) {
  const size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos) return Invalid(property, listen, "has no port");
  const absl::string_view port_text = listen.substr(colon + 1);
  ListenAddress address;
  if (port_text.empty() || !std::all_of(port_text.begin(), port_text.end(), absl::ascii_isdigit) ||
      port_text.size() > 5 || !absl::SimpleAtoi(port_text, &address.port) || address.port > 65535) {
    return Invalid(property, listen, "has no port number in 0..65535");
  }
  absl::string_view host = listen.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[")) {
    if (!absl::ConsumeSuffix(&host, "]")) return Invalid(property, listen, "has an unclosed '['");
  } else if (absl::StrContains(host, ':')) {
    return Invalid(property, listen, "has an IPv6 address without brackets");
  } else if (absl::StrContains(host, ']')) {
    return Invalid(property, listen, "has a ']' without '['");
  }
  if (host.empty()) return Invalid(property, listen, "names no host");
  address.host = std::string(host);
  return address;
}

std::string FormatHostPort(absl::string_view host, int port) {
  if (absl::StrContains(host, ':')) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

std::string DescribeBindFailure(const std::string& host, int port) {
  addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* resolved = nullptr;
  const std::string service = absl::StrCat(port);
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &resolved); rc != 0) {
    return absl::StrCat("cannot be resolved: ", gai_strerror(rc));
  }
  // The listener binds the first address that works, so report the first address's error.
  const int error = resolved != nullptr ? TryBind(*resolved) : 0;
  freeaddrinfo(resolved);
  if (error == EADDRINUSE) return "is in use";
  if (error == EADDRNOTAVAIL) return "is not an address of this machine";
  if (error != 0) return absl::StrCat("cannot be bound: ", ErrnoText(error));
  return "cannot be bound (it was free when checked again)";
}

}  // namespace export_internal
}  // namespace failover
