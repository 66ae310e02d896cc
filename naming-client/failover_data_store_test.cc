#include "naming-client/failover_data_store.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

v1::ServiceInfo OneHost(const std::string& ip) {
  v1::ServiceInfo info;
  v1::Instance* host = info.add_hosts();
  host->set_ip(ip);
  host->set_port(8080);
  return info;
}

TEST(FailoverDataStoreTest, EveryChangeTakesTheNextRevisionOfItsNamespace) {
  FailoverDataStore store;
  EXPECT_EQ(*store.SetSwitch("public", true, "drill"), 1u);
  EXPECT_EQ(*store.UpsertService("", "DEFAULT_GROUP@@orders", OneHost("10.0.0.1")), 2u);
  EXPECT_EQ(*store.UpsertService("prod", "DEFAULT_GROUP@@orders", OneHost("10.0.0.1")), 1u);
  // Nothing changes: no revision.
  EXPECT_EQ(*store.SetSwitch("public", true, "drill"), 2u);
  EXPECT_EQ(*store.UpsertService("public", "DEFAULT_GROUP@@orders", OneHost("10.0.0.1")), 2u);
  EXPECT_EQ(*store.RemoveService("public", "DEFAULT_GROUP@@orders"), 3u);
  EXPECT_EQ(*store.Revision("public"), 3u);
  EXPECT_EQ(*store.Revision("other"), 0u);
  EXPECT_FALSE(store.GetSwitch("other")->enabled);
  EXPECT_TRUE(store.GetSwitch("public")->enabled);
}

