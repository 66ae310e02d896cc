#include "redis-failover/redis_uri.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {
namespace {

absl::Status Bad(absl::string_view uri, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("redis URI '", RedactRedisUri(uri), "': ", what,
                                                 " (expected redis://[user:password@]host[:port]"
                                                 "[/db])"));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

absl::Status ParseUserInfo(absl::string_view uri, absl::string_view userinfo, RedisAddress* a) {
  const size_t colon = userinfo.find(':');
  const absl::string_view user = userinfo.substr(0, colon);
  const absl::string_view password =
      colon == absl::string_view::npos ? absl::string_view() : userinfo.substr(colon + 1);
  if (!PercentDecode(user, &a->user)) return Bad(uri, "bad %-escape in the user name");
  if (!PercentDecode(password, &a->password)) return Bad(uri, "bad %-escape in the password");
  if (!a->user.empty() && a->password.empty()) {
    return Bad(uri, "a user name needs a password");
  }
  return absl::OkStatus();
}

absl::Status ParseHostPort(absl::string_view uri, absl::string_view hostport, RedisAddress* a) {
  absl::string_view port_text;
  bool has_port = false;
  if (absl::StartsWith(hostport, "[")) {
    const size_t close = hostport.find(']');
    if (close == absl::string_view::npos) return Bad(uri, "unclosed '[' in the IPv6 address");
    a->host = std::string(hostport.substr(1, close - 1));
    const absl::string_view rest = hostport.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return Bad(uri, "unexpected text after ']'");
    has_port = !rest.empty();
    if (has_port) port_text = rest.substr(1);
  } else {
    const size_t colon = hostport.find(':');
    a->host = std::string(hostport.substr(0, colon));
    has_port = colon != absl::string_view::npos;
    if (has_port) port_text = hostport.substr(colon + 1);
  }
  if (a->host.empty()) return Bad(uri, "missing host");
  for (char c : a->host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '_') {
      return Bad(uri, absl::StrCat("host '", a->host, "' contains '", std::string(1, c), "'"));
    }
  }
  if (has_port) {
    int port = 0;
    if (!absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
      return Bad(uri, absl::StrCat("port '", port_text, "' is not in 1..65535"));
    }
    a->port = port;
  }
  return absl::OkStatus();
}

}  // namespace

std::string RedactRedisUri(absl::string_view text) {
  const size_t at = text.rfind('@');
  if (at == absl::string_view::npos) return std::string(text);
  size_t start = text.find("://");
  start = (start == absl::string_view::npos || start > at) ? 0 : start + 3;
  const size_t colon = text.substr(start, at - start).find(':');
  const size_t keep = colon == absl::string_view::npos ? start : start + colon + 1;
  return absl::StrCat(text.substr(0, keep), "****", text.substr(at));
}

std::string RedisAddress::ToString() const {
  std::string s = "redis://";
  if (!user.empty() || !password.empty()) absl::StrAppend(&s, user, ":****@");
  const bool ipv6 = host.find(':') != std::string::npos;
  absl::StrAppend(&s, ipv6 ? "[" : "", host, ipv6 ? "]" : "", ":", port);
  if (db != 0) absl::StrAppend(&s, "/", db);
  return s;
}

absl::StatusOr<RedisAddress> ParseRedisUri(absl::string_view uri) {
  constexpr absl::string_view kScheme = "redis://";
  if (absl::StartsWithIgnoreCase(uri, "rediss://")) {
    return Bad(uri, "TLS (rediss://) is not supported by this client");
  }
  if (absl::StartsWithIgnoreCase(uri, "unix://")) {
    return Bad(uri, "unix sockets are not supported; use a TCP address");
  }
  if (!absl::StartsWithIgnoreCase(uri, kScheme)) return Bad(uri, "must start with redis://");
  absl::string_view rest = uri.substr(kScheme.size());
  if (rest.find_first_of("?#") != absl::string_view::npos) {
    return Bad(uri, "query parameters and fragments are not supported");
  }
  RedisAddress address;
  const size_t slash = rest.find('/');
  const absl::string_view authority = rest.substr(0, slash);
  if (slash != absl::string_view::npos) {
    const absl::string_view db_text = rest.substr(slash + 1);
    if (!db_text.empty() && (!absl::SimpleAtoi(db_text, &address.db) || address.db < 0)) {
      return Bad(uri, absl::StrCat("database '", db_text, "' is not a number >= 0"));
    }
  }
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    if (absl::Status s = ParseUserInfo(uri, authority.substr(0, at), &address); !s.ok()) return s;
  }
  const absl::string_view hostport =
      at == absl::string_view::npos ? authority : authority.substr(at + 1);
  if (absl::Status s = ParseHostPort(uri, hostport, &address); !s.ok()) return s;
  return address;
}

}  // namespace redis
}  // namespace failover
