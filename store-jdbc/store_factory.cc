#include "store-jdbc/store_factory.h"

#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "store-jdbc/memory/caffeine_store.h"
#include "store-jdbc/memory/in_memory_store.h"
#include "store-jdbc/routing/async_write_store.h"
#include "store-jdbc/security/protected_store.h"
#include "store-jdbc/sql/sql_store.h"

namespace failover {
namespace {

// The front of the stack plus the asynchronous layers inside it, so Flush() can reach them.
class StoreStack final : public ConfiguredFailoverStore {
 public:
  void SetFront(std::unique_ptr<FailoverStore> front) { front_ = std::move(front); }
  void AddAsync(AsyncWriteStore* store) {
    MutexLock lock(&mu_);
    async_.push_back(store);
  }

  absl::Status Store(const FailoverStoreEntry& entry) override { return front_->Store(entry); }
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    return front_->Find(name, key);
  }
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    return front_->FindAll(name);
  }
  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    return front_->Delete(name, key);
  }
  // With async writes the clean is queued behind earlier writes and returns 0; this waits for
  // it (cleanup is maintenance, run on the scheduler's thread, never on a request path), so the
  // count is the real one.
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override {
    if (AsyncStores().empty()) return front_->CleanByExpiry(now);
    // The executor does not keep order: let the writes accepted so far land first, so the
    // clean sees them, then wait for the clean itself.
    if (absl::Status flushed = Flush(); !flushed.ok()) return flushed;
    const int64_t before = CleanedInBackground();
    absl::StatusOr<int64_t> removed = front_->CleanByExpiry(now);
    if (!removed.ok()) return removed;
    if (absl::Status flushed = Flush(); !flushed.ok()) return flushed;
    return *removed + (CleanedInBackground() - before);
  }

  absl::Status Flush() override {
    absl::Status first;
    for (AsyncWriteStore* store : AsyncStores()) {
      absl::Status status = store->Flush();
      if (first.ok()) first = std::move(status);
    }
    return first;
  }
  int64_t failed_writes() const override {
    int64_t total = 0;
    for (AsyncWriteStore* store : AsyncStores()) total += store->failed_writes();
    return total;
  }
  int64_t discarded_writes() const override {
    int64_t total = 0;
    for (AsyncWriteStore* store : AsyncStores()) total += store->discarded_writes();
    return total;
  }

 private:
  int64_t CleanedInBackground() const {
    int64_t total = 0;
    for (AsyncWriteStore* store : AsyncStores()) total += store->cleaned_entries();
    return total;
  }

  std::vector<AsyncWriteStore*> AsyncStores() const {
    MutexLock lock(&mu_);
    return async_;
  }

  mutable Mutex mu_;
  // Owned by front_ (directly or through the tenant router); they live as long as the stack.
  std::vector<AsyncWriteStore*> async_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<FailoverStore> front_;
};

// Builds one backend (per tenant when multi-tenancy is on). Thread-safe: the tenant router
// calls Build from whichever thread first uses a tenant.
class BackendBuilder {
 public:
  BackendBuilder(const StoreConfig& config, FailoverStoreDeps deps, StoreStack* stack)
      : config_(config), deps_(std::move(deps)), stack_(stack) {}

