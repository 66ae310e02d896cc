#include "store-jdbc/routing/tenant_routing_store.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

FailoverStoreEntry Entry(std::string key, absl::Time expire_on = kNow + absl::Hours(1)) {
  return FailoverStoreEntry{"quotes", std::move(key), kNow, expire_on, "{}", "acme.Quote"};
}

// The factory's side: every store it built, by tenant id ("" = the shared store), kept alive
// here so tests can look inside after routing.
class Tenants {
 public:
  TenantStoreFactory Factory() {
    return [this](const std::string& tenant_id,
                  const TenantConfig& tenant) -> absl::StatusOr<std::unique_ptr<FailoverStore>> {
      MutexLock lock(&mu_);
      ++calls_[tenant_id];
      if (failures_left_ > 0) {
        --failures_left_;
        return absl::UnavailableError("database unreachable");
      }
      prefixes_[tenant_id] = tenant.table_prefix;
      auto& backend = backends_[tenant_id];
      backend = std::make_unique<MapFailoverStore>();
      return std::unique_ptr<FailoverStore>(std::make_unique<UnownedStore>(backend.get()));
    };
  }
  int calls(const std::string& tenant_id) {
    MutexLock lock(&mu_);
    return calls_[tenant_id];
  }
  MapFailoverStore* backend(const std::string& tenant_id) {
    MutexLock lock(&mu_);
    auto it = backends_.find(tenant_id);
    return it == backends_.end() ? nullptr : it->second.get();
  }
  std::string prefix(const std::string& tenant_id) {
    MutexLock lock(&mu_);
    return prefixes_[tenant_id];
  }
  void FailNext(int n) {
    MutexLock lock(&mu_);
    failures_left_ = n;
  }

 private:
  Mutex mu_;
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> prefixes_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<MapFailoverStore>> backends_ ABSL_GUARDED_BY(mu_);
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
};

class TenantRoutingStoreTest : public ::testing::Test {
 protected:
  TenantRoutingStoreTest() {
    config_.enabled = true;
    config_.tenants["acme"].table_prefix = "ACME_";
    config_.tenants["globex"].table_prefix = "GLOBEX_";
  }

  std::unique_ptr<FailoverStore> Build() {
    auto store = NewTenantRoutingStore(config_, tenants_.Factory(), CurrentScopedTenant(),
                                       [this](absl::string_view message) {
                                         MutexLock lock(&mu_);
                                         warnings_.emplace_back(message);
                                       });
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  std::vector<std::string> warnings() {
    MutexLock lock(&mu_);
    return warnings_;
  }

  MultitenantConfig config_;
  Tenants tenants_;
  Mutex mu_;
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);
};

TEST_F(TenantRoutingStoreTest, ListedTenantsGetTheirOwnIsolatedStores) {
  auto store = Build();
  {
    ScopedTenant tenant("acme");
    ASSERT_TRUE(store->Store(Entry("k")).ok());
    EXPECT_TRUE(store->Find("quotes", "k")->has_value());
  }
  {
    ScopedTenant tenant("globex");
    EXPECT_FALSE(store->Find("quotes", "k")->has_value());
    EXPECT_TRUE(store->FindAll("quotes")->empty());
  }
  EXPECT_EQ(tenants_.backend("acme")->size(), 1);
  EXPECT_EQ(tenants_.backend("globex")->size(), 0);
  EXPECT_EQ(tenants_.prefix("acme"), "ACME_");
  {
    ScopedTenant tenant("acme");
    ASSERT_TRUE(store->Delete("quotes", "k").ok());
  }
  EXPECT_EQ(tenants_.backend("acme")->size(), 0);
  EXPECT_EQ(tenants_.calls("acme"), 1);  // created once, then reused
}

TEST_F(TenantRoutingStoreTest, NoTenantUsesTheDefaultTenant) {
  config_.default_tenant = "acme";
  auto store = Build();
  ASSERT_TRUE(store->Store(Entry("k")).ok());  // no ScopedTenant on this thread
  EXPECT_EQ(tenants_.backend("acme")->size(), 1);
  ScopedTenant blank("");  // a blank tenant counts as none
  EXPECT_TRUE(store->Find("quotes", "k")->has_value());
}

