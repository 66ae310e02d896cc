// RedisFailoverClient: the command path. Every command, pipeline and transaction is one
// operation on one connection; it runs under the retry, and each attempt goes to the endpoint
// active at that moment, through that endpoint's breaker.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "redis-failover/internal/client_endpoint.h"
#include "redis-failover/redis_client.h"

namespace failover {
namespace redis {
namespace {

bool IsConnectionError(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable ||
         s.code() == absl::StatusCode::kDeadlineExceeded;
}

}  // namespace

absl::Status RedisFailoverClient::Run(const std::function<absl::Status(RedisConnection&)>& op,
                                      const CommandOptions& options) {
  return retry_->Run([&]() { return Attempt(op, options); });
}

absl::Status RedisFailoverClient::Attempt(const std::function<absl::Status(RedisConnection&)>& op,
                                          const CommandOptions& options) {
  // Each pass either returns or follows a switch to another endpoint; a switch per endpoint is
  // the most one attempt can meet before it gives its error to the retry.
  size_t passes;
  {
    MutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError("the redis client is closed");
    passes = endpoints_.size() + 1;
  }
  absl::Status last;
  for (size_t pass = 0; pass < passes; ++pass) {
    std::shared_ptr<Endpoint> e = Active();
    if (e == nullptr) return availability_.Error(DescribeEndpoints());
    if (!e->breaker->TryAcquirePermission()) {
      e->not_permitted->Increment();
      // The breaker's event may still be on its way to the selector: tell it now.
      selector_.OnBreakerStateChanged(e->options.name, e->breaker->state());
      last = CallNotPermittedError(*e->breaker);
      if (Active() != e) continue;
      return last;
    }
    const uint64_t interrupts = e->interrupts.load();
    const MonotonicTime start = clock_.Now();
    last = RunOn(*e, op, options);
    const MonotonicTime end = clock_.Now();
    if (last.ok()) {
      e->breaker->OnSuccess(end - start);
      e->successes->Increment();
      e->latency->Record(end - start);
      e->last_success_ns.store(end.nanos(), std::memory_order_relaxed);
      return last;
    }
    const bool interrupted_by_switch = e->interrupts.load() != interrupts;
    if (interrupted_by_switch || last.code() == absl::StatusCode::kResourceExhausted ||
        !IsConnectionError(last)) {
      // Not the server's fault: the client cut the connection (fast failover, removal), the
      // pool was exhausted, or the call itself was bad.
      e->breaker->ReleasePermission();
    } else {
      e->breaker->OnError(end - start, last);
    }
    e->failures->Increment();
    if (!IsConnectionError(last)) return last;
    if (interrupted_by_switch) {
      last = absl::Status(last.code(), absl::StrCat(last.message(), " (endpoint ", e->options.name,
                                                    " was switched away from)"));
    }
    // retry-on-failover: the endpoint changed under this attempt; run it on the new one now.
    if (options_.retry_on_failover && Active() != e && Active() != nullptr) continue;
    return last;
  }
  return last;
}

absl::Status RedisFailoverClient::RunOn(Endpoint& endpoint,
                                        const std::function<absl::Status(RedisConnection&)>& op,
                                        const CommandOptions& options) {
  absl::StatusOr<ConnectionPool::Lease> lease = endpoint.pool->Acquire();
  if (!lease.ok()) {
    return absl::Status(
        lease.status().code(),
        absl::StrCat("redis endpoint ", endpoint.options.name, ": ", lease.status().message()));
  }
  RedisConnection& c = **lease;
  const bool own_timeout = options.timeout > absl::ZeroDuration();
  if (own_timeout) {
    if (absl::Status s = c.SetSocketTimeout(options.timeout); !s.ok()) return s;
  }
  absl::Status s = op(c);
  if (own_timeout && !c.broken()) {
    // Back to the configured timeout before the connection returns to the pool.
    if (absl::Status restore = c.SetSocketTimeout(options_.connection.socket_timeout);
        !restore.ok() && s.ok()) {
      s = restore;
    }
  }
  return s;
}

absl::StatusOr<RedisReply> RedisFailoverClient::Command(const std::vector<std::string>& argv,
                                                        const CommandOptions& options) {
  if (argv.empty()) return absl::InvalidArgumentError("redis command must not be empty");
  RedisReply out = RedisReply::Nil();
  absl::Status s = Run(
      [&](RedisConnection& c) -> absl::Status {
        absl::StatusOr<RedisReply> r = c.Command(argv);
        if (!r.ok()) return r.status();
        out = *std::move(r);
        return absl::OkStatus();
      },
      options);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<RedisReply>> RedisFailoverClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands, const CommandOptions& options) {
  if (commands.empty()) return std::vector<RedisReply>{};
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("redis pipeline command ", i + 1, " of ", commands.size(), " is empty"));
    }
  }
  std::vector<RedisReply> out;
  absl::Status s = Run(
      [&](RedisConnection& c) -> absl::Status {
        absl::StatusOr<std::vector<RedisReply>> r = c.Pipeline(commands);
        if (!r.ok()) return r.status();
        out = *std::move(r);
        return absl::OkStatus();
      },
      options);
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<RedisReply> RedisFailoverClient::Transaction(
    const std::vector<std::vector<std::string>>& commands, const CommandOptions& options) {
  if (commands.empty()) return absl::InvalidArgumentError("a redis transaction needs commands");
  std::vector<std::vector<std::string>> wrapped;
  wrapped.reserve(commands.size() + 2);
  wrapped.push_back({"MULTI"});
  wrapped.insert(wrapped.end(), commands.begin(), commands.end());
  wrapped.push_back({"EXEC"});
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline(wrapped, options);
  if (!replies.ok()) return replies.status();
  if (replies->front().is_error()) return replies->front();  // MULTI refused (nested, ...).
  return replies->back();
}

}  // namespace redis
}  // namespace failover
