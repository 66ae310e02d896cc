#include "core/scheduling/internal/cron_field.h"

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace cron_internal {
namespace {

constexpr std::array<absl::string_view, 12> kMonthNames = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
// Spring numbers days from MON = 1 to SUN = 7.
constexpr std::array<absl::string_view, 7> kDayNames = {"MON", "TUE", "WED", "THU",
                                                        "FRI", "SAT", "SUN"};

struct Bounds {
  int min;       // smallest value accepted in the text
  int max;       // largest value accepted in the text
  int star_min;  // what '*' starts from (day-of-week: 1, as in Spring)
};

Bounds BoundsOf(FieldKind kind) {
  switch (kind) {
    case FieldKind::kSecond:
    case FieldKind::kMinute:
      return {0, 59, 0};
    case FieldKind::kHour:
      return {0, 23, 0};
    case FieldKind::kDayOfMonth:
      return {1, 31, 1};
    case FieldKind::kMonth:
      return {1, 12, 1};
    case FieldKind::kDayOfWeek:
      return {0, 7, 1};
  }
  return {0, 0, 0};
}

bool AllDigits(absl::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int ToInt(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Builds errors that name the field and its text: "<field> '<text>': <problem>".
class FieldErrors {
 public:
  FieldErrors(FieldKind kind, absl::string_view text) : kind_(kind), text_(text) {}
  absl::Status operator()(absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(FieldName(kind_), " '", text_, "': ", problem));
  }

 private:
  FieldKind kind_;
  absl::string_view text_;
};

// A number or (month, day-of-week) a three-letter name, within the field's bounds.
absl::StatusOr<int> ParseValue(absl::string_view part, FieldKind kind, const FieldErrors& error) {
  const Bounds bounds = BoundsOf(kind);
  int value = -1;
  if (AllDigits(part)) {
    value = ToInt(part);
  } else if (kind == FieldKind::kMonth || kind == FieldKind::kDayOfWeek) {
    const absl::string_view* names =
        kind == FieldKind::kMonth ? kMonthNames.data() : kDayNames.data();
    const int count = kind == FieldKind::kMonth ? 12 : 7;
    for (int i = 0; i < count; ++i) {
      if (absl::EqualsIgnoreCase(part, names[i])) value = i + 1;
    }
    if (value < 0) {
      return error(
          absl::StrCat("'", part, "' is not a number or a ",
                       kind == FieldKind::kMonth ? "month name (JAN-DEC)" : "day name (MON-SUN)"));
    }
  } else {
    return error(absl::StrCat("'", part, "' is not a number"));
  }
  if (value < bounds.min || value > bounds.max) {
    return error(absl::StrCat(part, " is out of range ", bounds.min, "-", bounds.max));
  }
  return value;
}

// "*", "v", "a-b", each optionally followed by "/step"; sets the matching bits.
absl::Status ParseRangeElement(absl::string_view element, FieldKind kind, const FieldErrors& error,
                               uint64_t& bits) {
  const Bounds bounds = BoundsOf(kind);
  absl::string_view range = element;
  int step = 1;
  const size_t slash = element.find('/');
  if (slash != absl::string_view::npos) {
    range = element.substr(0, slash);
    const absl::string_view step_text = element.substr(slash + 1);
    if (!AllDigits(step_text)) return error(absl::StrCat("step '", step_text, "' is not a number"));
    step = ToInt(step_text);
    if (step < 1) return error("step must be at least 1");
  }
  int lo = bounds.star_min;
  int hi = bounds.max;
  if (range != "*") {
    const size_t dash = range.find('-');
    absl::StatusOr<int> first = ParseValue(range.substr(0, dash), kind, error);
    if (!first.ok()) return first.status();
    lo = *first;
    if (dash != absl::string_view::npos) {
      absl::StatusOr<int> last = ParseValue(range.substr(dash + 1), kind, error);
      if (!last.ok()) return last.status();
      hi = *last;
      // As in Spring, Sunday as the start of a range means 0, so SUN-TUE is 0-2.
      if (kind == FieldKind::kDayOfWeek && lo == 7) lo = 0;
      if (lo > hi) return error(absl::StrCat("range start ", lo, " is after its end ", hi));
    } else if (slash == absl::string_view::npos) {
      hi = lo;  // "v" alone; "v/step" runs to the field's maximum.
    }
  }
  for (int v = lo; v <= hi; v += step) bits |= uint64_t{1} << v;
  return absl::OkStatus();
}

// `upper` is `element` in upper case (same length); messages quote `element`.
absl::StatusOr<DayRule> ParseDayOfMonthRule(absl::string_view upper, absl::string_view element,
                                            const FieldErrors& error) {
  if (upper == "L") return DayRule{DayRule::Kind::kLastDay};
  if (upper == "LW") return DayRule{DayRule::Kind::kLastWeekday};
  if (absl::StartsWith(upper, "L-")) {
    const absl::string_view n = element.substr(2);
    if (!AllDigits(n) || ToInt(n) < 1 || ToInt(n) > 30) {
      return error(absl::StrCat("'", element, "': the offset in L-n must be 1-30"));
    }
    return DayRule{DayRule::Kind::kLastDayMinus, ToInt(n)};
  }
  if (upper.size() > 1 && absl::EndsWith(upper, "W") && !absl::StrContains(upper, "L")) {
    const absl::string_view n = element.substr(0, element.size() - 1);
    if (!AllDigits(n) || ToInt(n) < 1 || ToInt(n) > 31) {
      return error(absl::StrCat("'", element, "': the day in nW must be 1-31"));
    }
    return DayRule{DayRule::Kind::kNearestWeekday, ToInt(n)};
  }
  return error(absl::StrCat("'", element, "' is not L, L-n, LW or nW"));
}

absl::StatusOr<DayRule> ParseDayOfWeekRule(absl::string_view upper, absl::string_view element,
                                           const FieldErrors& error) {
  const size_t hash = element.find('#');
  if (hash != absl::string_view::npos) {
    absl::StatusOr<int> day = ParseValue(element.substr(0, hash), FieldKind::kDayOfWeek, error);
    if (!day.ok()) return day.status();
    const absl::string_view n = element.substr(hash + 1);
    if (!AllDigits(n) || ToInt(n) < 1 || ToInt(n) > 5) {
      return error(absl::StrCat("'", element, "': the ordinal in d#n must be 1-5"));
    }
    return DayRule{DayRule::Kind::kNthOfWeekday, *day % 7, ToInt(n)};
  }
  if (upper.size() < 2 || !absl::EndsWith(upper, "L")) {
    return error(absl::StrCat("'", element, "' is not dL or d#n (e.g. 5L, FRIL, MON#1)"));
  }
  absl::StatusOr<int> day =
      ParseValue(element.substr(0, element.size() - 1), FieldKind::kDayOfWeek, error);
  if (!day.ok()) return day.status();
  return DayRule{DayRule::Kind::kLastOfWeekday, *day % 7};
}

bool IsDayRule(absl::string_view element, FieldKind kind) {
  if (kind == FieldKind::kDayOfMonth) {
    return absl::StrContains(element, "L") || absl::StrContains(element, "W");
  }
  if (kind == FieldKind::kDayOfWeek) {
    return absl::StrContains(element, "#") || absl::EndsWith(element, "L");
  }
  return false;
}

absl::CivilDay LastDayOfMonth(absl::CivilDay day) {
  return absl::CivilDay(absl::CivilMonth(day) + 1) - 1;
}

int NearestWeekday(absl::CivilDay day_n, int last) {
  const int weekday = CronWeekday(day_n);
  const int n = day_n.day();
  if (weekday == 6) return n == 1 ? n + 2 : n - 1;     // Saturday: Friday, or Monday the 3rd
  if (weekday == 0) return n == last ? n - 2 : n + 1;  // Sunday: Monday, or Friday at month end
  return n;
}

}  // namespace

absl::string_view FieldName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kSecond:
      return "second";
    case FieldKind::kMinute:
      return "minute";
    case FieldKind::kHour:
      return "hour";
    case FieldKind::kDayOfMonth:
      return "day-of-month";
    case FieldKind::kMonth:
      return "month";
    case FieldKind::kDayOfWeek:
      return "day-of-week";
  }
  return "field";
}

