#include "redis-failover/redis_reply.h"

#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

TEST(RedisReplyTest, KindsAndAccessors) {
  EXPECT_TRUE(RedisReply::Nil().is_nil());
  EXPECT_EQ(RedisReply::Status("OK").text(), "OK");
  EXPECT_TRUE(RedisReply::Error("WRONGTYPE x").is_error());
  EXPECT_EQ(RedisReply::Integer(-3).integer(), -3);
  EXPECT_EQ(RedisReply::String(std::string("a\0b", 3)).text().size(), 3u);
  const RedisReply array = RedisReply::Array({RedisReply::String("a"), RedisReply::Nil()});
  ASSERT_EQ(array.elements().size(), 2u);
  EXPECT_EQ(array.elements()[0].text(), "a");
}

TEST(RedisReplyTest, DebugStringLooksLikeRedisCli) {
  EXPECT_EQ(RedisReply::Nil().DebugString(), "(nil)");
  EXPECT_EQ(RedisReply::Status("OK").DebugString(), "OK");
  EXPECT_EQ(RedisReply::Integer(3).DebugString(), "(integer) 3");
  EXPECT_EQ(RedisReply::String("v").DebugString(), "\"v\"");
  EXPECT_EQ(RedisReply::Error("ERR no").DebugString(), "(error) ERR no");
  EXPECT_EQ(RedisReply::Array({}).DebugString(), "(empty array)");
  EXPECT_EQ(RedisReply::Array({RedisReply::String("a"), RedisReply::Integer(2)}).DebugString(),
            "1) \"a\"\n2) (integer) 2");
}

TEST(RedisReplyTest, ErrorAsStatus) {
  EXPECT_TRUE(RedisReply::String("x").ErrorAsStatus().ok());
  const absl::Status s = RedisReply::Error("WRONGTYPE Operation").ErrorAsStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "redis replied with an error: WRONGTYPE Operation");
}

TEST(RedisReplyTest, Equality) {
  EXPECT_EQ(RedisReply::Integer(1), RedisReply::Integer(1));
  EXPECT_FALSE(RedisReply::Integer(1) == RedisReply::String("1"));
  EXPECT_EQ(RedisReply::Array({RedisReply::Nil()}), RedisReply::Array({RedisReply::Nil()}));
}

}  // namespace
}  // namespace redis
}  // namespace failover
