// PayloadCipher: how a stored payload is turned into the text of the PAYLOAD column and back,
// and CipherRegistry: the ciphers a store can read, by id. The id is written into every
// encrypted row (`ENC(<cipher-id>:<ciphertext>)`, see payload_marker.h), so rows written by
// different ciphers stay readable side by side as long as their ciphers stay registered.
//
// Built-in ciphers:
//
//   b64     !!! ENCODING ONLY - NOT ENCRYPTION !!!  Base64 of the payload bytes. Anyone who can
//           read the table can read the payload. It exists because it is the reference
//           framework's default; it hides nothing. Use `aesgcm` or your own cipher for secrecy.
//   aesgcm  AES-GCM (OpenSSL). Key: 16, 24 or 32 bytes (AES-128/192/256), given as base64 in
//           failover.store.jdbc.encryption.key or, when that is blank, in the environment
//           variable named by failover.store.jdbc.encryption.key-env (default
//           FAILOVER_STORE_ENCRYPTION_KEY). Ciphertext: standard base64 of a random 16-byte IV,
//           the encrypted bytes and the 128-bit authentication tag. Registered only when a key
//           is configured. A wrong key or altered data fails with DATA_LOSS "cannot decrypt".
//
// Custom ciphers implement PayloadCipher and are passed to NewCipherRegistry.
//
//   absl::StatusOr<std::shared_ptr<const CipherRegistry>> ciphers =
//       NewCipherRegistry(config.store.jdbc.encryption, ProcessEnvironment());
//   const PayloadCipher* cipher = (*ciphers)->Find("aesgcm");
//   absl::StatusOr<std::string> sealed = cipher->Encrypt(R"({"px":1.5})");
#ifndef FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_CIPHER_H_
#define FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_CIPHER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/environment.h"
#include "core/config/store_config.h"

namespace failover {

// One reversible transformation of payload text. Implementations must be thread-safe: the
// methods are const and are called concurrently by every thread using the store.
class PayloadCipher {
 public:
  virtual ~PayloadCipher() = default;

  // The id written into the marker: non-blank, without ':' or ')'. Must never change for
  // a given algorithm and key, or rows written before the change become unreadable.
  virtual std::string id() const = 0;
  // The ciphertext for `plaintext`; must be text (no ')' restriction: the marker's closing
  // parenthesis is always the last character).
  virtual absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const = 0;
  // The plaintext back. Ciphertext that was not produced by this cipher (wrong key, altered
  // bytes) should fail with DATA_LOSS rather than return garbage.
  virtual absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const = 0;
};

// Ciphers by id. Filled once (Register is not thread-safe), then shared as
// `std::shared_ptr<const CipherRegistry>`; Find() and ids() are safe from any thread.
//
//   CipherRegistry registry;
//   absl::Status added = registry.Register(NewBase64Cipher());
//   const PayloadCipher* b64 = registry.Find("b64");
class CipherRegistry {
 public:
  CipherRegistry() = default;
  CipherRegistry(const CipherRegistry&) = delete;
  CipherRegistry& operator=(const CipherRegistry&) = delete;

  // Adds `cipher`. INVALID_ARGUMENT (naming the id) when the id is blank, contains ':' or ')',
  // or is already registered; INVALID_ARGUMENT for a null cipher.
  absl::Status Register(std::unique_ptr<PayloadCipher> cipher);
  // The cipher registered under `id`, or nullptr. The pointer lives as long as the registry.
  const PayloadCipher* Find(absl::string_view id) const;
  // The registered ids, sorted.
  std::vector<std::string> ids() const;

 private:
  std::map<std::string, std::unique_ptr<PayloadCipher>, std::less<>> ciphers_;
};

// Checks a cipher id: non-blank, no ':' and no ')'. INVALID_ARGUMENT naming the id otherwise.
absl::Status ValidateCipherId(absl::string_view id);

// The built-in `b64` cipher. ENCODING ONLY, NOT ENCRYPTION (see above).
std::unique_ptr<PayloadCipher> NewBase64Cipher();

// The built-in `aesgcm` cipher with the raw key bytes `key` (16, 24 or 32 bytes; the cipher
// keeps a copy and wipes it when destroyed). INVALID_ARGUMENT for any other length; the
// message gives the length, never the key.
absl::StatusOr<std::unique_ptr<PayloadCipher>> NewAesGcmCipher(absl::string_view key);

// The registry a store reads and writes with: `b64`, `aesgcm` when a key is configured
// (config.key, else env[config.key_env]), then `custom_ciphers` in order. INVALID_ARGUMENT,
// naming the property and never printing the key, for a key that is not base64 or not
// 16/24/32 bytes; for config.enabled with a config.cipher that is not registered (naming both
// the cipher and the key properties when it is `aesgcm` without a key); and for a custom
// cipher whose id is invalid or taken.
absl::StatusOr<std::shared_ptr<const CipherRegistry>> NewCipherRegistry(
    const EncryptionConfig& config, const Environment& env,
    std::vector<std::unique_ptr<PayloadCipher>> custom_ciphers = {});

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SECURITY_PAYLOAD_CIPHER_H_
