#include "dashboard/fleet/fleet_store.h"

#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "dashboard/fleet/internal/series_sum.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

v1::MetricSeries Counter(const std::string& name, double value,
                         std::vector<std::pair<std::string, std::string>> tags = {}) {
  v1::MetricSeries series;
  series.set_name(name);
  for (const auto& [key, tag_value] : tags) {
    v1::Tag* tag = series.add_tags();
    tag->set_key(key);
    tag->set_value(tag_value);
  }
  series.set_counter(value);
  return series;
}

v1::MetricSeries Gauge(const std::string& name, double value) {
  v1::MetricSeries series;
  series.set_name(name);
  series.set_gauge(value);
  return series;
}

v1::MetricSeries Histogram(const std::string& name,
                           std::vector<std::pair<double, uint64_t>> buckets, double sum,
                           double max) {
  v1::MetricSeries series;
  series.set_name(name);
  v1::Histogram* histogram = series.mutable_histogram();
  for (const auto& [bound, count] : buckets) {
    v1::Histogram::Bucket* bucket = histogram->add_buckets();
    bucket->set_upper_bound(bound);
    bucket->set_cumulative_count(count);
  }
  histogram->set_count(buckets.empty() ? 0 : buckets.back().second);
  histogram->set_sum(sum);
  histogram->set_max(max);
  return series;
}

v1::MetricsSnapshot Snapshot(const std::string& id, int64_t process_start, uint64_t sequence,
                             std::vector<v1::MetricSeries> series) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(id);
  snapshot.set_process_start_unix_nanos(process_start);
  snapshot.set_sequence(sequence);
  for (v1::MetricSeries& one : series) *snapshot.add_series() = std::move(one);
  return snapshot;
}

v1::HeartbeatRequest Heartbeat(const std::string& id, int64_t process_start = 1) {
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id(id);
  heartbeat.set_process_start_unix_nanos(process_start);
  return heartbeat;
}

// The fleet value of a counter without tags; -1 if absent.
double CounterValue(FleetStore& store, const std::string& name) {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = store.Series();
  EXPECT_TRUE(series.ok()) << series.status();
  for (const v1::MetricSeries& one : *series) {
    if (one.name() == name && one.has_counter() && one.tags_size() == 0) return one.counter();
  }
  return -1;
}

std::vector<std::string> Ids(FleetStore& store) {
  std::vector<std::string> ids;
  for (const InstanceStatus& status : store.Instances()) ids.push_back(status.instance_id);
  return ids;
}

InstanceStatus StatusOf(FleetStore& store, const std::string& id) {
  for (const InstanceStatus& status : store.Instances()) {
    if (status.instance_id == id) return status;
  }
  ADD_FAILURE() << "no instance " << id;
  return {};
}

// A SnapshotRepository in memory, with failures on demand.
class FakeRepository final : public SnapshotRepository {
 public:
  struct State {
    Mutex mu;
    std::map<std::string, InstanceRecord> records;
    RetiredRecord retired;
    bool fail_saves = false;
    bool fail_deletes = false;
  };
  explicit FakeRepository(State* state) : state_(state) {}

  absl::Status Save(const InstanceRecord& record) override {
    MutexLock lock(&state_->mu);
    if (state_->fail_saves) return absl::UnavailableError("save failed");
    state_->records[record.snapshot.instance_id()] = record;
    return absl::OkStatus();
  }
  absl::Status SaveRetired(const RetiredRecord& retired) override {
    MutexLock lock(&state_->mu);
    if (state_->fail_saves) return absl::UnavailableError("save failed");
    state_->retired = retired;
    return absl::OkStatus();
  }
  absl::StatusOr<RepositoryContents> LoadAll() override {
    MutexLock lock(&state_->mu);
    RepositoryContents contents;
    for (const auto& [id, record] : state_->records) contents.instances.push_back(record);
    contents.retired = state_->retired;
    return contents;
  }
  absl::Status Delete(absl::string_view instance_id) override {
    MutexLock lock(&state_->mu);
    if (state_->fail_deletes) return absl::UnavailableError("delete failed");
    state_->records.erase(std::string(instance_id));
    return absl::OkStatus();
  }

 private:
  State* const state_;
};

class FleetStoreTest : public ::testing::Test {
 protected:
  FleetStoreTest() {
    config_.liveness_seconds = 60;
    config_.max_instances = 10;
    config_.instance_retention = absl::Hours(1);
  }

