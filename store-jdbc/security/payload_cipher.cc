#include "store-jdbc/security/payload_cipher.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace {

constexpr absl::string_view kKeyProperty = "failover.store.jdbc.encryption.key";
constexpr absl::string_view kKeyEnvProperty = "failover.store.jdbc.encryption.key-env";
constexpr absl::string_view kCipherProperty = "failover.store.jdbc.encryption.cipher";

// Base64 of the bytes. Encoding only: it protects nothing.
class Base64Cipher final : public PayloadCipher {
 public:
  std::string id() const override { return "b64"; }
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const override {
    return absl::Base64Escape(plaintext);
  }
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const override {
    std::string plaintext;
    if (!absl::Base64Unescape(ciphertext, &plaintext)) {
      return absl::DataLossError("b64: cannot decode: the stored text is not valid base64");
    }
    return plaintext;
  }
};

// Where the aesgcm key came from, for messages that must name it without printing it.
struct KeySource {
  std::string base64;       // the key as configured (secret)
  std::string description;  // e.g. "failover.store.jdbc.encryption.key"
};

// The configured key text, or nullopt when neither the property nor the variable is set.
std::optional<KeySource> FindKey(const EncryptionConfig& config, const Environment& env) {
  const absl::string_view key = absl::StripAsciiWhitespace(config.key);
  if (!key.empty()) return KeySource{std::string(key), std::string(kKeyProperty)};
  if (absl::StripAsciiWhitespace(config.key_env).empty()) return std::nullopt;
  const auto found = env.find(config.key_env);
  if (found == env.end()) return std::nullopt;
  const absl::string_view value = absl::StripAsciiWhitespace(found->second);
  if (value.empty()) return std::nullopt;
  return KeySource{std::string(value),
                   absl::StrCat(kKeyEnvProperty, " (environment variable ", config.key_env, ")")};
}

// The aesgcm cipher for the configured key, nullptr when no key is configured.
absl::StatusOr<std::unique_ptr<PayloadCipher>> ConfiguredAesGcm(const EncryptionConfig& config,
                                                                const Environment& env) {
  const std::optional<KeySource> source = FindKey(config, env);
  if (!source.has_value()) return nullptr;
  std::string raw;
  if (!absl::Base64Unescape(source->base64, &raw)) {
    return absl::InvalidArgumentError(
        absl::StrCat(source->description, ": the aesgcm key is not valid base64"));
  }
  absl::StatusOr<std::unique_ptr<PayloadCipher>> cipher = NewAesGcmCipher(raw);
  // Wipe the decoded key copy; the cipher holds its own.
  std::fill(raw.begin(), raw.end(), '\0');
  if (!cipher.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source->description, ": ", cipher.status().message()));
  }
  return cipher;
}

// The write cipher must exist when writes are encrypted.
absl::Status CheckWriteCipher(const EncryptionConfig& config, const CipherRegistry& registry) {
  if (!config.enabled || registry.Find(config.cipher) != nullptr) return absl::OkStatus();
  if (config.cipher == "aesgcm") {
    return absl::InvalidArgumentError(absl::StrCat(
        kCipherProperty, " is 'aesgcm' but no key is configured: set ", kKeyProperty,
        " or the environment variable named by ", kKeyEnvProperty, " ('", config.key_env, "')"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      kCipherProperty, ": '", absl::CEscape(config.cipher),
      "' is not a registered cipher (registered: ", absl::StrJoin(registry.ids(), ", "), ")"));
}

}  // namespace

absl::Status ValidateCipherId(absl::string_view id) {
  if (absl::StripAsciiWhitespace(id).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("cipher id '", absl::CEscape(id),
                                                   "' is blank; a cipher needs a non-blank id"));
  }
  if (id.find_first_of(":)") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("cipher id '", absl::CEscape(id),
                     "' may not contain ':' or ')' (it is written into "
                     "the ENC(<cipher-id>:<ciphertext>) marker)"));
  }
  return absl::OkStatus();
}

absl::Status CipherRegistry::Register(std::unique_ptr<PayloadCipher> cipher) {
  if (cipher == nullptr) return absl::InvalidArgumentError("cannot register a null cipher");
  std::string id = cipher->id();
  if (absl::Status valid = ValidateCipherId(id); !valid.ok()) return valid;
  if (ciphers_.count(id) > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cipher id '", absl::CEscape(id), "' is already registered"));
  }
  ciphers_.emplace(std::move(id), std::move(cipher));
  return absl::OkStatus();
}

const PayloadCipher* CipherRegistry::Find(absl::string_view id) const {
  const auto found = ciphers_.find(id);
  return found == ciphers_.end() ? nullptr : found->second.get();
}

std::vector<std::string> CipherRegistry::ids() const {
  std::vector<std::string> result;
  result.reserve(ciphers_.size());
  for (const auto& [id, cipher] : ciphers_) result.push_back(id);
  return result;
}

std::unique_ptr<PayloadCipher> NewBase64Cipher() { return std::make_unique<Base64Cipher>(); }

absl::StatusOr<std::shared_ptr<const CipherRegistry>> NewCipherRegistry(
    const EncryptionConfig& config, const Environment& env,
    std::vector<std::unique_ptr<PayloadCipher>> custom_ciphers) {
  auto registry = std::make_shared<CipherRegistry>();
  if (absl::Status added = registry->Register(NewBase64Cipher()); !added.ok()) return added;
  absl::StatusOr<std::unique_ptr<PayloadCipher>> aes = ConfiguredAesGcm(config, env);
  if (!aes.ok()) return aes.status();
  if (*aes != nullptr) {
    if (absl::Status added = registry->Register(*std::move(aes)); !added.ok()) return added;
  }
  for (std::unique_ptr<PayloadCipher>& cipher : custom_ciphers) {
    if (absl::Status added = registry->Register(std::move(cipher)); !added.ok()) return added;
  }
  if (absl::Status checked = CheckWriteCipher(config, *registry); !checked.ok()) return checked;
  return std::shared_ptr<const CipherRegistry>(std::move(registry));
}

}  // namespace failover
