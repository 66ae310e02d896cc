#include "core/config/config_value.h"

#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

enum class Color { kRed, kDarkBlue };
constexpr ConfigEnumValue<Color> kColors[] = {{Color::kRed, "RED"},
                                              {Color::kDarkBlue, "DARK_BLUE"}};
ConfigEnumDescription<Color> DescribeConfigEnum(Color) { return {"Color", kColors}; }

TEST(CanonicalKeyTest, RelaxedFormsAgree) {
  EXPECT_EQ(CanonicalKey("table-prefix"), "tableprefix");
  EXPECT_EQ(CanonicalKey("tablePrefix"), "tableprefix");
  EXPECT_EQ(CanonicalKey("table_prefix"), "tableprefix");
  EXPECT_EQ(CanonicalKey("TABLE_PREFIX"), "tableprefix");
  EXPECT_EQ(CanonicalPath("failover.Store.table-Prefix"), "failover.store.tableprefix");
}

TEST(BoolCodecTest, SpringSpellings) {
  for (absl::string_view yes : {"true", "TRUE", "on", "Yes", "1"}) {
    EXPECT_EQ(ValueCodec<bool>::Parse(yes).value_or(false), true) << yes;
  }
  for (absl::string_view no : {"false", "False", "off", "NO", "0"}) {
    EXPECT_EQ(ValueCodec<bool>::Parse(no).value_or(true), false) << no;
  }
  EXPECT_EQ(ValueCodec<bool>::Parse("maybe").status().message(),
            "is not a boolean (expected true or false)");
}

TEST(IntCodecTest, RangesAndGarbage) {
  EXPECT_EQ(*ValueCodec<int32_t>::Parse("42"), 42);
  EXPECT_EQ(*ValueCodec<int32_t>::Parse("-7"), -7);
  EXPECT_EQ(*ValueCodec<int32_t>::Parse("+7"), 7);
  EXPECT_EQ(ValueCodec<int32_t>::Parse("1.5").status().message(), "is not an integer");
  EXPECT_EQ(ValueCodec<int32_t>::Parse("3000000000").status().message(),
            "is out of range for int (expected -2147483648 to 2147483647)");
  EXPECT_EQ(*ValueCodec<int64_t>::Parse("3000000000"), 3000000000);
  EXPECT_FALSE(ValueCodec<int64_t>::Parse("ten").ok());
}

TEST(DoubleCodecTest, FiniteNumbersOnly) {
  EXPECT_DOUBLE_EQ(*ValueCodec<double>::Parse("0.90"), 0.9);
  EXPECT_DOUBLE_EQ(*ValueCodec<double>::Parse("1"), 1.0);
  EXPECT_FALSE(ValueCodec<double>::Parse("nan").ok());
  EXPECT_FALSE(ValueCodec<double>::Parse("inf").ok());
  EXPECT_FALSE(ValueCodec<double>::Parse("high").ok());
  EXPECT_EQ(ValueCodec<double>::Format(1.0), "1.0");
  EXPECT_EQ(ValueCodec<double>::Format(0.99), "0.99");
}

TEST(EnumCodecTest, AnyCaseDashOrUnderscore) {
  for (absl::string_view text : {"DARK_BLUE", "dark_blue", "dark-blue", "DARK-BLUE", "darkBlue"}) {
    EXPECT_EQ(ValueCodec<Color>::Parse(text).value_or(Color::kRed), Color::kDarkBlue) << text;
  }
  EXPECT_EQ(ValueCodec<Color>::Parse("green").status().message(),
            "is not a Color (expected one of RED, DARK_BLUE)");
  EXPECT_EQ(ValueCodec<Color>::Format(Color::kDarkBlue), "DARK_BLUE");
  EXPECT_EQ(ConfigEnumName(Color::kRed), "RED");
}

TEST(EnumCodecTest, SurroundingWhitespaceIsTrimmed) {
  for (absl::string_view text : {" dark_blue", "DARK_BLUE\n", "dark-blue\r", "\tdarkBlue \r\n"}) {
    EXPECT_EQ(ValueCodec<Color>::Parse(text).value_or(Color::kRed), Color::kDarkBlue) << text;
  }
  EXPECT_FALSE(ValueCodec<Color>::Parse("dark blue").ok());
}

TEST(OptionalDurationCodecTest, EmptyMeansUnset) {
  using Codec = ValueCodec<std::optional<absl::Duration>>;
  EXPECT_EQ(*Codec::Parse(""), std::nullopt);
  EXPECT_EQ(*Codec::Parse("  "), std::nullopt);
  EXPECT_EQ(*Codec::Parse("10s"), absl::Seconds(10));
  EXPECT_EQ(*Codec::NullValue(), std::nullopt);
  EXPECT_EQ(Codec::Format(absl::Seconds(10)), "10s");
  EXPECT_EQ(Codec::Format(std::nullopt), "");
}

TEST(ListCodecTest, TypeNameAndFormat) {
  EXPECT_EQ(ValueCodec<std::vector<std::string>>::TypeName(), "List<String>");
  EXPECT_EQ(ValueCodec<std::vector<std::string>>::Format({"a", "b"}), "[a, b]");
  EXPECT_EQ(ValueCodec<std::vector<std::string>>::Format({}), "[]");
}

}  // namespace
}  // namespace failover
