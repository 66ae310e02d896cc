// Multi-tenant store routing (failover.store.multitenant.*): a FailoverStore that resolves the
// calling tenant on every call and forwards to that tenant's own store, created lazily by an
// application- or integrator-supplied factory.
//
// Resolution: the resolver's tenant; if it returns nullopt or a blank id, default-tenant; if that
// is blank too, FAILED_PRECONDITION. Tenant ids must match [A-Za-z0-9_-]{1,64} (INVALID_ARGUMENT
// otherwise: they end up in table and schema names). A tenant listed in `tenants` gets its own
// store, created with its TenantConfig; so does the default-tenant, with an empty TenantConfig
// when it is not listed. Every other tenant goes to ONE shared store, created with tenant_id ""
// and an empty TenantConfig (for TABLE_PREFIX: the global table); with `strict`, such a tenant
// is FAILED_PRECONDITION instead (the default-tenant is exempt: it always has its own). Without
// `strict` each unlisted tenant is reported once to the WarningSink (the first 1000 of them).
// `enabled` is not consulted: build this store only when it is true.
//
// Each store is created at most once, even when many threads first ask for it together; a failed
// creation is not remembered, so the next call retries. Thread-safe if the tenant stores are.
// Lookups of configured tenants take no lock (an immutable table of per-tenant slots, each
// published through an atomic pointer); the first call for a tenant holds only that tenant's
// creation mutex; unlisted tenants take a short mutex to check whether they were warned about.
// CleanByExpiry cleans every tenant store created so far, whatever the current tenant.
//
//   auto store = NewTenantRoutingStore(config.store.multitenant,
//       [&](const std::string& tenant_id, const TenantConfig& tenant) {
//         JdbcStoreConfig jdbc = config.store.jdbc;
//         jdbc.table_prefix = TenantTablePrefix(tenant, config.store.jdbc.table_prefix);
//         return MakeBackend(jdbc);  // e.g. NewSqlFailoverStore over a shared database
//       });
//   ScopedTenant tenant("acme");            // this thread works for acme until scope exit
//   absl::Status stored = (*store)->Store(entry);  // lands in ACME_FAILOVER_STORE
#ifndef FAILOVER_STORE_JDBC_ROUTING_TENANT_ROUTING_STORE_H_
#define FAILOVER_STORE_JDBC_ROUTING_TENANT_ROUTING_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/store_config.h"
#include "core/warning_sink.h"
#include "store-jdbc/failover_store.h"

namespace failover {

// The calling tenant, or nullopt when none is known. Called on every store call, on the calling
// thread; must be thread-safe.
using TenantResolver = std::function<std::optional<std::string>()>;

// Builds one tenant's store. tenant_id is "" for the shared store of unlisted tenants.
using TenantStoreFactory = std::function<absl::StatusOr<std::unique_ptr<FailoverStore>>(
    const std::string& tenant_id, const TenantConfig& tenant)>;

// Sets the calling thread's tenant for its scope (restoring the previous one after; scopes
// nest). Not copyable or movable: create and destroy it on the same thread.
//
//   { ScopedTenant tenant("acme"); store->Find(name, key); }
class ScopedTenant {
 public:
  explicit ScopedTenant(std::string tenant_id);
  ~ScopedTenant();
  ScopedTenant(const ScopedTenant&) = delete;
  ScopedTenant& operator=(const ScopedTenant&) = delete;

 private:
  const std::string tenant_id_;
  const std::string* const previous_;
};

// The default resolver: the innermost ScopedTenant of the calling thread, or nullopt.
TenantResolver CurrentScopedTenant();

// OK if `tenant_id` matches [A-Za-z0-9_-]{1,64}, else INVALID_ARGUMENT naming it.
absl::Status ValidateTenantId(absl::string_view tenant_id);

// The effective table prefix of a tenant under TABLE_PREFIX: tenant prefix + global prefix (the
// Java framework's table is tenantPrefix + globalPrefix + FAILOVER_STORE).
std::string TenantTablePrefix(const TenantConfig& tenant, absl::string_view global_prefix);

// INVALID_ARGUMENT for an empty factory or resolver, an invalid id among `tenants`, or an invalid
// non-blank default-tenant.
absl::StatusOr<std::unique_ptr<FailoverStore>> NewTenantRoutingStore(
    const MultitenantConfig& config, TenantStoreFactory factory,
    TenantResolver resolver = CurrentScopedTenant(), WarningSink warnings = StderrWarningSink());

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_ROUTING_TENANT_ROUTING_STORE_H_
