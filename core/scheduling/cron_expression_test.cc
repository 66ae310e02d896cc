#include "core/scheduling/cron_expression.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

const absl::TimeZone kUtc = absl::UTCTimeZone();

absl::Time At(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, absl::TimeZone tz = kUtc) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), tz);
}

std::string Format(std::optional<absl::Time> t, absl::TimeZone tz = kUtc) {
  if (!t.has_value()) return "none";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %a", *t, tz);
}

// The next `count` fire times after `after` in zone `tz`, formatted in `shown_in`.
std::vector<std::string> Fires(absl::string_view text, absl::Time after, int count,
                               absl::TimeZone tz, absl::TimeZone shown_in) {
  absl::StatusOr<CronExpression> cron = CronExpression::Parse(text);
  EXPECT_TRUE(cron.ok()) << cron.status();
  std::vector<std::string> out;
  if (!cron.ok()) return out;
  for (int i = 0; i < count; ++i) {
    std::optional<absl::Time> next = cron->Next(after, tz);
    out.push_back(Format(next, shown_in));
    if (!next.has_value()) break;
    after = *next;
  }
  return out;
}

std::vector<std::string> Fires(absl::string_view text, absl::Time after, int count,
                               absl::TimeZone tz = kUtc) {
  return Fires(text, after, count, tz, tz);
}

