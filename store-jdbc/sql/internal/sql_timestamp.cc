#include "store-jdbc/sql/internal/sql_timestamp.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace {

constexpr char kMinText[] = "0001-01-01 00:00:00.000000";
constexpr char kMaxText[] = "9999-12-31 23:59:59.999999";
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): the hot
// path formats and parses two timestamps per row, and absl's time-zone machinery is slower.
constexpr int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct CivilDay {
  int64_t year, month, day;
};

// The inverse of DaysFromCivil (Hinnant's civil_from_days).
CivilDay CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int64_t month = shifted_month + (shifted_month < 10 ? 3 : -9);
  return {year_of_era + era * 400 + (month <= 2), month,
          day_of_year - (153 * shifted_month + 2) / 5 + 1};
}

constexpr int64_t kMinMicros = DaysFromCivil(1, 1, 1) * kMicrosPerDay;
constexpr int64_t kMaxMicros = DaysFromCivil(9999, 12, 31) * kMicrosPerDay + kMicrosPerDay - 1;

int64_t DaysInMonth(int64_t year, int64_t month) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Writes `value` as exactly `width` decimal digits at `start`.
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
  const int64_t micros = absl::ToUnixMicros(time);  // rounds down; saturates for infinities
  if (micros <= kMinMicros) return kMinText;
  if (micros >= kMaxMicros) return kMaxText;
  const int64_t days = micros / kMicrosPerDay - (micros % kMicrosPerDay < 0);
  const int64_t of_day = micros - days * kMicrosPerDay;
  const CivilDay date = CivilFromDays(days);
  const int64_t seconds = of_day / 1000000;
  std::string text(kMinText);
  char* out = text.data();
  PutDigits(date.year, 4, out);
  PutDigits(date.month, 2, out + 5);
  PutDigits(date.day, 2, out + 8);
  PutDigits(seconds / 3600, 2, out + 11);
  PutDigits(seconds / 60 % 60, 2, out + 14);
  PutDigits(seconds % 60, 2, out + 17);
  PutDigits(of_day % 1000000, 6, out + 20);
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
  if (day > DaysInMonth(year, month)) return invalid();
  const int64_t total = DaysFromCivil(year, month, day) * kMicrosPerDay +
                        ((hour * 60 + minute) * 60 + second) * 1000000 + micros;
  if (total <= kMinMicros) return absl::InfinitePast();
  if (total >= kMaxMicros) return absl::InfiniteFuture();
  return absl::FromUnixMicros(total);
}

}  // namespace failover
