// NewFailoverStore: builds the payload store that failover.store.* describes, ready to hand to
// the failover call wrapper (store-jdbc/call/failover.h).
//
//   failover.store.type      inmemory -> LRU (inmemory.max-entries)
//                            caffeine -> W-TinyLFU with per-entry expiry (caffeine.max-size)
//                            jdbc     -> SQLite or PostgreSQL table (jdbc.url, jdbc.table-prefix),
//                                        behind payload protection (jdbc.allowed-payload-classes,
//                                        jdbc.encryption.*)
//                            custom   -> FailoverStoreDeps::custom_store
//   failover.store.async     each backend behind an AsyncWriteStore (async-executor.*)
//   failover.store.multitenant.enabled
//                            a TenantRoutingStore in front: one backend per tenant, created on
//                            first use (TABLE_PREFIX: tenant prefix + global prefix; SCHEMA: a
//                            PostgreSQL schema or an attached SQLite file per tenant)
//
// The tenant is resolved on the caller's thread before any write is queued, so asynchronous
// writes and the SCHEMA strategy combine safely (the Java framework asks to turn async off).
//
//   absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
//       NewFailoverStore(config.store, FailoverStoreDeps{});
//   ... (*store)->Store(entry); ... (*store)->Flush();  // durable from here on
#ifndef FAILOVER_STORE_JDBC_STORE_FACTORY_H_
#define FAILOVER_STORE_JDBC_STORE_FACTORY_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/config/environment.h"
#include "core/config/store_config.h"
#include "core/warning_sink.h"
#include "store-jdbc/failover_store.h"
#include "store-jdbc/routing/tenant_routing_store.h"
#include "store-jdbc/security/payload_cipher.h"

namespace failover {

// Builds the application's own backend for failover.store.type: custom. Called once per tenant
// when multi-tenancy is on (tenant_id empty otherwise).
using CustomStoreFactory = std::function<absl::StatusOr<std::unique_ptr<FailoverStore>>(
    const StoreConfig& config, const std::string& tenant_id)>;

// What the store needs besides its configuration.
struct FailoverStoreDeps {
  // Time for the caffeine store's expiry; nullptr = SystemClock().
  const Clock* clock = nullptr;
  // Where failover.store.jdbc.encryption.key-env is looked up.
  Environment environment = ProcessEnvironment();
  // Ciphers registered next to the built-in b64 and aesgcm.
  std::vector<std::unique_ptr<PayloadCipher>> custom_ciphers;
  // The backend for failover.store.type: custom.
  CustomStoreFactory custom_store;
  // Picks the tenant of each call when multi-tenancy is on.
  TenantResolver tenant_resolver = CurrentScopedTenant();
  WarningSink warnings = StderrWarningSink();
};

// The configured stack. Thread-safe (every layer is). CleanByExpiry waits for the backends'
// cleanups even with async writes (it also waits for writes accepted before it, and returns
// the first background write error since the last Flush, if any), so its count is exact.
class ConfiguredFailoverStore : public FailoverStore {
 public:
  // Blocks until every write accepted so far has reached its backend (a no-op without
  // failover.store.async); returns the first background write error since the last Flush.
  virtual absl::Status Flush() = 0;
  // Writes whose background execution failed, and writes dropped at the concurrency limit
  // (rejection-policy DISCARD), summed over every backend.
  virtual int64_t failed_writes() const = 0;
  virtual int64_t discarded_writes() const = 0;
};

// Validates the configuration (a bad URL, prefix, key or cipher is an error naming the
// property) and opens the backend; with multi-tenancy, tenant backends open on first use.
absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> NewFailoverStore(
    const StoreConfig& config, FailoverStoreDeps deps = {});

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_STORE_FACTORY_H_
