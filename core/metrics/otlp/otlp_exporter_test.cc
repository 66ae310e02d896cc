// The exporter on a SimulatedClock with a scripted transport: every attempt's body and simulated
// time are recorded, so retries, back-off and drops are asserted exactly.
#include "core/metrics/otlp/otlp_exporter.h"

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Outcome = OtlpSendResult::Outcome;

constexpr absl::Duration kRealWait = absl::Seconds(10);

OtlpSendResult Retryable(std::string detail,
                         std::optional<absl::Duration> retry_after = std::nullopt) {
  OtlpSendResult result;
  result.outcome = Outcome::kRetryable;
  result.detail = std::move(detail);
  result.retry_after = retry_after;
  return result;
}

OtlpSendResult Permanent(std::string detail) {
  OtlpSendResult result;
  result.outcome = Outcome::kPermanent;
  result.detail = std::move(detail);
  return result;
}

OtlpSendResult Partial(int64_t rejected, std::string message) {
  OtlpSendResult result;
  result.rejected_data_points = rejected;
  result.partial_error = std::move(message);
  return result;
}

struct Call {
  std::string body;
  absl::Duration at;  // since the test's start
  bool operator==(const Call& other) const { return body == other.body && at == other.at; }
  friend std::ostream& operator<<(std::ostream& os, const Call& call) {
    return os << "{" << call.body << " @" << absl::FormatDuration(call.at) << "}";
  }
};

// The results the transport returns, in order, then `fallback`; and every call it got.
class Script {
 public:
  Script(const Clock& clock) : clock_(clock), start_(clock.Now()) {}

  void Then(OtlpSendResult result) {
    MutexLock lock(&mu_);
    next_.push_back(std::move(result));
  }
  void SetFallback(OtlpSendResult result) {
    MutexLock lock(&mu_);
    fallback_ = std::move(result);
  }
  OtlpSendResult Next(const std::string& body) {
    MutexLock lock(&mu_);
    calls_.push_back({body, clock_.Now() - start_});
    threads_.push_back(std::this_thread::get_id());
    if (next_.empty()) return fallback_;
    OtlpSendResult result = std::move(next_.front());
    next_.pop_front();
    return result;
  }
  std::vector<Call> calls() {
    MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<std::thread::id> threads() {
    MutexLock lock(&mu_);
    return threads_;
  }

 private:
  const Clock& clock_;
  const MonotonicTime start_;
  Mutex mu_;
  std::deque<OtlpSendResult> next_ ABSL_GUARDED_BY(mu_);
  OtlpSendResult fallback_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread::id> threads_ ABSL_GUARDED_BY(mu_);
};

class ScriptedTransport final : public OtlpTransport {
 public:
  explicit ScriptedTransport(Script& script) : script_(script) {}
  OtlpSendResult Send(const std::string& body) override { return script_.Next(body); }

 private:
  Script& script_;
};

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double Uniform01() override { return value_; }

 private:
  const double value_;
};

absl::Duration Ms(int64_t ms) { return absl::Milliseconds(ms); }
absl::Duration S(int64_t s) { return absl::Seconds(s); }

class OtlpExporterTest : public testing::Test {
 protected:
  void TearDown() override {
    if (exporter_ != nullptr) exporter_->Shutdown(Ms(50));
  }

  OtlpExporter& Make(OtlpExporterOptions options) {
    exporter_ = std::make_unique<OtlpExporter>(
        options,
        [this] {
          MutexLock lock(&mu_);
          collect_threads_.push_back(std::this_thread::get_id());
          return absl::StrCat("export-", collect_threads_.size());
        },
        std::make_unique<ScriptedTransport>(script_), clock_, random_, &registry_, log_.Sink());
    return *exporter_;
  }

  static OtlpExporterOptions Options(absl::Duration interval, absl::Duration initial,
                                     absl::Duration max, absl::Duration max_elapsed) {
    OtlpExporterOptions options;
    options.interval = interval;
    options.retry.initial_backoff = initial;
    options.retry.max_backoff = max;
    options.retry.max_elapsed = max_elapsed;
    return options;
  }

  // Advances to the next timer and lets the sender finish what it started.
  void Step() {
    const std::optional<MonotonicTime> due = clock_.NextTimerDue();
    ASSERT_TRUE(due.has_value());
    clock_.AdvanceTo(*due);
    ASSERT_TRUE(exporter_->AwaitIdleForTest(kRealWait));
  }
  absl::Duration NextDue() { return *clock_.NextTimerDue() - start_; }

