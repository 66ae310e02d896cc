// failover.store.*: where recovered payloads are kept. Part of FailoverConfig
// (failover_config.h); bound by FailoverConfigSchema(). Plain immutable-by-convention values:
// the loader fills them once, everyone else reads them through const references.
#ifndef FAILOVER_CORE_CONFIG_STORE_CONFIG_H_
#define FAILOVER_CORE_CONFIG_STORE_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config/config_value.h"

namespace failover {

// Backing store for payloads.
enum class StoreType {
  kInMemory,  // "INMEMORY": dev/test only, not persistent
  kCaffeine,  // "CAFFEINE": bounded in-process cache
  kJdbc,      // "JDBC": a SQL table, shared between instances
  kCustom,    // "CUSTOM": a store supplied by the application
};
ConfigEnumDescription<StoreType> DescribeConfigEnum(StoreType);

// What happens to work submitted at a concurrency limit.
enum class RejectionPolicy {
  kDiscard,     // "DISCARD": drop it with a warning
  kCallerRuns,  // "CALLER_RUNS": run it on the submitting thread
  kAbort,       // "ABORT": fail the submission
};
ConfigEnumDescription<RejectionPolicy> DescribeConfigEnum(RejectionPolicy);

// How a multi-tenant JDBC store separates tenants.
enum class MultitenantStrategy {
  kTablePrefix,  // "TABLE_PREFIX": one table per tenant
  kSchema,       // "SCHEMA": a PostgreSQL schema (or an attached SQLite file) per tenant
};
ConfigEnumDescription<MultitenantStrategy> DescribeConfigEnum(MultitenantStrategy);

// failover.store.async-executor.*
struct AsyncExecutorConfig {
  // concurrency-limit (default 0): max in-flight async writes; 0 or negative = unbounded.
  int32_t concurrency_limit = 0;
  // rejection-policy (default DISCARD): what a write submitted at the limit gets.
  RejectionPolicy rejection_policy = RejectionPolicy::kDiscard;
};

// failover.store.inmemory.*
struct InMemoryStoreConfig {
  // max-entries (default 10000): LRU bound; 0 or negative = unbounded.
  int32_t max_entries = 10000;
};

// failover.store.caffeine.*
struct CaffeineStoreConfig {
  // max-size (default 10000): size bound; 0 or negative = unbounded.
  int64_t max_size = 10000;
};

// failover.store.jdbc.encryption.*
struct EncryptionConfig {
  // enabled (default false): write new payloads as ENC(<cipher>:<ciphertext>).
  bool enabled = false;
  // cipher (default "b64"): registered cipher id for new writes; b64 only encodes (NOT encryption).
  std::string cipher = "b64";
  // key (default ""): base64 of the 16/24/32-byte AES key of the built-in `aesgcm` cipher.
  // Secret: never printed. Prefer key-env.
  std::string key;
  // key-env (default "FAILOVER_STORE_ENCRYPTION_KEY"): environment variable holding the aesgcm
  // key (base64) when `key` is blank.
  std::string key_env = "FAILOVER_STORE_ENCRYPTION_KEY";
};

// failover.store.jdbc.*
struct JdbcStoreConfig {
  // url (default "sqlite://failover-store.db"): sqlite://<path> (relative to the working
  // directory, or sqlite:///abs/path.db) or postgresql://user:pass@host:port/db. Secret
  // password: the URL is printed with it masked.
  std::string url = "sqlite://failover-store.db";
  // table-prefix (default ""): the table is <prefix>FAILOVER_STORE.
  std::string table_prefix;
  // allowed-payload-classes (default []): payload types allowed to be decoded, exact or prefix.
  std::vector<std::string> allowed_payload_classes;
  // encryption.*
  EncryptionConfig encryption;
};

// failover.store.multitenant.tenants.<tenant-id>.*
struct TenantConfig {
  // table-prefix (default ""): this tenant's table prefix (TABLE_PREFIX strategy).
  std::string table_prefix;
  // schema (default ""): this tenant's schema (SCHEMA strategy).
  std::string schema;
};

// failover.store.multitenant.*
struct MultitenantConfig {
  // enabled (default false): route store calls per tenant.
  bool enabled = false;
  // strategy (default TABLE_PREFIX): how tenants are separated.
  MultitenantStrategy strategy = MultitenantStrategy::kTablePrefix;
  // default-tenant (default ""): tenant used when none is resolved; blank = such calls fail.
  std::string default_tenant;
  // strict (default false): reject tenants missing from `tenants` instead of using the shared
  // table.
  bool strict = false;
  // tenants (default {}): per-tenant settings keyed by tenant id, kept verbatim.
  std::map<std::string, TenantConfig> tenants;
};

// failover.store.*
struct StoreConfig {
  // type (default INMEMORY): the backing store.
  StoreType type = StoreType::kInMemory;
  // async (default true): store/delete/cleanup run on a background executor; find never does.
  bool async = true;
  AsyncExecutorConfig async_executor;  // async-executor.*
  InMemoryStoreConfig inmemory;        // inmemory.*
  CaffeineStoreConfig caffeine;        // caffeine.*
  JdbcStoreConfig jdbc;                // jdbc.*
  MultitenantConfig multitenant;       // multitenant.*
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_STORE_CONFIG_H_
