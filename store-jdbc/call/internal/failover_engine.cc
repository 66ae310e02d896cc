#include "store-jdbc/call/internal/failover_engine.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace call_internal {
namespace {

absl::Status Validate(const FailoverOptions& options) {
  if (options.name.empty()) return absl::InvalidArgumentError("failover name: must not be empty");
  if (options.expiry <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("failover '", options.name, "': expiry ",
                                                   absl::FormatDuration(options.expiry),
                                                   " must be positive"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FailoverEngine>> FailoverEngine::Create(FailoverOptions options,
                                                                       FailoverStore& store,
                                                                       Clock& clock,
                                                                       FailoverRegistry& registry) {
  if (absl::Status valid = Validate(options); !valid.ok()) return valid;
  std::unique_ptr<CircuitBreaker> breaker;
  if (options.type == FailoverType::kResilience) {
    auto created = CircuitBreaker::Create(options.name, options.breaker, clock);
    if (!created.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "failover '", options.name, "': circuit breaker: ", created.status().message()));
    }
    breaker = std::move(*created);
  }
  if (absl::Status registered = registry.Register(options.name); !registered.ok()) {
    return registered;
  }
  if (!options.warnings) options.warnings = StderrWarningSink();
  return std::unique_ptr<FailoverEngine>(
      new FailoverEngine(std::move(options), store, clock, registry, std::move(breaker)));
}

FailoverEngine::FailoverEngine(FailoverOptions options, FailoverStore& store, Clock& clock,
                               FailoverRegistry& registry, std::unique_ptr<CircuitBreaker> breaker)
    : options_(std::move(options)),
      store_(store),
      clock_(clock),
      registry_(registry),
      breaker_(std::move(breaker)),
      metrics_(registry.metrics(), options_.name, options_.storage_namespace()) {}

FailoverEngine::~FailoverEngine() { registry_.Unregister(options_.name); }

std::string FailoverEngine::Key(const KeyArgs& args) const {
  return options_.key_generator ? options_.key_generator(storage_namespace(), args)
                                : DefaultFailoverKey(storage_namespace(), args);
}

absl::Status FailoverEngine::Execute(const std::function<absl::Status()>& call) {
  if (breaker_ != nullptr && !breaker_->TryAcquirePermission()) {
    absl::Status refused = CallNotPermittedError(*breaker_);
    metrics_.RecordException(refused.code());
    return refused;
  }
  const MonotonicTime start = clock_.Now();
  absl::Status status = call();
  const absl::Duration elapsed = clock_.Now() - start;
  if (breaker_ != nullptr) {
    // A validation error says nothing about the upstream's health.
    if (!status.ok() && options_.IsNonRecoverable(status)) {
      breaker_->ReleasePermission();
    } else {
      breaker_->OnResult(elapsed, status);
    }
  }
  metrics_.RecordUpstream(status.ok(), elapsed);
  if (!status.ok()) metrics_.RecordException(status.code());
  return status;
}

void FailoverEngine::Store(const std::string& key, const absl::StatusOr<std::string>& payload,
                           const std::string& type_name) {
  const MonotonicTime start = clock_.Now();
  absl::Status stored = payload.status();
  if (stored.ok()) {
    const absl::Time now = clock_.WallNow();
    const absl::Time expire_on =
        options_.expiry_policy ? options_.expiry_policy(now, options_) : now + options_.expiry;
    stored = store_.Store({storage_namespace(), key, now, expire_on, *payload, type_name});
  }
  metrics_.RecordStore(stored.ok(), clock_.Now() - start);
  if (!stored.ok()) {
    Warn(absl::StrCat("failover '", options_.name, "': result not stored under ",
                      storage_namespace(), "/", key, ": ", stored.ToString()));
  }
}

absl::StatusOr<std::optional<FailoverStoreEntry>> FailoverEngine::FindLive(
    const std::string& key, absl::string_view type_name) {
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store_.Find(storage_namespace(), key);
  if (!found.ok() || !found->has_value()) return found;
  if ((*found)->ExpiredAt(clock_.WallNow())) {
    DeleteExpired(**found);
    return std::optional<FailoverStoreEntry>();
  }
  if (absl::Status type = CheckType(**found, type_name); !type.ok()) return type;
  return found;
}

absl::StatusOr<std::vector<FailoverStoreEntry>> FailoverEngine::FindAllLive() {
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store_.FindAll(storage_namespace());
  if (!all.ok()) return all;
  const absl::Time now = clock_.WallNow();
  std::vector<FailoverStoreEntry> live;
  for (FailoverStoreEntry& entry : *all) {
    if (entry.ExpiredAt(now)) {
      DeleteExpired(entry);
    } else {
      live.push_back(std::move(entry));
    }
  }
  return live;
}

absl::Status FailoverEngine::CheckType(const FailoverStoreEntry& entry,
                                       absl::string_view type_name) const {
  if (entry.payload_type == type_name) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("failover '", options_.name, "': entry ", entry.name, "/", entry.key,
                   " holds a ", entry.payload_type, " payload, expected ", type_name));
}

void FailoverEngine::DeleteExpired(const FailoverStoreEntry& entry) {
  absl::Status deleted = store_.Delete(entry.name, entry.key);
  if (!deleted.ok()) {
    Warn(absl::StrCat("failover '", options_.name, "': expired entry ", entry.name, "/", entry.key,
                      " not deleted: ", deleted.ToString()));
  }
}

void FailoverEngine::Warn(absl::string_view message) const { options_.warnings(message); }

}  // namespace call_internal
}  // namespace failover
