// CipherRegistry, the b64 cipher and NewCipherRegistry's key handling.
#include "store-jdbc/security/payload_cipher.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

// Reverses the text; enough to tell ciphers apart.
class ReverseCipher final : public PayloadCipher {
 public:
  explicit ReverseCipher(std::string id) : id_(std::move(id)) {}
  std::string id() const override { return id_; }
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const override {
    return std::string(plaintext.rbegin(), plaintext.rend());
  }
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const override {
    return std::string(ciphertext.rbegin(), ciphertext.rend());
  }

 private:
  std::string id_;
};

// 32 bytes, as base64; used only where the message must not contain it.
const std::string& Key256() {
  static const std::string* key =
      new std::string(absl::Base64Escape("0123456789abcdef0123456789ABCDEF"));
  return *key;
}

TEST(Base64CipherTest, IsPlainBase64OfTheBytes) {
  std::unique_ptr<PayloadCipher> b64 = NewBase64Cipher();
  EXPECT_EQ(b64->id(), "b64");
  EXPECT_EQ(*b64->Encrypt("hello"), "aGVsbG8=");
  EXPECT_EQ(*b64->Decrypt("aGVsbG8="), "hello");
  EXPECT_EQ(b64->Decrypt("@@not base64@@").status().code(), absl::StatusCode::kDataLoss);
}

TEST(CipherRegistryTest, FindsRegisteredCiphersById) {
  CipherRegistry registry;
  ASSERT_TRUE(registry.Register(NewBase64Cipher()).ok());
  ASSERT_TRUE(registry.Register(std::make_unique<ReverseCipher>("rev")).ok());
  ASSERT_NE(registry.Find("rev"), nullptr);
  EXPECT_EQ(registry.Find("rev")->id(), "rev");
  EXPECT_EQ(registry.Find("nope"), nullptr);
  EXPECT_EQ(registry.ids(), (std::vector<std::string>{"b64", "rev"}));
}

TEST(CipherRegistryTest, RejectsBadIdsNamingThem) {
  CipherRegistry registry;
  for (const std::string id : {"", "   ", "my:cipher", "my)cipher"}) {
    absl::Status status = registry.Register(std::make_unique<ReverseCipher>(id));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << "'" << id << "'";
    EXPECT_TRUE(absl::StrContains(status.message(), "'" + id + "'")) << status;
  }
  EXPECT_TRUE(registry.ids().empty());
  EXPECT_EQ(registry.Register(nullptr).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CipherRegistryTest, RejectsDuplicateIds) {
  CipherRegistry registry;
  ASSERT_TRUE(registry.Register(std::make_unique<ReverseCipher>("rev")).ok());
  absl::Status status = registry.Register(std::make_unique<ReverseCipher>("rev"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "'rev' is already registered")) << status;
}

TEST(NewCipherRegistryTest, WithoutAKeyOnlyB64IsBuiltIn) {
  absl::StatusOr<std::shared_ptr<const CipherRegistry>> registry =
      NewCipherRegistry(EncryptionConfig{}, Environment{});
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ((*registry)->ids(), std::vector<std::string>{"b64"});
}

TEST(NewCipherRegistryTest, KeyFromConfigOrEnvironmentGivesTheSameAesGcm) {
  EncryptionConfig from_config;
  from_config.key = Key256();
  EncryptionConfig from_env;  // key blank: FAILOVER_STORE_ENCRYPTION_KEY is used
  auto by_config = NewCipherRegistry(from_config, Environment{});
  auto by_env =
      NewCipherRegistry(from_env, Environment{{"FAILOVER_STORE_ENCRYPTION_KEY", Key256() + "\n"}});
  ASSERT_TRUE(by_config.ok()) << by_config.status();
  ASSERT_TRUE(by_env.ok()) << by_env.status();
  ASSERT_NE((*by_config)->Find("aesgcm"), nullptr);
  ASSERT_NE((*by_env)->Find("aesgcm"), nullptr);
  absl::StatusOr<std::string> sealed = (*by_config)->Find("aesgcm")->Encrypt("quote");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*(*by_env)->Find("aesgcm")->Decrypt(*sealed), "quote");
}

