// RedisConnection against real redis-server processes on loopback.
#include "redis-failover/redis_connection.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "redis-failover/testing/redis_server.h"

namespace failover {
namespace redis {
namespace {

using redis_testing::RedisServer;
using redis_testing::RedisServerOptions;

std::unique_ptr<RedisServer> StartServer(RedisServerOptions options = {}) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

RedisAddress AddressOf(const RedisServer& server) {
  absl::StatusOr<RedisAddress> address = ParseRedisUri(server.uri());
  EXPECT_TRUE(address.ok()) << address.status();
  return *address;
}

RedisConnectionOptions Fast() {
  RedisConnectionOptions o;
  o.connect_timeout = absl::Milliseconds(500);
  o.socket_timeout = absl::Milliseconds(500);
  return o;
}

TEST(RedisConnectionTest, CommandsAndTypedReplies) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*(*c)->Command({"SET", "k", std::string("v\0w", 3)}), RedisReply::Status("OK"));
  EXPECT_EQ(*(*c)->Command({"GET", "k"}), RedisReply::String(std::string("v\0w", 3)));
  EXPECT_TRUE((*c)->Command({"GET", "missing"})->is_nil());
  EXPECT_EQ(*(*c)->Command({"INCR", "n"}), RedisReply::Integer(1));
  EXPECT_EQ(*(*c)->Command({"RPUSH", "l", "a", "b"}), RedisReply::Integer(2));
  EXPECT_EQ(*(*c)->Command({"LRANGE", "l", "0", "-1"}),
            RedisReply::Array({RedisReply::String("a"), RedisReply::String("b")}));
  // A reply error is a reply: the connection stays usable.
  const absl::StatusOr<RedisReply> wrong = (*c)->Command({"INCR", "l"});
  ASSERT_TRUE(wrong.ok());
  EXPECT_TRUE(wrong->is_error());
  EXPECT_NE(wrong->text().find("WRONGTYPE"), std::string::npos);
  EXPECT_FALSE((*c)->broken());
  EXPECT_EQ((*c)->Command({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*server->Command({"GET", "n"}), "1");  // Seen by an independent client.
}

TEST(RedisConnectionTest, PipelineReturnsRepliesInOrder) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  const absl::StatusOr<std::vector<RedisReply>> replies =
      (*c)->Pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"}, {"HGET", "a", "f"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1], RedisReply::Integer(2));
  EXPECT_EQ((*replies)[2], RedisReply::String("2"));
  EXPECT_TRUE((*replies)[3].is_error());
}

TEST(RedisConnectionTest, AuthSelectAndClientName) {
  RedisServerOptions options;
  options.user = "app";
  options.password = "p@ss word";
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  RedisAddress address = AddressOf(*server);
  address.db = 3;
  RedisConnectionOptions connection_options = Fast();
  connection_options.client_name = "orders-7";
  auto c = ConnectRedis(address, connection_options);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE((*c)->Command({"SET", "in-db-3", "x"}).ok());
  EXPECT_EQ(*server->Command({"SELECT", "3"}), "OK");
  EXPECT_NE(server->Command({"CLIENT", "LIST"})->find("name=orders-7"), std::string::npos);

  address.password = "wrong";
  const auto refused = ConnectRedis(address, Fast());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("AUTH refused"), absl::string_view::npos);
  EXPECT_EQ(refused.status().message().find("wrong"), absl::string_view::npos);  // Masked.
}

TEST(RedisConnectionTest, NobodyListeningIsUnavailable) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  const RedisAddress address = AddressOf(*server);
  ASSERT_TRUE(server->Kill().ok());
  const auto c = ConnectRedis(address, Fast());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(c.status().message().find(address.ToString()), absl::string_view::npos);
}

TEST(RedisConnectionTest, KilledServerBreaksTheConnection) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(server->Kill().ok());
  const absl::StatusOr<RedisReply> r = (*c)->Command({"PING"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  EXPECT_TRUE((*c)->broken());
  EXPECT_EQ((*c)->Command({"PING"}).status().code(), absl::StatusCode::kUnavailable);
}

TEST(RedisConnectionTest, HungServerTimesOutWithinTheSocketTimeout) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE(server->Pause().ok());
  const absl::Time start = absl::Now();
  const absl::StatusOr<RedisReply> r = (*c)->Command({"PING"});
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(server->Resume().ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded) << r.status();
  EXPECT_NE(r.status().message().find("no answer within 500ms"), absl::string_view::npos);
  EXPECT_GE(took, absl::Milliseconds(450));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_TRUE((*c)->broken());
}

// Fast failover: a command blocked on the server (BLPOP) returns as soon as another thread
// interrupts its connection.
TEST(RedisConnectionTest, InterruptUnblocksABlockedCommand) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  RedisConnectionOptions options = Fast();
  options.socket_timeout = absl::InfiniteDuration();
  auto c = ConnectRedis(AddressOf(*server), options);
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<RedisReply> blocked;
  absl::Time returned;
  std::thread waiter([&] {
    blocked = (*c)->Command({"BLPOP", "never-filled", "0"});
    returned = absl::Now();
  });
  // Wait (bounded) until the server reports the client as blocked, then interrupt.
  for (int i = 0; i < 500; ++i) {
    absl::StatusOr<std::string> info = server->Command({"INFO", "clients"});
    if (info.ok() && info->find("blocked_clients:1") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  const absl::Time interrupted = absl::Now();
  (*c)->Interrupt();
  waiter.join();
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(blocked.status().message().find("interrupted"), absl::string_view::npos);
  EXPECT_LT(returned - interrupted, absl::Seconds(1));
}

// Pub/sub uses Send() and Receive(): the subscription's confirmation and then pushed messages.
TEST(RedisConnectionTest, SendAndReceivePushedMessages) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE((*c)->Send({"SUBSCRIBE", "news"}).ok());
  absl::StatusOr<RedisReply> confirmed = (*c)->Receive();
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(*confirmed, RedisReply::Array({RedisReply::String("subscribe"),
                                           RedisReply::String("news"), RedisReply::Integer(1)}));
  EXPECT_EQ(*server->Command({"PUBLISH", "news", "hello"}), "1");
  absl::StatusOr<RedisReply> message = (*c)->Receive();
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(*message, RedisReply::Array({RedisReply::String("message"), RedisReply::String("news"),
                                         RedisReply::String("hello")}));
  // Nothing more arrives: Receive() gives up at the socket timeout.
  EXPECT_EQ((*c)->Receive().status().code(), absl::StatusCode::kDeadlineExceeded);
}

// A blocking command gets a longer timeout for itself; the error names the timeout in force.
TEST(RedisConnectionTest, SetSocketTimeoutChangesTheWaitForFollowingCalls) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto c = ConnectRedis(AddressOf(*server), Fast());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_TRUE((*c)->SetSocketTimeout(absl::Seconds(3)).ok());
  const absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> r = (*c)->Command({"BLPOP", "empty", "1"});  // Server waits 1 s.
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->is_nil());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(900));
  ASSERT_TRUE((*c)->SetSocketTimeout(absl::Milliseconds(200)).ok());
  r = (*c)->Command({"BLPOP", "empty", "1"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded) << r.status();
  EXPECT_NE(r.status().message().find("200ms"), absl::string_view::npos) << r.status();
}

}  // namespace
}  // namespace redis
}  // namespace failover