  std::unique_ptr<FleetStore> NewStore(std::unique_ptr<SnapshotRepository> repository = nullptr) {
    absl::StatusOr<std::unique_ptr<FleetStore>> store =
        FleetStore::Create(clock_, config_, std::move(repository), sink_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  SimulatedClock clock_;
  SharedStoreConfig config_;
  WarningLog warnings_;
  WarningSink sink_ = warnings_.Sink();
};

TEST_F(FleetStoreTest, ModeIsSharedStore) { EXPECT_EQ(NewStore()->mode(), "shared-store"); }

TEST_F(FleetStoreTest, LivenessFollowsHeartbeats) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a")).ok());
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kLive);
  EXPECT_EQ(StatusOf(*store, "a").last_heartbeat_at, clock_.WallNow());
  clock_.Advance(absl::Seconds(60));
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kLive);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kDown);
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a")).ok());
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kLive);
}

TEST_F(FleetStoreTest, InstanceThatNeverHeartbeatsStaysUnknown) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 1)})).ok());
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kUnknown);
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kUnknown);
}

TEST_F(FleetStoreTest, HeartbeatCreatesInstanceWithoutSeries) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 77)).ok());
  const InstanceStatus status = StatusOf(*store, "a");
  EXPECT_EQ(status.series_count, 0u);
  EXPECT_EQ(status.sequence, 0u);
  EXPECT_EQ(status.process_start, absl::FromUnixNanos(77));
  EXPECT_EQ(status.last_snapshot_at, absl::InfinitePast());
  EXPECT_THAT(*store->Series(), IsEmpty());
}

TEST_F(FleetStoreTest, SumsCountersAndHistogramsAndKeepsGaugesPerInstance) {
  auto store = NewStore();
  ASSERT_TRUE(store
                  ->AcceptSnapshot(
                      Snapshot("b", 1, 1,
                               {Counter("calls", 3, {{"api", "x"}}), Gauge("open", 2),
                                Histogram("latency", {{0.1, 1}, {1, 3}, {INFINITY, 4}}, 2.5, 1.5)}))
                  .ok());
  ASSERT_TRUE(
      store
          ->AcceptSnapshot(Snapshot(
              "a", 1, 1,
              {Counter("calls", 4, {{"api", "x"}}), Counter("calls", 1, {{"api", "y"}}),
               Gauge("open", 5), Histogram("latency", {{0.5, 2}, {INFINITY, 2}}, 0.6, 0.4)}))
          .ok());
  absl::StatusOr<std::vector<v1::MetricSeries>> series = store->Series();
  ASSERT_TRUE(series.ok());
  ASSERT_THAT(*series, SizeIs(5));
  EXPECT_EQ((*series)[0].name(), "calls");
  EXPECT_EQ((*series)[0].tags(0).value(), "x");
  EXPECT_DOUBLE_EQ((*series)[0].counter(), 7);
  EXPECT_EQ((*series)[1].tags(0).value(), "y");
  EXPECT_DOUBLE_EQ((*series)[1].counter(), 1);
  const v1::Histogram& latency = (*series)[2].histogram();
  EXPECT_EQ(latency.count(), 6u);
  EXPECT_DOUBLE_EQ(latency.sum(), 3.1);
  EXPECT_DOUBLE_EQ(latency.max(), 1.5);
  // Union of the bounds; each instance contributes its count at its largest bound below.
  std::vector<std::pair<double, uint64_t>> buckets;
  for (const auto& bucket : latency.buckets()) {
    buckets.emplace_back(bucket.upper_bound(), bucket.cumulative_count());
  }
  EXPECT_THAT(buckets, ElementsAre(std::make_pair(0.1, 1u), std::make_pair(0.5, 3u),
                                   std::make_pair(1.0, 5u), std::make_pair(INFINITY, 6u)));
  EXPECT_EQ((*series)[3].name(), "open");
  EXPECT_EQ((*series)[3].tags(0).key(), "instance");
  EXPECT_EQ((*series)[3].tags(0).value(), "a");
  EXPECT_DOUBLE_EQ((*series)[3].gauge(), 5);
  EXPECT_EQ((*series)[4].tags(0).value(), "b");
  EXPECT_DOUBLE_EQ((*series)[4].gauge(), 2);
}

