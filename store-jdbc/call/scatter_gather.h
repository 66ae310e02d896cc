// Scatter/gather for batch calls: a PayloadSplitter cuts a batch request into slices, each with
// its own key, so that one batch's results can be stored slice by slice and a later batch (with
// other or overlapping slices) recovered slice by slice. ScatterFailover wraps a batch upstream
// call the way Failover<T> wraps a single one.
//
//   class QuoteSplitter : public failover::PayloadSplitter<std::vector<std::string>,
//                                                          std::vector<Quote>, Quote> {
//     std::vector<KeyArgs> SplitRequest(const std::vector<std::string>& symbols) const override {
//       std::vector<KeyArgs> keys;
//       for (const auto& s : symbols) keys.push_back({s});
//       return keys;
//     }
//     std::vector<std::optional<Quote>> SplitResponse(const std::vector<std::string>& symbols,
//                                                     const std::vector<Quote>& quotes) const
//         override { ... one per symbol, in request order ... }
//     std::vector<Quote> Merge(const std::vector<std::string>& symbols,
//                              std::vector<std::optional<Quote>> slices) const override { ... }
//   };
//   auto batch = failover::ScatterFailover<std::vector<std::string>, std::vector<Quote>,
//                                          Quote>::Create(options, ScatterOptions{config.scatter},
//       std::make_unique<QuoteSplitter>(), std::make_unique<ProtoJsonCodec<Quote>>(), {}, deps);
//   auto quotes = (*batch)->Call(symbols, [&] { return client.GetQuotes(symbols); });
//
// Semantics:
//   - upstream OK: the response is split and every present slice stored under its own key.
//   - upstream error (recoverable): every slice is looked up on its own; Merge gets them in
//     request order with misses kept in position (nullopt). A batch recovered only in part is
//     counted in failover.recovery.partial.total. Recover-all (RecoversAll(request), by default
//     a request with no slices) returns every live entry of the namespace, through MergeAll.
//   - then the handler and the exception policy, as for Failover<T> (args: one list per slice).
//   - metrics: store.total counts slice stores; a batch counts once in call.total and once in
//     recovery.outcome.total (recovered if any slice was; error if none was and one failed).
//   - parallel (ScatterConfig::parallel): slices run on a BoundedExecutor bounded by
//     concurrency_limit / rejection_policy, under ONE deadline (ScatterConfig::timeout) for the
//     whole batch on the injected clock: a slice unfinished at the deadline is not recovered
//     (recover) or reported to the warning sink as timed out (store). A discarded or rejected
//     slice counts the same way. Sequential: slices run on the caller, no deadline.
//
// Thread-safety: Call() may run concurrently. A slice finishing after its batch's deadline
// still uses the store, the clock and the registry: drain or shut down the executor before
// destroying those.
#ifndef FAILOVER_STORE_JDBC_CALL_SCATTER_GATHER_H_
#define FAILOVER_STORE_JDBC_CALL_SCATTER_GATHER_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/config/failover_config.h"
#include "core/executor/bounded_executor.h"
#include "store-jdbc/call/failover.h"
#include "store-jdbc/call/internal/failover_engine.h"
#include "store-jdbc/call/internal/recovery_policy.h"
#include "store-jdbc/call/internal/slice_runner.h"

namespace failover {

// How a batch call is cut into slices and put back together. Implementations must be
// thread-safe (const methods called concurrently).
template <typename Request, typename Response, typename Slice>
class PayloadSplitter {
 public:
  virtual ~PayloadSplitter() = default;
  // The key arguments of each slice of `request`, in request order.
  virtual std::vector<KeyArgs> SplitRequest(const Request& request) const = 0;
  // One entry per slice of SplitRequest(request), same order; nullopt where the response has
  // nothing for that slice (nothing is stored for it).
  virtual std::vector<std::optional<Slice>> SplitResponse(const Request& request,
                                                          const Response& response) const = 0;
  // The batch response from per-slice results in request order, nullopt for a miss.
  virtual Response Merge(const Request& request,
                         std::vector<std::optional<Slice>> slices) const = 0;
  // Whether a failed `request` recovers every live entry of the namespace.
  virtual bool RecoversAll(const Request& request) const { return SplitRequest(request).empty(); }
  // The batch response from every live entry (any order). Default: Merge of all of them.
  virtual Response MergeAll(const Request& request, std::vector<Slice> slices) const {
    std::vector<std::optional<Slice>> present;
    present.reserve(slices.size());
    for (Slice& slice : slices) present.emplace_back(std::move(slice));
    return Merge(request, std::move(present));
  }
};

// Where a ScatterFailover runs its slices. `executor` null with config.parallel: the failover
// creates its own, bounded by config.concurrency_limit with config.rejection_policy.
struct ScatterOptions {
  ScatterConfig config;
  BoundedExecutor* executor = nullptr;  // shared across batches; must outlive the failover
  int threads = 8;                      // worker threads of an executor created here
};

template <typename Request, typename Response, typename Slice>
class ScatterFailover {
 public:
  using Splitter = PayloadSplitter<Request, Response, Slice>;
  using Upstream = std::function<absl::StatusOr<Response>()>;

