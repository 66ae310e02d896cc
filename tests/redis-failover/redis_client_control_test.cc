// RedisFailoverClient's selection and control against real servers: ties, manual switches,
// weights, adding and removing endpoints, forcing, and the start-up policy.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "redis-failover/redis_client.h"
#include "tests/redis-failover/client_test_util.h"

namespace failover {
namespace redis {
namespace {

using client_testing::FastOptions;
using client_testing::MakeClient;
using client_testing::StartServers;
using client_testing::SwitchLog;
using client_testing::WaitFor;
using client_testing::WaitUntilSettled;

bool Healthy(const RedisFailoverClient& client, const std::string& name) {
  for (const EndpointStatus& e : client.endpoints()) {
    if (e.name == name) return e.healthy;
  }
  return false;
}

TEST(RedisClientControlTest, TiesGoToConfigurationOrder) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  RedisClientOptions options = FastOptions(servers, {1.0, 1.0});
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->active_endpoint(), "east");

  std::swap(options.endpoints[0], options.endpoints[1]);
  auto reversed = MakeClient(options);
  ASSERT_NE(reversed, nullptr);
  EXPECT_EQ(reversed->active_endpoint(), "west");

  // Equal weight is no reason to fail back: after east fails, west keeps the traffic.
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  ASSERT_TRUE(servers[0]->Kill().ok());
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "west"; }));
  ASSERT_TRUE(servers[0]->Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return Healthy(*client, "east"); }));
  absl::SleepFor(absl::Milliseconds(600));  // Past the 400 ms grace period.
  EXPECT_EQ(client->active_endpoint(), "west");
  EXPECT_EQ(log.ToString(), "east -> west (HEALTH_CHECK)");
}

TEST(RedisClientControlTest, ManualSwitchToADownEndpointIsRefused) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(servers[1]->Kill().ok());
  ASSERT_TRUE(WaitFor([&] { return !Healthy(*client, "west"); }));
  absl::Status s = client->SetActive("west");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("west"), absl::string_view::npos) << s;
  EXPECT_EQ(client->ForceActive("west", absl::Seconds(5)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client->SetActive("nowhere").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client->active_endpoint(), "east");
  EXPECT_TRUE(client->Set("k", "v").ok());
}

TEST(RedisClientControlTest, ForcedEndpointStaysActiveForItsDuration) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  ASSERT_TRUE(client->ForceActive("west", absl::Milliseconds(500)).ok());
  EXPECT_EQ(client->active_endpoint(), "west");
  EXPECT_TRUE(client->Set("k", "forced").ok());
  EXPECT_EQ(*servers[1]->Command({"GET", "k"}), "forced");
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(client->active_endpoint(), "west");  // Failback checks ran, but it is forced.
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "east"; }, absl::Seconds(3)));
  // Switch events reach listeners after the switch, possibly on another thread.
  ASSERT_TRUE(WaitFor([&] { return log.size() >= 2; }));
  EXPECT_EQ(log.ToString(), "east -> west (FORCED), west -> east (FAILBACK)");
}

TEST(RedisClientControlTest, RuntimeWeightChangeMovesTraffic) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  ASSERT_TRUE(client->SetWeight("west", 2.0).ok());
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "west"; }));
  ASSERT_TRUE(WaitFor([&] { return log.size() >= 1; }));
  EXPECT_EQ(log.ToString(), "east -> west (FAILBACK)");
  EXPECT_EQ(client->SetWeight("west", -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->SetWeight("nowhere", 1).code(), absl::StatusCode::kNotFound);
}

TEST(RedisClientControlTest, AddAndRemoveEndpoints) {
  auto servers = StartServers(3);
  ASSERT_EQ(servers.size(), 3u);
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5, 0});
  const RedisEndpointOptions north = options.endpoints[2];
  options.endpoints.pop_back();
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);

  RedisEndpointOptions heavier = north;
  heavier.weight = 3.0;
  ASSERT_TRUE(client->AddEndpoint(heavier).ok());
  EXPECT_EQ(client->AddEndpoint(heavier).code(), absl::StatusCode::kAlreadyExists);
  RedisEndpointOptions bad = heavier;
  bad.name = "bad";
  bad.uri = "http://nope";
  EXPECT_EQ(client->AddEndpoint(bad).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "north"; }));
  EXPECT_TRUE(client->Set("k", "north").ok());
  EXPECT_EQ(*servers[2]->Command({"GET", "k"}), "north");

  ASSERT_TRUE(client->RemoveEndpoint("north").ok());
  EXPECT_EQ(client->active_endpoint(), "east");
  ASSERT_TRUE(client->RemoveEndpoint("west").ok());
  absl::Status last = client->RemoveEndpoint("east");
  EXPECT_EQ(last.code(), absl::StatusCode::kFailedPrecondition) << last;
  EXPECT_TRUE(client->Set("k", "east").ok());
  EXPECT_EQ(client->endpoints().size(), 1u);
  ASSERT_TRUE(WaitFor([&] { return log.size() >= 2; }));
  EXPECT_EQ(log.ToString(), "east -> north (FAILBACK), north -> east (FORCED)");
}

TEST(RedisClientControlTest, StartupPolicy) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  ASSERT_TRUE(servers[1]->Kill().ok());  // The standby is down at start-up.
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5});

  options.startup.policy = StartupPolicy::kAll;
  absl::StatusOr<std::unique_ptr<RedisFailoverClient>> all = RedisFailoverClient::Create(options);
  EXPECT_EQ(all.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(all.status().message().find("needs 2 of 2 endpoints available, 1 are (west: "),
            absl::string_view::npos)
      << all.status();

  options.startup.policy = StartupPolicy::kMajority;
  EXPECT_EQ(RedisFailoverClient::Create(options).status().code(), absl::StatusCode::kUnavailable);

  options.startup.policy = StartupPolicy::kOne;
  auto one = MakeClient(options);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->active_endpoint(), "east");
  EXPECT_TRUE(one->Set("k", "v").ok());

  // Down everywhere: even ONE refuses, and says why for each endpoint.
  ASSERT_TRUE(servers[0]->Kill().ok());
  absl::StatusOr<std::unique_ptr<RedisFailoverClient>> none = RedisFailoverClient::Create(options);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(none.status().message().find("east: "), absl::string_view::npos) << none.status();
}

TEST(RedisClientControlTest, InvalidOptionsNameTheField) {
  RedisClientOptions options;
  EXPECT_EQ(RedisFailoverClient::Create(options).status().message(),
            "endpoints: at least one endpoint is required");
  options.endpoints = {{"a", "redis://127.0.0.1:1", 1.0}, {"a", "redis://127.0.0.1:2", 1.0}};
  EXPECT_EQ(RedisFailoverClient::Create(options).status().message(),
            "endpoints[1].name: 'a' is used twice");
  options.endpoints = {{"a", "redis://u:secret@127.0.0.1:x", 1.0}};
  absl::Status s = RedisFailoverClient::Create(options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("endpoints[0].uri"), absl::string_view::npos) << s;
  EXPECT_EQ(s.message().find("secret"), absl::string_view::npos) << s;
}

}  // namespace
}  // namespace redis
}  // namespace failover
