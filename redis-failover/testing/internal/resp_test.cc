#include "redis-failover/testing/internal/resp.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace redis_testing {
namespace internal {
namespace {

// Parses `wire` whole; expects it to be exactly one complete reply.
RespReply ParseWhole(const std::string& wire) {
  RespReply reply;
  absl::StatusOr<size_t> used = ParseReply(wire, &reply);
  EXPECT_TRUE(used.ok()) << used.status();
  EXPECT_EQ(used.value_or(0), wire.size()) << wire;
  return reply;
}

TEST(EncodeCommandTest, ArrayOfBulkStrings) {
  EXPECT_EQ(EncodeCommand({"SET", "k", ""}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
  EXPECT_EQ(EncodeCommand({"a\r\nb"}), "*1\r\n$4\r\na\r\nb\r\n");
}

TEST(ParseReplyTest, RendersEachType) {
  EXPECT_EQ(ParseWhole("+OK\r\n").text, "OK");
  EXPECT_EQ(ParseWhole(":-42\r\n").text, "-42");
  EXPECT_EQ(ParseWhole("$5\r\nhe\r\no\r\n").text, "he\r\no");
  EXPECT_EQ(ParseWhole("$0\r\n\r\n").text, "");
  EXPECT_EQ(ParseWhole("$-1\r\n").text, "(nil)");
  EXPECT_EQ(ParseWhole("*-1\r\n").text, "(nil)");
  EXPECT_EQ(ParseWhole("*0\r\n").text, "(empty array)");

  const RespReply error = ParseWhole("-ERR unknown command\r\n");
  EXPECT_EQ(error.text, "-ERR unknown command");
  EXPECT_TRUE(error.is_error);
  EXPECT_FALSE(ParseWhole("+OK\r\n").is_error);
}

TEST(ParseReplyTest, ArraysJoinElementsWithNewlinesAndFlattenNesting) {
  EXPECT_EQ(ParseWhole("*3\r\n$1\r\na\r\n:2\r\n$-1\r\n").text, "a\n2\n(nil)");
  const RespReply nested = ParseWhole("*2\r\n*2\r\n+x\r\n-ERR y\r\n$1\r\nz\r\n");
  EXPECT_EQ(nested.text, "x\n-ERR y\nz");
  EXPECT_FALSE(nested.is_error);  // Only a top-level error counts.
}

TEST(ParseReplyTest, EveryStrictPrefixIsIncomplete) {
  const std::string wire = "*3\r\n$3\r\nfoo\r\n*1\r\n:7\r\n+bar\r\n";
  for (size_t n = 0; n < wire.size(); ++n) {
    RespReply reply;
    absl::StatusOr<size_t> used = ParseReply(wire.substr(0, n), &reply);
    ASSERT_TRUE(used.ok()) << n << ": " << used.status();
    EXPECT_EQ(*used, 0u) << "prefix of " << n << " bytes";
  }
  EXPECT_EQ(ParseWhole(wire).text, "foo\n7\nbar");
}

TEST(ParseReplyTest, StopsAfterTheFirstReply) {
  RespReply reply;
  absl::StatusOr<size_t> used = ParseReply("+OK\r\n:1\r\n", &reply);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(*used, 5u);
  EXPECT_EQ(reply.text, "OK");
}

TEST(ParseReplyTest, RejectsWhatIsNotResp) {
  std::string deeply_nested;
  for (int i = 0; i < 40; ++i) deeply_nested += "*1\r\n";
  for (const std::string& wire :
       {std::string("HTTP/1.1 400\r\n"), std::string("?"), std::string("$x\r\n"),
        std::string("$-2\r\n"), std::string("$1\r\nab\r\n"), std::string(":1.5\r\n"),
        std::string("*a\r\n"), std::string("\r\n"), deeply_nested}) {
    RespReply reply;
    absl::StatusOr<size_t> used = ParseReply(wire + std::string(40, '+') + "\r\n", &reply);
    EXPECT_EQ(used.status().code(), absl::StatusCode::kInvalidArgument) << wire;
  }
}

}  // namespace
}  // namespace internal
}  // namespace redis_testing
}  // namespace failover
