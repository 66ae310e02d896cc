#include "store-jdbc/security/protected_store.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "store-jdbc/security/payload_marker.h"

namespace failover {
namespace {

constexpr absl::string_view kCipherProperty = "failover.store.jdbc.encryption.cipher";
// Distinct skipped-entry problems remembered for deduplication; past this, skips are still
// counted but no longer reported one by one (bounds memory under a table full of bad rows).
constexpr size_t kMaxReportedProblems = 4096;

std::string EntryName(absl::string_view name, absl::string_view key) {
  return absl::StrCat("failover store entry (name='", absl::CEscape(name), "', key='",
                      absl::CEscape(key), "')");
}

absl::Status InEntry(absl::string_view name, absl::string_view key, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(EntryName(name, key), ": ", status.message()));
}

void WarnAtConstruction(bool encrypt_writes, absl::string_view write_cipher,
                        const PayloadTypeAllowlist& allowlist, const WarningSink& warnings) {
  if (encrypt_writes && write_cipher == "b64") {
    warnings(absl::StrCat(
        kCipherProperty,
        " is 'b64': stored payloads are Base64-ENCODED, NOT ENCRYPTED; anyone who can read the "
        "table can read them. Use 'aesgcm' (set failover.store.jdbc.encryption.key or its "
        "environment variable) or a custom cipher for real protection."));
  }
  if (allowlist.empty()) {
    warnings(
        "failover.store.jdbc.allowed-payload-classes is empty: every stored payload is denied "
        "on read (the allowlist fails closed); list the payload types or packages to serve.");
  }
}

}  // namespace

PayloadProtectionOptions ProtectionOptionsFromConfig(const JdbcStoreConfig& config) {
  PayloadProtectionOptions options;
  options.allowed_payload_types = config.allowed_payload_classes;
  options.encrypt_writes = config.encryption.enabled;
  options.write_cipher = config.encryption.cipher;
  return options;
}

absl::StatusOr<std::unique_ptr<ProtectedStore>> ProtectedStore::Create(
    std::unique_ptr<FailoverStore> inner, std::shared_ptr<const CipherRegistry> ciphers,
    PayloadProtectionOptions options) {
  if (inner == nullptr) return absl::InvalidArgumentError("protected store: inner store is null");
  if (ciphers == nullptr) {
    return absl::InvalidArgumentError("protected store: cipher registry is null");
  }
  if (options.warnings == nullptr) options.warnings = StderrWarningSink();
  const PayloadCipher* write_cipher = nullptr;
  if (options.encrypt_writes) {
    write_cipher = ciphers->Find(options.write_cipher);
    if (write_cipher == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          kCipherProperty, ": '", absl::CEscape(options.write_cipher),
          "' is not a registered cipher (registered: ", absl::StrJoin(ciphers->ids(), ", "), ")"));
    }
  }
  return std::unique_ptr<ProtectedStore>(
      new ProtectedStore(std::move(inner), std::move(ciphers), write_cipher, std::move(options)));
}

ProtectedStore::ProtectedStore(std::unique_ptr<FailoverStore> inner,
                               std::shared_ptr<const CipherRegistry> ciphers,
                               const PayloadCipher* write_cipher, PayloadProtectionOptions options)
    : inner_(std::move(inner)),
      ciphers_(std::move(ciphers)),
      write_cipher_(write_cipher),
      allowlist_(std::move(options.allowed_payload_types)),
      warnings_(std::move(options.warnings)) {
  WarnAtConstruction(options.encrypt_writes, options.write_cipher, allowlist_, warnings_);
}

