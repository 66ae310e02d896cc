#include "tools/failoverctl/redis_drill.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "core/sync.h"
#include "redis-failover/availability.h"
#include "redis-failover/redis_client.h"

namespace failover {
namespace {

// A JSON string literal.
std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Counts shared by the load threads and the reporter.
class DrillState {
 public:
  void Op(absl::Duration latency, const absl::Status& status) {
    ops_.fetch_add(1, std::memory_order_relaxed);
    const int64_t ms = absl::ToInt64Milliseconds(latency);
    int64_t seen = max_latency_ms_.load(std::memory_order_relaxed);
    while (ms > seen && !max_latency_ms_.compare_exchange_weak(seen, ms)) {
    }
    if (status.ok()) return;
    errors_.fetch_add(1, std::memory_order_relaxed);
    MutexLock lock(&mu_);
    ++errors_by_kind_[DrillErrorKind(status)];
  }
  void Switch(DrillSwitch s) {
    MutexLock lock(&mu_);
    switches_.push_back(std::move(s));
  }
  int64_t ops() const { return ops_.load(std::memory_order_relaxed); }
  int64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  std::vector<DrillSwitch> switches() const {
    MutexLock lock(&mu_);
    return switches_;
  }
  void Fill(DrillSummary& summary) const {
    summary.ops = ops();
    summary.errors = errors();
    summary.max_latency_ms = max_latency_ms_.load();
    MutexLock lock(&mu_);
    summary.errors_by_kind = errors_by_kind_;
    summary.switches = switches_;
  }

 private:
  std::atomic<int64_t> ops_{0};
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> max_latency_ms_{0};
  mutable Mutex mu_;
  std::map<std::string, int64_t> errors_by_kind_ ABSL_GUARDED_BY(mu_);
  std::vector<DrillSwitch> switches_ ABSL_GUARDED_BY(mu_);
};

std::string Describe(const DrillSwitch& s) {
  return absl::StrCat(s.from.empty() ? "(none)" : s.from, " -> ", s.to.empty() ? "(none)" : s.to,
                      " (", s.reason, ") at ", absl::FormatDuration(absl::Milliseconds(s.at_ms)));
}

}  // namespace

absl::Status RedisDrillOptions::Validate() const {
  if (duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--duration must be positive");
  }
  if (threads < 1 || threads > 256) {
    return absl::InvalidArgumentError(absl::StrCat("--threads must be 1..256, got ", threads));
  }
  if (keys < 1) return absl::InvalidArgumentError(absl::StrCat("--keys must be >= 1, got ", keys));
  if (report_every <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the report interval must be positive");
  }
  return absl::OkStatus();
}

std::string DrillErrorKind(const absl::Status& status) {
  if (redis::IsPermanentlyUnavailable(status)) return "all_endpoints_unavailable";
  if (redis::IsAllEndpointsDown(status)) return "all_endpoints_down";
  if (IsCallNotPermitted(status)) return "breaker_open";
  return absl::AsciiStrToLower(absl::StatusCodeToString(status.code()));
}

std::string DrillSummary::ToJson() const {
  std::vector<std::string> kinds;
  for (const auto& [kind, n] : errors_by_kind) kinds.push_back(absl::StrCat(Quote(kind), ":", n));
  std::vector<std::string> moves;
  for (const DrillSwitch& s : switches) {
    moves.push_back(absl::StrCat("{\"at_ms\":", s.at_ms, ",\"from\":", Quote(s.from),
                                 ",\"to\":", Quote(s.to), ",\"reason\":", Quote(s.reason), "}"));
  }
  return absl::StrCat("{\"ops\":", ops, ",\"errors\":", errors, ",\"errors_by_kind\":{",
                      absl::StrJoin(kinds, ","), "},\"switches\":[", absl::StrJoin(moves, ","),
                      "],\"max_latency_ms\":", max_latency_ms,
                      ",\"final_endpoint\":", Quote(final_endpoint), "}");
}

absl::StatusOr<DrillSummary> RunRedisDrill(const RedisDrillOptions& options,
                                           redis::RedisClientOptions client_options,
                                           std::ostream& out, const std::atomic<bool>& stop) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  Clock& clock = SystemClock();
  absl::StatusOr<std::unique_ptr<redis::RedisFailoverClient>> created =
      redis::RedisFailoverClient::Create(std::move(client_options), clock);
  if (!created.ok()) return created.status();
  redis::RedisFailoverClient& client = **created;

  DrillState state;
  const MonotonicTime start = clock.Now();
  client.AddSwitchListener([&](const redis::SwitchEvent& e) {
    state.Switch({absl::ToInt64Milliseconds(e.at - start), e.from, e.to,
                  std::string(redis::SwitchReasonName(e.reason))});
  });
  out << "drill: " << options.threads << " threads, " << options.keys << " keys, "
      << absl::FormatDuration(options.duration) << ", starting on "
      << (client.active_endpoint().empty() ? "(none)" : client.active_endpoint()) << std::endl;

  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t i = t; !done.load(std::memory_order_relaxed); i += options.threads) {
        const std::string key = absl::StrCat("drill:", i % options.keys);
        MonotonicTime before = clock.Now();
        absl::Status s = client.Set(key, absl::StrCat(i)).status();
        MonotonicTime after = clock.Now();
        state.Op(after - before, s);
        before = after;
        s = client.Get(key).status();
        state.Op(clock.Now() - before, s);
      }
    });
  }

  DrillSummary summary;
  int64_t reported_ops = 0;
  int64_t reported_errors = 0;
  size_t reported_switches = 0;
  MonotonicTime next_report = start + options.report_every;
  const MonotonicTime end = start + options.duration;
  while (!stop.load() && clock.Now() < end) {
    clock.SleepFor(std::min(absl::Milliseconds(20),
                            std::max(next_report - clock.Now(), absl::ZeroDuration())));
    if (clock.Now() < next_report) continue;
    const int64_t ops = state.ops();
    const int64_t errors = state.errors();
    const std::vector<DrillSwitch> switches = state.switches();
    std::string line =
        absl::StrFormat("%6s  ops %8d  errors %6d  active %s",
                        absl::FormatDuration(absl::Trunc(next_report - start, absl::Seconds(1))),
                        ops - reported_ops, errors - reported_errors,
                        client.active_endpoint().empty() ? "(none)" : client.active_endpoint());
    for (size_t i = reported_switches; i < switches.size(); ++i) {
      absl::StrAppend(&line, "  | ", Describe(switches[i]));
    }
    out << line << std::endl;
    reported_ops = ops;
    reported_errors = errors;
    reported_switches = switches.size();
    next_report += options.report_every;
  }
  summary.interrupted = stop.load() && clock.Now() < end;
  done = true;
  for (std::thread& t : threads) t.join();
  state.Fill(summary);
  summary.final_endpoint = client.active_endpoint();
  if (summary.interrupted) out << "drill: interrupted, stopping" << std::endl;
  out << summary.ToJson() << std::endl;
  return summary;
}

}  // namespace failover