  uint64_t CounterValue(absl::string_view name, const Tags& tags = Tags()) {
    return registry_.GetCounter(name, tags).Value();
  }
  size_t collections() {
    MutexLock lock(&mu_);
    return collect_threads_.size();
  }

  SimulatedClock clock_;
  const MonotonicTime start_ = clock_.Now();
  FixedRandom random_{0.5};
  Script script_{clock_};
  WarningLog log_;
  MetricsRegistry registry_;
  Mutex mu_;
  std::vector<std::thread::id> collect_threads_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<OtlpExporter> exporter_;
};

TEST_F(OtlpExporterTest, CollectsAndSendsAtEveryIntervalOnTheSenderThread) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  exporter.Start();
  exporter.Start();  // no second schedule
  ASSERT_TRUE(exporter.AwaitIdleForTest(kRealWait));
  EXPECT_THAT(script_.calls(), IsEmpty());
  EXPECT_EQ(NextDue(), S(10));
  Step();
  Step();
  Step();
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-2", S(20)},
                                           Call{"export-3", S(30)}));
  EXPECT_EQ(exporter.stats().exported, 3u);
  EXPECT_EQ(exporter.stats().queued, 0u);
  // The clock's timer callbacks ran on this thread; collecting and sending did not.
  for (std::thread::id id : script_.threads()) EXPECT_NE(id, std::this_thread::get_id());
  MutexLock lock(&mu_);
  for (std::thread::id id : collect_threads_) EXPECT_NE(id, std::this_thread::get_id());
}

TEST_F(OtlpExporterTest, RetriesTheSameExportWithExponentialBackoffAndEqualJitter) {
  OtlpExporter& exporter = Make(Options(S(100), S(1), S(8), absl::Hours(1)));
  for (int i = 0; i < 5; ++i) script_.Then(Retryable("HTTP 503: busy"));
  exporter.Start();
  for (int i = 0; i < 6; ++i) Step();
  // Back-off 1, 2, 4, 8, 8 s with u = 0.5: waits 0.75, 1.5, 3, 6, 6 s.
  EXPECT_THAT(script_.calls(),
              ElementsAre(Call{"export-1", S(100)}, Call{"export-1", Ms(100750)},
                          Call{"export-1", Ms(102250)}, Call{"export-1", Ms(105250)},
                          Call{"export-1", Ms(111250)}, Call{"export-1", Ms(117250)}));
  const OtlpExporter::Stats stats = exporter.stats();
  EXPECT_EQ(stats.exported, 1u);
  EXPECT_EQ(stats.failed_attempts, 5u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(NextDue(), S(200));  // back to the interval
}

TEST_F(OtlpExporterTest, HonoursRetryAfterUpToMaxBackoff) {
  OtlpExporter& exporter = Make(Options(S(100), S(1), S(30), absl::Hours(1)));
  script_.Then(Retryable("HTTP 429", S(7)));
  script_.Then(Retryable("HTTP 429", S(120)));
  exporter.Start();
  for (int i = 0; i < 3; ++i) Step();
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(100)}, Call{"export-1", S(107)},
                                           Call{"export-1", S(137)}));
  EXPECT_EQ(exporter.stats().exported, 1u);
}

TEST_F(OtlpExporterTest, PermanentFailureDropsTheExportAtOnce) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  script_.Then(Permanent("HTTP 400: bad metric"));
  exporter.Start();
  Step();
  EXPECT_EQ(exporter.stats().dropped_permanent, 1u);
  EXPECT_EQ(exporter.stats().queued, 0u);
  EXPECT_EQ(NextDue(), S(20));  // no retry scheduled
  Step();
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-2", S(20)}));
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "rejected"}}), 1u);
  EXPECT_THAT(log_.messages(),
              ElementsAre(AllOf(HasSubstr("failing: HTTP 400: bad metric"), HasSubstr("dropped")),
                          HasSubstr("recovered after 1 failed attempt(s); 1 export(s) dropped")));
}