std::string Error(absl::string_view text) {
  absl::StatusOr<CronExpression> cron = CronExpression::Parse(text);
  if (cron.ok()) return "ok";
  EXPECT_EQ(cron.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(cron.status().message());
}

using Strings = std::vector<std::string>;

TEST(CronExpressionTest, SecondsStepAndStrictlyAfter) {
  EXPECT_EQ(
      Fires("*/15 * * * * *", At(2024, 1, 1, 10, 0, 7), 3),
      (Strings{"2024-01-01 10:00:15 Mon", "2024-01-01 10:00:30 Mon", "2024-01-01 10:00:45 Mon"}));
  // Exactly on a fire time: the next one, not the same.
  EXPECT_EQ(Fires("*/15 * * * * *", At(2024, 1, 1, 10, 0, 45), 1),
            (Strings{"2024-01-01 10:01:00 Mon"}));
  // A fraction of a second past a whole second: the next whole second.
  EXPECT_EQ(Fires("* * * * * *", At(2024, 1, 1) + absl::Milliseconds(500), 1),
            (Strings{"2024-01-01 00:00:01 Mon"}));
}

TEST(CronExpressionTest, MinutesListHoursRangeAndSteps) {
  EXPECT_EQ(
      Fires("0 5,10 * * * *", At(2024, 1, 1, 10, 6), 3),
      (Strings{"2024-01-01 10:10:00 Mon", "2024-01-01 11:05:00 Mon", "2024-01-01 11:10:00 Mon"}));
  EXPECT_EQ(Fires("0 0 8-10 * * *", At(2024, 1, 1, 10), 2),
            (Strings{"2024-01-02 08:00:00 Tue", "2024-01-02 09:00:00 Tue"}));
  EXPECT_EQ(
      Fires("0 0 5/6 * * *", At(2024, 1, 1, 12), 3),
      (Strings{"2024-01-01 17:00:00 Mon", "2024-01-01 23:00:00 Mon", "2024-01-02 05:00:00 Tue"}));
  EXPECT_EQ(Fires("0 10-30/10 9 * * *", At(2024, 1, 1, 9), 4),
            (Strings{"2024-01-01 09:10:00 Mon", "2024-01-01 09:20:00 Mon",
                     "2024-01-01 09:30:00 Mon", "2024-01-02 09:10:00 Tue"}));
}

TEST(CronExpressionTest, DayOfMonthSkipsShortMonths) {
  EXPECT_EQ(
      Fires("0 0 0 31 * *", At(2024, 1, 31), 3),
      (Strings{"2024-03-31 00:00:00 Sun", "2024-05-31 00:00:00 Fri", "2024-07-31 00:00:00 Wed"}));
}

TEST(CronExpressionTest, MonthAndDayNamesAnyCase) {
  EXPECT_EQ(Fires("0 0 0 1 jan,Jul *", At(2024, 2, 1), 2),
            (Strings{"2024-07-01 00:00:00 Mon", "2025-01-01 00:00:00 Wed"}));
  // Friday 2024-03-15 13:00 -> Monday.
  EXPECT_EQ(Fires("0 0 12 * * MON-FRI", At(2024, 3, 15, 13), 2),
            (Strings{"2024-03-18 12:00:00 Mon", "2024-03-19 12:00:00 Tue"}));
  EXPECT_EQ(Fires("0 0 0 * * sat,sun", At(2024, 3, 18), 2),
            (Strings{"2024-03-23 00:00:00 Sat", "2024-03-24 00:00:00 Sun"}));
}

TEST(CronExpressionTest, SundayIsZeroAndSeven) {
  const Strings sunday = {"2024-03-17 00:00:00 Sun", "2024-03-24 00:00:00 Sun"};
  EXPECT_EQ(Fires("0 0 0 * * 0", At(2024, 3, 13), 2), sunday);
  EXPECT_EQ(Fires("0 0 0 * * 7", At(2024, 3, 13), 2), sunday);
  EXPECT_EQ(Fires("0 0 0 ? * SUN", At(2024, 3, 13), 2), sunday);
  // As in Spring, '*' in day-of-week is 1-7, so */2 is Monday, Wednesday, Friday, Sunday.
  EXPECT_EQ(Fires("0 0 0 * * */2", At(2024, 3, 17), 4),
            (Strings{"2024-03-18 00:00:00 Mon", "2024-03-20 00:00:00 Wed",
                     "2024-03-22 00:00:00 Fri", "2024-03-24 00:00:00 Sun"}));
  // SUN as a range start is 0.
  EXPECT_EQ(
      Fires("0 0 0 * * SUN-MON", At(2024, 3, 16), 3),
      (Strings{"2024-03-17 00:00:00 Sun", "2024-03-18 00:00:00 Mon", "2024-03-24 00:00:00 Sun"}));
}

TEST(CronExpressionTest, Macros) {
  const absl::Time after = At(2024, 5, 5, 10, 30);  // a Sunday
  EXPECT_EQ(Fires("@yearly", after, 1), (Strings{"2025-01-01 00:00:00 Wed"}));
  EXPECT_EQ(Fires("@annually", after, 1), (Strings{"2025-01-01 00:00:00 Wed"}));
  EXPECT_EQ(Fires("@monthly", after, 1), (Strings{"2024-06-01 00:00:00 Sat"}));
  EXPECT_EQ(Fires("@weekly", after, 1), (Strings{"2024-05-12 00:00:00 Sun"}));
  EXPECT_EQ(Fires("@daily", after, 1), (Strings{"2024-05-06 00:00:00 Mon"}));
  EXPECT_EQ(Fires(" @MIDNIGHT ", after, 1), (Strings{"2024-05-06 00:00:00 Mon"}));
  EXPECT_EQ(Fires("@hourly", after, 1), (Strings{"2024-05-05 11:00:00 Sun"}));
}

TEST(CronExpressionTest, LeapYearsAndYearRollover) {
  EXPECT_EQ(Fires("0 0 0 29 2 *", At(2024, 3, 1), 2),
            (Strings{"2028-02-29 00:00:00 Tue", "2032-02-29 00:00:00 Sun"}));
  // 2100 is not a leap year: the 8-year horizon still finds 2104.
  EXPECT_EQ(Fires("0 0 0 29 2 *", At(2096, 3, 1), 1), (Strings{"2104-02-29 00:00:00 Fri"}));
  EXPECT_EQ(Fires("0 0 0 * * *", At(2023, 12, 31, 23, 59, 59), 1),
            (Strings{"2024-01-01 00:00:00 Mon"}));
  EXPECT_EQ(Fires("59 59 23 31 12 *", At(2023, 12, 31, 23, 59, 59), 1),
            (Strings{"2024-12-31 23:59:59 Tue"}));
}

TEST(CronExpressionTest, ImpossibleDatesNeverFire) {
  EXPECT_EQ(Fires("0 0 0 30 2 *", At(2024, 1, 1), 1), (Strings{"none"}));
  EXPECT_EQ(Fires("0 0 0 31 4,6,9,11 *", At(2024, 1, 1), 1), (Strings{"none"}));
  EXPECT_EQ(Fires("0 0 0 * * *", absl::InfiniteFuture(), 1), (Strings{"none"}));
}

TEST(CronExpressionTest, DayOfMonthAndDayOfWeekMustBothMatch) {
  // Spring semantics: Friday the 13th, not "every 13th and every Friday" (Vixie cron).
  EXPECT_EQ(Fires("0 0 0 13 * FRI", At(2024, 1, 1), 2),
            (Strings{"2024-09-13 00:00:00 Fri", "2024-12-13 00:00:00 Fri"}));
}

TEST(CronExpressionTest, QuartzDayRules) {
  EXPECT_EQ(Fires("0 0 0 L * *", At(2024, 2, 10), 2),
            (Strings{"2024-02-29 00:00:00 Thu", "2024-03-31 00:00:00 Sun"}));
  EXPECT_EQ(Fires("0 0 0 L-3 * *", At(2024, 2, 10), 1), (Strings{"2024-02-26 00:00:00 Mon"}));
  // June 2024 ends on a Sunday: last weekday Friday 28th.
  EXPECT_EQ(Fires("0 0 0 LW * *", At(2024, 6, 1), 1), (Strings{"2024-06-28 00:00:00 Fri"}));
  // 1 June 2024 is a Saturday: Monday the 3rd (the month is not left).
  EXPECT_EQ(Fires("0 0 0 1W * *", At(2024, 5, 31), 1), (Strings{"2024-06-03 00:00:00 Mon"}));
  // 15 September 2024 is a Sunday: Monday 16th; 14 December 2024 a Saturday: Friday 13th.
  EXPECT_EQ(Fires("0 0 0 15W 9 *", At(2024, 1, 1), 1), (Strings{"2024-09-16 00:00:00 Mon"}));
  EXPECT_EQ(Fires("0 0 0 14W 12 *", At(2024, 1, 1), 1), (Strings{"2024-12-13 00:00:00 Fri"}));
  // 30 June 2024 is a Sunday at month end: Friday 28th, not 1 July.
  EXPECT_EQ(Fires("0 0 0 30W 6 *", At(2024, 1, 1), 1), (Strings{"2024-06-28 00:00:00 Fri"}));
  EXPECT_EQ(Fires("0 0 0 * * 5L", At(2024, 3, 1), 2),
            (Strings{"2024-03-29 00:00:00 Fri", "2024-04-26 00:00:00 Fri"}));
  EXPECT_EQ(Fires("0 0 0 ? * thuL", At(2024, 3, 1), 1), (Strings{"2024-03-28 00:00:00 Thu"}));
  EXPECT_EQ(Fires("0 0 0 ? * MON#1", At(2024, 3, 5), 1), (Strings{"2024-04-01 00:00:00 Mon"}));
  // Only months with five Fridays.
  EXPECT_EQ(Fires("0 0 0 ? * 5#5", At(2024, 4, 1), 1), (Strings{"2024-05-31 00:00:00 Fri"}));
  // Rules and plain values mix in a list.
  EXPECT_EQ(Fires("0 0 0 1,L * *", At(2024, 4, 2), 2),
            (Strings{"2024-04-30 00:00:00 Tue", "2024-05-01 00:00:00 Wed"}));
}

TEST(CronExpressionTest, BadInputsNameTheFieldAndValue) {
  EXPECT_EQ(Error("0 0 * * *"),
            "'0 0 * * *' is not a cron expression: expected 6 fields (second minute hour "
            "day-of-month month day-of-week, e.g. 0 0 * * * *) or a macro (@yearly, @annually, "
            "@monthly, @weekly, @daily, @midnight, @hourly), found 5");
  EXPECT_NE(Error("0 0 0 * * * 2024").find("found 7"), std::string::npos);
  EXPECT_NE(Error("").find("found 0"), std::string::npos);
  EXPECT_NE(Error("@often").find("found 1"), std::string::npos);
  EXPECT_EQ(Error("60 * * * * *"),
            "'60 * * * * *' is not a cron expression: second '60': 60 is out of range 0-59");
  EXPECT_EQ(Error("* * * 0 * *"),
            "'* * * 0 * *' is not a cron expression: day-of-month '0': 0 is out of range 1-31");
  EXPECT_EQ(Error("* * * * 13 *"),
            "'* * * * 13 *' is not a cron expression: month '13': 13 is out of range 1-12");
  EXPECT_EQ(Error("a * * * * *"),
            "'a * * * * *' is not a cron expression: second 'a': 'a' is not a number");
  EXPECT_EQ(Error("0 60 * * * *"),
            "'0 60 * * * *' is not a cron expression: minute '60': 60 is out of range 0-59");
  EXPECT_EQ(Error("0 0 24 * * *"),
            "'0 0 24 * * *' is not a cron expression: hour '24': 24 is out of range 0-23");
  EXPECT_EQ(Error("0 0 0 * * 8"),
            "'0 0 0 * * 8' is not a cron expression: day-of-week '8': 8 is out of range 0-7");
  EXPECT_EQ(Error("0 0 0 * FOO *"),
            "'0 0 0 * FOO *' is not a cron expression: month 'FOO': 'FOO' is not a number or a "
            "month name (JAN-DEC)");
  EXPECT_EQ(Error("0 */0 * * * *"),
            "'0 */0 * * * *' is not a cron expression: minute '*/0': step must be at least 1");
  EXPECT_EQ(Error("0 0 5-2 * * *"),
            "'0 0 5-2 * * *' is not a cron expression: hour '5-2': range start 5 is after its "
            "end 2");
  EXPECT_EQ(Error("? * * * * *"),
            "'? * * * * *' is not a cron expression: second '?': '?' is allowed only in "
            "day-of-month and day-of-week");
  EXPECT_EQ(Error("0 1,,2 * * * *"),
            "'0 1,,2 * * * *' is not a cron expression: minute '1,,2': empty element in list");
  EXPECT_NE(Error("0 0 0 * * MON#6").find("ordinal in d#n must be 1-5"), std::string::npos);
  EXPECT_NE(Error("0 0 0 * * L").find("is not dL or d#n"), std::string::npos);
  EXPECT_NE(Error("0 0 0 L-31 * *").find("offset in L-n must be 1-30"), std::string::npos);
  EXPECT_NE(Error("0 0 0 32W * *").find("day in nW must be 1-31"), std::string::npos);
  EXPECT_NE(Error("0 0 0 5L * *").find("is not L, L-n, LW or nW"), std::string::npos);
  EXPECT_NE(Error("0 0 0 -1 * *").find("'' is not a number"), std::string::npos);
  EXPECT_NE(Error("+1 0 0 * * *").find("'+1' is not a number"), std::string::npos);
}

TEST(CronExpressionTest, KeepsText) {
  absl::StatusOr<CronExpression> cron = CronExpression::Parse("  0 0 * * * *\t");
  ASSERT_TRUE(cron.ok());
  EXPECT_EQ(cron->text(), "0 0 * * * *");
}

class CronExpressionDstTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!absl::LoadTimeZone("Europe/Paris", &paris_)) {
      GTEST_SKIP() << "tzdata for Europe/Paris is not available";
    }
  }
  // Number of fires in the local day `day`.
  int FiresOnLocalDay(absl::string_view text, absl::CivilDay day) {
    absl::StatusOr<CronExpression> cron = CronExpression::Parse(text);
    EXPECT_TRUE(cron.ok());
    const absl::Time end = absl::FromCivil(day + 1, paris_);
    int count = 0;
    for (std::optional<absl::Time> t =
             cron->Next(absl::FromCivil(day, paris_) - absl::Seconds(1), paris_);
         t.has_value() && *t < end; t = cron->Next(*t, paris_)) {
      ++count;
    }
    return count;
  }
  absl::TimeZone paris_;
};