absl::StatusOr<std::string> ProtectedStore::StoredPayload(const FailoverStoreEntry& entry) const {
  if (write_cipher_ != nullptr) return SealPayload(entry.payload, *write_cipher_);
  if (!LooksLikePayloadMarker(entry.payload)) return entry.payload;
  // Plaintext that would read back as a marker: store it marked, so it reads back unchanged.
  const PayloadCipher* b64 = ciphers_->Find("b64");
  if (b64 == nullptr) {
    return absl::InvalidArgumentError(
        "the plaintext payload has the ENC(...) marker's shape and would not read back; "
        "register the 'b64' cipher so it can be stored marked");
  }
  return SealPayload(entry.payload, *b64);
}

absl::Status ProtectedStore::Store(const FailoverStoreEntry& entry) {
  absl::StatusOr<std::string> payload = StoredPayload(entry);
  if (!payload.ok()) return InEntry(entry.name, entry.key, payload.status());
  FailoverStoreEntry sealed = entry;
  sealed.payload = *std::move(payload);
  return inner_->Store(sealed);
}

absl::Status ProtectedStore::Unprotect(FailoverStoreEntry& entry) const {
  // The type is checked before the payload is even parsed: a denied row never reaches a cipher.
  if (absl::Status allowed = allowlist_.Check(entry.payload_type); !allowed.ok()) {
    return InEntry(entry.name, entry.key, allowed);
  }
  absl::StatusOr<std::string> plaintext = OpenPayload(entry.payload, *ciphers_);
  if (!plaintext.ok()) return InEntry(entry.name, entry.key, plaintext.status());
  entry.payload = *std::move(plaintext);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> ProtectedStore::Find(absl::string_view name,
                                                                       absl::string_view key) {
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = inner_->Find(name, key);
  if (!found.ok() || !found->has_value()) return found;
  if (absl::Status opened = Unprotect(**found); !opened.ok()) return opened;
  return found;
}

absl::StatusOr<std::vector<FailoverStoreEntry>> ProtectedStore::FindAll(absl::string_view name) {
  absl::StatusOr<std::vector<FailoverStoreEntry>> found = inner_->FindAll(name);
  if (!found.ok()) return found;
  std::vector<FailoverStoreEntry> served;
  served.reserve(found->size());
  for (FailoverStoreEntry& entry : *found) {
    if (absl::Status opened = Unprotect(entry); !opened.ok()) {
      ReportSkipped(entry, opened);
      continue;
    }
    served.push_back(std::move(entry));
  }
  return served;
}

void ProtectedStore::ReportSkipped(const FailoverStoreEntry& entry, const absl::Status& problem) {
  skipped_entries_.fetch_add(1, std::memory_order_relaxed);
  std::string problem_key = absl::StrCat(entry.name, std::string(1, '\0'), entry.key,
                                         std::string(1, '\0'), problem.ToString());
  bool report = false;
  bool now_full = false;
  {
    MutexLock lock(&mu_);
    if (reported_.size() < kMaxReportedProblems) {
      report = reported_.insert(std::move(problem_key)).second;
      now_full = report && reported_.size() == kMaxReportedProblems;
    }
  }
  if (report) warnings_(absl::StrCat("find-all skipped an entry: ", problem.ToString()));
  if (now_full) {
    warnings_(absl::StrCat("find-all has reported ", kMaxReportedProblems,
                           " distinct skipped entries; further ones are counted, not reported"));
  }
}

absl::Status ProtectedStore::Delete(absl::string_view name, absl::string_view key) {
  return inner_->Delete(name, key);
}

absl::StatusOr<int64_t> ProtectedStore::CleanByExpiry(absl::Time now) {
  return inner_->CleanByExpiry(now);
}

absl::StatusOr<std::unique_ptr<FailoverStore>> NewProtectedStore(
    std::unique_ptr<FailoverStore> inner, std::shared_ptr<const CipherRegistry> ciphers,
    PayloadProtectionOptions options) {
  absl::StatusOr<std::unique_ptr<ProtectedStore>> store =
      ProtectedStore::Create(std::move(inner), std::move(ciphers), std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<FailoverStore>(*std::move(store));
}

}  // namespace failover
