#include "store-jdbc/routing/tenant_routing_store.h"

#include <atomic>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"

namespace failover {
namespace {

constexpr size_t kMaxTenantIdLength = 64;
// Unlisted tenants warned about individually; beyond this a hostile or buggy resolver could grow
// the warned set without bound, so one last warning says the rest go unreported.
constexpr size_t kMaxWarnedTenants = 1000;

thread_local const std::string* current_scoped_tenant = nullptr;

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// The tenant id as it may appear in a message: escaped and cut short.
std::string Printable(absl::string_view tenant_id) {
  constexpr size_t kShown = 80;
  if (tenant_id.size() <= kShown) return absl::CHexEscape(tenant_id);
  return absl::StrCat(absl::CHexEscape(tenant_id.substr(0, kShown)), "...");
}

// One tenant's store, created on first use.
struct TenantSlot {
  TenantSlot(std::string id, TenantConfig tenant_config)
      : tenant_id(std::move(id)), config(std::move(tenant_config)) {}

  const std::string tenant_id;  // "" for the shared store
  const TenantConfig config;
  std::atomic<FailoverStore*> ready{nullptr};  // set once `store` exists
  Mutex create_mu;
  std::unique_ptr<FailoverStore> store ABSL_GUARDED_BY(create_mu);
};

// Names the slot's store in messages.
std::string Describe(const TenantSlot& slot) {
  return slot.tenant_id.empty() ? std::string("the shared store of unlisted tenants")
                                : absl::StrCat("the store of tenant '", slot.tenant_id, "'");
}

class TenantRoutingStore final : public FailoverStore {
 public:
  TenantRoutingStore(const MultitenantConfig& config, TenantStoreFactory factory,
                     TenantResolver resolver, WarningSink warnings)
      : default_tenant_(IsBlank(config.default_tenant) ? "" : config.default_tenant),
        strict_(config.strict),
        factory_(std::move(factory)),
        resolver_(std::move(resolver)),
        warnings_(std::move(warnings)),
        shared_(std::string(), TenantConfig{}) {
    for (const auto& [tenant_id, tenant] : config.tenants) {
      tenants_.emplace(tenant_id, std::make_unique<TenantSlot>(tenant_id, tenant));
    }
    // An unlisted default tenant is still a tenant of its own (empty config), not "unlisted".
    if (!default_tenant_.empty() && tenants_.count(default_tenant_) == 0) {
      tenants_.emplace(default_tenant_,
                       std::make_unique<TenantSlot>(default_tenant_, TenantConfig{}));
    }
  }

  absl::Status Store(const FailoverStoreEntry& entry) override {
    absl::StatusOr<FailoverStore*> store = CurrentStore();
    if (!store.ok()) return store.status();
    return (*store)->Store(entry);
  }

  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    absl::StatusOr<FailoverStore*> store = CurrentStore();
    if (!store.ok()) return store.status();
    return (*store)->Find(name, key);
  }

  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    absl::StatusOr<FailoverStore*> store = CurrentStore();
    if (!store.ok()) return store.status();
    return (*store)->FindAll(name);
  }

  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    absl::StatusOr<FailoverStore*> store = CurrentStore();
    if (!store.ok()) return store.status();
    return (*store)->Delete(name, key);
  }

  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

 private:
  absl::StatusOr<FailoverStore*> CurrentStore();
  absl::StatusOr<TenantSlot*> ResolveSlot();
  absl::StatusOr<FailoverStore*> StoreOf(TenantSlot& slot);
  void WarnUnlistedOnce(const std::string& tenant_id);

  const std::string default_tenant_;  // "" when blank
  const bool strict_;
  const TenantStoreFactory factory_;
  const TenantResolver resolver_;
  const WarningSink warnings_;
  // Listed tenants and the default tenant. Built in the constructor, never changed after: read
  // without a lock.
  std::map<std::string, std::unique_ptr<TenantSlot>, std::less<>> tenants_;
  TenantSlot shared_;

  Mutex warned_mu_;
  std::set<std::string> warned_ ABSL_GUARDED_BY(warned_mu_);
};

absl::StatusOr<FailoverStore*> TenantRoutingStore::CurrentStore() {
  absl::StatusOr<TenantSlot*> slot = ResolveSlot();
  if (!slot.ok()) return slot.status();
  return StoreOf(**slot);
}

absl::StatusOr<TenantSlot*> TenantRoutingStore::ResolveSlot() {
  std::optional<std::string> resolved = resolver_();
  std::string tenant_id;
  if (resolved.has_value() && !IsBlank(*resolved)) {
    tenant_id = *std::move(resolved);
  } else if (!default_tenant_.empty()) {
    tenant_id = default_tenant_;
  } else {
    return absl::FailedPreconditionError(
        "no tenant resolved and failover.store.multitenant.default-tenant is blank");
  }
  if (absl::Status valid = ValidateTenantId(tenant_id); !valid.ok()) return valid;
  if (auto it = tenants_.find(tenant_id); it != tenants_.end()) return it->second.get();
  if (strict_) {
    return absl::FailedPreconditionError(
        absl::StrCat("failover.store.multitenant.strict: tenant '", tenant_id,
                     "' is not listed in failover.store.multitenant.tenants"));
  }
  WarnUnlistedOnce(tenant_id);
  return &shared_;
}