TEST_F(CronExpressionDstTest, SkippedLocalTimeFiresAtTheJump) {
  // 2024-03-31: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist.
  EXPECT_EQ(Fires("0 30 2 * * *", At(2024, 3, 30, 12, 0, 0, paris_), 2, paris_, kUtc),
            (Strings{"2024-03-31 01:00:00 Sun", "2024-04-01 00:30:00 Mon"}));
  EXPECT_EQ(FiresOnLocalDay("0 0 * * * *", absl::CivilDay(2024, 3, 31)), 23);
  EXPECT_EQ(FiresOnLocalDay("0 */10 2 * * *", absl::CivilDay(2024, 3, 31)), 1);
}

TEST_F(CronExpressionDstTest, RepeatedLocalTimeFiresOnce) {
  // 2024-10-27: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
  EXPECT_EQ(Fires("0 30 2 * * *", At(2024, 10, 26, 12, 0, 0, paris_), 2, paris_, kUtc),
            (Strings{"2024-10-27 00:30:00 Sun", "2024-10-28 01:30:00 Mon"}));
  EXPECT_EQ(FiresOnLocalDay("0 0 * * * *", absl::CivilDay(2024, 10, 27)), 24);
  // Asked from inside the second 02:xx hour, the repeated times are not fired again.
  EXPECT_EQ(
      Fires("0 0,30 * * * *", absl::FromUnixSeconds(1729992600) /* 01:30 UTC */, 1, paris_, kUtc),
      (Strings{"2024-10-27 02:00:00 Sun"}));
}

TEST_F(CronExpressionDstTest, LocalMidnightInZone) {
  EXPECT_EQ(Fires("@daily", At(2024, 7, 1, 12), 1, paris_), (Strings{"2024-07-02 00:00:00 Tue"}));
  EXPECT_EQ(Fires("@daily", At(2024, 7, 1, 12), 1, kUtc), (Strings{"2024-07-02 00:00:00 Tue"}));
  EXPECT_EQ(Format(CronExpression::Parse("@daily")->Next(At(2024, 7, 1, 12), paris_), kUtc),
            "2024-07-01 22:00:00 Mon");
}

}  // namespace
}  // namespace failover
