// ProtectedStore: encryption on write, allowlist before decryption on read, mixed rows.
#include "store-jdbc/security/protected_store.h"

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "store-jdbc/security/payload_marker.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace {

constexpr absl::string_view kSecret = "SECRET-4711";

// Reverses text and counts its calls, to prove what was (not) decrypted.
class SpyCipher final : public PayloadCipher {
 public:
  std::string id() const override { return "spy"; }
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const override {
    encrypts.fetch_add(1);
    return std::string(plaintext.rbegin(), plaintext.rend());
  }
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const override {
    decrypts.fetch_add(1);
    return std::string(ciphertext.rbegin(), ciphertext.rend());
  }
  mutable std::atomic<int> encrypts{0};
  mutable std::atomic<int> decrypts{0};
};

// A cipher whose Encrypt always fails.
class BrokenCipher final : public PayloadCipher {
 public:
  std::string id() const override { return "broken"; }
  absl::StatusOr<std::string> Encrypt(absl::string_view) const override {
    return absl::UnavailableError("key service down");
  }
  absl::StatusOr<std::string> Decrypt(absl::string_view) const override {
    return absl::UnavailableError("key service down");
  }
};

FailoverStoreEntry Entry(std::string key, std::string payload,
                         std::string type = "com.acme.Quote") {
  const absl::Time as_of = absl::FromUnixSeconds(1700000000);
  return FailoverStoreEntry{"quotes",           std::move(key), as_of, as_of + absl::Hours(1),
                            std::move(payload), std::move(type)};
}

class ProtectedStoreTest : public ::testing::Test {
 protected:
  ProtectedStoreTest() {
    EncryptionConfig config;
    config.key = absl::Base64Escape("0123456789abcdef0123456789ABCDEF");
    std::vector<std::unique_ptr<PayloadCipher>> custom;
    auto spy = std::make_unique<SpyCipher>();
    spy_ = spy.get();
    custom.push_back(std::move(spy));
    custom.push_back(std::make_unique<BrokenCipher>());
    absl::StatusOr<std::shared_ptr<const CipherRegistry>> ciphers =
        NewCipherRegistry(config, Environment{}, std::move(custom));
    EXPECT_TRUE(ciphers.ok()) << ciphers.status();
    ciphers_ = *std::move(ciphers);
  }

  PayloadProtectionOptions Options(bool encrypt, std::string cipher) {
    PayloadProtectionOptions options;
    options.allowed_payload_types = {"com.acme"};
    options.encrypt_writes = encrypt;
    options.write_cipher = std::move(cipher);
    options.warnings = [this](absl::string_view message) {
      MutexLock lock(&mu_);
      warnings_.emplace_back(message);
    };
    return options;
  }

  std::unique_ptr<ProtectedStore> Protect(PayloadProtectionOptions options) {
    absl::StatusOr<std::unique_ptr<ProtectedStore>> store = ProtectedStore::Create(
        std::make_unique<UnownedStore>(&table_), ciphers_, std::move(options));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::string Sealed(absl::string_view cipher, absl::string_view plaintext) {
    return *SealPayload(plaintext, *ciphers_->Find(cipher));
  }

  std::string RawPayload(absl::string_view key) {
    for (const FailoverStoreEntry& entry : table_.RawEntries()) {
      if (entry.key == key) return entry.payload;
    }
    return "<missing>";
  }

  int WarningsContaining(absl::string_view text) {
    MutexLock lock(&mu_);
    int count = 0;
    for (const std::string& warning : warnings_) count += absl::StrContains(warning, text);
    return count;
  }

  MapFailoverStore table_;
  std::shared_ptr<const CipherRegistry> ciphers_;
  SpyCipher* spy_ = nullptr;
  Mutex mu_;
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);
};

TEST_F(ProtectedStoreTest, AesGcmWritesTheMarkerAndNoPlaintext) {
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "aesgcm"));
  const FailoverStoreEntry entry = Entry("k1", absl::StrCat(R"({"account":")", kSecret, "\"}"));
  ASSERT_TRUE(store->Store(entry).ok());
  const std::string raw = RawPayload("k1");
  EXPECT_TRUE(absl::StartsWith(raw, "ENC(aesgcm:")) << raw;
  EXPECT_TRUE(absl::EndsWith(raw, ")")) << raw;
  EXPECT_FALSE(absl::StrContains(raw, kSecret)) << raw;
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "k1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, entry);  // every column, payload decrypted
  EXPECT_EQ(WarningsContaining("NOT ENCRYPTED"), 0);
}

TEST_F(ProtectedStoreTest, B64WritesAreMarkedAndWarnedAboutOnce) {
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "b64"));
  ASSERT_TRUE(store->Store(Entry("k1", "hello")).ok());
  ASSERT_TRUE(store->Store(Entry("k2", "world")).ok());
  EXPECT_EQ(RawPayload("k1"), "ENC(b64:aGVsbG8=)");
  EXPECT_EQ(WarningsContaining("Base64-ENCODED, NOT ENCRYPTED"), 1);
  Protect(Options(false, "b64"));  // not writing with it: nothing claimed, nothing to warn
  EXPECT_EQ(WarningsContaining("NOT ENCRYPTED"), 1);
}

