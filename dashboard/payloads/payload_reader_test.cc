#include "dashboard/payloads/payload_reader.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/config/store_config.h"
#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/routing/tenant_routing_store.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PayloadReaderTest : public ::testing::Test {
 protected:
  // An entry of "quotes" stored now, expiring after `ttl`.
  FailoverStoreEntry Put(std::string key, absl::Duration ttl = absl::Hours(1),
                         std::string name = "quotes") {
    const absl::Time now = clock_.WallNow();
    FailoverStoreEntry entry{std::move(name), std::move(key),  now,
                             now + ttl,       R"({"px":1.5})", "acme.Quote"};
    store_.Put(entry);
    return entry;
  }

  std::vector<std::string> Keys(const PayloadPage& page) {
    std::vector<std::string> keys;
    for (const FailoverStoreEntry& entry : page.entries) keys.push_back(entry.key);
    return keys;
  }

  SimulatedClock clock_;
  MapFailoverStore store_;
  PayloadReader reader_{store_, clock_};
};

TEST_F(PayloadReaderTest, GetsByStoredKey) {
  const FailoverStoreEntry entry = Put("k1");
  absl::StatusOr<FailoverStoreEntry> got = reader_.Get("quotes", "k1", "", "");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, entry);
}

TEST_F(PayloadReaderTest, GetsByRawKeyAsTheDefaultKeyGeneratorStoresIt) {
  // What a Failover<T> with the default key generator stores for the arguments ("EURUSD", 2).
  const FailoverStoreEntry entry = Put(DefaultFailoverKey("quotes", {"EURUSD", 2}));
  absl::StatusOr<FailoverStoreEntry> got = reader_.Get("quotes", "", "EURUSD:2", "");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, entry);
  EXPECT_EQ(reader_.Get("quotes", "", "EURUSD:3", "").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PayloadReaderTest, NeedsANameAndExactlyOneKey) {
  Put("k1");
  absl::Status neither = reader_.Get("quotes", "", "", "").status();
  EXPECT_EQ(neither.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(neither.message(), HasSubstr("exactly one of key and raw_key"));
  EXPECT_EQ(reader_.Get("quotes", "k1", "raw", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status blank = reader_.Get(" ", "k1", "", "").status();
  EXPECT_EQ(blank.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(blank.message(), HasSubstr("name is blank"));
  EXPECT_EQ(reader_.List("", 0, "", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.find_calls(), 0);
}

TEST_F(PayloadReaderTest, MissingAndExpiredEntriesAreNotFound) {
  Put("k1", absl::Seconds(10));
  absl::Status missing = reader_.Get("quotes", "k2", "", "").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("'quotes' / 'k2'"));

  clock_.Advance(absl::Seconds(10));  // Expiring exactly now: still live.
  EXPECT_TRUE(reader_.Get("quotes", "k1", "", "").ok());
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(reader_.Get("quotes", "k1", "", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_.size(), 1);  // Read only: nothing deleted.
}

TEST_F(PayloadReaderTest, StoreErrorsPassThrough) {
  Put("k1");
  store_.FailFindsWith(absl::UnavailableError("db down"));
  EXPECT_EQ(reader_.Get("quotes", "k1", "", "").status(), absl::UnavailableError("db down"));
  EXPECT_EQ(reader_.List("quotes", 0, "", "").status(), absl::UnavailableError("db down"));
}

TEST_F(PayloadReaderTest, ListsLiveEntriesOfTheNamespaceInKeyOrder) {
  Put("c");
  Put("a");
  Put("b", absl::Seconds(1));
  Put("d");
  Put("z", absl::Hours(1), "other");
  clock_.Advance(absl::Seconds(2));  // "b" expires.
  absl::StatusOr<PayloadPage> page = reader_.List("quotes", 0, "", "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Keys(*page), ElementsAre("a", "c", "d"));
  EXPECT_THAT(page->next_page_token, IsEmpty());
  EXPECT_EQ(page->entries[0].payload, R"({"px":1.5})");
}

TEST_F(PayloadReaderTest, PagesThroughWithTokens) {
  for (const char* key : {"e", "b", "d", "a", "c"}) Put(key);
  absl::StatusOr<PayloadPage> first = reader_.List("quotes", 2, "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(Keys(*first), ElementsAre("a", "b"));
  ASSERT_FALSE(first->next_page_token.empty());

  Put("bb");  // Written between pages: after the token's key, so on a later page.
  absl::StatusOr<PayloadPage> second = reader_.List("quotes", 2, first->next_page_token, "");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Keys(*second), ElementsAre("bb", "c"));
  absl::StatusOr<PayloadPage> third = reader_.List("quotes", 2, second->next_page_token, "");
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_THAT(Keys(*third), ElementsAre("d", "e"));
  EXPECT_THAT(third->next_page_token, IsEmpty());  // Nothing after "e".
}

TEST_F(PayloadReaderTest, PageSizeDefaultsAndCaps) {
  for (int i = 0; i < 1001; ++i) Put(absl::StrCat("k", 10000 + i));
  absl::StatusOr<PayloadPage> page = reader_.List("quotes", 0, "", "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->entries.size(), PayloadReader::kDefaultPageSize);
  page = reader_.List("quotes", 5000, "", "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->entries.size(), PayloadReader::kMaxPageSize);
  EXPECT_FALSE(page->next_page_token.empty());
  page = reader_.List("quotes", 5000, page->next_page_token, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Keys(*page), ElementsAre("k11000"));

  absl::Status negative = reader_.List("quotes", -1, "", "").status();
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.message(), HasSubstr("page_size -1"));
}

TEST_F(PayloadReaderTest, RejectsTokensItDidNotIssueForTheName) {
  Put("a");
  Put("b");
  Put("a", absl::Hours(1), "other");
  Put("b", absl::Hours(1), "other");
  absl::StatusOr<PayloadPage> other = reader_.List("other", 1, "", "");
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_FALSE(other->next_page_token.empty());
  for (const std::string& token : {other->next_page_token, std::string("not base64!"),
                                   std::string("YQ"), std::string("OTk6cXVvdGVz")}) {
    absl::Status status = reader_.List("quotes", 1, token, "").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_THAT(status.message(), HasSubstr("page_token")) << token;
  }
}

// A tenant-routing store over one map per tenant, as failover.store.multitenant builds it.
class TenantPayloadReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MultitenantConfig config;
    config.enabled = true;
    config.default_tenant = "main";
    config.strict = true;
    config.tenants["acme"] = TenantConfig();
    absl::StatusOr<std::unique_ptr<FailoverStore>> store =
        NewTenantRoutingStore(config, [this](const std::string& tenant_id, const TenantConfig&) {
          return absl::StatusOr<std::unique_ptr<FailoverStore>>(
              std::make_unique<UnownedStore>(&backends_[tenant_id]));
        });
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    reader_ = std::make_unique<PayloadReader>(*store_, clock_);
  }

  void PutFor(const std::string& tenant, std::string key) {
    const absl::Time now = clock_.WallNow();
    backends_[tenant].Put({"quotes", std::move(key), now, now + absl::Hours(1), "{}", "T"});
  }

  SimulatedClock clock_;
  std::map<std::string, MapFailoverStore> backends_;  // By tenant id.
  std::unique_ptr<FailoverStore> store_;
  std::unique_ptr<PayloadReader> reader_;
};

TEST_F(TenantPayloadReaderTest, ReadsTheTenantsStore) {
  PutFor("main", "k-main");
  PutFor("acme", "k-acme");
  EXPECT_TRUE(reader_->Get("quotes", "k-main", "", "").ok());  // The default tenant.
  EXPECT_EQ(reader_->Get("quotes", "k-acme", "", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(reader_->Get("quotes", "k-acme", "", "acme").ok());
  absl::StatusOr<PayloadPage> page = reader_->List("quotes", 0, "", "acme");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].key, "k-acme");
}

TEST_F(TenantPayloadReaderTest, BadOrUnknownTenantsAreInvalidArguments) {
  absl::Status bad = reader_->Get("quotes", "k", "", "a b").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  absl::Status unknown = reader_->List("quotes", 0, "", "globex").status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.message(), HasSubstr("tenant 'globex'"));
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
