#include "store-jdbc/routing/async_write_store.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/executor/bounded_executor.h"
#include "core/sync.h"
#include "store-jdbc/routing/internal/pending_writes.h"

namespace failover {
namespace {

using routing_internal::PendingWrites;

BoundedExecutorOptions WriteExecutorOptions(const AsyncExecutorConfig& config,
                                            WarningSink warnings) {
  BoundedExecutorOptions options;
  options.name = "failover.store.async-executor";
  options.threads = config.concurrency_limit > 0
                        ? std::min<int>(config.concurrency_limit, kAsyncWriteThreads)
                        : kAsyncWriteThreads;
  options.concurrency_limit = config.concurrency_limit;
  options.rejection_policy = config.rejection_policy;
  options.warnings = std::move(warnings);
  return options;
}

bool HiddenByClean(const FailoverStoreEntry& entry, const std::optional<absl::Time>& horizon) {
  return horizon.has_value() && entry.expire_on < *horizon;
}

class AsyncWriteStoreImpl final : public AsyncWriteStore {
 public:
  AsyncWriteStoreImpl(std::unique_ptr<FailoverStore> inner, const AsyncExecutorConfig& config,
                      WarningSink warnings)
      : warnings_(warnings),
        inner_(std::move(inner)),
        executor_(WriteExecutorOptions(config, std::move(warnings))) {}

  // Members are destroyed after the executor has run every accepted write.
  ~AsyncWriteStoreImpl() override { executor_.Shutdown(); }

  absl::Status Store(const FailoverStoreEntry& entry) override {
    const uint64_t seq = pending_.Add(entry.name, entry.key, entry);
    return SubmitWrite("store", entry.name, entry.key, seq,
                       [this, entry] { return inner_->Store(entry); });
  }

  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    std::string name_copy(name), key_copy(key);
    const uint64_t seq = pending_.Add(name_copy, key_copy, std::nullopt);
    return SubmitWrite("delete", name_copy, key_copy, seq,
                       [this, name_copy, key_copy] { return inner_->Delete(name_copy, key_copy); });
  }

  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    PendingWrites::KeyView pending = pending_.Lookup(std::string(name), std::string(key));
    std::optional<FailoverStoreEntry> found;
    if (pending.write.has_value()) {
      found = *std::move(pending.write);
    } else {
      absl::StatusOr<std::optional<FailoverStoreEntry>> stored = inner_->Find(name, key);
      if (!stored.ok()) return stored.status();
      found = *std::move(stored);
    }
    if (found.has_value() && HiddenByClean(*found, pending.clean_horizon)) found.reset();
    return found;
  }

  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    // Pending writes first: one that finishes meanwhile is then in the backend's answer.
    PendingWrites::NamespaceView pending = pending_.Namespace(std::string(name));
    absl::StatusOr<std::vector<FailoverStoreEntry>> stored = inner_->FindAll(name);
    if (!stored.ok()) return stored.status();
    std::vector<FailoverStoreEntry> result;
    result.reserve(stored->size() + pending.writes.size());
    for (FailoverStoreEntry& entry : *stored) {
      if (pending.writes.count(entry.key) > 0) continue;
      if (!HiddenByClean(entry, pending.clean_horizon)) result.push_back(std::move(entry));
    }
    for (auto& [key, value] : pending.writes) {
      if (value.has_value() && !HiddenByClean(*value, pending.clean_horizon)) {
        result.push_back(*std::move(value));
      }
    }
    return result;
  }

  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  absl::Status Flush() override {
    executor_.Drain();
    MutexLock lock(&mu_);
    return std::exchange(first_error_, absl::OkStatus());
  }

  int64_t failed_writes() const override {
    MutexLock lock(&mu_);
    return failed_writes_;
  }
  int64_t discarded_writes() const override {
    MutexLock lock(&mu_);
    return discarded_writes_;
  }
  int64_t cleaned_entries() const override {
    MutexLock lock(&mu_);
    return cleaned_entries_;
  }

 private:
  absl::Status SubmitWrite(const char* op, const std::string& name, const std::string& key,
                           uint64_t seq, std::function<absl::Status()> write);
  void RunWrite(const char* op, const std::string& name, const std::string& key, uint64_t seq,
                const std::function<absl::Status()>& write);
  void ReportFailure(std::string what, const absl::Status& status);

  const WarningSink warnings_;
  const std::unique_ptr<FailoverStore> inner_;
  PendingWrites pending_;
  mutable Mutex mu_;
  absl::Status first_error_ ABSL_GUARDED_BY(mu_);
  int64_t failed_writes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t discarded_writes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t cleaned_entries_ ABSL_GUARDED_BY(mu_) = 0;
  BoundedExecutor executor_;  // last: its workers use every member above
};

