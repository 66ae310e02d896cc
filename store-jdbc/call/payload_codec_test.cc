#include "store-jdbc/call/payload_codec.h"

#include <string>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/testdata/quote.pb.h"

namespace failover {
namespace {

using calltest::Quote;

Quote MakeQuote() {
  Quote q;
  q.set_symbol("EURUSD");
  q.set_px(1.5);
  q.set_volume(42);
  return q;
}

TEST(ProtoJsonCodecTest, RoundTripsAsJson) {
  ProtoJsonCodec<Quote> codec;
  EXPECT_EQ(codec.type_name(), "failover.calltest.Quote");
  absl::StatusOr<std::string> json = codec.Encode(MakeQuote());
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_NE(json->find("\"symbol\":\"EURUSD\""), std::string::npos) << *json;
  absl::StatusOr<Quote> back = codec.Decode(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->symbol(), "EURUSD");
  EXPECT_EQ(back->px(), 1.5);
  EXPECT_EQ(back->volume(), 42);
}

TEST(ProtoJsonCodecTest, TypeNameOverrideAndUnknownFields) {
  ProtoJsonCodec<Quote> codec("com.acme.Quote");
  EXPECT_EQ(codec.type_name(), "com.acme.Quote");
  absl::StatusOr<Quote> back = codec.Decode(R"({"symbol":"X","addedByJava":true})");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->symbol(), "X");
}

TEST(ProtoJsonCodecTest, BadJsonIsInvalidArgumentNamingTheType) {
  ProtoJsonCodec<Quote> codec("com.acme.Quote");
  absl::StatusOr<Quote> back = codec.Decode("{not json");
  EXPECT_EQ(back.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(back.status().message().find("com.acme.Quote"), std::string::npos);
  EXPECT_FALSE(codec.Decode(R"({"px":"not a number"})").ok());
}

TEST(StringCodecTest, StoresAJsonString) {
  StringCodec codec;
  EXPECT_EQ(codec.type_name(), "java.lang.String");
  absl::StatusOr<std::string> json = codec.Encode("say \"hi\"\n");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"("say \"hi\"\n")");
  EXPECT_EQ(*codec.Decode(*json), "say \"hi\"\n");
  EXPECT_EQ(*codec.Decode(R"("caf\u00e9")"), "caf\xc3\xa9");
  EXPECT_EQ(codec.Decode("bare").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StringCodecTest, EscapesLikeJacksonAndRoundTrips) {
  StringCodec codec;
  const std::string text = "tab\there\\ caf\xc3\xa9 \x01 </script>";
  absl::StatusOr<std::string> json = codec.Encode(text);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json, "\"tab\\there\\\\ caf\xc3\xa9 \\u0001 </script>\"");
  EXPECT_EQ(*codec.Decode(*json), text);
  EXPECT_EQ(codec.Encode("bad \xff utf-8").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FunctionCodecTest, UsesTheUserFunctions) {
  FunctionCodec<int> codec(
      "java.lang.Integer",
      [](const int& v) -> absl::StatusOr<std::string> { return std::to_string(v); },
      [](absl::string_view s) -> absl::StatusOr<int> {
        int v = 0;
        if (!absl::SimpleAtoi(s, &v)) return absl::InvalidArgumentError("not an int");
        return v;
      });
  EXPECT_EQ(codec.type_name(), "java.lang.Integer");
  EXPECT_EQ(*codec.Encode(12), "12");
  EXPECT_EQ(*codec.Decode("34"), 34);
  EXPECT_FALSE(codec.Decode("x").ok());
}

}  // namespace
}  // namespace failover
