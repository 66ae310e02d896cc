#include "store-jdbc/sql/internal/sql_timestamp.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

absl::Time Utc(int year, int month, int day, int hour, int minute, int second, int micros) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone()) +
         absl::Microseconds(micros);
}

TEST(SqlTimestampTest, FormatsFixedWidthUtcMicroseconds) {
  EXPECT_EQ(FormatSqlTimestamp(Utc(2026, 12, 3, 7, 39, 39, 123456)), "2026-12-03 07:39:39.123456");
  EXPECT_EQ(FormatSqlTimestamp(absl::UnixEpoch() + absl::Microseconds(1)),
            "1970-01-01 00:00:00.000001");
  EXPECT_EQ(FormatSqlTimestamp(Utc(2026, 1, 2, 3, 4, 5, 0) + absl::Nanoseconds(999)),
            "2026-01-02 03:04:05.000000");
}

TEST(SqlTimestampTest, TextOrderIsTimeOrder) {
  const absl::Time a = Utc(999, 1, 1, 0, 0, 0, 0), b = Utc(2026, 1, 1, 0, 0, 0, 5),
                   c = Utc(2026, 1, 1, 0, 0, 0, 40);
  EXPECT_LT(FormatSqlTimestamp(a), FormatSqlTimestamp(b));
  EXPECT_LT(FormatSqlTimestamp(b), FormatSqlTimestamp(c));
}

TEST(SqlTimestampTest, RoundTrips) {
  for (absl::Time time : {Utc(2026, 12, 3, 7, 39, 39, 123456), Utc(1, 1, 2, 0, 0, 0, 1),
                          Utc(2024, 2, 29, 23, 59, 59, 999999), absl::UnixEpoch()}) {
    absl::StatusOr<absl::Time> parsed = ParseSqlTimestamp(FormatSqlTimestamp(time));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, time);
  }
}

TEST(SqlTimestampTest, AgreesWithAbslCalendarAcrossTheRange) {
  const absl::Time first = Utc(1, 1, 2, 0, 0, 0, 0), last = Utc(9999, 12, 30, 0, 0, 0, 0);
  for (absl::Time time = first; time < last; time += absl::Hours(24 * 37 + 7) + absl::Seconds(13)) {
    const std::string expected =
        absl::FormatTime("%E4Y-%m-%d %H:%M:%E6S", time, absl::UTCTimeZone());
    ASSERT_EQ(FormatSqlTimestamp(time), expected);
    ASSERT_EQ(*ParseSqlTimestamp(expected), time) << expected;
  }
}

TEST(SqlTimestampTest, InfinitiesMapToTheEndsOfTheRange) {
  EXPECT_EQ(FormatSqlTimestamp(absl::InfiniteFuture()), "9999-12-31 23:59:59.999999");
  EXPECT_EQ(FormatSqlTimestamp(absl::InfinitePast()), "0001-01-01 00:00:00.000000");
  EXPECT_EQ(*ParseSqlTimestamp("9999-12-31 23:59:59.999999"), absl::InfiniteFuture());
  EXPECT_EQ(*ParseSqlTimestamp("0001-01-01 00:00:00"), absl::InfinitePast());
}

TEST(SqlTimestampTest, ParsesPostgresShortFractions) {
  EXPECT_EQ(*ParseSqlTimestamp("2026-12-03 07:39:39"), Utc(2026, 12, 3, 7, 39, 39, 0));
  EXPECT_EQ(*ParseSqlTimestamp("2026-12-03 07:39:39.5"), Utc(2026, 12, 3, 7, 39, 39, 500000));
  EXPECT_EQ(*ParseSqlTimestamp("2026-12-03T07:39:39.12"), Utc(2026, 12, 3, 7, 39, 39, 120000));
  EXPECT_EQ(*ParseSqlTimestamp("2026-12-03 07:39:39.123456789"),
            Utc(2026, 12, 3, 7, 39, 39, 123456));
}

TEST(SqlTimestampTest, RejectsMalformedText) {
  for (const char* text :
       {"", "2026-12-03", "2026-12-03 07:39", "2026/12/03 07:39:39", "2026-13-03 07:39:39",
        "2026-02-30 07:39:39", "2026-12-03 07:39:39.", "2026-12-03 07:39:39.12x",
        "2026-12-03 07:39:39+01", "2026-12-03 07:39:39 BC", "2026-12-03 24:00:00"}) {
    absl::StatusOr<absl::Time> parsed = ParseSqlTimestamp(text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace failover
