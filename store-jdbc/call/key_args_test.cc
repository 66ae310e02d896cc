#include "store-jdbc/call/key_args.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(RawKeyTest, NoArgumentsIsNoArg) { EXPECT_EQ(RawKey({}), "NO-ARG"); }

TEST(RawKeyTest, ReferenceExamples) {
  EXPECT_EQ(RawKey({"x", "y", 1, 2, 3}), "x:y:1:2:3");
  EXPECT_EQ(RawKey({"x", KeyArg::List({1, 2, 3}), "y"}), "x:1,2,3:y");
  EXPECT_EQ(RawKey({"x", nullptr, "y"}), "x::y");
  EXPECT_EQ(RawKey({2.5}), "2.5");
}

TEST(RawKeyTest, MixedArgumentsAndNestedLists) {
  KeyArgs args{"x", 1, 2.5, KeyArg::List({1, 2, 3}), nullptr};
  EXPECT_EQ(RawKey(args), "x:1:2.5:1,2,3:");
  EXPECT_EQ(RawKey({KeyArg::List({KeyArg::List({1, 2}), "a", nullptr, true})}), "1,2,a,,true");
  EXPECT_EQ(RawKey({KeyArg::List({})}), "");
  EXPECT_EQ(RawKey({nullptr}), "");
}

TEST(RawKeyTest, ScalarsUseJavaText) {
  std::string s = "str";
  EXPECT_EQ(RawKey({true, false}), "true:false");
  EXPECT_EQ(RawKey({int64_t{-5}, std::numeric_limits<int64_t>::min()}), "-5:-9223372036854775808");
  EXPECT_EQ(RawKey({std::numeric_limits<uint64_t>::max()}), "18446744073709551615");
  EXPECT_EQ(RawKey({s, absl::string_view("view")}), "str:view");
  EXPECT_EQ(RawKey({1.5f}), "1.5");
  EXPECT_EQ(KeyArg(7).kind(), KeyArg::Kind::kInt);
  EXPECT_EQ(KeyArg(7u).kind(), KeyArg::Kind::kUint);
  EXPECT_EQ(KeyArg("x").kind(), KeyArg::Kind::kString);
  EXPECT_EQ(KeyArg(true).kind(), KeyArg::Kind::kBool);
  EXPECT_TRUE(KeyArg(nullptr).is_null());
}

TEST(JavaDoubleTextTest, MatchesDoubleToString) {
  EXPECT_EQ(JavaDoubleText(2.5), "2.5");
  EXPECT_EQ(JavaDoubleText(1.0), "1.0");
  EXPECT_EQ(JavaDoubleText(1.0e10), "1.0E10");
  EXPECT_EQ(JavaDoubleText(1.0e-5), "1.0E-5");
  EXPECT_EQ(JavaDoubleText(std::nan("")), "NaN");
  EXPECT_EQ(JavaDoubleText(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(JavaDoubleText(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(JavaDoubleText(-0.0), "-0.0");
  EXPECT_EQ(JavaDoubleText(0.0), "0.0");
  EXPECT_EQ(JavaDoubleText(0.1), "0.1");
  EXPECT_EQ(JavaDoubleText(-2.5), "-2.5");
  EXPECT_EQ(JavaDoubleText(100.0), "100.0");
  EXPECT_EQ(JavaDoubleText(1234567.0), "1234567.0");
  EXPECT_EQ(JavaDoubleText(9999999.0), "9999999.0");
  EXPECT_EQ(JavaDoubleText(1.0e7), "1.0E7");
  EXPECT_EQ(JavaDoubleText(0.001), "0.001");
  EXPECT_EQ(JavaDoubleText(0.0001), "1.0E-4");
  EXPECT_EQ(JavaDoubleText(123456789.0), "1.23456789E8");
  EXPECT_EQ(JavaDoubleText(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JavaDoubleText(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(JavaDoubleText(2e23), "2.0E23");
  EXPECT_EQ(JavaDoubleText(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(JavaDoubleText(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(JavaDoubleText(std::numeric_limits<double>::min()), "2.2250738585072014E-308");
  EXPECT_EQ(JavaDoubleText(12.0345), "12.0345");
}

TEST(JavaFloatTextTest, MatchesFloatToString) {
  EXPECT_EQ(JavaFloatText(1.1f), "1.1");
  EXPECT_EQ(JavaFloatText(0.1f), "0.1");
  EXPECT_EQ(JavaFloatText(33.3f), "33.3");
  EXPECT_EQ(JavaFloatText(1.0e10f), "1.0E10");
  EXPECT_EQ(JavaFloatText(16777216.0f), "1.6777216E7");
  EXPECT_EQ(JavaFloatText(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(JavaFloatText(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  EXPECT_EQ(JavaFloatText(-0.0f), "-0.0");
  EXPECT_EQ(JavaFloatText(std::nanf("")), "NaN");
  // A float widened to double prints differently: the float text must not go through double.
  EXPECT_EQ(JavaDoubleText(static_cast<double>(0.1f)), "0.10000000149011612");
}

}  // namespace
}  // namespace failover