TEST(FailoverDataStoreTest, BadNamesAreInvalidArgumentAndMissingServicesNotFound) {
  FailoverDataStore store;
  EXPECT_EQ(store.SetSwitch("../x", true, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.UpsertService("public", "orders", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Status trailing = store.UpsertService("public", "G@@s@@", {}).status();
  EXPECT_EQ(trailing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(trailing.message().find("'G@@s'"), absl::string_view::npos) << trailing;
  EXPECT_EQ(store.GetService("public", "G@@s").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.RemoveService("public", "G@@s").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.ListServices("public", 10, "bad").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FailoverDataStoreTest, ListsInKeyOrderPageByPage) {
  FailoverDataStore store;
  for (const char* key : {"G@@c", "G@@a", "G@@b"}) {
    ASSERT_TRUE(store.UpsertService("public", key, OneHost("10.0.0.1")).ok());
  }
  absl::StatusOr<StoreServicePage> first = store.ListServices("public", 2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->services.size(), 2u);
  EXPECT_EQ(first->services[0].key, "G@@a");
  EXPECT_EQ(first->next_after_key, "G@@b");
  absl::StatusOr<StoreServicePage> second = store.ListServices("public", 2, first->next_after_key);
  ASSERT_EQ(second->services.size(), 1u);
  EXPECT_EQ(second->services[0].key, "G@@c");
  EXPECT_EQ(second->next_after_key, "");
}

TEST(FailoverDataStoreTest, CatchUpSendsChangesOrASnapshot) {
  FailoverDataStore store(FailoverDataStoreOptions{"e1", /*history_limit=*/2});
  ASSERT_TRUE(store.SetSwitch("public", true, "").ok());                  // 1
  ASSERT_TRUE(store.UpsertService("public", "G@@a", OneHost("1")).ok());  // 2
  ASSERT_TRUE(store.UpsertService("public", "G@@b", OneHost("2")).ok());  // 3

  absl::StatusOr<StoreCatchUp> changes = store.CatchUp("public", 1, "e1");
  ASSERT_TRUE(changes.ok());
  EXPECT_FALSE(changes->is_snapshot);
  ASSERT_EQ(changes->changes.size(), 2u);
  EXPECT_EQ(changes->changes[0].revision, 2u);
  EXPECT_EQ(changes->changes[1].service.key, "G@@b");
  EXPECT_EQ(changes->revision, 3u);

  EXPECT_TRUE(store.CatchUp("public", 3, "e1")->changes.empty());  // Up to date.
  EXPECT_FALSE(store.CatchUp("public", 3, "e1")->is_snapshot);
  EXPECT_TRUE(store.CatchUp("public", 0, "e1")->is_snapshot);          // Asked for.
  EXPECT_TRUE(store.CatchUp("public", 2, "e0")->is_snapshot);          // Another history.
  EXPECT_TRUE(store.CatchUp("public", 9, "e1")->is_snapshot);          // Ahead of the store.
  EXPECT_TRUE(store.CatchUp("public", 1, "e1")->changes.size() == 2);  // 2 and 3 still kept.

  ASSERT_TRUE(store.RemoveService("public", "G@@a").ok());  // 4; revision 2 leaves the history.
  absl::StatusOr<StoreCatchUp> snapshot = store.CatchUp("public", 1, "e1");
  ASSERT_TRUE(snapshot->is_snapshot);
  EXPECT_EQ(snapshot->snapshot.revision, 4u);
  EXPECT_TRUE(snapshot->snapshot.switch_state.enabled);
  EXPECT_EQ(snapshot->snapshot.switch_state.revision, 1u);
  ASSERT_EQ(snapshot->snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot->snapshot.services[0].key, "G@@b");
  EXPECT_EQ(snapshot->snapshot.services[0].revision, 3u);
}

TEST(FailoverDataStoreTest, EpochsDifferBetweenStores) {
  EXPECT_NE(FailoverDataStore().epoch(), FailoverDataStore().epoch());
  EXPECT_EQ(FailoverDataStore(FailoverDataStoreOptions{"fixed"}).epoch(), "fixed");
}

TEST(FailoverDataStoreTest, AwaitRevisionAboveWakesOnAChange) {
  FailoverDataStore store;
  EXPECT_FALSE(store.AwaitRevisionAbove("public", 0, absl::Milliseconds(1)));
  std::thread writer([&] { (void)store.SetSwitch("public", true, ""); });
  EXPECT_TRUE(store.AwaitRevisionAbove("public", 0, absl::Seconds(30)));
  writer.join();
}

TEST(FailoverDataStoreTest, ChangeListenerSeesEachRecordedChangeOnceItIsServed) {
  FailoverDataStore store;
  std::vector<std::string> seen;
  store.SetChangeListener([&](const std::string& ns, const StoreChange& change) {
    // The change is already served: the listener may read the store.
    const uint64_t revision = *store.Revision(ns);
    switch (change.kind) {
      case StoreChange::Kind::kSwitch:
        seen.push_back(absl::StrCat(ns, " ", change.revision, "/", revision, " switch ",
                                    change.switch_state.enabled, " ", change.switch_state.reason));
        break;
      case StoreChange::Kind::kUpsert:
        seen.push_back(absl::StrCat(ns, " ", change.revision, "/", revision, " upsert ",
                                    change.service.key, " ", change.service.info->hosts(0).ip()));
        break;
      case StoreChange::Kind::kRemove:
        seen.push_back(
            absl::StrCat(ns, " ", change.revision, "/", revision, " remove ", change.service.key));
        break;
    }
  });
  ASSERT_TRUE(store.SetSwitch("", true, "drill").ok());
  ASSERT_TRUE(store.SetSwitch("public", true, "drill").ok());  // Nothing changes: not told.
  ASSERT_TRUE(store.UpsertService("prod", "G@@a", OneHost("10.0.0.1")).ok());
  ASSERT_TRUE(store.UpsertService("prod", "G@@a", OneHost("10.0.0.1")).ok());  // Not told.
  ASSERT_TRUE(store.RemoveService("prod", "G@@a").ok());
  EXPECT_FALSE(store.RemoveService("prod", "G@@a").ok());  // NotFound: not told.
  store.UpsertUncheckedForTest("public", "odd", OneHost("10.0.0.2"));
  EXPECT_EQ(seen,
            (std::vector<std::string>{"public 1/1 switch 1 drill", "prod 1/1 upsert G@@a 10.0.0.1",
                                      "prod 2/2 remove G@@a", "public 2/2 upsert odd 10.0.0.2"}));

  store.SetChangeListener(nullptr);
  ASSERT_TRUE(store.SetSwitch("public", false, "").ok());
  EXPECT_EQ(seen.size(), 4u);
}

TEST(FailoverDataStoreTest, ChangeListenerGetsConcurrentChangesInRevisionOrder) {
  FailoverDataStore store;
  std::vector<uint64_t> revisions;  // Only touched by the listener: changes are serialised.
  store.SetChangeListener(
      [&](const std::string&, const StoreChange& change) { revisions.push_back(change.revision); });
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&store, w] {
      for (int i = 0; i < 50; ++i) {
        (void)store.UpsertService("public", absl::StrCat("G@@s", w),
                                  OneHost(absl::StrCat("10.0.", w, ".", i)));
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  ASSERT_EQ(revisions.size(), 200u);
  for (size_t i = 0; i < revisions.size(); ++i) EXPECT_EQ(revisions[i], i + 1);
}

}  // namespace
}  // namespace naming
}  // namespace failover