TEST_F(FleetStoreTest, RestartAddsThePreviousProcessSoTotalsNeverGoBackwards) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 100, 7, {Counter("calls", 100)})).ok());
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 200, 1, {Counter("calls", 5)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 105);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 200, 2, {Counter("calls", 9)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 109);
  // A late push of the old process changes nothing.
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 100, 8, {Counter("calls", 150)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 109);
  const InstanceStatus status = StatusOf(*store, "a");
  EXPECT_EQ(status.restarts, 1u);
  EXPECT_EQ(status.sequence, 2u);
  EXPECT_EQ(status.process_start, absl::FromUnixNanos(200));
}

TEST_F(FleetStoreTest, HeartbeatWithNewProcessStartIsARestart) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 100, 3, {Counter("calls", 10)})).ok());
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 200)).ok());
  EXPECT_EQ(StatusOf(*store, "a").restarts, 1u);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 10);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 200, 1, {Counter("calls", 2)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 12);
  EXPECT_EQ(StatusOf(*store, "a").restarts, 1u);
}

TEST_F(FleetStoreTest, SequenceGapsCountLostSnapshotsAndStalePushesAreIgnored) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 1)})).ok());
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 4, {Counter("calls", 4)})).ok());
  EXPECT_EQ(StatusOf(*store, "a").lost_snapshots, 2u);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 3, {Counter("calls", 3)})).ok());
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 4, {Counter("calls", 99)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 4);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 5, {Counter("calls", 5)})).ok());
  EXPECT_EQ(StatusOf(*store, "a").lost_snapshots, 2u);
  EXPECT_EQ(StatusOf(*store, "a").sequence, 5u);
}

TEST_F(FleetStoreTest, RetiredInstancesLeaveInstancesButKeepTheirCounts) {
  auto store = NewStore();
  ASSERT_TRUE(
      store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 10), Gauge("open", 1)})).ok());
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 1, {Counter("calls", 3)})).ok());  // restart
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("b", 1, 1, {Counter("calls", 5)})).ok());
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("b")).ok());
  clock_.Advance(absl::Minutes(30));
  EXPECT_THAT(Ids(*store), ElementsAre("a", "b"));  // exactly the retention: kept
  clock_.Advance(absl::Seconds(1));
  store->RetireExpired();
  EXPECT_THAT(Ids(*store), ElementsAre("b"));
  absl::StatusOr<std::vector<v1::MetricSeries>> series = store->Series();
  ASSERT_THAT(*series, SizeIs(1));  // a's gauge is gone
  EXPECT_DOUBLE_EQ((*series)[0].counter(), 18);
  // The id comes back as a new instance; the retired counts stay.
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 3, 1, {Counter("calls", 2)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 20);
  EXPECT_EQ(StatusOf(*store, "a").restarts, 0u);
  clock_.Advance(absl::Hours(2));  // both retire, lazily on read
  EXPECT_THAT(Ids(*store), IsEmpty());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 20);
}

// Series() answers from its last result while nothing changed; every change must show.
TEST_F(FleetStoreTest, RepeatedReadsSeeEveryChange) {
  auto store = NewStore();
  ASSERT_TRUE(
      store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 1), Gauge("open", 1)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 1);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 1);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 2, {Counter("calls", 4)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 4);
  EXPECT_THAT(*store->Series(), SizeIs(1));  // the gauge left with the new snapshot
  // A restart by heartbeat keeps the total; the next process adds to it.
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 2)).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 4);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 1, {Counter("calls", 3)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 7);
  // A new instance, then its retirement on read: its gauge goes, its counts stay.
  ASSERT_TRUE(
      store->AcceptSnapshot(Snapshot("b", 1, 1, {Counter("calls", 10), Gauge("open", 2)})).ok());
  EXPECT_THAT(*store->Series(), SizeIs(2));
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 17);
  clock_.Advance(absl::Minutes(40));
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 2)).ok());
  clock_.Advance(absl::Minutes(30));
  EXPECT_THAT(*store->Series(), SizeIs(1));
  EXPECT_THAT(Ids(*store), ElementsAre("a"));
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 17);
  // A stale push changes nothing.
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 1, {Counter("calls", 99)})).ok());
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 17);
}

TEST_F(FleetStoreTest, ZeroRetentionKeepsInstancesForever) {
  config_.instance_retention = absl::ZeroDuration();
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a")).ok());
  clock_.Advance(absl::Hours(24 * 365));
  store->RetireExpired();
  EXPECT_THAT(Ids(*store), ElementsAre("a"));
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kDown);
}

