#include "naming-client/failover_watch_state.h"

#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

v1::WatchEvent Upsert(uint64_t revision, const std::string& key, const std::string& ip) {
  v1::WatchEvent event;
  event.set_revision(revision);
  v1::FailoverServiceEntry* entry = event.mutable_service_upserted();
  entry->set_key(key);
  entry->set_revision(revision);
  v1::Instance* host = entry->mutable_info()->add_hosts();
  host->set_ip(ip);
  host->set_port(80);
  return event;
}

v1::WatchResponse Snapshot(uint64_t revision, bool on, std::vector<v1::WatchEvent> services) {
  v1::WatchResponse response;
  response.set_epoch("e1");
  response.set_revision(revision);
  response.set_snapshot_begin(true);
  response.set_snapshot_end(true);
  v1::WatchEvent* sw = response.add_events();
  sw->mutable_switch_changed()->set_enabled(on);
  sw->mutable_switch_changed()->set_revision(1);
  for (v1::WatchEvent& e : services) *response.add_events() = std::move(e);
  return response;
}

v1::WatchResponse Events(uint64_t revision, std::vector<v1::WatchEvent> events) {
  v1::WatchResponse response;
  response.set_epoch("e1");
  response.set_revision(revision);
  for (v1::WatchEvent& e : events) *response.add_events() = std::move(e);
  return response;
}

TEST(FailoverWatchStateTest, SnapshotThenEventsWithKeysAsIdentityAndContentHashes) {
  FailoverWatchState state("server s, namespace 'public'");
  EXPECT_EQ(state.Current(), nullptr);
  ASSERT_TRUE(*state.Apply(Snapshot(3, true, {Upsert(2, "G@@a", "1.1.1.1")})));
  auto first = state.Current();
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(first->switch_state.enabled);
  EXPECT_EQ(state.revision(), 3u);
  const FailoverServiceData& a = first->data.services.at("G@@a");
  EXPECT_EQ(a.key, (ServiceKey{"G", "a", ""}));
  EXPECT_EQ(a.info->name(), "a");
  EXPECT_EQ(a.info->group_name(), "G");

  v1::WatchEvent removed;
  removed.set_revision(5);
  removed.set_service_removed("G@@a");
  ASSERT_TRUE(*state.Apply(Events(5, {Upsert(4, "G@@a", "2.2.2.2"), removed})));
  EXPECT_TRUE(state.Current()->data.services.empty());
  ASSERT_TRUE(*state.Apply(Events(6, {Upsert(6, "G@@a", "1.1.1.1")})));
  // Same content, same hash; the first result is untouched.
  EXPECT_EQ(state.Current()->data.services.at("G@@a").content_hash, a.content_hash);
  EXPECT_EQ(first->data.services.at("G@@a").info->hosts(0).ip(), "1.1.1.1");
  ASSERT_TRUE(*state.Apply(Events(7, {Upsert(7, "G@@a", "3.3.3.3")})));
  EXPECT_NE(state.Current()->data.services.at("G@@a").content_hash, a.content_hash);
  EXPECT_FALSE(*state.Apply(Events(7, {})));  // A heartbeat.
}

TEST(FailoverWatchStateTest, BadKeysAreProblemsAndTheRestIsServed) {
  FailoverWatchState state("server s");
  ASSERT_TRUE(*state.Apply(Snapshot(
      3, false, {Upsert(2, "nogroup", "1"), Upsert(3, "G@@b@@", "2"), Upsert(3, "G@@ok", "3")})));
  const FailoverData& data = state.Current()->data;
  ASSERT_EQ(data.services.size(), 1u);
  EXPECT_TRUE(data.services.count("G@@ok"));
  ASSERT_EQ(data.problems.size(), 2u);
  EXPECT_EQ(data.problems[0].origin, "G@@b@@");
  EXPECT_EQ(data.problems[0].kind, FailoverProblemKind::kBadName);
  EXPECT_NE(data.problems[1].message.find("server s"), std::string::npos);
  v1::WatchEvent removed;
  removed.set_revision(4);
  removed.set_service_removed("nogroup");
  ASSERT_TRUE(*state.Apply(Events(4, {removed})));
  EXPECT_EQ(state.Current()->data.problems.size(), 1u);
}

TEST(FailoverWatchStateTest, ProtocolViolationsAskForASnapshot) {
  FailoverWatchState state("server s");
  EXPECT_FALSE(state.Apply(Events(1, {Upsert(1, "G@@a", "1")})).ok());  // Before a snapshot.
  ASSERT_TRUE(*state.Apply(Snapshot(3, false, {})));
  EXPECT_FALSE(state.Apply(Events(5, {Upsert(5, "G@@a", "1")})).ok());  // Gap: 4 is missing.
  v1::WatchResponse other_epoch = Events(4, {Upsert(4, "G@@a", "1")});
  other_epoch.set_epoch("e2");
  EXPECT_FALSE(state.Apply(other_epoch).ok());
  EXPECT_TRUE(state.Current()->data.services.empty());  // Nothing applied.
  state.Resynchronize();
  EXPECT_EQ(state.revision(), 0u);
  EXPECT_NE(state.Current(), nullptr);  // Kept until the next snapshot.
}

TEST(FailoverWatchStateTest, ASnapshotInPiecesReplacesEverythingAtItsEnd) {
  FailoverWatchState state("server s");
  ASSERT_TRUE(*state.Apply(Snapshot(2, true, {Upsert(2, "G@@old", "1")})));
  v1::WatchResponse begin = Snapshot(9, false, {Upsert(8, "G@@new", "2")});
  begin.set_snapshot_end(false);
  EXPECT_FALSE(*state.Apply(begin));
  EXPECT_TRUE(state.Current()->data.services.count("G@@old"));  // Not yet.
  v1::WatchResponse end;
  end.set_epoch("e2");
  end.set_revision(9);
  end.set_snapshot_end(true);
  *end.add_events() = Upsert(9, "G@@new2", "3");
  ASSERT_TRUE(*state.Apply(end));
  EXPECT_EQ(state.Current()->data.services.size(), 2u);
  EXPECT_FALSE(state.Current()->data.services.count("G@@old"));
  EXPECT_FALSE(state.Current()->switch_state.enabled);
  EXPECT_EQ(state.epoch(), "e2");
}

}  // namespace
}  // namespace naming
}  // namespace failover
