#include "store-jdbc/store_factory.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/routing/tenant_routing_store.h"
#include "store-jdbc/sql/sql_store.h"

namespace failover {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

FailoverStoreEntry Entry(std::string key, std::string payload = R"({"px":1.5})") {
  return FailoverStoreEntry{"quotes",           std::move(key),  kNow, kNow + absl::Hours(1),
                            std::move(payload), "com.acme.Quote"};
}

std::string TempDb(absl::string_view name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name, ".db");
}

// The rows exactly as stored in the table, without payload protection.
std::unique_ptr<FailoverStore> RawTable(const std::string& url, std::string prefix) {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url);
  EXPECT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::unique_ptr<FailoverStore>> store =
      NewSqlFailoverStore(*db, SqlTableOptions{std::move(prefix), ""});
  EXPECT_TRUE(store.ok()) << store.status();
  return *std::move(store);
}

StoreConfig SyncConfig(StoreType type) {
  StoreConfig config;
  config.type = type;
  config.async = false;
  config.jdbc.allowed_payload_classes = {"com.acme"};
  return config;
}

TEST(StoreFactoryTest, EveryBuiltInBackendStoresAndFinds) {
  SimulatedClock clock(MonotonicTime::FromNanos(0), kNow);
  for (StoreType type : {StoreType::kInMemory, StoreType::kCaffeine, StoreType::kJdbc}) {
    StoreConfig config = SyncConfig(type);
    config.jdbc.url = absl::StrCat("sqlite://", TempDb("every_backend"));
    FailoverStoreDeps deps;
    deps.clock = &clock;
    absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
        NewFailoverStore(config, std::move(deps));
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Store(Entry("k1")).ok());
    absl::StatusOr<std::optional<FailoverStoreEntry>> found = (*store)->Find("quotes", "k1");
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value()) << static_cast<int>(type);
    EXPECT_EQ(**found, Entry("k1"));
  }
}