absl::Status AsyncWriteStoreImpl::SubmitWrite(const char* op, const std::string& name,
                                              const std::string& key, uint64_t seq,
                                              std::function<absl::Status()> write) {
  absl::StatusOr<SubmitOutcome> outcome =
      executor_.Submit([this, op, name, key, seq, write = std::move(write)] {
        RunWrite(op, name, key, seq, write);
      });
  if (!outcome.ok()) {
    pending_.Withdraw(name, key, seq);
    return absl::Status(outcome.status().code(),
                        absl::StrCat("failover.store.async: ", op, " of ('", name, "', '", key,
                                     "') not accepted: ", outcome.status().message()));
  }
  if (*outcome == SubmitOutcome::kDiscarded) {
    pending_.Withdraw(name, key, seq);
    MutexLock lock(&mu_);
    ++discarded_writes_;
    return absl::OkStatus();
  }
  pending_.Publish(name, key, seq);  // no-op if it already ran (on the caller, or a fast worker)
  return absl::OkStatus();
}

void AsyncWriteStoreImpl::RunWrite(const char* op, const std::string& name, const std::string& key,
                                   uint64_t seq, const std::function<absl::Status()>& write) {
  if (!pending_.BeginWrite(name, key, seq)) return;  // a newer write is already in the backend
  const absl::Status status = write();
  pending_.EndWrite(name, key, seq, status.ok());
  if (!status.ok()) ReportFailure(absl::StrCat(op, " of ('", name, "', '", key, "')"), status);
}

absl::StatusOr<int64_t> AsyncWriteStoreImpl::CleanByExpiry(absl::Time now) {
  pending_.AddClean(now);
  // Written by the task; read here only when the task ran on this thread.
  auto removed = std::make_shared<int64_t>(0);
  absl::StatusOr<SubmitOutcome> outcome = executor_.Submit([this, now, removed] {
    absl::StatusOr<int64_t> cleaned = inner_->CleanByExpiry(now);
    pending_.RemoveClean(now);
    if (!cleaned.ok()) {
      ReportFailure(absl::StrCat("clean-by-expiry(", absl::FormatTime(now), ")"), cleaned.status());
      return;
    }
    *removed = *cleaned;
    MutexLock lock(&mu_);
    cleaned_entries_ += *cleaned;
  });
  if (!outcome.ok()) {
    pending_.RemoveClean(now);
    return absl::Status(outcome.status().code(),
                        absl::StrCat("failover.store.async: clean-by-expiry not accepted: ",
                                     outcome.status().message()));
  }
  if (*outcome == SubmitOutcome::kDiscarded) {
    pending_.RemoveClean(now);
    MutexLock lock(&mu_);
    ++discarded_writes_;
  }
  return *outcome == SubmitOutcome::kRanOnCaller ? *removed : 0;
}

void AsyncWriteStoreImpl::ReportFailure(std::string what, const absl::Status& status) {
  const std::string message =
      absl::StrCat("failover.store.async: background ", what, " failed: ", status.ToString());
  {
    MutexLock lock(&mu_);
    ++failed_writes_;
    if (first_error_.ok()) first_error_ = absl::Status(status.code(), message);
  }
  if (warnings_) warnings_(message);
}

}  // namespace

std::unique_ptr<AsyncWriteStore> NewAsyncWriteStore(std::unique_ptr<FailoverStore> inner,
                                                    const AsyncExecutorConfig& config,
                                                    WarningSink warnings) {
  return std::make_unique<AsyncWriteStoreImpl>(std::move(inner), config, std::move(warnings));
}

}  // namespace failover
