// Part of //redis-failover:client_benchmark: the summary printed after the runs (see
// client_benchmark.h).
#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "redis-failover/client_benchmark.h"

namespace failover {
namespace redis {
namespace client_benchmark {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

}  // namespace

void SummaryReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& r : runs) {
    if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
    RunFigures f{r.run_name.function_name, r.run_name.args, r.report_label, r.threads, {}};
    for (const auto& [name, counter] : r.counters) f.counters[name] = counter.value;
    // Time per iteration in ns: wall (all threads together) and CPU (per op of one thread).
    const double to_ns = 1e9 / benchmark::GetTimeUnitMultiplier(r.time_unit);
    f.counters["real_ns"] = r.GetAdjustedRealTime() * to_ns;
    f.counters["cpu_ns"] = r.GetAdjustedCPUTime() * to_ns;
    runs_.push_back(std::move(f));
  }
  ConsoleReporter::ReportRuns(runs);
}

std::vector<double> SummaryReporter::Values(const std::string& function, int64_t threads,
                                            const std::string& counter) const {
  std::vector<double> values;
  for (const RunFigures& r : runs_) {
    auto it = r.counters.find(counter);
    if (r.function == function && r.threads == threads && it != r.counters.end()) {
      values.push_back(it->second);
    }
  }
  return values;
}

double SummaryReporter::Median(const std::string& function, int64_t threads,
                               const std::string& counter) const {
  return client_benchmark::Median(Values(function, threads, counter));
}

void SummaryReporter::PrintSummary(std::ostream& out) const {
  PrintPaired(out);
  PrintThroughput(out);
  PrintCosts(out);
  PrintFailover(out);
}

void SummaryReporter::PrintPaired(std::ostream& out) const {
  if (Values("BM_Paired", 1, "client_us").empty()) return;
  out << "\n== redis-failover: client vs raw hiredis, paired (BM_Paired: the three layers take "
         "turns op by op) ==\n"
      << absl::StrFormat("%-8s %13s %16s %12s %15s %11s %5s\n", "threads", "raw us/op",
                         "connection us/op", "client us/op", "connection/raw", "client/raw",
                         "reps");
  for (int threads : {1, 4}) {
    const std::vector<double> raw = Values("BM_Paired", threads, "raw_us");
    const std::vector<double> connection = Values("BM_Paired", threads, "connection_us");
    const std::vector<double> client = Values("BM_Paired", threads, "client_us");
    if (raw.empty()) continue;
    // Throughput ratio of blocking loops = inverse latency ratio, taken within each repetition.
    std::vector<double> connection_ratio, client_ratio;
    for (size_t i = 0; i < raw.size(); ++i) {
      connection_ratio.push_back(raw[i] / connection[i]);
      client_ratio.push_back(raw[i] / client[i]);
    }
    out << absl::StrFormat("%-8d %13.1f %16.1f %12.1f %14.1f%% %10.1f%% %5d\n", threads,
                           client_benchmark::Median(raw), client_benchmark::Median(connection),
                           client_benchmark::Median(client),
                           100 * client_benchmark::Median(connection_ratio),
                           100 * client_benchmark::Median(client_ratio), raw.size());
  }
}

void SummaryReporter::PrintThroughput(std::ostream& out) const {
  if (Values("BM_Client", 1, "items_per_second").empty()) return;
  out << "\n== redis-failover: separate runs (median ops/s; one op = one SET or GET; the machine's "
         "speed may change between runs, prefer the paired ratios) ==\n"
      << absl::StrFormat("%-8s %12s %16s %12s %15s %11s\n", "threads", "raw hiredis",
                         "RedisConnection", "client", "connection/raw", "client/raw");
  for (int threads : {1, 4}) {
    const double raw = Median("BM_RawHiredis", threads, "items_per_second");
    const double connection = Median("BM_RedisConnection", threads, "items_per_second");
    const double client = Median("BM_Client", threads, "items_per_second");
    out << absl::StrFormat("%-8d %12.0f %16.0f %12.0f %14.1f%% %10.1f%%\n", threads, raw,
                           connection, client, 100 * connection / raw, 100 * client / raw);
  }
}

void SummaryReporter::PrintCosts(std::ostream& out) const {
  if (Values("BM_ClientWithoutNetwork", 1, "cpu_ns").empty()) return;
  out << "\n== redis-failover: the client's own cost, without network (median CPU ns per op) ==\n";
  for (int threads : {1, 4}) {
    const double bare = Median("BM_InstantConnection", threads, "cpu_ns");
    const double client = Median("BM_ClientWithoutNetwork", threads, "cpu_ns");
    out << absl::StrFormat(
        "%d thread(s): connection alone %.0f ns, through the client %.0f ns (+%.0f ns; %.1f "
        "allocations, %.1f clock reads per op)\n",
        threads, bare, client, client - bare,
        Median("BM_ClientWithoutNetwork", threads, "allocs_per_op"),
        Median("BM_ClientWithoutNetwork", threads, "clock_reads_per_op"));
  }
  out << "pieces (1 thread / 4 threads sharing it):\n";
  for (const char* piece :
       {"BM_Cost_RetryRun", "BM_Cost_BreakerCall", "BM_Cost_PoolLease",
        "BM_Cost_ActiveEndpointLookup", "BM_Cost_Metrics", "BM_Cost_ClockNow"}) {
    const double one = Median(piece, 1, "cpu_ns");
    const double four = Median(piece, 4, "cpu_ns");
    out << absl::StrFormat("  %-30s %7.1f ns", piece, one);
    if (!std::isnan(four)) out << absl::StrFormat(" / %7.1f ns", four);
    out << "\n";
  }
}

void SummaryReporter::PrintFailover(std::ostream& out) const {
  for (const RunFigures& r : runs_) {
    if (r.function != "BM_FailoverTime") continue;
    auto c = [&](const std::string& name) {
      auto it = r.counters.find(name);
      return it == r.counters.end() ? std::nan("") : it->second;
    };
    out << absl::StrFormat(
        "\n== redis-failover: failover and failback (%s, %.0f cycles) ==\n"
        "kill east -> first command served by west: min %.0f / median %.0f / max %.0f ms "
        "(target <= 300)\n"
        "restart east -> FAILBACK to east:          min %.0f / median %.0f / max %.0f ms "
        "(target <= 1300)\n"
        "per cycle (switch reason failover/failback): %s\n",
        r.args, c("cycles"), c("failover_ms_min"), c("failover_ms_median"), c("failover_ms_max"),
        c("failback_ms_min"), c("failback_ms_median"), c("failback_ms_max"), r.label);
  }
}

}  // namespace client_benchmark
}  // namespace redis
}  // namespace failover