TEST(StoreFactoryTest, JdbcEncryptsWithAesGcmAndChecksTheAllowlist) {
  const std::string url = absl::StrCat("sqlite://", TempDb("encrypted"));
  StoreConfig config = SyncConfig(StoreType::kJdbc);
  config.jdbc.url = url;
  config.jdbc.table_prefix = "MYAPP_";
  config.jdbc.encryption.enabled = true;
  config.jdbc.encryption.cipher = "aesgcm";
  FailoverStoreDeps deps;
  deps.environment = {
      {"FAILOVER_STORE_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}};
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
      NewFailoverStore(config, std::move(deps));
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Store(Entry("k1", R"({"secret":"hunter2"})")).ok());

  std::unique_ptr<FailoverStore> raw = RawTable(url, "MYAPP_");
  absl::StatusOr<std::optional<FailoverStoreEntry>> row = raw->Find("quotes", "k1");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_TRUE(absl::StartsWith((**row).payload, "ENC(aesgcm:")) << (**row).payload;
  EXPECT_FALSE(absl::StrContains((**row).payload, "hunter2"));

  absl::StatusOr<std::optional<FailoverStoreEntry>> found = (*store)->Find("quotes", "k1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found).payload, R"({"secret":"hunter2"})");

  FailoverStoreEntry foreign = Entry("k2");
  foreign.payload_type = "com.acmex.Evil";
  ASSERT_TRUE(raw->Store(foreign).ok());
  EXPECT_EQ((*store)->Find("quotes", "k2").status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(StoreFactoryTest, TenantsGetTheirOwnPrefixedTables) {
  const std::string url = absl::StrCat("sqlite://", TempDb("tenants"));
  StoreConfig config = SyncConfig(StoreType::kJdbc);
  config.jdbc.url = url;
  config.jdbc.table_prefix = "DEMO_";
  config.multitenant.enabled = true;
  config.multitenant.default_tenant = "acme";
  config.multitenant.strict = true;
  config.multitenant.tenants["acme"].table_prefix = "ACME_";
  config.multitenant.tenants["globex"].table_prefix = "GLOBEX_";
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store = NewFailoverStore(config);
  ASSERT_TRUE(store.ok()) << store.status();
  {
    ScopedTenant tenant("globex");
    ASSERT_TRUE((*store)->Store(Entry("g")).ok());
  }
  ASSERT_TRUE((*store)->Store(Entry("a")).ok());  // no tenant: the default tenant, acme
  {
    ScopedTenant tenant("initech");
    EXPECT_EQ((*store)->Store(Entry("i")).code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_TRUE(RawTable(url, "GLOBEX_DEMO_")->Find("quotes", "g")->has_value());
  EXPECT_FALSE(RawTable(url, "GLOBEX_DEMO_")->Find("quotes", "a")->has_value());
  EXPECT_TRUE(RawTable(url, "ACME_DEMO_")->Find("quotes", "a")->has_value());
}

TEST(StoreFactoryTest, AsyncWritesAreReadableAtOnceAndDurableAfterFlush) {
  const std::string url = absl::StrCat("sqlite://", TempDb("async"));
  StoreConfig config = SyncConfig(StoreType::kJdbc);
  config.jdbc.url = url;
  config.async = true;
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store = NewFailoverStore(config);
  ASSERT_TRUE(store.ok()) << store.status();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE((*store)->Store(Entry(absl::StrCat("k", i))).ok());
  EXPECT_TRUE((*store)->Find("quotes", "k49")->has_value());
  ASSERT_TRUE((*store)->Flush().ok());
  std::unique_ptr<FailoverStore> raw = RawTable(url, "");
  EXPECT_EQ(raw->FindAll("quotes")->size(), 50u);
  EXPECT_EQ((*store)->failed_writes(), 0);

  // A cleanup through the async stack reports what the backend removed, not "queued".
  for (int i = 0; i < 3; ++i) {
    FailoverStoreEntry old = Entry(absl::StrCat("old", i));
    old.expire_on = kNow - absl::Minutes(1);
    ASSERT_TRUE((*store)->Store(old).ok());
  }
  absl::StatusOr<int64_t> removed = (*store)->CleanByExpiry(kNow);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(raw->FindAll("quotes")->size(), 50u);
}

TEST(StoreFactoryTest, CustomBackendComesFromTheApplication) {
  StoreConfig config = SyncConfig(StoreType::kCustom);
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> missing = NewFailoverStore(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "custom_store"));

  int built = 0;
  FailoverStoreDeps deps;
  deps.custom_store = [&built](const StoreConfig& c, const std::string& tenant) {
    ++built;
    return NewFailoverStore(SyncConfig(StoreType::kInMemory)).value();
  };
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
      NewFailoverStore(config, std::move(deps));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(built, 1);
  ASSERT_TRUE((*store)->Store(Entry("k")).ok());
  EXPECT_TRUE((*store)->Find("quotes", "k")->has_value());
}

TEST(StoreFactoryTest, BadSettingsAreNamed) {
  StoreConfig config = SyncConfig(StoreType::kJdbc);
  config.jdbc.url = "mysql://app:pw@db/x";
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> bad_url = NewFailoverStore(config);
  ASSERT_FALSE(bad_url.ok());
  EXPECT_TRUE(absl::StrContains(bad_url.status().message(), "failover.store.jdbc.url"));
  EXPECT_FALSE(absl::StrContains(bad_url.status().message(), "pw@"));

  config.jdbc.url = absl::StrCat("sqlite://", TempDb("bad"));
  config.jdbc.encryption.enabled = true;
  config.jdbc.encryption.cipher = "aesgcm";
  FailoverStoreDeps deps;
  deps.environment = {};
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> no_key =
      NewFailoverStore(config, std::move(deps));
  ASSERT_FALSE(no_key.ok());
  EXPECT_TRUE(absl::StrContains(no_key.status().message(), "key")) << no_key.status();
}

}  // namespace
}  // namespace failover
