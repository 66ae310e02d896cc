// What the source files of //redis-failover:client_benchmark share: heap-allocation counting
// (the replaced global operator new lives in client_benchmark.cc), a connection that answers at
// once, for measuring the client's own cost without a network round trip, and the reporter that
// prints the summary (client_benchmark_summary.cc).
//
//   const uint64_t before = ThreadAllocations();
//   for (auto _ : state) ...;
//   ReportAllocationsPerOp(state, before);   // counter "allocs_per_op"
//
// Thread-safety: ThreadAllocations() counts the calling thread only (thread-local, so counting
// adds no shared cache line to multi-threaded runs). InstantConnection is thread-compatible, as
// every RedisConnection. SummaryReporter is called by the benchmark library from one thread.
#ifndef FAILOVER_REDIS_FAILOVER_CLIENT_BENCHMARK_H_
#define FAILOVER_REDIS_FAILOVER_CLIENT_BENCHMARK_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "redis-failover/redis_connection.h"
#include "redis-failover/redis_reply.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {
namespace client_benchmark {

// operator new calls made by this thread so far. hiredis allocates with malloc(), which is not
// counted: the figure is our code's allocations only.
uint64_t ThreadAllocations();

// Sets the counter "allocs_per_op": allocations since `before`, per iteration of `state`.
inline void ReportAllocationsPerOp(benchmark::State& state, uint64_t before) {
  state.counters["allocs_per_op"] = benchmark::Counter(
      static_cast<double>(ThreadAllocations() - before), benchmark::Counter::kAvgIterations);
}

// The value every benchmark SETs and expects back from GET.
inline constexpr char kValue[] = "benchmark-value-0123456789abcdef";

// A RedisConnection with no server: SET answers +OK and GET answers kValue at once, each reply
// built as the hiredis adapter builds it (one string copy). The other calls are not used by the
// benchmarks and fail.
class InstantConnection final : public RedisConnection {
 public:
  explicit InstantConnection(RedisAddress address) : address_(std::move(address)) {}

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv) override {
    if (argv.empty()) return absl::InvalidArgumentError("redis command must not be empty");
    if (argv[0] == "GET") return RedisReply::String(std::string(kValue));
    return RedisReply::Status(std::string("OK"));
  }
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    return absl::UnimplementedError("InstantConnection answers single commands only");
  }
  absl::Status Send(const std::vector<std::string>& argv) override {
    return absl::UnimplementedError("InstantConnection answers single commands only");
  }
  absl::StatusOr<RedisReply> Receive() override {
    return absl::UnimplementedError("InstantConnection answers single commands only");
  }
  absl::Status SetSocketTimeout(absl::Duration timeout) override { return absl::OkStatus(); }
  void Interrupt() override {}
  bool broken() const override { return false; }
  const RedisAddress& address() const override { return address_; }

 private:
  const RedisAddress address_;
};

// The console output, plus a summary of the figures to read together: medians over the
// repetitions and the ratios within this run, the client's cost without network, and the
// failover and failback times.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  void PrintSummary(std::ostream& out) const;

 private:
  struct RunFigures {
    std::string function;
    std::string args;
    std::string label;
    int64_t threads;
    std::map<std::string, double> counters;
  };

  // The counter's value in every repetition of `function` with `threads`.
  std::vector<double> Values(const std::string& function, int64_t threads,
                             const std::string& counter) const;
  // Their median; NaN when there is none.
  double Median(const std::string& function, int64_t threads, const std::string& counter) const;
  void PrintThroughput(std::ostream& out) const;
  void PrintPaired(std::ostream& out) const;
  void PrintCosts(std::ostream& out) const;
  void PrintFailover(std::ostream& out) const;

  std::vector<RunFigures> runs_;
};

}  // namespace client_benchmark
}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_CLIENT_BENCHMARK_H_
