#include "naming-client/naming_metrics.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/testing/flaky_failover_data_source.h"

namespace failover {
namespace naming {
namespace {

using naming_internal::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";
constexpr char kSvcA[] = "DEFAULT_GROUP%40%40svcA";
constexpr char kSvcAJson[] = R"({"hosts":[{"ip":"10.0.0.1","port":8080}]})";
constexpr char kSvcATwoHosts[] =
    R"({"hosts":[{"ip":"10.0.0.1","port":8080},{"ip":"10.0.0.2","port":8080}]})";
constexpr char kSvcC1[] = "DEFAULT_GROUP%40%40svcC@@c1";
constexpr char kSvcCJson[] = R"({"hosts":[{"ip":"10.0.1.1","port":1,"clusterName":"c1"},
                                          {"ip":"10.0.1.2","port":2,"clusterName":"c1"}]})";
constexpr absl::Duration kPoll = absl::Seconds(5);

using FlakySource = FlakyFailoverDataSource;

class NamingMetricsTest : public ::testing::Test {
 protected:
  std::unique_ptr<FailoverDataSource> DiskSource() {
    DiskFailoverOptions options;
    options.directory = dir_.path();
    return *DiskFailoverDataSource::Create(options);
  }

  // Creates the reactor (its first load happens here) and attaches the metrics.
  void Start(std::unique_ptr<FailoverDataSource> source = nullptr) {
    FailoverReactorOptions options;
    options.poll_interval = kPoll;
    auto reactor =
        FailoverReactor::Create(source ? std::move(source) : DiskSource(), clock_, options);
    ASSERT_TRUE(reactor.ok()) << reactor.status();
    reactor_ = *std::move(reactor);
    ASSERT_TRUE(metrics_->AttachTo(*reactor_).ok());
  }

  // The exported value of `name` with the namespace tag plus `tags`; -1 when not exported.
  double Value(absl::string_view name,
               std::initializer_list<std::pair<absl::string_view, absl::string_view>> tags = {}) {
    Tags all = Tags(tags).With("namespace", "public");
    const MetricsSnapshot snapshot = registry_.Snapshot();
    const SeriesSnapshot* series = snapshot.Find(name, all);
    return series == nullptr ? -1 : series->value;
  }

  double Instances(absl::string_view service) {
    return Value(NamingMetrics::kFailoverInstances, {{"service", service}});
  }

  // service -> instances, for every exported instances series.
  std::vector<std::pair<std::string, double>> AllInstances() {
    std::vector<std::pair<std::string, double>> out;
    const MetricsSnapshot snapshot = registry_.Snapshot();
    for (const SeriesSnapshot& s : snapshot.series()) {
      if (s.name == NamingMetrics::kFailoverInstances) {
        out.emplace_back(std::string(*s.tags.Find("service")), s.value);
      }
    }
    return out;
  }

  TempDir dir_;
  SimulatedClock clock_;
  MetricsRegistry registry_;
  std::unique_ptr<NamingMetrics> metrics_ =
      std::make_unique<NamingMetrics>(registry_, Tags{{"namespace", "public"}});
  std::unique_ptr<FailoverReactor> reactor_;
};

TEST_F(NamingMetricsTest, SeriesExistAtZeroBeforeAttaching) {
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 0);
  EXPECT_EQ(Value(NamingMetrics::kBadFiles), 0);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "ok"}}), 0);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "error"}}), 0);
  EXPECT_EQ(Value(NamingMetrics::kSourceErrors), 0);
  for (const char* source : {"failover", "cache", "upstream", "none"}) {
    EXPECT_EQ(Value(NamingMetrics::kLookups, {{"source", source}}), 0) << source;
  }
  EXPECT_THAT(AllInstances(), IsEmpty());
}