absl::StatusOr<FailoverStore*> TenantRoutingStore::StoreOf(TenantSlot& slot) {
  if (FailoverStore* ready = slot.ready.load(std::memory_order_acquire)) return ready;
  MutexLock lock(&slot.create_mu);  // later callers for this tenant wait for this creation
  if (slot.store != nullptr) return slot.store.get();
  const std::string which = Describe(slot);
  absl::StatusOr<std::unique_ptr<FailoverStore>> created = factory_(slot.tenant_id, slot.config);
  if (!created.ok()) {
    return absl::Status(created.status().code(),
                        absl::StrCat("failover.store.multitenant: creating ", which,
                                     " failed: ", created.status().message()));
  }
  if (*created == nullptr) {
    return absl::InternalError(absl::StrCat(
        "failover.store.multitenant: the tenant store factory returned no store for ", which));
  }
  slot.store = *std::move(created);
  slot.ready.store(slot.store.get(), std::memory_order_release);
  return slot.store.get();
}

void TenantRoutingStore::WarnUnlistedOnce(const std::string& tenant_id) {
  std::string message;
  {
    MutexLock lock(&warned_mu_);
    if (warned_.count(tenant_id) > 0 || warned_.size() > kMaxWarnedTenants) return;
    if (warned_.size() == kMaxWarnedTenants) {
      warned_.insert(tenant_id);  // pushes the size past the cap: no more warnings
      message = absl::StrCat("failover.store.multitenant: more than ", kMaxWarnedTenants,
                             " unlisted tenants seen; further ones are routed to the shared "
                             "store without a warning");
    } else {
      warned_.insert(tenant_id);
      message = absl::StrCat("failover.store.multitenant: tenant '", tenant_id,
                             "' is not listed in failover.store.multitenant.tenants; routing it "
                             "to the shared store (set strict: true to reject it)");
    }
  }
  if (warnings_) warnings_(message);
}

absl::StatusOr<int64_t> TenantRoutingStore::CleanByExpiry(absl::Time now) {
  std::vector<TenantSlot*> slots;
  slots.reserve(tenants_.size() + 1);
  for (auto& [tenant_id, slot] : tenants_) slots.push_back(slot.get());
  slots.push_back(&shared_);
  int64_t removed = 0;
  absl::Status first_error;
  for (TenantSlot* slot : slots) {
    FailoverStore* store = slot->ready.load(std::memory_order_acquire);
    if (store == nullptr) continue;  // never used: nothing to clean
    absl::StatusOr<int64_t> cleaned = store->CleanByExpiry(now);
    if (cleaned.ok()) {
      removed += *cleaned;
    } else if (first_error.ok()) {
      first_error = absl::Status(
          cleaned.status().code(),
          absl::StrCat("failover.store.multitenant: cleaning ", Describe(*slot),
                       " failed (the other stores were cleaned): ", cleaned.status().message()));
    }
  }
  if (!first_error.ok()) return first_error;
  return removed;
}

}  // namespace

ScopedTenant::ScopedTenant(std::string tenant_id)
    : tenant_id_(std::move(tenant_id)), previous_(current_scoped_tenant) {
  current_scoped_tenant = &tenant_id_;
}

ScopedTenant::~ScopedTenant() { current_scoped_tenant = previous_; }

TenantResolver CurrentScopedTenant() {
  return []() -> std::optional<std::string> {
    if (current_scoped_tenant == nullptr) return std::nullopt;
    return *current_scoped_tenant;
  };
}

absl::Status ValidateTenantId(absl::string_view tenant_id) {
  bool valid = !tenant_id.empty() && tenant_id.size() <= kMaxTenantIdLength;
  for (char c : tenant_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') valid = false;
  }
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("failover.store.multitenant: tenant id '", Printable(tenant_id),
                   "' is invalid: use 1 to 64 letters, digits, '_' or '-'"));
}

std::string TenantTablePrefix(const TenantConfig& tenant, absl::string_view global_prefix) {
  return absl::StrCat(tenant.table_prefix, global_prefix);
}

absl::StatusOr<std::unique_ptr<FailoverStore>> NewTenantRoutingStore(
    const MultitenantConfig& config, TenantStoreFactory factory, TenantResolver resolver,
    WarningSink warnings) {
  if (!factory) return absl::InvalidArgumentError("failover.store.multitenant: no store factory");
  if (!resolver)
    return absl::InvalidArgumentError("failover.store.multitenant: no tenant resolver");
  for (const auto& [tenant_id, tenant] : config.tenants) {
    if (absl::Status valid = ValidateTenantId(tenant_id); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("failover.store.multitenant.tenants: ", valid.message()));
    }
  }
  if (!IsBlank(config.default_tenant)) {
    if (absl::Status valid = ValidateTenantId(config.default_tenant); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("failover.store.multitenant.default-tenant: ", valid.message()));
    }
  }
  return std::make_unique<TenantRoutingStore>(config, std::move(factory), std::move(resolver),
                                              std::move(warnings));
}

}  // namespace failover