int CronWeekday(absl::CivilDay day) {
  // absl numbers Monday 0 .. Sunday 6; cron numbers Sunday 0 .. Saturday 6.
  return (static_cast<int>(absl::GetWeekday(day)) + 1) % 7;
}

bool DayRule::Matches(absl::CivilDay day) const {
  const absl::CivilDay last_day = LastDayOfMonth(day);
  const int last = last_day.day();
  switch (kind) {
    case Kind::kLastDay:
      return day.day() == last;
    case Kind::kLastDayMinus:
      return day.day() == last - value;
    case Kind::kLastWeekday: {
      const int weekday = CronWeekday(last_day);
      const int shift = weekday == 6 ? 1 : weekday == 0 ? 2 : 0;
      return day.day() == last - shift;
    }
    case Kind::kNearestWeekday:
      if (value > last) return false;
      return day.day() == NearestWeekday(absl::CivilDay(day.year(), day.month(), value), last);
    case Kind::kLastOfWeekday:
      return CronWeekday(day) == value && day.day() + 7 > last;
    case Kind::kNthOfWeekday:
      return CronWeekday(day) == value && (day.day() - 1) / 7 + 1 == ordinal;
  }
  return false;
}

int CronField::NextSetBit(int from) const {
  if (from < 0) from = 0;
  if (from >= 64) return -1;
  const uint64_t rest = bits & (~uint64_t{0} << from);
  return rest == 0 ? -1 : __builtin_ctzll(rest);
}

absl::StatusOr<CronField> ParseCronField(absl::string_view text, FieldKind kind) {
  const FieldErrors error(kind, text);
  const bool day_field = kind == FieldKind::kDayOfMonth || kind == FieldKind::kDayOfWeek;
  absl::string_view value = text;
  if (value == "?") {
    if (!day_field) return error("'?' is allowed only in day-of-month and day-of-week");
    value = "*";
  }
  CronField field;
  for (absl::string_view element : absl::StrSplit(value, ',')) {
    if (element.empty()) return error("empty element in list");
    const std::string upper = absl::AsciiStrToUpper(element);
    if (day_field && IsDayRule(upper, kind)) {
      absl::StatusOr<DayRule> rule = kind == FieldKind::kDayOfMonth
                                         ? ParseDayOfMonthRule(upper, element, error)
                                         : ParseDayOfWeekRule(upper, element, error);
      if (!rule.ok()) return rule.status();
      field.day_rules.push_back(*rule);
      continue;
    }
    absl::Status status = ParseRangeElement(element, kind, error, field.bits);
    if (!status.ok()) return status;
  }
  if (kind == FieldKind::kDayOfWeek && field.Has(7)) {
    field.bits = (field.bits & ~(uint64_t{1} << 7)) | 1;  // 7 and 0 are both Sunday
  }
  return field;
}

}  // namespace cron_internal
}  // namespace failover
