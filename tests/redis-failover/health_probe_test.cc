// PING and ECHO probes against real redis-server processes.
#include "redis-failover/health_probe.h"

#include <memory>

#include "absl/time/clock.h"
#include "core/random.h"
#include "gtest/gtest.h"
#include "redis-failover/testing/redis_server.h"

namespace failover {
namespace redis {
namespace {

using redis_testing::RedisServer;

TEST(HealthProbeTest, PingAndEchoSeeALiveServer) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  const RedisAddress address = *ParseRedisUri((*server)->uri());
  SeededRandom random(3);
  EXPECT_TRUE(PingProbe(address)(absl::Seconds(2)).ok());
  EXPECT_TRUE(EchoProbe(address, random)(absl::Seconds(2)).ok());
}

TEST(HealthProbeTest, KilledServerIsUnhealthy) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  const RedisAddress address = *ParseRedisUri((*server)->uri());
  ASSERT_TRUE((*server)->Kill().ok());
  const absl::Status s = PingProbe(address)(absl::Seconds(2));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
}

TEST(HealthProbeTest, HungServerFailsWithinTheProbeTimeout) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  const RedisAddress address = *ParseRedisUri((*server)->uri());
  ASSERT_TRUE((*server)->Pause().ok());
  const absl::Time start = absl::Now();
  const absl::Status s = PingProbe(address)(absl::Milliseconds(300));
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE((*server)->Resume().ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  EXPECT_LT(took, absl::Seconds(3));
  EXPECT_TRUE(PingProbe(address)(absl::Seconds(2)).ok());  // Healthy again once resumed.
}

TEST(HealthProbeTest, WrongPasswordIsUnhealthyWithAClearReason) {
  redis_testing::RedisServerOptions options;
  options.password = "right";
  auto server = RedisServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  RedisAddress address = *ParseRedisUri((*server)->uri());
  address.password = "wrong";
  const absl::Status s = PingProbe(address)(absl::Seconds(2));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
}

}  // namespace
}  // namespace redis
}  // namespace failover
