#include "naming-client/internal/java_url_coding.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "naming-client/internal/utf8.h"

namespace failover {
namespace naming_internal {
namespace {

bool KeptAsIs(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '*' || c == '_';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string JavaUrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (KeptAsIs(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

absl::StatusOr<std::string> JavaUrlDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(absl::StrCat("'%' at offset ", i,
                                                       " is not followed by two hex digits (\"",
                                                       text.substr(i, 3), "\")"));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  if (!IsValidUtf8(out)) {
    return absl::InvalidArgumentError("decodes to bytes that are not UTF-8");
  }
  return out;
}

}  // namespace naming_internal
}  // namespace failover