  absl::Status Open() {
    if (config_.type == StoreType::kCustom && !deps_.custom_store) {
      return absl::InvalidArgumentError(
          "failover.store.type is CUSTOM but the application gave no custom store factory "
          "(FailoverStoreDeps::custom_store)");
    }
    if (config_.type != StoreType::kJdbc) return absl::OkStatus();
    absl::StatusOr<std::shared_ptr<const CipherRegistry>> ciphers = NewCipherRegistry(
        config_.jdbc.encryption, deps_.environment, std::move(deps_.custom_ciphers));
    if (!ciphers.ok()) return ciphers.status();
    ciphers_ = *std::move(ciphers);
    absl::StatusOr<std::shared_ptr<SqlDatabase>> database = OpenSqlDatabase(config_.jdbc.url);
    if (!database.ok()) return database.status();
    database_ = *std::move(database);
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<FailoverStore>> Build(const std::string& tenant_id,
                                                       const TenantConfig& tenant) {
    absl::StatusOr<std::unique_ptr<FailoverStore>> backend = BuildBackend(tenant_id, tenant);
    if (!backend.ok() || !config_.async) return backend;
    std::unique_ptr<AsyncWriteStore> async =
        NewAsyncWriteStore(*std::move(backend), config_.async_executor, deps_.warnings);
    stack_->AddAsync(async.get());
    return std::unique_ptr<FailoverStore>(std::move(async));
  }

 private:
  absl::StatusOr<std::unique_ptr<FailoverStore>> BuildBackend(const std::string& tenant_id,
                                                              const TenantConfig& tenant) {
    switch (config_.type) {
      case StoreType::kInMemory:
        return NewInMemoryStore(config_.inmemory.max_entries);
      case StoreType::kCaffeine:
        return NewCaffeineStore(config_.caffeine.max_size,
                                deps_.clock != nullptr ? *deps_.clock : SystemClock());
      case StoreType::kCustom:
        return deps_.custom_store(config_, tenant_id);
      case StoreType::kJdbc:
        break;
    }
    absl::StatusOr<std::unique_ptr<FailoverStore>> sql =
        NewSqlFailoverStore(database_, TableOptions(tenant_id, tenant));
    if (!sql.ok()) return sql.status();
    PayloadProtectionOptions protection = ProtectionOptionsFromConfig(config_.jdbc);
    protection.warnings = deps_.warnings;
    return NewProtectedStore(*std::move(sql), ciphers_, std::move(protection));
  }

  SqlTableOptions TableOptions(const std::string& tenant_id, const TenantConfig& tenant) const {
    SqlTableOptions options;
    options.table_prefix = config_.jdbc.table_prefix;
    const MultitenantConfig& multitenant = config_.multitenant;
    if (!multitenant.enabled || tenant_id.empty()) return options;
    if (multitenant.strategy == MultitenantStrategy::kTablePrefix) {
      options.table_prefix = TenantTablePrefix(tenant, config_.jdbc.table_prefix);
    } else if (multitenant.tenants.count(tenant_id) > 0 ||
               tenant_id == multitenant.default_tenant) {
      // A configured tenant without an explicit schema gets the schema named after it; an
      // unconfigured tenant (non-strict mode) shares the default schema.
      options.schema = tenant.schema.empty() ? tenant_id : tenant.schema;
    }
    return options;
  }

  const StoreConfig config_;
  FailoverStoreDeps deps_;
  StoreStack* const stack_;
  std::shared_ptr<const CipherRegistry> ciphers_;
  std::shared_ptr<SqlDatabase> database_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> NewFailoverStore(const StoreConfig& config,
                                                                          FailoverStoreDeps deps) {
  auto stack = std::make_unique<StoreStack>();
  TenantResolver resolver = std::move(deps.tenant_resolver);
  WarningSink warnings = deps.warnings;
  auto builder = std::make_shared<BackendBuilder>(config, std::move(deps), stack.get());
  if (absl::Status opened = builder->Open(); !opened.ok()) return opened;
  if (!config.multitenant.enabled) {
    absl::StatusOr<std::unique_ptr<FailoverStore>> backend = builder->Build("", TenantConfig{});
    if (!backend.ok()) return backend.status();
    stack->SetFront(*std::move(backend));
    return std::unique_ptr<ConfiguredFailoverStore>(std::move(stack));
  }
  TenantStoreFactory factory = [builder](const std::string& tenant_id, const TenantConfig& tenant) {
    return builder->Build(tenant_id, tenant);
  };
  absl::StatusOr<std::unique_ptr<FailoverStore>> router = NewTenantRoutingStore(
      config.multitenant, std::move(factory), std::move(resolver), std::move(warnings));
  if (!router.ok()) return router.status();
  stack->SetFront(*std::move(router));
  return std::unique_ptr<ConfiguredFailoverStore>(std::move(stack));
}

}  // namespace failover
