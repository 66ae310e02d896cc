// Parsing of one field of a Spring cron expression (see cron_expression.h for the syntax) into
// the set of values it allows plus, for the two day fields, Quartz-style day rules (L, L-n, LW,
// nW, dL, d#n) that depend on the month being looked at. Internal to CronExpression.
#ifndef FAILOVER_CORE_SCHEDULING_INTERNAL_CRON_FIELD_H_
#define FAILOVER_CORE_SCHEDULING_INTERNAL_CRON_FIELD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace failover {
namespace cron_internal {

enum class FieldKind { kSecond, kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek };

// "second", "minute", "hour", "day-of-month", "month", "day-of-week".
absl::string_view FieldName(FieldKind kind);

// A day that can only be decided knowing the month.
struct DayRule {
  enum class Kind {
    kLastDay,         // "L": the last day of the month
    kLastDayMinus,    // "L-n": n days before the last day (value = n)
    kLastWeekday,     // "LW": the last Monday-Friday of the month
    kNearestWeekday,  // "nW": the Monday-Friday nearest to day n, in the same month (value = n)
    kLastOfWeekday,   // "dL": the last weekday d of the month (value = d, 0 = Sunday)
    kNthOfWeekday,    // "d#n": the n-th weekday d of the month (value = d, ordinal = n)
  };
  Kind kind;
  int value = 0;
  int ordinal = 0;

  bool Matches(absl::CivilDay day) const;
};

// The values a field allows. Bit i of `bits` is value i; day-of-week uses 0 = Sunday .. 6 =
// Saturday (7 in the text is folded into 0). A day matches its field if its bit is set or any of
// `day_rules` matches it.
struct CronField {
  uint64_t bits = 0;
  std::vector<DayRule> day_rules;

  bool Has(int value) const { return value >= 0 && value < 64 && ((bits >> value) & 1) != 0; }
  // The smallest value >= from whose bit is set, or -1.
  int NextSetBit(int from) const;
};

// Parses the text of one field. The error message names the field and the offending part, e.g.
// "second '60': 60 is out of range 0-59".
absl::StatusOr<CronField> ParseCronField(absl::string_view text, FieldKind kind);

// 0 = Sunday .. 6 = Saturday.
int CronWeekday(absl::CivilDay day);

}  // namespace cron_internal
}  // namespace failover

#endif  // FAILOVER_CORE_SCHEDULING_INTERNAL_CRON_FIELD_H_
