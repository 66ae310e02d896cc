// RedisFailoverClient's commands against real redis-server processes: the generic call, typed
// helpers, pipelines, transactions, pub/sub, reply errors, and a clean Close().
#include "redis-failover/redis_client.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/redis-failover/client_test_util.h"

namespace failover {
namespace redis {
namespace {

using client_testing::CommandCalls;
using client_testing::FastOptions;
using client_testing::MakeClient;
using client_testing::StartServers;
using client_testing::WaitFor;

TEST(RedisClientTest, TypedHelpers) {
  auto servers = StartServers(1);
  ASSERT_EQ(servers.size(), 1u);
  auto client = MakeClient(FastOptions(servers, {1.0}));
  ASSERT_NE(client, nullptr);

  EXPECT_EQ(*client->Get("k"), std::nullopt);
  EXPECT_TRUE(*client->Set("k", std::string("v\0w", 3)));
  EXPECT_EQ(*client->Get("k"), std::string("v\0w", 3));
  SetOptions nx;
  nx.condition = SetOptions::Condition::kIfAbsent;
  EXPECT_FALSE(*client->Set("k", "other", nx));
  SetOptions xx;
  xx.condition = SetOptions::Condition::kIfExists;
  EXPECT_FALSE(*client->Set("absent", "x", xx));
  SetOptions ttl;
  ttl.ttl = absl::Milliseconds(1500);
  EXPECT_TRUE(*client->Set("t", "x", ttl));
  absl::StatusOr<std::optional<absl::Duration>> left = client->Ttl("t");
  ASSERT_TRUE(left.ok()) << left.status();
  ASSERT_TRUE(left->has_value());
  EXPECT_GT(**left, absl::Milliseconds(1000));
  EXPECT_LE(**left, absl::Milliseconds(1500));
  EXPECT_EQ(*client->Ttl("k"), std::nullopt);
  EXPECT_EQ(client->Ttl("absent").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(*client->Expire("k", absl::Seconds(30)));
  EXPECT_FALSE(*client->Expire("absent", absl::Seconds(30)));

  EXPECT_EQ(*client->Incr("n"), 1);
  EXPECT_EQ(*client->IncrBy("n", 41), 42);
  EXPECT_EQ(*client->Exists({"k", "n", "absent"}), 2);
  EXPECT_EQ(*client->Del({"k", "absent"}), 1);

  EXPECT_EQ(*client->HSet("h", {{"a", "1"}, {"b", "2"}}), 2);
  EXPECT_EQ(*client->HSet("h", {{"a", "3"}}), 0);
  EXPECT_EQ(*client->HGet("h", "a"), "3");
  EXPECT_EQ(*client->HGet("h", "zz"), std::nullopt);
  EXPECT_EQ(*client->HGetAll("h"), (std::map<std::string, std::string>{{"a", "3"}, {"b", "2"}}));
  EXPECT_EQ(*client->HDel("h", {"a"}), 1);

  EXPECT_EQ(*client->RPush("l", {"x", "y"}), 2);
  EXPECT_EQ(*client->LPush("l", {"w"}), 3);
  auto popped = client->BLPop({"l"}, absl::Seconds(1));
  ASSERT_TRUE(popped.ok()) << popped.status();
  EXPECT_EQ(**popped, std::make_pair(std::string("l"), std::string("w")));

  // Seen by an independent client on the server itself.
  EXPECT_EQ(*servers[0]->Command({"GET", "n"}), "42");
}

// BLPOP waits server-side longer than the socket timeout: the call gets a timeout of its own.
TEST(RedisClientTest, BlockingPopWaitsBeyondTheSocketTimeout) {
  auto servers = StartServers(1);
  ASSERT_EQ(servers.size(), 1u);
  auto client = MakeClient(FastOptions(servers, {1.0}));
  ASSERT_NE(client, nullptr);
  const absl::Time start = absl::Now();
  auto popped = client->BLPop({"empty"}, absl::Milliseconds(600));  // Socket timeout: 200 ms.
  ASSERT_TRUE(popped.ok()) << popped.status();
  EXPECT_EQ(*popped, std::nullopt);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(550));
  // The connection went back to the pool with the normal timeout: a plain call still works.
  EXPECT_TRUE(client->Set("after", "1").ok());
  EXPECT_EQ(client->BLPop({"l"}, absl::InfiniteDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Reply errors are replies: they never count against the endpoint, however many there are.
TEST(RedisClientTest, ReplyErrorsNeverTripTheBreaker) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->RPush("list", {"a"}).ok());
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<RedisReply> r = client->Command({"INCR", "list"});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->is_error());
  }
  absl::StatusOr<int64_t> typed = client->Incr("list");
  EXPECT_EQ(typed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(typed.status().message().find("WRONGTYPE"), absl::string_view::npos);
  EXPECT_EQ(client->active_endpoint(), "east");
  for (const EndpointStatus& e : client->endpoints()) {
    EXPECT_EQ(e.breaker, CircuitBreakerState::kClosed) << e.name;
  }
}

TEST(RedisClientTest, PipelineAndTransaction) {
  auto servers = StartServers(1);
  ASSERT_EQ(servers.size(), 1u);
  auto client = MakeClient(FastOptions(servers, {1.0}));
  ASSERT_NE(client, nullptr);
  absl::StatusOr<std::vector<RedisReply>> replies =
      client->Pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"}, {"INCR", "missing-type"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1], RedisReply::Integer(2));
  EXPECT_EQ((*replies)[2], RedisReply::String("2"));

  absl::StatusOr<RedisReply> exec = client->Transaction({{"INCR", "a"}, {"INCR", "a"}});
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_EQ(*exec, RedisReply::Array({RedisReply::Integer(3), RedisReply::Integer(4)}));
  // A command refused while queueing aborts the whole transaction.
  exec = client->Transaction({{"INCR", "a"}, {"NOSUCHCOMMAND"}});
  ASSERT_TRUE(exec.ok()) << exec.status();
  EXPECT_TRUE(exec->is_error());
  EXPECT_NE(exec->text().find("EXECABORT"), std::string::npos);
  EXPECT_EQ(*servers[0]->Command({"GET", "a"}), "4");
  EXPECT_EQ(client->Pipeline({{"GET", "a"}, {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Pub/sub follows the active endpoint: after a switch the subscription is re-made on the new
// one, and messages published there arrive.
TEST(RedisClientTest, SubscriptionMovesToTheNewActiveEndpoint) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  Mutex mu;
  std::vector<PubSubMessage> received;
  auto sub = client->Subscribe({"news"}, {"audit.*"}, [&](const PubSubMessage& m) {
    MutexLock lock(&mu);
    received.push_back(m);
  });
  ASSERT_TRUE(sub.ok()) << sub.status();
  EXPECT_EQ((*sub)->endpoint(), "east");
  auto count = [&] {
    MutexLock lock(&mu);
    return received.size();
  };
  ASSERT_EQ(*servers[0]->Command({"PUBLISH", "news", "one"}), "1");
  ASSERT_EQ(*servers[0]->Command({"PUBLISH", "audit.login", "two"}), "1");
  ASSERT_TRUE(WaitFor([&] { return count() == 2; }));

  ASSERT_TRUE(client->SetActive("west").ok());
  ASSERT_TRUE((*sub)->WaitUntilSubscribedOn("west", absl::Seconds(10)));
  EXPECT_EQ(*servers[1]->Command({"PUBLISH", "news", "three"}), "1");
  EXPECT_EQ(*servers[0]->Command({"PUBLISH", "news", "lost"}), "0");  // Nobody left on east.
  ASSERT_TRUE(WaitFor([&] { return count() == 3; }));
  {
    MutexLock lock(&mu);
    EXPECT_EQ(received[0].channel, "news");
    EXPECT_EQ(received[0].endpoint, "east");
    EXPECT_EQ(received[1].pattern, "audit.*");
    EXPECT_EQ(received[1].channel, "audit.login");
    EXPECT_EQ(received[1].payload, "two");
    EXPECT_EQ(received[2].payload, "three");
    EXPECT_EQ(received[2].endpoint, "west");
  }
  EXPECT_EQ((*sub)->subscribe_count(), 2u);
  sub->reset();
  EXPECT_EQ(*servers[1]->Command({"PUBLISH", "news", "after"}), "0");
}

// Close() leaves no connection behind on any server: pools, probes and subscriptions.
TEST(RedisClientTest, CloseLeavesNoConnections) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  auto client = MakeClient(FastOptions(servers, {1.0, 0.5}));
  ASSERT_NE(client, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) EXPECT_TRUE(client->Set("k", "v").ok());
    });
  }
  for (auto& t : threads) t.join();
  auto sub = client->Subscribe({"c"}, {}, [](const PubSubMessage&) {});
  ASSERT_TRUE(sub.ok()) << sub.status();
  auto named_clients = [&](const client_testing::RedisServer& s) {
    absl::StatusOr<std::string> list = s.Command({"CLIENT", "LIST"});
    EXPECT_TRUE(list.ok()) << list.status();
    size_t n = 0;
    for (size_t at = 0; (at = list->find("name=failover-test", at)) != std::string::npos; ++at) {
      ++n;
    }
    return n;
  };
  EXPECT_GE(named_clients(*servers[0]), 2u);  // Pooled connections and the subscription.
  sub->reset();
  client->Close();
  EXPECT_EQ(client->Get("k").status().code(), absl::StatusCode::kFailedPrecondition);
  for (const auto& s : servers) {
    EXPECT_TRUE(WaitFor([&] { return named_clients(*s) == 0; }, absl::Seconds(5)))
        << *s->Command({"CLIENT", "LIST"});
  }
  client.reset();
  EXPECT_GT(CommandCalls(*servers[0], "set"), 0);
}

}  // namespace
}  // namespace redis
}  // namespace failover
