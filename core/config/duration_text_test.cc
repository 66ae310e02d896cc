#include "core/config/duration_text.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace failover {
namespace {

absl::Duration Parse(absl::string_view text) {
  absl::StatusOr<absl::Duration> d = ParseConfigDuration(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status();
  return d.value_or(absl::ZeroDuration());
}

TEST(ParseConfigDurationTest, SpringSimpleForm) {
  EXPECT_EQ(Parse("10s"), absl::Seconds(10));
  EXPECT_EQ(Parse("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(Parse("7d"), absl::Hours(7 * 24));
  EXPECT_EQ(Parse("2h"), absl::Hours(2));
  EXPECT_EQ(Parse("5m"), absl::Minutes(5));
  EXPECT_EQ(Parse("100us"), absl::Microseconds(100));
  EXPECT_EQ(Parse("10ns"), absl::Nanoseconds(10));
  EXPECT_EQ(Parse("10S"), absl::Seconds(10));
  EXPECT_EQ(Parse("3MS"), absl::Milliseconds(3));
  EXPECT_EQ(Parse("-5s"), absl::Seconds(-5));
  EXPECT_EQ(Parse("+5s"), absl::Seconds(5));
  EXPECT_EQ(Parse(" 10s "), absl::Seconds(10));
  EXPECT_EQ(Parse("0"), absl::ZeroDuration());
}

TEST(ParseConfigDurationTest, BareIntegerIsMilliseconds) {
  EXPECT_EQ(Parse("250"), absl::Milliseconds(250));
  EXPECT_EQ(Parse("-1"), absl::Milliseconds(-1));
}

TEST(ParseConfigDurationTest, Iso8601) {
  EXPECT_EQ(Parse("PT10S"), absl::Seconds(10));
  EXPECT_EQ(Parse("P7D"), absl::Hours(7 * 24));
  EXPECT_EQ(Parse("pt15m"), absl::Minutes(15));
  EXPECT_EQ(Parse("PT1H30M"), absl::Minutes(90));
  EXPECT_EQ(Parse("P1DT2H3M4S"), absl::Hours(26) + absl::Minutes(3) + absl::Seconds(4));
  EXPECT_EQ(Parse("PT1.5S"), absl::Milliseconds(1500));
  EXPECT_EQ(Parse("PT0,25S"), absl::Milliseconds(250));
  EXPECT_EQ(Parse("PT-0.5S"), absl::Milliseconds(-500));
  EXPECT_EQ(Parse("-PT10S"), absl::Seconds(-10));
  EXPECT_EQ(Parse("PT0.000000001S"), absl::Nanoseconds(1));
}

TEST(ParseConfigDurationTest, RejectsWhatSpringRejects) {
  for (absl::string_view bad :
       {"", "ten seconds", "10 s", "10sec", "s", "1.5s", "P", "PT", "P1W", "PT1H2", "PTS", "P1DT",
        "PT1.0000000001S", "10s5m", "PT10M5H", "0x10"}) {
    absl::StatusOr<absl::Duration> d = ParseConfigDuration(bad);
    EXPECT_FALSE(d.ok()) << "'" << bad << "' parsed as " << d.value_or(absl::ZeroDuration());
  }
  EXPECT_EQ(ParseConfigDuration("soon").status().message(),
            "is not a duration (expected e.g. 500ms, 10s, 7d or PT10S)");
}

TEST(ParseConfigDurationTest, OverflowIsAnError) {
  EXPECT_FALSE(ParseConfigDuration("9223372036854775807d").ok());
  EXPECT_FALSE(ParseConfigDuration("99999999999999999999s").ok());
  // Every part fits; their sum does not.
  for (absl::string_view text :
       {"P106000000000000DT100000000000000H", "-P106000000000000DT100000000000000H",
        "PT2562047788015215H60M", "P1DT9223372036854775807S",
        "P106751991167300DT9223372036854775807S"}) {
    EXPECT_EQ(ParseConfigDuration(text).status().message(), "is too large for a duration") << text;
  }
}

TEST(FormatConfigDurationTest, LargestExactUnit) {
  EXPECT_EQ(FormatConfigDuration(absl::Hours(168)), "7d");
  EXPECT_EQ(FormatConfigDuration(absl::Seconds(10)), "10s");
  EXPECT_EQ(FormatConfigDuration(absl::Minutes(90)), "90m");
  EXPECT_EQ(FormatConfigDuration(absl::Milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatConfigDuration(absl::Nanoseconds(7)), "7ns");
  EXPECT_EQ(FormatConfigDuration(absl::ZeroDuration()), "0s");
  EXPECT_EQ(FormatConfigDuration(-absl::Seconds(3)), "-3s");
  EXPECT_EQ(FormatConfigDuration(absl::InfiniteDuration()), "infinite");
}

TEST(FormatConfigDurationTest, RoundTrips) {
  for (absl::Duration d : {absl::Hours(49), absl::Microseconds(1001), absl::Seconds(59)}) {
    EXPECT_EQ(Parse(FormatConfigDuration(d)), d);
  }
  // Longer than int64 nanoseconds, with a nanosecond part: only ISO seconds can say it.
  const absl::Duration huge = absl::Hours(24) * int64_t{106000000000000} + absl::Nanoseconds(1);
  EXPECT_EQ(FormatConfigDuration(huge), "PT9158400000000000000.000000001S");
  EXPECT_EQ(FormatConfigDuration(-huge), "-PT9158400000000000000.000000001S");
  for (absl::Duration d :
       {huge, -huge, absl::Seconds(std::numeric_limits<int64_t>::max()),
        absl::Seconds(std::numeric_limits<int64_t>::min()),
        absl::Seconds(std::numeric_limits<int64_t>::max()) + absl::Nanoseconds(999999999)}) {
    EXPECT_EQ(Parse(FormatConfigDuration(d)), d) << FormatConfigDuration(d);
  }
}

}  // namespace
}  // namespace failover