TEST_F(NamingMetricsTest, GaugesAreSetFromTheFirstLoadNotOneTickLateDefect9) {
  dir_.WriteFile(kSwitch, "1\n");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile(kSvcC1, kSvcCJson);
  Start();
  // No clock advance: the values come from the load in Create().
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 1);
  EXPECT_THAT(AllInstances(),
              ElementsAre(Pair("DEFAULT_GROUP@@svcA", 1), Pair("DEFAULT_GROUP@@svcC@@c1", 2)));
  EXPECT_EQ(Value(NamingMetrics::kBadFiles), 0);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "ok"}}), 0) << "the first load is no poll";
}

TEST_F(NamingMetricsTest, DeletedFileRetiresItsGaugeAndEditsUpdateIt) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  EXPECT_EQ(Instances("DEFAULT_GROUP@@svcA"), 1);

  dir_.WriteFile(kSvcA, kSvcATwoHosts);
  dir_.WriteFile(kSvcC1, kSvcCJson);
  clock_.Advance(kPoll);
  EXPECT_THAT(AllInstances(),
              ElementsAre(Pair("DEFAULT_GROUP@@svcA", 2), Pair("DEFAULT_GROUP@@svcC@@c1", 2)));

  ASSERT_EQ(std::remove(dir_.Path(kSvcA).c_str()), 0);
  clock_.Advance(kPoll);
  EXPECT_THAT(AllInstances(), ElementsAre(Pair("DEFAULT_GROUP@@svcC@@c1", 2)));
  EXPECT_EQ(Instances("DEFAULT_GROUP@@svcA"), -1);

  // Back again: a fresh series with the new value.
  dir_.WriteFile(kSvcA, kSvcAJson);
  clock_.Advance(kPoll);
  EXPECT_EQ(Instances("DEFAULT_GROUP@@svcA"), 1);
}

TEST_F(NamingMetricsTest, SwitchOffRetiresEveryInstancesGaugeAndOnBringsThemBack) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile("DEFAULT_GROUP%40%40empty", R"({"hosts":[]})");
  Start();
  EXPECT_THAT(AllInstances(),
              ElementsAre(Pair("DEFAULT_GROUP@@empty", 0), Pair("DEFAULT_GROUP@@svcA", 1)));

  dir_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 0);
  EXPECT_THAT(AllInstances(), IsEmpty());

  dir_.WriteFile(kSvcA, kSvcATwoHosts);  // Edited while off.
  dir_.WriteFile(kSwitch, "1");
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 1);
  EXPECT_THAT(AllInstances(),
              ElementsAre(Pair("DEFAULT_GROUP@@empty", 0), Pair("DEFAULT_GROUP@@svcA", 2)));
}

TEST_F(NamingMetricsTest, SwitchOffAtStartExportsNoInstances) {
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 0);
  EXPECT_THAT(AllInstances(), IsEmpty());
}

TEST_F(NamingMetricsTest, BadFilesAreCountedAtEachRead) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile("README", "not a service");
  dir_.WriteFile("DEFAULT_GROUP%40%40broken", R"({"hosts":[{"ip":)");
  Start();
  EXPECT_EQ(Value(NamingMetrics::kBadFiles), 2);
  EXPECT_THAT(AllInstances(), ElementsAre(Pair("DEFAULT_GROUP@@svcA", 1)));

  dir_.WriteFile("DEFAULT_GROUP%40%40broken", kSvcAJson);
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kBadFiles), 1);
  EXPECT_EQ(Instances("DEFAULT_GROUP@@broken"), 1);
}