TEST_F(ProtectedStoreTest, RowsOfEveryCipherAndPlaintextAreReadTogether) {
  ASSERT_TRUE(table_.Store(Entry("b64", Sealed("b64", "one"))).ok());
  ASSERT_TRUE(table_.Store(Entry("aes", Sealed("aesgcm", "two"))).ok());
  ASSERT_TRUE(table_.Store(Entry("spy", Sealed("spy", "three"))).ok());
  ASSERT_TRUE(table_.Store(Entry("plain", "four")).ok());
  ASSERT_TRUE(table_.Store(Entry("open", "ENC(b64:Zml2ZQ==")).ok());  // no ')': plaintext
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "aesgcm"));
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store->FindAll("quotes");
  ASSERT_TRUE(all.ok()) << all.status();
  std::map<std::string, std::string> payloads;
  for (const FailoverStoreEntry& entry : *all) payloads[entry.key] = entry.payload;
  EXPECT_EQ(payloads, (std::map<std::string, std::string>{{"b64", "one"},
                                                          {"aes", "two"},
                                                          {"spy", "three"},
                                                          {"plain", "four"},
                                                          {"open", "ENC(b64:Zml2ZQ=="}}));
  EXPECT_EQ((*store->Find("quotes", "spy"))->payload, "three");
  EXPECT_EQ((*store->Find("quotes", "plain"))->payload, "four");
  EXPECT_EQ(store->skipped_entries(), 0);
}

TEST_F(ProtectedStoreTest, TurningEncryptionOffKeepsEncryptedRowsReadable) {
  std::unique_ptr<ProtectedStore> encrypting = Protect(Options(true, "aesgcm"));
  ASSERT_TRUE(encrypting->Store(Entry("old", std::string(kSecret))).ok());
  std::unique_ptr<ProtectedStore> plain = Protect(Options(false, "aesgcm"));
  ASSERT_TRUE(plain->Store(Entry("new", "fresh")).ok());
  EXPECT_EQ(RawPayload("new"), "fresh");  // written as is
  EXPECT_EQ((*plain->Find("quotes", "old"))->payload, kSecret);
  EXPECT_EQ((*encrypting->Find("quotes", "new"))->payload, "fresh");
}

TEST_F(ProtectedStoreTest, PlaintextShapedLikeAMarkerRoundTrips) {
  std::unique_ptr<ProtectedStore> store = Protect(Options(false, "b64"));
  ASSERT_TRUE(store->Store(Entry("k1", "ENC(x:y)")).ok());
  EXPECT_TRUE(absl::StartsWith(RawPayload("k1"), "ENC(b64:"));
  EXPECT_EQ((*store->Find("quotes", "k1"))->payload, "ENC(x:y)");
}

TEST_F(ProtectedStoreTest, UnknownCipherAndMalformedMarkerFailFindNamingTheEntry) {
  ASSERT_TRUE(table_.Store(Entry("rot", "ENC(rot13:frperg)")).ok());
  ASSERT_TRUE(table_.Store(Entry("bad", "ENC(nocolonhere)")).ok());
  std::unique_ptr<ProtectedStore> store = Protect(Options(false, "b64"));
  absl::Status unknown = store->Find("quotes", "rot").status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(unknown.message(), "'rot13'")) << unknown;
  EXPECT_TRUE(absl::StrContains(unknown.message(), "name='quotes', key='rot'")) << unknown;
  absl::Status malformed = store->Find("quotes", "bad").status();
  EXPECT_EQ(malformed.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(malformed.message(), "malformed payload marker")) << malformed;
  EXPECT_FALSE(absl::StrContains(malformed.message(), "nocolonhere")) << malformed;
}

TEST_F(ProtectedStoreTest, TamperedAesGcmRowIsDataLoss) {
  std::string sealed = Sealed("aesgcm", "payload");
  sealed[sealed.size() - 4] = sealed[sealed.size() - 4] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(table_.Store(Entry("k1", sealed)).ok());
  std::unique_ptr<ProtectedStore> store = Protect(Options(false, "b64"));
  absl::Status status = store->Find("quotes", "k1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(status.message(), "cannot decrypt")) << status;
}

TEST_F(ProtectedStoreTest, FindAllSkipsBadRowsReportingEachProblemOnce) {
  ASSERT_TRUE(table_.Store(Entry("good", "fine")).ok());
  ASSERT_TRUE(table_.Store(Entry("rot", "ENC(rot13:frperg)")).ok());
  ASSERT_TRUE(table_.Store(Entry("evil", Sealed("spy", "x"), "com.evil.Gadget")).ok());
  std::unique_ptr<ProtectedStore> store = Protect(Options(false, "b64"));
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::vector<FailoverStoreEntry>> all = store->FindAll("quotes");
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].payload, "fine");
  }
  EXPECT_EQ(store->skipped_entries(), 6);
  EXPECT_EQ(WarningsContaining("find-all skipped"), 2);
  EXPECT_EQ(WarningsContaining("'rot13'"), 1);
  EXPECT_EQ(WarningsContaining("'com.evil.Gadget'"), 1);
  EXPECT_EQ(spy_->decrypts.load(), 0);  // the denied row never reached its cipher
}

