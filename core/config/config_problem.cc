#include "core/config/config_problem.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace failover {
namespace {

// The length of the valid UTF-8 sequence of two to four bytes starting at text[i], or 0.
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  const bool overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

void AppendEscaped(absl::string_view text, std::string* out) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out->push_back(text[i++]);
      continue;
    }
    if (c >= 0x80) {
      if (const size_t length = Utf8SequenceLength(text, i); length > 0) {
        out->append(text.data() + i, length);
        i += length;
        continue;
      }
    }
    switch (c) {
      case '\0':
        out->append("\\0");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        absl::StrAppendFormat(out, "\\x%02X", c);
    }
    ++i;
  }
}

}  // namespace

std::string EscapeForMessage(absl::string_view text) {
  std::string out;
  AppendEscaped(text, &out);
  return out;
}

std::string ConfigProblem::Message() const {
  std::string out;
  if (!path.empty()) absl::StrAppend(&out, EscapeForMessage(path), ": ");
  if (value.has_value()) absl::StrAppend(&out, "'", EscapeForMessage(*value), "' ");
  absl::StrAppend(&out, expected);
  return out;
}

std::string ConfigProblem::ToString() const {
  std::string out = Message();
  if (!env_var.empty()) {
    if (env_var != path)
      absl::StrAppend(&out, " (from environment variable ", EscapeForMessage(env_var), ")");
  } else if (line > 0) {
    absl::StrAppend(&out, " (line ", line);
    if (column > 0) absl::StrAppend(&out, ", column ", column);
    absl::StrAppend(&out, ")");
  }
  return out;
}

std::string JoinProblems(const std::vector<ConfigProblem>& problems) {
  return absl::StrJoin(problems, "\n", [](std::string* out, const ConfigProblem& problem) {
    out->append(problem.ToString());
  });
}

}  // namespace failover
