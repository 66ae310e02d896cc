#include "core/config/duration_text.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace {

constexpr absl::string_view kNotADuration =
    "is not a duration (expected e.g. 500ms, 10s, 7d or PT10S)";

struct Unit {
  absl::string_view suffix;
  absl::Duration size;
};

// Largest first, for formatting.
const Unit kUnits[] = {
    {"d", absl::Hours(24)},       {"h", absl::Hours(1)},         {"m", absl::Minutes(1)},
    {"s", absl::Seconds(1)},      {"ms", absl::Milliseconds(1)}, {"us", absl::Microseconds(1)},
    {"ns", absl::Nanoseconds(1)},
};

absl::Status NotADuration() { return absl::InvalidArgumentError(kNotADuration); }

// absl saturates to an infinite duration on overflow; a configuration value never may.
absl::StatusOr<absl::Duration> Finite(absl::Duration duration) {
  if (duration == absl::InfiniteDuration() || duration == -absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("is too large for a duration");
  }
  return duration;
}

absl::StatusOr<absl::Duration> Scale(int64_t count, absl::Duration unit) {
  return Finite(count * unit);
}

// "[+-]digits" at the front of `text`; advances it. False when there are no digits.
bool ConsumeInteger(absl::string_view& text, int64_t* value) {
  size_t end = 0;
  if (end < text.size() && (text[end] == '+' || text[end] == '-')) ++end;
  const size_t digits_start = end;
  while (end < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == digits_start) return false;
  absl::string_view number = text.substr(0, end);
  if (!number.empty() && number[0] == '+') number.remove_prefix(1);
  if (!absl::SimpleAtoi(number, value)) return false;
  text.remove_prefix(end);
  return true;
}

absl::StatusOr<absl::Duration> ParseSimple(absl::string_view text) {
  int64_t count = 0;
  if (!ConsumeInteger(text, &count)) return NotADuration();
  if (text.empty()) return Scale(count, absl::Milliseconds(1));
  for (const Unit& unit : kUnits) {
    if (absl::EqualsIgnoreCase(text, unit.suffix)) return Scale(count, unit.size);
  }
  return NotADuration();
}

// Seconds with an optional fraction of up to 9 digits ("1.5", "-0,25"); text ends before 'S'.
absl::StatusOr<absl::Duration> ParseIsoSeconds(absl::string_view text) {
  const size_t point = text.find_first_of(".,");
  absl::string_view whole = text.substr(0, point);
  int64_t seconds = 0;
  if (!ConsumeInteger(whole, &seconds) || !whole.empty()) return NotADuration();
  absl::StatusOr<absl::Duration> result = Scale(seconds, absl::Seconds(1));
  if (point == absl::string_view::npos || !result.ok()) return result;
  absl::string_view fraction = text.substr(point + 1);
  if (fraction.size() > 9) return NotADuration();
  int64_t nanos = 0;
  for (size_t i = 0; i < 9; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return NotADuration();
    nanos = nanos * 10 + (c - '0');
  }
  const bool negative = !text.empty() && text[0] == '-';
  return Finite(*result + (negative ? -1 : 1) * absl::Nanoseconds(nanos));
}

absl::StatusOr<absl::Duration> ParseIso(absl::string_view text) {
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || absl::ascii_toupper(static_cast<unsigned char>(text[0])) != 'P') {
    return NotADuration();
  }
  text.remove_prefix(1);
  const std::string upper = absl::AsciiStrToUpper(text);
  absl::string_view rest = upper;
  absl::Duration total;
  bool any = false;
  // Components in order: D, then after 'T': H, M, S. Each is optional, at least one is required.
  const size_t t = rest.find('T');
  absl::string_view date = rest.substr(0, t);
  if (!date.empty()) {
    int64_t days = 0;
    if (!ConsumeInteger(date, &days) || date != "D") return NotADuration();
    absl::StatusOr<absl::Duration> d = Scale(days, absl::Hours(24));
    if (!d.ok()) return d;
    total += *d;  // the first part: cannot overflow
    any = true;
  }
  if (t != absl::string_view::npos) {
    absl::string_view time = rest.substr(t + 1);
    if (time.empty()) return NotADuration();
    for (const Unit& unit : {Unit{"H", absl::Hours(1)}, Unit{"M", absl::Minutes(1)}}) {
      int64_t count = 0;
      absl::string_view probe = time;
      if (!ConsumeInteger(probe, &count) || probe.empty() || probe[0] != unit.suffix[0]) continue;
      absl::StatusOr<absl::Duration> part = Scale(count, unit.size);
      if (!part.ok()) return part;
      absl::StatusOr<absl::Duration> sum = Finite(total + *part);
      if (!sum.ok()) return sum;
      total = *sum;
      time = probe.substr(1);
      any = true;
    }
    if (!time.empty()) {
      if (time.back() != 'S') return NotADuration();
      absl::StatusOr<absl::Duration> seconds = ParseIsoSeconds(time.substr(0, time.size() - 1));
      if (!seconds.ok()) return seconds;
      absl::StatusOr<absl::Duration> sum = Finite(total + *seconds);
      if (!sum.ok()) return sum;
      total = *sum;
      any = true;
    }
  }
  if (!any) return NotADuration();
  return negative ? Finite(-total) : total;
}

}  // namespace

absl::StatusOr<absl::Duration> ParseConfigDuration(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return NotADuration();
  const size_t first = (text[0] == '+' || text[0] == '-') ? 1 : 0;
  if (first < text.size() && (text[first] == 'P' || text[first] == 'p')) return ParseIso(text);
  return ParseSimple(text);
}

std::string FormatConfigDuration(absl::Duration duration) {
  if (duration == absl::InfiniteDuration()) return "infinite";
  if (duration == -absl::InfiniteDuration()) return "-infinite";
  if (duration == absl::ZeroDuration()) return "0s";
  for (const Unit& unit : kUnits) {
    absl::Duration remainder;
    const int64_t count = absl::IDivDuration(duration, unit.size, &remainder);
    // The product check catches a count that saturated (over 292 years in nanoseconds).
    if (remainder == absl::ZeroDuration() && count * unit.size == duration) {
      return absl::StrCat(count, unit.suffix);
    }
  }
  // Too long for a whole count of a fine unit: ISO-8601 seconds with a fraction, which whole
  // seconds of any finite duration fit.
  const bool negative = duration < absl::ZeroDuration();
  const absl::Duration magnitude = negative ? -duration : duration;
  absl::Duration fraction;
  const int64_t seconds = absl::IDivDuration(magnitude, absl::Seconds(1), &fraction);
  absl::Duration sub_nanos;
  const int64_t nanos = absl::IDivDuration(fraction, absl::Nanoseconds(1), &sub_nanos);
  if (magnitude == absl::InfiniteDuration() || sub_nanos != absl::ZeroDuration()) {
    // Below a nanosecond, which no configuration text can express; absl's own notation.
    return absl::FormatDuration(duration);
  }
  return absl::StrCat(negative ? "-" : "", "PT", seconds, ".", absl::Dec(nanos, absl::kZeroPad9),
                      "S");
}

}  // namespace failover