TEST_F(NamingMetricsTest, ReloadsAndSourceErrorsCountFailures) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  auto flaky = std::make_unique<FlakySource>(DiskSource());
  FlakySource* source = flaky.get();
  source->fail_data = true;  // The first load fails: counted as a source error.
  Start(std::move(flaky));
  EXPECT_EQ(Value(NamingMetrics::kSourceErrors), 1);
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 1);
  EXPECT_THAT(AllInstances(), IsEmpty());

  source->fail_data = false;
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "ok"}}), 1);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "error"}}), 0);
  EXPECT_THAT(AllInstances(), ElementsAre(Pair("DEFAULT_GROUP@@svcA", 1)));

  // A failed data read keeps the previous data, and its gauge.
  source->fail_data = true;
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "error"}}), 1);
  EXPECT_EQ(Value(NamingMetrics::kSourceErrors), 2);
  EXPECT_EQ(Instances("DEFAULT_GROUP@@svcA"), 1);

  // Both reads failing: one reload error, two source errors.
  source->fail_switch = true;
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "error"}}), 2);
  EXPECT_EQ(Value(NamingMetrics::kSourceErrors), 4);

  // Only the switch failing: the data reload worked.
  source->fail_data = false;
  clock_.Advance(kPoll);
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "ok"}}), 2);
  EXPECT_EQ(Value(NamingMetrics::kSourceErrors), 5);
  EXPECT_EQ(Value(NamingMetrics::kSwitch), 1) << "an unreadable switch keeps its state";
}

TEST_F(NamingMetricsTest, LookupsAreCountedBySource) {
  metrics_->RecordLookup(LookupSource::kFailover);
  metrics_->RecordLookup(LookupSource::kFailover);
  metrics_->RecordLookup(LookupSource::kCache);
  metrics_->RecordLookup(LookupSource::kUpstream);
  metrics_->RecordLookup(LookupSource::kNone);
  EXPECT_EQ(Value(NamingMetrics::kLookups, {{"source", "failover"}}), 2);
  EXPECT_EQ(Value(NamingMetrics::kLookups, {{"source", "cache"}}), 1);
  EXPECT_EQ(Value(NamingMetrics::kLookups, {{"source", "upstream"}}), 1);
  EXPECT_EQ(Value(NamingMetrics::kLookups, {{"source", "none"}}), 1);
  EXPECT_EQ(LookupSourceName(LookupSource::kUpstream), "upstream");
}

TEST_F(NamingMetricsTest, AttachingTwiceFails) {
  Start();
  const absl::Status again = metrics_->AttachTo(*reactor_);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
}

TEST_F(NamingMetricsTest, ReactorMayOutliveTheMetrics) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  Start();
  metrics_.reset();
  ASSERT_EQ(std::remove(dir_.Path(kSvcA).c_str()), 0);
  clock_.Advance(kPoll);  // The listener runs and does nothing.
  EXPECT_EQ(Instances("DEFAULT_GROUP@@svcA"), 1) << "series keep their last values";
  EXPECT_EQ(Value(NamingMetrics::kReloads, {{"result", "ok"}}), 0);
}

// Polls on the system clock's timer thread while the switch flips, lookups are recorded and
// snapshots taken; the metrics go before the reactor. Meant for --config=tsan.
TEST_F(NamingMetricsTest, ExportsConcurrentlyWithPollsOnTheSystemClock) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  FailoverReactorOptions options;
  options.poll_interval = absl::Milliseconds(1);
  auto reactor = FailoverReactor::Create(DiskSource(), SystemClock(), options);
  ASSERT_TRUE(reactor.ok());
  ASSERT_TRUE(metrics_->AttachTo(**reactor).ok());

  std::atomic<bool> done{false};
  std::thread lookups([&] {
    while (!done.load()) metrics_->RecordLookup(LookupSource::kFailover);
  });
  for (int i = 0; Value(NamingMetrics::kReloads, {{"result", "ok"}}) < 20; ++i) {
    dir_.WriteFile(kSwitch, i % 2 == 0 ? "0" : "1");
    for (const auto& [service, instances] : AllInstances()) {
      EXPECT_EQ(service, "DEFAULT_GROUP@@svcA");
      EXPECT_EQ(instances, 1);
    }
  }
  done.store(true);
  lookups.join();
  EXPECT_GT(Value(NamingMetrics::kLookups, {{"source", "failover"}}), 0);
  metrics_.reset();
  reactor->reset();
}

}  // namespace
}  // namespace naming
}  // namespace failover
