// CronExpression: a Spring (5.3+) cron expression, the format of failover.scheduler.report-cron
// and cleanup-cron, parsed once and asked for its next fire time.
//
// Six fields separated by spaces: second (0-59), minute (0-59), hour (0-23), day-of-month
// (1-31), month (1-12 or JAN-DEC), day-of-week (0-7 or MON-SUN; 0 and 7 are Sunday). Each field
// is '*', a number, a range a-b, a list a,b,c, or a step */n, a/n (a to the field's maximum) or
// a-b/n; names are case-insensitive. '?' means '*' in the two day fields. Macros: @yearly and
// @annually (0 0 0 1 1 *), @monthly (0 0 0 1 * *), @weekly (0 0 0 * * 0), @daily and @midnight
// (0 0 0 * * *), @hourly (0 0 * * * *). Quartz day rules, as in Spring: day-of-month L (last day),
// L-n (n days before the last), LW (last Monday-Friday), nW (the Monday-Friday nearest day n,
// never leaving the month: 1W on a Saturday is Monday the 3rd, a Sunday at month end gives the
// Friday before); day-of-week dL (last weekday d of the month) and d#n (n-th weekday d, n 1-5).
//
// Day-of-month and day-of-week are combined as Spring combines them: a day must match BOTH
// (Spring applies each field in turn), unlike Vixie cron, which fires when either matches. So
// "0 0 0 13 * FRI" fires on Friday the 13th only; leave one of them '*' or '?' to use the other.
//
// Next() works in local civil time of the given zone (absl civil-time conversions):
//   - a local time skipped by a DST jump (02:30 on the spring-forward night in Europe/Paris)
//     fires once, at the instant of the jump (03:00 CEST); Spring would fire at 03:30. Firing at
//     the jump keeps fire times in order and never loses a daily job.
//   - a local time that occurs twice (autumn fall-back) fires once, at its first occurrence.
//
//   absl::StatusOr<failover::CronExpression> cron = failover::CronExpression::Parse("0 0 * * * *");
//   if (!cron.ok()) return cron.status();  // "'0 0 * * *' is not a cron expression: ..."
//   std::optional<absl::Time> next = cron->Next(absl::Now(), absl::UTCTimeZone());
//
// Immutable after Parse(): thread-safe; copy freely.
#ifndef FAILOVER_CORE_SCHEDULING_CRON_EXPRESSION_H_
#define FAILOVER_CORE_SCHEDULING_CRON_EXPRESSION_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/scheduling/internal/cron_field.h"

namespace failover {

class CronExpression {
 public:
  // How far ahead Next() looks before giving up: 8 years and a day, the longest gap between two
  // 29 Februaries (2096 -> 2104).
  static constexpr int kSearchDays = 8 * 366 + 1;

  // Parses `text` (surrounding whitespace ignored). Errors are INVALID_ARGUMENT with the message
  // "'<text>' is not a cron expression: <reason>", the reason naming the field and value, e.g.
  // "'60 * * * * *' is not a cron expression: second '60': 60 is out of range 0-59".
  static absl::StatusOr<CronExpression> Parse(absl::string_view text);

  // The first instant strictly after `after`, on a whole second, whose local time in `tz`
  // matches; nullopt if none within kSearchDays (e.g. "0 0 0 30 2 *").
  std::optional<absl::Time> Next(absl::Time after, absl::TimeZone tz) const;

  // The text given to Parse(), trimmed.
  const std::string& text() const { return text_; }

 private:
  CronExpression() = default;

  bool DayMatches(absl::CivilDay day) const;
  // The first matching time of `day` at or after `from` (a time on `day`) whose instant is
  // after `after`.
  std::optional<absl::Time> FirstTimeOnDay(absl::CivilSecond from, absl::Time after,
                                           absl::TimeZone tz) const;

  std::string text_;
  cron_internal::CronField seconds_;
  cron_internal::CronField minutes_;
  cron_internal::CronField hours_;
  cron_internal::CronField days_of_month_;
  cron_internal::CronField months_;
  cron_internal::CronField days_of_week_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_SCHEDULING_CRON_EXPRESSION_H_