TEST_F(FleetStoreTest, GaugesOfDownInstancesStayVisible) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a")).ok());
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, {Gauge("open", 4)})).ok());
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(StatusOf(*store, "a").liveness, Liveness::kDown);
  EXPECT_THAT(*store->Series(), SizeIs(1));
}

struct InvalidCase {
  std::string name;
  v1::MetricsSnapshot snapshot;
  std::string message;
};

TEST_F(FleetStoreTest, InvalidSnapshotsAreRejectedNamingTheProblemAndKeepNothing) {
  auto store = NewStore();
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 1)})).ok());
  v1::MetricSeries no_value;
  no_value.set_name("empty");
  v1::MetricSeries duplicate_tags = Counter("calls", 1, {{"api", "x"}, {"api", "y"}});
  v1::MetricSeries not_cumulative = Histogram("latency", {{1, 5}, {2, 3}}, 1, 1);
  v1::MetricsSnapshot too_many = Snapshot("a", 1, 2, {});
  for (int i = 0; i <= 10000; ++i) *too_many.add_series() = Counter(absl::StrCat("c", i), 1);
  const std::vector<InvalidCase> cases = {
      {"blank id", Snapshot("  ", 1, 2, {}), "instance_id is blank"},
      {"long id", Snapshot(std::string(257, 'x'), 1, 2, {}), "longer than 256"},
      {"no name", Snapshot("a", 1, 2, {Counter("calls", 2), Counter("", 1)}),
       "series[1]: name is empty"},
      {"no value", Snapshot("a", 1, 2, {no_value}), "series[0] 'empty': has no value"},
      {"duplicate tag", Snapshot("a", 1, 2, {duplicate_tags}), "duplicate tag key 'api'"},
      {"negative counter", Snapshot("a", 1, 2, {Counter("calls", -1)}),
       "counter -1 is not a finite non-negative number"},
      {"histogram", Snapshot("a", 1, 2, {not_cumulative}), "buckets are not cumulative"},
      {"duplicate series", Snapshot("a", 1, 2, {Counter("calls", 1), Counter("calls", 2)}),
       "series[1] 'calls': same name and tags as series[0]"},
      {"too many", too_many, "has 10001 series; at most 10000"},
  };
  for (const InvalidCase& c : cases) {
    absl::Status status = store->AcceptSnapshot(c.snapshot);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message)) << c.name;
  }
  EXPECT_THAT(Ids(*store), ElementsAre("a"));
  EXPECT_EQ(StatusOf(*store, "a").sequence, 1u);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 1);
  EXPECT_EQ(store->AcceptHeartbeat(Heartbeat("")).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FleetStoreTest, TooManyInstancesWarnOnceUntilTheCountDropsBack) {
  config_.max_instances = 2;
  auto store = NewStore();
  for (const char* id : {"a", "b", "c", "d"})
    ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat(id)).ok());
  ASSERT_THAT(warnings_.messages(), SizeIs(1));
  EXPECT_THAT(warnings_.messages()[0], HasSubstr("max-instances: 3 instances are reporting"));
  clock_.Advance(absl::Minutes(2));  // all DOWN
  for (const char* id : {"a", "b"}) ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat(id)).ok());
  EXPECT_THAT(warnings_.messages(), SizeIs(1));
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("c")).ok());
  EXPECT_THAT(warnings_.messages(), SizeIs(2));
}

TEST_F(FleetStoreTest, BadConfigIsRejectedNamingTheProperty) {
  config_.liveness_seconds = 0;
  absl::StatusOr<std::unique_ptr<FleetStore>> store =
      FleetStore::Create(clock_, config_, nullptr, sink_);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("shared-store.liveness-seconds"));
  config_.liveness_seconds = 1;
  config_.instance_retention = absl::Seconds(-1);
  store = FleetStore::Create(clock_, config_, nullptr, sink_);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("instance-retention"));
}

TEST_F(FleetStoreTest, ConcurrentIngestAndReadsAddUp) {
  auto store = NewStore();
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1; i <= kPerThread; ++i) {
        const std::string id = absl::StrCat("t", t, "-", i % 50);
        ASSERT_TRUE(
            store->AcceptSnapshot(Snapshot(id, 1, i, {Counter("calls", i), Gauge("g", i)})).ok());
        if (i % 100 == 0) {
          ASSERT_TRUE(store->Series().ok());
        }
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) store->Instances();
  });
  for (std::thread& thread : threads) thread.join();
  // Each instance t-k keeps its last sequence: the largest i <= 500 with i % 50 == k.
  double expected = 0;
  for (int k = 0; k < 50; ++k) expected += 2 * (k == 0 ? 500 : 450 + k);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), expected);
  EXPECT_THAT(Ids(*store), SizeIs(100));
}

