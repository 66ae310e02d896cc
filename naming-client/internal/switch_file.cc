#include "naming-client/internal/switch_file.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace naming_internal {
namespace {

// Java's String.trim(): strips every character up to and including ' ' from both ends.
absl::string_view JavaTrim(absl::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

absl::StatusOr<naming::FailoverSwitch> ParseSwitchFile(absl::string_view content) {
  absl::ConsumePrefix(&content, "\xEF\xBB\xBF");
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    line = JavaTrim(line);
    if (line == "1" || line == "0") {
      naming::FailoverSwitch result;
      result.enabled = line == "1";
      result.reason = absl::StrCat("line ", line_number, " is '", line, "'");
      return result;
    }
  }
  if (JavaTrim(content).empty()) {
    return absl::InvalidArgumentError("is empty (expected a line '1' for on or '0' for off)");
  }
  const absl::string_view first = JavaTrim(content).substr(0, content.find('\n'));
  return absl::InvalidArgumentError(
      absl::StrCat("has no line that is '1' (on) or '0' (off); it starts with '",
                   JavaTrim(first.substr(0, 40)), first.size() > 40 ? "...'" : "'"));
}

}  // namespace naming_internal
}  // namespace failover
