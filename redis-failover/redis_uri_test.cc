#include "redis-failover/redis_uri.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

TEST(ParseRedisUriTest, HostOnlyGetsDefaults) {
  absl::StatusOr<RedisAddress> a = ParseRedisUri("redis://cache.internal");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "cache.internal");
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->db, 0);
  EXPECT_TRUE(a->user.empty());
  EXPECT_TRUE(a->password.empty());
}

TEST(ParseRedisUriTest, EveryPart) {
  absl::StatusOr<RedisAddress> a = ParseRedisUri("redis://app:s3cret@10.0.0.7:6380/2");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "10.0.0.7");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->user, "app");
  EXPECT_EQ(a->password, "s3cret");
  EXPECT_EQ(a->db, 2);
  EXPECT_EQ(a->ToString(), "redis://app:****@10.0.0.7:6380/2");
}

TEST(ParseRedisUriTest, PasswordOnlyAndPercentEscapes) {
  absl::StatusOr<RedisAddress> a = ParseRedisUri("REDIS://:p%40ss%3Aword@127.0.0.1:7000");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->user, "");
  EXPECT_EQ(a->password, "p@ss:word");
  EXPECT_EQ(a->port, 7000);
}

TEST(ParseRedisUriTest, Ipv6) {
  absl::StatusOr<RedisAddress> a = ParseRedisUri("redis://[::1]:6390/1");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 6390);
  EXPECT_EQ(a->ToString(), "redis://[::1]:6390/1");
  EXPECT_EQ(ParseRedisUri("redis://[::1]")->port, 6379);
}

TEST(ParseRedisUriTest, EmptyDbPathMeansZero) { EXPECT_EQ(ParseRedisUri("redis://h:1/")->db, 0); }

struct BadUri {
  const char* uri;
  const char* says;
};

TEST(ParseRedisUriTest, RejectsWithAMessageNamingTheProblem) {
  const BadUri cases[] = {
      {"http://h:6379", "must start with redis://"},
      {"rediss://h:6379", "TLS (rediss://) is not supported"},
      {"unix:///tmp/redis.sock", "unix sockets are not supported"},
      {"redis://", "missing host"},
      {"redis://:6379", "missing host"},
      {"redis://h:", "port '' is not in 1..65535"},
      {"redis://h:0", "port '0' is not in 1..65535"},
      {"redis://h:65536", "port '65536' is not in 1..65535"},
      {"redis://h:abc", "port 'abc' is not in 1..65535"},
      {"redis://h/x", "database 'x' is not a number >= 0"},
      {"redis://h/-1", "database '-1' is not a number >= 0"},
      {"redis://h?db=1", "query parameters and fragments are not supported"},
      {"redis://[::1:6379", "unclosed '['"},
      {"redis://[::1]x", "unexpected text after ']'"},
      {"redis://user@h", "a user name needs a password"},
      {"redis://:%zz@h", "bad %-escape in the password"},
      {"redis://:%4@h", "bad %-escape in the password"},
      {"redis://h st:1", "host 'h st' contains ' '"},
  };
  for (const BadUri& c : cases) {
    const absl::StatusOr<RedisAddress> a = ParseRedisUri(c.uri);
    ASSERT_FALSE(a.ok()) << c.uri;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument) << c.uri;
    EXPECT_NE(std::string(a.status().message()).find(c.says), std::string::npos)
        << c.uri << " -> " << a.status();
  }
}

TEST(ParseRedisUriTest, ErrorsNeverShowThePassword) {
  const absl::StatusOr<RedisAddress> a = ParseRedisUri("redis://app:hunter2@h:99999");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(std::string(a.status().message()).find("hunter2"), std::string::npos);
  EXPECT_NE(std::string(a.status().message()).find("redis://app:****@h:99999"), std::string::npos);
}

TEST(RedisUriTest, RedactionCoversMalformedUris) {
  EXPECT_EQ(RedactRedisUri("redis://app:pw@h:1/2"), "redis://app:****@h:1/2");
  EXPECT_EQ(RedactRedisUri("redis://pw@h"), "redis://****@h");
  EXPECT_EQ(RedactRedisUri("redis:/:pw@h"), "redis:****@h");
  EXPECT_EQ(RedactRedisUri("redis://u:p/w@h"), "redis://u:****@h");
  EXPECT_EQ(RedactRedisUri("redis://h:6379"), "redis://h:6379");
  absl::StatusOr<RedisAddress> a = ParseRedisUri("redis://pw@h:x");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(std::string(a.status().message()).find("pw"), std::string::npos) << a.status();
}

}  // namespace
}  // namespace redis
}  // namespace failover