TEST_F(OtlpExporterTest, DropsAnExportWhoseNextRetryWouldPassMaxElapsed) {
  OtlpExporter& exporter = Make(Options(S(100), S(1), S(8), S(10)));
  script_.SetFallback(Retryable("HTTP 503"));
  exporter.Start();
  for (int i = 0; i < 4; ++i) Step();
  // After the attempt at 105.25 s the next would start at 111.25 s > 100 + 10 s.
  EXPECT_EQ(exporter.stats().dropped_retry_expired, 1u);
  EXPECT_EQ(exporter.stats().queued, 0u);
  Step();  // the back-off wait ends at 111.25 s with nothing to send
  Step();  // the next interval
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(100)}, Call{"export-1", Ms(100750)},
                                           Call{"export-1", Ms(102250)},
                                           Call{"export-1", Ms(105250)}, Call{"export-2", S(200)}));
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "retry_expired"}}), 1u);
}

TEST_F(OtlpExporterTest, FullQueueDropsTheOldestExport) {
  OtlpExporterOptions options = Options(S(10), S(35), S(35), absl::Hours(1));
  options.max_queue = 2;
  OtlpExporter& exporter = Make(options);
  script_.Then(Retryable("HTTP 429", S(35)));
  exporter.Start();
  Step();  // 10 s: export-1 fails; nothing is sent until 45 s
  Step();  // 20 s: [1, 2]
  Step();  // 30 s: [2, 3], export-1 dropped
  EXPECT_EQ(exporter.stats().queued, 2u);
  Step();  // 40 s: [3, 4], export-2 dropped
  Step();  // 45 s: the wait ends
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-3", S(45)},
                                           Call{"export-4", S(45)}));
  const OtlpExporter::Stats stats = exporter.stats();
  EXPECT_EQ(stats.dropped_queue_full, 2u);
  EXPECT_EQ(stats.exported, 2u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "queue_full"}}), 2u);
}

TEST_F(OtlpExporterTest, WarnsOncePerOutageAndOnceOnRecovery) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(1), S(60)));
  for (int i = 0; i < 3; ++i) script_.Then(Retryable("HTTP 503: busy"));
  script_.Then(OtlpSendResult());
  script_.Then(Retryable("POST http://c/v1/metrics: connection failed"));
  exporter.Start();
  for (int i = 0; i < 4; ++i) Step();
  EXPECT_THAT(log_.messages(),
              ElementsAre(AllOf(HasSubstr("OTLP metrics export failing: HTTP 503: busy"),
                                HasSubstr("retrying")),
                          HasSubstr("recovered after 3 failed attempt(s); 0 export(s) dropped")));
  Step();  // 20 s: fails
  Step();  // 20.75 s: succeeds
  EXPECT_THAT(script_.calls().back(), (Call{"export-2", Ms(20750)}));
  EXPECT_EQ(log_.messages().size(), 4u);
  EXPECT_THAT(log_.messages()[2], HasSubstr("connection failed"));
  EXPECT_THAT(log_.messages()[3], HasSubstr("recovered after 1 failed attempt(s)"));
  EXPECT_EQ(exporter.stats().failed_attempts, 4u);
}

TEST_F(OtlpExporterTest, PartialSuccessIsCountedAndWarnedOncePerRun) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  script_.Then(Partial(3, "unit mismatch"));
  script_.Then(Partial(2, "unit mismatch"));
  script_.Then(OtlpSendResult());
  script_.Then(Partial(1, ""));
  exporter.Start();
  for (int i = 0; i < 4; ++i) Step();
  EXPECT_EQ(exporter.stats().rejected_points, 6u);
  EXPECT_EQ(exporter.stats().exported, 4u);
  EXPECT_EQ(CounterValue("failover.otlp.rejected.points.total"), 6u);
  EXPECT_THAT(log_.messages(),
              ElementsAre(HasSubstr("partially: 3 data point(s) rejected: unit mismatch"),
                          HasSubstr("partially: 1 data point(s) rejected")));
}