  static absl::StatusOr<std::unique_ptr<ScatterFailover>> Create(
      FailoverOptions options, ScatterOptions scatter, std::unique_ptr<const Splitter> splitter,
      std::unique_ptr<const PayloadCodec<Slice>> codec, FailoverHooks<Response> hooks,
      const FailoverDependencies& deps) {
    absl::Status valid = call_internal::ValidateHooks(options, static_cast<bool>(hooks.execution),
                                                      static_cast<bool>(hooks.exception_policy),
                                                      codec == nullptr || splitter == nullptr);
    if (!valid.ok()) return valid;
    auto engine = call_internal::FailoverEngine::Create(std::move(options), deps.store, deps.clock,
                                                        deps.registry);
    if (!engine.ok()) return engine.status();
    return std::unique_ptr<ScatterFailover>(
        new ScatterFailover(std::move(*engine), std::move(scatter), std::move(splitter),
                            std::move(codec), std::move(hooks)));
  }

  absl::StatusOr<FailoverResult<Response>> Call(const Request& request, const Upstream& upstream) {
    if (!engine_->options().enabled) {
      absl::StatusOr<Response> direct = upstream();
      if (!direct.ok()) return direct.status();
      return Live(std::move(*direct));
    }
    std::optional<Response> response;
    absl::Status status = engine_->Execute([&]() -> absl::Status {
      absl::StatusOr<std::optional<Response>> result =
          engine_->options().type == FailoverType::kCustom ? hooks_.execution(AsOptional(upstream))
                                                           : AsOptional(upstream)();
      if (!result.ok()) return result.status();
      response = std::move(*result);
      return absl::OkStatus();
    });
    if (status.ok()) {
      if (response.has_value()) StoreSlices(request, *response);
      engine_->metrics().RecordCall(/*success=*/true);
      return Live(std::move(response));
    }
    if (engine_->options().IsNonRecoverable(status)) return status;
    engine_->metrics().RecordCall(/*success=*/false);
    const std::vector<KeyArgs> keys = splitter_->SplitRequest(request);
    KeyArgs args;
    for (const KeyArgs& slice : keys) args.push_back(KeyArg::List(slice));
    return call_internal::ConcludeRecovery(engine_->options(), hooks_, args, status,
                                           Recover(request, keys, status),
                                           engine_->clock().WallNow());
  }

  const FailoverOptions& options() const { return engine_->options(); }

 private:
  // Per-slice results, written by slice i's task only and read by the caller only once that
  // task finished (RunSlices orders the two).
  struct SliceResults {
    explicit SliceResults(size_t n) : slices(n), outcomes(n, RecoveryOutcome::kNotRecovered) {}
    std::vector<std::optional<Slice>> slices;
    std::vector<RecoveryOutcome> outcomes;
  };

  ScatterFailover(std::unique_ptr<call_internal::FailoverEngine> engine, ScatterOptions scatter,
                  std::unique_ptr<const Splitter> splitter,
                  std::unique_ptr<const PayloadCodec<Slice>> codec, FailoverHooks<Response> hooks)
      : engine_(std::move(engine)),
        scatter_(std::move(scatter)),
        splitter_(std::move(splitter)),
        codec_(std::move(codec)),
        hooks_(std::move(hooks)) {
    if (scatter_.config.parallel && scatter_.executor == nullptr) {
      BoundedExecutorOptions executor;
      executor.name = absl::StrCat("failover.scatter[", engine_->options().name, "]");
      executor.threads = scatter_.threads;
      executor.concurrency_limit = scatter_.config.concurrency_limit;
      executor.rejection_policy = scatter_.config.rejection_policy;
      executor.warnings = engine_->options().warnings;
      own_executor_ = std::make_unique<BoundedExecutor>(std::move(executor));
    }
  }