TEST_F(ProtectedStoreTest, DenialHappensBeforeDecryption) {
  ASSERT_TRUE(table_.Store(Entry("evil", Sealed("spy", "x"), "com.acmex.Gadget")).ok());
  ASSERT_TRUE(table_.Store(Entry("ok", Sealed("spy", "y"), "com.acme.Quote")).ok());
  std::unique_ptr<ProtectedStore> store = Protect(Options(false, "b64"));
  absl::Status denied = store->Find("quotes", "evil").status();
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(denied.message(), "'com.acmex.Gadget'")) << denied;
  EXPECT_TRUE(absl::StrContains(denied.message(), "failover.store.jdbc.allowed-payload-classes"));
  EXPECT_EQ(spy_->decrypts.load(), 0);
  EXPECT_EQ((*store->Find("quotes", "ok"))->payload, "y");
  EXPECT_EQ(spy_->decrypts.load(), 1);
}

TEST_F(ProtectedStoreTest, EmptyAllowlistDeniesEverythingAndSaysSo) {
  ASSERT_TRUE(table_.Store(Entry("k1", "fine")).ok());
  PayloadProtectionOptions options = Options(false, "b64");
  options.allowed_payload_types.clear();
  std::unique_ptr<ProtectedStore> store = Protect(std::move(options));
  EXPECT_EQ(WarningsContaining("allowed-payload-classes is empty"), 1);
  EXPECT_EQ(store->Find("quotes", "k1").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(store->FindAll("quotes")->empty());
}

TEST_F(ProtectedStoreTest, FailedEncryptionStoresNothing) {
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "broken"));
  absl::Status status = store->Store(Entry("k1", std::string(kSecret)));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(status.message(), "key='k1'")) << status;
  EXPECT_TRUE(table_.RawEntries().empty());
}

TEST_F(ProtectedStoreTest, MissingEntryDeleteAndCleanPassThrough) {
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "aesgcm"));
  EXPECT_FALSE(store->Find("quotes", "none")->has_value());
  FailoverStoreEntry expired = Entry("old", "x");
  expired.expire_on = absl::FromUnixSeconds(10);
  ASSERT_TRUE(store->Store(expired).ok());
  ASSERT_TRUE(store->Store(Entry("k1", "y")).ok());
  EXPECT_EQ(*store->CleanByExpiry(absl::FromUnixSeconds(1700000001)), 1);
  ASSERT_TRUE(store->Delete("quotes", "k1").ok());
  EXPECT_TRUE(table_.RawEntries().empty());
}

TEST_F(ProtectedStoreTest, CreateRejectsMissingPartsAndUnknownWriteCipher) {
  EXPECT_EQ(NewProtectedStore(nullptr, ciphers_, Options(false, "b64")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      NewProtectedStore(std::make_unique<UnownedStore>(&table_), nullptr, Options(false, "b64"))
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  absl::Status status =
      NewProtectedStore(std::make_unique<UnownedStore>(&table_), ciphers_, Options(true, "rot13"))
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "failover.store.jdbc.encryption.cipher"));
  EXPECT_TRUE(absl::StrContains(status.message(), "'rot13'")) << status;
}

TEST(ProtectionOptionsFromConfigTest, MapsTheJdbcProperties) {
  JdbcStoreConfig config;
  config.allowed_payload_classes = {"com.acme", "org.example.Quote"};
  config.encryption.enabled = true;
  config.encryption.cipher = "aesgcm";
  PayloadProtectionOptions options = ProtectionOptionsFromConfig(config);
  EXPECT_EQ(options.allowed_payload_types, config.allowed_payload_classes);
  EXPECT_TRUE(options.encrypt_writes);
  EXPECT_EQ(options.write_cipher, "aesgcm");
  EXPECT_NE(options.warnings, nullptr);
}

TEST_F(ProtectedStoreTest, ConcurrentReadsAndWritesAreSafe) {
  ASSERT_TRUE(table_.Store(Entry("rot", "ENC(rot13:frperg)")).ok());
  std::unique_ptr<ProtectedStore> store = Protect(Options(true, "aesgcm"));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string key = absl::StrCat("k", t, "-", i);
        if (!store->Store(Entry(key, key)).ok()) ++failures;
        absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", key);
        if (!found.ok() || !found->has_value() || (*found)->payload != key) ++failures;
        if (!store->FindAll("quotes").ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->skipped_entries(), 400);
  EXPECT_EQ(WarningsContaining("find-all skipped"), 1);
}

}  // namespace
}  // namespace failover