TEST_F(FleetStoreTest, RepositoryRestoresInstancesLivenessAndTotals) {
  FakeRepository::State state;
  {
    auto store = NewStore(std::make_unique<FakeRepository>(&state));
    ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 1)).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 3, {Counter("calls", 10)})).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 1, {Counter("calls", 1)})).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("old", 1, 1, {Counter("calls", 100)})).ok());
    clock_.Advance(absl::Minutes(59));
    ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 2)).ok());
    clock_.Advance(absl::Minutes(2));
    store->RetireExpired();  // "old" retires
    ASSERT_TRUE(store->Flush().ok());
    EXPECT_THAT(state.records, SizeIs(1));
  }
  auto store = NewStore(std::make_unique<FakeRepository>(&state));
  EXPECT_THAT(Ids(*store), ElementsAre("a"));
  const InstanceStatus a = StatusOf(*store, "a");
  EXPECT_EQ(a.liveness, Liveness::kDown);  // last heartbeat 2 min ago, liveness 60 s
  EXPECT_EQ(a.restarts, 1u);
  EXPECT_EQ(a.sequence, 1u);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 111);
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 2, {Counter("calls", 4)})).ok());
  EXPECT_EQ(StatusOf(*store, "a").lost_snapshots, 0u);
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 114);
}

TEST_F(FleetStoreTest, CrashBetweenSavingTotalsAndDeletingCountsARetiredInstanceOnce) {
  FakeRepository::State state;
  {
    auto store = NewStore(std::make_unique<FakeRepository>(&state));
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("old", 1, 1, {Counter("calls", 100)})).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("back", 1, 1, {Counter("calls", 10)})).ok());
    ASSERT_TRUE(store->Flush().ok());
    clock_.Advance(absl::Hours(2));
    store->RetireExpired();
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("back", 2, 1, {Counter("calls", 1)})).ok());
    state.fail_deletes = true;
    EXPECT_FALSE(store->Flush().ok());
    EXPECT_THAT(state.retired.pending, SizeIs(2));
    state.fail_saves = true;  // the process dies: nothing more is written
  }
  state.fail_saves = false;
  state.fail_deletes = false;
  EXPECT_THAT(state.records, SizeIs(2));  // "old" retired but not deleted; "back" saved anew
  auto store = NewStore(std::make_unique<FakeRepository>(&state));
  EXPECT_THAT(Ids(*store), ElementsAre("back"));
  EXPECT_DOUBLE_EQ(CounterValue(*store, "calls"), 111);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_THAT(state.records, SizeIs(1));
  EXPECT_THAT(state.retired.pending, IsEmpty());
}

TEST_F(FleetStoreTest, FailedFlushKeepsInstancesDirtyForTheNextOne) {
  FakeRepository::State state;
  auto store = NewStore(std::make_unique<FakeRepository>(&state));
  ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, {Counter("calls", 1)})).ok());
  state.fail_saves = true;
  absl::Status failed = store->Flush();
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable);
  state.fail_saves = false;
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_THAT(state.records, SizeIs(1));
}

// The fleet view summed from scratch over what the store flushed (the algorithm FleetStore used
// before it indexed its series): the retired totals, then per instance by id its restart base
// and latest snapshot; gauges per instance.
std::vector<v1::MetricSeries> SumFromScratch(FakeRepository::State& state) {
  using fleet_internal::MakeKeyed;
  MutexLock lock(&state.mu);
  fleet_internal::SeriesSum sum;
  sum.AddCumulative(*MakeKeyed(state.retired.totals));
  for (const auto& [id, record] : state.records) {
    sum.AddCumulative(*MakeKeyed(record.restart_base));
    sum.AddCumulative(*MakeKeyed(record.snapshot));
  }
  for (const auto& [id, record] : state.records) sum.AddGauges(*MakeKeyed(record.snapshot), id);
  return std::move(sum).Finish();
}