  static std::function<absl::StatusOr<std::optional<Response>>()> AsOptional(
      const Upstream& upstream) {
    return [&upstream]() -> absl::StatusOr<std::optional<Response>> {
      absl::StatusOr<Response> result = upstream();
      if (!result.ok()) return result.status();
      return std::optional<Response>(std::move(*result));
    };
  }

  FailoverResult<Response> Live(std::optional<Response> value) const {
    FailoverResult<Response> result;
    result.value = std::move(value);
    result.as_of = engine_->clock().WallNow();
    return result;
  }

  BoundedExecutor* executor() const {
    if (!scatter_.config.parallel) return nullptr;
    return scatter_.executor != nullptr ? scatter_.executor : own_executor_.get();
  }

  std::vector<bool> Run(size_t count, std::function<void(size_t)> work, absl::string_view what) {
    return call_internal::RunSlices(
        count, std::make_shared<const std::function<void(size_t)>>(std::move(work)), executor(),
        engine_->clock(), scatter_.config.timeout,
        absl::StrCat("failover '", engine_->options().name, "' ", what),
        engine_->options().warnings);
  }

  void StoreSlices(const Request& request, const Response& response) {
    const std::vector<KeyArgs> keys = splitter_->SplitRequest(request);
    std::vector<std::optional<Slice>> slices = splitter_->SplitResponse(request, response);
    if (keys.size() != slices.size()) {
      // Which slice belongs to which key is unknown: storing any could file a payload under
      // another request's key. The live response is still returned to the caller.
      engine_->Warn(absl::StrCat("failover '", engine_->options().name, "': the splitter gave ",
                                 slices.size(), " response slices for ", keys.size(),
                                 " request slices; nothing stored"));
      return;
    }
    const size_t n = keys.size();
    // The tasks own what they use: a late one may outlive this call.
    auto inputs = std::make_shared<std::vector<std::pair<std::string, std::optional<Slice>>>>();
    for (size_t i = 0; i < n; ++i)
      inputs->emplace_back(engine_->Key(keys[i]), std::move(slices[i]));
    std::shared_ptr<call_internal::FailoverEngine> engine = engine_;
    std::shared_ptr<const PayloadCodec<Slice>> codec = codec_;
    std::vector<bool> done = Run(
        n,
        [engine, codec, inputs](size_t i) {
          const auto& [key, slice] = (*inputs)[i];
          if (slice.has_value()) engine->Store(key, codec->Encode(*slice), codec->type_name());
        },
        "store");
    const size_t late = static_cast<size_t>(std::count(done.begin(), done.end(), false));
    if (late > 0) {
      engine_->Warn(absl::StrCat("failover '", engine_->options().name, "': ", late, " of ", n,
                                 " slice stores did not finish by the batch deadline"));
    }
  }

  FailoverResult<Response> Recover(const Request& request, const std::vector<KeyArgs>& keys,
                                   const absl::Status& cause) {
    const MonotonicTime start = engine_->clock().Now();
    FailoverResult<Response> result;
    result.up_to_date = false;
    result.as_of = engine_->clock().WallNow();
    result.failure = FailureInfo::From(cause);
    RecoveryOutcome outcome = splitter_->RecoversAll(request)
                                  ? RecoverAll(request, &result)
                                  : RecoverSlices(request, keys, &result);
    engine_->metrics().RecordRecovery(outcome, engine_->clock().Now() - start);
    return result;
  }

