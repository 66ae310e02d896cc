#include "store-jdbc/sql/internal/sql_timestamp.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace {

constexpr char kMinText[] = "0001-01-01 00:00:00.000000";
constexpr char kMaxText[] = "9999-12-31 23:59:59.999999";

absl::Time MinTime() {
  return absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
}
absl::Time MaxTime() {
  return absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone()) +
         absl::Microseconds(999999);
}

// Writes `value` as exactly `width` decimal digits ending just before `end`.
void PutDigits(int64_t value, int width, char* start) {
  for (int i = width - 1; i >= 0; --i) {
    start[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Reads exactly `width` digits at text[pos]; -1 if any is not a digit.
int64_t GetDigits(absl::string_view text, size_t pos, int width) {
  if (pos + width > text.size()) return -1;
  int64_t value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string FormatSqlTimestamp(absl::Time time) {
  if (time <= MinTime()) return kMinText;
  if (time >= MaxTime()) return kMaxText;
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond civil = absl::ToCivilSecond(time, utc);
  const int64_t micros = absl::ToInt64Microseconds(time - absl::FromCivil(civil, utc));
  std::string text(kMinText);
  char* out = text.data();
  PutDigits(civil.year(), 4, out);
  PutDigits(civil.month(), 2, out + 5);
  PutDigits(civil.day(), 2, out + 8);
  PutDigits(civil.hour(), 2, out + 11);
  PutDigits(civil.minute(), 2, out + 14);
  PutDigits(civil.second(), 2, out + 17);
  PutDigits(micros, 6, out + 20);
  return text;
}

absl::StatusOr<absl::Time> ParseSqlTimestamp(absl::string_view text) {
  const auto invalid = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp '", text, "' is not 'YYYY-MM-DD HH:MM:SS[.ffffff]'"));
  };
  const int64_t year = GetDigits(text, 0, 4), month = GetDigits(text, 5, 2),
                day = GetDigits(text, 8, 2), hour = GetDigits(text, 11, 2),
                minute = GetDigits(text, 14, 2), second = GetDigits(text, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') {
    return invalid();
  }
  int64_t micros = 0;
  if (text.size() > 19) {
    const size_t digits = text.size() - 20;
    if (text[19] != '.' || digits < 1 || digits > 9) return invalid();
    const int64_t fraction = GetDigits(text, 20, static_cast<int>(digits));
    if (fraction < 0) return invalid();
    micros = fraction;
    for (size_t i = digits; i < 6; ++i) micros *= 10;
    for (size_t i = 6; i < digits; ++i) micros /= 10;
  }
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  if (civil.day() != day) return invalid();  // e.g. 02-30 normalised to March
  const absl::Time time = absl::FromCivil(civil, absl::UTCTimeZone()) + absl::Microseconds(micros);
  if (time <= MinTime()) return absl::InfinitePast();
  if (time >= MaxTime()) return absl::InfiniteFuture();
  return time;
}

}  // namespace failover
