#include "core/scheduling/cron_expression.h"

#include <array>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace {

using cron_internal::CronField;
using cron_internal::FieldKind;

constexpr std::array<std::pair<absl::string_view, absl::string_view>, 7> kMacros = {{
    {"@yearly", "0 0 0 1 1 *"},
    {"@annually", "0 0 0 1 1 *"},
    {"@monthly", "0 0 0 1 * *"},
    {"@weekly", "0 0 0 * * 0"},
    {"@daily", "0 0 0 * * *"},
    {"@midnight", "0 0 0 * * *"},
    {"@hourly", "0 0 * * * *"},
}};

constexpr std::array<FieldKind, 6> kFieldOrder = {FieldKind::kSecond, FieldKind::kMinute,
                                                  FieldKind::kHour,   FieldKind::kDayOfMonth,
                                                  FieldKind::kMonth,  FieldKind::kDayOfWeek};

absl::string_view ExpandMacro(absl::string_view text) {
  for (const auto& [macro, expansion] : kMacros) {
    if (absl::EqualsIgnoreCase(text, macro)) return expansion;
  }
  return text;
}

// The instant a local civil time denotes: the time itself, its first occurrence when it is
// repeated, or the instant of the jump when a DST transition skips it.
absl::Time ToInstant(absl::CivilSecond local, absl::TimeZone tz) {
  const absl::TimeZone::TimeInfo info = tz.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) return info.trans;
  return info.pre;
}

}  // namespace

absl::StatusOr<CronExpression> CronExpression::Parse(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  const auto invalid = [text](absl::string_view reason) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a cron expression: ", reason));
  };
  const std::vector<absl::string_view> parts =
      absl::StrSplit(ExpandMacro(text), absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (parts.size() != 6) {
    return invalid(absl::StrCat(
        "expected 6 fields (second minute hour day-of-month month day-of-week, e.g. 0 0 * * * *) "
        "or a macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly), found ",
        parts.size()));
  }
  CronExpression cron;
  cron.text_ = std::string(text);
  CronField* const fields[] = {&cron.seconds_,       &cron.minutes_, &cron.hours_,
                               &cron.days_of_month_, &cron.months_,  &cron.days_of_week_};
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StatusOr<CronField> field = cron_internal::ParseCronField(parts[i], kFieldOrder[i]);
    if (!field.ok()) return invalid(field.status().message());
    *fields[i] = *std::move(field);
  }
  return cron;
}

bool CronExpression::DayMatches(absl::CivilDay day) const {
  const auto matches = [day](const CronField& field, int value) {
    if (field.Has(value)) return true;
    for (const cron_internal::DayRule& rule : field.day_rules) {
      if (rule.Matches(day)) return true;
    }
    return false;
  };
  return months_.Has(day.month()) && matches(days_of_month_, day.day()) &&
         matches(days_of_week_, cron_internal::CronWeekday(day));
}

std::optional<absl::Time> CronExpression::FirstTimeOnDay(absl::CivilSecond from, absl::Time after,
                                                         absl::TimeZone tz) const {
  const absl::CivilDay day(from);
  for (int h = hours_.NextSetBit(from.hour()); h >= 0; h = hours_.NextSetBit(h + 1)) {
    const bool first_hour = h == from.hour();
    for (int m = minutes_.NextSetBit(first_hour ? from.minute() : 0); m >= 0;
         m = minutes_.NextSetBit(m + 1)) {
      const bool first_minute = first_hour && m == from.minute();
      for (int s = seconds_.NextSetBit(first_minute ? from.second() : 0); s >= 0;
           s = seconds_.NextSetBit(s + 1)) {
        const absl::Time instant =
            ToInstant(absl::CivilSecond(day.year(), day.month(), day.day(), h, m, s), tz);
        // Instants only decrease against civil order inside a repeated (fall-back) hour, whose
        // second occurrence we skip: keep scanning.
        if (instant > after) return instant;
      }
    }
  }
  return std::nullopt;
}

std::optional<absl::Time> CronExpression::Next(absl::Time after, absl::TimeZone tz) const {
  if (after >= absl::FromUnixSeconds(int64_t{1} << 40)) return std::nullopt;  // ~36800 AD
  // The next whole local second (ToCivilSecond rounds toward the past). Stepping in civil time,
  // not from the next instant, so that local times a DST jump skips are still visited.
  absl::CivilSecond from = absl::ToCivilSecond(after, tz) + 1;
  const absl::CivilDay first_day(from);
  for (absl::CivilDay day = first_day; day - first_day <= kSearchDays; ++day) {
    if (day != first_day) from = absl::CivilSecond(day);
    if (!DayMatches(day)) continue;
    std::optional<absl::Time> found = FirstTimeOnDay(from, after, tz);
    if (found.has_value()) return found;
  }
  return std::nullopt;
}

}  // namespace failover