TEST(NewCipherRegistryTest, ConfigKeyWinsAndKeyEnvNamesTheVariable) {
  EncryptionConfig config;
  config.key_env = "MY_KEY";
  auto from_named_var = NewCipherRegistry(config, Environment{{"MY_KEY", Key256()}});
  ASSERT_TRUE(from_named_var.ok()) << from_named_var.status();
  EXPECT_NE((*from_named_var)->Find("aesgcm"), nullptr);
  auto default_var_ignored =
      NewCipherRegistry(config, Environment{{"FAILOVER_STORE_ENCRYPTION_KEY", Key256()}});
  ASSERT_TRUE(default_var_ignored.ok());
  EXPECT_EQ((*default_var_ignored)->Find("aesgcm"), nullptr);
  config.key = Key256();  // a broken variable does not matter once the property is set
  EXPECT_TRUE(NewCipherRegistry(config, Environment{{"MY_KEY", "short"}}).ok());
}

TEST(NewCipherRegistryTest, BadKeyNamesThePropertyNotTheKey) {
  EncryptionConfig config;
  config.key = absl::Base64Escape("0123456789abcdef0123");  // 20 bytes
  absl::Status status = NewCipherRegistry(config, Environment{}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "failover.store.jdbc.encryption.key:")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "got 20 bytes")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), config.key)) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), "0123456789")) << status;

  config.key = "this is !! not base64";
  status = NewCipherRegistry(config, Environment{}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "not valid base64")) << status;
  EXPECT_FALSE(absl::StrContains(status.message(), config.key)) << status;
}

TEST(NewCipherRegistryTest, BadKeyInEnvironmentNamesKeyEnvAndVariable) {
  const std::string short_key = absl::Base64Escape("sixteen-bytes!!");  // 15 bytes
  absl::Status status = NewCipherRegistry(EncryptionConfig{},
                                          Environment{{"FAILOVER_STORE_ENCRYPTION_KEY", short_key}})
                            .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "failover.store.jdbc.encryption.key-env"));
  EXPECT_TRUE(absl::StrContains(status.message(), "FAILOVER_STORE_ENCRYPTION_KEY"));
  EXPECT_FALSE(absl::StrContains(status.message(), short_key)) << status;
}

TEST(NewCipherRegistryTest, AesGcmForWritesWithoutKeyNamesBothProperties) {
  EncryptionConfig config;
  config.enabled = true;
  config.cipher = "aesgcm";
  absl::Status status = NewCipherRegistry(config, Environment{}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "failover.store.jdbc.encryption.cipher"));
  EXPECT_TRUE(absl::StrContains(status.message(), "failover.store.jdbc.encryption.key "));
  EXPECT_TRUE(absl::StrContains(status.message(), "FAILOVER_STORE_ENCRYPTION_KEY"));
  config.enabled = false;  // not writing with it: reads of old aesgcm rows fail later instead
  EXPECT_TRUE(NewCipherRegistry(config, Environment{}).ok());
}

TEST(NewCipherRegistryTest, WriteCipherMustBeRegistered) {
  EncryptionConfig config;
  config.enabled = true;
  config.cipher = "rev";
  absl::Status status = NewCipherRegistry(config, Environment{}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "'rev' is not a registered cipher")) << status;

  std::vector<std::unique_ptr<PayloadCipher>> custom;
  custom.push_back(std::make_unique<ReverseCipher>("rev"));
  auto registry = NewCipherRegistry(config, Environment{}, std::move(custom));
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ((*registry)->ids(), (std::vector<std::string>{"b64", "rev"}));
}

TEST(NewCipherRegistryTest, CustomCipherCannotTakeABuiltInId) {
  std::vector<std::unique_ptr<PayloadCipher>> custom;
  custom.push_back(std::make_unique<ReverseCipher>("b64"));
  absl::Status status =
      NewCipherRegistry(EncryptionConfig{}, Environment{}, std::move(custom)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "'b64'")) << status;
}

}  // namespace
}  // namespace failover