TEST_F(OtlpExporterTest, CountsAttemptsAndDropsInItsOwnMeters) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  // Created at construction, so a scrape shows them at 0 before any export.
  const MetricsSnapshot before = registry_.Snapshot();
  EXPECT_NE(before.Find("failover.otlp.exports.total", {{"result", "success"}}), nullptr);
  EXPECT_NE(before.Find("failover.otlp.exports.total", {{"result", "failure"}}), nullptr);
  EXPECT_NE(before.Find("failover.otlp.dropped.total", {{"reason", "queue_full"}}), nullptr);
  EXPECT_NE(before.Find("failover.otlp.dropped.total", {{"reason", "retry_expired"}}), nullptr);
  EXPECT_NE(before.Find("failover.otlp.dropped.total", {{"reason", "rejected"}}), nullptr);
  EXPECT_NE(before.Find("failover.otlp.rejected.points.total"), nullptr);
  script_.Then(Retryable("HTTP 503"));
  script_.Then(OtlpSendResult());
  script_.Then(Permanent("HTTP 401"));
  exporter.Start();
  for (int i = 0; i < 3; ++i) Step();
  EXPECT_EQ(CounterValue("failover.otlp.exports.total", {{"result", "success"}}), 1u);
  EXPECT_EQ(CounterValue("failover.otlp.exports.total", {{"result", "failure"}}), 2u);
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "rejected"}}), 1u);
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "queue_full"}}), 0u);
}

TEST_F(OtlpExporterTest, ForceFlushCollectsNowAndWaitsForTheSend) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  EXPECT_TRUE(exporter.ForceFlush(kRealWait));  // works without Start()
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(0)}));
  script_.Then(Retryable("HTTP 503"));
  // The retry waits on the simulated clock, which does not move: the flush times out.
  EXPECT_FALSE(exporter.ForceFlush(Ms(100)));
  EXPECT_EQ(exporter.stats().queued, 1u);
  Step();  // 0.75 s: the retry succeeds
  EXPECT_THAT(script_.calls().back(), (Call{"export-2", Ms(750)}));
  EXPECT_EQ(exporter.stats().queued, 0u);
}

TEST_F(OtlpExporterTest, ShutdownSendsAFinalExportAndStopsTheTimer) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  exporter.Start();
  Step();
  exporter.Shutdown(kRealWait);
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-2", S(10)}));
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  exporter.Shutdown(kRealWait);  // idempotent
  EXPECT_FALSE(exporter.ForceFlush(Ms(10)));
  EXPECT_EQ(collections(), 2u);
  EXPECT_THAT(log_.messages(), IsEmpty());
}

TEST_F(OtlpExporterTest, ShutdownIsBoundedWhenTheCollectorKeepsFailing) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(8), S(60)));
  script_.SetFallback(Retryable("HTTP 503"));
  exporter.Start();
  Step();  // export-1 fails at 10 s; its retry waits for the simulated clock, which stays put
  const auto start = std::chrono::steady_clock::now();
  exporter.Shutdown(Ms(200));
  const absl::Duration took = absl::FromChrono(std::chrono::steady_clock::now() - start);
  EXPECT_GE(took, Ms(150));
  EXPECT_LT(took, S(5));
  EXPECT_EQ(collections(), 2u);  // the final export was collected, replaced export-1...
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-2", S(10)}));
  EXPECT_EQ(exporter.stats().dropped_superseded, 1u);
  EXPECT_EQ(exporter.stats().queued, 1u);           // ...failed, and its retry waited for the clock
  EXPECT_FALSE(clock_.NextTimerDue().has_value());  // back-off timer cancelled
  EXPECT_THAT(log_.messages().back(), HasSubstr("stopped with 1 export(s) unsent"));
}

// A back-off wait running at Shutdown() (a long Retry-After) does not hold the final export: it
// is sent at once, and supersedes the export that was waiting.
TEST_F(OtlpExporterTest, ShutdownSendsTheFinalExportDespiteARunningBackoff) {
  OtlpExporter& exporter = Make(Options(S(10), S(1), S(60), S(600)));
  script_.Then(Retryable("HTTP 503", S(30)));
  exporter.Start();
  Step();  // export-1 fails at 10 s and waits 30 s
  exporter.Shutdown(kRealWait);
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(10)}, Call{"export-2", S(10)}));
  const OtlpExporter::Stats stats = exporter.stats();
  EXPECT_EQ(stats.exported, 1u);
  EXPECT_EQ(stats.dropped_superseded, 1u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(CounterValue("failover.otlp.dropped.total", {{"reason", "superseded"}}), 1u);
  for (const std::string& message : log_.messages()) {
    EXPECT_THAT(message, Not(HasSubstr("unsent"))) << message;
  }
}

TEST_F(OtlpExporterTest, DestructorShutsDownWithAFinalExport) {
  Make(Options(S(10), S(1), S(8), S(60))).Start();
  exporter_.reset();
  EXPECT_THAT(script_.calls(), ElementsAre(Call{"export-1", S(0)}));
}

}  // namespace
}  // namespace failover