// A random push: a random subset of a fixed set of series with random non-integer values (so
// any change in the order of the floating-point sums shows), histograms in one of two bucket
// layouts, units that disagree between pushes, and gauges that collide once tagged.
v1::MetricsSnapshot RandomSnapshot(std::mt19937& random, const std::string& id,
                                   int64_t process_start, uint64_t sequence) {
  std::uniform_real_distribution<double> value(0, 1000);
  std::bernoulli_distribution coin(0.6);
  const std::vector<std::string> units = {"", "s", "ms"};
  auto unit = [&] { return units[random() % units.size()]; };
  std::vector<v1::MetricSeries> series;
  if (coin(random)) series.push_back(Counter("calls", value(random), {{"api", "a"}}));
  if (coin(random)) series.push_back(Counter("calls", value(random), {{"api", "b"}}));
  if (coin(random)) {
    series.push_back(Counter("bytes", value(random)));
    series.back().set_unit(unit());
  }
  if (coin(random)) {
    std::vector<std::pair<double, uint64_t>> buckets;
    const std::vector<double> bounds =
        random() % 2 == 0 ? std::vector<double>{0.1, 1, 10} : std::vector<double>{0.5, 1, 5, 50};
    uint64_t count = 0;
    for (double bound : bounds) buckets.emplace_back(bound, count += random() % 5);
    series.push_back(Histogram("latency", buckets, value(random), value(random)));
    series.back().set_unit(unit());
  }
  if (coin(random)) series.push_back(Gauge("queue", value(random)));
  if (coin(random)) {
    series.push_back(Gauge("queue", value(random)));
    v1::Tag* tag = series.back().add_tags();
    tag->set_key("instance");
    tag->set_value("own");
  }
  std::shuffle(series.begin(), series.end(), random);
  return Snapshot(id, process_start, sequence, std::move(series));
}

// Every sequence of pushes, restarts, heartbeats, retirements and reloads reads exactly what
// summing everything from scratch gives, bit for bit.
TEST_F(FleetStoreTest, SeriesEqualsASumFromScratchAfterEveryOperation) {
  config_.instance_retention = absl::Minutes(30);
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    std::mt19937 random(seed);
    FakeRepository::State state;
    auto store = NewStore(std::make_unique<FakeRepository>(&state));
    const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "no-start"};
    std::map<std::string, std::pair<int64_t, uint64_t>> process;  // id: start, sequence
    for (const std::string& id : ids) process[id] = {id == "no-start" ? 0 : 1, 0};
    for (int step = 0; step < 400; ++step) {
      const std::string& id = ids[random() % ids.size()];
      auto& [start, sequence] = process[id];
      const int op = random() % 20;
      std::string what;
      if (op < 11) {
        const int kind = random() % 10;
        if (kind == 0 && start != 0) {
          ++start;  // a restart
          sequence = 1;
        } else if (kind == 1 && sequence > 1) {
          sequence -= random() % 2 + 1;  // stale or repeated (a restart for "no-start")
        } else {
          sequence += kind == 2 ? 3 : 1;  // sometimes with a gap
        }
        const int64_t sent_start = kind == 3 && start > 1 ? start - 1 : start;  // an old process
        ASSERT_TRUE(store->AcceptSnapshot(RandomSnapshot(random, id, sent_start, sequence)).ok());
        what = absl::StrCat("snapshot ", id, " ", sent_start, "/", sequence);
      } else if (op < 15) {
        if (random() % 4 == 0 && start != 0) {
          ++start;
          sequence = 0;
        }
        ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat(id, start)).ok());
        what = absl::StrCat("heartbeat ", id, " ", start);
      } else if (op < 18) {
        const absl::Duration step_time =
            random() % 3 == 0 ? absl::Minutes(20) : absl::Seconds(random() % 90);
        clock_.Advance(step_time);
        if (random() % 2 == 0) store->RetireExpired();
        what = absl::StrCat("advance ", absl::FormatDuration(step_time));
      } else {
        ASSERT_TRUE(store->Flush().ok());
        store = NewStore(std::make_unique<FakeRepository>(&state));
        what = "reload";
      }
      absl::StatusOr<std::vector<v1::MetricSeries>> series = store->Series();
      ASSERT_TRUE(series.ok()) << series.status();
      ASSERT_TRUE(store->Flush().ok());
      const std::vector<v1::MetricSeries> expected = SumFromScratch(state);
      ASSERT_EQ(series->size(), expected.size())
          << "seed " << seed << " step " << step << ": " << what;
      for (size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ((*series)[i].SerializeAsString(), expected[i].SerializeAsString())
            << "seed " << seed << " step " << step << ": " << what << "\n"
            << (*series)[i].DebugString() << "vs\n"
            << expected[i].DebugString();
      }
    }
  }
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
