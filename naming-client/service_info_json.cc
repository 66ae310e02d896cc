// Parsing. Protobuf's JSON parser (google/protobuf/util/json_util.h) does the work: with
// ignore_unknown_fields it already takes everything the Nacos files contain (numbers and
// booleans as strings, integer weights, null as absent, both "allIPs" and "allIps" thanks to the
// field's name / json_name pair in naming.proto), and it names the field path when a value is
// wrong. A hand-written parser would have to re-earn all of that. What it cannot do is added
// here: a byte-order mark, a line and column for syntax errors (3.21 reports only a snippet of
// the input around the error), and the range checks Nacos data needs. Serialisation is in
// service_info_json_writer.cc.
#include "naming-client/service_info_json.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace failover {
namespace naming {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

// "line L, column C" (1-based, columns in bytes) of byte `offset` of `text`.
std::string LineAndColumn(absl::string_view text, size_t offset) {
  const absl::string_view before = text.substr(0, offset);
  const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const size_t last_newline = before.rfind('\n');
  const size_t column =
      last_newline == absl::string_view::npos ? offset + 1 : offset - last_newline;
  return absl::StrCat("line ", line, ", column ", column);
}

// Turns protobuf's syntax error "<what>\n<snippet>\n<spaces>^" into "line L, column C: <what>".
// Protobuf 3.21 gives no offset, only a snippet of up to 20 bytes either side of the error (or
// of the unconsumed tail when the input ran out, then often empty), with a caret under the
// error. The snippet is located in the input: as its suffix when it is one (always true near the
// end), else where it occurs exactly once. Keeps <what> alone when it cannot be located.
std::string DescribeSyntaxError(absl::string_view input, absl::string_view error) {
  const size_t first_newline = error.find('\n');
  const size_t last_newline = error.rfind('\n');
  if (first_newline == absl::string_view::npos || first_newline == last_newline) {
    return std::string(error);
  }
  const absl::string_view what = error.substr(0, first_newline);
  const absl::string_view snippet =
      error.substr(first_newline + 1, last_newline - first_newline - 1);
  const size_t caret = error.substr(last_newline + 1).find('^');
  if (caret == absl::string_view::npos) return std::string(what);
  size_t offset;
  if (absl::EndsWith(input, snippet)) {
    offset = input.size() - snippet.size() + caret;
  } else {
    const size_t found = input.find(snippet);
    if (found == absl::string_view::npos ||
        input.find(snippet, found + 1) != absl::string_view::npos) {
      return std::string(what);
    }
    offset = found + caret;
  }
  const size_t content_end = absl::StripTrailingAsciiWhitespace(input).size();
  if (offset >= content_end) {
    // The document stops early, typically a truncated file.
    return absl::StrCat(LineAndColumn(input, content_end), " (end of input): ", what);
  }
  return absl::StrCat(LineAndColumn(input, offset), ": ", what);
}

// A protobuf field path ("hosts[0].cluster_name") in the JSON names the file uses
// ("hosts[0].clusterName").
std::string JsonFieldPath(absl::string_view proto_path) {
  std::string path;
  for (size_t i = 0; i < proto_path.size(); ++i) {
    if (proto_path[i] == '_' && i + 1 < proto_path.size() &&
        absl::ascii_islower(proto_path[i + 1])) {
      path.push_back(absl::ascii_toupper(proto_path[++i]));
    } else {
      path.push_back(proto_path[i]);
    }
  }
  return path;
}

bool IsFieldPath(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '[' || c == ']';
  });
}

// Protobuf's messages for a well-formed document with a bad value name the field in one of
// three ways: "(hosts[0].port): invalid value ...", "(hosts[0]) cluster_name: Proto field is not
// repeating...", "name: Proto field...". Each becomes "<json path>: <what>".
std::string DescribeParseError(absl::string_view input, absl::string_view error) {
  if (absl::StartsWith(error, ": Root element must be a message")) {
    return "the document is not a JSON object";
  }
  if (error.find('\n') == absl::string_view::npos) {
    std::string path;
    absl::string_view rest = error;
    if (absl::ConsumePrefix(&rest, "(")) {
      const size_t close = rest.find(')');
      if (close == absl::string_view::npos) return std::string(error);
      path = std::string(rest.substr(0, close));
      rest.remove_prefix(close + 1);
      if (absl::ConsumePrefix(&rest, " ")) absl::StrAppend(&path, ".");
    }
    const size_t colon = rest.find(": ");
    if (colon != absl::string_view::npos && IsFieldPath(rest.substr(0, colon))) {
      absl::StrAppend(&path, rest.substr(0, colon));
      rest.remove_prefix(colon);
    }
    if (!path.empty() && absl::StartsWith(rest, ": ")) {
      return absl::StrCat(JsonFieldPath(path), rest);
    }
    return std::string(error);
  }
  return DescribeSyntaxError(input, error);
}

absl::Status ValidateInstance(const v1::Instance& host, int index) {
  if (!std::isfinite(host.weight()) || host.weight() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("hosts[", index, "].weight: ", host.weight(),
                     " is not a weight (expected a finite number >= 0)"));
  }
  if (host.port() < 0 || host.port() > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("hosts[", index, "].port: ", host.port(), " is outside 0..65535"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ServiceInfo> ParseServiceInfoJson(absl::string_view json) {
  if (absl::StartsWith(json, kUtf8Bom)) json.remove_prefix(kUtf8Bom.size());
  if (absl::StripAsciiWhitespace(json).empty()) {
    return absl::InvalidArgumentError("empty document (expected a ServiceInfo JSON object)");
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  v1::ServiceInfo info;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &info, options);
  if (!status.ok()) {
    const auto message = status.message();
    return absl::InvalidArgumentError(
        DescribeParseError(json, absl::string_view(message.data(), message.size())));
  }
  for (int i = 0; i < info.hosts_size(); ++i) {
    absl::Status valid = ValidateInstance(info.hosts(i), i);
    if (!valid.ok()) return valid;
  }
  return info;
}

}  // namespace naming
}  // namespace failover
