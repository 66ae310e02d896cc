// data-source: grpc from YAML: a NamingClient built by NewNamingClient watches a central
// failover server (InMemoryFailoverDataServer, failover.v1.FailoverData) and a FakeNacosServer
// serves the upstream. Linking //naming-client:grpc_failover_data_source is what registers
// "grpc"; the factory itself does not depend on gRPC.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/testing/in_memory_failover_data_server.h"
#include "tests/naming-client/naming_client_fixture.h"
#include "tests/naming-client/wait_for.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};

class NamingClientGrpcTest : public NamingClientFixture {};

TEST_F(NamingClientGrpcTest, CentralSwitchServesFailoverDataAndFlipsReachSubscribers) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  server_->SetService("public", ServerService("orders", {"192.168.0.1"}));
  auto central = InMemoryFailoverDataServer::Start();
  ASSERT_TRUE(central.ok()) << central.status();
  FailoverDataStore& store = (*central)->store();
  ASSERT_TRUE(
      store.UpsertService("public", "DEFAULT_GROUP@@orders", ServerService("orders", {"10.0.0.1"}))
          .ok());
  ASSERT_TRUE(store.SetSwitch("public", true, "registry maintenance").ok());

  auto client = NewClient(absl::StrCat("    poll-interval: 5s\n    data-source: grpc\n",
                                       "    grpc: { target: \"", (*central)->target(), "\" }\n"));
  ASSERT_TRUE(client.ok()) << client.status();
  // The watch delivers the first snapshot on its own thread and asks the reactor for a poll at
  // once, long before the 5 s poll interval.
  ASSERT_TRUE(WaitFor([&] { return (*client)->reactor()->switch_on(); }, absl::Seconds(4)));
  auto found = (*client)->Lookup(kOrders);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->source, LookupSource::kFailover);
  EXPECT_EQ(found->info->hosts(0).ip(), "10.0.0.1");
  EXPECT_THAT(server_->Requests(), IsEmpty());

  EventLog events;
  ASSERT_TRUE((*client)->Subscribe(kOrders, events.Listener()).ok());
  ASSERT_TRUE(store.SetSwitch("public", false, "maintenance over").ok());
  // Off: the upstream's value once the poller has it (the subscription polls the server).
  ASSERT_TRUE(
      WaitFor([&] { return events.size() >= 2 && events.last() == "cache 192.168.0.1:8080"; },
              absl::Seconds(4)))
      << ::testing::PrintToString(events.lines());
  EXPECT_EQ(events.lines().front(), "failover 10.0.0.1:8080");
}

}  // namespace
}  // namespace naming
}  // namespace failover