  RecoveryOutcome RecoverAll(const Request& request, FailoverResult<Response>* result) {
    absl::StatusOr<std::vector<FailoverStoreEntry>> all = engine_->FindAllLive();
    if (!all.ok()) {
      engine_->Warn(absl::StrCat("failover '", engine_->options().name,
                                 "': recover-all failed: ", all.status().ToString()));
      return RecoveryOutcome::kError;
    }
    std::vector<Slice> slices;
    bool failed = false;
    for (const FailoverStoreEntry& entry : *all) {
      absl::StatusOr<Slice> slice = Decode(entry);
      if (!slice.ok()) {
        failed = true;
        continue;
      }
      slices.push_back(std::move(*slice));
      result->as_of = std::min(result->as_of, entry.as_of);
    }
    if (slices.empty()) return failed ? RecoveryOutcome::kError : RecoveryOutcome::kNotRecovered;
    if (failed) engine_->metrics().RecordPartialRecovery();
    result->value = splitter_->MergeAll(request, std::move(slices));
    return RecoveryOutcome::kRecovered;
  }

  RecoveryOutcome RecoverSlices(const Request& request, const std::vector<KeyArgs>& keys,
                                FailoverResult<Response>* result) {
    auto results = std::make_shared<SliceResults>(keys.size());
    auto slice_keys = std::make_shared<std::vector<std::string>>();
    for (const KeyArgs& key : keys) slice_keys->push_back(engine_->Key(key));
    auto as_of = std::make_shared<std::vector<absl::Time>>(keys.size(), result->as_of);
    std::shared_ptr<call_internal::FailoverEngine> engine = engine_;
    std::shared_ptr<const PayloadCodec<Slice>> codec = codec_;
    std::vector<bool> done = Run(
        keys.size(),
        [engine, codec, results, slice_keys, as_of](size_t i) {
          RecoverSlice(*engine, *codec, (*slice_keys)[i], &results->slices[i],
                       &results->outcomes[i], &(*as_of)[i]);
        },
        "recover");
    std::vector<std::optional<Slice>> merged(keys.size());
    size_t recovered = 0, failed = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (!done[i]) continue;  // late, discarded or rejected: a miss
      if (results->outcomes[i] == RecoveryOutcome::kError) ++failed;
      if (!results->slices[i].has_value()) continue;
      merged[i] = results->slices[i];
      result->as_of = std::min(result->as_of, (*as_of)[i]);
      ++recovered;
    }
    if (recovered == 0)
      return failed > 0 ? RecoveryOutcome::kError : RecoveryOutcome::kNotRecovered;
    if (recovered < keys.size()) engine_->metrics().RecordPartialRecovery();
    result->value = splitter_->Merge(request, std::move(merged));
    return RecoveryOutcome::kRecovered;
  }

  static void RecoverSlice(call_internal::FailoverEngine& engine, const PayloadCodec<Slice>& codec,
                           const std::string& key, std::optional<Slice>* slice,
                           RecoveryOutcome* outcome, absl::Time* as_of) {
    absl::StatusOr<std::optional<FailoverStoreEntry>> found =
        engine.FindLive(key, codec.type_name());
    absl::Status error = found.status();
    if (found.ok() && found->has_value()) {
      absl::StatusOr<Slice> decoded = codec.Decode((*found)->payload);
      if (decoded.ok()) {
        *slice = std::move(*decoded);
        *as_of = (*found)->as_of;
        *outcome = RecoveryOutcome::kRecovered;
      }
      error = decoded.status();
    }
    if (!error.ok()) {
      *outcome = RecoveryOutcome::kError;
      engine.Warn(absl::StrCat("failover '", engine.options().name, "': recovery of slice key ",
                               key, " failed: ", error.ToString()));
    }
  }

  absl::StatusOr<Slice> Decode(const FailoverStoreEntry& entry) const {
    absl::Status type = engine_->CheckType(entry, codec_->type_name());
    absl::StatusOr<Slice> slice =
        type.ok() ? codec_->Decode(entry.payload) : absl::StatusOr<Slice>(type);
    if (!slice.ok()) {
      engine_->Warn(absl::StrCat("failover '", engine_->options().name, "': entry ", entry.key,
                                 " not recovered: ", slice.status().ToString()));
    }
    return slice;
  }

  const std::shared_ptr<call_internal::FailoverEngine> engine_;
  const ScatterOptions scatter_;
  const std::unique_ptr<const Splitter> splitter_;
  const std::shared_ptr<const PayloadCodec<Slice>> codec_;
  const FailoverHooks<Response> hooks_;
  // Declared last: destroyed first, so its Shutdown() runs before the engine may go.
  std::unique_ptr<BoundedExecutor> own_executor_;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_SCATTER_GATHER_H_