TEST_F(TenantRoutingStoreTest, NoTenantAndBlankDefaultFails) {
  config_.default_tenant = "  ";
  auto store = Build();
  absl::Status stored = store->Store(Entry("k"));
  EXPECT_EQ(stored.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(stored.message(),
            "no tenant resolved and failover.store.multitenant.default-tenant is blank");
  EXPECT_EQ(store->Find("quotes", "k").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(TenantRoutingStoreTest, StrictRejectsUnlistedTenantsButNotTheDefault) {
  config_.strict = true;
  config_.default_tenant = "public";
  auto store = Build();
  {
    ScopedTenant tenant("initech");
    absl::Status stored = store->Store(Entry("k"));
    EXPECT_EQ(stored.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StrContains(stored.message(), "'initech'")) << stored;
  }
  ASSERT_TRUE(store->Store(Entry("k")).ok());        // default tenant, unlisted: exempt
  EXPECT_EQ(tenants_.backend("public")->size(), 1);  // its own store, empty tenant config
  EXPECT_EQ(tenants_.prefix("public"), "");
  EXPECT_EQ(tenants_.backend(""), nullptr);
  EXPECT_EQ(tenants_.calls("initech"), 0);
  EXPECT_TRUE(warnings().empty());
}

TEST_F(TenantRoutingStoreTest, NonStrictRoutesUnlistedTenantsToTheSharedStoreWarningOnce) {
  auto store = Build();
  {
    ScopedTenant tenant("initech");
    ASSERT_TRUE(store->Store(Entry("k1")).ok());
    ASSERT_TRUE(store->Store(Entry("k2")).ok());
  }
  {
    ScopedTenant tenant("hooli");
    ASSERT_TRUE(store->Store(Entry("k3")).ok());
  }
  EXPECT_EQ(tenants_.backend("")->size(), 3);
  EXPECT_EQ(tenants_.prefix(""), "");  // the shared store gets an empty tenant config
  ASSERT_EQ(warnings().size(), 2u);
  EXPECT_TRUE(absl::StrContains(warnings()[0], "'initech'")) << warnings()[0];
  EXPECT_TRUE(absl::StrContains(warnings()[1], "'hooli'")) << warnings()[1];
}

TEST_F(TenantRoutingStoreTest, InvalidTenantIdsAreRejectedByName) {
  auto store = Build();
  for (const std::string& bad : std::vector<std::string>{"acme; DROP TABLE x", "../x", "acme.x",
                                                         std::string(65, 'a'), "tab\tbed"}) {
    ScopedTenant tenant(bad);
    absl::Status stored = store->Store(Entry("k"));
    EXPECT_EQ(stored.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StrContains(stored.message(), "tenant id")) << stored;
  }
  ScopedTenant tenant("acme; DROP TABLE x");
  EXPECT_TRUE(
      absl::StrContains(store->Find("quotes", "k").status().message(), "'acme; DROP TABLE x'"));
  EXPECT_EQ(tenants_.backend(""), nullptr);  // nothing was routed anywhere
  EXPECT_TRUE(ValidateTenantId(std::string(64, 'a')).ok());
  EXPECT_TRUE(ValidateTenantId("Acme_2-eu").ok());
}

TEST_F(TenantRoutingStoreTest, InvalidConfigurationIsRejectedAtConstruction) {
  config_.tenants["bad id"] = TenantConfig{};
  auto with_bad_tenant = NewTenantRoutingStore(config_, tenants_.Factory());
  EXPECT_EQ(with_bad_tenant.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(with_bad_tenant.status().message(), "'bad id'"));

  config_.tenants.erase("bad id");
  config_.default_tenant = "../up";
  auto with_bad_default = NewTenantRoutingStore(config_, tenants_.Factory());
  EXPECT_TRUE(absl::StrContains(with_bad_default.status().message(), "default-tenant"));
  EXPECT_EQ(NewTenantRoutingStore(MultitenantConfig{}, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TenantRoutingStoreTest, ConcurrentFirstUseCreatesExactlyOneStore) {
  auto store = Build();
  Notification start;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      ScopedTenant tenant("acme");
      start.WaitForNotification();
      if (!store->Store(Entry("k")).ok()) failures.fetch_add(1);
    });
  }
  start.Notify();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(tenants_.calls("acme"), 1);
  EXPECT_EQ(tenants_.backend("acme")->writes(), 8);
}

TEST_F(TenantRoutingStoreTest, FailedCreationIsRetriedByTheNextCall) {
  auto store = Build();
  tenants_.FailNext(1);
  ScopedTenant tenant("acme");
  absl::Status first = store->Store(Entry("k"));
  EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(first.message(), "tenant 'acme'")) << first;
  EXPECT_TRUE(store->Store(Entry("k")).ok());
  EXPECT_EQ(tenants_.calls("acme"), 2);
  EXPECT_EQ(tenants_.backend("acme")->size(), 1);
}

TEST_F(TenantRoutingStoreTest, CleanByExpiryCleansEveryCreatedTenantStore) {
  auto store = Build();
  for (const char* tenant_id : {"acme", "globex", "initech"}) {
    ScopedTenant tenant(tenant_id);
    ASSERT_TRUE(store->Store(Entry("old", kNow - absl::Minutes(1))).ok());
    ASSERT_TRUE(store->Store(Entry("live")).ok());
  }
  absl::StatusOr<int64_t> removed = store->CleanByExpiry(kNow);  // no tenant needed
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(tenants_.backend("acme")->size(), 1);
  EXPECT_EQ(tenants_.backend("globex")->size(), 1);
  EXPECT_EQ(tenants_.backend("")->size(), 1);
}

TEST(ScopedTenantTest, NestsAndStaysOnItsThread) {
  TenantResolver resolver = CurrentScopedTenant();
  EXPECT_EQ(resolver(), std::nullopt);
  {
    ScopedTenant outer("acme");
    {
      ScopedTenant inner("globex");
      EXPECT_EQ(resolver(), "globex");
      std::optional<std::string> seen_elsewhere = "unset";
      std::thread other([&] { seen_elsewhere = resolver(); });
      other.join();
      EXPECT_EQ(seen_elsewhere, std::nullopt);
    }
    EXPECT_EQ(resolver(), "acme");
  }
  EXPECT_EQ(resolver(), std::nullopt);
}

TEST(TenantTablePrefixTest, IsTenantPrefixThenGlobalPrefix) {
  EXPECT_EQ(TenantTablePrefix(TenantConfig{"ACME_", ""}, "APP_"), "ACME_APP_");
  EXPECT_EQ(TenantTablePrefix(TenantConfig{}, "APP_"), "APP_");
}

}  // namespace
}  // namespace failover
