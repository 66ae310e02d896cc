// ProtectedStore: a FailoverStore decorator that guards what is stored at rest and what is
// handed back for decoding.
//
//   - Store() with encryption on writes the payload as ENC(<cipher-id>:<ciphertext>) with the
//     configured write cipher. With it off, payloads are written as given, except one that would
//     read back as a marker (starts with "ENC(" and ends with ")"): that one is written b64-marked
//     so it round-trips. NOTE: the default cipher `b64` is ENCODING, NOT ENCRYPTION; a warning
//     says so at construction.
//   - Find() checks the payload type against the allowlist BEFORE touching the payload
//     (PERMISSION_DENIED), then opens the marker (DATA_LOSS when it cannot) or passes plaintext
//     through. Errors name the entry.
//   - FindAll() does the same per entry but skips a denied or undecryptable entry instead of
//     failing, so the rest keeps being served; each distinct (name, key, problem) is reported
//     to the WarningSink once, and every skip is counted (skipped_entries()).
//   - Delete() and CleanByExpiry() pass through.
//
// Reads honour the marker whether or not writes are encrypted, so plaintext rows, rows of any
// registered cipher and new rows coexist. Thread-safe when the inner store is.
//
//   absl::StatusOr<std::unique_ptr<FailoverStore>> store = NewProtectedStore(
//       std::move(sql_store), *NewCipherRegistry(jdbc.encryption, ProcessEnvironment()),
//       ProtectionOptionsFromConfig(jdbc));
#ifndef FAILOVER_STORE_JDBC_SECURITY_PROTECTED_STORE_H_
#define FAILOVER_STORE_JDBC_SECURITY_PROTECTED_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/config/store_config.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "store-jdbc/failover_store.h"
#include "store-jdbc/security/payload_allowlist.h"
#include "store-jdbc/security/payload_cipher.h"

namespace failover {

struct PayloadProtectionOptions {
  std::vector<std::string> allowed_payload_types;  // failover.store.jdbc.allowed-payload-classes
  bool encrypt_writes = false;                     // failover.store.jdbc.encryption.enabled
  std::string write_cipher = "b64";                // failover.store.jdbc.encryption.cipher
  WarningSink warnings = StderrWarningSink();      // one-time notices and skipped entries
};

// The options failover.store.jdbc.* asks for (warnings to stderr).
PayloadProtectionOptions ProtectionOptionsFromConfig(const JdbcStoreConfig& config);

class ProtectedStore final : public FailoverStore {
 public:
  // As NewProtectedStore, keeping the concrete type (for skipped_entries()).
  static absl::StatusOr<std::unique_ptr<ProtectedStore>> Create(
      std::unique_ptr<FailoverStore> inner, std::shared_ptr<const CipherRegistry> ciphers,
      PayloadProtectionOptions options);

  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // How many entries FindAll() has skipped (denied type or unreadable payload), in total.
  int64_t skipped_entries() const { return skipped_entries_.load(std::memory_order_relaxed); }

 private:
  ProtectedStore(std::unique_ptr<FailoverStore> inner,
                 std::shared_ptr<const CipherRegistry> ciphers, const PayloadCipher* write_cipher,
                 PayloadProtectionOptions options);

  // The PAYLOAD text to store for `entry`.
  absl::StatusOr<std::string> StoredPayload(const FailoverStoreEntry& entry) const;
  // Allowlist check, then the marker opened in place.
  absl::Status Unprotect(FailoverStoreEntry& entry) const;
  // Reports a skipped FindAll() entry once per distinct problem.
  void ReportSkipped(const FailoverStoreEntry& entry, const absl::Status& problem);

  const std::unique_ptr<FailoverStore> inner_;
  const std::shared_ptr<const CipherRegistry> ciphers_;
  const PayloadCipher* const write_cipher_;  // nullptr when writes are not encrypted
  const PayloadTypeAllowlist allowlist_;
  const WarningSink warnings_;
  std::atomic<int64_t> skipped_entries_{0};
  Mutex mu_;
  std::set<std::string> reported_ ABSL_GUARDED_BY(mu_);  // name \0 key \0 problem
};

// The decorator over `inner`. INVALID_ARGUMENT for a null inner store or registry, and (naming
// failover.store.jdbc.encryption.cipher) when encrypt_writes names an unregistered cipher.
absl::StatusOr<std::unique_ptr<FailoverStore>> NewProtectedStore(
    std::unique_ptr<FailoverStore> inner, std::shared_ptr<const CipherRegistry> ciphers,
    PayloadProtectionOptions options);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SECURITY_PROTECTED_STORE_H_
