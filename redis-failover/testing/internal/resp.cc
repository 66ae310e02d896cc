#include "redis-failover/testing/internal/resp.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace failover {
namespace redis_testing {
namespace internal {
namespace {

constexpr int kMaxDepth = 32;
constexpr int64_t kMaxBulkLength = int64_t{512} * 1024 * 1024;  // Redis' proto-max-bulk-len.
constexpr size_t kIncomplete = 0;  // Unambiguous: a complete reply takes at least 3 bytes.

absl::Status Malformed(absl::string_view data, size_t pos, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed RESP reply at byte ", pos, " (", what,
                                                 "): \"", absl::CHexEscape(data.substr(pos, 40)),
                                                 "\""));
}

// Parses the reply starting at `pos`; returns the position just past it, or kIncomplete.
absl::StatusOr<size_t> ParseAt(absl::string_view data, size_t pos, int depth, std::string* text,
                               bool* is_error) {
  if (depth > kMaxDepth) return Malformed(data, pos, "arrays nested too deeply");
  const size_t eol = data.find("\r\n", pos);
  if (eol == absl::string_view::npos) {
    // Reject garbage early rather than waiting for a line end that may never come.
    if (pos < data.size() &&
        absl::string_view("+-:$*").find(data[pos]) == absl::string_view::npos) {
      return Malformed(data, pos, "unknown type byte");
    }
    return kIncomplete;
  }
  if (eol == pos) return Malformed(data, pos, "empty line");
  const absl::string_view line = data.substr(pos + 1, eol - pos - 1);
  size_t next = eol + 2;
  int64_t n = 0;
  switch (data[pos]) {
    case '+':
      *text = std::string(line);
      return next;
    case '-':
      *text = absl::StrCat("-", line);
      *is_error = true;
      return next;
    case ':':
      if (!absl::SimpleAtoi(line, &n)) return Malformed(data, pos, "bad integer");
      *text = absl::StrCat(n);
      return next;
    case '$':
      if (!absl::SimpleAtoi(line, &n) || n < -1 || n > kMaxBulkLength) {
        return Malformed(data, pos, "bad bulk length");
      }
      if (n == -1) {
        *text = "(nil)";
        return next;
      }
      if (data.size() < next + n + 2) return kIncomplete;
      if (data.substr(next + n, 2) != "\r\n") return Malformed(data, pos, "bulk not CRLF-ended");
      *text = std::string(data.substr(next, n));
      return next + n + 2;
    case '*': {
      if (!absl::SimpleAtoi(line, &n) || n < -1) return Malformed(data, pos, "bad array length");
      if (n == -1) {
        *text = "(nil)";
        return next;
      }
      if (n == 0) {
        *text = "(empty array)";
        return next;
      }
      std::vector<std::string> elements;
      for (int64_t i = 0; i < n; ++i) {
        std::string element;
        bool element_is_error = false;  // Shown by its "-"; only the top level sets is_error.
        absl::StatusOr<size_t> end = ParseAt(data, next, depth + 1, &element, &element_is_error);
        if (!end.ok() || *end == kIncomplete) return end;
        elements.push_back(std::move(element));
        next = *end;
      }
      *text = absl::StrJoin(elements, "\n");
      return next;
    }
    default:
      return Malformed(data, pos, "unknown type byte");
  }
}

}  // namespace

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string wire = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) absl::StrAppend(&wire, "$", arg.size(), "\r\n", arg, "\r\n");
  return wire;
}

absl::StatusOr<size_t> ParseReply(absl::string_view data, RespReply* reply) {
  RespReply parsed;
  absl::StatusOr<size_t> end = ParseAt(data, 0, 0, &parsed.text, &parsed.is_error);
  if (end.ok() && *end != kIncomplete) *reply = std::move(parsed);
  return end;
}

}  // namespace internal
}  // namespace redis_testing
}  // namespace failover
