#include "core/config/config_value.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace failover {

std::string CanonicalKey(absl::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '-' || c == '_') continue;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string CanonicalPath(absl::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '-' || c == '_') continue;
    out.push_back(c == '.' ? c : absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

absl::StatusOr<bool> ValueCodec<bool>::Parse(absl::string_view text) {
  // Spring's StringToBooleanConverter accepts these, in any case.
  text = absl::StripAsciiWhitespace(text);
  for (absl::string_view yes : {"true", "on", "yes", "1"}) {
    if (absl::EqualsIgnoreCase(text, yes)) return true;
  }
  for (absl::string_view no : {"false", "off", "no", "0"}) {
    if (absl::EqualsIgnoreCase(text, no)) return false;
  }
  return absl::InvalidArgumentError("is not a boolean (expected true or false)");
}

namespace {

template <typename Int>
absl::StatusOr<Int> ParseInteger(absl::string_view text, absl::string_view type_name) {
  text = absl::StripAsciiWhitespace(text);
  Int value = 0;
  if (absl::SimpleAtoi(text, &value)) return value;
  // Tell "too big" apart from "not a number": the former is all digits after an optional sign.
  absl::string_view digits = text;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  if (!digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(absl::StrCat("is out of range for ", type_name, " (expected ",
                                                   std::numeric_limits<Int>::min(), " to ",
                                                   std::numeric_limits<Int>::max(), ")"));
  }
  return absl::InvalidArgumentError("is not an integer");
}

}  // namespace

absl::StatusOr<int32_t> ValueCodec<int32_t>::Parse(absl::string_view text) {
  return ParseInteger<int32_t>(text, "int");
}

absl::StatusOr<int64_t> ValueCodec<int64_t>::Parse(absl::string_view text) {
  return ParseInteger<int64_t>(text, "long");
}

absl::StatusOr<double> ValueCodec<double>::Parse(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  double value = 0;
  if (text.empty() || !absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError("is not a number");
  }
  return value;
}

std::string ValueCodec<double>::Format(double value) {
  std::string out = absl::StrCat(value);
  // Keep a decimal point so 1 reads as a double ("1.0"), as the reference tables print it.
  if (out.find_first_of(".e") == std::string::npos) out.append(".0");
  return out;
}

absl::StatusOr<std::optional<absl::Duration>> ValueCodec<std::optional<absl::Duration>>::Parse(
    absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) return std::optional<absl::Duration>();
  absl::StatusOr<absl::Duration> duration = ParseConfigDuration(text);
  if (!duration.ok()) return duration.status();
  return std::optional<absl::Duration>(*duration);
}

}  // namespace failover
